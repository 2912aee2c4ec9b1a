"""Hybrid search: BM25 + dense fusion, cross-lingual hits, filters, snippets, bad input."""

from __future__ import annotations

import pytest
from serve_helpers import build_small_store

from storyline.config import Config
from storyline.search import SearchError, fts_query, make_snippet, query_terms, search


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_small_store(tmp_path_factory.mktemp("search") / "s.db")


CFG = Config({})


def test_query_terms_fold_case_and_diacritics_and_quote_for_fts():
    assert query_terms("Guaidó GUAIDO Caracas") == ["guaido", "caracas"]
    # FTS5 operators in a query are quoted away, never interpreted
    q = fts_query(query_terms('NEAR(a b) OR "x" title:y'))
    assert '"near"*' in q and '"title"' in q and "title:" not in q


def test_snippet_marks_point_at_matched_words():
    text = "First sentence about weather. " * 10 + "The ferry strike continued on Tuesday. " + "Filler text. " * 20
    snippet, marks = make_snippet(text, ["ferry", "strike"])
    assert [snippet[s:e] for s, e in marks] == ["ferry", "strike"]
    assert snippet.startswith("…") and snippet.endswith("…")
    # inflected forms match by prefix ("streiken" for "streik")
    snippet, marks = make_snippet("Fagforeningen sier at streiken fortsetter.", ["streik"])
    assert [snippet[s:e] for s, e in marks] == ["streiken"]


def test_bm25_finds_exact_words(store):
    hits = search(store, "ferry strike", mode="bm25", config=CFG)
    assert hits[0].article_id == "a-en-ferry-strike"
    assert hits[0].matched == ["bm25"]
    assert any(hits[0].snippet[s:e].lower() == "ferry" for s, e in hits[0].marks)


def test_english_query_finds_danish_article_by_meaning(store):
    # no word in common with the Danish text: only the multilingual embedding can find it
    assert search(store, "volcano eruption Iceland", mode="bm25", config=CFG) == []
    hits = search(store, "volcano eruption Iceland", config=CFG)
    assert hits[0].article_id == "a-da-vulkan"
    assert "dense" in hits[0].matched and hits[0].lang == "da"


def test_norwegian_query_finds_english_article(store):
    ids = [h.article_id for h in search(store, "fergestreik pendlere", config=CFG, limit=2)]
    assert set(ids) == {"a-nb-fergestreik", "a-en-ferry-strike"}


def test_filters_lang_dates_source_story(store):
    assert {h.lang for h in search(store, "strike", lang="nb", config=CFG)} == {"nb"}
    assert [h.article_id for h in search(store, "ferry", since="2024-05", config=CFG)] == ["a-da-vulkan"]
    assert all(h.published <= "2023-12" for h in search(store, "ferry", until="2023-12", config=CFG))
    assert [h.article_id for h in search(store, "ferry", source="vulkan", config=CFG)] == ["a-da-vulkan"]
    if hasattr(store, "story_article_ids"):
        ids = {h.article_id for h in search(store, "lava", story="s-ferrystrike", config=CFG)}
        assert ids == {"a-en-ferry-strike", "a-nb-fergestreik"}


@pytest.mark.parametrize("kwargs, message", [
    ({"query": "  "}, "empty query"),
    ({"query": "x", "since": "last week"}, "since: 'last week' is not a date"),
    ({"query": "x", "mode": "magic"}, "unknown search mode"),
    ({"query": "x", "story": "s-nope"}, "no story 's-nope'"),
])
def test_bad_input_is_a_clear_error(store, kwargs, message):
    query = kwargs.pop("query")
    with pytest.raises(SearchError, match=message):
        search(store, query, config=CFG, **kwargs)


def test_vectors_are_cached_once_per_article(store):
    from storyline.analyze.embeddings import get_embedder

    name = get_embedder(CFG).name
    search(store, "ferry", config=CFG)
    assert store.missing_search_vectors(name) == []
    n = store.conn.execute("SELECT count(*) FROM search_vectors").fetchone()[0]
    assert n == store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_snippet_highlighting_skips_function_words_but_keeps_content_words():
    from storyline.search import highlight_terms

    text = "The minister said the war would go on, but the EU and the USA asked him to stop it."
    terms = highlight_terms(query_terms("war to but him EU USA state"))
    snippet, marks = make_snippet(text, terms)
    marked = [snippet[s:e] for s, e in marks]
    assert marked == ["war", "EU", "USA"]
    # Norwegian function words are skipped too; a query of nothing else still highlights them
    assert highlight_terms(query_terms("streik og til")) == ["streik"]
    assert highlight_terms(query_terms("to be or not")) == ["to", "be", "or", "not"]


def test_fusion_lets_rare_name_matches_lead_and_keeps_dense_order_otherwise():
    from storyline.search import fuse

    dense = [("a", 0.90), ("b", 0.86), ("c", 0.85), ("d", 0.70)]
    # no rare words: the dense order stands
    plain = fuse(dense, [], 5.0)
    assert sorted(plain, key=lambda a: -plain[a]) == ["a", "b", "c", "d"]
    # the query is all one rare name found only in "c": exact match wins
    scores = fuse(dense, [(3.0, ["c"])], 3.0)
    assert max(scores, key=scores.get) == "c"
    # a rare word carrying a small share of a descriptive query's idf only nudges
    scores = fuse(dense, [(3.0, ["c"])], 12.0)
    assert max(scores, key=scores.get) == "a"


def test_relevance_floor_drops_meaningless_queries(store):
    """A query with no word in any article and no meaning gets nothing (not the 'least bad' articles),
    while a cross-lingual query with no shared word still finds its article by meaning."""
    for q in ("zzzxxq", "qqq vvv www", "blorptangle frumious"):
        assert search(store, q, config=CFG) == [], q
    assert search(store, "volcano eruption Iceland", config=CFG)[0].article_id == "a-da-vulkan"
