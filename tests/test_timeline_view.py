"""The reader's view of stored timeline entries (storyline.explain.timeline_view), without a database."""

from __future__ import annotations

import numpy as np

from storyline.explain.timeline_view import names_entity, representative, salience, story_timeline


def _src(aid: str, idx: int, sentence: str, lang: str, vec=(1.0, 0.0), **kw):
    return {"id": hash((aid, idx)), "article_id": aid, "sentence_index": idx, "sentence": sentence, "lang": lang,
            "start": 0, "end": len(sentence), "vector": np.array(vec, dtype=np.float32), "entities": [],
            "assumed": False, "inferred": False, **kw}


def _entry(sources, date="2024-03-13", **kw):
    return {"id": "t-1", "story_id": "s-1", "date": date, "precision": "day", "text": sources[0]["sentence"],
            "inferred": False, "entities": kw.pop("entities", []), "sources": sources,
            "centroid": np.array([1.0, 0.0], dtype=np.float32), "day_start": 1, "day_end": 1, **kw}


def test_reader_language_source_speaks_when_there_is_one():
    e = _entry([_src("a-en", 0, "The minister resigned on Wednesday.", "en"),
                _src("a-nb", 3, "Ministeren gikk av onsdag.", "nb", vec=(0.8, 0.6))])
    rep, same = representative(e, "nb")
    assert rep["article_id"] == "a-nb" and same
    rep, same = representative(e, "de")  # no German source: the best one, and it is not German
    assert rep is not None and not same


def test_assumed_and_far_sources_lose_to_explicit_central_ones():
    e = _entry([_src("a-1", 0, "The minister resigned on Wednesday.", "en", vec=(0.0, 1.0)),
                _src("a-2", 0, "The minister resigned on 13 March.", "en"),
                _src("a-3", 0, "The minister resigned that day, it is thought.", "en", assumed=True)])
    assert representative(e, "en")[0]["article_id"] == "a-2"
    assert salience(e) == 3


def test_names_entity_ignores_accents_and_case():
    e = _entry([_src("a-1", 0, "Guaidó declared himself interim president.", "en")], entities=["Juan Guaidó"])
    assert names_entity(e, "guaido") and names_entity(e, "Juan")
    assert not names_entity(e, "Maduro") and not names_entity(e, "  ")


class _Store:
    def __init__(self, rows):
        self.rows = rows

    def timeline_entry_rows(self, story_id, with_vectors=True, entry_ids=None):
        return [dict(r) for r in self.rows]


def test_story_timeline_lang_marks_and_top_keeps_date_order():
    a = _entry([_src("a-en", 0, "Troops crossed the border on Monday.", "en")], date="2024-03-11")
    a["id"], a["day_start"] = "t-a", 10
    b = _entry([_src("a-nb", 1, "Partiet vant valget tirsdag.", "nb"), _src("a-da", 2, "Partiet vandt valget.", "da"),
                _src("a-en2", 4, "The party won on Tuesday.", "en")], date="2024-03-12")
    b["id"], b["day_start"] = "t-b", 11
    tl = story_timeline(_Store([b, a]), "s-1", lang="nb")
    assert [e.id for e in tl] == ["t-a", "t-b"]
    assert tl[0].lang == "en" and tl[1].lang == "nb" and tl[1].text.startswith("Partiet vant")
    top = story_timeline(_Store([b, a]), "s-1", top=1)
    assert [e.id for e in top] == ["t-b"] and top[0].salience == 3
    assert [e.id for e in story_timeline(_Store([a, b]), "s-1", entity="party")] == ["t-b"]


def test_entry_text_drops_the_wire_dateline_but_the_source_keeps_it():
    from storyline.explain.timeline_view import to_entry

    wire = "HAMMERFEST (NTB) – Ministeren gikk av onsdag etter striden om kraftlinjen."
    e = _entry([_src("a-nb", 0, wire, "nb")])
    t = to_entry(e, "s-1", "nb")
    assert t.text == "Ministeren gikk av onsdag etter striden om kraftlinjen." and t.lang == "nb"
    assert t.sources[0].sentence == wire
    assert to_entry({**e, "text": "Ministeren gikk av onsdag etter striden om kraftlinjen."}, "s-1", None).lang == "nb"
