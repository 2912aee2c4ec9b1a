"""The `[entities]` config section (defaults live here, next to the code that uses them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EntitySettings:
    # "trained" (the spaCy pipelines shipped in the package), "rules" (the hand-written recogniser,
    # also called "offline") or "transformers"
    backend: str = "trained"
    # trained backend: a spaCy pipeline folder (from `storyline train ner`) used for every language
    # instead of the shipped ones; transformers backend: a local path or a model already in the HF cache
    model: str = ""
    # trained backend: the rules kept as a post-pass (any of roles, split, territories, evidence; or
    # "none"); "territories" is off by default: it lowered F1 on every dev file (see docs/NER.md)
    post_rules: str = "roles,split,evidence"
    device: str = "cpu"
    batch_size: int = 16
    # cross-article misspelling merge: both name similarity AND shared context must reach these
    fuzzy_name_threshold: float = 0.80
    fuzzy_context_threshold: float = 0.30
    # cap on how many articles of a candidate entity are read to build its context (keeps adds fast)
    context_articles: int = 200
