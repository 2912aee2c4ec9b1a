"""On-disk embedding cache for evaluation runs: kept as an import path; the cache is `analyze.vectors`."""

from __future__ import annotations

from storyline.analyze.vectors import disk_cached as embed_cached
from storyline.analyze.vectors import disk_path as cache_path

__all__ = ["cache_path", "embed_cached"]
