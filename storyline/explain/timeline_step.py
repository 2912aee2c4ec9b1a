"""Pipeline step "timeline": keep every affected story's timeline in line with its articles.

Runs after "cluster" and "statements". For the stories that hold the new articles (and any story
whose article set the clustering changed, e.g. by a merge), only the difference is applied: new
articles' statements are merged into the existing entries, departed articles' sources removed.
Timelines of stories that no longer exist are dropped. A grown story that has a summary gets a
fresh draft beside it (`storyline.explain.summaries.online`; reviewed summaries are never touched).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from storyline.explain.timeline import TimelineSettings, update_story

log = logging.getLogger(__name__)


def run(store, article_ids: Sequence[str], config, progress: Callable[[str, int, int], None] | None = None
        ) -> dict[str, Any]:
    settings = config.section("timeline", TimelineSettings)
    if not hasattr(store, "list_stories"):
        return {"stories": 0, "note": "no stories stage"}
    try:
        if hasattr(store, "timeline_stale_story_ids"):  # only the stories whose article set changed
            live_ids = set(store.story_updated())
            todo = [s for s in (store.get_story(sid) for sid in sorted(store.timeline_stale_story_ids() & live_ids))
                    if s is not None]
        else:
            todo = store.list_stories()
            live_ids = {s.id for s in todo}
    except Exception as exc:
        log.warning("timeline: cannot list stories (%s)", exc)
        return {"stories": 0, "error": str(exc)}
    for sid in set(store.timeline_story_ids()) - live_ids:
        store.delete_story_timeline(sid)
    totals = {"stories": 0, "added": 0, "removed": 0, "changed": 0}
    grown: list[str] = []
    for i, story in enumerate(todo):
        ids = story.article_ids or store.story_article_ids(story.id)
        report = update_story(store, story.id, ids, settings)
        if report.get("added") or report.get("removed"):
            totals["stories"] += 1
            for k in ("added", "removed", "changed"):
                totals[k] += report.get(k, 0)
            if report.get("added"):
                grown.append(story.id)
        if progress:
            progress("timeline", i + 1, len(todo))
    if grown and settings.online_summaries:
        from storyline.explain.summaries.online import refresh_grown

        totals["summary_drafts"] = refresh_grown(store, grown, config)["drafts"]
    return totals
