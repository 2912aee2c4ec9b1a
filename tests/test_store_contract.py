"""The store contract: every backend (SQLite, PostgreSQL) must pass every test here.

Each test runs once per backend (`store_target` in conftest.py gives an empty SQLite file or an
empty PostgreSQL database). The PostgreSQL cases skip with a reason when no server can be started,
and fail under CI=true.
"""

from __future__ import annotations

import inspect
import zlib
from pathlib import Path

import numpy as np
import pytest

from storyline.explain.timeline_view import story_timeline
from storyline.model import Article, Bullet, Event, Mention, Paragraph, ProvidedSummary, Quote, Story, Summary
from storyline.service.review import review
from storyline.store import PostgresStore, Store, StoreError, open_store
from storyline.store.interfaces import AREAS, StoreProtocol


def _article(aid: str, text: str, *, title: str | None = None, lang: str = "en", published: str | None = None,
             duplicate_of: str | None = None, content_hash: str | None = None) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text, title=title, lang=lang, published=published,
                   paragraphs=[Paragraph(text=text, lang=lang, start=0)], duplicate_of=duplicate_of,
                   content_hash=content_hash or f"h-{zlib.crc32(text.encode())}",
                   provided_summary=ProvidedSummary(bullets=["one", "two"], heading="Kort"),
                   source_display=f"{aid}.txt")


@pytest.fixture
def store(store_target):
    s = open_store(store_target)
    yield s
    s.close()


# -- the interfaces ------------------------------------------------------------------------------------
@pytest.mark.parametrize("klass", [Store, PostgresStore])
def test_both_backends_implement_every_area_with_the_declared_signatures(klass):
    for area, proto in AREAS.items():
        for name, member in inspect.getmembers(proto):
            if name.startswith("_") or not callable(member):
                continue
            impl = getattr(klass, name, None)
            assert impl is not None, f"{klass.__name__} lacks {area}.{name}"
            want = [p for p in inspect.signature(member).parameters]
            have = [p for p in inspect.signature(impl).parameters]
            assert have == want, f"{klass.__name__}.{name}{have} differs from the {area} protocol {want}"


def test_store_satisfies_the_protocol_and_leaks_no_driver_rows(store):
    assert isinstance(store, StoreProtocol)
    store.create_entity("n-1", "Juan Guaidó", "PER", "per:juan guaido")
    row = store.entity_row("n-1")
    assert type(row) is dict and row["name"] == "Juan Guaidó" and row["name_locked"] == 0
    assert type(store.find_entity_row("juan guaidó")) is dict


