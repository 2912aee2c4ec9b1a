"""Tables and queries for hybrid search (issue 5). Placeholder: being built."""

from __future__ import annotations


class SearchStore:
    MIGRATIONS: dict[str, list[str]] = {}
