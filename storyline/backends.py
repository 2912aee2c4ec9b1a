"""Loading optional backends (registered in `storyline.registry.BACKENDS`).

A backend is named in config (`[embeddings] backend = "sentence-transformers"`, `[entities] backend =
"transformers"`, `[summaries] backend = "llm"`) and built here by import path, so heavy optional
packages (torch, transformers, sentence-transformers) are imported only when chosen.
"""

from __future__ import annotations

from typing import Any

from storyline import registry

EMBEDDERS = registry.BACKENDS["embeddings"]
NER = registry.BACKENDS["entities"]
SUMMARIZERS = registry.BACKENDS["summaries"]

#: kind -> name -> import path (a view of `storyline.registry.BACKENDS`)
REGISTRIES = registry.BACKENDS


class BackendError(Exception):
    """A backend that is unknown, not installed or misconfigured; the message says how to fix it."""


def load_backend(kind: str, name: str) -> Any:
    """Return the class registered as `name` for `kind` (imported lazily)."""
    names = REGISTRIES[kind]
    try:
        target = names[name]
    except KeyError as exc:
        raise BackendError(f"unknown {kind} backend {name!r}; choose one of: {', '.join(names)}") from exc
    return registry.load(target)
