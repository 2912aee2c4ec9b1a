"""Runs the analysis stages over newly stored articles, in data-flow order.

Ingest stores articles; then each step takes the store and the ids of the articles to process and
adds its annotations: entities → quotes → events/stories → dated statements → timelines. A step is
`run(store, article_ids, config, progress=None) -> dict` (a small report; `progress`, when
given, is called as `progress(step_name, done, total)`) and is named here by
import path, so which steps run is configuration, not code edits (`[pipeline] steps = [...]`).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.config import Config

log = logging.getLogger(__name__)

STEPS: dict[str, str] = {
    "entities": "storyline.analyze.entities.step:run",
    "quotes": "storyline.analyze.quotes.step:run",
    "cluster": "storyline.link.step:run",
    "statements": "storyline.analyze.statements:run",
    "timeline": "storyline.explain.timeline_step:run",
}


@dataclass
class PipelineSettings:
    steps: list[str] = field(default_factory=lambda: list(STEPS))


def load_step(name: str) -> Callable[..., dict[str, Any]]:
    try:
        target = STEPS[name]
    except KeyError as exc:
        raise ValueError(f"unknown pipeline step {name!r}; known: {', '.join(STEPS)}") from exc
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)


def run_pipeline(store, article_ids: Sequence[str], config: Config, *, steps: Sequence[str] | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> dict[str, dict[str, Any]]:
    """Run the configured steps over `article_ids` (new or changed articles), in order."""
    names = list(steps) if steps is not None else config.section("pipeline", PipelineSettings).steps
    reports: dict[str, dict[str, Any]] = {}
    for name in names:
        step = load_step(name)
        try:
            reports[name] = step(store, list(article_ids), config, progress=progress) or {}
        except Exception as exc:  # one failing step must not lose the others' work (articles stay stored)
            log.exception("pipeline step %s failed", name)
            reports[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return reports
