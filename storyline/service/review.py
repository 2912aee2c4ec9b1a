"""The editor's review of a summary: one use case for the CLI, the JSON API and the web form.

The rules (who may do what, what an edited bullet must cite) live in `storyline.explain.review`;
the store only persists the result (`record_review`, a compare-and-set on the summary's status, so
two editors acting at once cannot both win). Edited bullets may come as plain strings (a text box
per bullet): each keeps the sources of the bullet at the same position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storyline.explain.review import ReviewError, SummaryNotFound, apply_review
from storyline.model import Bullet, Summary

if TYPE_CHECKING:
    from storyline.store import Store


def coerce_bullets(bullets: Sequence[str | dict[str, Any] | Bullet] | None, current: Summary
                   ) -> list[Bullet] | None:
    """Bullets from a form or JSON body: blank ones dropped; a plain string keeps the sources of the
    current bullet at its position."""
    if bullets is None:
        return None
    old = list(current.bullets or [])
    out: list[Bullet] = []
    for i, b in enumerate(bullets):
        if isinstance(b, Bullet):
            out.append(b)
        elif isinstance(b, str):
            if b.strip():
                out.append(Bullet(text=b, sources=list(old[i].sources) if i < len(old) else []))
        elif isinstance(b, dict):
            if str(b.get("text", "")).strip():
                out.append(Bullet(text=str(b.get("text", "")), sources=list(b.get("sources") or [])))
        else:
            raise ReviewError(f"bullet {i + 1}: expected text or {{text, sources}}, not {type(b).__name__}")
    return out or None


def _source_exists(store: Store):
    """Whether an edited bullet's source sentence resolves; unknown (True) without an article store."""
    if not hasattr(store, "get_article"):
        return None
    from storyline.explain.summaries.sources import resolve_sentences

    return lambda sentence_id: resolve_sentences(store, [sentence_id]).get(sentence_id) is not None


def review(store: Store, summary_id: str, action: str, reviewer: str,
           bullets: Sequence[str | dict[str, Any] | Bullet] | None = None, note: str | None = None) -> Summary:
    """Approve, edit or reject a summary and return it as stored.

    Raises SummaryNotFound (no such summary) or ReviewError (not allowed, not well formed, or another
    editor changed the summary meanwhile)."""
    current = store.get_summary(summary_id)
    if current is None:
        raise SummaryNotFound(f"summary {summary_id} not found")
    new, event = apply_review(current, action, reviewer, bullets=coerce_bullets(bullets, current), note=note,
                              source_exists=_source_exists(store))
    if not store.record_review(new, event, expected_status=current.status):
        raise ReviewError(f"summary {summary_id} was changed by someone else meanwhile: cannot {action} it; "
                          "reload and try again")
    return store.get_summary(summary_id) or new
