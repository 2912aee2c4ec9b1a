"""JSON API under /api, one router module per area."""

from __future__ import annotations

from fastapi import APIRouter

from storyline.serve.api import articles, entities, ingest, quotes, search, status, stories, summaries


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api")
    for module in (articles, stories, entities, quotes, search, summaries, ingest, status):
        router.include_router(module.router)
    return router
