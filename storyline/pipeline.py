"""Runs the analysis stages over newly stored articles, in data-flow order.

Ingest stores articles; then each step takes the store and the ids of the articles to process and
adds its annotations: entities → quotes → events/stories → dated statements → timelines. A step is
`run(store, article_ids, config, progress=None) -> dict` (a small report; `progress`, when
given, is called as `progress(step_name, done, total)`) and is declared in `storyline.registry`
by import path, with what it requires and assigns, so which steps run is configuration, not code
edits (`[pipeline] steps = [...]`).

What each article still needs is durable (`storyline.store.analysis`): ingest records every
configured step as pending, `_run_step` marks the step done (or failed, with the reason) once it
returns, and `run_pending` finishes whatever an interrupted or skipped run left. Steps are
idempotent over articles they already handled, so re-running a step cut short mid-way is safe.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline import registry
from storyline.config import Config

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
FAULT_ENV = "STORYLINE_FAULT_KILL"

#: step name -> import path of its `run`, in data-flow order (a view of `storyline.registry.STEPS`,
#: where each step also declares what it requires and assigns)
STEPS: dict[str, str] = {s.name: s.target for s in registry.STEPS}
#: steps no online decision waits for: with `[pipeline] defer_background = true`, ingest leaves them
#: pending and `storyline analyze` or `serve` drains them (progress in `storyline status`)
BACKGROUND_STEPS: tuple[str, ...] = tuple(s.name for s in registry.STEPS if s.background)
#: characters of a text the steps analyse by default (`[pipeline] max_analysed_chars`)
DEFAULT_MAX_CHARS = 100_000


@dataclass
class PipelineSettings:
    steps: list[str] = field(default_factory=lambda: list(STEPS))
    defer_background: bool = False
    #: characters of a text the steps analyse (the rest stays stored and searchable; 0 = all)
    max_analysed_chars: int = DEFAULT_MAX_CHARS


def load_step(name: str) -> Callable[..., dict[str, Any]]:
    try:
        target = STEPS[name]
    except KeyError as exc:
        raise ValueError(f"unknown pipeline step {name!r}; known: {', '.join(STEPS)}") from exc
    return registry.load(target)


def configured_steps(config: Config | None) -> list[str]:
    """The step names `[pipeline] steps` selects, in data-flow order."""
    if config is None:
        return list(STEPS)
    return list(config.section("pipeline", PipelineSettings).steps)


def defer_background(config: Config | None) -> bool:
    return bool(config is not None and config.section("pipeline", PipelineSettings).defer_background)


def fault_point(name: str, done: int) -> None:
    """Crash-test hook: `STORYLINE_FAULT_KILL=<name>:<n>` SIGKILLs this process when `name` reaches n.

    `name` is a step name (as passed to `progress`) or "ingest" (articles committed). Used by the
    kill-and-resume tests to stop a real process at an exact point; unset, it costs one lookup.
    """
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    where, _, count = spec.rpartition(":")
    if where == name and count.isdigit() and done >= int(count):
        os.kill(os.getpid(), signal.SIGKILL)


def _with_fault_hook(progress: ProgressFn | None) -> ProgressFn | None:
    if not os.environ.get(FAULT_ENV):
        return progress

    def hooked(step: str, done: int, total: int) -> None:
        if progress is not None:
            progress(step, done, total)
        fault_point(step, done)

    return hooked


def _run_step(store, name: str, ids: list[str], config: Config, progress: ProgressFn | None) -> dict[str, Any]:
    """Run one step over `ids` and record in the store which of them it finished or failed."""
    step = load_step(name)
    record = hasattr(store, "mark_done")
    try:
        report = step(store, ids, config, progress=progress) or {}
    except Exception as exc:  # one failing step must not lose the others' work (articles stay stored)
        log.exception("pipeline step %s failed", name)
        reason = f"{type(exc).__name__}: {exc}"
        if record:
            store.mark_failed(name, {aid: reason for aid in ids})
        return {"error": reason}
    if record:
        failed = {f["article_id"]: str(f.get("reason") or "failed") for f in report.get("failures") or ()
                  if isinstance(f, dict) and f.get("article_id")}
        store.mark_done(name, [aid for aid in ids if aid not in failed])
        store.mark_failed(name, failed)
    return report


def _one_analysis_at_a_time(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run under the store's `exclusive("analysis")` lock: two processes (two ingests, serve and the
    CLI) analyse one after the other, each seeing what the other stored (see BaseStore.exclusive)."""
    @functools.wraps(fn)
    def locked(store: Any, *args: Any, **kwargs: Any) -> Any:
        exclusive = getattr(store, "exclusive", None)
        with exclusive("analysis") if exclusive is not None else contextlib.nullcontext():
            return fn(store, *args, **kwargs)
    return locked


@_one_analysis_at_a_time
def run_pipeline(store, article_ids: Sequence[str], config: Config, *, steps: Sequence[str] | None = None,
                 progress: ProgressFn | None = None) -> dict[str, dict[str, Any]]:
    """Run the configured steps over `article_ids` (new or changed articles), in order."""
    names = list(steps) if steps is not None else configured_steps(config)
    progress = _with_fault_hook(progress)
    reports: dict[str, dict[str, Any]] = {}
    for name in names:
        reports[name] = _run_step(store, name, list(article_ids), config, progress)
    return reports


def pending_counts(store, config: Config | None, *, include_failed: bool = False) -> dict[str, int]:
    """How many articles each configured step still has to process."""
    if not hasattr(store, "analysis_pending"):
        return {}
    return {name: len(store.analysis_pending(name, include_failed=include_failed))
            for name in configured_steps(config)}


@_one_analysis_at_a_time
def run_pending(store, config: Config, *, steps: Sequence[str] | None = None, retry_failed: bool = False,
                progress: ProgressFn | None = None, background: bool | None = None) -> dict[str, dict[str, Any]]:
    """Finish what the store records as pending (interrupted or not yet run), step by step in order.

    A step runs over the articles pending for it, except those still pending for an earlier
    configured step (the order matters: quotes read the entities, clustering reads both). A step
    that failed does not hold the later ones back (they work without its output); with
    `retry_failed`, failed articles are tried again, and those that now succeed run through the
    later steps again. Steps with nothing to do are left out of the report. `background` False
    leaves `BACKGROUND_STEPS` pending (None: as `[pipeline] defer_background` says; True: run them).
    """
    configured = configured_steps(config)
    names = [n for n in configured if steps is None or n in steps]
    if background is False or (background is None and defer_background(config)):
        names = [n for n in names if n not in BACKGROUND_STEPS]
    progress = _with_fault_hook(progress)
    reports: dict[str, dict[str, Any]] = {}
    for name in names:
        ids = store.analysis_pending(name, include_failed=retry_failed)
        earlier = configured[:configured.index(name)]
        if earlier and ids:
            blocked: set[str] = set()
            for prev in earlier:
                blocked.update(store.analysis_pending(prev))
            ids = [aid for aid in ids if aid not in blocked]
        if not ids:
            continue
        retried = set(ids) - set(store.analysis_pending(name)) if retry_failed else set()
        reports[name] = _run_step(store, name, ids, config, progress) | {"pending": len(ids)}
        if retried:  # later steps ran on these without this step's output: they run again, below
            fixed = retried - {f["article_id"] for f in store.analysis_failures() if f["step"] == name}
            later = configured[configured.index(name) + 1:]
            store.mark_pending(sorted(fixed), later)
    return reports
