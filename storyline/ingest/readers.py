"""Read one input (file, stdin, URL) into RawDocs, dispatching on extension, content type or content."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from storyline.ingest.errors import IngestError
from storyline.ingest.rawdoc import RawDoc
from storyline.ingest.settings import IngestSettings
from storyline.ingest.sources import Input, format_for_path

if TYPE_CHECKING:
    from storyline.ingest.fetch import AddressPolicy


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n} bytes"


def sniff_format(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and (b"<rss" in head or b"<feed" in head or b"<rdf" in head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head:
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first = data.lstrip().split(b"\n", 1)[0].strip()
        return "jsonl" if first.endswith(b"}") and b"\n{" in data.strip() else "json"
    return "txt"


def read_file_bytes(path: str, settings: IngestSettings) -> bytes:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise IngestError(path, f"cannot read ({exc.strerror})") from None
    if size > settings.max_bytes:
        raise IngestError(path, f"file is {_mb(size)}, over the {_mb(settings.max_bytes)} size cap "
                                "(raise [ingest] max_bytes to allow it)")
    try:
        with open(path, "rb") as fh:
            return fh.read(settings.max_bytes + 1)
    except OSError as exc:
        raise IngestError(path, f"cannot read ({exc.strerror})") from None


def read_stdin(settings: IngestSettings) -> bytes:
    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise IngestError("-", f"standard input is over the {_mb(settings.max_bytes)} size cap")
    return data


def parse(data: bytes, fmt: str, source: str, settings: IngestSettings, *, fetch: bool = False,
          allow_private: bool = False, base_url: str | None = None,
          address_allowed: AddressPolicy | None = None) -> Iterator[RawDoc | IngestError]:
    if fmt == "txt":
        from storyline.ingest.txt import read_txt

        yield read_txt(data, source)
    elif fmt == "html":
        from storyline.ingest.html import read_html

        yield read_html(data, source, url=base_url)
    elif fmt in ("json", "jsonl"):
        from storyline.ingest.jsonfmt import read_json

        yield from read_json(data, source, lines=(fmt == "jsonl"))
    elif fmt == "feed":
        from storyline.ingest.feeds import read_feed

        yield from read_feed(data, source, settings, fetch=fetch, allow_private=allow_private,
                             address_allowed=address_allowed)
    else:  # pragma: no cover - formats come from FORMATS/sniff_format
        raise IngestError(source, f"unsupported format {fmt}")


def read_input(item: Input, settings: IngestSettings, *, fetch: bool = False, allow_private: bool = False,
               address_allowed: AddressPolicy | None = None) -> Iterator[RawDoc | IngestError]:
    """RawDocs of one input; `address_allowed` replaces the public-address policy for every fetch."""
    if item.kind == "stdin":
        data = read_stdin(settings)
        if not data.strip():
            raise IngestError("-", "standard input is empty")
        yield from parse(data, sniff_format(data), "-", settings, fetch=fetch, allow_private=allow_private,
                         address_allowed=address_allowed)
        return
    if item.kind == "url":
        from storyline.ingest.fetch import fetch_url

        page = fetch_url(item.ref, settings, allow_private=allow_private, address_allowed=address_allowed)
        fmt = page.format or sniff_format(page.body)
        for doc in parse(page.body, fmt, item.ref, settings, fetch=fetch, allow_private=allow_private,
                         base_url=page.url, address_allowed=address_allowed):
            if isinstance(doc, RawDoc) and fmt in ("txt", "html"):
                doc.url = doc.url or page.url
                doc.canonical_url = doc.canonical_url or page.url
            yield doc
        return
    data = read_file_bytes(item.ref, settings)
    fmt = format_for_path(item.ref) or sniff_format(data)
    if not data.strip():
        raise IngestError(item.ref, "empty file" if not data else "empty file (only whitespace)")
    yield from parse(data, fmt, item.ref, settings, fetch=fetch, allow_private=allow_private,
                     address_allowed=address_allowed)
