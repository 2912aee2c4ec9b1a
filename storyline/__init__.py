"""Storyline: follow news stories across languages and time."""

__version__ = "0.1.0"
