"""JSON (.json: one object, a list, or {"articles": [...]}) and JSON Lines (.jsonl, one object a line).

Field mapping (documented in docs/INGEST.md): text|body|content|article|maintext|description -> text
(HTML inside is reduced to text); title|headline -> title; url|link|canonical_url -> url;
published|date|datePublished|pubDate|published_at|time -> published (origin "metadata");
lang|language -> declared language (used only when detection is unsure); author|authors|byline;
source|site|site_name|publisher -> site_name (a URL there fills url when url is missing).
A malformed line is reported with its line number and the other lines are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from storyline.ingest.decode import decode_bytes
from storyline.ingest.errors import IngestError
from storyline.ingest.pubdate import parse_value
from storyline.ingest.rawdoc import RawDoc
from storyline.ingest.txt import split_paragraphs

TEXT_KEYS = ("text", "body", "content", "article", "maintext", "description")
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link", "canonical_url")
DATE_KEYS = ("published", "date", "datePublished", "pubDate", "published_at", "time")
LANG_KEYS = ("lang", "language")
AUTHOR_KEYS = ("author", "authors", "byline")
SITE_KEYS = ("source", "site", "site_name", "publisher")
_TAG = re.compile(r"<(p|br|div|h[1-6]|li|article|section)\b", re.IGNORECASE)


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = obj.get(k)
        if v not in (None, "", []):
            return v
    return None


def _as_text(v: Any) -> str | None:
    if isinstance(v, list):
        v = ", ".join(str(x.get("name", x)) if isinstance(x, dict) else str(x) for x in v)
    elif isinstance(v, dict):
        v = v.get("name") or v.get("text")
    return str(v).strip() if v not in (None, "") else None


def html_to_lines(fragment: str) -> list[str]:
    """Paragraph lines from an HTML fragment (feed summaries, JSON bodies with markup)."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on broken fragments; fall back to tag stripping
        return split_paragraphs(re.sub(r"<[^>]+>", " ", fragment))
    for el in root.iter("script", "style", "figure", "figcaption", "noscript"):
        el.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote"):
        t = el.text_content().strip()
        if t:
            blocks.append(t)
    if not blocks:
        return split_paragraphs(root.text_content())
    return blocks


def doc_from_object(obj: Any, source: str) -> RawDoc:
    if not isinstance(obj, dict):
        raise IngestError(source, f"expected a JSON object, got {type(obj).__name__}")
    text = _first(obj, TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        raise IngestError(source, f"no text: none of the fields {', '.join(TEXT_KEYS)} holds a string")
    lines = html_to_lines(text) if _TAG.search(text) else split_paragraphs(text)
    url = _as_text(_first(obj, URL_KEYS))
    site = _as_text(_first(obj, SITE_KEYS))
    if site and site.lower().startswith(("http://", "https://")):
        url = url or site
        site = None
    date_value = _first(obj, DATE_KEYS)
    published = None
    if date_value is not None:
        parsed = parse_value(date_value)
        if parsed is None:
            raise IngestError(source, f"unreadable date {str(date_value)[:40]!r} (use ISO 8601, e.g. 2025-12-03)")
        published = (parsed[0], parsed[1], "metadata")
    title = _as_text(_first(obj, TITLE_KEYS))
    return RawDoc(source=source, lines=lines, title=title, url=url, canonical_url=url,
                  author=_as_text(_first(obj, AUTHOR_KEYS)), site_name=site, published=published,
                  lang=_as_text(_first(obj, LANG_KEYS)), title_from_text=title is None)


def read_json(data: bytes, source: str, *, lines: bool) -> Iterator[RawDoc | IngestError]:
    text = decode_bytes(data, source)
    if lines:
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            ref = f"{source}#{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield IngestError(ref, f"line {n}: malformed JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield doc_from_object(obj, ref)
            except IngestError as exc:
                yield IngestError(ref, f"line {n}: {exc.reason}")
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(source, f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
        obj = obj["articles"]
    if isinstance(obj, list):
        for i, item in enumerate(obj, start=1):
            try:
                yield doc_from_object(item, f"{source}#{i}")
            except IngestError as exc:
                yield IngestError(exc.input, f"item {i}: {exc.reason}")
    else:
        yield doc_from_object(obj, source)
