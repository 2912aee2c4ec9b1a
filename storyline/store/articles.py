"""Tables and queries for ingest (issue 2). Placeholder: being built."""

from __future__ import annotations


class ArticleStore:
    MIGRATIONS: dict[str, list[str]] = {}
