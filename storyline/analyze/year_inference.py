"""Year inference for an undated article by aligning its year-less dates with its story's dated ones.

Why: an article without a publication date (a pasted text, a page whose metadata was stripped) still
says "January 23" or "23. januar". Alone the year is unknowable, but the same story usually holds
dated articles whose statements carry that month and day with a year. When exactly one year fits, it
is taken; when several do (a story spanning anniversaries), the year of the most similar dated
sentence (centred embedding cosine of date-masked sentences, plus shared entities) wins, else the
year most dated statements give. The article's publication window then follows from the latest
date it states (news reports what already happened): [latest, latest + WINDOW_DAYS]. Every date
resolved this way is flagged inferred and assumed, and the window is stored with its evidence so a
reader can see why the article was placed there.

The functions here are pure (rows in, dates out); `storyline.analyze.statements.run` reads and
writes the store around them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.analyze.dates import Reference, period_bounds

WINDOW_DAYS = 7  # an article is assumed published within a week after the latest date it states
ENTITY_WEIGHT = 0.05  # added to the cosine per shared entity (at most two count)
# a year-less date resolved against a year-only reference takes that year: a leap year, so that
# "29 February" survives the probe
_PROBE_YEAR = 2000
PROBE = Reference(dt.date(_PROBE_YEAR, 1, 1), "year")

Row = dict[str, Any]


@dataclass
class AlignedDate:
    """A year-less expression of the undated article and the full date alignment gave it."""

    sentence_index: int
    expr_start: int
    expression: str
    date: str  # ISO day (or minute) with the inferred year
    evidence: list[dict[str, Any]] = field(default_factory=list)


def month_day(date: str) -> str:
    """"2019-01-23" or "2019-01-23T10:00" -> "01-23"."""
    return date[5:10]


def _score(cand: Row, other: Row) -> float:
    shared = len({e.lower() for e in cand.get("entities") or []} & {e.lower() for e in other.get("entities") or []})
    cos = 0.0
    v, w = cand.get("vector"), other.get("vector")
    if v is not None and w is not None and len(v) == len(w):
        cos = float(np.dot(v, w))
    return cos + ENTITY_WEIGHT * min(shared, 2)


def align_years(candidates: Sequence[Row], dated: Sequence[Row],
                embed: Callable[[Sequence[Row]], None] | None = None) -> list[AlignedDate]:
    """Give each year-less candidate the year of the story's dated statements with its month-day.

    `dated` are statement rows of other articles (only day/minute precision, not themselves
    inferred, are used). One article covers a short span, so the years must agree: the year that
    most (candidate, dated article) pairs support is the article's, and a candidate keeps only
    years within one of it (a recurring date, "January 10", also matches another year's article in
    a long story; such a candidate is left to the window). `embed`, when given, fills candidates'
    "vector" in place and is called only if some month-day fits several years.
    """
    by_md: dict[str, list[Row]] = {}
    for d in dated:
        if d["precision"] in ("day", "minute") and not d.get("inferred"):
            by_md.setdefault(month_day(d["date"]), []).append(d)
    matched = [(c, by_md.get(month_day(c["date"]), [])) for c in candidates]
    matched = [(c, ms) for c, ms in matched if ms]
    if not matched:
        return []
    if embed is not None and any(len({m["date"][:4] for m in ms}) > 1 for _, ms in matched):
        todo = [c for c, _ in matched if c.get("vector") is None]
        if todo:
            embed(todo)
    support: Counter[str] = Counter()
    weight: Counter[str] = Counter()
    for cand, ms in matched:
        for year in {m["date"][:4] for m in ms}:
            support[year] += len({m["article_id"] for m in ms if m["date"][:4] == year})
            weight[year] += max(_score(cand, m) for m in ms if m["date"][:4] == year)
    consensus = int(max(support, key=lambda y: (support[y], weight[y], y)))
    out = []
    for cand, ms in matched:
        ms = [m for m in ms if abs(int(m["date"][:4]) - consensus) <= 1]
        if not ms:
            continue
        votes = Counter(m["date"][:4] for m in ms)
        scored = sorted(((_score(cand, m), m) for m in ms), key=lambda t: -t[0])
        if len(votes) == 1:
            year = next(iter(votes))
        elif scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]
                                   or scored[0][1]["date"][:4] == scored[1][1]["date"][:4]):
            year = scored[0][1]["date"][:4]
        else:  # nothing tells the sentences apart: the year most statements give (then the latest)
            year = max(votes, key=lambda y: (votes[y], y))
        date = year + cand["date"][4:]
        try:
            period_bounds(date)
        except ValueError:  # 29 February in a year without it
            continue
        evidence = [{"article_id": m["article_id"], "sentence_index": m["sentence_index"], "date": m["date"],
                     "score": round(s, 3)} for s, m in scored if m["date"][:4] == year][:3]
        out.append(AlignedDate(cand["sentence_index"], cand["expr_start"], cand["expression"], date, evidence))
    return out


def window_from(aligned: Sequence[AlignedDate], days: int = WINDOW_DAYS) -> tuple[str, str] | None:
    """(start, end) ISO days of the publication window the aligned dates imply, or None."""
    if not aligned:
        return None
    latest = max(period_bounds(a.date[:10])[0] for a in aligned)
    return latest.isoformat(), (latest + dt.timedelta(days=days)).isoformat()


def evidence_of(aligned: Sequence[AlignedDate]) -> list[dict[str, Any]]:
    return [{"expression": a.expression, "sentence_index": a.sentence_index, "date": a.date,
             "matches": a.evidence} for a in aligned]
