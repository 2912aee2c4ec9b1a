"""Done-when check: over the whole seed + example corpus, every bullet of every summary (each article,
event and story; extractive, and LLM through the local fake server) cites real sentences of its target."""

from __future__ import annotations

import pytest
from fake_openai import FakeOpenAI, cite_first

from storyline.config import Config
from storyline.explain.summaries.base import SummaryError, SummarySettings
from storyline.explain.summaries.extractive import ExtractiveSummarizer
from storyline.explain.summaries.generate import resolve_target, summarize_articles
from storyline.explain.summaries.llm import LLMSummarizer
from storyline.explain.summaries.sources import resolve_sentences

pytestmark = pytest.mark.slow


def _targets(store) -> list[str]:
    return (list(store.article_ids()) + [e.id for e in store.list_events()] + [s.id for s in store.list_stories()])


def _check(store, summarizer, target_id: str) -> int:
    target = resolve_target(store, target_id)
    try:
        s = summarize_articles(summarizer, target.articles, target_id=target_id, mentions=None)
    except SummaryError:
        assert len(target.articles) == 1  # only a single very short article may lack a summary
        return 0
    assert 1 <= len(s.bullets) <= 5
    texts = {a.id: a.text for a in target.articles}
    resolved = resolve_sentences(store, [sid for b in s.bullets for sid in b.sources])
    for b in s.bullets:
        assert b.sources
        for sid in b.sources:
            sent = resolved[sid]
            assert sent is not None and sent.article_id in texts
            assert texts[sent.article_id][sent.start:sent.end] == sent.text
    return len(s.bullets)


def test_every_summary_of_the_corpus_cites_real_sentences(corpus_store):
    store = corpus_store
    targets = _targets(store)
    assert any(t.startswith("s-") for t in targets) and any(t.startswith("e-") for t in targets)
    # fewer candidates per article than the default keeps this test under two minutes on 2 shared cores;
    # provenance does not depend on how many candidates are embedded
    extractive = ExtractiveSummarizer(SummarySettings(per_article_candidates=4), config=Config({}))
    assert sum(_check(store, extractive, t) for t in targets) >= len(targets)
    with FakeOpenAI(cite_first(4, [{"text": "ghost", "sources": ["S0", "a-x:1"]}])) as srv:
        llm = LLMSummarizer(SummarySettings(backend="llm", base_url=srv.base_url, model="fake", backoff=0.01))
        for t in targets:
            _check(store, llm, t)
