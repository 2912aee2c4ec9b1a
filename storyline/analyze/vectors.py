"""One vector cache: each text is embedded once per model and process, and the vector reused everywhere.

Leads (clustering, search), masked statement sentences (timelines) and summary sentences all ask
`embed_passages(embedder, texts)`; a text seen before in this process (or primed by a Ray worker,
`prime`) costs a dictionary lookup instead of a transformer pass. With `store=`, vectors are also
looked up in, and written to, the store's sentence-vector table, so a long-lived story re-summarised
next week pays only for its new sentences. `disk_cached` keeps evaluation vectors in one SQLite file
under the user cache directory (evaluations re-embed the same development texts on every run).

Misses are embedded in one call (the embedder batches inside), so a caller that gathers the texts of
many articles first gets cross-article batching for free. Keys are (model name, blake2b of the text):
the same text under another model is another vector.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np

MAX_ITEMS = 200_000  # ~300 MB of 384-d float32 at most; oldest first out

_MEM: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
STATS = {"hits": 0, "misses": 0}


def text_key(text: str) -> str:
    """The cache key of a text (also the key of the store's sentence-vector table)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _remember(model: str, key: str, vec: np.ndarray) -> None:
    _MEM[(model, key)] = vec
    _MEM.move_to_end((model, key))
    while len(_MEM) > MAX_ITEMS:
        _MEM.popitem(last=False)


def lookup(model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
    """The vectors of `texts` already in this process's cache (text -> vector)."""
    out = {}
    for t in texts:
        v = _MEM.get((model, text_key(t)))
        if v is not None:
            out[t] = v
    return out


def prime(model: str, vectors: Mapping[str, np.ndarray]) -> None:
    """Put vectors computed elsewhere (a Ray worker, a stored table) into the cache: text -> vector."""
    for t, v in vectors.items():
        _remember(model, text_key(t), np.asarray(v, dtype=np.float32))


def clear() -> None:
    _MEM.clear()
    STATS.update(hits=0, misses=0)


def embed_passages(embedder, texts: list[str], *, store=None, persist: bool = False) -> np.ndarray:
    """Passage vectors of `texts` (rows in order), each distinct text embedded at most once.

    `store`: also look in its sentence-vector table (`sentence_vectors`); `persist`: write the vectors
    this call computed there (`put_sentence_vectors`).
    """
    model = embedder.name
    if not texts:
        return np.zeros((0, getattr(embedder, "dim", 0)), dtype=np.float32)
    keys = [text_key(t) for t in texts]
    missing = {k: t for k, t in zip(keys, texts, strict=True) if (model, k) not in _MEM}
    STATS["hits"] += len(texts) - len(missing)
    if missing and store is not None and hasattr(store, "sentence_vectors"):
        for k, v in store.sentence_vectors(model, list(missing)).items():
            _remember(model, k, v)
            missing.pop(k, None)
    if missing:
        STATS["misses"] += len(missing)
        todo = list(missing.items())
        vecs = embedder.embed_passages([t for _, t in todo])
        for (k, _), v in zip(todo, vecs, strict=True):
            _remember(model, k, np.asarray(v, dtype=np.float32))
        if persist and store is not None and hasattr(store, "put_sentence_vectors"):
            store.put_sentence_vectors(model, [(k, v) for (k, _), v in zip(todo, vecs, strict=True)])
    return np.vstack([_MEM[(model, k)] for k in keys])


def disk_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("storyline")) / "embeddings.sqlite"


def disk_cached(embedder, texts: list[str], progress: Callable[[int, int], None] | None = None,
                path: Path | None = None, batch: int = 16) -> np.ndarray:
    """Passage vectors kept in one SQLite file across runs (evaluations and training; no store)."""
    path = path or disk_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path))
    try:
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
            vecs = embed_passages(embedder, [t for _, t in chunk])
            with conn:
                conn.executemany("INSERT OR REPLACE INTO vecs VALUES (?, ?, ?)",
                                 [(embedder.name, h, v.astype(np.float32).tobytes())
                                  for (h, _), v in zip(chunk, vecs, strict=True)])
            found.update({h: v for (h, _), v in zip(chunk, vecs, strict=True)})
            if progress:
                progress(min(i + batch, len(todo)), len(todo))
    finally:
        conn.close()
    return np.vstack([found[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim), np.float32)
