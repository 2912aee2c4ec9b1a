"""Benchmark: time to update a story's timeline when one article joins a story of 1,000 articles.

Synthetic story: N articles, each with S dated statements drawn from E underlying events (an event
has a date over two years and a 384-d direction, like multilingual-e5-small; a statement is its
event's direction plus noise, centred and normalised, with two of its event's entities). The
statements are stored as the "statements" step stores them (with vectors), the story's timeline is
built, then articles join one at a time and `update_story` is timed: that is the online update the
pipeline's "timeline" step performs. Embedding the new article's sentences is analysis cost paid
in the statements step; `--embed` also times it with the configured embedder.

    python bench/timeline.py [--articles 1000] [--joins 20] [--embed]

Target: < 200 ms per join.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from storyline.explain.timeline import TimelineSettings, days_of, update_story
from storyline.explain.timeline_view import story_timeline
from storyline.store import Store

DIM = 384


def make_rows(rng: np.random.Generator, events: list[dict], n: int) -> list[dict]:
    rows = []
    for i in range(n):
        ev = events[int(rng.integers(len(events)))]
        v = ev["vector"] + rng.normal(0, 0.6 / np.sqrt(DIM), DIM).astype(np.float32) * np.sqrt(DIM) * 0.05
        v = (v / np.linalg.norm(v)).astype(np.float32)
        d0, d1 = days_of(ev["date"])
        sentence = f"Synthetic statement {i} about event {ev['id']} with some words to carry it."
        rows.append({"sentence_index": i, "start": i * 120, "end": i * 120 + len(sentence), "sentence": sentence,
                     "expression": ev["date"], "expr_start": i * 120, "expr_end": i * 120 + 10, "date": ev["date"],
                     "precision": "day", "assumed": False, "inferred": False, "lang": "en", "day_start": d0,
                     "day_end": d1, "entities": ev["entities"], "vector": v})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--statements", type=int, default=5, help="dated statements per article")
    ap.add_argument("--events", type=int, default=400)
    ap.add_argument("--joins", type=int, default=20)
    ap.add_argument("--embed", action="store_true", help="also time embedding one article's statements")
    args = ap.parse_args()

    rng = np.random.default_rng(7)
    start = dt.date(2023, 1, 1)
    events = []
    for e in range(args.events):
        v = rng.normal(0, 1, DIM).astype(np.float32)
        events.append({"id": e, "date": (start + dt.timedelta(days=int(rng.integers(730)))).isoformat(),
                       "vector": v / np.linalg.norm(v), "entities": [f"Person {e % 50}", f"Place {e % 17}"]})
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        total = args.articles + args.joins
        ids = [f"a-{i:06d}" for i in range(total)]
        t0 = time.perf_counter()
        for aid in ids:
            store.replace_statements(aid, make_rows(rng, events, args.statements))
        t_store = time.perf_counter() - t0
        settings = TimelineSettings()
        t0 = time.perf_counter()
        update_story(store, "s-bench", ids[: args.articles], settings)
        t_build = time.perf_counter() - t0
        n_entries = len(store.timeline_entry_rows("s-bench"))
        times = []
        for k in range(args.joins):
            members = ids[: args.articles + k + 1]
            t0 = time.perf_counter()
            update_story(store, "s-bench", members, settings)
            times.append(1000 * (time.perf_counter() - t0))
        t0 = time.perf_counter()
        tl = story_timeline(store, "s-bench")
        t_read = 1000 * (time.perf_counter() - t0)
        store.close()

    print(f"story: {args.articles} articles x {args.statements} statements, {args.events} events "
          f"-> {n_entries} timeline entries")
    print(f"storing statements: {t_store:.1f} s total; first full build: {t_build:.2f} s")
    print(f"one article joins (n={args.joins}): median {statistics.median(times):.1f} ms, "
          f"p95 {sorted(times)[int(0.95 * (len(times) - 1))]:.1f} ms, max {max(times):.1f} ms  (target < 200 ms)")
    print(f"reading the whole timeline ({len(tl)} entries): {t_read:.1f} ms")
    if args.embed:
        from storyline.analyze.embeddings import get_embedder

        emb = get_embedder()
        texts = [f"Statement {i}: the minister announced a new plan for the harbour." for i in range(args.statements)]
        emb.embed_passages(texts[:1])
        t0 = time.perf_counter()
        emb.embed_passages(texts)
        print(f"embedding one article's {args.statements} statements ({emb.name}): "
              f"{1000 * (time.perf_counter() - t0):.0f} ms (statements step, not timeline update)")


if __name__ == "__main__":
    main()
