"""Time extractive summaries: one story of N articles (cold and warm embedding cache) and single articles.

Articles are synthetic but realistic: paragraphs of the seed and example files (read at run time from
../shared/seeds and examples/, never copied) shuffled into N distinct articles.
Run: python bench/summaries.py [--articles 200] [--single 10]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline.config import Config  # noqa: E402
from storyline.explain.summaries.base import SummaryError  # noqa: E402
from storyline.explain.summaries.extractive import _CACHE, ExtractiveSummarizer  # noqa: E402
from storyline.explain.summaries.generate import summarize_articles  # noqa: E402
from storyline.model import article_from_text  # noqa: E402
from storyline.store import Store  # noqa: E402


def paragraphs() -> list[str]:
    out = []
    for folder in (REPO.parent / "shared" / "seeds", REPO / "examples"):
        for p in sorted(folder.glob("*.txt")):
            text = re.sub(r"^\s*date \d{4}-\d{2}\s*", "", p.read_text(encoding="utf-8", errors="replace"))
            out += [x.strip() for x in text.split("\n\n") if len(x.split()) >= 8]
    if not out:
        sys.exit("no seed or example texts found")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--single", type=int, default=10, help="single articles to time")
    args = ap.parse_args()
    rng = random.Random(7)
    paras = paragraphs()
    arts = [article_from_text("\n\n".join(rng.sample(paras, min(8, len(paras)))), id=f"a-bench{i:04d}",
                              published=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(args.articles)]
    tmp = tempfile.TemporaryDirectory()
    store = Store(Path(tmp.name) / "bench.db")
    s = ExtractiveSummarizer(config=Config({}), store=store)
    s.embedder.embed_passages(["warm-up"])  # load the model outside the timings
    t, c = time.perf_counter(), time.process_time()
    summ = summarize_articles(s, arts[:-1], target_id="s-bench")
    cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
    _CACHE.clear()  # as in a new process: vectors come from the store
    t, c = time.perf_counter(), time.process_time()
    summarize_articles(s, arts, target_id="s-bench")
    joined, joined_cpu = time.perf_counter() - t, time.process_time() - c
    t = time.perf_counter()
    summarize_articles(s, arts, target_id="s-bench")
    warm = time.perf_counter() - t
    _CACHE.clear()
    s.store = None
    singles: list[float] = []
    singles_cpu: list[float] = []
    for art in arts[: args.single]:
        t, c = time.perf_counter(), time.process_time()
        with contextlib.suppress(SummaryError):  # a synthetic article may be too short; timing still counts
            summarize_articles(s, [art], target_id=art.id)
        singles.append(time.perf_counter() - t)
        singles_cpu.append(time.process_time() - c)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"story of {len(arts) - 1} articles, extractive, cold cache: {cold:.2f} s wall, {cold_cpu:.2f} s CPU "
          f"({len(summ.bullets)} bullets)")
    print(f"after one more article joins (vectors from the store, new process): {joined:.2f} s wall, "
          f"{joined_cpu:.2f} s CPU")
    print(f"same story again, in-process cache: {warm * 1000:.0f} ms")
    print(f"single article, cold cache: median {sorted(singles)[len(singles) // 2]:.2f} s, "
          f"max {max(singles):.2f} s over {len(singles)} articles; median CPU "
          f"{sorted(singles_cpu)[len(singles_cpu) // 2]:.2f} s")
    print(f"peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
