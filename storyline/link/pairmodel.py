"""A learned article-pair similarity: ridge regression of human "same story" ratings on pair features.

Features (all language-neutral except `sparse`): the centred dense cosine (also clipped and squared:
the rating is not linear in it), the tf-idf cosine of
lemmas (same language only), the cosine of capitalised names, the overlap of numbers (years, counts:
they survive translation), canonical-entity overlap where both articles have entities, and
cross-language interactions (a cross-language pair cannot use `sparse`, so dense and names must carry
more). Fitted on the SemEval-2022 Task 8 dev pairs by `storyline train similarity` (coefficients in
`similarity_model.json`); `storyline eval similarity` scores with it. Hand-written least squares
(numpy) for the same reason as the story model: only coefficients ship.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from storyline.link.similarity import Prepared, _dot

MODEL_FILE = Path(__file__).with_name("similarity_model.json")
FEATURES = ("dense", "sparse", "names", "numbers", "entities", "cross_language", "cross_dense", "cross_names",
            "dense_x_names", "dense_clipped", "dense_squared", "sparse_sqrt", "cross_dense_clipped")
#: the dense cosine enters also clipped to this band (below: unrelated noise; above: the same story
#: whatever the exact value), as the hand-set similarity did; the ridge fit weighs both forms
DENSE_BAND = (0.3, 0.7)


def _split(names: dict[str, float]) -> tuple[dict[str, float], set[str]]:
    return {n: w for n, w in names.items() if not n.startswith("#")}, {n for n in names if n.startswith("#")}


def pair_features(pa: Prepared, pb: Prepared) -> list[float]:
    a, b = pa.f, pb.f
    dense = float(np.dot(a.vec, b.vec)) if a.vec is not None and b.vec is not None else 0.0
    same = bool(a.lang) and a.lang == b.lang
    sparse = _dot(pa.terms, pb.terms) if same else 0.0
    na, xa = _split(pa.names)
    nb, xb = _split(pb.names)
    names = _dot(na, nb)
    numbers = len(xa & xb) / len(xa | xb) if xa and xb else 0.0
    ents = _dot(pa.entities, pb.entities) if pa.entities and pb.entities else names
    cross = 0.0 if same else 1.0
    lo, hi = DENSE_BAND
    clipped = min(1.0, max(0.0, (dense - lo) / (hi - lo)))
    return [dense, sparse, names, numbers, ents, cross, cross * dense, cross * names, dense * names, clipped,
            dense * dense, sparse ** 0.5, cross * clipped]


@functools.lru_cache(maxsize=4)
def load_weights(path: Path = MODEL_FILE) -> tuple[np.ndarray, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{path}: similarity model unreadable ({exc}); refit with `storyline train similarity`"
                           ) from exc
    if data.get("features") != list(FEATURES):
        raise RuntimeError(f"{path}: fitted for other features; refit with `storyline train similarity`")
    return np.array([data["weights"][n] for n in FEATURES]), float(data["bias"])


def learned_similarity(pa: Prepared, pb: Prepared, path: Path = MODEL_FILE) -> float:
    """Predicted closeness on 0..1 (1 = same story), from the fitted rating model."""
    w, b = load_weights(path)
    rating = b + float(np.dot(w, pair_features(pa, pb)))  # 1 = same .. 4 = unrelated
    return min(1.0, max(0.0, (4.0 - rating) / 3.0))


def fit_ridge(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Ridge regression on standardised features; (coefficients, intercept) on the original scale."""
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = (x - mu) / sd
    beta = np.linalg.solve(z.T @ z + l2 * np.eye(z.shape[1]), z.T @ (y - y.mean()))
    coef = beta / sd
    return coef, float(y.mean() - (coef * mu).sum())
