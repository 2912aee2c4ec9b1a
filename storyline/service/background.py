"""The background queue drained continuously while `serve` runs (a drain thread).

Uploads through the API stop after the decisions someone waits for (entities, quotes, stories,
dated statements) and leave the background steps (`pipeline.BACKGROUND_STEPS`: statement vectors,
timelines) pending; this thread drains them right after (an upload kicks it) and every `interval`
seconds, so work another process left (a `storyline ingest` with `[pipeline] defer_background`) is
picked up too. It runs `run_pending(..., background=True)` under the store's `exclusive("analysis")`
lock, like every analysis, so it never races an ingest. Its progress is visible in `storyline
status` (the steps' pending counts) and in `state()` (GET /api/status).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from storyline.config import Config
from storyline.pipeline import BACKGROUND_STEPS, configured_steps, run_pending

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 30.0


@dataclass
class DrainState:
    """What the drain thread did last (shown by the status endpoint)."""

    running: bool = False  # a drain is under way now
    drains: int = 0  # drains that found work
    last_started: float | None = None
    last_finished: float | None = None
    last_report: dict[str, Any] = field(default_factory=dict)
    last_error: str | None = None


class BackgroundDrain:
    """A daemon thread running the pending background steps of `store` (see the module docstring)."""

    def __init__(self, store: Any, config: Config, *, interval: float = DEFAULT_INTERVAL_S) -> None:
        self.store = store
        self.config = config
        self.interval = interval
        self._kick = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._state = DrainState()
        self._thread: threading.Thread | None = None

    # -- control --------------------------------------------------------------------------------
    def start(self) -> BackgroundDrain:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="storyline-drain", daemon=True)
            self._thread.start()
        return self

    def kick(self) -> None:
        """Drain soon (an upload left background work)."""
        self._idle.clear()
        self._kick.set()

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stop.set()
        self._kick.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no kick is outstanding and no drain is running (tests, shutdown)."""
        return self._idle.wait(timeout)

    # -- state ----------------------------------------------------------------------------------
    def pending(self) -> dict[str, int]:
        """Articles still pending per background step (the queue's length)."""
        steps = [s for s in configured_steps(self.config) if s in BACKGROUND_STEPS]
        return {s: len(self.store.analysis_pending(s)) for s in steps}

    def state(self) -> dict[str, Any]:
        with self._lock:
            s = self._state
            return {"running": s.running, "drains": s.drains, "last_started": s.last_started,
                    "last_finished": s.last_finished, "last_report": dict(s.last_report),
                    "last_error": s.last_error, "interval_s": self.interval, "pending": self.pending()}

    # -- work -----------------------------------------------------------------------------------
    def drain_once(self) -> dict[str, Any]:
        """Run every pending step, the background ones included; {} when there was nothing to do."""
        if not any(self.pending().values()):
            return {}
        with self._lock:
            self._state.running, self._state.last_started = True, time.time()
        report: dict[str, Any] = {}
        error = None
        try:
            report = run_pending(self.store, self.config, background=True)
        except Exception as exc:  # a failing drain must not kill the server's thread: retried later
            log.exception("background drain failed")
            error = f"{type(exc).__name__}: {exc}"
        with self._lock:
            s = self._state
            s.running, s.last_finished, s.last_error = False, time.time(), error
            s.drains += 1
            s.last_report = {k: {x: y for x, y in v.items() if isinstance(y, (int, float, str, bool))}
                             for k, v in report.items()}
        return report

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._kick.wait(self.interval)
            self._kick.clear()
            if self._stop.is_set():
                break
            self.drain_once()
            if not self._kick.is_set():
                self._idle.set()
