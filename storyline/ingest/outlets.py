"""How an article's origin is shown in public views (web UI, API, exports): safe links, no local paths.

`safe_href` lets only http, https and mailto through as link targets (a stored `javascript:` or
`data:` URL is never rendered as a link). `outlet_label` names where an article came from (its site
name, else the URL's domain, else the file name). `display_source` is the source as others may see
it: the URL for web sources, for files the path relative to the folder that was ingested (recorded
at ingest in `Article.source_display`), else the file name; never the ingesting machine's absolute path.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_href(url: str | None) -> str | None:
    """`url` when its scheme is http, https or mailto (and it has a host / an address), else None."""
    if not url or not isinstance(url, str):
        return None
    cleaned = url.strip()
    if _CONTROL.search(cleaned):  # "java\nscript:" and friends: browsers drop the control characters
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme in ("http", "https") and not parts.netloc:
        return None
    if scheme == "mailto" and "@" not in parts.path:
        return None
    return cleaned


def _get(article: Any, name: str) -> Any:
    if isinstance(article, dict):
        return article.get(name)
    return getattr(article, name, None)


def _web_url(article: Any) -> str | None:
    for name in ("canonical_url", "url"):
        url = safe_href(_get(article, name))
        if url and not url.lower().startswith("mailto:"):
            return url
    source = _get(article, "source") or ""
    return source if safe_href(source.split("#", 1)[0]) and "://" in source else None


def _file_name(source: str) -> str:
    path, sep, frag = source.partition("#")
    name = PurePath(path.replace("\\", "/")).name or path
    return name + (sep + frag if frag else "")


def display_source(article: Any) -> str:
    """The URL for web sources; for files the path relative to the ingested folder, else the file name."""
    source = str(_get(article, "source") or "")
    if "://" in source.split("#", 1)[0]:
        return source if safe_href(source.split("#", 1)[0]) else _file_name(source)
    shown = _get(article, "source_display")
    if shown:
        return str(shown)
    if source in ("-", "<stdin>"):
        return "standard input"
    return _file_name(source) if source else ""


def outlet_label(article: Any) -> str:
    """The site name, else the URL's domain, else the file name."""
    site = (_get(article, "site_name") or "").strip()
    if site:
        return site
    url = _web_url(article)
    if url:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        if host:
            return host
    return PurePath(display_source(article).split("#", 1)[0]).name or display_source(article)