# -- articles --------------------------------------------------------------------------------------------
def test_articles_add_get_iterate_update_and_duplicates(store):
    a = _article("a-1", "Maduro spoke in Caracas on Monday.", title="Maduro speaks", published="2019-01-23")
    b = _article("a-2", "Undated follow-up about the talks in Oslo.", title="Talks")
    c = _article("a-3", "Earlier report from Caracas.", title="Early", published="2019-01-20")
    res = store.add_articles([a, b, c], minhashes={"a-1": b"\x01\x02\x00\xff"}, bands={"a-1": ["k1", "k2"]},
                             shingles={"a-1": 12}, pending_steps=["entities", "cluster"])
    assert [r.status for r in res] == ["new", "new", "new"]
    got = store.get_article("a-1")
    assert got == a
    assert got.provided_summary.heading == "Kort" and got.paragraphs[0].text == a.text
    assert [x.id for x in store.iter_articles()] == ["a-3", "a-1", "a-2"]  # dated first, undated last
    assert [x.id for x in store.iter_articles(["a-2", "a-1"])] == ["a-1", "a-2"]
    assert list(store.iter_articles([])) == []
    assert store.minhash_candidates(["k2", "zz"]) == [("a-1", b"\x01\x02\x00\xff", 12)]
    # same id and hash: unchanged; same id, new text: updated in place
    assert store.add_articles([a])[0].status == "unchanged"
    a2 = _article("a-1", "Maduro spoke in Caracas on Tuesday.", title="Maduro speaks", published="2019-01-23")
    assert store.add_articles([a2], pending_steps=["entities"])[0].status == "updated"
    assert store.get_article("a-1").text.endswith("Tuesday.")
    dup = _article("a-4", "Maduro spoke in Caracas on Tuesday!", duplicate_of="a-1")
    assert store.add_articles([dup])[0].status == "duplicate"
    assert store.count_articles() == 4 and store.count_articles(include_duplicates=False) == 3
    assert "a-4" not in store.article_ids() and "a-4" in store.article_ids(include_duplicates=True)
    listed = store.list_articles(since="2019-01-21")
    assert [r["id"] for r in listed] == ["a-1"] and "text" not in listed[0]
    assert [r["id"] for r in store.list_articles(limit=2, offset=1)] == ["a-1", "a-2"]
    assert [r["id"] for r in store.list_articles(offset=3)] == ["a-4"]
    assert store.article_headers(["a-2", "nope"])["a-2"]["title"] == "Talks"
    assert store.existing_ids(["a-1", "x"]) == {"a-1"}
    assert store.content_hashes(["a-1"]) == {"a-1": a2.content_hash}
    assert store.analysis_pending("entities") == ["a-1", "a-2", "a-3"]
    store.mark_done("entities", ["a-1", "a-3"])
    store.mark_failed("cluster", {"a-2": "boom"})
    assert store.analysis_pending("entities") == ["a-2"]
    assert store.analysis_pending("cluster", include_failed=True) == ["a-1", "a-2", "a-3"]
    fail = store.analysis_failures()
    assert fail[0]["article_id"] == "a-2" and fail[0]["reason"] == "boom" and fail[0]["attempts"] == 1
    status = store.analysis_status()
    assert status["stored"] == 4 and status["steps"]["entities"]["done"] == 2


def test_a_failing_batch_stores_nothing(store):
    good = _article("a-1", "Fine text.")
    bad = _article("a-2", "x")
    bad.text = None  # NOT NULL: the database refuses it mid-batch
    with pytest.raises(Exception):  # noqa: B017 - each driver has its own integrity error
        store.add_articles([good, bad], pending_steps=["entities"])
    assert store.count_articles() == 0 and store.analysis_pending("entities") == []


def test_transaction_rolls_back_everything_on_error(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.add_articles([_article("a-1", "One.")])
        store.create_entity("n-1", "X", "PER", "per:x")
        with store.transaction():  # nested: joins the outer one
            store.record_history("s-1", "created")
        raise RuntimeError("boom")
    assert store.count_articles() == 0 and store.entity_row("n-1") is None and store.story_history("s-1") == []


# -- full-text index ---------------------------------------------------------------------------------------
def test_text_search_in_several_languages_folds_accents_and_matches_prefixes(store):
    store.add_articles([
        _article("en", "Juan Guaidó declared himself interim president of Venezuela.", lang="en", title="Guaidó"),
        _article("de", "Die Gewerkschaft kündigte einen Streik in Venezuelas Hauptstadt an.", lang="de"),
        _article("es", "El gobierno de Nicolás Maduro rechazó las elecciones.", lang="es"),
        _article("nb", "Utenriksministeren møtte opposisjonen i Oslo på mandag.", lang="nb"),
        _article("xx", "Kamusi ya Kiswahili ina maneno mengi.", lang="sw"),
    ])
    assert store.text_search(["guaido"], 10) == ["en"]
    assert set(store.text_search(["venezuela"], 10)) == {"en", "de"}  # prefix: "Venezuelas"
    assert store.text_search(["nicolas", "zzz"], 10) == ["es"]
    assert store.text_search(["utenriksminister", "mandag"], 10) == ["nb"]
    assert store.text_search(["kiswahili"], 10) == ["xx"]  # a language without its own configuration
    assert store.text_search([], 10) == []
    assert store.text_term_articles("venezuela", 5) is not None
    assert store.text_term_articles("venezuela", 1) is None  # more than the cap
    assert store.text_term_count("venezuela", 10) == 2 and store.text_term_count("nothing", 10) == 0
    # an update re-indexes the article
    store.add_articles([_article("es", "Texto nuevo sin nombres.", lang="es")])
    assert store.text_search(["nicolas"], 10) == [] and store.text_search(["nuevo"], 10) == ["es"]


class _BagEmbedder:
    """A deterministic stand-in for the sentence embedder: hashed bag of folded words."""

    name = "bag-test"

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(64, dtype=np.float32)
        for w in text.lower().split():
            v[zlib.crc32(w.strip(".,").encode()) % 64] += 1.0
        return v / (np.linalg.norm(v) or 1.0)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self._vec(t) for t in texts])

    embed_passages = embed_queries


