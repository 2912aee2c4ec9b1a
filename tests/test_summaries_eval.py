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
