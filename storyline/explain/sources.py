"""How a source is shown to readers: safe links, the outlet's name, a display form that leaks nothing.

Article URLs and sources come from hostile input: only http, https and mailto links are ever rendered
(a `javascript:` or `data:` URL becomes plain text), and a local file's directory is never shown (it can
hold a user name or a private path), only its file name. Used by the web UI, the API and the exports.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https", "mailto")


def safe_href(url: str | None) -> str | None:
    """`url` when it is an http, https or mailto link, else None (render as text, not as a link)."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return url


def _field(article: Any, name: str) -> Any:
    return article.get(name) if isinstance(article, dict) else getattr(article, name, None)


_HOST = re.compile(r"^https?://(?:[^/@?#]*@)?([^/:?#]+)", re.IGNORECASE)


def _domain(url: str | None) -> str | None:
    """The host of an http(s) URL without "www." (a regex: pages label thousands of articles)."""
    m = _HOST.match(url) if isinstance(url, str) else None
    if not m:
        return None
    host = m.group(1).lower()
    return host[4:] if host.startswith("www.") else host


def outlet_label(article: Any) -> str:
    """Who published it: the site name, else the web domain, else the file name."""
    site = _field(article, "site_name")
    if site and str(site).strip():
        return str(site).strip()
    for key in ("url", "canonical_url", "source"):
        dom = _domain(_field(article, key))
        if dom:
            return dom
    return display_source(article)


def display_source(article: Any) -> str:
    """The source as readers may see it: a web address as is, a local path as its file name only."""
    source = str(_field(article, "source") or "")
    if safe_href(source) and not source.lower().startswith("mailto:"):
        return source
    if not source or source in ("-", "<memory>", "<stdin>"):
        return source or "?"
    if "://" in source:  # some other scheme (bench://, feed item ids): keep what follows the host only
        return source.split("://", 1)[1].rsplit("/", 1)[-1] or source
    return PurePath(source.replace("\\", "/")).name or source
