"""Hybrid cross-lingual article search over any store (ranking, fusion, query embedding, snippets).

`search(store, query, …)` and `index_search_vectors(store, …)` use only the store's text-index and
vector primitives (see `storyline.store.interfaces`), so SQLite and PostgreSQL stores rank alike.
"""

from __future__ import annotations

from storyline.search.hybrid import (
    CANDIDATES,
    DENSE_BAND,
    DENSE_FLOOR,
    RARE_FRACTION,
    RARE_WEIGHT,
    SearchError,
    SearchHit,
    fuse,
    index_search_vectors,
    search,
)
from storyline.search.text import FUNCTION_WORDS, highlight_terms, lead_text, make_snippet, query_terms
from storyline.store.textindex import fold
from storyline.store.textindex import fts5_query as fts_query

__all__ = ["CANDIDATES", "DENSE_BAND", "DENSE_FLOOR", "FUNCTION_WORDS", "RARE_FRACTION", "RARE_WEIGHT",
           "SearchError", "SearchHit", "fold", "fts_query", "fuse", "highlight_terms", "index_search_vectors",
           "lead_text", "make_snippet", "query_terms", "search"]
