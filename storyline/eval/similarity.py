"""`storyline eval similarity`: Pearson correlation of our article similarity with human ratings.

Reads a SemEval-2022 Task 8 CSV (`pair_id, lang1, lang2, text1, text2, ..., Overall`; 1 = same story,
4 = unrelated) and scores every pair with the learned pair model (`storyline.link.pairmodel`, fitted on
the dev pairs by `storyline train similarity`) over the clusterer's features (same lead embedding,
same sparse profiles), without dates (the CSV has none). Also reported: the hand-weighted
`pair_score` the clusterer uses for events, and the dense cosine alone. Document frequencies come from
all texts of the file, as a stream would give. `fit` also gives out-of-fold figures (5 folds by pair),
the honest estimate for unseen pairs.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.link.features import ArticleFeatures, base_lang, extract, lead
from storyline.link.settings import ClusterSettings
from storyline.link.similarity import DocFreq, pair_score, prepare
from storyline.model import article_from_text

REQUIRED = ("lang1", "lang2", "text1", "text2", "Overall")


class EvalInputError(ValueError):
    """The pairs file is missing, unreadable or lacks required columns."""


@dataclass
class Pair:
    pair_id: str
    lang1: str
    lang2: str
    text1: str
    text2: str
    overall: float


def read_pairs(path: Path, limit: int | None = None) -> list[Pair]:
    if not path.is_file():
        raise EvalInputError(f"{path}: pairs file not found")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise EvalInputError(f"{path}: missing column(s) {', '.join(missing)} (SemEval-2022 Task 8 layout)")
            pairs = []
            for n, row in enumerate(reader, start=2):
                try:
                    overall = float(row["Overall"])
                except (TypeError, ValueError) as exc:
                    raise EvalInputError(f"{path}:{n}: Overall {row['Overall']!r} is not a number") from exc
                pairs.append(Pair(row.get("pair_id") or str(n), row["lang1"], row["lang2"], row["text1"] or "",
                                  row["text2"] or "", overall))
                if limit and len(pairs) >= limit:
                    break
    except UnicodeDecodeError as exc:
        raise EvalInputError(f"{path}: not UTF-8 text ({exc})") from exc
    if not pairs:
        raise EvalInputError(f"{path}: no pairs")
    return pairs


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return sxy / (sx * sy) if sx and sy else None


def pair_features(pairs: list[Pair], settings: ClusterSettings, embedder,
                  progress: Callable[[int, int], None] | None = None, *,
                  entities: Callable[[list], dict[str, list[str]]] | None = None,
                  ) -> tuple[list[tuple[ArticleFeatures, ArticleFeatures]], DocFreq]:
    """Features of both texts of every pair. With `entities` (articles -> id -> canonical entity ids,
    e.g. `eval.clustering.entities_of`), the key features use canonical entities as the live linker
    does; without, names only."""
    from storyline.eval.vectorcache import embed_cached
    from storyline.link.step import centre

    arts = []
    for p in pairs:
        arts.append(article_from_text(p.text1, id=f"{p.pair_id}/1", lang=p.lang1))
        arts.append(article_from_text(p.text2, id=f"{p.pair_id}/2", lang=p.lang2))
    vecs = embed_cached(embedder, [lead(a, settings.embed_words) for a in arts], progress)
    ents = entities(arts) if entities else {}
    feats = [extract(a, settings, entities=frozenset(ents.get(a.id, ())),
                     vec=centre(v, embedder.name, base_lang(a.lang)))
             for a, v in zip(arts, vecs, strict=True)]
    df = DocFreq()
    seen = set()
    for f, a in zip(feats, arts, strict=True):
        key = a.text
        if key not in seen:  # a text repeated across pairs counts once
            seen.add(key)
            df.add_features(f)
    return [(feats[i], feats[i + 1]) for i in range(0, len(feats), 2)], df


def _by_lang(pairs: list[Pair], scores: list[float], gold: list[float]) -> dict[str, dict[str, Any]]:
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_lang[f"{p.lang1}-{p.lang2}"].append(i)
    return {k: {"pairs": len(ix), "pearson": pearson([scores[i] for i in ix], [gold[i] for i in ix])}
            for k, ix in sorted(by_lang.items(), key=lambda kv: -len(kv[1]))}


def _model_features(feats, df: DocFreq) -> list[list[float]]:
    from storyline.link.pairmodel import pair_features as model_features

    return [model_features(prepare(a, df), prepare(b, df)) for a, b in feats]


def evaluate(path: Path, settings: ClusterSettings, embedder, *, limit: int | None = None,
             model: Path | None = None, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    from storyline.link.pairmodel import MODEL_FILE, learned_similarity

    pairs = read_pairs(path, limit)
    feats, df = pair_features(pairs, settings, embedder, progress)
    scores = [learned_similarity(prepare(a, df), prepare(b, df), model or MODEL_FILE) for a, b in feats]
    hand = [pair_score(a, b, df, settings).score for a, b in feats]
    gold = [-p.overall for p in pairs]
    dense = [pair_score(a, b, df, settings).dense or 0.0 for a, b in feats]
    return {
        "file": str(path), "pairs": len(pairs), "pearson": pearson(scores, gold),
        "pearson_hand_weights": pearson(hand, gold), "pearson_dense_only": pearson(dense, gold),
        "by_language_pair": _by_lang(pairs, scores, gold),
        "embedder": embedder.name, "embed_words": settings.embed_words,
    }


def fit(paths: list[Path], settings: ClusterSettings, embedder, out: Path | None = None, folds: int = 5,
        l2: float = 1.0) -> dict[str, Any]:
    """Fit the pair model on rated pairs; write its coefficients; report in-sample and out-of-fold."""
    import json

    import numpy as np

    from storyline.link.pairmodel import FEATURES, MODEL_FILE, fit_ridge

    pairs, rows = [], []
    for path in paths:
        ps = read_pairs(path)
        feats, df = pair_features(ps, settings, embedder)
        pairs += ps
        rows += _model_features(feats, df)
    x, y = np.array(rows), np.array([p.overall for p in pairs])
    oof = np.zeros(len(y))
    fold = np.arange(len(y)) % folds
    for k in range(folds):
        coef, b = fit_ridge(x[fold != k], y[fold != k], l2)
        oof[fold == k] = x[fold == k] @ coef + b
    coef, b = fit_ridge(x, y, l2)
    gold = [-v for v in y.tolist()]
    result = {"features": list(FEATURES), "weights": {n: round(float(c), 6) for n, c in zip(FEATURES, coef, strict=True)},
              "bias": round(b, 6), "meta": {"pairs": len(y), "files": [p.name for p in paths], "l2": l2,
                                           "pearson_in_sample": pearson((-(x @ coef + b)).tolist(), gold),
                                           "pearson_out_of_fold": pearson((-oof).tolist(), gold),
                                           "out_of_fold_by_language_pair": {
                                               k: v["pearson"] for k, v in _by_lang(pairs, (-oof).tolist(), gold).items()}}}
    target = out or MODEL_FILE
    target.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return {"out": str(target), **result}
