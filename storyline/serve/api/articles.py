"""Articles: list (by language, date) and one article with its mentions and quotes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from storyline.serve.api.common import DataDep, Limit, Offset, not_found, page
from storyline.serve.data import public_fields, to_dict

router = APIRouter(tags=["articles"])


@router.get("/articles")
def list_articles(data: DataDep, lang: str | None = None, since: str | None = None, limit: Limit = 50,
                  offset: Offset = 0) -> dict[str, Any]:
    items = [public_fields(d) for d in data.articles(lang=lang, since=since, limit=limit, offset=offset)]
    total = data.count_articles() if not lang and not since else None
    return page(items, limit, offset, total=total, already_paged=True)


@router.get("/articles/{article_id}")
def get_article(article_id: str, data: DataDep) -> dict[str, Any]:
    view = data.article_view(article_id)
    if view is None:
        raise not_found("article", article_id)
    out = public_fields(to_dict(view.article))
    out["dating"] = view.dating.to_dict()  # own date, else the inferred window, said as such
    out["mentions"] = to_dict(view.mentions)
    out["quotes"] = to_dict(view.quotes)
    out["story_id"] = getattr(view.story, "id", None)
    return out

