"""Cross-lingual hybrid search."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool

from storyline.explain.sources import display_source
from storyline.search import SearchError
from storyline.serve.api.common import DataDep, Limit, Offset
from storyline.serve.data import Unavailable, to_dict

router = APIRouter(tags=["search"])


@router.get("/search")
async def search(data: DataDep, q: Annotated[str, Query(min_length=1, max_length=500)], lang: str | None = None,
                 since: str | None = None, until: str | None = None, entity: str | None = None,
                 story: str | None = None, source: str | None = None,
                 mode: Literal["hybrid", "bm25", "dense"] = "hybrid", limit: Limit = 10,
                 offset: Offset = 0) -> dict[str, Any]:
    try:
        hits = await run_in_threadpool(data.search, q, lang=lang, since=since, until=until, entity=entity,
                                       story=story, source=source, limit=limit, offset=offset, mode=mode)
    except SearchError as exc:
        raise HTTPException(400, str(exc)) from exc
    except Unavailable as exc:
        raise HTTPException(501, str(exc)) from exc
    items = to_dict(hits)
    for item in items:  # the hit's source as public views show it (no absolute local path)
        art = data.article(item.get("article_id")) if isinstance(item, dict) and "source" in item else None
        if art is not None:
            item["source"] = display_source(art)
    return {"query": q, "items": items, "limit": limit, "offset": offset}
