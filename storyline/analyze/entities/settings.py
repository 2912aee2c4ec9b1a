"""The `[entities]` config section (defaults live here, next to the code that uses them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EntitySettings:
    backend: str = "offline"  # "offline" (no downloads) or "transformers"
    model: str = ""  # transformers backend: a local path or model name already in the HF cache
    device: str = "cpu"
    batch_size: int = 16
    # cross-article misspelling merge: both name similarity AND shared context must reach these
    fuzzy_name_threshold: float = 0.80
    fuzzy_context_threshold: float = 0.30
    # cap on how many articles of a candidate entity are read to build its context (keeps adds fast)
    context_articles: int = 200
