"""Stories, their events and timeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from storyline.serve.api.common import DataDep, Limit, Offset, not_found, page
from storyline.serve.data import to_dict

router = APIRouter(tags=["stories"])


@router.get("/stories")
def list_stories(data: DataDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page(data.stories(), limit, offset)


@router.get("/stories/{story_id}")
def get_story(story_id: str, data: DataDep) -> dict[str, Any]:
    """The story; a merged-away id answers with the surviving story and says so in `merged_from`."""
    view = data.story_view(story_id)
    if view is None:
        raise not_found("story", story_id)
    out = to_dict(view.story)
    out["merged_from"] = view.merged_from
    out["events"] = to_dict(view.events)
    current = view.summary  # reviewed, else the newest draft; drafts: /api/summaries
    out["summary"] = None if current is None else to_dict(current) | {"reviewed": current.status in
                                                                      ("approved", "edited")}
    out["summaries"] = [out["summary"]] if current is not None else []  # kept for clients of the list form
    return out


@router.get("/stories/{story_id}/timeline")
def story_timeline(story_id: str, data: DataDep, lang: str | None = None) -> dict[str, Any]:
    ref = data.find_story(story_id)
    if ref is None:
        raise not_found("story", story_id)
    entries = data.timeline(ref.story.id, lang=lang)
    return {"story_id": ref.story.id, "merged_from": ref.merged_from, "entries": to_dict(entries)}


@router.get("/events")
def list_events(data: DataDep, story_id: str | None = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Events in date order; of one story with `story_id` (a merged-away id: the survivor's, `merged_from` set)."""
    ref = data.find_story(story_id) if story_id else None
    out = page(data.events(ref.story.id if ref else story_id), limit, offset)
    if story_id:
        out["merged_from"] = ref.merged_from if ref else None
    return out


@router.get("/events/{event_id}")
def get_event(event_id: str, data: DataDep) -> dict[str, Any]:
    event = data.event(event_id)
    if event is None:
        raise not_found("event", event_id)
    return to_dict(event)
