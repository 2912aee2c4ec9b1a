"""The editor's review step: who may do what to a summary, and the label a reader sees.

A summary is `draft` until an editor acts. `approve` (draft → approved), `edit` (draft / approved /
edited → edited; the previous bullets are kept in the history) and `reject` (any but rejected →
rejected). A rejected summary is final: regenerate instead. Stores and the web API call
`apply_review`, so the rules live in one place. The label states how the summary was made and
reviewed, in the summary's own language, like newsrooms' AI-disclosure notes under summary boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from storyline.model import Bullet, ReviewEvent, Summary

ACTIONS = ("approve", "edit", "reject")
STATUSES = ("draft", "approved", "edited", "rejected")
_ALLOWED_FROM = {
    "approve": {"draft"},
    "edit": {"draft", "approved", "edited"},
    "reject": {"draft", "approved", "edited"},
}
_RESULT = {"approve": "approved", "edit": "edited", "reject": "rejected"}
MAX_REVIEWER = 100
MAX_BULLET_CHARS = 1000


class ReviewError(ValueError):
    """A review action that is not allowed or not well formed; the message says why."""


class SummaryNotFound(LookupError):
    pass


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _clean_bullets(bullets: Sequence[Bullet | dict[str, Any]],
                   source_exists: Callable[[str], bool] | None) -> list[Bullet]:
    if not bullets:
        raise ReviewError("an edit needs at least one bullet")
    out: list[Bullet] = []
    for n, raw in enumerate(bullets, start=1):
        b = raw if isinstance(raw, Bullet) else Bullet(text=raw.get("text", ""), sources=raw.get("sources", []))
        text = " ".join(str(b.text or "").split())
        if not text:
            raise ReviewError(f"bullet {n} has no text")
        if len(text) > MAX_BULLET_CHARS:
            raise ReviewError(f"bullet {n} is longer than {MAX_BULLET_CHARS} characters")
        sources = [str(s) for s in (b.sources or [])]
        if not sources:
            raise ReviewError(f"bullet {n} cites no source sentence; every bullet needs at least one")
        if source_exists is not None:
            missing = [s for s in sources if not source_exists(s)]
            if missing:
                raise ReviewError(f"bullet {n} cites unknown sentence(s): {', '.join(missing)}")
        out.append(Bullet(text=text, sources=list(dict.fromkeys(sources))))
    return out


def apply_review(summary: Summary, action: str, reviewer: str, *, bullets: Sequence[Bullet] | None = None,
                 note: str | None = None, source_exists: Callable[[str], bool] | None = None,
                 at: str | None = None) -> tuple[Summary, ReviewEvent]:
    """Return the reviewed summary and the history event; raises ReviewError if not allowed."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown review action {action!r}; choose one of: {', '.join(ACTIONS)}")
    who = " ".join((reviewer or "").split())
    if not who:
        raise ReviewError("a review needs the reviewer's name")
    if len(who) > MAX_REVIEWER:
        raise ReviewError(f"reviewer name is longer than {MAX_REVIEWER} characters")
    if summary.status not in _ALLOWED_FROM[action]:
        by = f" by {summary.reviewer}" if summary.reviewer else ""
        hint = "; regenerate it for a new draft" if summary.status == "rejected" else ""
        raise ReviewError(f"summary {summary.id} is {summary.status}{by}: cannot {action} it{hint}")
    if action != "edit" and bullets is not None:
        raise ReviewError("only an edit takes new bullets")
    when = at or _now()
    event = ReviewEvent(action=action, reviewer=who, at=when, previous_status=summary.status,
                        note=(note or "").strip() or None)
    new = replace(summary, status=_RESULT[action], reviewer=who, reviewed_at=when)
    if action == "edit":
        if bullets is None:
            raise ReviewError("an edit needs the new bullets")
        event.previous_bullets = list(summary.bullets)
        new.bullets = _clean_bullets(bullets, source_exists)
    new.label = make_label(new)
    return new, event


