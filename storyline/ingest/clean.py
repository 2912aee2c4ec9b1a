"""Boilerplate removal and typographic normalisation, with general multilingual line rules.

Every rule looks at the shape of one line or paragraph (a credit "Name / AGENCY", a caption ending
in "Foto: …", a bare language name, a share/newsletter call, an AI-disclosure note, a "read also"
teaser) and never at a particular file. Language names come from CLDR (babel), so the picker rule
knows every language's own name. The publisher's summary box (a heading such as "Saken oppsummert",
bullets, an optional AI note) is lifted out into `ProvidedSummary`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from storyline.model import ProvidedSummary

# -- typography ------------------------------------------------------------------------------------
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "‘": "'", "’": "'", "‚": "'",
                         "‛": "'", "′": "'", "‐": "-", "‑": "-", "‒": "–", "—": "–", "―": "–", "−": "-",
                         "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ",
                         "\u3000": " ", "\t": " "}
                        | {chr(c): None for c in [*range(32), *range(127, 160)] if c not in (9, 10)})
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r" {2,}")
_OPENING_DASH = re.compile(r"^[-–]\s*(?=\S)")


def normalise_line(line: str) -> str:
    """NFC, straight quotes, one dash form, single spaces; a quotation's opening dash stays ("– ")."""
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line).translate(_QUOTES)
    line = _SPACES.sub(" ", line).strip()
    if _OPENING_DASH.match(line) and not line.startswith("--"):
        line = _OPENING_DASH.sub("– ", line, count=1)
    return line


# -- line rules ------------------------------------------------------------------------------------
_CREDIT_WORDS = r"(?:foto|photo|fotó|photos?|bilde|billede|bild|kuva|imagen|image|illustrasjon|illustration|grafikk|grafik|video|kilde foto)"
_CREDIT_LINE = re.compile(rf"^\(?{_CREDIT_WORDS}\s*[:/]\s*\S.{{0,100}}$", re.IGNORECASE)
_CAPTION_TAIL = re.compile(rf"\b{_CREDIT_WORDS}\s*:\s*[^.!?]{{2,80}}$", re.IGNORECASE)
_AGENCY_SEGMENT = re.compile(r"^[\w.'&-]+(?: [\w.'&-]+){0,4}$", re.UNICODE)

_SHARE = re.compile(
    r"^(?:del|dele|share|teilen|compartir|partager|condividi|dela|deel|jaa)\b.{0,40}"
    r"(?:artikkel|artikel|article|artículo|articolo|artikeln|facebook|twitter|linkedin|e-?post|e-?mail|x)\b"
    r"|^(?:abonner|abonnér|tilmeld|meld deg på|meld dig|sign up|subscribe|newsletter|nyhetsbrev|nyhedsbrev|"
    r"registrieren sie sich|suscríbete|abonnez-vous|prenumerera|følg oss|følg os|follow us|folgen sie uns|"
    r"síguenos|suivez-nous|følg .{1,30} på)\b",
    re.IGNORECASE)
_AI_WORDS = (r"(?:\bKI\b|\bAI\b|\bIA\b|\bKI-|kunstig intelligens|artificial intelligence|künstliche[rn]? "
             r"intelligenz|inteligencia artificial|intelligence artificielle|intelligenza artificiale|"
             r"artificiell intelligens|tekoäly|chatgpt|openai|språkmodell|sprogmodel|language model)")
_AI_VERBS = (r"(?:laget|lagd|skrevet|generert|produsert|oversatt|opprettet|lavet|skrevet|genereret|oversat|"
             r"gjort|written|generated|created|produced|translated|made|assisted|erstellt|generiert|verfasst|"
             r"übersetzt|generado|creado|escrito|traducido|généré|rédigé|traduit|skapad|genererad|skriven|"
             r"hjelp av|hjælp af|help of|ved hjelp|ved hjælp|mithilfe)")
_SELF_REFERENCE = (r"(?:oppsummering\w*|sammendrag\w*|artikkel\w*|saken|teksten|innholdet|resumé\w*|"
                   r"artikl\w+|indholdet|summary|article|story|text|content|zusammenfassung|artikel\w*|"
                   r"inhalt|resumen|artículo|texto|contenido|résumé|contenu|sammanfattning\w*|innehållet|"
                   r"this|denne|dette|diese[rs]?|este|esta|ce)")
_AI_RE = re.compile(_AI_WORDS, re.IGNORECASE)
_AI_VERB_RE = re.compile(rf"\b{_AI_VERBS}\b", re.IGNORECASE)
_SELF_RE = re.compile(rf"\b{_SELF_REFERENCE}\b", re.IGNORECASE)
_TEASER = re.compile(
    r"^(?:les også|les mer|læs også|læs mere|se også|läs också|läs mer|read more|read also|see also|"
    r"related|more on this|lesen sie auch|mehr zum thema|lea también|lee también|leer más|lire aussi|"
    r"à lire aussi|voir aussi|leggi anche|lees ook|lue myös)\b\s*[:.\-–]?\s*(?P<rest>.*)$",
    re.IGNORECASE)
_LANG_PICKER_REGION = re.compile(r"^(?P<name>[^\W\d_][^()]{1,40}?)\s*(?:\((?P<region>[^()]{1,30})\))?$")


def _build_autonyms() -> list[str]:
    from babel import Locale, localedata

    names: set[str] = set()
    english = Locale("en")
    for ident in localedata.locale_identifiers():
        try:
            loc = Locale.parse(ident)
        except (ValueError, TypeError):
            continue
        if loc.territory or loc.script or loc.variant:
            continue
        for name in (loc.get_language_name(loc), english.languages.get(loc.language)):
            if name:
                names.add(name.casefold())
    names.update({"norsk", "norsk bokmål", "norsk nynorsk", "bokmål", "nynorsk"})
    return sorted(names)


