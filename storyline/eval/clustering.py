"""`storyline eval clustering`: stream gold articles through the pipeline and score the clusters.

Each JSONL line is one article `{id, text, title?, lang, published, cluster}`. Articles are streamed in
date order (undated last) in small batches through the real steps (entities when that stage is
installed, then `cluster`) into a fresh store (or `--db`, whose cached embeddings are reused), and the
predicted events or stories are compared with the gold clusters by B-cubed (Bagga & Baldwin) and by
pairwise precision/recall/F1 (as in Miranda et al. 2018).

`fast=True` skips the store and the pipeline: features are extracted in memory, vectors come from the
on-disk embedding cache (`eval.vectorcache`), entity ids from an on-disk cache filled by ONE run of the
entities step over the whole gold file, and the clusterer runs in memory. Iterating on linking then
costs seconds, not the minutes of the full analysis. `clusters` restricts the stream to some gold
clusters (e.g. Timeline17's Egypt, Libya and Syria collections: three confusable stories interleaved
in date order). `contamination` is the largest share of a gold cluster held by a predicted cluster
whose majority is another gold cluster (chaining shows up there first).
"""

from __future__ import annotations

import contextlib
import math
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.eval.gold import iter_jsonl
from storyline.model import article_from_text

BATCH = 25


class EvalInputError(ValueError):
    """The gold file is missing, unreadable or malformed; the message names the file and line."""


def read_gold(path: Path) -> list[dict[str, Any]]:
    rows = []
    seen: set[str] = set()
    for where, row in iter_jsonl(path, EvalInputError):
        missing = [k for k in ("id", "cluster") if not row.get(k)] + (
            ["text"] if not isinstance(row.get("text"), str) else [])
        if missing:
            raise EvalInputError(f"{where}: missing {', '.join(missing)}")
        if str(row["id"]) in seen:
            raise EvalInputError(f"{where}: duplicate id {row['id']!r}")
        seen.add(str(row["id"]))
        rows.append(row)
    if not rows:
        raise EvalInputError(f"{path}: no articles")
    return rows