def test_search_ranks_alike_on_every_backend(store):
    from storyline.search import index_search_vectors, search

    store.add_articles([_article(f"a-{i}", text, lang=lang) for i, (text, lang) in enumerate([
        ("Zakharova answered questions about the sanctions.", "en"),
        ("The strike closed every port in the country.", "en"),
        ("Der Streik legte alle Häfen des Landes lahm.", "de"),
        ("Weather report: rain and wind tomorrow.", "en"),
    ])])
    emb = _BagEmbedder()
    assert index_search_vectors(store, emb) == 4
    assert store.missing_search_vectors(emb.name) == []
    hits = search(store, "Zakharova", embedder=emb)
    assert hits[0].article_id == "a-0" and "bm25" in hits[0].matched and hits[0].marks
    assert [h.article_id for h in search(store, "streik", mode="bm25", embedder=emb)] == ["a-2"]
    assert [h.article_id for h in search(store, "strike port", mode="dense", embedder=emb)][0] == "a-1"


# -- vectors -----------------------------------------------------------------------------------------------
def test_vectors_round_trip_exactly(store):
    rng = np.random.default_rng(7)
    vecs = {f"a-{i}": rng.standard_normal(16).astype(np.float32) for i in range(3)}
    store.add_articles([_article(a, f"text {a}") for a in vecs])
    store.put_search_vectors("m", vecs)
    ids, matrix = store.search_vector_matrix("m")
    assert sorted(ids) == sorted(vecs)
    for aid, row in zip(ids, matrix, strict=True):
        assert np.array_equal(row, vecs[aid])
    store.put_search_vectors("m", {"a-0": np.ones(16, dtype=np.float32)})  # replacing invalidates the cache
    ids, matrix = store.search_vector_matrix("m")
    assert np.array_equal(matrix[ids.index("a-0")], np.ones(16, dtype=np.float32))
    store.put_embeddings("lead", [("a-1", "hash1", vecs["a-1"])])
    got = store.get_embeddings(["a-1", "a-2"], "lead")
    assert list(got) == ["a-1"] and got["a-1"][0] == "hash1" and np.array_equal(got["a-1"][1], vecs["a-1"])
    store.put_sentence_vectors("m", [("t1", vecs["a-2"])])
    assert np.array_equal(store.sentence_vectors("m", ["t1", "t2"])["t1"], vecs["a-2"])


