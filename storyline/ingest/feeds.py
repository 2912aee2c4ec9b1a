"""RSS/Atom feeds via feedparser: one article per entry; with `fetch`, the linked page instead.

An entry's date (published, else updated) has origin "feed". A fetched page's own metadata date
wins over the feed's. A file that is not XML at all is refused with feedparser's parser error.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from storyline.ingest.errors import IngestError
from storyline.ingest.jsonfmt import html_to_lines
from storyline.ingest.pubdate import cut
from storyline.ingest.rawdoc import RawDoc
from storyline.ingest.settings import IngestSettings

if TYPE_CHECKING:
    from storyline.ingest.fetch import AddressPolicy


def _entry_date(entry: dict) -> tuple[str, str, str] | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        st = entry.get(key)
        if st:
            dt = datetime(*st[:6])
            return cut(dt, "minute"), "minute", "feed"
    return None


def read_feed(data: bytes, source: str, settings: IngestSettings, *, fetch: bool = False,
              allow_private: bool = False, address_allowed: AddressPolicy | None = None
              ) -> Iterator[RawDoc | IngestError]:
    import feedparser

    parsed = feedparser.parse(data)
    version = parsed.get("version") or ""
    if not version or (parsed.get("bozo") and not parsed.entries):
        exc = parsed.get("bozo_exception")
        detail = f" ({str(exc).splitlines()[0][:100]})" if exc else ""
        raise IngestError(source, f"not an RSS/Atom feed: the content is not valid feed XML{detail}")
    if not parsed.entries:
        raise IngestError(source, "feed has no entries")
    site = parsed.feed.get("title") or None
    for i, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        ref = f"{source}#{link or i}"
        published = _entry_date(entry)
        if fetch and link:
            from storyline.ingest.fetch import FetchError, fetch_url
            from storyline.ingest.html import read_html

            try:
                page = fetch_url(link, settings, allow_private=allow_private, address_allowed=address_allowed)
                doc = read_html(page.body, ref, url=page.url)
            except (FetchError, IngestError) as exc:
                yield IngestError(ref, f"linked page: {exc.reason if isinstance(exc, IngestError) else exc}")
                continue
            doc.published = doc.published or published
            doc.title = doc.title or entry.get("title")
            if site and (not doc.site_name or doc.site_name.lower() == (urlsplit(page.url).netloc or "").lower()):
                doc.site_name = site  # the feed's title beats a host name guessed from the URL
            yield doc
            continue
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry["content"]), key=len)
        content = content or entry.get("summary", "") or entry.get("description", "")
        if not content.strip():
            yield IngestError(ref, "feed entry has no text (use --fetch to read the linked page)")
            continue
        author = entry.get("author") or None
        yield RawDoc(source=ref, lines=html_to_lines(content), title=entry.get("title") or None, url=link,
                     canonical_url=link, author=author, site_name=site, published=published,
                     lang=entry.get("language") or parsed.feed.get("language"))
