"""Timeline merging as pure functions over statement dicts, and the store's incremental update."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.analyze.dates import Reference, find_dates
from storyline.analyze.statements import statements_for_article, states_event, window_reference
from storyline.explain.timeline import (
    build_timeline,
    dates_compatible,
    days_of,
    merge_statements,
    remove_articles,
    update_story,
)
from storyline.explain.timeline_view import story_timeline
from storyline.model import article_from_text
from storyline.store import Store

DIM = 16


def vec(*hot: int, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    for h in hot:
        v[h] = 1.0
    if noise:
        v += np.random.default_rng(seed).normal(0, noise, DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def stmt(aid: str, idx: int, date: str, precision: str, sentence: str, v: np.ndarray | None,
         entities=(), lang="en", inferred=False, sid: int | None = None) -> dict:
    d0, d1 = days_of(date)
    return {"id": sid if sid is not None else hash((aid, idx, date)) & 0xFFFFFF, "article_id": aid,
            "sentence_index": idx, "start": 0, "end": len(sentence), "sentence": sentence, "expression": date,
            "date": date, "precision": precision, "assumed": False, "inferred": inferred, "lang": lang,
            "day_start": d0, "day_end": d1, "entities": list(entities), "vector": v}


def test_same_event_in_two_languages_is_one_entry_with_both_sources():
    a = stmt("a1", 3, "2019-01-23", "day", "23. januar utropte opposisjonslederen seg til president.",
             vec(0), ["Guaidó"], lang="nb")
    b = stmt("a2", 1, "2019-01-23", "day", "On January 23 the opposition leader declared himself president.",
             vec(0, noise=0.3, seed=1), ["Guaidó"], lang="en")
    other = stmt("a2", 2, "2019-01-23", "day", "On January 23 floods closed the port.", vec(5), ["Port"])
    entries = build_timeline("s-1", [a, b, other])
    assert len(entries) == 2
    merged = next(e for e in entries if len(e["sources"]) == 2)
    assert {s["lang"] for s in merged["sources"]} == {"nb", "en"}
    assert merged["date"] == "2019-01-23" and merged["precision"] == "day"
    assert merged["entities"] == ["Guaidó"]


def test_adjacent_days_merge_but_distant_days_do_not():
    a = stmt("a1", 0, "2025-11-21", "day", "The two presidents spoke by phone.", vec(1))
    b = stmt("a2", 0, "2025-11-22", "day", "The presidents held a phone call.", vec(1, noise=0.2, seed=2))
    c = stmt("a3", 0, "2025-11-25", "day", "The presidents talked on the phone.", vec(1, noise=0.2, seed=3))
    entries = build_timeline("s-1", [a, b, c])
    assert sorted(len(e["sources"]) for e in entries) == [1, 2]


def test_month_statement_joins_day_entry_inside_it_only_when_similar():
    day = stmt("a1", 0, "2019-01-23", "day", "He declared himself president.", vec(2))
    month_same = stmt("a2", 4, "2019-01", "month", "In January he proclaimed himself president.",
                      vec(2, noise=0.15, seed=4))
    month_other = stmt("a3", 1, "2019-01", "month", "In January exports fell.", vec(7))
    entries = build_timeline("s-1", [month_same, day, month_other])
    by_size = sorted(entries, key=lambda e: -len(e["sources"]))
    assert len(by_size[0]["sources"]) == 2 and by_size[0]["date"] == "2019-01-23"  # finest date wins
    assert by_size[1]["date"] == "2019-01" and by_size[1]["precision"] == "month"


def test_one_sentence_never_counts_twice_in_an_entry():
    a = stmt("a1", 0, "2019-01-21", "day", "Removed on 21 and sworn in on 22 January.", vec(3), sid=1)
    b = stmt("a1", 0, "2019-01-22", "day", "Removed on 21 and sworn in on 22 January.", vec(3), sid=2)
    entries = build_timeline("s-1", [a, b])
    assert len(entries) == 2


def test_entry_inferred_only_when_every_source_is():
    a = stmt("a1", 0, "2019-01", "month", "Protests spread across the country.", vec(4), inferred=True)
    entries = build_timeline("s-1", [a])
    assert entries[0]["inferred"] is True
    b = stmt("a2", 0, "2019-01", "month", "Protests spread across the whole country.", vec(4))
    merge_statements("s-1", entries, [b])
    assert len(entries) == 1 and entries[0]["inferred"] is False


def test_lexical_fallback_without_vectors():
    a = stmt("a1", 0, "2020-05-01", "day", "The central bank raised interest rates by half a point.", None)
    b = stmt("a2", 0, "2020-05-01", "day", "Interest rates raised by the central bank, half a point.", None)
    c = stmt("a3", 0, "2020-05-01", "day", "A storm flooded the coastal villages overnight.", None)
    entries = build_timeline("s-1", [a, b, c])
    assert sorted(len(e["sources"]) for e in entries) == [1, 2]


def test_remove_article_drops_its_sources_and_empty_entries():
    a = stmt("a1", 0, "2019-01-23", "day", "x declared", vec(0))
    b = stmt("a2", 0, "2019-01-23", "day", "x declared too", vec(0))
    c = stmt("a2", 1, "2019-03-01", "day", "y happened", vec(6))
    entries = build_timeline("s-1", [a, b, c])
    changed, deleted = remove_articles(entries, {"a2"})
    assert len(entries) == 1 and len(entries[0]["sources"]) == 1
    assert len(deleted) == 1 and len(changed) == 1


def test_dates_compatible_rules():
    d = stmt("a", 0, "2019-01-23", "day", "s", None)
    assert dates_compatible(d, stmt("b", 0, "2019-01", "month", "s", None))
    assert not dates_compatible(d, stmt("b", 0, "2019-02", "month", "s", None))
    assert dates_compatible(d, stmt("b", 0, "2019-W04", "week", "s", None))
    assert not dates_compatible(stmt("b", 0, "2019-01", "month", "s", None), stmt("c", 0, "2019-02", "month", "s", None))


# -- statements from article text -----------------------------------------------------------------

ARTICLE = """Regjeringen la fram budsjettet 7. oktober, og opposisjonen reagerte kraftig.

