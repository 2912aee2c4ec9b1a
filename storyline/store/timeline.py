"""Tables and queries for dated statements and timelines (issue 4). Placeholder: being built."""

from __future__ import annotations


class TimelineStore:
    MIGRATIONS: dict[str, list[str]] = {}