# -- entities ----------------------------------------------------------------------------------------------
def test_entities_mentions_lookup_merge_and_corrections(store):
    from storyline.analyze.entities import corrections

    store.add_articles([_article("a-1", "Guaidó met Pompeo. Guaidó left."), _article("a-2", "Pompeo spoke.")])
    with store.transaction():
        store.create_entity("n-g", "Juan Guaidó", "PER", "per:juan guaido")
        store.create_entity("n-g", "Someone else", "PER", "x")  # ignored: already there
        store.create_entity("n-p", "Mike Pompeo", "PER", "per:mike pompeo")
        store.create_entity("n-p2", "Pompeo", "PER", "per:pompeo")
        store.add_entity_keys("n-g", ["per:guaido", "name:guaido", "per:guaido"])
        store.add_entity_keys("n-p", ["per:mike pompeo"])
        store.add_evidence("n-g", "exact", 1.0, "Guaidó", "a-1", {"why": "same"})
        store.add_evidence_many([("n-p", "alias", 0.5, "Pompeo", "a-2", None)])
    store.replace_mentions("a-1", [
        Mention("a-1", 0, 6, "Guaidó", "PER", normalized="Guaidó", entity_id="n-g", role="leader", role_lang="en"),
        Mention("a-1", 11, 17, "M. Pompeo", "PER", entity_id="n-p"),
        Mention("a-1", 19, 25, "Guaidó", "PER", normalized="Guaidó", entity_id="n-g"),
    ])
    store.replace_mentions("a-2", [Mention("a-2", 0, 6, "Pompeo", "PER", entity_id="n-p2")])
    assert [m.start for m in store.mentions("a-1")] == [0, 11, 19]
    assert store.entity_ids_for_article("a-1") == ["n-g", "n-p"]
    assert store.analysed_article_ids(["a-1", "a-9"]) == {"a-1"}
    assert store.entity_row("n-g")["name"] == "Juan Guaidó"  # the second create was ignored
    assert store.get_entity("JUAN GUAIDó").id == "n-g"  # case-insensitive name (ASCII case, as NOCASE)
    assert store.get_entity("guaidó").id == "n-g"  # an alias (mention text)
    assert store.get_entity("guaido").id == "n-g"  # a folded key
    ent = store.get_entity("n-g")
    assert ent.mention_count == 2 and ent.article_ids == ["a-1"] and ent.roles == [{"role": "leader", "lang": "en"}]
    assert sorted(store.entities_by_key("per:guaido")) == ["n-g"]
    assert store.entity_mention_count("n-g") == 2 and store.entity_mention_types("n-g") == [("PER", 2)]
    assert store.entity_context("n-g") == {"n-p": 1}
    assert store.entity_roles("n-g") == {"leader"}
    assert store.entity_name_forms("n-g") == [("Guaidó", 1, 2)]
    assert "guaido" in store.known_name_words() and "pompeo" in store.known_person_parts()
    assert store.entity_evidence("n-g")[0]["detail"] == {"why": "same"}
    # merge (a user correction, recorded) and the automatic move record
    assert corrections.merge(store, "Mike Pompeo", "n-p2") == "n-p"
    assert store.entity_row("n-p2") is None and store.articles_for_entity("n-p") == ["a-1", "a-2"]
    store.record_entity_move("n-p2", "n-p")
    assert store.entity_moved_to("n-p2") == "n-p" and store.entity_moved_to("n-x") is None
    # split the second spelling off, rename, and read the corrections back
    store.replace_mentions("a-2", [Mention("a-2", 0, 6, "Pompeo", "PER", normalized="Pompeo", entity_id="n-p")])
    new_id = corrections.split(store, "n-p", "Pompeo")
    assert new_id and store.get_entity(new_id).mention_count == 1 and store.entity_row(new_id)["name_locked"] == 1
    corrections.rename(store, "n-g", "Juan Gerardo Guaidó")
    assert store.entity_row("n-g")["name"] == "Juan Gerardo Guaidó"
    assert [c["action"] for c in store.list_corrections()] == ["merge", "split", "rename"]
    assert store.add_correction("rename", "x", "y") > 0
    store.replace_mentions("a-1", [])
    store.replace_mentions("a-2", [])
    assert store.delete_orphan_entities() >= 2
    assert store.list_entities() == []


