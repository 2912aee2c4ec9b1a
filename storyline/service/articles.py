"""One article with what the stages know of it (`storyline show`, `GET /api/articles/{id}`, the
article page): its dating (own date, else the window inferred from its story), mentions, quotes and
the story holding it. Stages a store lacks just give nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyline.explain.dating import Dating, dating
from storyline.model import Article, Mention, Quote, Story

if TYPE_CHECKING:
    from storyline.store import Store


@dataclass
class ArticleView:
    article: Article
    dating: Dating
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    story: Story | None = None


def _optional(store: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """`store.method(...)`, or None where the store has no such stage."""
    fn = getattr(store, method, None)
    return fn(*args, **kwargs) if callable(fn) else None


def article_view(store: Store, article_id: str, *, annotations: bool = True) -> ArticleView | None:
    """The article and its dating; with `annotations`, also its mentions, quotes and story."""
    art = store.get_article(article_id)
    if art is None:
        return None
    view = ArticleView(article=art, dating=dating(art, _optional(store, "article_date_window", art.id)))
    if annotations:
        view.mentions = list(_optional(store, "mentions", art.id) or [])
        view.quotes = list(_optional(store, "list_quotes", article_id=art.id) or [])
        story = _optional(store, "story_of_article", art.id)
        view.story = _optional(store, "get_story", story) if isinstance(story, str) else story
    return view
