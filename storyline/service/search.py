"""Search as every shell offers it: query plus filters, a merged story id in the filter followed.

The ranking itself (BM25, dense vectors, fusion) is the search stage's; this use case only gives
the shells one call with one set of filters and errors (`SearchError`: a bad query or filter)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storyline.search import search as hybrid_search
from storyline.service.stories import surviving_id

if TYPE_CHECKING:
    from storyline.store import Store


def search(store: Store, query: str, *, lang: str | None = None, since: str | None = None,
           until: str | None = None, entity: str | None = None, story: str | None = None,
           source: str | None = None, limit: int = 10, offset: int = 0, mode: str = "hybrid",
           config: Any = None) -> list[Any]:
    """Articles matching `query` in any language, best first (SearchHit). Raises SearchError."""
    if story and store.get_story(story) is None:
        story = surviving_id(store, story) or story  # a merged-away story filters by its survivor
    kwargs: dict[str, Any] = {"lang": lang, "since": since, "until": until, "entity": entity, "story": story,
                              "source": source, "limit": limit, "offset": offset, "mode": mode}
    if config is not None:
        kwargs["config"] = config
    return hybrid_search(store, query, **kwargs)