def bcubed(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Item-averaged B-cubed precision/recall/F1, from the contingency table (no quadratic loop)."""
    cell = Counter(zip(gold, pred, strict=True))
    g, p = Counter(gold), Counter(pred)
    n = len(gold)
    prec = sum(c * c / p[pc] for (_, pc), c in cell.items()) / n
    rec = sum(c * c / g[gc] for (gc, _), c in cell.items()) / n
    return {"precision": prec, "recall": rec, "f1": _f1(prec, rec)}


def pairwise(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Precision/recall/F1 over article pairs placed together."""
    def pairs(c: Counter) -> int:
        return sum(math.comb(v, 2) for v in c.values())

    tp = pairs(Counter(zip(gold, pred, strict=True)))
    pp, gp = pairs(Counter(pred)), pairs(Counter(gold))
    prec = tp / pp if pp else 1.0
    rec = tp / gp if gp else 1.0
    return {"precision": prec, "recall": rec, "f1": _f1(prec, rec)}


def contamination(gold: list[str], pred: list[str]) -> float:
    """Largest share of one gold cluster's articles held by a predicted cluster mostly of another."""
    cell = Counter(zip(gold, pred, strict=True))
    g = Counter(gold)
    major: dict[str, tuple[int, str]] = {}
    for (gc, pc), c in cell.items():
        major[pc] = max(major.get(pc, (0, "")), (c, gc))
    return max((c / g[gc] for (gc, pc), c in cell.items() if major[pc][1] != gc), default=0.0)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _date_key(row: dict[str, Any]) -> tuple[int, str]:
    pub = row.get("published")
    return (0, str(pub)) if pub else (1, "")


def _steps(entities: bool) -> list[Callable[..., dict[str, Any]]]:
    from storyline.pipeline import load_step

    steps = []
    if entities:
        with contextlib.suppress(ImportError, AttributeError):  # the entities stage is not installed yet
            steps.append(load_step("entities"))
    steps.append(load_step("cluster"))
    return steps


def _prime_embeddings(store, articles, config, progress) -> None:
    """Put cached vectors (on-disk eval cache) into the fresh store so the step does not re-embed."""
    from storyline.analyze.embeddings import get_embedder
    from storyline.eval.vectorcache import embed_cached
    from storyline.link.features import lead
    from storyline.link.settings import ClusterSettings
    from storyline.link.step import text_hash

    settings = config.section("cluster", ClusterSettings)
    embedder = get_embedder(config)
    leads = [lead(a, settings.embed_words) for a in articles]
    vecs = embed_cached(embedder, leads, (lambda d, n: progress("embedding", d, n)) if progress else None)
    store.put_embeddings(embedder.name, [(a.id, text_hash(t), v) for a, t, v in zip(articles, leads, vecs,
                                                                                      strict=True)])


def stream_rows(gold_path: Path, limit: int | None = None, clusters: list[str] | None = None,
                stratified: bool = False) -> tuple[list[dict[str, Any]], int]:
    """(date-ordered rows to stream, number of empty texts skipped). `limit` keeps an even subsample
    of the date-ordered stream, or with `stratified` an even subsample of each gold cluster in
    proportion to its size (every cluster keeps its share and its whole time span)."""
    rows = sorted(read_gold(gold_path), key=_date_key)
    if clusters:
        unknown = set(clusters) - {str(r["cluster"]) for r in rows}
        if unknown:
            raise EvalInputError(f"{gold_path}: no gold cluster named {', '.join(sorted(unknown))}")
        rows = [r for r in rows if str(r["cluster"]) in clusters]
    empty = [r for r in rows if not str(r["text"]).strip()]  # nothing to cluster: counted, not scored
    rows = [r for r in rows if str(r["text"]).strip()]
    if limit and limit < len(rows) and stratified:
        by: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            by.setdefault(str(r["cluster"]), []).append(r)
        keep = {id(r) for members in by.values() for r in _even(members, max(1, round(limit * len(members) / len(rows))))}
        rows = [r for r in rows if id(r) in keep]
    elif limit and limit < len(rows):  # an even subsample of the date-ordered stream keeps every period
        rows = _even(rows, limit)
    return rows, len(empty)


def _even(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    step_ = len(rows) / k
    return [rows[int(i * step_)] for i in range(min(k, len(rows)))]


def _article(row: dict[str, Any], gold_path: Path):
    return article_from_text(str(row["text"]), id=str(row["id"]), title=row.get("title"), lang=row.get("lang"),
                             published=row.get("published"), source=f"{gold_path.name}#{row['id']}")


def entity_cache_path(gold_path: Path, ids: list[str], config=None) -> Path:
    """Cache file of one entities-step run: keyed by the input file, the article ids, and which
    recogniser made the ids (backend, model, post-pass and the shipped weights' training records), so
    retrained NER weights or another backend never reuse stale ids."""
    import hashlib

    from storyline.analyze.entities.settings import EntitySettings
    from storyline.analyze.entities.trained import MODELS_DIR
    from storyline.eval.vectorcache import cache_path

    h = hashlib.sha1(gold_path.read_bytes())
    for i in ids:
        h.update(b"\0" + i.encode("utf-8"))
    ent = config.section("entities", EntitySettings) if config is not None else EntitySettings()
    h.update(f"\0{ent.backend}\0{ent.model}\0{ent.post_rules}".encode())
    for record in sorted(MODELS_DIR.glob("ner-*/training.json")):
        h.update(record.read_bytes())
    return cache_path().with_name(f"eval-entities-{h.hexdigest()[:16]}.json")


def entities_of(source: Path, articles: list, config, progress=None) -> dict[str, list[str]]:
    """Article id -> canonical entity ids from one entities-step run over exactly `articles` (read
    from `source`, which with the ids keys the on-disk cache), as the store pipeline would resolve
    them (resolution depends on what else was seen)."""
    import json

    from storyline.store import Store

    path = entity_cache_path(source, [str(a.id) for a in articles], config)
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    steps = _steps(True)[:-1]
    if not steps:
        return {}
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        store = Store(Path(tmp) / "ents.db")
        try:
            store.add_articles(articles)
            for i in range(0, len(articles), 200):
                steps[0](store, [a.id for a in articles[i:i + 200]], config)
                if progress:
                    progress("entities", min(i + 200, len(articles)), len(articles))
            out = {a.id: list(store.entity_ids_for_article(a.id)) for a in articles}
        finally:
            store.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out), encoding="utf-8")
    return out