@lru_cache(maxsize=1)
def _language_autonyms() -> frozenset[str]:
    """Every language's name in that language (and in English), lower-cased, from CLDR.

    Walking every CLDR locale costs 1-5 s, so the list is computed once per babel version and kept
    as a small JSON file in the user cache directory (recomputed when missing or unreadable).
    """
    import json

    import babel
    from platformdirs import user_cache_dir

    cache = Path(user_cache_dir("storyline")) / f"language-names-babel-{babel.__version__}.json"
    try:
        return frozenset(json.loads(cache.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    names = _build_autonyms()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only cache directory only costs the recomputation next time
    return frozenset(names)


def is_language_picker(line: str) -> bool:
    """'English (US)', 'Norsk (bokmål)', 'Español': a bare language name, optionally with a region."""
    m = _LANG_PICKER_REGION.match(line.strip())
    if not m or len(line) > 60:
        return False
    return m.group("name").strip().casefold() in _language_autonyms()


def is_agency_credit(line: str) -> bool:
    """'Fernando Llano / AP / NTB scanpix', 'Asamblea Nacional / Twitter', 'Tasnim News Agency /'."""
    if not re.search(r" /( |$)", line) or len(line) > 90 or re.search(r"[.!?:;,\"«»]$", line) or "://" in line:
        return False
    parts = [p.strip() for p in line.split("/")]
    filled = [p for p in parts if p]
    if not filled or len(filled) > 4:
        return False
    return all(_AGENCY_SEGMENT.match(p) and p[0].isupper() for p in filled)


def is_photo_credit(line: str) -> bool:
    return bool(_CREDIT_LINE.match(line)) or is_agency_credit(line)


def is_caption(line: str) -> bool:
    """A paragraph ending in a photo credit ('… Foto: NAME / Reuters') is an image caption."""
    return bool(_CAPTION_TAIL.search(line)) and len(line) < 500


def is_share_line(line: str) -> bool:
    return len(line) < 120 and bool(_SHARE.match(line))


#: cheap pre-check: every `_AI_WORDS` alternative contains one of these (casefolded) fragments
_AI_HINTS = ("ki", "ai", "ia", "intellig", "chatgpt", "openai", "modell", "model", "tekoäly")


def is_ai_disclosure(line: str) -> bool:
    if len(line) >= 300:
        return False
    low = line.casefold()
    if not any(h in low for h in _AI_HINTS):
        return False
    return bool(_AI_RE.search(line) and _AI_VERB_RE.search(line) and _SELF_RE.search(line))


# -- summary box -----------------------------------------------------------------------------------
_SUMMARY_HEADING = re.compile(
    r"^(?:saken oppsummert|kort fortalt|kort sagt|oppsummert|oppsummering|hovedpunkter|kort om saken|"
    r"det viktigste|sagen kort|kort om sagen|hovedpunkter|det vigtigste|sammanfattning|i korthet|kortfattat|"
    r"summary|in brief|in short|key points|the key points|at a glance|tl;?dr|das wichtigste|kurz gesagt|"
    r"in kürze|zusammenfassung|en resumen|resumen|lo esencial|en bref|l'essentiel|résumé|in sintesi|"
    r"in het kort|samenvatting|lyhyesti|tiivistelmä)\s*:?$",
    re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-–•*·▪●]|\d{1,2}[.)])\s+(?P<text>\S.*)$")


@dataclass
class Cleaned:
    paragraphs: list[str]
    summary: ProvidedSummary | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)  # (rule, line) for debugging


def _extract_summary(lines: list[str], head: int = 12) -> tuple[list[str], ProvidedSummary | None]:
    """Lift a heading + bullets (+ AI/review note) block near the top into a ProvidedSummary."""
    for i in range(min(head, len(lines))):
        j = i + 1
        bullets: list[str] = []
        while j < len(lines) and (m := _BULLET.match(lines[j])):
            bullets.append(m.group("text").strip())
            j += 1
        if len(bullets) < 2 and not (bullets and _SUMMARY_HEADING.match(lines[i])):
            continue
        note = lines[j] if j < len(lines) and is_ai_disclosure(lines[j]) else None
        if not (_SUMMARY_HEADING.match(lines[i]) or note):
            continue
        heading = lines[i].rstrip(":").strip()
        end = j + 1 if note else j
        return lines[:i] + lines[end:], ProvidedSummary(bullets=bullets, heading=heading, note=note)
    return lines, None


def clean_lines(lines: list[str]) -> Cleaned:
    """Normalise, lift the summary box, drop boilerplate lines; returns the body paragraphs."""
    norm = [normalise_line(x) for x in lines]
    norm = [x for x in norm if x]
    norm, summary = _extract_summary(norm)
    out: list[str] = []
    removed: list[tuple[str, str]] = []
    skip_next = False
    for line in norm:
        if skip_next:
            skip_next = False
            if len(line) < 160:
                removed.append(("teaser", line))
                continue
        if is_photo_credit(line):
            removed.append(("credit", line))
        elif is_caption(line):
            removed.append(("caption", line))
        elif is_language_picker(line):
            removed.append(("language-picker", line))
        elif is_share_line(line):
            removed.append(("share", line))
        elif is_ai_disclosure(line):
            removed.append(("ai-disclosure", line))
        elif m := _TEASER.match(line):
            removed.append(("teaser", line))
            skip_next = not m.group("rest").strip()
        else:
            out.append(line)
    return Cleaned(out, summary, removed)
