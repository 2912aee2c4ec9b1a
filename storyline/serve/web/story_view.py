"""What the story page shows, as plain values: the briefing (current summary with cited outlets, latest
developments), the timeline page, coverage per outlet and language, events, quotes and articles.

A story can hold thousands of articles, so the page reads article headers (no text) in a few queries,
renders one page of the timeline's date groups and collapses the long lists; the whole timeline still
shapes the axis, whose bars zoom into a period.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

from storyline.explain.review import make_label
from storyline.explain.sources import outlet_label
from storyline.serve.data import Data
from storyline.serve.web.i18n import human_date
from storyline.serve.web.timeline_axis import DateGroup, axis, group_entries, in_range, parse_range

TIMELINE_PAGE = 20  # date groups per timeline page
ARTICLE_PAGE = 20
LATEST = 4
EVENTS_OPEN = 6  # events shown before "show all"
QUOTES_OPEN = 4


def sentence_ref(ref: str) -> tuple[str, int | None]:
    """("a-…", 3) from a sentence id "a-…:3"."""
    aid, _, idx = ref.rpartition(":")
    return (aid, int(idx)) if aid and idx.isdigit() else (ref, None)


def sentence_href(article_id: str, index: int | None) -> str:
    """The article page with the sentence highlighted (`?s=`) and scrolled to (`#s-`)."""
    base = f"/articles/{quote(article_id, safe='')}"
    return base if index is None else f"{base}?s={index}#s-{index}"


@dataclass
class Citation:
    article_id: str
    index: int | None
    outlet: str
    lang: str | None
    date: str
    title: str
    href: str


def cite(article_id: str, index: int | None, headers: dict[str, dict[str, Any]], ui: str) -> Citation:
    h = headers.get(article_id) or {"source": article_id}
    return Citation(article_id=article_id, index=index, outlet=outlet_label(h), lang=h.get("lang"),
                    date=human_date(h.get("published"), ui) if h.get("published") else "",
                    title=h.get("title") or article_id, href=sentence_href(article_id, index))


@dataclass
class CoverageRow:
    label: str
    langs: list[str]
    count: int
    first: str | None
    last: str | None
    width: float = 0.0  # bar length 0..100


@dataclass
class Coverage:
    outlets: list[CoverageRow] = field(default_factory=list)
    languages: list[CoverageRow] = field(default_factory=list)
    total: int = 0

    @property
    def first_by(self) -> CoverageRow | None:
        dated = [r for r in self.outlets if r.first]
        return min(dated, key=lambda r: r.first or "") if dated else None


def coverage(article_ids: list[str], headers: dict[str, dict[str, Any]],
             outlets: dict[str, str] | None = None) -> Coverage:
    """Who covered it and when: per outlet and per language, first report first (`outlets`: labels
    already worked out per article id). Plain lists in the loop: a big story runs it once per event."""
    by_outlet: dict[str, list[Any]] = {}  # label -> [count, first, last, langs]
    by_lang: dict[str, list[Any]] = {}
    for aid in article_ids:
        h = headers.get(aid)
        if h is None or h.get("duplicate_of"):
            continue
        day = (h.get("published") or "")[:10] or None
        lang = h.get("lang") or "?"
        label = (outlets.get(aid) if outlets else None) or outlet_label(h)
        for table, key in ((by_outlet, label), (by_lang, lang)):
            row = table.get(key)
            if row is None:
                table[key] = [1, day, day, [lang]]
                continue
            row[0] += 1
            if lang not in row[3]:
                row[3].append(lang)
            if day:
                if row[1] is None or day < row[1]:
                    row[1] = day
                if row[2] is None or day > row[2]:
                    row[2] = day

    def rows(table: dict[str, list[Any]]) -> list[CoverageRow]:
        top = max([v[0] for v in table.values()] or [1])
        return [CoverageRow(label=k, langs=v[3], count=v[0], first=v[1], last=v[2], width=round(100 * v[0] / top, 1))
                for k, v in table.items()]

    rows_o = sorted(rows(by_outlet), key=lambda r: (r.first is None, r.first or "", -r.count, r.label))
    rows_l = sorted(rows(by_lang), key=lambda r: (-r.count, r.label))
    return Coverage(outlets=rows_o, languages=rows_l, total=sum(r.count for r in rows_o))


@dataclass
class EventView:
    event: Any
    span: str
    coverage: Coverage
    latest: Any | None = None  # the newest timeline entry citing one of its articles
    latest_cite: Citation | None = None


def _pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def _clamp(page: int, pages: int) -> int:
    return min(max(page, 1), pages)


def page_links(params: dict[str, str], key: str, page: int, pages: int, anchor: str) -> dict[str, Any]:
    keep = {k: v for k, v in params.items() if v and k != key}

    def href(n: int) -> str:
        return "?" + urlencode({**keep, key: n}) + anchor if n > 1 else ("?" + urlencode(keep) if keep else "?") + anchor

    return {"page": page, "pages": pages, "prev": href(page - 1) if page > 1 else None,
            "next": href(page + 1) if page < pages else None}


@dataclass
class OutlineEntry:
    """A timeline entry as the axis and the page's grouping need it (no source sentences)."""

    id: str
    date: str
    precision: str
    text: str
    inferred: bool = False
    article_ids: list[str] = field(default_factory=list)


