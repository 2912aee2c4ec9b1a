"""Summaries that follow their story as articles arrive.

A story somebody has summarised (in any language) gets a fresh draft, in each language it was
summarised in, whenever the pipeline adds articles to it; stories nobody asked about are left alone
(a summary costs embedding time, and most stories of a large feed are never opened). The store keeps
reviewed summaries untouched (`save_summary` gives a new draft its own id beside them, and replaces
only an older unreviewed draft), so an editor's approved text stays what readers see
(`review.pick_public`), while `newer_draft` offers the fresher machine draft to the desk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from storyline.explain.summaries.base import SummaryError
from storyline.model import Summary

log = logging.getLogger(__name__)
REVIEWED = ("approved", "edited")


def refresh_grown(store, story_ids: Iterable[str], config=None) -> dict[str, Any]:
    """New drafts for grown stories that already have a summary; returns what was done."""
    from storyline.explain.summaries.generate import summarize_target

    made, failed = [], []
    if not hasattr(store, "list_summaries"):
        return {"drafts": 0}
    for sid in story_ids:
        existing = [s for s in store.list_summaries(target_id=sid) if s.status != "rejected"]
        for lang in sorted({s.lang for s in existing}, key=lambda x: x or ""):
            try:
                made.append(summarize_target(store, sid, config, lang=lang).id)
            except SummaryError as exc:  # e.g. a backend that is down: the old summary stays
                log.warning("summary of %s (%s) not refreshed: %s", sid, lang, exc)
                failed.append(sid)
    return {"drafts": len(made), "failed": len(failed)}


def newer_draft(summaries: Iterable[Summary], lang: str | None = None) -> Summary | None:
    """The draft to offer beside a reviewed summary: the newest draft made after the newest review
    (same language when given); None when nothing reviewed or nothing newer."""
    pool = [s for s in summaries if lang is None or s.lang == lang]
    reviewed = [s for s in pool if s.status in REVIEWED]
    if not reviewed:
        return None
    last = max(s.reviewed_at or s.created_at or "" for s in reviewed)
    # ">=": timestamps are to the second, and the store keeps at most one draft per target and language
    drafts = [s for s in pool if s.status == "draft" and (s.created_at or "") >= last]
    return max(drafts, key=lambda s: s.created_at or "") if drafts else None
