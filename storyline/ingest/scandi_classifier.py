"""Trained discriminator for Bokmål, Nynorsk, Danish and Swedish: hashed n-grams + a linear model.

lingua tells language families apart well but confuses these four written standards on a sentence
(Bokmål read as Nynorsk one time in seven on news sentences). A multinomial logistic regression over
character n-grams (1-5, within word boundaries) and word uni- and bigrams, trained on the NER corpora's
sentences (`storyline train langid`), decides between them once lingua has said "Scandinavian".

Text is lower-cased and reduced to its runs of letters before features are taken, so casing,
punctuation and digits never matter (URL slugs, lower-cased feeds and tokenised corpora read like
prose). Features are hashed into `n_features` buckets with CRC-32 (zlib, stable across processes and
platforms, unlike Python's `hash`); scikit-learn's `HashingVectorizer` is not used because its
MurmurHash would then have to be re-implemented here for numpy-only inference. The same functions
build the training matrix, so training and inference features are identical by construction; the
weights file also stores the buckets of a probe text, and `load` refuses weights whose probe does not
hash the same way (a changed feature function can never silently run with stale weights).

Inference needs numpy only: the weights are a float16 `(n_features, 4)` matrix in an `.npz` under
`storyline/models/langid-scandi/`, and scoring a text is a gather plus a small dot product.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "langid-scandi"
WEIGHTS = "weights.npz"
#: a text whose buckets are stored with the weights, to check the hashing did not change
PROBE = "Dei kjem ikkje før òg hvad gør vi nu, sa hun, men jag vet inte: Ærlig talt!"

#: default hashing and n-gram settings (the trainer may override; the weights file records its own)
N_FEATURES = 1 << 18
CHAR_MIN, CHAR_MAX = 1, 5
#: value of one word feature relative to one character n-gram before the vector is L2-normalised
WORD_WEIGHT = 2.0

_LETTERS = re.compile(r"[^\W\d_]+")
_WORD_CACHE_MAX = 200_000


class ModelError(RuntimeError):
    pass


def words(text: str) -> list[str]:
    """The lower-cased runs of letters of `text`: what every feature is taken from."""
    return _LETTERS.findall(text.lower())


def _bucket(feature: str, n_features: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) % n_features


@dataclass(frozen=True)
class Hashing:
    """How a text becomes a sparse vector; stored with the weights so both sides agree."""

    n_features: int = N_FEATURES
    char_min: int = CHAR_MIN
    char_max: int = CHAR_MAX
    word_weight: float = WORD_WEIGHT
    #: word bigrams as features too (they collide with the n-grams in the buckets: measured both ways)
    bigrams: bool = True

    def word_buckets(self, word: str, cache: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
        """Buckets of a word's character n-grams (on " word ") and of the word itself (memoised)."""
        hit = cache.get(word)
        if hit is not None:
            return hit
        padded = f" {word} "
        out = []
        for n in range(self.char_min, self.char_max + 1):
            for i in range(len(padded) - n + 1):
                gram = padded[i:i + n]
                if gram != " ":
                    out.append(_bucket("c" + gram, self.n_features))
        found = tuple(out)
        if len(cache) < _WORD_CACHE_MAX:
            cache[word] = found
        return found

    def vector(self, text: str, cache: dict[str, tuple[int, ...]] | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """(bucket indices, L2-normalised values) of `text`; both empty when it has no letters."""
        ws = words(text)
        if not ws:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cache = {} if cache is None else cache
        chars: list[int] = []
        for w in ws:
            chars.extend(self.word_buckets(w, cache))
        word_feats = [_bucket("w" + w, self.n_features) for w in ws]
        if self.bigrams:
            word_feats += [_bucket(f"b{a} {b}", self.n_features) for a, b in zip(ws, ws[1:], strict=False)]
        idx = np.asarray(chars + word_feats, dtype=np.int64)
        val = np.ones(len(idx), dtype=np.float32)
        val[len(chars):] = self.word_weight
        uniq, inverse = np.unique(idx, return_inverse=True)
        summed = np.bincount(inverse, weights=val).astype(np.float32)
        summed = np.sqrt(summed)  # sublinear counts: a repeated n-gram does not swamp the rest
        summed /= np.linalg.norm(summed)
        return uniq, summed


@dataclass
class ScandiModel:
    """Weights of the four-way discriminator and the hashing they were trained with."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (n_features, n_labels) float32
    bias: np.ndarray  # (n_labels,)
    hashing: Hashing

    def __post_init__(self) -> None:
        self._cache: dict[str, tuple[int, ...]] = {}

    def logits(self, text: str) -> np.ndarray | None:
        """Raw class scores of `text` (order `labels`), None when it has no letters."""
        idx, val = self.hashing.vector(text, self._cache)
        if not len(idx):
            return None
        return val @ self.weights[idx] + self.bias

    def probabilities(self, text: str, allowed: tuple[str, ...] | None = None,
                      prior: dict[str, float] | None = None, scale: float = 1.0) -> dict[str, float]:
        """Softmax over the labels (restricted to `allowed` when given) of the logits times `scale`
        plus `prior` log-weights (another model's evidence); {} for a text without letters."""
        z = self.logits(text)
        if z is None:
            return {}
        keep = [i for i, c in enumerate(self.labels) if allowed is None or c in allowed]
        if not keep:
            return {}
        z = z * scale
        if prior:
            z = z + np.array([prior.get(c, 0.0) for c in self.labels], dtype=np.float32)
        z = z[keep] - z[keep].max()
        p = np.exp(z)
        p /= p.sum()
        return {self.labels[i]: float(v) for i, v in zip(keep, p, strict=True)}

    def save(self, directory: Path, meta: dict[str, object] | None = None) -> Path:
        """Write `weights.npz` (float16 weights) into `directory`; returns its path."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / WEIGHTS
        probe, _ = self.hashing.vector(PROBE)
        h = self.hashing
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias.astype(np.float32),
                            labels=np.array(self.labels), probe=probe,
                            hashing=np.array([h.n_features, h.char_min, h.char_max, int(h.bigrams)],
                                                 dtype=np.int64),
                            word_weight=np.float32(h.word_weight),
                            meta=np.array(repr(meta or {})))
        return path


def load(path: Path) -> ScandiModel:
    """Weights from an `.npz` written by `ScandiModel.save`; ModelError when missing or inconsistent."""
    if not path.is_file():
        raise ModelError(f"{path}: no Scandinavian language model (train one with `storyline train langid`)")
    try:
        with np.load(path, allow_pickle=False) as data:
            n_features, char_min, char_max, *more = (int(v) for v in data["hashing"])
            hashing = Hashing(n_features, char_min, char_max, float(data["word_weight"]),
                              bool(more[0]) if more else True)
            weights = data["weights"].astype(np.float32)
            bias = data["bias"].astype(np.float32)
            labels = tuple(str(v) for v in data["labels"])
            probe = data["probe"]
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"{path}: not a Scandinavian language model file ({exc})") from exc
    if weights.shape != (n_features, len(labels)) or bias.shape != (len(labels),):
        raise ModelError(f"{path}: weights of shape {weights.shape} do not fit {n_features} features x {labels}")
    if not np.array_equal(hashing.vector(PROBE)[0], probe):
        raise ModelError(f"{path}: the weights were trained with a different feature hashing; retrain them")
    return ScandiModel(labels, weights, bias, hashing)


@lru_cache(maxsize=1)
def shipped() -> ScandiModel | None:
    """The model in the package, or None when the package has none (lingua's answer then stands)."""
    path = MODEL_DIR / WEIGHTS
    return load(path) if path.is_file() else None
