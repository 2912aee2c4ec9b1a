"""QuoteStore, the `quotes` / `eval quotes` commands and the evaluation, on small fixtures and seeds."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, GOLD
from typer.testing import CliRunner

from storyline.cli import app
from storyline.eval.quotes import (
    GoldError,
    Prediction,
    Scores,
    evaluate_gold,
    evaluate_polnear,
    load_gold,
    score_document,
)
from storyline.model import Quote
from storyline.store import Store

runner = CliRunner()


def _q(i: int, text: str, speaker: str | None, lang: str = "nb", article: str = "a-1", **kw) -> Quote:
    return Quote(id=f"q-{i}", article_id=article, text=text, start=i * 100, end=i * 100 + len(text),
                 direct=kw.pop("direct", True), speaker=speaker, lang=lang, **kw)


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "q.db")
    s.save_quotes("a-1", [_q(1, "Vi ønsker fred", "Nicolás Maduro", speaker_entity_id="n-maduro", date="2025-12-01"),
                          _q(2, "Vi har ingen planer", None, speaker_description="en talsperson i departementet")])
    s.save_quotes("a-2", [_q(3, "He had a plane waiting", "Mike Pompeo", lang="en", article="a-2", medium="CNN")])
    return s


def test_store_filters_fold_accents_and_case(store):
    assert [q.id for q in store.list_quotes(speaker="nicolas")] == ["q-1"]
    assert [q.id for q in store.list_quotes(speaker="n-maduro")] == ["q-1"]
    assert [q.id for q in store.list_quotes(speaker="talsperson")] == ["q-2"]
    assert [q.id for q in store.list_quotes(lang="en")] == ["q-3"]
    assert {q.id for q in store.list_quotes(article_id="a-1")} == {"q-1", "q-2"}
    assert store.get_quote("q-3").medium == "CNN" and store.count_quotes() == 3


def test_resaving_an_article_replaces_its_quotes_only(store):
    store.save_quotes("a-1", [_q(5, "Ny uttalelse her", "Ola Berg")])
    assert {q.id for q in store.list_quotes()} == {"q-5", "q-3"}


def test_quotes_command_json_and_exit_codes(store):
    res = runner.invoke(app, ["--db", str(store.path), "quotes", "--speaker", "Pompeo", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["count"] == 1
    assert set(doc["quotes"][0]) >= {"id", "text", "speaker", "speaker_entity_id", "speaker_description", "cue",
                                     "medium", "article_id", "lang", "date", "direct"}
    res = runner.invoke(app, ["--db", str(store.path), "quotes", "--speaker", "Nobody"])
    assert res.exit_code == 1 and "No quotes" in res.output
    res = runner.invoke(app, ["--db", str(store.path), "quotes"])
    assert res.exit_code == 0 and "Maduro" in res.output


def test_eval_usage_errors(tmp_path):
    assert runner.invoke(app, ["eval", "quotes"]).exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ref": "x.txt", "anchor": "a b", "speaker": "X"}\n{oops\n', encoding="utf-8")
    res = runner.invoke(app, ["eval", "quotes", "--gold", str(bad)])
    assert res.exit_code == 2 and "bad.jsonl:2" in res.output
    with pytest.raises(GoldError, match="needs quote or anchor"):
        (tmp_path / "g.jsonl").write_text('{"ref": "x.txt", "speaker": "X"}\n', encoding="utf-8")
        load_gold(tmp_path / "g.jsonl")


def test_scoring_overlap_anchor_and_speaker():
    from storyline.eval.quotes import GoldQuote

    gold = [GoldQuote("d", "ref", "the plan will fail before the summer", None, "Jane Miller", False),
            GoldQuote("d", "ref", None, "Vi ønsker fred", "Nicolás Maduro", True)]
    preds = [Prediction("the plan will fail", "Miller"), Prediction("Vi ønsker fred, men fred", "Maduro"),
             Prediction("something else entirely here", "X")]
    s = Scores()
    score_document(gold, preds, s, "d")
    d = s.as_dict()
    assert (d["matched"], d["predicted"], d["gold"]) == (2, 3, 2)
    assert d["speaker_accuracy"] == 1.0 and d["precision"] == pytest.approx(2 / 3, abs=1e-3)


def test_offsets_keep_a_short_gold_quote_from_matching_elsewhere():
    from storyline.eval.quotes import GoldQuote

    # gold "Clinton" (a content of two tokens) lies at 100-110; the prediction naming her lies at 10-60
    gold = [GoldQuote("d", "polnear", "Hillary Clinton", None, "Tim Kaine", False, None, (100, 110))]
    far = Prediction("voters like Hillary Clinton more than before", "Ann Lee", spans=[(10, 60)])
    near = Prediction("Hillary Clinton", "Tim Kaine", spans=[(98, 112)])
    s = Scores()
    score_document(gold, [far], s, "d")
    assert s.matched == 0
    s = Scores()
    score_document(gold, [far, near], s, "d")
    assert (s.matched, s.speaker_correct) == (1, 1)
    # gold files without offsets still match by tokens alone
    s = Scores()
    score_document([GoldQuote("d", "ref", "Hillary Clinton", None, "Ann Lee", False)], [far], s, "d")
    assert s.matched == 1


def test_polnear_reader_and_eval_on_own_fixture(tmp_path):
    text = ("The mayor spoke on Monday.\n\n"
            "\u201cWe will rebuild the bridge this year,\u201d said Mayor Tom Reed.\n\n"
            "Critics said that the budget was far too small for the work.\n")
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(text, encoding="utf-8")
    c1 = text.index("We will")
    c2 = text.index("the budget")
    s1 = text.index("Tom Reed")
    s2 = text.index("Critics")
    ann = (f"T1\tContent {c1} {c1 + 36}\t{text[c1:c1 + 36]}\nT2\tSource {s1} {s1 + 8}\tTom Reed\n"
           f"E1\tAttribution:T9 Content:T1 Source:T2\n"
           f"T3\tContent {c2} {len(text) - 2}\t{text[c2:len(text) - 2]}\nT4\tSource {s2} {s2 + 7}\tCritics\n"
           f"E2\tAttribution:T8 Content:T3 Source:T4\n")
    (tmp_path / "attributions" / "doc1_ab12.ann").write_text(ann, encoding="utf-8")
    r = evaluate_polnear(tmp_path)
    assert r["gold"] == 2 and r["matched"] == 2 and r["speaker_accuracy"] == 1.0


def test_polnear_dev_thresholds():
    d = DATA / "quotes" / "polnear-dev"
    if not d.is_dir():
        pytest.skip("PolNeAR dev data not beside the repository")
    r = evaluate_polnear(d)
    assert r["precision"] >= 0.8 and r["recall"] >= 0.25 and r["speaker_accuracy"] >= 0.65


# --- the real pipeline (shared corpus store: ingest + entities + quotes) -----------------------

def test_seed_gold_on_pipeline(corpus_store):
    r = evaluate_gold(load_gold(GOLD / "seeds-quotes.jsonl"), corpus_store, build=False)
    assert not r["missing_articles"]
    assert r["f1"] >= 0.8 and r["speaker_accuracy"] >= 0.9, r


def test_maduro_quote_has_canonical_entity(corpus_store, seed_ids):
    qs = corpus_store.list_quotes(article_id=seed_ids["004"])
    q = next(q for q in qs if q.text.startswith("Vi ønsker fred"))
    assert q.speaker == "Nicolás Maduro" and q.speaker_entity_id and q.speaker_entity_id.startswith("n-")
    assert corpus_store.get_entity(q.speaker_entity_id).name == "Nicolás Maduro"
    assert q.date == "2025-12-01"  # "mandag" in the attribution, before the 2025-12-03 publication
    spokes = next(q for q in corpus_store.list_quotes(article_id=seed_ids["000"])
                  if q.text.startswith("Vi har ingen planer"))
    assert spokes.speaker is None and spokes.speaker_description == "en talsperson i departementet"


def test_demo_section_lists_quotes_with_speakers(store):
    from rich.console import Console

    from storyline.cli.quotes import demo

    console = Console(record=True, width=120)
    demo(store, console)
    out = console.export_text()
    assert "Nicolás Maduro" in out and "Vi ønsker fred" in out and "3 quotes" in out
    assert store.quote_speakers()[0]["n"] == 1