def stream_features(gold_path: Path, rows: list[dict[str, Any]], config, entities: bool, progress=None):
    """In-memory features of the rows (cached vectors; cached entity ids when `entities`)."""
    from storyline.analyze.embeddings import get_embedder
    from storyline.eval.vectorcache import embed_cached
    from storyline.link.features import base_lang, extract, lead
    from storyline.link.settings import ClusterSettings
    from storyline.link.step import centre

    settings = config.section("cluster", ClusterSettings)
    embedder = get_embedder(config)
    articles = [_article(r, gold_path) for r in rows]
    vecs = embed_cached(embedder, [lead(a, settings.embed_words) for a in articles],
                        (lambda d, n: progress("embedding", d, n)) if progress else None)
    ents = entities_of(gold_path, articles, config, progress) if entities else {}
    return [extract(a, settings, entities=frozenset(ents.get(a.id, ())),
                    vec=centre(v, embedder.name, base_lang(a.lang))) for a, v in zip(articles, vecs, strict=True)]


def naming_scores(gold: list[str], pred: list[str], texts: list[str], words: dict[str, str]) -> dict[str, Any]:
    """B-cubed over the articles whose text names their gold cluster (`words`: cluster -> a word, matched
    case-folded anywhere in the text), and the whole stream's B-cubed recall when those articles are
    clustered perfectly and every other article stays alone.

    Why: a gold collection gathered by keyword search can hold articles about other news (189 of the 654
    articles of Timeline17's Syria collection never name Syria: Reuters pages on aerospace, hurricanes,
    share dividends). No linker should join those to the story; this says how much of a recall gap
    they make. Clusters without a word count in full."""
    names = [g not in words or words[g].casefold() in t.casefold() for g, t in zip(gold, texts, strict=True)]
    keep = [i for i, ok in enumerate(names) if ok]
    ceiling = [g if ok else f"\0alone-{i}" for i, (g, ok) in enumerate(zip(gold, names, strict=True))]
    return {"words": words, "articles": len(keep), "of": len(gold),
            "bcubed": bcubed([gold[i] for i in keep], [pred[i] for i in keep]),
            "recall_ceiling": bcubed(gold, ceiling)["recall"]}


def evaluate_fast(gold_path: Path, config, *, limit: int | None = None, clusters: list[str] | None = None,
                  entities: bool = True, stratified: bool = False, naming: dict[str, str] | None = None,
                  progress=None) -> dict[str, Any]:
    """Both levels at once, clusterer in memory (see module docstring); with `naming`, also the story
    level over the articles that name their story (`naming_scores`)."""
    from storyline.link.settings import ClusterSettings

    rows, skipped = stream_rows(gold_path, limit, clusters, stratified)
    feats = stream_features(gold_path, rows, config, entities, progress)
    out: dict[str, Any] = {"gold_file": str(gold_path), "articles": len(rows), "skipped_empty": skipped,
                           "clusters": clusters or None, "stratified": stratified,
                           "entities": entities and any(f.entities for f in feats)}
    return {**out, **cluster_in_memory(rows, feats, config.section("cluster", ClusterSettings), progress,
                                       naming=naming)}


