"""Positions for the visual timeline: a date axis with ticks and one dot per entry.

Computed server-side as numbers for an SVG (attributes, not inline styles, so the strict CSP holds and
the axis renders without JavaScript).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

WIDTH = 1000
PAD = 30


@dataclass
class Dot:
    id: str
    x: float
    row: int
    label: str


@dataclass
class Tick:
    x: float
    label: str


def parse_day(iso: str | None) -> date | None:
    """First day of an ISO date cut to any precision ("2019", "2019-01", "2019-01-23T10:00")."""
    if not iso:
        return None
    try:
        parts = iso[:10].split("-")
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 and parts[1] else 1
        d = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


def axis(entries: list[Any]) -> dict[str, Any] | None:
    days = [(e, parse_day(getattr(e, "date", None))) for e in entries]
    days = [(e, d) for e, d in days if d is not None]
    if not days:
        return None
    lo = min(d for _, d in days).toordinal()
    hi = max(d for _, d in days).toordinal()
    span = max(hi - lo, 1)

    def x(o: int) -> float:
        return round(PAD + (o - lo) / span * (WIDTH - 2 * PAD), 1) if hi > lo else WIDTH / 2

    dots: list[Dot] = []
    rows_end: list[float] = []
    for e, d in days:
        px = x(d.toordinal())
        row = next((i for i, end in enumerate(rows_end) if px - end >= 14), len(rows_end))
        if row == len(rows_end):
            rows_end.append(px)
        rows_end[row] = px
        dots.append(Dot(id=e.id, x=px, row=min(row, 5), label=f"{e.date}: {e.text[:80]}"))
    ticks: list[Tick] = []
    first, last = date.fromordinal(lo), date.fromordinal(hi)
    if span > 2 * 365:
        for y in range(first.year, last.year + 2):
            o = date(y, 1, 1).toordinal()
            if lo <= o <= hi:
                ticks.append(Tick(x(o), str(y)))
    else:
        y, m = first.year, first.month
        while date(y, m, 1) <= last:
            o = date(y, m, 1).toordinal()
            if o >= lo:
                ticks.append(Tick(x(o), f"{y}-{m:02d}"))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if len(ticks) > 12:
            ticks = ticks[:: (len(ticks) + 11) // 12]
    if not ticks or ticks[0].x > PAD + 60:
        ticks.insert(0, Tick(x(lo), first.isoformat()))
    return {"width": WIDTH, "height": 40 + 14 * (max(d.row for d in dots) + 1), "dots": dots, "ticks": ticks,
            "first": first.isoformat(), "last": last.isoformat()}
