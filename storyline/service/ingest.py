"""Ingest-and-analyse: the one way new articles enter a store, for `storyline ingest`, `storyline demo`
and the upload API.

Ingest stores the articles and records every configured step as pending for them in the same
transaction; the analysis then finishes whatever the store records as pending (these articles and
whatever an interrupted earlier run left), so every caller leaves the store in the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyline.config import Config
from storyline.pipeline import ProgressFn, run_pending

if TYPE_CHECKING:
    from storyline.ingest.api import IngestReport
    from storyline.ingest.api import ProgressFn as IngestProgressFn
    from storyline.store import Store


Prepare = Callable[["Store", list[str], Config], dict[str, dict[str, Any]]]


@dataclass
class IngestOutcome:
    report: IngestReport
    analysis: dict[str, dict[str, Any]] = field(default_factory=dict)  # step name -> its report

    @property
    def failed_steps(self) -> list[str]:
        return [name for name, rep in self.analysis.items() if "error" in rep]

    @property
    def ok(self) -> bool:
        """No input failed and no analysis step failed (the exit code of `storyline ingest`)."""
        return self.report.ok and not self.failed_steps

    def to_dict(self) -> dict[str, Any]:
        return self.report.to_dict() | {"ok": self.report.ok, "analysis": self.analysis}


def ingest_and_analyse(store: Store, inputs: Sequence[str], config: Config, *, allow_private: bool = False,
                       fetch: bool = False, analyse: bool = True, progress: IngestProgressFn | None = None,
                       step_progress: ProgressFn | None = None, prepare: Prepare | None = None,
                       background: bool | None = None) -> IngestOutcome:
    """Store `inputs` (paths, directories, globs, URLs, `-`), then run the pending analysis steps.

    `progress(done, total, current_input)` follows the ingest, `step_progress(step, done, total)` the
    analysis. With `analyse=False` the articles stay pending (`storyline analyze --pending` later).
    `prepare(store, new_and_updated_ids, config) -> {name: report}` runs between the two when analysing
    (e.g. an engine doing the per-article work elsewhere, which the steps then find done); its reports
    join the analysis reports. `background` False leaves the background steps pending (a drain
    thread runs them, `storyline.service.background`); None follows `[pipeline] defer_background`."""
    from storyline.ingest import ingest

    kwargs: dict[str, Any] = {"config": config, "allow_private": allow_private, "fetch": fetch}
    if progress is not None:
        kwargs["progress"] = progress
    report = ingest(store, list(inputs), **kwargs)
    analysis: dict[str, dict[str, Any]] = {}
    if analyse and prepare is not None:
        analysis |= prepare(store, list(report.new) + list(report.updated), config)
    if analyse:
        analysis |= run_pending(store, config, progress=step_progress, background=background)
    return IngestOutcome(report=report, analysis=analysis)
