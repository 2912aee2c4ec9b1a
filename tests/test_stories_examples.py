"""Regression on the example corpus: predicted events and stories against gold/examples-clustering.jsonl.

Uses the shared corpus store (seeds + examples through the full pipeline). Thresholds are fixed floors
measured when the clusterer was tuned; a drop below them is a regression.
"""

from __future__ import annotations

import json

import pytest

from storyline.eval.clustering import bcubed, pairwise
from tests.conftest import GOLD

GOLD_FILE = GOLD / "examples-clustering.jsonl"
STORY_BCUBED_F1 = 0.90
EVENT_BCUBED_F1 = 0.85


def _article_for_ref(articles, ref: str) -> str | None:
    name, _, frag = ref.partition("#")
    for a in articles:
        if frag.startswith("http"):
            if frag in (a.source, a.url, a.canonical_url):
                return a.id
        elif a.source.endswith("/" + name + (f"#{frag}" if frag else "")) or a.source == ref:
            return a.id
    return None


@pytest.fixture(scope="module")
def gold_vs_predicted(corpus_store):
    if not GOLD_FILE.exists():
        pytest.skip("gold/examples-clustering.jsonl not written yet")
    rows = [json.loads(x) for x in GOLD_FILE.read_text(encoding="utf-8").splitlines() if x.strip()]
    articles = list(corpus_store.iter_articles(include_duplicates=True))
    assign = corpus_store.cluster_assignments()
    out = []
    for r in rows:
        aid = _article_for_ref(articles, r["ref"])
        assert aid is not None, f"gold ref {r['ref']} not ingested"
        art = corpus_store.get_article(aid)
        if art.duplicate_of:  # near-duplicates are not clustered; they follow their original
            aid = art.duplicate_of
        out.append((r, assign.get(aid, (f"none:{aid}", f"none:{aid}"))))
    return out


def test_examples_story_level(gold_vs_predicted):
    gold = [r["story"] for r, _ in gold_vs_predicted]
    pred = [p[1] for _, p in gold_vs_predicted]
    score = bcubed(gold, pred)
    assert score["f1"] >= STORY_BCUBED_F1, (score, pairwise(gold, pred))


def test_examples_event_level(gold_vs_predicted):
    gold = [r["event"] for r, _ in gold_vs_predicted]
    pred = [p[0] for _, p in gold_vs_predicted]
    score = bcubed(gold, pred)
    assert score["f1"] >= EVENT_BCUBED_F1, (score, pairwise(gold, pred))
