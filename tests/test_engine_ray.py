"""`--engine ray`: a local Ray (2 CPUs) prepares the examples on an actor pool, the driver runs the steps;
stories, events, entities and quotes are exactly those of the local path, even when an actor is killed
mid-batch, and the driver embeds next to nothing and runs no quote tagger."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.config import Config
from storyline.engine.prepare import clear_caches
from storyline.ingest import ingest
from storyline.pipeline import run_pending
from storyline.store import Store

ray = pytest.importorskip("ray")

pytestmark = pytest.mark.ray
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def snapshot(store: Store) -> dict:
    stories = sorted((s.id, tuple(sorted(store.story_article_ids(s.id)))) for s in store.list_stories())
    events = sorted((e.id, e.story_id or "", tuple(sorted(e.article_ids))) for e in store.list_events())
    entities = sorted((e.id, e.name, e.type) for e in store.list_entities())
    mentions = sorted((aid, m.start, m.end, m.entity_id or "") for aid in store.article_ids()
                      for m in store.mentions(aid))
    quotes = sorted((q.article_id, q.start, q.end, q.speaker or "", q.speaker_entity_id or "")
                    for q in store.list_quotes())
    return {"stories": stories, "events": events, "entities": entities, "mentions": mentions, "quotes": quotes}


class CountingEmbedder:
    """Wraps the real embedder: how many texts the driver itself embeds."""

    def __init__(self, real) -> None:
        self.real, self.name, self.dim, self.texts = real, real.name, real.dim, 0

    def embed_passages(self, texts):
        self.texts += len(texts)
        return self.real.embed_passages(texts)

    def embed_queries(self, texts):
        return self.real.embed_queries(texts)


def test_ray_engine_gives_the_local_result(tmp_path, monkeypatch):
    from storyline.analyze import embeddings
    from storyline.engine.ray_engine import FAULT_ENV, prepare_on_ray

    cfg = Config({})
    clear_caches()
    local = Store(tmp_path / "local.db")
    ingest(local, [str(EXAMPLES)], config=cfg)
    run_pending(local, cfg)
    want = snapshot(local)
    assert want["stories"] and want["entities"] and want["quotes"]

    clear_caches()
    counting = CountingEmbedder(embeddings.get_embedder(cfg))
    monkeypatch.setattr(embeddings, "get_embedder", lambda config=None: counting)
    on_ray = Store(tmp_path / "ray.db")
    report = ingest(on_ray, [str(EXAMPLES)], config=cfg)
    marker = tmp_path / "killed"
    monkeypatch.setenv(FAULT_ENV, str(marker))  # the first batch kills its actor mid-batch
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        prepared = prepare_on_ray(on_ray, report.new, cfg, workers=2, batch=8)
    finally:
        ray.shutdown()
    assert marker.exists()  # an actor died, Ray restarted it and retried its batch: nothing lost
    assert prepared["lost_batches"] == 0 and not prepared["failures"]
    assert prepared["vectors"] > len(report.new) and prepared["spans"] > 0
    from storyline.analyze.quotes.learned import load_tagger

    tagger, piped = load_tagger(), []
    real_pipe = tagger.pipe

    def counting_pipe(texts, **kw):
        texts = list(texts)
        piped.extend(texts)
        return real_pipe(texts, **kw)

    monkeypatch.setattr(tagger, "pipe", counting_pipe)
    run_pending(on_ray, cfg)
    assert snapshot(on_ray) == want
    assert not piped  # the workers ran the quote tagger too: the driver's quotes step only reads its spans
    # the workers embedded every lead and dated statement; the driver only what depends on the store
    # (the statements of an undated article take their dates from its story)
    assert counting.texts * 20 < prepared["vectors"]
