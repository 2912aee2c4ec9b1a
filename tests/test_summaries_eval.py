"""`eval summaries` metrics: ROUGE-N arithmetic, provenance, and a regression floor on an own fixture."""

from __future__ import annotations

import pytest
from summary_fixtures import BRIDGE_NB

from storyline.eval.summaries import evaluate, rouge_n
from storyline.explain.summaries.extractive import ExtractiveSummarizer
from storyline.model import ProvidedSummary, article_from_text


def test_rouge_n_counts_overlapping_ngrams():
    assert rouge_n("brua er stengt", "brua er stengt", 1) == 1.0
    assert rouge_n("brua er stengt", "ferja går", 1) == 0.0
    # 2 of 3 unigrams shared both ways: P = R = 2/3
    assert rouge_n("brua er åpen", "brua er stengt", 1) == pytest.approx(2 / 3)
    assert rouge_n("brua er åpen", "brua er stengt", 2) == pytest.approx(1 / 2)
    assert rouge_n("Æ ø å", "æ Ø Å", 1) == 1.0  # Nordic letters are words too


def test_evaluate_reports_full_provenance_and_beats_a_floor_on_a_fixture():
    art = article_from_text(BRIDGE_NB, id="a-bridge-nb", lang="nb")
    # our own "publisher summary box" for the fixture
    art.provided_summary = ProvidedSummary(bullets=[
        "Bystyret i Elvestad stenger den gamle jernbanebrua over Storelva etter funn av sprekker i pilarene.",
        "Stengingen varer minst til sommeren, og kommunen har bestilt en midlertidig gangbru.",
        "Opposisjonen krever gransking av vedlikeholdet."])
    tiny = article_from_text("Kort.", id="a-tiny", lang="nb")
    result = evaluate([art, tiny], ExtractiveSummarizer()).as_dict()
    assert result["articles"] == 2 and result["provenance"] == 1.0
    assert [f["article_id"] for f in result["failures"]] == ["a-tiny"]
    assert result["with_reference_summary"] == 1
    assert result["rouge1_f"] >= 0.35 and result["rouge2_f"] >= 0.15


def test_timeline17_format_is_read_and_scored(tmp_path):
    import json

    from storyline.eval.summaries import evaluate_timeline17

    topic = tmp_path / "Bridge_elvestad"
    topic.mkdir()
    rows = [{"id": str(i), "time": f"2024-03-0{i}", "text": text} for i, text in enumerate([
        "The town council closed the old railway bridge after inspectors found cracks in two piers .\n"
        "The mayor said the closure would last until the summer at least .\n",
        "Engineers began a full survey of the bridge piers on Monday morning .\n"
        "The army delivered a temporary footbridge for pedestrians and cyclists .\n",
        "The opposition demanded an independent inquiry into years of missing maintenance .\n"
        "Commuters faced detours of about fifteen minutes during the morning rush .\n"], start=1)]
    (topic / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    gold = [["2024-03-01", ["The council closes the railway bridge after cracks are found in its piers . \n"]],
            ["2024-03-02", ["The army provides a temporary footbridge . \n"]]]
    (topic / "timelines.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = evaluate_timeline17(tmp_path, ExtractiveSummarizer())
    assert result["topics"] == 1 and result["per_topic"][0]["articles"] == 3
    assert 0.2 <= result["mean"]["rouge1_p"] <= 1.0 and result["mean"]["rouge1_f"] > 0
