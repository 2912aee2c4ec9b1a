"""One vector cache: each text is embedded once per model and process, and the vector reused everywhere.

Leads (clustering, search), masked statement sentences (timelines) and summary sentences all ask
`embed_passages(embedder, texts)`; a text seen before in this process (or primed by a Ray worker,
`prime`) costs a dictionary lookup instead of a transformer pass. With `store=`, vectors are also
looked up in, and written to, the store's sentence-vector table, so a long-lived story re-summarised
next week pays only for its new sentences. Evaluations keep their vectors across runs in a small store of their own
(`storyline.eval.vectorcache`).

Misses are embedded in one call (the embedder batches inside), so a caller that gathers the texts of
many articles first gets cross-article batching for free. Keys are (model name, blake2b of the text):
the same text under another model is another vector.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping

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
