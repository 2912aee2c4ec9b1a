"""Moved to `storyline.analyze.background` (the means are a property of the embedding space, read by
analyze and link alike); kept so older imports keep working."""

from storyline.analyze.background import ALL, BACKGROUND_FILE, background_for, load_background

__all__ = ["ALL", "BACKGROUND_FILE", "background_for", "load_background"]
