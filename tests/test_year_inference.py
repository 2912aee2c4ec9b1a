"""Year inference for undated articles by aligning their year-less dates with the story's dated ones."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.analyze import statements
from storyline.analyze.statements import yearless_rows
from storyline.analyze.year_inference import align_years, window_from
from storyline.config import Config
from storyline.explain.timeline import days_of
from storyline.explain.timeline_view import story_timeline
from storyline.model import Event, Story, article_from_text
from storyline.store import Store

UNDATED = (
    "Dockworkers in Valdora walked out on March 3, closing the northern terminal for the first time in a decade."
    "\n\nThe port authority rejected the union's wage offer on March 7 after a night of talks."
    "\n\nThe last strike there, in 1998, lasted three weeks."
)
MATE = "Union leader Petra Lindqvist told reporters on Monday that the dockworkers would not return to work."
DATED = (
    "The dock strike in Valdora started on 3 March 2023, according to the union."
    "\n\nNegotiators for the port authority turned down the wage offer on 7 March 2023."
)


def _vec(*hot: int) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[list(hot)] = 1.0
    return v / np.linalg.norm(v)


def _dated(aid: str, idx: int, date: str, sentence: str, vector=None, entities=()) -> dict:
    d0, d1 = days_of(date)
    return {"id": idx, "article_id": aid, "sentence_index": idx, "sentence": sentence, "date": date,
            "precision": "day", "inferred": False, "day_start": d0, "day_end": d1, "vector": vector,
            "entities": list(entities)}


def test_yearless_rows_find_only_day_months_without_a_year():
    art = article_from_text(UNDATED, id="u1", lang="en")
    rows = yearless_rows(art)
    assert [r["expression"] for r in rows] == ["March 3", "March 7"]  # "in 1998" has its year


def test_single_fitting_year_is_taken_and_gives_the_window():
    cands = yearless_rows(article_from_text(UNDATED, id="u1", lang="en"))
    dated = [_dated("d1", 0, "2023-03-03", "The strike started."), _dated("d1", 1, "2023-03-07", "Offer refused."),
             _dated("d2", 0, "2021-06-30", "Something else.")]
    aligned = align_years(cands, dated)
    assert [a.date for a in aligned] == ["2023-03-03", "2023-03-07"]
    assert aligned[0].evidence[0]["article_id"] == "d1"
    assert window_from(aligned) == ("2023-03-07", "2023-03-14")


def test_several_years_most_similar_sentence_wins_else_votes():
    cand = [{"sentence_index": 0, "expr_start": 0, "expression": "May 9", "date": "2000-05-09",
             "vector": _vec(1), "entities": []}]
    dated = [_dated("a", 0, "2016-05-09", "A parade.", _vec(3)), _dated("b", 0, "2016-05-09", "A parade.", _vec(3)),
             _dated("c", 0, "2017-05-09", "The ferry sank.", _vec(1))]
    assert [a.date for a in align_years(cand, dated)] == ["2017-05-09"]
    for d in dated:  # no vectors: the year most dated statements give
        d["vector"] = None
    cand[0]["vector"] = None
    assert [a.date for a in align_years(cand, dated)] == ["2016-05-09"]


def test_embedding_is_only_requested_when_years_compete():
    calls = []
    cand = yearless_rows(article_from_text(UNDATED, id="u1", lang="en"))
    align_years(cand, [_dated("d1", 0, "2023-03-03", "x")], embed=calls.append)
    assert calls == []
    align_years(cand, [_dated("d1", 0, "2023-03-03", "x"), _dated("d2", 0, "2022-03-03", "y")], embed=calls.append)
    assert len(calls) == 1


def test_a_recurring_date_from_a_distant_year_does_not_move_the_article():
    cands = yearless_rows(article_from_text(UNDATED, id="u1", lang="en"))
    dated = [_dated("d1", 0, "2023-03-03", "Strike."), _dated("d2", 0, "2023-03-03", "Strike began."),
             _dated("d3", 0, "2011-03-07", "An anniversary of another dispute.")]
    aligned = align_years(cands, dated)
    assert [a.date for a in aligned] == ["2023-03-03"]  # March 7 is left to the window, not 2011


# -- the statements step over a store ---------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "y.db")
    arts = [article_from_text(DATED, id="a-dated", lang="en", published="2023-03-08", published_precision="day"),
            article_from_text(UNDATED, id="a-undated", lang="en"),
            article_from_text(MATE, id="a-mate", lang="en")]
    s.add_articles(arts)
    s.save_cluster_features([(a.id, "en", a.published, a.source, a.title, {}) for a in arts])
    s.upsert_story(Story(id="s-dock", title="Dock strike"))
    s.upsert_event(Event(id="e-1", story_id="s-dock", title="strike begins"))
    s.upsert_event(Event(id="e-2", story_id="s-dock", title="union talks"))
    s.save_assignment("a-dated", "e-1", 1.0)
    s.save_assignment("a-undated", "e-2", 1.0)
    s.save_assignment("a-mate", "e-2", 1.0)
    yield s
    s.close()


CFG = Config({"timeline": {"embed": False}})


def _snapshot(store) -> list[tuple]:
    return [(st.article_id, st.sentence_index, st.expression, st.date, st.precision, st.inferred, st.assumed)
            for st in store.dated_statements()]


def test_step_places_undated_article_and_its_event_mate(store):
    assert store.article_date_window("a-undated") is None  # its event has no dated article
    report = statements.run(store, ["a-mate", "a-undated", "a-dated"], CFG)
    assert report["inferred_windows"] == 1
    window = store.inferred_window("a-undated")
    assert (window["start"], window["end"]) == ("2023-03-07", "2023-03-14")
    assert {e["expression"] for e in window["evidence"]} == {"March 3", "March 7"}
    undated = store.dated_statements(article_id="a-undated")
    assert [(s.expression, s.date) for s in undated] == [("March 3", "2023-03-03"), ("March 7", "2023-03-07"),
                                                         ("1998", "1998")]
    assert all(s.inferred for s in undated) and all(s.assumed for s in undated if s.expression != "1998")
    assert store.article_date_window("a-mate") == ("2023-03-07", "2023-03-14", True)
    mate = store.dated_statements(article_id="a-mate")
    assert [(s.expression, s.date, s.precision, s.inferred) for s in mate] == [("Monday", "2023-03", "month", True)]


def test_step_rerun_is_idempotent_and_replaces_statements(store):
    from storyline.explain import timeline_step

    statements.run(store, ["a-dated", "a-undated", "a-mate"], CFG)
    timeline_step.run(store, ["a-dated", "a-undated", "a-mate"], CFG)
    before, tl_before = _snapshot(store), story_timeline(store, "s-dock")
    statements.run(store, ["a-dated", "a-undated", "a-mate"], CFG)
    timeline_step.run(store, ["a-dated", "a-undated", "a-mate"], CFG)
    assert _snapshot(store) == before  # no statement stored twice
    tl = story_timeline(store, "s-dock")
    def shape(entries):
        return [(e.date, sorted((s.article_id, s.sentence_index) for s in e.sources)) for e in entries]

    assert shape(tl) == shape(tl_before) and tl
    assert {s.article_id for e in tl if e.date == "2023-03-03" for s in e.sources} == {"a-dated", "a-undated"}


def test_dated_article_joining_later_places_a_waiting_mate(store):
    statements.run(store, ["a-undated", "a-mate"], CFG)  # the dated article has not arrived
    assert store.inferred_window("a-undated") is None
    assert all(s.expression == "1998" for s in store.dated_statements(article_id="a-undated"))
    statements.run(store, ["a-dated"], CFG)  # it arrives: only its waiting story-mates are revisited
    assert store.inferred_window("a-undated")["start"] == "2023-03-07"
    assert {s.date for s in store.dated_statements(article_id="a-undated")} >= {"2023-03-03", "2023-03-07"}
