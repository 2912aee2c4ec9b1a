"""Candidate retrieval, so assigning an article costs time in its candidates, not in the store's size.

- `VectorIndex`: approximate nearest neighbours over article vectors (usearch HNSW, cosine).
- `EntityIndex`: inverted index entity (or name) -> the most recent events mentioning it, bounded per
  key so a very common entity cannot flood the candidates.
"""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import numpy as np


class VectorIndex:
    def __init__(self, dim: int) -> None:
        from usearch.index import Index

        self.dim = dim
        # int8 quantised vectors, moderate graph degree: 5x faster to build than f32 defaults (the state
        # is rebuilt when a process opens a store) at a recall that is ample for candidate retrieval
        self._index = Index(ndim=dim, metric="cos", dtype="i8", connectivity=16, expansion_add=64)
        self._ids: list[str] = []

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: str, vec: np.ndarray) -> None:
        self._index.add(len(self._ids), np.asarray(vec, dtype=np.float32), threads=1)
        self._ids.append(article_id)

    def add_many(self, article_ids: list[str], vecs: np.ndarray) -> None:
        if not article_ids:
            return
        keys = np.arange(len(self._ids), len(self._ids) + len(article_ids), dtype=np.uint64)
        self._index.add(keys, np.asarray(vecs, dtype=np.float32), threads=1)
        self._ids.extend(article_ids)

    @property
    def ids(self) -> list[str]:
        return self._ids

    def save(self, path: Path, fingerprint: str) -> None:
        """Write the graph and its id list beside the database, so the next process skips the rebuild."""
        tmp = path.with_suffix(".tmp")
        self._index.save(str(tmp))
        tmp.replace(path)
        path.with_suffix(".json").write_text(json.dumps({"fingerprint": fingerprint, "ids": self._ids}),
                                             encoding="utf-8")

    @classmethod
    def load(cls, path: Path, dim: int, fingerprint: str) -> VectorIndex | None:
        """The saved index if it was built from exactly these vectors (same fingerprint), else None."""
        meta_path = path.with_suffix(".json")
        if not path.exists() or not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("fingerprint") != fingerprint:
                return None
            vi = cls(dim)
            vi._index.load(str(path))
            if len(vi._index) != len(meta["ids"]):
                return None
            vi._ids = list(meta["ids"])
            return vi
        except (OSError, ValueError, RuntimeError, KeyError):  # unreadable or stale: rebuild instead
            return None

    def search(self, vec: np.ndarray, k: int) -> list[str]:
        if not self._ids or k <= 0:
            return []
        matches = self._index.search(np.asarray(vec, dtype=np.float32), min(k, len(self._ids)), threads=1)
        return [self._ids[int(key)] for key in matches.keys]


class EntityIndex:
    def __init__(self, per_key: int) -> None:
        self.per_key = per_key
        self._events: dict[str, deque[str]] = {}

    def add(self, key: str, event_id: str) -> None:
        q = self._events.get(key)
        if q is None:
            q = self._events[key] = deque(maxlen=self.per_key)
        if event_id in q:
            q.remove(event_id)
        q.append(event_id)

    def events(self, key: str) -> list[str]:
        return list(self._events.get(key, ()))
