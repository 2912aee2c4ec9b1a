"""Analysis progress: what each step still has to do, and the background drain thread's state."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

router = APIRouter(tags=["status"])


@router.get("/status")
def status(request: Request) -> dict[str, Any]:
    """Pending and failed articles per analysis step (as `storyline status`); `drain` is the
    background queue's thread under `serve` (null when none runs)."""
    store = request.app.state.store
    drain = getattr(request.app.state, "drain", None)
    return {"analysis": store.analysis_status(), "drain": drain.state() if drain is not None else None}
