"""The quote trainer's held-out split and the tagger's move biases (its tuned decision threshold)."""

from __future__ import annotations

import pytest

from storyline.analyze.quotes.learned import read_bias, start_moves
from storyline.analyze.quotes.train import TrainDataError, holdout_folder, split_holdout
from storyline.eval.quotes import read_polnear


def _docs(n: int) -> list[tuple[str, str, list]]:
    return [(f"doc{i:02d}.txt", f"text {i}", []) for i in range(n)]


def test_the_held_out_split_is_seeded_disjoint_and_independent_of_input_order():
    train, held = split_holdout(_docs(40), 0.1, seed=13)
    assert len(held) == 4 and len(train) == 36
    assert not {d[0] for d in train} & {d[0] for d in held}
    again_train, again_held = split_holdout(list(reversed(_docs(40))), 0.1, seed=13)
    assert [d[0] for d in again_held] == [d[0] for d in held]
    assert [d[0] for d in split_holdout(_docs(40), 0.1, seed=14)[1]] != [d[0] for d in held]


@pytest.mark.parametrize("fraction", [0.0, 0.5, -0.1])
def test_a_held_out_share_out_of_range_is_refused(fraction):
    with pytest.raises(TrainDataError, match="held-out fraction"):
        split_holdout(_docs(10), fraction, seed=1)


def test_the_held_out_folder_reads_like_a_polnear_folder(tmp_path):
    src = tmp_path / "train"
    (src / "text").mkdir(parents=True)
    (src / "attributions").mkdir()
    for stem in ("a", "b"):
        (src / "text" / f"{stem}.txt").write_text("The mayor said the bridge holds.", encoding="utf-8")
        (src / "attributions" / f"{stem}_x.ann").write_text(
            "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 31\tthe bridge holds\n"
            "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n", encoding="utf-8")
    out = holdout_folder(src, ["b.txt"], tmp_path / "held")
    docs = read_polnear(out)
    assert [name for name, _text, _gold in docs] == ["b.txt"]
    assert docs[0][2][0].quote == "the bridge holds"


def test_bias_records_old_and_new():
    assert read_bias({"start_bias": 1.0}) == start_moves(1.0) == {"B-": 1.0, "U-": 1.0}
    assert read_bias({"moves": {"B-CUE": 0.5, "I-CONTENT": 1}}) == {"B-CUE": 0.5, "I-CONTENT": 1.0}


def test_move_biases_set_the_threshold_and_never_serve_stale_spans():
    pytest.importorskip("spacy")
    from storyline.analyze.quotes.learned import MODEL_DIR, _load, set_move_bias
    from storyline.analyze.spacy_cache import spans_for

    text = "The harbour authority warned on Monday that the new pier would not open before the summer."
    _load.cache_clear()
    nlp = _load(str(MODEL_DIR))
    try:
        shipped = spans_for(nlp, [text], 8)[0]
        assert {label for _s, _e, label in shipped} >= {"CUE", "CONTENT"}
        set_move_bias(nlp, {"B-": -50.0, "U-": -50.0})  # no span may open
        assert spans_for(nlp, [text], 8)[0] == []
        set_move_bias(nlp, read_bias({"start_bias": 0.0}))
        set_move_bias(nlp, {})  # the trained biases, whatever was set before
        assert spans_for(nlp, [text], 8)[0] == spans_for(_fresh(), [text + " "], 8)[0]
    finally:
        _load.cache_clear()


def _fresh():
    import spacy

    from storyline.analyze.quotes.learned import MODEL_DIR

    return spacy.load(MODEL_DIR)
