"""Storage behind one interface.

`Store` is the embedded SQLite implementation (WAL, versioned migrations, FTS5). Each stage owns one
mixin module here holding its tables and queries; `Store` composes them. A PostgreSQL store can later
implement the same public methods.
"""

from __future__ import annotations

from storyline.store.analysis import AnalysisStore
from storyline.store.articles import ArticleStore
from storyline.store.base import BaseStore, StoreError, default_db_path
from storyline.store.entities import EntityStore
from storyline.store.quotes import QuoteStore
from storyline.store.search import SearchStore
from storyline.store.stories import StoryStore
from storyline.store.summaries import SummaryStore
from storyline.store.timeline import TimelineStore


class Store(AnalysisStore, ArticleStore, EntityStore, QuoteStore, StoryStore, TimelineStore, SummaryStore,
            SearchStore, BaseStore):
    """The embedded store: one SQLite file. (AnalysisStore comes first so its migrations run last:
    they read the articles and story tables.)"""


def open_store(path=None, **kwargs) -> Store:
    return Store(path, **kwargs)


__all__ = ["Store", "StoreError", "open_store", "default_db_path"]