def pick_current(summaries: Iterable[Summary], lang: str | None = None) -> Summary | None:
    """The summary to show: the newest reviewed (approved/edited) one, else the newest draft."""
    pool = [s for s in summaries if s.status != "rejected" and (lang is None or s.lang == lang)]
    reviewed = [s for s in pool if s.status in ("approved", "edited")]
    for group in (reviewed, pool):
        if group:
            return max(group, key=lambda s: (s.reviewed_at or s.created_at or "", s.created_at or ""))
    return None


def pick_public(summaries: Iterable[Summary], lang: str | None = None) -> Summary | None:
    """The one summary public views show for a reader of `lang`.

    Review comes before language: a reviewed summary in the reader's language, else a reviewed one in
    any language, else the newest draft in the reader's language, else the newest draft. A newer
    machine draft never hides what an editor approved.
    """
    pool = list(summaries)
    reviewed = [s for s in pool if s.status in ("approved", "edited")]
    for group, want in ((reviewed, lang), (reviewed, None), (pool, lang), (pool, None)):
        found = pick_current(group, want)
        if found is not None:
            return found
    return None


# --- labels ---------------------------------------------------------------------------------------

# keys: how it was made (llm / extractive) × review status; {model} includes its parentheses
LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "llm_draft": "Sammendraget er laget med KI{model} og er ikke kontrollert.",
        "llm_approved": "Sammendraget er laget med KI{model} og kontrollert av {reviewer}.",
        "llm_edited": "Sammendraget er laget med KI{model}, redigert og kontrollert av {reviewer}.",
        "extractive_draft": "Automatisk uttrekk fra kildene, ikke kontrollert.",
        "extractive_approved": "Automatisk uttrekk fra kildene, kontrollert av {reviewer}.",
        "extractive_edited": "Automatisk uttrekk fra kildene, redigert og kontrollert av {reviewer}.",
        "rejected": "Sammendraget er forkastet av {reviewer}.",
    },
    "nn": {
        "llm_draft": "Samandraget er laga med KI{model} og er ikkje kontrollert.",
        "llm_approved": "Samandraget er laga med KI{model} og kontrollert av {reviewer}.",
        "llm_edited": "Samandraget er laga med KI{model}, redigert og kontrollert av {reviewer}.",
        "extractive_draft": "Automatisk uttrekk frå kjeldene, ikkje kontrollert.",
        "extractive_approved": "Automatisk uttrekk frå kjeldene, kontrollert av {reviewer}.",
        "extractive_edited": "Automatisk uttrekk frå kjeldene, redigert og kontrollert av {reviewer}.",
        "rejected": "Samandraget er forkasta av {reviewer}.",
    },
    "da": {
        "llm_draft": "Resuméet er lavet med AI{model} og er ikke kontrolleret.",
        "llm_approved": "Resuméet er lavet med AI{model} og kontrolleret af {reviewer}.",
        "llm_edited": "Resuméet er lavet med AI{model}, redigeret og kontrolleret af {reviewer}.",
        "extractive_draft": "Automatisk udtræk fra kilderne, ikke kontrolleret.",
        "extractive_approved": "Automatisk udtræk fra kilderne, kontrolleret af {reviewer}.",
        "extractive_edited": "Automatisk udtræk fra kilderne, redigeret og kontrolleret af {reviewer}.",
        "rejected": "Resuméet er afvist af {reviewer}.",
    },
    "sv": {
        "llm_draft": "Sammanfattningen är gjord med AI{model} och är inte granskad.",
        "llm_approved": "Sammanfattningen är gjord med AI{model} och granskad av {reviewer}.",
        "llm_edited": "Sammanfattningen är gjord med AI{model}, redigerad och granskad av {reviewer}.",
        "extractive_draft": "Automatiskt utdrag ur källorna, inte granskat.",
        "extractive_approved": "Automatiskt utdrag ur källorna, granskat av {reviewer}.",
        "extractive_edited": "Automatiskt utdrag ur källorna, redigerat och granskat av {reviewer}.",
        "rejected": "Sammanfattningen har underkänts av {reviewer}.",
    },
    "en": {
        "llm_draft": "This summary was made with AI{model} and has not been checked.",
        "llm_approved": "This summary was made with AI{model} and checked by {reviewer}.",
        "llm_edited": "This summary was made with AI{model}, edited and checked by {reviewer}.",
        "extractive_draft": "Automatic extract from the sources, not checked.",
        "extractive_approved": "Automatic extract from the sources, checked by {reviewer}.",
        "extractive_edited": "Automatic extract from the sources, edited and checked by {reviewer}.",
        "rejected": "This summary was rejected by {reviewer}.",
    },
    "de": {
        "llm_draft": "Die Zusammenfassung wurde mit KI{model} erstellt und nicht geprüft.",
        "llm_approved": "Die Zusammenfassung wurde mit KI{model} erstellt und von {reviewer} geprüft.",
        "llm_edited": "Die Zusammenfassung wurde mit KI{model} erstellt, von {reviewer} bearbeitet und geprüft.",
        "extractive_draft": "Automatischer Auszug aus den Quellen, nicht geprüft.",
        "extractive_approved": "Automatischer Auszug aus den Quellen, von {reviewer} geprüft.",
        "extractive_edited": "Automatischer Auszug aus den Quellen, von {reviewer} bearbeitet und geprüft.",
        "rejected": "Die Zusammenfassung wurde von {reviewer} verworfen.",
    },
    "es": {
        "llm_draft": "El resumen se ha hecho con IA{model} y no ha sido revisado.",
        "llm_approved": "El resumen se ha hecho con IA{model} y lo ha revisado {reviewer}.",
        "llm_edited": "El resumen se ha hecho con IA{model}; lo ha editado y revisado {reviewer}.",
        "extractive_draft": "Extracto automático de las fuentes, sin revisar.",
        "extractive_approved": "Extracto automático de las fuentes, revisado por {reviewer}.",
        "extractive_edited": "Extracto automático de las fuentes, editado y revisado por {reviewer}.",
        "rejected": "El resumen ha sido rechazado por {reviewer}.",
    },
    "fr": {
        "llm_draft": "Le résumé a été réalisé avec l'IA{model} et n'a pas été vérifié.",
        "llm_approved": "Le résumé a été réalisé avec l'IA{model} et vérifié par {reviewer}.",
        "llm_edited": "Le résumé a été réalisé avec l'IA{model}, modifié et vérifié par {reviewer}.",
        "extractive_draft": "Extrait automatique des sources, non vérifié.",
        "extractive_approved": "Extrait automatique des sources, vérifié par {reviewer}.",
        "extractive_edited": "Extrait automatique des sources, modifié et vérifié par {reviewer}.",
        "rejected": "Le résumé a été rejeté par {reviewer}.",
    },
}
_LANG_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "dan": "da", "swe": "sv", "eng": "en", "deu": "de",
                 "ger": "de", "spa": "es", "fra": "fr", "fre": "fr"}


def label_lang(lang: str | None) -> str:
    """The label language for a summary language ("nb-NO" → nb, "no" → nb); English if unknown."""
    base = (lang or "en").lower().replace("_", "-").split("-")[0]
    base = _LANG_ALIASES.get(base, base)
    return base if base in LABELS else "en"


def make_label(summary: Summary, lang: str | None = None) -> str:
    """How the summary was made and reviewed, in its language (or `lang`)."""
    table = LABELS[label_lang(lang or summary.lang)]
    if summary.status == "rejected":
        key = "rejected"
    else:
        made = "llm" if summary.backend == "llm" else "extractive"
        key = f"{made}_{summary.status}"
    model = f" ({summary.model})" if summary.model and summary.backend == "llm" else ""
    return table[key].format(model=model, reviewer=summary.reviewer or "?")
