"""On-disk embedding cache for evaluation runs (no store involved), keyed by model and text hash.

Evaluations re-embed the same development texts on every run; at ~5 leads/s on 2 cores that is
minutes, so vectors are kept in one SQLite file under the user cache directory.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import platformdirs


def cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("storyline")) / "embeddings.sqlite"


def embed_cached(embedder, texts: list[str], progress: Callable[[int, int], None] | None = None,
                 path: Path | None = None, batch: int = 16) -> np.ndarray:
    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE IF NOT EXISTS vecs (model TEXT, hash TEXT, vec BLOB, PRIMARY KEY (model, hash))")
    hashes = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    found: dict[str, np.ndarray] = {}
    uniq = list(dict.fromkeys(hashes))
    for i in range(0, len(uniq), 500):
        chunk = uniq[i:i + 500]
        q = f"SELECT hash, vec FROM vecs WHERE model = ? AND hash IN ({','.join('?' * len(chunk))})"
        for h, blob in conn.execute(q, [embedder.name, *chunk]):
            found[h] = np.frombuffer(blob, dtype=np.float32)
    todo = [(h, t) for h, t in dict(zip(hashes, texts, strict=True)).items() if h not in found]
    for i in range(0, len(todo), batch):
        chunk = todo[i:i + batch]
        vecs = embedder.embed_passages([t for _, t in chunk])
        with conn:
            conn.executemany("INSERT OR REPLACE INTO vecs VALUES (?, ?, ?)",
                             [(embedder.name, h, v.astype(np.float32).tobytes())
                              for (h, _), v in zip(chunk, vecs, strict=True)])
        found.update({h: v for (h, _), v in zip(chunk, vecs, strict=True)})
        if progress:
            progress(min(i + batch, len(todo)), len(todo))
    conn.close()
    dim = embedder.dim
    return np.vstack([found[h] for h in hashes]) if hashes else np.zeros((0, dim), np.float32)
