"""The stories overview: one card per story (title, one-line summary, span, last update, languages,
counts), filtered by language, date and name, sorted by latest or biggest, paged."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from storyline.explain.review import pick_public
from storyline.serve.data import Data

PAGE = 20
SORTS = ("latest", "biggest")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class StoryCard:
    story: Any
    line: str | None  # the current summary's first bullet
    updated: str | None
    reviewed: bool


def _check(params: dict[str, str]) -> None:
    for name in ("since", "until"):
        v = params.get(name) or ""
        if v and not _DATE.match(v):
            raise ValueError(f"{name}: {v!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    if (params.get("sort") or "latest") not in SORTS:
        raise ValueError(f"sort: {params.get('sort')!r} is not latest or biggest")


def build(data: Data, ui: str, params: dict[str, str]) -> dict[str, Any]:
    """Context of the stories page. Raises ValueError for a bad filter (the route answers 422)."""
    _check(params)
    every = data.stories()
    stories = list(every)
    total = len(stories)
    lang = (params.get("language") or "").strip().lower()
    since, until = params.get("since") or "", params.get("until") or ""
    name = (params.get("entity") or "").strip()
    if lang:
        stories = [s for s in stories if lang in [x.lower() for x in s.languages or []]]
    if since:
        stories = [s for s in stories if (s.end or s.start or "")[:len(since)] >= since]
    if until:
        stories = [s for s in stories if (s.start or s.end or "9999")[:len(until)] <= until]
    if name:
        ent = data.entity(name)
        ids = set(data.entity_articles(ent.id)) if ent is not None else set()
        folded = name.casefold()
        stories = [s for s in stories if ids & set(s.article_ids)
                   or any(folded == e.casefold() for e in s.top_entities or [])]
    sort = params.get("sort") or "latest"
    if sort == "biggest":
        stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    else:
        stories.sort(key=lambda s: (s.end or s.start or "", s.id), reverse=True)
    pages = max(1, math.ceil(len(stories) / PAGE))
    try:
        page = min(max(int(params.get("page") or 1), 1), pages)
    except ValueError:
        page = 1
    shown = stories[(page - 1) * PAGE:page * PAGE]
    updated = data.story_updated()
    by_target: dict[str, list[Any]] = {}
    for m in data.summaries():
        by_target.setdefault(m.target_id, []).append(m)
    cards = []
    for s in shown:
        cur = pick_public(by_target.get(s.id, []), ui)
        line = cur.bullets[0].text if cur is not None and cur.bullets else None
        cards.append(StoryCard(story=s, line=line, updated=(updated.get(s.id) or "")[:10] or None,
                               reviewed=cur is not None and cur.status in ("approved", "edited")))
    keep = {k: v for k, v in params.items() if v and k != "page"}

    def href(n: int) -> str:
        return "/?" + urlencode({**keep, "page": n}) if n > 1 else "/?" + urlencode(keep)

    languages = sorted({lg for s in every for lg in s.languages or []})
    return {"cards": cards, "total": total, "matching": len(stories), "sort": sort,
            "filters": {"lang": lang, "since": since, "until": until, "entity": name},
            "filtered": bool(lang or since or until or name), "languages": languages,
            "paging": {"page": page, "pages": pages, "prev": href(page - 1) if page > 1 else None,
                       "next": href(page + 1) if page < pages else None},
            "sort_links": {s: "/?" + urlencode({**{k: v for k, v in keep.items() if k != "sort"}, "sort": s})
                           for s in SORTS}}
