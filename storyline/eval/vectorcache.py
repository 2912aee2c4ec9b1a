"""Passage vectors kept across evaluation and training runs (they re-embed the same development texts).

The cache is a small Storyline store of its own under the user cache directory, so its persistence is
the store's sentence-vector table (no SQL here); lookups in this process go through the one vector cache
(`storyline.analyze.vectors`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from storyline.analyze import vectors
from storyline.store import open_store


def cache_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("storyline")) / "eval-vectors.db"


def embed_cached(embedder, texts: list[str], progress: Callable[[int, int], None] | None = None,
                 path: Path | None = None, batch: int = 16) -> np.ndarray:
    """Passage vectors of `texts` (one row each), embedding only those no earlier run kept."""
    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(str(path))
    try:
        keys = [vectors.text_key(t) for t in texts]
        found = store.sentence_vectors(embedder.name, list(dict.fromkeys(keys)))
        todo = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        for i in range(0, len(todo), batch):
            chunk = todo[i:i + batch]
            vecs = vectors.embed_passages(embedder, [t for _, t in chunk])
            rows = [(k, np.asarray(v, dtype=np.float32)) for (k, _), v in zip(chunk, vecs, strict=True)]
            store.put_sentence_vectors(embedder.name, rows)
            found.update(dict(rows))
            if progress:
                progress(min(i + batch, len(todo)), len(todo))
    finally:
        store.close()
    return np.vstack([found[k] for k in keys]) if keys else np.zeros((0, embedder.dim), np.float32)
