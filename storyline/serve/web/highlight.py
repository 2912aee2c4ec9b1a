"""Build highlighted HTML from character offsets, escaping every piece of text.

Article text is hostile input: highlights are never made by string-replacing into the raw text.
The text is cut at every annotation boundary; each piece is escaped by markupsafe and wrapped in
markup we generate, so nothing from the article can become a tag or attribute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape


@dataclass
class Span:
    start: int
    end: int
    kind: str  # "entity" | "quote"
    ref: str | None = None  # entity id / quote id
    label: str | None = None  # tooltip


def marked_snippet(snippet: str, marks: Iterable[tuple[int, int]] | None) -> Markup:
    """A search snippet with its matched words in <mark>."""
    out, pos = [], 0
    for s, e in sorted(marks or []):
        if s < pos or e > len(snippet) or s >= e:
            continue
        out.append(escape(snippet[pos:s]))
        out.append(Markup("<mark>") + escape(snippet[s:e]) + Markup("</mark>"))
        pos = e
    out.append(escape(snippet[pos:]))
    return Markup("").join(out)


def _open(span: Span) -> Markup:
    title = Markup(' title="{}"').format(span.label) if span.label else Markup("")
    if span.kind == "entity" and span.ref:
        return Markup('<a class="ent" href="/entities/{}"{}>').format(quote(span.ref, safe=""), title)
    if span.kind == "entity":
        return Markup('<span class="ent"{}>').format(title)
    return Markup('<span class="quote"{}>').format(title)


def _close(span: Span) -> Markup:
    return Markup("</a>") if span.kind == "entity" and span.ref else Markup("</span>")


def highlight_text(text: str, start: int, end: int, spans: list[Span], anchors: dict[int, str],
                   cited: tuple[int, int] | None = None) -> Markup:
    """HTML of text[start:end] with `spans` (clipped, overlaps resolved: quotes may hold entities,
    an entity overlapping an earlier entity is dropped), empty anchors (`id`) at given offsets, and
    the `cited` sentence (offsets) marked as the one a citation points at."""
    quotes = sorted((s for s in spans if s.kind == "quote" and s.end > start and s.start < end),
                    key=lambda s: (s.start, -s.end))
    ents: list[Span] = []
    for s in sorted((s for s in spans if s.kind == "entity" and s.end > start and s.start < end),
                    key=lambda s: (s.start, -s.end)):
        if ents and s.start < ents[-1].end:
            continue
        ents.append(s)
    cuts = {start, end}
    for s in quotes + ents:
        cuts.update((max(start, s.start), min(end, s.end)))
    cuts.update(a for a in anchors if start <= a < end)
    if cited:
        cuts.update(c for c in cited if start <= c <= end)
    points = sorted(cuts)
    out: list[Markup] = []
    for a, b in zip(points, points[1:], strict=False):
        if a in anchors:
            out.append(Markup('<span class="anchor" id="{}"></span>').format(anchors[a]))
        piece = escape(text[a:b])
        ent = next((s for s in ents if s.start <= a and b <= s.end), None)
        if ent:
            piece = _open(ent) + piece + _close(ent)
        q = next((s for s in quotes if s.start <= a and b <= s.end), None)
        if q:
            piece = _open(q) + piece + _close(q)
        if cited and cited[0] <= a and b <= cited[1]:
            piece = Markup('<mark class="cited">') + piece + Markup("</mark>")
        out.append(piece)
    return Markup("").join(out)
