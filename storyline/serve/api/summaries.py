"""Summaries (read) and the editor's review actions (write, bearer token)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from storyline.serve.api.common import DataDep, Limit, Offset, not_found, page
from storyline.serve.data import Unavailable, to_dict
from storyline.serve.security import require_writer

router = APIRouter(tags=["summaries"])


class BulletIn(BaseModel):
    text: str = Field(max_length=1000)
    sources: list[str] = Field(default_factory=list, max_length=50, description="sentence ids <article_id>:<n>")


class ReviewRequest(BaseModel):
    action: Literal["approve", "edit", "reject"]
    reviewer: str = Field(min_length=1, max_length=200)
    bullets: list[str | BulletIn] | None = Field(
        default=None, max_length=50,
        description="new bullets for 'edit': {text, sources} or plain text (keeps the sources of the bullet at "
                    "the same position)")
    note: str | None = Field(default=None, max_length=2000)


@router.get("/summaries")
def list_summaries(data: DataDep, target_id: str | None = None,
                   status: Literal["draft", "approved", "edited", "rejected"] | None = None,
                   limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page(data.summaries(target_id=target_id, status=status), limit, offset)


@router.get("/summaries/{summary_id}")
def get_summary(summary_id: str, data: DataDep) -> dict[str, Any]:
    s = data.summary(summary_id)
    if s is None:
        raise not_found("summary", summary_id)
    return to_dict(s)


@router.post("/summaries/{summary_id}/review", dependencies=[Depends(require_writer)])
def review_summary(summary_id: str, body: ReviewRequest, data: DataDep) -> dict[str, Any]:
    bullets = [b if isinstance(b, str) else b.model_dump() for b in body.bullets] if body.bullets else None
    return apply_review(data, summary_id, body.action, body.reviewer, bullets, body.note)


def apply_review(data: Any, summary_id: str, action: str, reviewer: str, bullets: list[Any] | None,
                 note: str | None) -> dict[str, Any]:
    """Shared by the API and the web form: validates, applies, returns the updated summary."""
    if data.summary(summary_id) is None:
        raise not_found("summary", summary_id)
    try:
        result = data.review(summary_id, action, reviewer, bullets=bullets, note=note)
    except Unavailable as exc:
        raise HTTPException(501, str(exc)) from exc
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:  # storyline.explain.review.ReviewError: not allowed / not well formed
        raise HTTPException(409 if "cannot" in str(exc) else 400, f"review of {summary_id}: {exc}") from exc
    updated = data.summary(summary_id) or result
    return to_dict(updated)
