"""Tables and queries for entities (issue 3). Placeholder: being built."""

from __future__ import annotations


class EntityStore:
    MIGRATIONS: dict[str, list[str]] = {}