def cluster_in_memory(rows: list[dict[str, Any]], feats, settings, progress=None,
                      naming: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the clusterer over prepared features in stream order; scores at both levels."""
    from storyline.link.cluster import Clusterer

    c = Clusterer(settings)
    t0 = time.perf_counter()
    for i, f in enumerate(feats, start=1):
        c.assign(f)
        if i % BATCH == 0 or i == len(feats):
            if c.model is not None and c.s.consolidate_every:
                c.consolidate()  # as the cluster step does at the end of each run (one batch)
            if progress:
                progress("clustering", i, len(feats))
    elapsed = time.perf_counter() - t0
    gold = [str(r["cluster"]) for r in rows]
    out: dict[str, Any] = {"articles_per_second": len(rows) / elapsed if elapsed else 0.0,
                           "seconds": round(elapsed, 1),
                           "merges": sum(x.action == "merged" for x in c.consolidations),
                           "splits": sum(x.action == "split" for x in c.consolidations)}
    for level in ("event", "story"):
        pred = [c.article_event[f.article_id] if level == "event" else c.events[c.article_event[f.article_id]].story_id
                for f in feats]
        out[level] = _scores(gold, pred, [f.lang or "" for f in feats])
        if naming and level == "story":
            out[level]["naming"] = naming_scores(gold, pred, [str(r.get("text") or "") for r in rows], naming)
    return out


def _scores(gold: list[str], pred: list[str], langs: list[str]) -> dict[str, Any]:
    out = {"bcubed": bcubed(gold, pred), "pairwise": pairwise(gold, pred), "predicted_clusters": len(set(pred)),
           "gold_clusters": len(set(gold)), "contamination": contamination(gold, pred)}
    if len(set(langs)) > 1:
        out["bcubed_by_language"] = {lang: bcubed([g for g, x in zip(gold, langs, strict=True) if x == lang],
                                                  [p for p, x in zip(pred, langs, strict=True) if x == lang])["f1"]
                                     for lang in sorted(set(langs))}
    return out


def evaluate(gold_path: Path, config, *, level: str = "story", limit: int | None = None, db: Path | None = None,
             entities: bool = True, clusters: list[str] | None = None, stratified: bool = False,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    from storyline.store import Store

    rows, skipped = stream_rows(gold_path, limit, clusters, stratified)
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="storyline-eval-")
        db = Path(tmp.name) / "eval.db"
    store = Store(db)
    try:
        store.clear_clusters()
        articles = [_article(r, gold_path) for r in rows]
        store.add_articles(articles)
        t_embed = time.perf_counter()
        _prime_embeddings(store, articles, config, progress)
        embed_s = time.perf_counter() - t_embed
        steps = _steps(entities)
        entities_used = len(steps) > 1
        t0 = time.perf_counter()
        for i in range(0, len(articles), BATCH):
            ids = [a.id for a in articles[i:i + BATCH]]
            for run in steps:
                run(store, ids, config)
            if progress:
                progress("clustering", min(i + BATCH, len(articles)), len(articles))
        elapsed = time.perf_counter() - t0
        assign = store.cluster_assignments()
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()
    k = 0 if level == "event" else 1
    gold = [str(r["cluster"]) for r in rows]
    pred = [assign[str(r["id"])][k] if str(r["id"]) in assign else f"unassigned:{r['id']}" for r in rows]
    return {"gold_file": str(gold_path), "level": level, "articles": len(rows), "skipped_empty": skipped,
            **_scores(gold, pred, [str(r.get("lang") or "") for r in rows]),
            "articles_per_second": len(rows) / elapsed if elapsed else 0.0, "seconds": round(elapsed, 1),
            "embedding_seconds": round(embed_s, 1),  # embedding (on-disk cache hits are free), not in articles/s
            "entities": entities_used}
