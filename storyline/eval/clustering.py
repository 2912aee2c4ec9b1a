"""`storyline eval clustering`: stream gold articles through the pipeline and score the clusters.

Each JSONL line is one article `{id, text, title?, lang, published, cluster}`. Articles are streamed in
date order (undated last) in small batches through the real steps (entities when that stage is
installed, then `cluster`) into a fresh store (or `--db`, whose cached embeddings are reused), and the
predicted events or stories are compared with the gold clusters by B-cubed (Bagga & Baldwin) and by
pairwise precision/recall/F1 (as in Miranda et al. 2018).
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
    from storyline.link.embedcache import embed_cached
    from storyline.link.features import lead
    from storyline.link.settings import ClusterSettings
    from storyline.link.step import text_hash

    settings = config.section("cluster", ClusterSettings)
    embedder = get_embedder(config)
    leads = [lead(a, settings.embed_words) for a in articles]
    vecs = embed_cached(embedder, leads, (lambda d, n: progress("embedding", d, n)) if progress else None)
    store.put_embeddings(embedder.name, [(a.id, text_hash(t), v) for a, t, v in zip(articles, leads, vecs,
                                                                                      strict=True)])


def evaluate(gold_path: Path, config, *, level: str = "story", limit: int | None = None, db: Path | None = None,
             entities: bool = True, progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    from storyline.store import Store

    rows = sorted(read_gold(gold_path), key=_date_key)
    empty = [r for r in rows if not str(r["text"]).strip()]  # nothing to cluster: counted, not scored
    rows = [r for r in rows if str(r["text"]).strip()]
    if limit and limit < len(rows):  # an even subsample of the date-ordered stream keeps every period
        step_ = len(rows) / limit
        rows = [rows[int(i * step_)] for i in range(limit)]
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="storyline-eval-")
        db = Path(tmp.name) / "eval.db"
    store = Store(db)
    try:
        store.clear_clusters()
        articles = [article_from_text(str(r["text"]), id=str(r["id"]), title=r.get("title"), lang=r.get("lang"),
                                      published=r.get("published"), source=f"{gold_path.name}#{r['id']}")
                    for r in rows]
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
    return {"gold_file": str(gold_path), "level": level, "articles": len(rows), "skipped_empty": len(empty),
            "bcubed": bcubed(gold, pred), "pairwise": pairwise(gold, pred),
            "predicted_clusters": len(set(pred)), "gold_clusters": len(set(gold)),
            "articles_per_second": len(rows) / elapsed if elapsed else 0.0, "seconds": round(elapsed, 1),
            "embedding_seconds": round(embed_s, 1),  # embedding (on-disk cache hits are free), not in articles/s
            "entities": entities_used}
