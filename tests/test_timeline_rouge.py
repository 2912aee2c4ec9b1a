"""The timeline eval scores like the published protocol: ROUGE-1.5.5 tokens (tilse, `-m -s`), the
tilse alignment cost, and news-tls' average over timelines (F of the mean precision and recall)."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.eval import rouge155
from storyline.eval.timeline import align_rouge_prf, approx_rouge1, protocol_mean

D = dt.date


def test_rouge155_tokens_drop_punctuation_split_hyphens_and_stem():
    # punctuation glued to words no longer hides them (the old eval and tilse's reimplementation kept
    # "reforms." as one token); the apostrophe splits "Cairo's"; "-" is dropped; stop words go
    assert rouge155.tokens("Cairo's reforms.") == ["cairo", "reform"]
    toks = rouge155.tokens("The pro-democracy marchers")
    assert toks[0] == "pro" and len(toks) == 3 and "the" not in toks
    assert rouge155.tokens("ran") == ["ran"]  # three letters or fewer: never stemmed (ROUGE-1.5.5)


@pytest.mark.skipif(not rouge155.is_protocol(), reason="ROUGE-1.5.5 data (tilse) or nltk not installed")
def test_rouge155_uses_the_smart_list_and_wordnet_exceptions():
    assert rouge155.tokens("however, they went") == []  # SMART stop words (not in the short fallback list)
    assert rouge155.tokens("geese swam") == ["goose", "swim"]  # WordNet 2.0 exceptions before Porter
    assert rouge155.tokens("protesters") == ["protest"]  # Porter, original algorithm
    assert "ROUGE-1.5.5" in rouge155.description()


def test_alignment_cost_is_tilse_approximation_on_raw_tokens():
    assert approx_rouge1(["Army takes power ."], ["Army takes power"]) == pytest.approx(1.0)
    assert approx_rouge1(["army"], ["Army"]) == 0.0  # case kept, as tilse's approximation does


def test_aligned_pair_scores_and_one_day_off_halves_credit():
    gold = {D(2011, 2, 11): ["Mubarak resigns and hands power to the army."]}
    p, r, f = align_rouge_prf({D(2011, 2, 11): ["Mubarak resigns, hands power to the army."]}, gold, 1)
    assert p == r == f == pytest.approx(1.0)
    p2, r2, _ = align_rouge_prf({D(2011, 2, 12): ["Mubarak resigns, hands power to the army."]}, gold, 1)
    assert p2 == pytest.approx(0.5) and r2 == pytest.approx(0.5)


def test_mean_over_timelines_is_f_of_mean_precision_and_recall():
    rows = [{"x_p": 1.0, "x_r": 0.1}, {"x_p": 0.1, "x_r": 1.0}]
    assert protocol_mean(rows, "x") == pytest.approx(0.55)  # the mean of the two F's would be 0.18


def test_without_rouge_data_the_eval_says_its_figures_are_approximate(monkeypatch):
    monkeypatch.setattr(rouge155, "data_dir", lambda: None)
    rouge155._resources.cache_clear()
    rouge155._stem.cache_clear()
    try:
        assert not rouge155.is_protocol() and "not comparable" in rouge155.description()
        assert rouge155.tokens("Cairo's reforms.") == ["cairo", "reform"]
    finally:
        monkeypatch.undo()
        rouge155._resources.cache_clear()
        rouge155._stem.cache_clear()
