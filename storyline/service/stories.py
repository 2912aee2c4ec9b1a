"""Stories and events as every shell shows them, with merged story ids followed to the survivor.

Clustering merges stories (`storyline.link`), and a merged-away id lives on in links, exports and
bookmarks; the store records where it went (`merged_into`). Every lookup by story id goes through
`find_story`, so the CLI, the API and the web UI all answer with the surviving story and can say
that they did (`StoryRef.merged_from`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.explain.review import pick_public
from storyline.explain.timeline_view import story_timeline
from storyline.model import Event, Story, Summary, TimelineEntry

if TYPE_CHECKING:
    from storyline.store import Store


@dataclass
class StoryRef:
    """A story found by id; `merged_from` is the id asked for when that story was merged into this one."""

    story: Story
    merged_from: str | None = None

    @property
    def redirected(self) -> bool:
        return self.merged_from is not None


@dataclass
class StoryView:
    """What a story page / `storyline story` / `GET /api/stories/{id}` shows."""

    story: Story
    events: list[Event]
    summary: Summary | None = None  # the public one: reviewed first, else the newest draft
    merged_from: str | None = None
    history: list[dict[str, Any]] | None = None


def surviving_id(store: Store, story_id: str) -> str | None:
    """The live story a merged-away id now lives in (chains followed), or None if it was not merged.

    Stores without a merge history (older or partial ones) have nothing to follow."""
    follow = getattr(store, "merged_into", None)
    if not callable(follow):
        return None
    live = follow(story_id)
    return live if live and live != story_id else None


def find_story(store: Store, story_id: str) -> StoryRef | None:
    """The story `story_id`, else the story it was merged into; None when neither exists."""
    story = store.get_story(story_id)
    if story is not None:
        return StoryRef(story)
    live = surviving_id(store, story_id)
    if live is None:
        return None
    story = store.get_story(live)
    return StoryRef(story, merged_from=story_id) if story is not None else None


def story_holding(store: Store, any_id: str) -> StoryRef | None:
    """The story behind a story id (merges followed), an event id (its story) or an article id."""
    if any_id.startswith("s-"):
        return find_story(store, any_id)
    if any_id.startswith("e-"):
        ev = store.get_event(any_id)
        story = store.get_story(ev.story_id) if ev is not None else None
    else:
        story = store.story_of_article(any_id) if hasattr(store, "story_of_article") else None
    return StoryRef(story) if story is not None else None


def public_summary(store: Store, target_id: str, lang: str | None = None) -> Summary | None:
    """The one summary public views show for a reader of `lang` (`explain.review.pick_public`):
    reviewed first, else the newest draft (labelled unreviewed)."""
    summaries = store.list_summaries(target_id=target_id) if hasattr(store, "list_summaries") else None
    return pick_public(summaries or [], lang)


def story_view(store: Store, story_id: str, *, lang: str | None = None, history: bool = False,
               holding: bool = False) -> StoryView | None:
    """The story with its events, public summary (for a reader of `lang`) and, on request, history.

    Merged story ids are followed; with `holding`, an event or article id names the story holding it."""
    ref = story_holding(store, story_id) if holding else find_story(store, story_id)
    if ref is None:
        return None
    story = ref.story
    return StoryView(story=story, events=list(store.list_events(story.id) or []),
                     summary=public_summary(store, story.id, lang),
                     merged_from=ref.merged_from,
                     history=store.story_history(story.id) if history else None)


def list_events(store: Store, story_id: str | None = None) -> tuple[list[Event], StoryRef | None]:
    """Events in date order, of one story if given (merged ids followed); LookupError if no such story."""
    if story_id is None:
        return list(store.list_events()), None
    ref = find_story(store, story_id)
    if ref is None:
        raise LookupError(f"story {story_id!r} not found")
    return list(store.list_events(ref.story.id)), ref


def timeline(store: Store, story_id: str, *, lang: str | None = None, entry_ids: list[str] | None = None,
             entity: str | None = None, top: int | None = None) -> list[TimelineEntry]:
    """The story's dated timeline, each entry's text in `lang` where a source says it (explain chooses;
    the store only holds the entries)."""
    return story_timeline(store, story_id, lang=lang, entry_ids=entry_ids, entity=entity, top=top)
