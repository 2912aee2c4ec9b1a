"""Tables and queries for events and stories (issue 7). Placeholder: being built."""

from __future__ import annotations


class StoryStore:
    MIGRATIONS: dict[str, list[str]] = {}
