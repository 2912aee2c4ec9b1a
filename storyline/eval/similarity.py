"""`storyline eval similarity`: Pearson correlation of our article similarity with human ratings.

Reads a SemEval-2022 Task 8 CSV (`pair_id, lang1, lang2, text1, text2, ..., Overall`; 1 = same story,
4 = unrelated) and scores every pair with `storyline.link.similarity.pair_score`, the very function the
clusterer uses (same features, same lead embedding, same weights from `[cluster]`), without dates
(the CSV has none). Document frequencies come from all texts of the file, as a stream would give.
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
from storyline.link.similarity import DocFreq, pair_score
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
                  progress: Callable[[int, int], None] | None = None
                  ) -> tuple[list[tuple[ArticleFeatures, ArticleFeatures]], DocFreq]:
    from storyline.link.embedcache import embed_cached
    from storyline.link.step import centre

    arts = []
    for p in pairs:
        arts.append(article_from_text(p.text1, id=f"{p.pair_id}/1", lang=p.lang1))
        arts.append(article_from_text(p.text2, id=f"{p.pair_id}/2", lang=p.lang2))
    vecs = embed_cached(embedder, [lead(a, settings.embed_words) for a in arts], progress)
    feats = [extract(a, settings, vec=centre(v, embedder.name, base_lang(a.lang)))
             for a, v in zip(arts, vecs, strict=True)]
    df = DocFreq()
    seen = set()
    for f, a in zip(feats, arts, strict=True):
        key = a.text
        if key not in seen:  # a text repeated across pairs counts once
            seen.add(key)
            df.add_features(f)
    return [(feats[i], feats[i + 1]) for i in range(0, len(feats), 2)], df


def evaluate(path: Path, settings: ClusterSettings, embedder, *, limit: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    pairs = read_pairs(path, limit)
    feats, df = pair_features(pairs, settings, embedder, progress)
    scores = [pair_score(a, b, df, settings).score for a, b in feats]
    gold = [-p.overall for p in pairs]
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_lang[f"{p.lang1}-{p.lang2}"].append(i)
    dense = [pair_score(a, b, df, settings).dense or 0.0 for a, b in feats]
    return {
        "file": str(path), "pairs": len(pairs), "pearson": pearson(scores, gold),
        "pearson_dense_only": pearson(dense, gold),
        "by_language_pair": {k: {"pairs": len(ix), "pearson": pearson([scores[i] for i in ix],
                                                                       [gold[i] for i in ix])}
                             for k, ix in sorted(by_lang.items(), key=lambda kv: -len(kv[1]))},
        "embedder": embedder.name, "embed_words": settings.embed_words,
    }
