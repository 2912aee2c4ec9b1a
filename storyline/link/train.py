"""`storyline train stories`: fit the story decision (`storymodel`) on development pairs only.

Pairs come from two kinds of development data, read at run time:
- gold streams (JSONL as for `eval clustering`, e.g. the Timeline17 stream): replayed in date order
  with the GOLD stories as the state ("teacher forcing"); each article is scored against the stories
  candidate retrieval finds (ANN neighbours + entity index) plus its own gold story: label 1 for its
  gold story, 0 for the others. This is exactly the decision the clusterer takes online.
- a corpus of our own with gold stories (the examples + seeds: `--corpus DIR_OR_FILE --corpus-gold
  FILE`, gold rows `{ref, story}` naming files): ingested into a temporary store, entities analysed,
  then replayed like a gold stream. The only multi-year, multilingual stories among the dev data.
- SemEval-2022 Task 8 dev pairs: article A against a one-article story {B}; label 1 when the raters
  put them close (Overall <= 2), 0 when apart (>= 3), the middle left out. These carry the
  cross-language pairs the English stream lacks.
Each source gets the same total weight. Also prints, per feature, the held-out log-loss when that
feature is left out (what each feature adds), on folds by blocks of the stream / by pair.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from storyline.link.cluster import Clusterer
from storyline.link.settings import ClusterSettings
from storyline.link.similarity import prepare, prepared_score
from storyline.link.storymodel import (
    FEATURES,
    MODEL_FILE,
    StoryModel,
    StoryProfile,
    fit_logistic,
    story_features,
)

ALL_STORIES = 12  # up to this many live gold stories, every one is a candidate (hard negatives)
BLOCK = 250  # articles per block of the stream: held-out folds are blocks of time


def stream_pairs(feats, golds: list[str], settings: ClusterSettings, top: dict | None = None
                 ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(X, y, block of the stream) from a teacher-forced replay of one gold stream.

    Candidates: every live gold story while there are few, else those candidate retrieval finds plus
    the closest centroids (the negatives the online decision meets) and the article's own story.
    `top`, when given, collects per language pair (article language -> "same"/"other" language than
    its gold story so far) how often the gold story has the highest model probability among the
    candidates: [right, total]."""
    model = None
    if top is not None:
        from storyline.link.storymodel import load_model

        model = load_model(Path(settings.story_model) if settings.story_model else MODEL_FILE)
    c = Clusterer(ClusterSettings(**{**vars(settings), "story_decision": "threshold"}))
    xs, ys, groups = [], [], []
    for i, (f, g) in enumerate(zip(feats, golds, strict=True)):
        c.df.add_features(f)
        p = prepare(f, c.df)
        events, near = c.candidate_events(f)
        own = f"s:{g}"
        if len(c.stories) <= ALL_STORIES:
            cands = set(c.stories)
        else:
            cands = {c.events[e].story_id for e in events} | ({own} & c.stories.keys())
            if f.vec is not None:
                cen = sorted(c.stories, key=lambda s: -float(np.dot(f.vec, c.stories[s].profile.centroid(f.lang)
                                                                    if c.stories[s].profile.centroid(f.lang)
                                                                    is not None else 0 * f.vec)))
                cands.update(cen[:8])
        scored = []
        for sid in sorted(cands):
            x = story_features(p, c.stories[sid].profile, c.story_score(p, sid, near))
            xs.append(x)
            ys.append(1.0 if sid == own else 0.0)
            groups.append(str(i // BLOCK))
            if model is not None:
                scored.append((model.probability(x), sid))
        if model is not None and own in c.stories:
            langs = c.stories[own].profile.terms
            key = f"{f.lang or '?'}:{'same' if (f.lang or '') in langs else 'other'}"
            hit = top.setdefault(key, [0, 0])
            hit[0] += max(scored)[1] == own
            hit[1] += 1
        c._add(p, f"e:{g}", own)
    return np.array(xs, dtype=float).reshape(-1, len(FEATURES)), np.array(ys), groups


def _ref_matches(source: str, ref: str) -> bool:
    name, _, frag = ref.partition("#")
    if frag.startswith("http"):
        return source == frag
    return source.endswith("/" + name + (f"#{frag}" if frag else "")) or source == ref


def corpus_pairs(inputs: list[Path], golds: list[Path], config, top: dict | None = None,
                 entities: bool = True) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Ingest a corpus into a temporary store, analyse entities, replay it against its gold stories."""
    feats, labels = corpus_features(inputs, golds, config)
    if not entities:
        feats = [replace(f, entities=frozenset()) for f in feats]
    return stream_pairs(feats, labels, config.section("cluster", ClusterSettings), top)


def corpus_features(inputs: list[Path], golds: list[Path], config) -> tuple[list, list[str]]:
    """(features in date order, gold story of each) of the gold-labelled articles of a corpus."""
    import tempfile

    from storyline.analyze.embeddings import get_embedder
    from storyline.eval.vectorcache import embed_cached
    from storyline.ingest import ingest
    from storyline.link.features import base_lang, extract, lead
    from storyline.link.step import _date_key, centre, entity_ids
    from storyline.pipeline import load_step
    from storyline.store import Store

    settings = config.section("cluster", ClusterSettings)
    rows = [json.loads(x) for gold in golds for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    with tempfile.TemporaryDirectory(prefix="storyline-train-") as tmp:
        store = Store(Path(tmp) / "corpus.db")
        try:
            report = ingest(store, [str(i) for i in inputs], config=config)
            load_step("entities")(store, report.new, config)
            arts = sorted((a for a in store.iter_articles() if not getattr(a, "duplicate_of", None)), key=_date_key)
            labelled = [(a, r["story"]) for a in arts for r in rows if _ref_matches(a.source, r["ref"])]
            embedder = get_embedder(config)
            vecs = embed_cached(embedder, [lead(a, settings.embed_words) for a, _ in labelled])
            feats = [extract(a, settings, entities=entity_ids(store, a.id), vec=centre(v, embedder.name, base_lang(a.lang)))
                     for (a, _), v in zip(labelled, vecs, strict=True)]
        finally:
            store.close()
    return feats, [g for _, g in labelled]


def semeval_pairs(pairs_csv: Path, settings: ClusterSettings, embedder, config=None,
                  entities: bool = False) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(X, y, pair id): each rated pair as an article against a one-article story, both ways.
    With `entities`, both texts go through the entities step first, so `key_share` means the same
    (shared canonical entities) here as in the stream and corpus pairs it is fitted together with."""
    from storyline.eval.clustering import entities_of
    from storyline.eval.similarity import pair_features, read_pairs

    pairs = read_pairs(pairs_csv)
    feats, df = pair_features(pairs, settings, embedder,
                              entities=(lambda arts: entities_of(pairs_csv, arts, config)) if entities else None)
    xs, ys, groups = [], [], []
    for pair, (a, b) in zip(pairs, feats, strict=True):
        if 2.0 < pair.overall < 3.0:
            continue
        for fa, fb in ((a, b), (b, a)):
            pa, pb = prepare(fa, df), prepare(fb, df)
            prof = StoryProfile()
            prof.add(pb)
            xs.append(story_features(pa, prof, prepared_score(pa, pb, settings).score))
            ys.append(1.0 if pair.overall <= 2.0 else 0.0)
            groups.append(pair.pair_id)
    return np.array(xs, dtype=float).reshape(-1, len(FEATURES)), np.array(ys), groups


def _logloss(x: np.ndarray, y: np.ndarray, w: np.ndarray, coef: np.ndarray, b: float) -> float:
    p = 1.0 / (1.0 + np.exp(-np.clip(x @ coef + b, -30, 30)))
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum() / w.sum())


def _held_out(x, y, w, groups, keep: list[int], folds: int = 3) -> float:
    """Mean held-out log-loss over folds split by group (a gold story or a pair)."""
    uniq = sorted(set(groups))
    fold_of = {g: i % folds for i, g in enumerate(uniq)}
    f = np.array([fold_of[g] for g in groups])
    losses = []
    for k in range(folds):
        tr, te = f != k, f == k
        if not te.any() or len(set(y[tr])) < 2:
            continue
        coef, b = fit_logistic(x[tr][:, keep], y[tr], w[tr])
        losses.append(_logloss(x[te][:, keep], y[te], w[te], coef, b))
    return float(np.mean(losses)) if losses else math.nan


def train(streams: list[Path], pairs: list[Path], config, out: Path = MODEL_FILE,
          entities: bool = True, corpora: list[tuple[list[Path], list[Path]]] = (), limit: int | None = None,
          stratified: bool = False, clusters: list[str] | None = None, progress=None) -> dict[str, Any]:
    from storyline.analyze.embeddings import get_embedder
    from storyline.eval.clustering import stream_features, stream_rows

    settings = config.section("cluster", ClusterSettings)
    parts = []
    top: dict[str, list[int]] = {}  # with the model before this fit: how often the gold story ranks first
    for path in streams:
        rows, _ = stream_rows(path, limit, clusters, stratified)
        feats = stream_features(path, rows, config, entities, progress)
        parts.append((path.name, *stream_pairs(feats, [str(r["cluster"]) for r in rows], settings, top)))
    for inputs, golds in corpora:
        parts.append(("+".join(g.name for g in golds), *corpus_pairs(inputs, golds, config, top, entities)))
    embedder = get_embedder(config) if pairs else None
    for path in pairs:
        parts.append((path.name, *semeval_pairs(path, settings, embedder, config, entities)))
    parts = [p for p in parts if len(p[2])]
    if not parts:
        raise ValueError("no training pairs: give --stream and/or --pairs files")
    x = np.vstack([p[1] for p in parts])
    y = np.concatenate([p[2] for p in parts])
    w = np.concatenate([np.full(len(p[2]), 1.0 / len(p[2])) for p in parts]) * len(y)
    groups = [f"{p[0]}:{g}" for p in parts for g in p[3]]
    coef, bias = fit_logistic(x, y, w)
    allf = list(range(len(FEATURES)))
    full = _held_out(x, y, w, groups, allf)
    ablation = {name: round(_held_out(x, y, w, groups, [j for j in allf if j != i]) - full, 4)
                for i, name in enumerate(FEATURES)}
    d = StoryModel({}, 0.0)  # decision thresholds: the documented defaults, not fitted
    model = StoryModel(weights={n: round(float(c), 6) for n, c in zip(FEATURES, coef, strict=True)},
                       bias=round(bias, 6), threshold=d.threshold, merge_threshold=d.merge_threshold,
                       split_threshold=d.split_threshold,
                       meta={"sources": {p[0]: {"pairs": len(p[2]), "positive": int(p[2].sum())} for p in parts},
                             "entities": entities, "held_out_logloss": round(full, 4),
                             "stream_limit": limit, "stratified": stratified, "clusters": clusters,
                             "gold_story_ranked_first_by_previous_model": {
                                 k: {"right": v[0], "articles": v[1], "share": round(v[0] / v[1], 3)}
                                 for k, v in sorted(top.items())},
                             "logloss_increase_without": ablation})
    out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    return {"out": str(out), **model.to_json()}


__all__ = ["train", "stream_pairs", "semeval_pairs"]
