"""Benchmark language identification per sentence: the Scandinavian discriminator alone and `detect`.

    python bench/langid.py                               # ../shared/data/langid/sentences, 300 per language
    python bench/langid.py --dir DIR --per-lang 1000

Times (after one warm-up pass, so detectors and the weights are loaded) the discriminator's
probabilities on the nb/nn/da/sv sentences and the whole `detect` path (lingua + discriminator) on
every language's sentences, and prints ms per sentence and peak RSS. The target is ~1 ms per sentence
or better for `detect`.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from storyline.eval.langid import load_gold
from storyline.ingest.language import detect
from storyline.ingest.scandi_classifier import shipped
from storyline.ingest.settings import DEFAULT_LANGUAGES


def per_sentence_ms(fn, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for t in texts:
        fn(t)
    return (time.perf_counter() - t0) * 1000 / max(1, len(texts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=Path("../shared/data/langid/sentences"))
    ap.add_argument("--per-lang", type=int, default=300)
    args = ap.parse_args()
    gold = load_gold(args.dir, limit=args.per_lang)
    model = shipped()
    if model is None:
        raise SystemExit("no shipped discriminator weights: run `storyline train langid` first")
    scandi = [t for c in model.labels for t in gold.get(c, [])]
    every = [t for texts in gold.values() for t in texts]
    chars = sum(map(len, every)) / max(1, len(every))
    for t in every[:50]:  # warm-up: lingua detectors, weights, word cache
        detect(t, DEFAULT_LANGUAGES)
    model._cache.clear()  # time the discriminator on words it has not seen yet
    disc = per_sentence_ms(model.probabilities, scandi)
    disc_warm = per_sentence_ms(model.probabilities, scandi)
    full = per_sentence_ms(lambda t: detect(t, DEFAULT_LANGUAGES), every)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sentences: {len(every)} ({len(scandi)} nb/nn/da/sv), {chars:.0f} characters on average")
    print(f"discriminator alone: {disc:.3f} ms per sentence (cold word cache), {disc_warm:.3f} ms (warm)")
    print(f"detect (lingua, {len(DEFAULT_LANGUAGES)} candidates, + discriminator): {full:.3f} ms per sentence")
    print(f"peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
