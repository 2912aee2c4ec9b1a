"""HTML pages: main text via trafilatura, metadata (title, canonical URL, author, site name), date.

The date comes only from the page's metadata (JSON-LD, meta tags, <time>) via htmldate with
`extensive_search=False`, so a date merely mentioned in the body is never taken as the publication
date; a visible "Publisert …" dateline is still found later by the shared dateline rule. htmldate
gives a day; when a metadata timestamp for that same day carries a time, minute precision is kept.
"""

from __future__ import annotations

import re

from storyline.ingest.decode import sniff_binary
from storyline.ingest.errors import IngestError
from storyline.ingest.pubdate import parse_value
from storyline.ingest.rawdoc import RawDoc

MIN_BODY_WORDS = 12  # below this, what trafilatura found is navigation or a stub, not an article
_META_TIME = re.compile(
    r"""(?:"datePublished"\s*:\s*"|(?:article:published_time|og:published_time|pubdate|publish[_-]?date|"""
    r"""dc\.date\.issued|dcterms\.created)["']\s+content=["'])(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}[^"']*)""",
    re.IGNORECASE)


def _published(html: str) -> tuple[str, str, str] | None:
    from htmldate import find_date

    try:
        day = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on some malformed markup; unknown stays unknown
        day = None
    if not day:
        return None
    for m in _META_TIME.finditer(html):
        parsed = parse_value(m.group(1))
        if parsed and parsed[0].startswith(day):
            return parsed[0], parsed[1], "metadata"
    return day, "day", "metadata"


def read_html(data: bytes, source: str, *, url: str | None = None) -> RawDoc:
    import trafilatura

    what = sniff_binary(data)
    if what:
        raise IngestError(source, f"not an HTML page: looks like {what}")
    # no `deduplicate`: trafilatura's is a process-wide cache of paragraphs seen before, so the same page
    # read twice in one process (a re-ingest, `serve` taking uploads) would lose paragraphs the second time
    doc = trafilatura.bare_extraction(data, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True, deduplicate=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(text.split()) < MIN_BODY_WORDS:
        found = f" (only {len(text.split())} words of text)" if text and text.strip() else ""
        raise IngestError(source, f"HTML page has no article body{found}")
    html = data.decode("utf-8", errors="replace")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return RawDoc(
        source=source, lines=lines, title=doc.title or None, url=doc.url or url,
        canonical_url=doc.url or url, author=doc.author or None, site_name=doc.sitename or None,
        published=_published(html), lang=getattr(doc, "language", None),
    )
