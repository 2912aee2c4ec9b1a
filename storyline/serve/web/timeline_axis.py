"""The visual timeline, computed server-side: date groups, a histogram axis with sensible ticks, zoom.

Entries that share a date are one group with a count, and the axis draws one bar per period (day, week,
month, quarter, year or decade, the finest that fits) whose height is the number of entries, so a
1,000-article story never draws overlapping dots. Ticks use the coarsest "nice" step (days to centuries)
that still gives a handful of labels, and the axis is widened to whole steps, so the first and the last
period are always labelled. Everything is numbers for an SVG (attributes, no inline style: the strict CSP
holds and the axis renders without JavaScript); each bar links to a zoom (`?from=&to=`) of its period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_skeleton

from storyline.serve.web.i18n import human_date, locale, message, parse_date, plural

WIDTH = 1000
PAD = 40
BAR_TOP = 8
BAR_BASE = 84
HEIGHT = 112
MAX_TICKS = 8
MAX_BARS = 64
MAX_BAR_W = 28.0

# (unit, step) from fine to coarse
TICK_STEPS = [("day", 1), ("day", 2), ("week", 1), ("week", 2), ("month", 1), ("month", 3), ("month", 6),
              ("year", 1), ("year", 2), ("year", 5), ("year", 10), ("year", 20), ("year", 50), ("year", 100)]
BIN_STEPS = [("day", 1), ("week", 1), ("month", 1), ("month", 3), ("year", 1), ("year", 10), ("year", 100)]


@dataclass
class DateGroup:
    key: str  # the entries' date as stored ("2024-03-04", "2024-03", "2019-W27")
    day: dt.date
    lang: str
    entries: list[Any] = field(default_factory=list)

    @property
    def label(self) -> str:  # lazily: only one page of groups is ever shown
        return human_date(self.key, self.lang, "long")

    @property
    def anchor(self) -> str:
        return "d-" + "".join(c for c in self.key if c.isalnum() or c == "-")


@dataclass
class Bar:
    x: float
    w: float
    y: float
    h: float
    count: int
    label: str
    href: str


@dataclass
class Tick:
    x: float
    label: str
    anchor: str = "middle"


def floor(d: dt.date, unit: str, step: int) -> dt.date:
    if unit == "day":
        return d
    if unit == "week":
        return d - dt.timedelta(days=d.weekday())
    if unit == "month":
        return dt.date(d.year, (d.month - 1) // step * step + 1, 1)
    return dt.date(d.year // step * step, 1, 1)


def advance(d: dt.date, unit: str, step: int) -> dt.date:
    if unit == "day":
        return d + dt.timedelta(days=step)
    if unit == "week":
        return d + dt.timedelta(weeks=step)
    if unit == "month":
        m = d.month - 1 + step
        return dt.date(d.year + m // 12, m % 12 + 1, 1)
    return dt.date(min(d.year + step, 9999), 1, 1)


_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}


def _fits(lo: dt.date, hi: dt.date, unit: str, step: int, most: int) -> bool:
    """At most `most` periods of this step between lo and hi (estimated first: cheap for long spans)."""
    if (hi - lo).days / (_UNIT_DAYS[unit] * step) > most + 2:
        return False
    return len(_points(lo, hi, unit, step)) <= most + 1


def _points(lo: dt.date, hi: dt.date, unit: str, step: int) -> list[dt.date]:
    """Period starts from the one holding `lo` through the first one after `hi`."""
    out = [floor(lo, unit, step)]
    while out[-1] <= hi and len(out) < 2000:
        out.append(advance(out[-1], unit, step))
    return out


def group_entries(entries: list[Any], lang: str) -> list[DateGroup]:
    """Entries grouped by their date, in date order (entries with no readable date are left out)."""
    groups: dict[str, DateGroup] = {}
    for e in entries:
        key = getattr(e, "date", None) or ""
        parsed = parse_date(key)
        if parsed is None:
            continue
        g = groups.get(key)
        if g is None:
            g = groups[key] = DateGroup(key=key, day=parsed[0], lang=lang)
        g.entries.append(e)
    return sorted(groups.values(), key=lambda g: (g.day, len(g.key)))  # entries arrive in date order


def parse_range(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The zoom window from `?from=` and `?to=` (ISO dates of any precision; `to` covers its whole
    period). Raises ValueError naming the bad value."""
    from storyline.analyze.dates import period_bounds

    out: list[dt.date | None] = []
    for name, value in (("from", start), ("to", end)):
        if not value:
            out.append(None)
            continue
        if parse_date(value) is None:
            raise ValueError(f"{name}: {value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        first, last = period_bounds(value)
        out.append(first if name == "from" else last)
    if out[0] and out[1] and out[0] > out[1]:
        raise ValueError("from: the zoom window starts after it ends")
    return out[0], out[1]


def in_range(groups: list[DateGroup], lo: dt.date | None, hi: dt.date | None) -> list[DateGroup]:
    return [g for g in groups if (lo is None or g.day >= lo) and (hi is None or g.day <= hi)]


def _tick_label(d: dt.date, unit: str, lang: str, with_year: bool) -> str:
    if unit == "year":
        return str(d.year)
    if unit == "month":
        return format_skeleton("yMMM", d, locale=locale(lang)) if with_year or d.month == 1 else \
            format_skeleton("MMM", d, locale=locale(lang))
    return format_skeleton("yMMMd" if with_year else "MMMd", d, locale=locale(lang))


def _period_label(d: dt.date, unit: str, step: int, lang: str) -> str:
    if unit == "day":
        return human_date(d.isoformat(), lang)
    if unit == "week":
        return message(lang, "week_of", day=human_date(d.isoformat(), lang))
    if unit == "month" and step == 1:
        return human_date(d.isoformat()[:7], lang)
    if unit == "month":
        end = advance(d, unit, step) - dt.timedelta(days=1)
        return f"{human_date(d.isoformat()[:7], lang, 'short')} – {human_date(end.isoformat()[:7], lang, 'short')}"
    if step == 1:
        return str(d.year)
    return f"{d.year}–{d.year + step - 1}"


def axis(groups: list[DateGroup], lang: str, *, lo: dt.date | None = None, hi: dt.date | None = None,
         params: dict[str, str] | None = None) -> dict[str, Any] | None:
    """Ticks and bars for the groups inside [lo, hi] (default: all of them); None when nothing is dated.
    `params` are the page's other query parameters, kept in the zoom links."""
    shown = in_range(groups, lo, hi)
    if not shown:
        return None
    first, last = lo or shown[0].day, hi or shown[-1].day
    unit, step = next(((u, s) for u, s in TICK_STEPS if _fits(first, last, u, s, MAX_TICKS)),
                      TICK_STEPS[-1])
    ticks_at = _points(first, last, unit, step)
    start, stop = ticks_at[0], ticks_at[-1]
    if unit in ("day", "week") and stop > last + dt.timedelta(days=1) and len(ticks_at) > 2:
        stop = last + dt.timedelta(days=1)  # no empty week after the last day
    span = max((stop - start).days, 1)

    def x(d: dt.date) -> float:
        return round(PAD + (d - start).days / span * (WIDTH - 2 * PAD), 1)

    crosses_years = start.year != (stop - dt.timedelta(days=1)).year
    ticks = [Tick(x(d), _tick_label(d, unit, lang, crosses_years and (i == 0 or d.month == 1 and d.day == 1)))
             for i, d in enumerate(ticks_at) if d <= stop]
    if ticks:
        ticks[0].anchor = "start" if ticks[0].x < PAD + 20 else "middle"
        if len(ticks) > 1 and ticks[-1].x > WIDTH - PAD - 20:
            ticks[-1].anchor = "end"
    b_unit, b_step = next(((u, s) for u, s in BIN_STEPS if _fits(start, stop, u, s, MAX_BARS)),
                          BIN_STEPS[-1])
    counts: dict[dt.date, int] = {}
    for g in shown:
        k = floor(g.day, b_unit, b_step)
        counts[k] = counts.get(k, 0) + len(g.entries)
    top = max(counts.values())
    keep = {k: v for k, v in (params or {}).items() if v and k not in ("from", "to", "tpage")}
    bars = []
    for k in sorted(counts):
        end = advance(k, b_unit, b_step)
        x0, x1 = x(max(k, start)), x(min(end, stop))
        h = round(max(4.0, (BAR_BASE - BAR_TOP) * counts[k] / top), 1)
        period = _period_label(k, b_unit, b_step, lang)
        href = "?" + urlencode({**keep, "from": k.isoformat(),
                                "to": (end - dt.timedelta(days=1)).isoformat()}) + "#timeline"
        w = max(3.0, min(MAX_BAR_W, x1 - x0 - 1))
        x0 = round(x0 + max(0.0, (x1 - x0 - 1 - w) / 2), 1)  # a wide period gets a centred bar
        bars.append(Bar(x=x0, w=round(w, 1), y=round(BAR_BASE - h, 1), h=h, count=counts[k],
                        label=message(lang, "tl.bar", period=period, count=plural(lang, "n.entry", counts[k])),
                        href=href))
    return {"width": WIDTH, "height": HEIGHT, "base": BAR_BASE, "pad": PAD, "bars": bars, "ticks": ticks,
            "first": human_date(shown[0].day.isoformat(), lang), "last": human_date(shown[-1].day.isoformat(), lang),
            "unit": b_unit}
