"""The one place where the API and the web UI read the store.

The other stages (entities, quotes, stories, timelines, summaries) land independently, and a store may
come from an older Storyline; every page must still render with what exists. So this layer is the only
code that asks whether a store method exists (`hasattr`), and a read that fails is logged and degrades
to "nothing" instead of a 500 page. Writes are never swallowed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

log = logging.getLogger("storyline.serve")


def public_fields(d: dict[str, Any]) -> dict[str, Any]:
    """An article dict as public views show it: `source` relative (never an absolute local path), link
    fields only with http(s)/mailto schemes (`storyline.explain.sources`)."""
    from storyline.explain.sources import display_source, safe_href

    out = dict(d)
    out["source"] = display_source(d)
    out.pop("source_display", None)
    for key in ("url", "canonical_url"):
        if key in out:
            out[key] = safe_href(out[key])
    return out


def to_dict(obj: Any) -> Any:
    """Dataclasses (and lists of them) as plain JSON-ready values."""
    if obj is None:
        return None
    if isinstance(obj, list | tuple):
        return [to_dict(o) for o in obj]
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if is_dataclass(obj):
        return asdict(obj)  # type: ignore[arg-type]
    return obj


class Unavailable(Exception):
    """A feature whose stage is not in this store (e.g. review before summaries exist)."""


class TolerantReader:
    """The store as the service layer's read views see it from the web and API: a method the store
    lacks is missing (so `hasattr` works), a read that raises is logged and gives None."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)  # AttributeError: the store has no such stage
        if not callable(attr):
            return attr

        def read(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except NotImplementedError:
                return None
            except Exception:  # a stage's bug must not take the whole page down
                log.exception("store.%s failed", name)
                return None

        return read


class Data:
    def __init__(self, store: Any) -> None:
        self.store = store
        self.reader = TolerantReader(store)  # for the service's read views; writes use self.store

    def has(self, method: str) -> bool:
        return callable(getattr(self.store, method, None))

    def _read(self, method: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        fn: Callable[..., Any] | None = getattr(self.store, method, None)
        if not callable(fn):
            return default
        try:
            result = fn(*args, **kwargs)
        except NotImplementedError:
            return default
        except Exception:  # a stage's bug must not take the whole page down
            log.exception("store.%s failed", method)
            return default
        return default if result is None else result

    # -- articles -----------------------------------------------------------------------------
    def articles(self, *, lang: str | None = None, since: str | None = None, limit: int = 50,
                 offset: int = 0) -> list[Any]:
        """Article rows without text, as dicts (whatever the store returns)."""
        rows = self._read("list_articles", [], lang=lang, since=since, limit=limit, offset=offset)
        return [r if isinstance(r, dict) else {k: v for k, v in to_dict(r).items() if k not in ("text", "paragraphs")}
                for r in rows]

    def count_articles(self) -> int:
        return int(self._read("count_articles", 0))

    def article(self, article_id: str) -> Any | None:
        return self._read("get_article", None, article_id)

    def dating(self, article: Any) -> Any:
        """The article's own date, else the window inferred from its story (`explain.dating`)."""
        from storyline.explain.dating import dating

        return dating(article, self._read("article_date_window", None, article.id))

    def titles(self, ids: list[str]) -> dict[str, Any]:
        """id -> Article for a few ids (links to sources)."""
        out = {}
        for aid in ids:
            art = self.article(aid)
            if art is not None:
                out[aid] = art
        return out

    def headers(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """id -> listing fields (title, lang, published, site_name, url, source) without the text, read
        in a few queries where the store can (big stories), else article by article."""
        if self.has("article_headers"):
            got = self._read("article_headers", None, list(ids))
            if got is not None:
                return got
        return {aid: {k: v for k, v in to_dict(a).items() if k not in ("text", "paragraphs")}
                for aid, a in self.titles(list(ids)).items()}

    def article_view(self, article_id: str) -> Any | None:
        """`storyline.service.articles.article_view`: the article with dating, mentions, quotes, story."""
        from storyline.service.articles import article_view

        return article_view(self.reader, article_id)

    def entity_view(self, id_or_name: str) -> Any | None:
        """`storyline.service.entities.entity_view`: the entity with evidence, articles and quotes."""
        from storyline.service.entities import entity_view

        return entity_view(self.reader, id_or_name)

    def mentions(self, article_id: str) -> list[Any]:
        return self._read("mentions", [], article_id)

    # -- entities -----------------------------------------------------------------------------
    def entities(self, *, type: str | None = None, article_id: str | None = None,
                 limit: int | None = None) -> list[Any]:
        return self._read("list_entities", [], type=type, article_id=article_id, limit=limit)

    def entity(self, id_or_name: str) -> Any | None:
        return self._read("get_entity", None, id_or_name)

    def entity_evidence(self, entity_id: str) -> list[dict[str, Any]]:
        return self._read("entity_evidence", [], entity_id)

    def entity_articles(self, entity_id: str) -> list[str]:
        return self._read("articles_for_entity", [], entity_id)

    def related_entities(self, entity_id: str, limit: int = 12) -> list[tuple[Any, int]]:
        """(entity, shared articles) of the entities most often named in the same articles."""
        counts = self._read("entity_context", {}, entity_id)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        out = []
        for eid, n in top:
            ent = self.entity(eid)
            if ent is not None:
                out.append((ent, n))
        return out

    def statement_rows(self, article_ids: list[str]) -> list[dict[str, Any]]:
        return self._read("statement_rows", [], article_ids)

    # -- quotes -------------------------------------------------------------------------------
    def quotes(self, *, speaker: str | None = None, story_id: str | None = None, lang: str | None = None,
               article_id: str | None = None) -> list[Any]:
        return self._read("list_quotes", [], speaker=speaker, story_id=story_id, lang=lang, article_id=article_id)

    # -- stories, events, timelines -----------------------------------------------------------
    def stories(self) -> list[Any]:
        return self._read("list_stories", [])

    def story_heads(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """article id -> {id, title, size} of its story (one read where the store can)."""
        if self.has("story_heads"):
            return self._read("story_heads", {}, list(article_ids))
        out = {}
        for aid in article_ids:
            st = self.story_of_article(aid)
            if st is not None:
                out[aid] = {"id": st.id, "title": st.title, "size": len(st.article_ids)}
        return out

    def story_updated(self) -> dict[str, str]:
        return self._read("story_updated", {})

    def story(self, story_id: str) -> Any | None:
        return self._read("get_story", None, story_id)

    def story_view(self, story_id: str, lang: str | None = None) -> Any | None:
        """`storyline.service.stories.story_view` (merged ids followed); None if missing or unreadable."""
        from storyline.service.stories import story_view

        return story_view(self.reader, story_id, lang=lang)

    def find_story(self, story_id: str) -> Any | None:
        """`storyline.service.stories.find_story`: a StoryRef (merged ids followed) or None."""
        from storyline.service.stories import find_story

        return find_story(self.reader, story_id)

    def story_version(self, story_id: str) -> Any | None:
        """A value that changes whenever the story's page would (None: no such story, or the store
        cannot tell, and then nothing is cached)."""
        return self._read("story_version", None, story_id) if self.has("story_version") else None

    def story_with_events(self, story_id: str) -> tuple[Any, list[Any]] | None:
        """(story, its events) in one read where the store can, else two."""
        if self.has("story_with_events"):
            return self._read("story_with_events", None, story_id)
        story = self.story(story_id)
        return (story, self.events(story_id)) if story is not None else None

    def events(self, story_id: str | None = None) -> list[Any]:
        return self._read("list_events", [], story_id=story_id)

    def event(self, event_id: str) -> Any | None:
        return self._read("get_event", None, event_id)

    def event_of_article(self, article_id: str) -> Any | None:
        return self._read("event_of_article", None, article_id)

    def story_of_article(self, article_id: str) -> Any | None:
        sid = self._read("story_of_article", None, article_id)
        if sid is None:
            return None
        return sid if not isinstance(sid, str) else self.story(sid)

    def timeline(self, story_id: str, lang: str | None = None, entry_ids: list[str] | None = None) -> list[Any]:
        from storyline.service.stories import timeline

        if not self.has("timeline_entry_rows"):  # a store without the timeline stage
            return []
        try:
            return timeline(self.store, story_id, lang=lang, entry_ids=entry_ids)
        except Exception:  # a stage's bug must not take the whole page down
            log.exception("timeline of %s failed", story_id)
            return []

    def timeline_outline(self, story_id: str) -> list[dict[str, Any]] | None:
        """Every entry without sources (see TimelineStore.timeline_outline); None if the store lacks it."""
        return self._read("timeline_outline", None, story_id) if self.has("timeline_outline") else None

    # -- summaries ----------------------------------------------------------------------------
    def summaries(self, *, target_id: str | None = None, status: str | None = None) -> list[Any]:
        return self._read("list_summaries", [], target_id=target_id, status=status)

    def current_summary(self, target_id: str, lang: str | None = None) -> Any | None:
        """The one summary public views show: the newest reviewed one, else the newest draft (labelled
        unreviewed); older drafts are only in the review queue (`storyline.explain.review.pick_current`)."""
        from storyline.service.stories import public_summary

        return public_summary(self.reader, target_id, lang)

    def summary(self, summary_id: str) -> Any | None:
        return self._read("get_summary", None, summary_id)

    def review(self, summary_id: str, action: str, reviewer: str, bullets: list[Any] | None = None,
               note: str | None = None) -> Any:
        """Apply an editor's decision (`storyline.service.review`; rules in storyline.explain.review)."""
        if not self.has("record_review"):
            raise Unavailable("summary review is not available in this store")
        from storyline.service.review import review

        return review(self.store, summary_id, action, reviewer, bullets=bullets, note=note)

    # -- search -------------------------------------------------------------------------------
    def search(self, query: str, **kwargs: Any) -> list[Any]:
        if not self.has("text_search"):
            raise Unavailable("search is not available in this store")
        from storyline.service.search import search

        return search(self.store, query, **kwargs)
