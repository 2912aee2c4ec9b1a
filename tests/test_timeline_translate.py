"""Entry translations into the reader's language through an OpenAI-compatible endpoint (the local fake
server), stored beside the source and citing it; unsupported translations are not stored."""

from __future__ import annotations

import json

from fake_openai import FakeOpenAI, chat_reply, data_block
from summary_fixtures import fixture_articles, make_story

from storyline.analyze.statements import run as statements_step
from storyline.config import Config
from storyline.explain.summaries.base import SummarySettings
from storyline.explain.summaries.llm import LLMSummarizer
from storyline.explain.timeline_step import run as timeline_step
from storyline.explain.timeline_view import story_timeline
from storyline.explain.translate import translate_story


def _story(store) -> str:
    nb, en = fixture_articles()
    sid = make_story(store, [en])  # English only: a Norwegian reader needs translations
    statements_step(store, [en.id], Config({}))
    timeline_step(store, [en.id], Config({}))
    return sid


def _llm(srv) -> LLMSummarizer:
    return LLMSummarizer(SummarySettings(backend="llm", base_url=srv.base_url, model="fake-model", backoff=0.01,
                                         timeout=5))


def test_translation_is_stored_beside_the_source_and_cites_it(store):
    sid = _story(store)
    before = story_timeline(store, sid, lang="nb")
    assert before and all(e.lang == "en" and e.translation is None for e in before)

    def translating(req, n):  # keeps names and numbers, as a faithful translation does
        it = data_block(req)[0]
        return 200, chat_reply(json.dumps({"bullets": [{"text": "Oversatt: " + it["text"], "sources": [it["id"]]}]})), {}

    with FakeOpenAI(translating) as srv:
        report = translate_story(store, sid, "nb", llm=_llm(srv))
    assert report["translated"] == len(before) and not report["rejected"]
    assert "Norwegian" in srv.requests[0]["messages"][1]["content"]
    after = story_timeline(store, sid, lang="nb")
    for old, new in zip(before, after, strict=True):
        assert new.text == old.text  # the source stays the text
        assert new.translation and new.translation.startswith("Oversatt: ")
    assert story_timeline(store, sid)[0].translation is None  # no reader language, no translation shown


def test_unsupported_translation_is_rejected_not_stored(store):
    sid = _story(store)

    def inventing(req, n):  # adds a number the source does not hold
        it = data_block(req)[0]
        return 200, chat_reply(json.dumps({"bullets": [{"text": "Brua stengt i 1999 etter 77 ulykker.",
                                                        "sources": [it["id"]]}]})), {}

    with FakeOpenAI(inventing) as srv:
        report = translate_story(store, sid, "nb", llm=_llm(srv))
    assert report["translated"] == 0 and report["rejected"]
    assert all(e.translation is None for e in story_timeline(store, sid, lang="nb"))