# -- quotes ------------------------------------------------------------------------------------------------
def test_quotes_save_list_and_filter_by_folded_speaker(store):
    store.add_articles([_article("a-1", "He said it.", published="2019-01-02"), _article("a-2", "She said it.")])
    q1 = Quote("q-1", "a-1", "We will win", 0, 11, True, speaker="Nicolás Maduro", speaker_entity_id="n-m",
               cue="said", lang="es", date="2019-01-02", date_precision="day")
    q2 = Quote("q-2", "a-2", "It is over", 0, 10, False, speaker_description="a ministry spokesperson", lang="en")
    assert store.save_quotes("a-1", [q1]) == 1 and store.save_quotes("a-2", [q2]) == 1
    assert store.get_quote("q-1") == q1 and store.count_quotes() == 2
    assert [q.id for q in store.list_quotes(speaker="nicolas")] == ["q-1"]
    assert [q.id for q in store.list_quotes(speaker="SPOKESPERSON")] == ["q-2"]
    assert [q.id for q in store.list_quotes()] == ["q-1", "q-2"]  # dated first
    assert [q.id for q in store.list_quotes(lang="en", limit=5)] == ["q-2"]
    assert store.quote_speakers()[0]["n"] == 1
    store.save_quotes("a-1", [])  # re-analysis replaces the article's quotes
    assert store.count_quotes() == 1


# -- stories and events ------------------------------------------------------------------------------------
def test_stories_events_assignments_history_and_version(store):
    store.add_articles([_article("a-1", "One.", published="2019-01-01"), _article("a-2", "Two.")])
    store.save_cluster_features([("a-1", "en", "2019-01-01", "src", "One", {"terms": ["one"]}),
                                 ("a-2", "en", None, "src", "Two", {"terms": ["two"]})])
    store.upsert_story(Story("s-1", "A story", languages=["en"], start="2019-01-01", end="2019-01-01",
                             top_entities=["X"]), sources=2)
    store.upsert_event(Event("e-1", "s-1", "An event", languages=["en"], start="2019-01-01", end="2019-01-01"))
    store.save_assignment("a-1", "e-1", 0.9)
    store.save_assignment("a-2", "e-1", None)
    before = store.story_version("s-1")
    story = store.get_story("s-1")
    assert story.article_ids == ["a-1", "a-2"] and story.event_ids == ["e-1"] and story.top_entities == ["X"]
    assert store.get_event("e-1").article_ids == ["a-1", "a-2"] and store.list_events("s-1")[0].id == "e-1"
    assert store.story_of_article("a-2").id == "s-1" and store.event_of_article("a-1").id == "e-1"
    assert store.story_article_ids("s-1") == ["a-1", "a-2"]
    assert store.cluster_assignments() == {"a-1": ("e-1", "s-1"), "a-2": ("e-1", "s-1")}
    assert [r[0] for r in store.cluster_features()] == ["a-1", "a-2"]
    assert store.cluster_article_meta(["a-2"])["a-2"]["terms"] == ["two"]
    assert store.article_date_window("a-2") == ("2019-01-01", "2019-01-01", True)
    assert store.story_heads(["a-1"]) == {"a-1": {"id": "s-1", "title": "A story", "size": 2}}
    assert store.story_with_events("s-1")[1][0].id == "e-1"
    store.upsert_story(Story("s-1", "A better title"), sources=2)
    assert store.get_story("s-1").title == "A better title" and store.story_version("s-1") != before
    store.record_history("s-2", "merged_into", "same event", into="s-1")
    assert store.merged_into("s-2") == "s-1" and store.merged_into("s-1") is None
    assert store.story_history("s-2")[0]["into"] == "s-1"
    assert "s-1" in store.story_updated() and [s.id for s in store.list_stories()] == ["s-1"]
    store.clear_clusters()
    assert store.list_stories() == [] and store.cluster_assignments() == {}
    store.delete_empty_clusters()