def _outline(data: Data, story_id: str, lang: str | None) -> tuple[list[Any], bool]:
    """(entries, light): the light outline where the store has one, else the full timeline."""
    rows = data.timeline_outline(story_id)
    if rows is not None:
        return [OutlineEntry(**r) for r in rows], True
    full = data.timeline(story_id, lang=lang)
    for e in full:
        if not hasattr(e, "article_ids"):
            e.article_ids = list(dict.fromkeys(s.article_id for s in getattr(e, "sources", [])))
    return full, False


@dataclass
class Aggregates:
    """What a story page derives from the whole story (members, outline, coverage, events): read once
    per story version and kept, so a page of a 1,000-article story only reads what it shows."""

    story: Any
    events: list[Any]
    entries: list[Any]
    light: bool
    groups: list[DateGroup]
    newest_entry: dict[str, Any]
    headers: dict[str, dict[str, Any]]
    outlets: dict[str, str]
    views: list[EventView]
    coverage: Coverage
    articles: list[dict[str, Any]]
    axes: dict[tuple[Any, Any, str], Any] = field(default_factory=dict)


class _Cache:
    """A small LRU of values derived from one story (its page Aggregates), each valid while the
    store's `story_version` of that story is unchanged."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self.items: OrderedDict[tuple[Any, ...], tuple[Any, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], version: Any) -> Any | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is None or hit[0] != version:
                return None
            self.items.move_to_end(key)
            return hit[1]

    def put(self, key: tuple[Any, ...], version: Any, agg: Any) -> None:
        with self.lock:
            self.items[key] = (version, agg)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


CACHE = _Cache()


def aggregate(data: Data, story: Any, events: list[Any], ui: str) -> Aggregates:
    tl_lang = ui if ui in (story.languages or []) else None
    entries, light = _outline(data, story.id, tl_lang)
    event_of = {aid: ev for ev in events for aid in ev.article_ids}
    newest_entry: dict[str, Any] = {}
    for e in entries:  # date order, so later entries win
        for aid in e.article_ids:
            ev = event_of.get(aid)
            if ev is not None:
                newest_entry[ev.id] = e
    headers = data.headers(list(dict.fromkeys(story.article_ids)))
    outlets = {aid: outlet_label(h) for aid, h in headers.items()}
    views = [EventView(event=ev, span=_span(ev, ui), coverage=coverage(ev.article_ids, headers, outlets))
             for ev in events]
    arts = sorted((headers.get(a) or {"id": a} for a in story.article_ids),
                  key=lambda h: (h.get("published") or "", h.get("id") or ""), reverse=True)
    return Aggregates(story=story, events=events, entries=entries, light=light, groups=group_entries(entries, ui),
                      newest_entry=newest_entry, headers=headers, outlets=outlets, views=views,
                      coverage=coverage(story.article_ids, headers, outlets), articles=arts)


def build(data: Data, story_id: str, ui: str, params: dict[str, str]) -> dict[str, Any] | None:
    """Context of the story page, or None when there is no such story; `params` are the query
    parameters (from, to, tpage, apage). Raises ValueError for a bad zoom window."""
    lo, hi = parse_range(params.get("from"), params.get("to"))  # ValueError: the route answers 422
    version = data.story_version(story_id)
    key = (id(data), story_id, ui)
    agg = CACHE.get(key, version) if version is not None else None
    if agg is None:
        found = data.story_with_events(story_id)
        if found is None:
            return None
        agg = aggregate(data, found[0], found[1], ui)
        if version is not None:
            CACHE.put(key, version, agg)
    story, events, groups = agg.story, agg.events, agg.groups
    tl_lang = ui if ui in (story.languages or []) else None
    current = data.current_summary(story.id, ui)
    shown = in_range(groups, lo, hi)
    tpages = _pages(len(shown), TIMELINE_PAGE)
    tpage = _clamp(_int(params.get("tpage")), tpages)
    page_groups = shown[(tpage - 1) * TIMELINE_PAGE:tpage * TIMELINE_PAGE]
    latest_events = sorted(events, key=lambda ev: (ev.end or ev.start or "", ev.id), reverse=True)[:LATEST] \
        if len(events) > 1 else []
    latest_plain = [] if latest_events else [e for g in reversed(groups) for e in reversed(g.entries)][:LATEST]

    # full entries (with sources) only for what this page shows
    needed = [e.id for g in page_groups for e in g.entries]
    needed += [agg.newest_entry[ev.id].id for ev in latest_events if ev.id in agg.newest_entry]
    needed += [e.id for e in latest_plain]
    full = {e.id: e for e in data.timeline(story.id, lang=tl_lang, entry_ids=list(dict.fromkeys(needed)))} \
        if agg.light else {e.id: e for e in agg.entries}
    page_groups = [replace(g, entries=[full.get(e.id, e) for e in g.entries]) for g in page_groups]

    extra = {s.article_id for e in full.values() for s in getattr(e, "sources", [])}
    if current is not None:
        extra.update(sentence_ref(r)[0] for b in current.bullets for r in b.sources)
    missing = [a for a in extra if a not in agg.headers]
    headers = {**agg.headers, **data.headers(missing)} if missing else agg.headers
    outlets = {**agg.outlets, **{a: outlet_label(h) for a, h in headers.items() if a not in agg.outlets}} \
        if missing else agg.outlets

    def first_cite(e: Any) -> Citation | None:
        e = full.get(e.id, e)
        src = e.sources[0] if getattr(e, "sources", None) else None
        return cite(src.article_id, src.sentence_index, headers, ui) if src is not None else None

    by_id = {v.event.id: v for v in agg.views}
    latest = []
    for ev in latest_events:
        v = replace(by_id[ev.id])
        if ev.id in agg.newest_entry:
            v.latest = full.get(agg.newest_entry[ev.id].id, agg.newest_entry[ev.id])
            v.latest_cite = first_cite(v.latest)
        latest.append(v)
    bullets = [(b, [cite(*sentence_ref(r), headers, ui) for r in b.sources]) for b in current.bullets] \
        if current is not None else []
    akey = (lo, hi, repr(sorted((k, v) for k, v in params.items() if k not in ("from", "to", "tpage"))))
    if akey not in agg.axes:
        if len(agg.axes) > 16:
            agg.axes.clear()
        agg.axes[akey] = axis(groups, ui, lo=lo, hi=hi, params=params)
    arts = agg.articles
    apages = _pages(len(arts), ARTICLE_PAGE)
    apage = _clamp(_int(params.get("apage")), apages)
    quotes = data.quotes(story_id=story.id)
    return {
        "story": story, "current": current,
        "current_label": (current.label or make_label(current, ui)) if current else None,
        "reviewed": current is not None and current.status in ("approved", "edited"),
        "bullets": bullets, "latest": latest,
        "latest_entries": [(full.get(e.id, e), first_cite(e)) for e in latest_plain],
        "axis": agg.axes[akey], "groups": page_groups,
        "entry_count": len(agg.entries), "shown_count": sum(len(g.entries) for g in shown),
        "zoom": {"from": params.get("from") or "", "to": params.get("to") or "", "active": bool(lo or hi),
                 "label": _zoom_label(lo, hi, ui)},
        "tpaging": page_links(params, "tpage", tpage, tpages, "#timeline"),
        "events": agg.views, "events_open": EVENTS_OPEN, "coverage": agg.coverage,
        "all_events": params.get("events") == "all",
        "all_events_href": "?" + urlencode({**{k: v for k, v in params.items() if v}, "events": "all"}) + "#events",
        "quotes": quotes[:100], "quote_count": len(quotes), "quotes_open": QUOTES_OPEN,
        "articles": arts[(apage - 1) * ARTICLE_PAGE:apage * ARTICLE_PAGE], "article_total": len(arts),
        "apaging": page_links(params, "apage", apage, apages, "#articles"),
        "outlets": outlets, "cite": lambda aid, idx: cite(aid, idx, headers, ui),
    }


def _span(obj: Any, ui: str) -> str:
    from storyline.serve.web.i18n import human_span

    return human_span(getattr(obj, "start", None), getattr(obj, "end", None), ui)


def _zoom_label(lo: Any, hi: Any, ui: str) -> str:
    from storyline.serve.web.i18n import human_span

    if not lo and not hi:
        return ""
    return human_span(lo.isoformat() if lo else None, hi.isoformat() if hi else None, ui)


def _int(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1
