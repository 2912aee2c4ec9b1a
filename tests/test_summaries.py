"""Extractive summaries: provenance of every bullet, bullet count, filters, redundancy, and the store."""

from __future__ import annotations

import pytest
from summary_fixtures import INJECTION_EN, fixture_articles, seed_articles

from storyline.analyze.datelines import strip_dateline
from storyline.analyze.sentences import split_sentences
from storyline.config import Config
from storyline.explain.summaries.base import SummaryError, check_bullets, sentence_index
from storyline.explain.summaries.candidates import is_summary_worthy
from storyline.explain.summaries.extractive import ExtractiveSummarizer
from storyline.explain.summaries.generate import summarize_articles, summarize_target
from storyline.model import Article, Bullet, article_from_text
from storyline.service.review import review
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def summarizer() -> ExtractiveSummarizer:
    return ExtractiveSummarizer()


def assert_sources_resolve(summary, articles: list[Article]) -> None:
    by_id = {a.id: a for a in articles}
    assert summary.bullets
    for b in summary.bullets:
        assert b.sources, b
        for sid in b.sources:
            aid, _, idx = sid.rpartition(":")
            art = by_id[aid]
            sent = split_sentences(art)[int(idx)]
            assert art.text[sent.start:sent.end] == sent.text
            assert sent.text in art.text
            if summary.backend == "extractive":  # extractive bullets quote their source verbatim,
                assert b.text == strip_dateline(sent.text)  # less a wire dateline ("OSLO (NTB): …")


def test_every_seed_and_the_seed_story_cite_real_sentences(summarizer):
    if not SEEDS.exists():
        pytest.skip("../shared/seeds not present")
    arts = seed_articles(SEEDS)
    assert len(arts) == 5
    for art in arts:
        s = summarize_articles(summarizer, [art], target_id=art.id)
        assert 1 <= len(s.bullets) <= 5
        assert_sources_resolve(s, [art])
    story = summarize_articles(summarizer, arts, target_id="s-seeds")
    assert 3 <= len(story.bullets) <= 5
    assert_sources_resolve(story, arts)
    # a story summary draws on several articles, not just the first one
    assert len({b.sources[0].rpartition(":")[0] for b in story.bullets}) >= 3


def test_fixture_article_summary_shape(summarizer):
    nb = fixture_articles()[0]
    s = summarize_articles(summarizer, [nb], target_id=nb.id)
    assert 3 <= len(s.bullets) <= 5
    assert s.lang == "nb" and s.backend == "extractive" and s.label
    texts = [b.text for b in s.bullets]
    assert not any(t.endswith("?") or t.startswith("Foto") for t in texts)
    assert texts[0].startswith("Bystyret i Elvestad")  # the lead carries the news
    # bullets come in the article's order
    idx = [int(b.sources[0].rpartition(":")[2]) for b in s.bullets]
    assert idx == sorted(idx)


def test_bilingual_story_keeps_languages_and_prefers_the_requested_one(summarizer):
    arts = fixture_articles()
    s = summarize_articles(summarizer, arts, target_id="s-bridge")
    assert_sources_resolve(s, arts)
    langs = {sentence_index(arts)[b.sources[0]].lang for b in s.bullets}
    assert langs <= {"nb", "en"}
    # requesting English prefers English source sentences where there are some
    en = summarize_articles(summarizer, arts, target_id="s-bridge", lang="en")
    en_langs = [sentence_index(arts)[b.sources[0]].lang for b in en.bullets]
    assert en_langs and set(en_langs) == {"en"}
    assert len({b.sources[0] for b in s.bullets}) == len(s.bullets)


def test_filters_reject_questions_headings_captions_and_boilerplate():
    assert is_summary_worthy("Bystyret vedtok tirsdag å stenge den gamle brua over elva i sentrum.")
    assert not is_summary_worthy("Hva skjer nå med brua over elva i sentrum av byen?")
    assert not is_summary_worthy("Guaidó vurderer amnesti for presidenten i landet")  # heading: no stop
    assert not is_summary_worthy("Foto: Ola Nordmann / Elvestad Avis og andre fotografer her.")
    assert not is_summary_worthy("STENGT: Brua over elva er stengt for all trafikk fra i dag.")
    assert not is_summary_worthy("Les også: slik blir trafikken i sentrum når brua stenges.")
    assert not is_summary_worthy("Kort setning.")


def test_check_bullets_drops_uncited_and_unknown_sources():
    art = fixture_articles()[1]
    known = sentence_index([art])
    kept = check_bullets([Bullet("real", [f"{art.id}:0", "a-nope:3"]), Bullet("fake", ["a-nope:1"]),
                          Bullet("none", []), Bullet("  ", [f"{art.id}:1"])], known)
    assert [(b.text, b.sources) for b in kept] == [("real", [f"{art.id}:0"])]


