"""Ingest throughput and peak memory: N synthetic articles from the example corpus's paragraphs.

Each synthetic article is a shuffled recombination of 6-12 paragraphs drawn from the examples (one
language per article, so detection stays realistic) with a unique numbered lead. Pools are small
(the Swedish one has 6 paragraphs), so many articles hold the same paragraphs reshuffled: those are
rightly linked as near-duplicates by containment (~17% at N=10,000); the work per article is the same. Written as .txt files, ingested into a fresh temporary database with
one worker. Prints articles/s (wall clock, and per CPU-second of this process: on a shared machine the
wall figure includes time spent waiting for a core), peak RSS and the report's counts.
Usage: python bench/ingest.py [--n 10000] [--db postgresql://…/empty_db | --db FILE.db]
(`--db`: ingest into that empty store instead of a temporary SQLite file; for PostgreSQL the CPU figure
counts this process only, not the server's.)
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def example_paragraphs(store_dir: Path) -> dict[str, list[str]]:
    from storyline.config import Config
    from storyline.ingest import ingest
    from storyline.store import Store

    store = Store(store_dir / "examples.db")
    ingest(store, [str(REPO / "examples")], config=Config({}))
    by_lang: dict[str, list[str]] = defaultdict(list)
    for art in store.iter_articles():
        by_lang[art.lang or "?"].extend(p.text for p in art.paragraphs if len(p.text) > 60)
    store.close()
    return {k: v for k, v in by_lang.items() if len(v) >= 6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", help="an empty store to ingest into (file path or postgresql:// URL)")
    args = ap.parse_args()
    from storyline.config import Config
    from storyline.ingest import ingest
    from storyline.store import Store, open_store

    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        pools = example_paragraphs(tmpd)
        rng = random.Random(args.seed)
        langs = sorted(pools)
        src = tmpd / "articles"
        src.mkdir()
        for i in range(args.n):
            lang = langs[i % len(langs)]
            paras = rng.sample(pools[lang], k=min(len(pools[lang]), rng.randint(6, 12)))
            lead = f"Synthetic report {i} ({lang}), item {rng.randint(0, 10**9)}."
            date = f" date 20{rng.randint(10, 25)}-{rng.randint(1, 12):02d} " if i % 3 == 0 else ""
            (src / f"{i:06d}.txt").write_text(date + lead + "\n\n" + "\n\n".join(paras), encoding="utf-8")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        store = open_store(args.db) if args.db else Store(tmpd / "bench.db")
        if store.count_articles():
            raise SystemExit(f"{args.db}: not empty; give an empty database")
        t0, c0 = time.perf_counter(), time.process_time()
        report = ingest(store, [str(src)], config=Config({}))
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stored = store.count_articles()
    print(f"articles: {args.n} generated, {len(report.new)} new, {len(report.duplicates)} near-duplicates, "
          f"{len(report.skipped)} skipped, "
          f"{len(report.failures)} failed, {stored} stored")
    print(f"store: {store.backend} ({store.location if args.db else 'temporary file'})")
    print(f"time: {dt:.1f} s  throughput: {args.n / dt:.0f} articles/s (one worker, wall clock)")
    print(f"cpu: {cpu:.1f} s  {args.n / cpu:.0f} articles per CPU-second (what an uncontended core gives)")
    print(f"peak RSS: {peak:.0f} MB (before ingest: {rss_before:.0f} MB)")


if __name__ == "__main__":
    main()
