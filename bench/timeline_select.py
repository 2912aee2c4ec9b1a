"""Time DATEWISE-style batch timeline selection (storyline.explain.timeline_select) on a synthetic
collection the size of a Timeline17 topic (~300 articles x 30 sentences), without date parsing.

Usage: python bench/timeline_select.py [--articles 300] [--sentences 30] [--dates 40]
Prints seconds for vectorising, ranking dates and summarising the chosen dates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from storyline.eval.timeline import tokens
from storyline.explain.timeline_select import DatedSentence, prepare, rank_dates, summarise_dates

WORDS = (
    "army", "rebels", "city", "talks", "ceasefire", "minister", "vote", "court", "oil", "spill", "well",
    "leak", "virus", "vaccine", "cases", "protest", "square", "police", "bank", "rates", "market",
    "crash", "storm", "flood", "aid", "troops", "border", "capital", "leader", "election", "parliament",
    "strike", "union", "deal", "sanctions", "embassy", "refugees)",
)


def collection(articles: int, per_article: int, seed: int = 7) -> list[DatedSentence]:
    rng = random.Random(seed)
    start = dt.date(2011, 1, 1)
    out = []
    for _ in range(articles):
        pub = start + dt.timedelta(days=rng.randrange(365))
        for i in range(per_article):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
            dates = [pub - dt.timedelta(days=rng.randrange(10))] if rng.random() < 0.15 else []
            out.append(DatedSentence(text, pub, i, dates))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--sentences", type=int, default=30)
    ap.add_argument("--dates", type=int, default=40)
    args = ap.parse_args()
    sents = collection(args.articles, args.sentences)
    t0 = time.perf_counter()
    prepare(sents, tokens)
    t1 = time.perf_counter()
    dates = rank_dates(sents, args.dates)
    t2 = time.perf_counter()
    tl = summarise_dates(sents, dates, 2, ["OilSpill"], tokens)
    t3 = time.perf_counter()
    print(f"sentences {len(sents)}  dates {len(tl)}")
    print(f"prepare   {t1 - t0:.3f} s")
    print(f"rank      {t2 - t1:.3f} s")
    print(f"summarise {t3 - t2:.3f} s")


if __name__ == "__main__":
    main()
