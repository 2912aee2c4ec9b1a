"""Run the per-article work (`engine.prepare`) on Ray: an actor pool, each actor loading its models once.

`prepare_on_ray(store, article_ids, config, address=..., workers=N)` reads the articles on the driver,
sends them in batches to N actors (`num_cpus=1` each; one embedder and one set of spaCy pipelines
per actor), and primes the driver's vector and span caches with what comes back. The ordinary
pipeline steps then run on the driver (`run_pending`): they find every vector and span cached, so
what is left there is resolution, quote extraction, linking and the store writes. Linking stays one
ordered consumer: the clusterer assigns the analysed articles in date order in one process, so the
stories are exactly those of a local run (the limits of this choice are in docs/SCALE.md).

Faults: actors are restarted by Ray (`max_restarts`) and a batch whose actor died is retried
(`max_task_retries`); a batch that still fails is reported and its articles are prepared by the
driver's steps instead, so nothing is lost and nothing is half stored (workers never write the
store). An article that fails inside a batch fails alone, with its reason.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

from storyline.engine.prepare import Prepared, absorb, prepare_batch
from storyline.pipeline import defer_background

log = logging.getLogger(__name__)

BATCH = 16
FAULT_ENV = "STORYLINE_FAULT_RAY"


class EngineError(Exception):
    pass


def _ray():
    try:
        import ray
    except ImportError as exc:
        raise EngineError("the Ray engine needs Ray: pip install 'storyline[ray]'") from exc
    return ray


def connect(address: str | None = None, workers: int = 2) -> None:
    """Join the cluster at `address` ("auto", "HOST:PORT", "ray://…"), or start a local Ray with `workers` CPUs."""
    ray = _ray()
    if ray.is_initialized():
        return
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                              "configure_logging": False}
    if address:
        ray.init(address=address, **kwargs)
    else:
        ray.init(num_cpus=max(1, workers), **kwargs)


class PrepareWorker:
    """One Ray actor: the config and the models, loaded once; `prepare` runs `prepare_batch`."""

    def __init__(self, config_data: dict[str, Any], threads: int = 1) -> None:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # before the embedder's OpenMP runtime starts
        from storyline.config import Config

        self.config = Config(config_data)

    def prepare(self, articles: list) -> Prepared:
        _fault_once()
        return prepare_batch(articles, self.config)


def _fault_once() -> None:
    """Crash-test hook: with `STORYLINE_FAULT_RAY=<marker file>`, the first batch any actor takes kills
    that actor mid-batch (the marker records it happened), so the tests see Ray retry the batch."""
    marker = os.environ.get(FAULT_ENV)
    if marker and not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as fh:
            fh.write(str(os.getpid()))
        os._exit(1)


def prepare_on_ray(store, article_ids: Sequence[str], config, *, address: str | None = None, workers: int = 2,
                   batch: int = BATCH, threads: int = 1,
                   progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Prepare `article_ids` on an actor pool of `workers` and prime this process's caches with the results.

    `threads`: OpenMP threads per actor (1: one actor per CPU; more where a node has spare cores)."""
    ray = _ray()
    from ray.util import ActorPool

    connect(address, workers)
    ids = list(dict.fromkeys(article_ids))
    articles = [a for a in (store.get_article(aid) for aid in ids) if a is not None and not a.duplicate_of]
    batches = [articles[i:i + batch] for i in range(0, len(articles), batch)]
    report: dict[str, Any] = {"articles": len(articles), "batches": len(batches), "workers": workers,
                              "vectors": 0, "spans": 0, "failures": [], "lost_batches": 0}
    if not batches:
        return report
    actor = ray.remote(num_cpus=1, max_restarts=2, max_task_retries=2)(PrepareWorker)
    pool = ActorPool([actor.remote(config.data, threads) for _ in range(max(1, workers))])
    done = 0
    # deferred background steps may drain in another process (serve): keep the vectors in the store
    keep = defer_background(config)
    for b in batches:  # queued; each actor takes the next batch as it finishes one
        pool.submit(lambda a, v: a.prepare.remote(v), b)
    for _ in batches:
        try:
            prepared: Prepared = pool.get_next_unordered()
        except Exception as exc:  # an actor died past its retries: the steps prepare these articles
            log.warning("ray: a batch was lost (%s); the driver's steps will prepare its articles", exc)
            report["lost_batches"] += 1
            continue
        got = absorb(prepared)
        if keep and prepared.vectors and hasattr(store, "put_sentence_vectors"):
            from storyline.analyze.vectors import text_key

            store.put_sentence_vectors(prepared.model, [(text_key(t), v) for t, v in prepared.vectors.items()])
        report["worker_cpu_s"] = round(report.get("worker_cpu_s", 0.0) + prepared.cpu_seconds, 2)
        report["vectors"] += got["vectors"]
        report["spans"] += got["spans"]
        report["failures"] += [{"article_id": a, "reason": r} for a, r in prepared.failures.items()]
        done += prepared.articles
        if progress:
            progress("ray", done, len(articles))
    return report


def ingest_with_ray(store, inputs: list[str], config, *, address: str | None = None, workers: int = 2,
                    progress: Callable[[str, int, int], None] | None = None, **ingest_kwargs: Any):
    """Ingest `inputs` on the driver, prepare the new articles on Ray, then run the steps: (report, analysis)."""
    from storyline.ingest import ingest
    from storyline.pipeline import run_pending

    report = ingest(store, inputs, config=config, **ingest_kwargs)
    ray_report = prepare_on_ray(store, list(report.new) + list(report.updated), config, address=address,
                                workers=workers, progress=progress)
    analysis = run_pending(store, config, progress=progress)
    return report, {"ray": ray_report, **analysis}
