"""Summaries in the reader's language: bullets say their language, a shell marks the others, and an
LLM bullet left untranslated is marked rather than passed off as the reader's language."""

from __future__ import annotations

import json

from fake_openai import FakeOpenAI, chat_reply, data_block
from summary_fixtures import fixture_articles

from storyline.explain.summaries.base import SummarySettings
from storyline.explain.summaries.extractive import ExtractiveSummarizer
from storyline.explain.summaries.generate import summarize_articles
from storyline.explain.summaries.llm import LLMSummarizer
from storyline.explain.summaries.sources import summary_with_sources


def test_extractive_bullets_carry_their_language_and_the_reader_language():
    arts = fixture_articles()  # Norwegian and English
    nb = summarize_articles(ExtractiveSummarizer(), arts, target_id="s-bridge", lang="nb")
    assert nb.lang == "nb" and nb.bullets and all(b.lang == "nb" for b in nb.bullets)
    de = summarize_articles(ExtractiveSummarizer(), arts, target_id="s-bridge", lang="de")  # no German source
    assert de.lang == "de" and {b.lang for b in de.bullets} <= {"nb", "en"}
    data = summary_with_sources(de)
    assert all(b["in_reader_lang"] is False and b["lang"] in ("nb", "en") for b in data["bullets"])


def test_llm_bullet_in_another_language_than_asked_is_marked():
    arts = fixture_articles()

    def lazy(req, n):  # answers with the English sentences as written, though Norwegian was asked
        items = data_block(req)
        en = [it for it in items if "bridge" in it["text"].lower() or "mayor" in it["text"].lower()][:2]
        nb = [it for it in items if "brua" in it["text"].lower() or "ordfører" in it["text"].lower()][:1]
        bullets = [{"text": it["text"], "sources": [it["id"]]} for it in nb + en]
        return 200, chat_reply(json.dumps({"bullets": bullets})), {}

    llm = LLMSummarizer(SummarySettings(backend="llm", base_url="", model="fake-model", backoff=0.01, timeout=5))
    with FakeOpenAI(lazy) as srv:
        llm.settings.base_url = srv.base_url
        s = summarize_articles(llm, arts, target_id="s-bridge", lang="nb")
    langs = [b.lang for b in s.bullets]
    assert s.lang == "nb" and "nb" in langs and "en" in langs
    assert all(b.sources for b in s.bullets)
