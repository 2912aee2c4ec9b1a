"""Benchmark the clusterer: assignment latency and memory at N stored articles, and embedding throughput.

    python bench/cluster.py                      # 100,000 synthetic stored articles + embedding throughput
    python bench/cluster.py --articles 20000 --queries 300 --skip-embed
    python bench/cluster.py --articles 20000 --skip-embed --db postgresql://…/bench   # or --db FILE.db

Stored articles are synthetic (random vectors around event centres, Zipf-distributed terms, names and
entities, dates over three years) and are loaded into the clusterer's state untimed; then `--queries`
new articles are assigned one by one and each assignment is timed (candidate retrieval + scoring +
state update; embedding excluded). Peak RSS is the process maximum. Embedding throughput is measured
separately with the default backend on title + lead texts of the configured length.
With `--db TARGET` (an empty SQLite file or PostgreSQL database) the stored state also goes through the
store: writing every article's features, lead vector, event, story and assignment (in batches of 500,
one transaction each, as the link step writes), then rebuilding the clusterer from the store in a
fresh store object (`storyline.link.step.load_clusterer`: what each new process does first).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from storyline.link.cluster import Clusterer
from storyline.link.features import ArticleFeatures
from storyline.link.settings import ClusterSettings

DIM = 384
LANGS = ["en", "nb", "da", "de", "es"]


def synthetic(n: int, rng: np.random.Generator, start_day: int = 737000) -> list[tuple[ArticleFeatures, int]]:
    """(features, event number) for n articles in date order; ~5 articles per event, ~10 events per story."""
    n_events = max(1, n // 5)
    centres = rng.standard_normal((n_events, DIM)).astype(np.float32)
    vocab = [f"w{i}" for i in range(50_000)]
    zipf = 1.0 / np.arange(1, len(vocab) + 1)
    zipf /= zipf.sum()
    words_all = rng.choice(len(vocab), size=(n, 40), p=zipf)  # one draw for all articles (fast)
    noise = rng.standard_normal((n, DIM)).astype(np.float32)
    out = []
    for i in range(n):
        ev = min(n_events - 1, int(i / 5 + rng.integers(-3, 4))) if i > 5 else 0
        vec = centres[ev] + 0.8 * noise[i]
        vec /= np.linalg.norm(vec)
        words = words_all[i]
        terms = {vocab[w]: 1.0 + float(rng.random()) for w in words}
        story = ev // 10
        names = {f"name{story}_{k}": 1.0 for k in range(3)} | {f"name{rng.integers(0, 5000)}": 1.0}
        ents = frozenset({f"n-{story}", f"n-{story}-{ev % 3}", f"n-{rng.integers(0, 20000)}"})
        day = start_day + int(i * 1095 / n)
        out.append((ArticleFeatures(article_id=f"a-{i}", lang=LANGS[i % len(LANGS)], day=day, terms=terms,
                                    names=names, entities=ents, vec=vec), ev))
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def bench_assign(n: int, queries: int, seed: int = 7) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    data = synthetic(n + queries, rng)
    stored, new = data[:n], data[n:]
    s = ClusterSettings()
    c = Clusterer(s)
    t0 = time.perf_counter()
    # load the state untimed; group by the synthetic event, stories of 10 events
    c.restore_many([(f, f"e-{ev}", f"s-{ev // 10}") for f, ev in stored])
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    lat = []
    for f, _ in new:
        t = time.perf_counter()
        c.assign(f)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    import tempfile

    from storyline.link.index import VectorIndex

    with tempfile.TemporaryDirectory() as tmp:  # a saved ANN index spares the rebuild in the next process
        path = Path(tmp) / "ann.usearch"
        c.vindex.save(path, "bench")
        t = time.perf_counter()
        VectorIndex.load(path, DIM, "bench")
        ann_load_s = time.perf_counter() - t
    return {"ann_load_s": ann_load_s, "stored": n, "queries": queries, "load_s": load_s, "p50_ms": statistics.median(lat),
            "p95_ms": lat[int(0.95 * (len(lat) - 1))], "max_ms": lat[-1], "rss_after_load_mb": rss_loaded,
            "peak_rss_mb": peak_rss_mb()}


def bench_store(db: str, n: int, seed: int = 7) -> dict[str, float]:
    """Write n synthetic clustered articles through the store, then time the state rebuild from it."""
    from storyline.link.step import feature_data, load_clusterer
    from storyline.model import Event, Story
    from storyline.store import open_store

    rng = np.random.default_rng(seed)
    data = synthetic(n, rng)
    store = open_store(db)
    if store.count_articles() or store.cluster_assignments():
        raise SystemExit(f"{db}: not empty; give an empty database")
    model = "bench-model"
    t0 = time.perf_counter()
    for i in range(0, n, 500):
        chunk = data[i:i + 500]
        with store.transaction():
            store.save_cluster_features([(f.article_id, f.lang, None, "src", f"title {f.article_id}", feature_data(f))
                                         for f, _ in chunk])
            store.put_embeddings(model, [(f.article_id, "h", f.vec) for f, _ in chunk])
            for f, ev in chunk:
                store.upsert_event(Event(id=f"e-{ev}", story_id=f"s-{ev // 10}", title=f"event {ev}"))
                store.upsert_story(Story(id=f"s-{ev // 10}", title=f"story {ev // 10}"))
                store.save_assignment(f.article_id, f"e-{ev}", 0.5)
    write_s = time.perf_counter() - t0
    store.close()
    fresh = open_store(db)
    t = time.perf_counter()
    clusterer = load_clusterer(fresh, ClusterSettings(), model)
    rebuild_s = time.perf_counter() - t
    return {"backend": fresh.backend, "articles": n, "write_s": write_s, "writes_per_s": n / write_s,
            "rebuild_s": rebuild_s, "events": len(clusterer.events)}


def bench_embed(n: int, words: int) -> dict[str, float]:
    from storyline.analyze.embeddings import get_embedder
    from storyline.config import Config

    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))] if seeds.exists() else []
    if not texts:
        rnd = random.Random(1)
        texts = [" ".join(rnd.choice(["the", "minister", "said", "talks", "oil", "river", "election", "army"])
                          for _ in range(400))]
    leads = [" ".join(texts[i % len(texts)].split()[(i // len(texts)):][:words]) for i in range(n)]
    emb = get_embedder(Config({}))
    emb.embed_passages(leads[:2])  # load
    t = time.perf_counter()
    emb.embed_passages(leads)
    dt = time.perf_counter() - t
    full = texts[:3]
    t = time.perf_counter()
    emb.embed_passages(full)
    dt_full = time.perf_counter() - t
    return {"backend": emb.name, "lead_words": words, "leads": n, "leads_per_s": n / dt,
            "full_articles": len(full), "full_articles_per_s": len(full) / dt_full}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--embed", type=int, default=32, help="leads embedded for the throughput figure")
    ap.add_argument("--skip-embed", action="store_true")
    ap.add_argument("--db", help="also write the state through this empty store and rebuild from it")
    args = ap.parse_args(argv)
    r = bench_assign(args.articles, args.queries)
    print(f"assignment at {r['stored']:,} stored articles ({r['queries']} new): p50 {r['p50_ms']:.2f} ms, "
          f"p95 {r['p95_ms']:.2f} ms, max {r['max_ms']:.1f} ms; state rebuild {r['load_s']:.1f} s "
          f"(saved ANN index loads in {r['ann_load_s']:.2f} s); "
          f"peak RSS {r['peak_rss_mb']:.0f} MB (after load {r['rss_after_load_mb']:.0f} MB)")
    print(f"targets: p95 < 20 ms -> {'OK' if r['p95_ms'] < 20 else 'MISSED'}; "
          f"RSS < 2048 MB -> {'OK' if r['peak_rss_mb'] < 2048 else 'MISSED'}")
    if args.db:
        b = bench_store(args.db, args.articles)
        print(f"store ({b['backend']}): wrote {b['articles']:,} clustered articles in {b['write_s']:.1f} s "
              f"({b['writes_per_s']:.0f}/s: features, lead vector, event, story, assignment); clusterer "
              f"rebuilt from the store in {b['rebuild_s']:.1f} s ({b['events']:,} events)")
    if not args.skip_embed:
        e = bench_embed(args.embed, ClusterSettings().embed_words)
        print(f"embedding ({e['backend']}): {e['leads_per_s']:.1f} leads/s ({e['lead_words']} words), "
              f"{e['full_articles_per_s']:.2f} full articles/s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