# -- timeline ----------------------------------------------------------------------------------------------
def test_timeline_statements_entries_and_inferred_windows(store):
    store.add_articles([_article("a-1", "On 23 January he spoke.", published="2019-01-24")])
    vec = np.arange(4, dtype=np.float32)
    row = {"sentence_index": 0, "start": 0, "end": 23, "sentence": "On 23 January he spoke.",
           "expression": "23 January", "expr_start": 3, "expr_end": 13, "date": "2019-01-23", "precision": "day",
           "assumed": False, "inferred": False, "lang": "en", "day_start": 737082, "day_end": 737082,
           "entities": ["Guaidó"], "vector": vec}
    assert store.replace_statements("a-1", [row]) == []
    st = store.dated_statements("a-1")
    assert len(st) == 1 and st[0].date == "2019-01-23" and st[0].assumed is False
    rows = store.statement_rows(["a-1"])
    assert np.array_equal(rows[0]["vector"], vec) and rows[0]["entities"] == ["Guaidó"]
    entry = {"id": "t-1", "date": "2019-01-23", "precision": "day", "text": "He spoke.", "inferred": False,
             "entities": ["Guaidó"], "centroid": vec, "sources": [{"id": rows[0]["id"]}], "day_start": 737082,
             "day_end": 737082}
    store.save_timeline("s-1", [entry], added_articles=["a-1"])
    assert store.timeline_article_ids("s-1") == {"a-1"} and store.timeline_story_of("a-1") == ["s-1"]
    got = store.timeline_entry_rows("s-1")
    assert got[0]["text"] == "He spoke." and np.array_equal(got[0]["centroid"], vec)
    assert got[0]["sources"][0]["sentence"] == row["sentence"]
    assert store.timeline_entry_rows("s-1", windows=[(1, 2)]) == []
    assert store.timeline_entry_rows("s-1", entry_ids=["t-1"], with_vectors=False)[0]["centroid"] is None
    assert store.timeline_outline("s-1")[0]["article_ids"] == ["a-1"]
    tl = story_timeline(store, "s-1")
    assert tl[0].sources[0].article_id == "a-1" and tl[0].entities == ["Guaidó"]
    assert store.timeline_entry_stories(["t-1"]) == {"s-1": ["t-1"]} and store.timeline_story_ids() == ["s-1"]
    assert store.replace_statements("a-1", [row]) == ["t-1"]  # re-analysis reports the touched entry
    store.save_inferred_window("a-1", "2019-01-01", "2019-01-31", [{"why": "shared date"}])
    assert store.inferred_window("a-1") == {"start": "2019-01-01", "end": "2019-01-31",
                                            "evidence": [{"why": "shared date"}]}
    store.delete_inferred_windows(["a-1"])
    assert store.inferred_window("a-1") is None
    store.delete_story_timeline("s-1")
    assert story_timeline(store, "s-1") == []


# -- summaries ---------------------------------------------------------------------------------------------
def test_summaries_drafts_reviews_and_history(store):
    s = Summary(id="m-1", target_id="s-1", lang=None, backend="extractive", model=None,
                bullets=[Bullet("A point.", ["a-1:0"])], status="draft", reviewer=None, reviewed_at=None,
                created_at="2026-01-01T00:00:00Z")
    first = store.save_summary(s)
    again = store.save_summary(Summary(**{**s.__dict__, "id": None, "created_at": "2026-01-02T00:00:00Z"}))
    assert again.id == first.id  # the target's unreviewed draft (lang NULL) is replaced in place
    assert len(store.list_summaries(target_id="s-1")) == 1
    done = review(store, first.id, "reject", "ed", note="wrong")
    assert done.status == "rejected" and store.get_summary(first.id).reviewer == "ed"
    assert store.summary_history(first.id)[0]["note"] == "wrong"
    third = store.save_summary(Summary(**{**s.__dict__, "created_at": "2026-01-03T00:00:00Z"}))
    assert third.id != first.id  # a reviewed summary is never overwritten
    assert [x.status for x in store.list_summaries(target_id="s-1")] == ["draft", "rejected"]


