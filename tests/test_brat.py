"""One brat reader for the PolNeAR eval and the quote trainer: roles joined by E lines, bad spans named."""

from __future__ import annotations

import pytest

from storyline.analyze.quotes.train import TrainDataError, read_annotations
from storyline.eval.quotes import GoldError, brat_attributions

ANN = "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 30;35 40\tthe bridge ... holds\n" \
      "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\nE2\tAttribution:T2 Cue:T2 Content:T9\n"


def test_roles_are_joined_and_discontinuous_spans_kept(tmp_path):
    ann = tmp_path / "doc.ann"
    ann.write_text(ANN, encoding="utf-8")
    first, second = brat_attributions(ann)
    assert first == {"Attribution": [(10, 14)], "Source": [(0, 9)], "Cue": [(10, 14)],
                     "Content": [(15, 30), (35, 40)]}
    assert "Content" not in second  # T9 is never defined
    train = read_annotations(ann)
    assert (train[0].source, train[0].cue, train[0].content) == ([(0, 9)], [(10, 14)], [(15, 30), (35, 40)])
    assert train[1].content == []


def test_a_bad_span_names_the_file_in_both_readers(tmp_path):
    ann = tmp_path / "bad.ann"
    ann.write_text("T1\tSource zero nine\tThe mayor\n", encoding="utf-8")
    with pytest.raises(GoldError, match="bad.ann"):
        brat_attributions(ann)
    with pytest.raises(TrainDataError, match="bad.ann"):
        read_annotations(ann)
