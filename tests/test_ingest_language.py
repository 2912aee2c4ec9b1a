"""Per-article and per-paragraph language after the two-stage (shortlist, then paragraphs) detection."""

from __future__ import annotations

from pathlib import Path

from storyline.config import Config
from storyline.ingest import ingest
from storyline.ingest.language import detect, detect_article
from storyline.ingest.settings import DEFAULT_LANGUAGES
from storyline.store import Store

FIX = Path(__file__).parent / "fixtures" / "ingest"


def paragraphs_of(name: str) -> list[str]:
    return [p.strip() for p in (FIX / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_norwegian_article_marks_english_quote_paragraph(tmp_path):
    store = Store(tmp_path / "l.db")
    report = ingest(store, [str(FIX / "mixed-nb-en-quote.txt")], config=Config({}))
    art = store.get_article(report.new[0])
    assert art.lang == "nb" and art.lang_confidence > 0.5
    langs = [p.lang for p in art.paragraphs]
    quote = [i for i, p in enumerate(art.paragraphs) if p.text.startswith('"We have agreed')]
    assert quote and langs[quote[0]] == "en"
    assert all(lang == "nb" for i, lang in enumerate(langs) if i != quote[0])


def test_article_language_uses_whole_text_not_only_the_sample():
    # the first paragraph is English, the remaining bulk is Bokmål: the article is nb
    paras = paragraphs_of("mixed-nb-en-quote.txt")
    reordered = [paras[2], paras[0], paras[1], paras[3]]
    whole, per = detect_article(reordered, DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)
    assert whole.lang == "nb" and [r.lang for r in per] == ["en", "nb", "nb", "nb"]


def test_scandinavian_relatives_told_apart():
    da = ("Regeringen fremlagde torsdag sit forslag til finanslov, og finansministeren sagde, at udgifterne "
          "til forsvar og sundhed skal stige kraftigt næste år. Oppositionen mener, at forslaget er for stramt.")
    sv = ("Regeringen presenterade på torsdagen sitt förslag till budget, och finansministern sade att "
          "utgifterna för försvar och sjukvård ska öka kraftigt nästa år. Oppositionen tycker att det är för snålt.")
    nn = ("Regjeringa la fram statsbudsjettet torsdag, og finansministeren sa at utgiftene til forsvar og helse "
          "skal auke kraftig neste år. Opposisjonen meiner at budsjettet er altfor stramt for kommunane, og dei "
          "vil ikkje gå med på det utan endringar.")
    short = {"da": "Oppositionen mener, at forslaget er alt for stramt.",
             "sv": "Oppositionen tycker att förslaget är alldeles för snålt.",
             "nn": "Dei vil ikkje gå med på budsjettet utan endringar."}
    for text, want in [(da, "da"), (sv, "sv"), (nn, "nn")]:
        assert detect_article([text], DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)[0].lang == want
        assert detect(short[want], DEFAULT_LANGUAGES).lang == want  # short text: high-accuracy re-check


def test_nothing_recognisable():
    whole, per = detect_article(["12345 67890", "—"], DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)
    assert whole.lang is None and [r.lang for r in per] == [None, None]


def test_langid_regression_on_gold_sample():
    """Fixed floors on 40 gold sentences per language (the full figures: `storyline eval langid`)."""
    import pytest

    from storyline.eval.langid import evaluate, evaluate_mixed, load_gold
    from tests.conftest import DATA

    directory = DATA / "langid" / "sentences"
    if not directory.is_dir():
        pytest.skip("../shared/data/langid not present")
    gold = load_gold(directory, limit=40)
    result = evaluate(gold)
    acc = {c: r["accuracy"] for c, r in result["languages"].items()}
    assert set(acc) >= {"nb", "nn", "da", "sv", "en", "de"}
    for code in ("da", "sv", "en", "de", "es", "fr"):
        assert acc[code] >= 0.9, (code, acc)
    assert acc["nb"] >= 0.6 and acc["nn"] >= 0.75, acc  # one short sentence: Bokmål/Nynorsk is hard
    assert result["macro_accuracy"] >= 0.9
    mixed = evaluate_mixed(gold, per_lang=6)
    assert mixed["article_accuracy"] >= 0.95 and mixed["native_paragraph_accuracy"] >= 0.9, mixed