Publisert 09.10.2024 10:00

Tirsdag møttes partilederne for å forhandle. Ingen dato er satt for neste møte."""


def test_statements_for_article_skip_bare_date_lines_and_keep_offsets():
    art = article_from_text(ARTICLE, id="a-x", lang="nb", published="2024-10-09", published_precision="day")
    rows = statements_for_article(art, Reference.parse("2024-10-09"))
    assert [(r["date"], r["expression"]) for r in rows] == [("2024-10-07", "7. oktober"), ("2024-10-08", "Tirsdag")]
    for r in rows:
        assert art.text[r["start"]:r["end"]] == r["sentence"]
        assert art.text[r["expr_start"]:r["expr_end"]] == r["expression"]


def _one_article_rows(text: str, lang: str, published: str) -> list[dict]:
    art = article_from_text(text, id="a-p", lang=lang, published=published, published_precision="day")
    return statements_for_article(art, Reference.parse(published))


def test_a_sentence_naming_two_days_is_one_statement_on_the_day_it_reports():
    # Thursday 4 March 2021: "el martes" is 2 March (the meeting, the news), "del domingo" 28 February
    rows = _one_article_rows("Los ministros, reunidos el martes en Lima, pidieron investigar los disturbios "
                             "del domingo en el puerto.", "es", "2021-03-04")
    assert [(r["date"], r["expression"]) for r in rows] == [("2021-03-02", "martes")]
    # an announced date after publication is the peg only when nothing earlier is named
    rows = _one_article_rows("On Monday the commission set the referendum for 14 June 2021.", "en", "2021-05-12")
    assert [r["date"] for r in rows] == ["2021-05-10"]
    rows = _one_article_rows("The referendum will be held on 14 June 2021 or on 21 June 2021.", "en", "2021-05-12")
    assert [r["date"] for r in rows] == ["2021-06-14"]
    # a day beats the month around it
    rows = _one_article_rows("I mars ble rådet enige, og 9. mars 2021 signerte de avtalen.", "nb", "2021-04-01")
    assert [r["date"] for r in rows] == ["2021-03-09"]
    # so the timeline shows the sentence once
    for r in rows:
        r.update(entities=[], vector=None)
    entries = build_timeline("s-1", rows)
    assert len(entries) == 1 and entries[0]["date"] == "2021-03-09"


def test_year_inference_still_sees_every_day_and_month():
    from storyline.analyze.statements import yearless_rows

    art = article_from_text("Talks opened on 2 May and ended on 5 May without a deal.", id="a-y", lang="en")
    assert sorted(r["date"][5:] for r in yearless_rows(art)) == ["05-02", "05-05"]


def test_window_reference_and_event_test():
    assert window_reference("2019-01-22", "2019-01-25") == "2019-01"
    assert window_reference("2019-01-24", "2019-01-24T10:00") == "2019-01-24"
    assert window_reference("2018-12-30", "2019-01-02") is None
    m = find_dates("Publisert 03.12.2025 09:00", "nb", None)[0]
    assert not states_event("Publisert 03.12.2025 09:00", m)


# -- the store: incremental update ------------------------------------------------------------------


def _rows(aid: str, items: list[tuple[int, str, str, str, np.ndarray, list[str]]]) -> list[dict]:
    out = []
    for idx, date, prec, sentence, v, ents in items:
        d0, d1 = days_of(date)
        out.append({"sentence_index": idx, "start": idx * 100, "end": idx * 100 + len(sentence), "sentence": sentence,
                    "expression": date, "expr_start": idx * 100, "expr_end": idx * 100 + 2, "date": date,
                    "precision": prec, "assumed": False, "inferred": False, "lang": "en", "day_start": d0,
                    "day_end": d1, "entities": ents, "vector": v})
    return out


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def test_store_update_is_incremental_and_reversible(store):
    store.replace_statements("a1", _rows("a1", [(0, "2019-01-23", "day", "He declared himself president.", vec(0), ["X"]),
                                                (1, "2019-01-10", "day", "He was sworn in.", vec(1), ["Y"])]))
    store.replace_statements("a2", _rows("a2", [(0, "2019-01-23", "day", "The leader declared himself president.",
                                                 vec(0, noise=0.2, seed=5), ["X"])]))
    r1 = update_story(store, "s-1", ["a1"])
    assert r1["added"] == 1 and len(story_timeline(store, "s-1")) == 2
    r2 = update_story(store, "s-1", ["a1", "a2"])
    assert r2 == {"added": 1, "removed": 0, "changed": 1, "deleted": 0, "statements": 1}
    tl = story_timeline(store, "s-1")
    assert [e.date for e in tl] == ["2019-01-10", "2019-01-23"]
    assert sorted(s.article_id for s in tl[1].sources) == ["a1", "a2"]
    assert update_story(store, "s-1", ["a1", "a2"])["added"] == 0  # nothing to do
    update_story(store, "s-1", ["a1"])  # a2 left the story
    tl = story_timeline(store, "s-1")
    assert [len(e.sources) for e in tl] == [1, 1]
    assert [s.article_id for s in tl[1].sources] == ["a1"]


def test_store_reanalysis_refreshes_entries(store):
    from storyline.explain.timeline import refresh_entries

    store.replace_statements("a1", _rows("a1", [(0, "2020-02-02", "day", "A thing happened.", vec(0), [])]))
    update_story(store, "s-9", ["a1"])
    touched = store.replace_statements("a1", [])
    refresh_entries(store, touched)
    assert story_timeline(store, "s-9") == []
    assert store.dated_statements(article_id="a1") == []


def test_timeline_metrics_on_a_hand_made_pair():
    import datetime as dt

    from storyline.eval.timeline import align_rouge, date_f1, rouge_f, tokens

    d = dt.date
    gold = {d(2011, 1, 25): ["Protesters fill Tahrir Square in Cairo."],
            d(2011, 2, 11): ["Mubarak resigns and hands power to the army."]}
    same = dict(gold)
    shifted = {d(2011, 1, 26): gold[d(2011, 1, 25)], d(2011, 2, 11): gold[d(2011, 2, 11)]}
    wrong = {d(2011, 3, 1): ["Unrelated weather report for the coast."]}
    assert date_f1(same, gold) == 1.0 and date_f1(shifted, gold) == 0.5 and date_f1(wrong, gold) == 0.0
    assert align_rouge(same, gold, 1) == pytest.approx(1.0)
    assert 0.5 < align_rouge(shifted, gold, 1) < 1.0  # a day off halves that date's credit
    assert align_rouge(wrong, gold, 2) == 0.0
    assert tokens("The protesters were filling squares") == ["protester", "fill", "square"]
    assert tokens("square") == tokens("squares") and tokens("protest") == tokens("protested")
    assert rouge_f(tokens("army takes power"), tokens("power to the army")) > 0.6
