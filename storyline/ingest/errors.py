"""One error type for every refused input, so callers can report `input: reason` on one line."""

from __future__ import annotations

from dataclasses import dataclass


class IngestError(Exception):
    """An input that cannot be ingested; `str()` is a one-line reason that names the input."""

    def __init__(self, input: str, reason: str) -> None:
        super().__init__(f"{input}: {reason}")
        self.input = input
        self.reason = reason


@dataclass
class Failure:
    input: str
    reason: str  # one line, names the input
