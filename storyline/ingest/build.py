"""RawDoc -> Article: cleaning, dateline, language, title, identity. Shared by every format."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from storyline.ingest import identity
from storyline.ingest.clean import clean_lines, normalise_line
from storyline.ingest.errors import IngestError
from storyline.ingest.language import detect_article
from storyline.ingest.pubdate import find_dateline
from storyline.ingest.rawdoc import RawDoc
from storyline.ingest.settings import IngestSettings
from storyline.model import PARAGRAPH_SEPARATOR, Article, Paragraph

_HEADLINE_END = re.compile(r"[.!?;,]$")
_FIRST_SENTENCE = re.compile(r"^(.{10,}?[.!?])(?=\s+[A-ZÆØÅÄÖÜÉ\"'«–-]|$)")


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 16 and len(line) <= 140 and not _HEADLINE_END.search(line) \
        and not line.startswith("–")


def _title_from_text(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """The first line if it is a headline (then removed from the body), else a short first sentence."""
    if len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        return paragraphs[0], paragraphs[1:]
    first = paragraphs[0] if paragraphs else ""
    m = _FIRST_SENTENCE.match(first)
    sentence = m.group(1) if m else first
    if len(sentence) <= 160:
        return sentence.rstrip("."), paragraphs
    cut = sentence[:120].rsplit(" ", 1)[0]
    return cut + "…", paragraphs


def build_article(raw: RawDoc, settings: IngestSettings) -> Article:
    cleaned = clean_lines(raw.lines)
    paragraphs = cleaned.paragraphs
    published = raw.published
    dateline = find_dateline(paragraphs)
    if dateline:
        idx, iso, precision = dateline
        paragraphs = paragraphs[:idx] + paragraphs[idx + 1:]
        if published is None:
            published = (iso, precision, "dateline")
    title = normalise_line(raw.title) if raw.title else None
    if title:
        if paragraphs and normalise_line(paragraphs[0]) == title:
            paragraphs = paragraphs[1:]
    elif raw.title_from_text and paragraphs:
        title, paragraphs = _title_from_text(paragraphs)
    if not paragraphs:
        raise IngestError(raw.source, "no article text left after removing boilerplate")
    whole, per = detect_article(paragraphs, settings.languages, min_confidence=settings.min_lang_confidence,
                                min_chars=settings.min_paragraph_chars_for_lang,
                                switch_to=settings.paragraph_switch_languages)
    lang, confidence = whole.lang, whole.confidence
    declared = (raw.lang or "").strip().lower().replace("_", "-").split("-")[0]
    if declared in {"no", "nob"}:
        declared = "nb"
    if declared and len(declared) == 2 and (lang is None or confidence < 0.5):
        lang, confidence = declared, 1.0 if lang is None else confidence
    paras: list[Paragraph] = []
    pos = 0
    for text, r in zip(paragraphs, per, strict=True):
        paras.append(Paragraph(text=text, lang=r.lang or lang, lang_confidence=r.confidence, start=pos))
        pos += len(text) + len(PARAGRAPH_SEPARATOR)
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    canonical = identity.canonical_url(raw.canonical_url or raw.url)
    return Article(
        id=identity.article_id(canonical=canonical, text=body), source=raw.source, text=body, paragraphs=paras,
        title=title, url=raw.url, canonical_url=canonical, author=raw.author, site_name=raw.site_name,
        lang=lang, lang_confidence=confidence,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,  # type: ignore[arg-type]
        published_origin=published[2] if published else None,
        provided_summary=cleaned.summary, content_hash=identity.content_hash(body),
        ingested_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