def test_empty_article_gives_a_clear_error(summarizer):
    art = article_from_text("Kort.\n\nOgså kort.", id="a-tiny", lang="nb")
    with pytest.raises(SummaryError, match="a-tiny"):
        summarize_articles(summarizer, [art], target_id=art.id)


def test_bullets_quote_the_sentence_without_its_wire_dateline(summarizer):
    """The filing place and agency belong to the source, not to the bullet a reader skims."""
    text = ("BERGENHAVN (NTB): Havnestyret i Bergenhavn vedtok tirsdag å stenge den gamle kaia for tungtrafikk. "
            "Vedtaket kom etter at inspektører fant sprekker i tre av pilarene under kaia. "
            "Rederiene må nå legge om rutene sine til den nye terminalen i nord fra neste måned. "
            "Havnesjefen anslår at reparasjonen vil ta minst to år og koste over hundre millioner kroner.")
    art = article_from_text(text, id="a-kai", lang="nb", title="Kaia stenges for tungtrafikk")
    s = summarize_articles(summarizer, [art], target_id=art.id)
    assert_sources_resolve(s, [art])
    first = next(b for b in s.bullets if b.sources[0].endswith(":0"))
    assert first.text.startswith("Havnestyret i Bergenhavn vedtok")
    assert "(NTB)" in split_sentences(art)[0].text  # the source keeps it


def test_injection_text_is_just_a_sentence_for_extractive(summarizer):
    art = article_from_text(INJECTION_EN, id="a-harbour", lang="en")
    s = summarize_articles(summarizer, [art], target_id=art.id)
    assert_sources_resolve(s, [art])


def test_summarize_target_saves_drafts_and_never_overwrites_reviewed(tmp_path):
    from storyline.store import Store

    store = Store(tmp_path / "s.db")
    if not hasattr(store, "add_articles"):
        pytest.skip("article store not available")
    arts = fixture_articles()
    store.add_articles(arts)
    cfg = Config({})
    first = summarize_target(store, "a-bridge-nb", cfg)
    assert first.status == "draft" and store.get_summary(first.id).bullets == first.bullets
    review(store, first.id, "approve", "Kari Redaktør")
    second = summarize_target(store, "a-bridge-nb", cfg)
    assert second.id != first.id and second.status == "draft"
    assert store.get_summary(first.id).status == "approved"
    assert {s.id for s in store.list_summaries(target_id="a-bridge-nb")} == {first.id, second.id}
    with pytest.raises(SummaryError, match="not found"):
        summarize_target(store, "a-missing", cfg)
    with pytest.raises(SummaryError, match="not an article"):
        summarize_target(store, "x-1", cfg)


def test_store_keeps_sentence_vectors_so_a_rerun_embeds_nothing_new(tmp_path):
    from storyline.analyze import vectors
    from storyline.analyze.embeddings import get_embedder
    from storyline.store import Store

    store = Store(tmp_path / "v.db")
    if not hasattr(store, "add_articles"):
        pytest.skip("article store not available")
    store.add_articles(fixture_articles())
    real = get_embedder(Config({}))
    calls: list[int] = []

    class Counting:
        name, dim = real.name, real.dim

        def embed_passages(self, texts):
            calls.append(len(texts))
            return real.embed_passages(texts)

    vectors.clear()
    first = summarize_articles(ExtractiveSummarizer(embedder=Counting(), store=store), fixture_articles(),
                               target_id="s-x")
    assert calls and sum(calls) > 0
    vectors.clear()  # a new process: only the store remembers
    n = len(calls)
    again = summarize_articles(ExtractiveSummarizer(embedder=Counting(), store=store), fixture_articles(),
                               target_id="s-x")
    assert len(calls) == n and again.bullets == first.bullets


def test_candidates_span_the_whole_story_when_there_are_more_articles_than_room():
    from storyline.explain.summaries.candidates import collect_candidates

    arts = [article_from_text(f"Artikkel nummer {i} forteller at bystyret i Elvestad møttes igjen i dag.",
                              id=f"a-{i:03d}", lang="nb") for i in range(50)]
    cands = collect_candidates(arts, limit=10)
    ids = [c.sentence.article_id for c in cands]
    assert len(ids) == 10 and ids[0] == "a-000" and ids[-1] == "a-049"


def test_bullet_count_respects_bounds():
    from storyline.explain.summaries.extractive import bullet_count

    assert bullet_count(2, 5) == 2  # cannot invent sentences
    assert bullet_count(8, 5) == 3 and bullet_count(40, 5) == 5 and bullet_count(40, 2) == 2
