"""A story as a long-running thread, and the learned decision that links an article to one.

A `StoryProfile` evolves with every article it takes: per-language sums of centred vectors (so a
centroid per language, plus one over all languages), per-language idf-weighted term sums, how many of
its articles mention each canonical entity (or, lacking entities, each capitalised name), and its date
span. A new article (one that opened a new event) is matched against candidate stories with
`story_features`; a logistic regression over those features (`StoryModel`, coefficients shipped in
`story_model.json`, refit with `storyline train stories`) gives P(same story). Why centroids and
not only nearest members: single-link matching to members chains neighbouring stories (a Libya
article close to one Syria article pulls the threads together); a centroid moves slowly and carries
the whole thread. Time is measured in months from the story's span, so a story that returns after a
pause is still found, while the model learns how much a long gap weighs.

The logistic regression is hand-written (a dozen lines of numpy) because only its coefficients are
shipped: scikit-learn is a training-time dependency at most, and the fit is plain Newton/IRLS.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from storyline.link.similarity import Prepared

MODEL_FILE = Path(__file__).with_name("story_model.json")
FEATURES = ("dense_centroid", "member_score", "sparse_centroid", "key_share", "log_months_gap", "undated",
            "other_language", "other_language_dense", "log_size")
MAX_TERMS = 400  # terms kept per language in a story profile (pruned to the heaviest)


def keys_of(p: Prepared) -> dict[str, float]:
    """Language-neutral keys of an article with idf-unit weights: canonical entities, else names
    (numbers excluded: too easily shared between stories)."""
    if p.entities:
        return p.entities
    return {n: w for n, w in p.names.items() if not n.startswith("#")}


@dataclass
class StoryProfile:
    n: int = 0
    vec_sum: dict[str, np.ndarray] = field(default_factory=dict)  # language ("" = all) -> sum of vectors
    vec_n: Counter[str] = field(default_factory=Counter)
    terms: dict[str, dict[str, float]] = field(default_factory=dict)  # language -> term -> summed weight
    keys: Counter[str] = field(default_factory=Counter)  # key -> articles holding it
    first_day: int | None = None
    last_day: int | None = None

    def add(self, p: Prepared) -> None:
        f = p.f
        self.n += 1
        lang = f.lang or ""
        if f.vec is not None:
            for k in ("", lang) if lang else ("",):
                self.vec_sum[k] = self.vec_sum[k] + f.vec if k in self.vec_sum else f.vec.astype(np.float32).copy()
                self.vec_n[k] += 1
        bag = self.terms.setdefault(lang, {})
        for t, w in p.terms.items():
            bag[t] = bag.get(t, 0.0) + w
        if len(bag) > 2 * MAX_TERMS:
            self.terms[lang] = dict(sorted(bag.items(), key=lambda kv: -kv[1])[:MAX_TERMS])
        self.keys.update(keys_of(p).keys())  # articles holding each key
        if f.day is not None:
            self.first_day = f.day if self.first_day is None else min(self.first_day, f.day)
            self.last_day = f.day if self.last_day is None else max(self.last_day, f.day)

    def absorb(self, other: StoryProfile) -> None:
        """Merge another story's profile into this one (consolidation)."""
        self.n += other.n
        for k, v in other.vec_sum.items():
            self.vec_sum[k] = self.vec_sum[k] + v if k in self.vec_sum else v.copy()
        self.vec_n.update(other.vec_n)
        for lang, bag in other.terms.items():
            mine = self.terms.setdefault(lang, {})
            for t, w in bag.items():
                mine[t] = mine.get(t, 0.0) + w
        self.keys.update(other.keys)
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d is not None]
        self.first_day, self.last_day = (min(days), max(days)) if days else (None, None)

    def centroid(self, lang: str | None) -> np.ndarray | None:
        k = lang if lang and self.vec_n.get(lang, 0) else ""
        v = self.vec_sum.get(k)
        if v is None:
            return None
        norm = float(np.linalg.norm(v))
        return v / norm if norm else None

    def term_unit(self, lang: str) -> dict[str, float]:
        bag = self.terms.get(lang, {})
        norm = math.sqrt(sum(w * w for w in bag.values()))
        return {t: w / norm for t, w in bag.items()} if norm else {}


def _gap_days(day: int | None, first: int | None, last: int | None) -> int | None:
    if day is None or first is None or last is None:
        return None
    return max(0, first - day, day - last)


def story_features(p: Prepared, story: StoryProfile, member_score: float,
                   langs_vec: np.ndarray | None = None) -> list[float]:
    """The features of FEATURES for an article (or a story's pseudo-article) against a story."""
    f = p.f
    lang = f.lang or ""
    cen = story.centroid(lang)
    vec = f.vec if langs_vec is None else langs_vec
    dense = float(np.dot(vec, cen)) if vec is not None and cen is not None else 0.0
    bag = story.terms.get(lang)
    sparse = 0.0
    if bag and p.terms:
        unit = story.term_unit(lang)
        sparse = sum(w * unit.get(t, 0.0) for t, w in p.terms.items())
    keys = keys_of(p)
    total = sum(keys.values())
    share = sum(w * story.keys.get(k, 0) / story.n for k, w in keys.items()) / total if total and story.n else 0.0
    gap = _gap_days(f.day, story.first_day, story.last_day)
    other = 0.0 if lang in story.terms else 1.0
    return [dense, member_score, sparse, share, math.log1p(gap / 30.0) if gap is not None else 0.0,
            1.0 if gap is None else 0.0, other, other * dense, math.log1p(story.n)]


@dataclass
class StoryModel:
    weights: dict[str, float]
    bias: float
    #: join the most probable story at this probability (the Bayes decision for a calibrated model)
    threshold: float = 0.5
    #: consolidation: merge when a story's articles average this much against another story
    merge_threshold: float = 0.5
    #: consolidation: split off a part whose articles average less than this against the rest; low,
    #: because the two parts are chosen to differ (phases of one story also score ~0.1); at 0.05 the
    #: Egypt->Libya chain of the dev stream survived when entities were on, at 0.15 it is split
    split_threshold: float = 0.15
    meta: dict = field(default_factory=dict)

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(self.weights.get(n, 0.0) * v for n, v in zip(FEATURES, x, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "weights": self.weights, "bias": self.bias,
                "threshold": self.threshold, "merge_threshold": self.merge_threshold,
                "split_threshold": self.split_threshold, "meta": self.meta}


@functools.lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> StoryModel:
    """The shipped story model; a missing or stale file is an error naming the refit command."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{path}: story model unreadable ({exc}); refit with `storyline train stories`") from exc
    if data.get("features") != list(FEATURES):
        raise RuntimeError(f"{path}: fitted for other features; refit with `storyline train stories`")
    d = StoryModel({}, 0.0)
    return StoryModel(weights=data["weights"], bias=data["bias"], threshold=data.get("threshold", d.threshold),
                      merge_threshold=data.get("merge_threshold", d.merge_threshold),
                      split_threshold=data.get("split_threshold", d.split_threshold), meta=data.get("meta", {}))


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, l2: float = 1.0,
                 iters: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (IRLS) on standardised features;
    returns (coefficients, intercept) on the original scale."""
    w8 = np.ones(len(y)) if weight is None else weight
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((len(y), 1)), (x - mu) / sd])
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w8 * (p - y)) + reg * beta
        hess = (z * (w8 * p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    coef = beta[1:] / sd
    return coef, float(beta[0] - (coef * mu).sum())
