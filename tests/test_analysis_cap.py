"""The analysis cap (`[pipeline] max_analysed_chars`): steps read only a very long text's first part,
cut at a paragraph boundary; the whole text stays stored and full-text searchable."""

from __future__ import annotations

from storyline.analyze.limits import capped, cut_point
from storyline.config import Config
from storyline.model import article_from_text
from storyline.pipeline import run_pipeline
from storyline.search import search
from storyline.store import Store

FILLER = "The committee went through the budget line by line and adjourned without a vote."
HEAD = 'On 3 March 2024 the council in Narvik approved the new harbour plan. "We start digging in May," mayor Rune Edvardsen said.'
TAIL = ('On 9 September 2024 the council in Narvik cancelled the zanzibarian harbour plan. '
        '"We have no money left," mayor Rune Edvardsen said.')


def long_article(paragraphs: int = 60):
    body = "\n\n".join([HEAD, *([FILLER] * paragraphs), TAIL])
    return article_from_text(body, id="a-long", title="Narvik harbour", lang="en", published="2024-03-04",
                             published_precision="day")


def test_cut_point_prefers_paragraph_then_sentence_then_word_boundaries():
    assert cut_point("short text", 100) == len("short text")
    text = "aaaa bbbb\n\neeee ffff gggg. hhhh iiii jjjj kkkk llll mmmm"
    assert text[:cut_point(text, 12)] == "aaaa bbbb"  # a paragraph end in the second half wins
    assert text[:cut_point(text, 30)] == "aaaa bbbb\n\neeee ffff gggg."  # else a sentence end
    assert "aaaa bbbb cccc dddd eeee"[:cut_point("aaaa bbbb cccc dddd eeee", 12)] == "aaaa bbbb"  # else a space
    assert cut_point("x" * 30, 10) == 10  # else a hard cut


def test_capped_keeps_a_prefix_with_valid_paragraph_offsets():
    art = long_article()
    short = capped(art, 2000)
    assert len(short.text) <= 2000 and art.text.startswith(short.text)
    assert short.paragraphs and all(short.text[p.start:p.start + len(p.text)] == p.text for p in short.paragraphs)
    assert capped(art, 0) is art and capped(art, len(art.text)) is art


def test_steps_analyse_only_the_capped_part_and_the_rest_stays_searchable(tmp_path):
    cfg = Config({"pipeline": {"max_analysed_chars": 2000}})
    store = Store(tmp_path / "cap.db")
    art = long_article()
    assert len(art.text) > 4000
    store.add_articles([art])
    run_pipeline(store, ["a-long"], cfg, steps=["quotes", "statements"])
    dates = {s.date for s in store.dated_statements("a-long")}
    assert "2024-03-03" in dates and "2024-09-09" not in dates
    quotes = [q.text for q in store.list_quotes(article_id="a-long")]
    assert any("digging" in q for q in quotes) and not any("money" in q for q in quotes)
    assert store.get_article("a-long").text == art.text  # nothing stored is lost
    assert [h.article_id for h in search(store, "zanzibarian", mode="bm25")] == ["a-long"]

    full = Store(tmp_path / "full.db")  # without the cap the tail is analysed too
    full.add_articles([art])
    run_pipeline(full, ["a-long"], Config({"pipeline": {"max_analysed_chars": 0}}), steps=["statements"])
    assert "2024-09-09" in {s.date for s in full.dated_statements("a-long")}