# -- migrations and errors ---------------------------------------------------------------------------------
def test_reopening_applies_nothing_and_a_newer_schema_is_refused(store_target):
    first = open_store(store_target)
    versions = first.schema_versions()
    assert versions == {c: len(s) for c, s in first.all_migrations().items()}
    assert open_store(store_target).migrate() == []
    with first.transaction() as tx:
        tx.execute("INSERT INTO schema_migrations (component, version) VALUES (?, ?)", ("articles", 99))
    with pytest.raises(StoreError, match="newer than this Storyline"):
        open_store(store_target)


def _with_extra(base: type, scripts: list[str]) -> type:
    return type(base.__name__, (base,), {"MIGRATIONS": {"zz_demo": scripts}})


def test_an_older_schema_is_upgraded_in_place_keeping_its_rows(store_target):
    base = PostgresStore if str(store_target).startswith("postgresql") else Store
    v1 = _with_extra(base, ["CREATE TABLE zz_demo (id TEXT PRIMARY KEY, v TEXT);"])
    v2 = _with_extra(base, ["CREATE TABLE zz_demo (id TEXT PRIMARY KEY, v TEXT);",
                            "ALTER TABLE zz_demo ADD COLUMN w INTEGER NOT NULL DEFAULT 7;"])
    old = v1(store_target)
    old.conn.execute("INSERT INTO zz_demo (id, v) VALUES (?, ?)", ("k", "kept"))
    if base is PostgresStore:  # a server database is upgraded on purpose only
        with pytest.raises(StoreError, match="db migrate"):
            v2(store_target)
    new = v2(store_target, migrate=True)
    assert new.schema_versions()["zz_demo"] == 2
    assert tuple(new.conn.execute("SELECT v, w FROM zz_demo").fetchone()) == ("kept", 7)


def test_postgres_connection_errors_are_specific(pg_url):
    from urllib.parse import urlsplit

    parts = urlsplit(pg_url)
    with pytest.raises(StoreError, match="cannot reach the PostgreSQL server"):
        open_store("postgresql://postgres@127.0.0.1:1/storyline")
    with pytest.raises(StoreError, match="refused the credentials of user 'nobody'"):
        open_store(f"postgresql://nobody:secret@{parts.hostname}:{parts.port}/storyline")
    with pytest.raises(StoreError, match="database 'no_such_db' does not exist"):
        open_store(f"postgresql://postgres@{parts.hostname}:{parts.port}/no_such_db")
    try:
        open_store(f"postgresql://nobody:secret@{parts.hostname}:{parts.port}/storyline")
    except StoreError as exc:
        assert "secret" not in str(exc)  # the password is never printed


def _hold(target: str, name: str, seconds: float, out: str) -> None:
    import time

    store = open_store(target)
    with store.exclusive(name):
        start = time.time()
        time.sleep(seconds)
        end = time.time()
    with open(out, "a") as fh:
        fh.write(f"{start} {end}\n")


def test_exclusive_serialises_processes_and_is_reentrant(store_target, tmp_path):
    import multiprocessing

    open_store(store_target).close()
    out = str(tmp_path / "spans.txt")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_hold, args=(store_target, "analysis", 0.6, out)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    (_a0, a1), (b0, _b1) = sorted(tuple(map(float, line.split())) for line in Path(out).read_text().splitlines())
    assert b0 >= a1 - 0.01  # the second held the lock only after the first let go
    store = open_store(store_target)
    with store.exclusive("analysis"), store.exclusive("analysis"):  # nested in one thread: no deadlock
        pass


def test_cluster_state_version_moves_with_any_writer(store_target):
    one, other = open_store(store_target), open_store(store_target)
    before = one.cluster_state_version()
    other.save_cluster_features([("a-1", "en", None, "src", "t", {})])
    other.save_assignment("a-1", "e-1", 0.5)
    assert one.cluster_state_version() != before
