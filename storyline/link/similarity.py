"""The article similarity used by BOTH the clusterer and `storyline eval similarity`.

score = weighted mean of
- dense: cosine of background-centred embeddings (see `background`), rescaled to 0..1;
- sparse: tf-idf cosine of lemma profiles, same-language pairs only (Miranda et al. 2018: sparse wins
  within a language, dense is needed across languages);
- names: tf-idf cosine of capitalised names, cross-language pairs only (names survive translation);
- entities: idf-weighted overlap of canonical entities where both articles have them, else of names;
multiplied by a time decay exp(-gap_days / decay_days) when both are dated, or by `undated_factor`
when only one is (time decay and the undated factor apply in clustering, not to timeless pairs).
Weights of missing features drop out, so every pair gets a score on the same 0..1 scale.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from storyline.link.features import ArticleFeatures
from storyline.link.settings import ClusterSettings

NAMES = "_names"
ENTITIES = "_entities"


class DocFreq:
    """Document frequencies per namespace (a language, `_names`, `_entities`), for idf weights.

    Smoothed idf = log((N + 1) / (df + 1)) + 1, with N the documents of that namespace, so terms unseen
    so far weigh most and the weights settle as the stream grows.
    """

    def __init__(self) -> None:
        self.df: dict[str, Counter[str]] = {}
        self.n: Counter[str] = Counter()

    def add(self, space: str, terms: Iterable[str]) -> None:
        self.df.setdefault(space, Counter()).update(set(terms))
        self.n[space] += 1

    def add_features(self, f: ArticleFeatures) -> None:
        self.add(f.lang or "", f.terms)
        self.add(NAMES, f.names)
        self.add(ENTITIES, f.entities)

    def idf(self, space: str, term: str) -> float:
        n = self.n.get(space, 0)
        df = self.df.get(space, {}).get(term, 0)
        return math.log((n + 1) / (df + 1)) + 1.0

    def share(self, space: str, term: str) -> float:
        n = self.n.get(space, 0)
        return self.df.get(space, {}).get(term, 0) / n if n else 0.0


@dataclass
class Prepared:
    """An article's sparse profiles weighted by idf and L2-normalised once (at arrival, with the
    document frequencies known then), so a pair costs one dict intersection per profile."""

    f: ArticleFeatures
    terms: dict[str, float]
    names: dict[str, float]
    entities: dict[str, float]


def _unit(weights: Mapping[str, float], df: DocFreq, space: str) -> dict[str, float]:
    w = {t: v * df.idf(space, t) for t, v in weights.items()}
    norm = math.sqrt(sum(v * v for v in w.values()))
    return {t: v / norm for t, v in w.items()} if norm else {}


def prepare(f: ArticleFeatures, df: DocFreq) -> Prepared:
    # entities sorted: a frozenset's order follows the string hash seed, and float sums in another
    # order differ in the last bits, enough to flip a decision at a threshold from run to run
    return Prepared(f, _unit(f.terms, df, f.lang or ""), _unit(f.names, df, NAMES),
                    _unit(dict.fromkeys(sorted(f.entities), 1.0), df, ENTITIES))


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


@dataclass
class PairScore:
    score: float
    dense: float | None
    sparse: float | None
    names: float | None
    entities: float | None
    decay: float

    def as_dict(self) -> dict[str, float | None]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def dense_score(a: ArticleFeatures, b: ArticleFeatures, s: ClusterSettings) -> float | None:
    if a.vec is None or b.vec is None:
        return None
    cos = float(np.dot(a.vec, b.vec))
    return min(1.0, max(0.0, (cos - s.dense_floor) / (s.dense_ceiling - s.dense_floor)))


def decay(a_day: int | None, b_day: int | None, decay_days: float, slack: int = 0) -> float:
    if a_day is None or b_day is None or decay_days <= 0:
        return 1.0
    gap = max(0, abs(a_day - b_day) - slack)
    return math.exp(-gap / decay_days)


def prepared_score(pa: Prepared, pb: Prepared, s: ClusterSettings, decay_days: float | None = None,
                   decay_floor: float = 0.0) -> PairScore:
    a, b = pa.f, pb.f
    total = acc = 0.0
    dense = dense_score(a, b, s)
    if dense is not None:
        total, acc = s.w_dense, s.w_dense * dense
    sparse = names = None
    if a.lang and a.lang == b.lang:
        sparse = _dot(pa.terms, pb.terms)
        total, acc = total + s.w_sparse, acc + s.w_sparse * sparse
    else:
        names = _dot(pa.names, pb.names)
        total, acc = total + s.w_names_cross, acc + s.w_names_cross * names
    if pa.entities and pb.entities:
        ent = _dot(pa.entities, pb.entities)
    else:
        ent = _dot(pa.names, pb.names) if names is None else names
    total, acc = total + s.w_entities, acc + s.w_entities * ent
    score = acc / total if total else 0.0
    k = 1.0
    if decay_days is not None:
        if a.day is not None and b.day is not None:
            k = decay_floor + (1.0 - decay_floor) * decay(a.day, b.day, decay_days)
        elif (a.day is None) != (b.day is None):
            k = s.undated_factor
    return PairScore(score * k, dense, sparse, names, ent, k)


def pair_score(a: ArticleFeatures, b: ArticleFeatures, df: DocFreq, s: ClusterSettings,
               decay_days: float | None = None) -> PairScore:
    """Similarity of two articles with the current document frequencies (see module docstring)."""
    return prepared_score(prepare(a, df), prepare(b, df), s, decay_days)
