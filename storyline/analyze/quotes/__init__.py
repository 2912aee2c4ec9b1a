"""Quotations: who said what, when (direct and indirect speech with canonical speakers)."""

from storyline.analyze.quotes.extract import extract_quotes, find_quotes

__all__ = ["extract_quotes", "find_quotes"]
