"""Entities: list (by type / article) and one entity with its evidence, articles and quotes."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from storyline.serve.api.common import DataDep, Limit, Offset, not_found, page
from storyline.serve.data import to_dict

router = APIRouter(tags=["entities"])


@router.get("/entities")
def list_entities(data: DataDep, type: Literal["PER", "ORG", "LOC"] | None = None,
                  article_id: str | None = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page(data.entities(type=type, article_id=article_id), limit, offset)


@router.get("/entities/{entity_id}")
def get_entity(entity_id: str, data: DataDep) -> dict[str, Any]:
    view = data.entity_view(entity_id)
    if view is None:
        raise not_found("entity", entity_id)
    out = to_dict(view.entity)
    out["evidence"] = to_dict(view.evidence)
    out["articles"] = view.article_ids
    out["quotes"] = to_dict(view.quotes)
    return out


@router.get("/entities/{entity_id}/timeline")
def entity_timeline(entity_id: str, data: DataDep, lang: str | None = None,
                    story_id: str | None = None) -> dict[str, Any]:
    """What the entity did and said, in date order across stories (or one story), each entry citing
    its sources (`storyline.explain.timeline_view.entity_timeline`)."""
    from storyline.explain.timeline_view import entity_timeline as build

    ent = data.entity(entity_id)
    if ent is None:
        raise not_found("entity", entity_id)
    entries = build(data.store, ent.name, [story_id] if story_id else None, lang=lang)
    return {"entity_id": ent.id, "name": ent.name, "entries": to_dict(entries)}
