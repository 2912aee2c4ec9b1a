"""Tables and queries for quotes (issue 6). Placeholder: being built."""

from __future__ import annotations


class QuoteStore:
    MIGRATIONS: dict[str, list[str]] = {}
