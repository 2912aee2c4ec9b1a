"""Quotes, filtered by speaker, story, language or article."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from storyline.serve.api.common import DataDep, Limit, Offset, page

router = APIRouter(tags=["quotes"])


@router.get("/quotes")
def list_quotes(data: DataDep, speaker: str | None = None, story_id: str | None = None, lang: str | None = None,
                article_id: str | None = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page(data.quotes(speaker=speaker, story_id=story_id, lang=lang, article_id=article_id), limit, offset)
