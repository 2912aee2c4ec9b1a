"""Tables and queries for summaries and review (issue 4). Placeholder: being built."""

from __future__ import annotations


class SummaryStore:
    MIGRATIONS: dict[str, list[str]] = {}
