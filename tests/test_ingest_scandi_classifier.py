"""The trained Bokmål/Nynorsk/Danish/Swedish discriminator: features, weights file, decisions.

Fixtures in tests/fixtures/langid are our own sentences (the same news-like content in each standard)
and one Bokmål article with a quoted Danish paragraph; the full figures: `storyline eval langid`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storyline.eval.langid import strip_text
from storyline.ingest import language
from storyline.ingest.language import detect, detect_article, scandinavian_decision
from storyline.ingest.scandi_classifier import (
    MODEL_DIR,
    WEIGHTS,
    Hashing,
    ModelError,
    ScandiModel,
    load,
    shipped,
    words,
)
from storyline.ingest.settings import DEFAULT_LANGUAGES

FIX = Path(__file__).parent / "fixtures" / "langid"
SCANDI = ("da", "nb", "nn", "sv")


def sentences(lang: str) -> list[str]:
    return [ln for ln in (FIX / f"{lang}.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]


def test_features_ignore_case_punctuation_and_digits():
    h = Hashing()
    a = h.vector("«Dei kjem ikkje!» Sa ho, 12. mai.")
    b = h.vector("dei kjem ikkje sa ho mai")
    assert np.array_equal(a[0], b[0]) and np.allclose(a[1], b[1])
    assert abs(float(np.linalg.norm(a[1])) - 1.0) < 1e-5
    assert len(h.vector("123 — !!")[0]) == 0
    assert words("Ærlig talt, 1990-tallet!") == ["ærlig", "talt", "tallet"]
    # word order matters through the bigrams, not only the bag of n-grams
    assert not np.array_equal(h.vector("ikke nå")[0], h.vector("nå ikke")[0])


def test_training_matrix_rows_are_the_inference_vectors():
    pytest.importorskip("scipy")
    from storyline.ingest.scandi_training import matrix

    h = Hashing(n_features=1 << 12)
    texts = sentences("nn")[:3] + ["", "ein"]
    x = matrix(texts, h)
    for i, t in enumerate(texts):
        idx, val = h.vector(t)
        row = x.getrow(i)
        assert np.array_equal(row.indices, idx) and np.allclose(row.data, val)


def test_shipped_weights_are_small_and_load():
    path = MODEL_DIR / WEIGHTS
    assert path.is_file() and path.stat().st_size < 5_000_000
    model = shipped()
    assert model is not None and tuple(sorted(model.labels)) == SCANDI
    assert model.weights.shape == (model.hashing.n_features, 4)


def test_weights_file_round_trip_and_refusals(tmp_path):
    model = ScandiModel(SCANDI, np.arange(4 * 64, dtype=np.float32).reshape(64, 4) / 100,
                        np.zeros(4, dtype=np.float32), Hashing(n_features=64))
    path = model.save(tmp_path / "m")
    again = load(path)
    text = "Jag vet inte"
    assert again.probabilities(text) == pytest.approx(model.probabilities(text), abs=1e-3)
    with pytest.raises(ModelError, match="no Scandinavian language model"):
        load(tmp_path / "missing.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a Scandinavian language model file"):
        load(tmp_path / "bad.npz")
    # weights saved with another hashing than the one the code computes are refused
    with np.load(path) as data:
        fields = dict(data)
    fields["probe"] = fields["probe"][::-1] + 1
    np.savez(tmp_path / "stale.npz", **fields)
    with pytest.raises(ModelError, match="different feature hashing"):
        load(tmp_path / "stale.npz")
    # the hashing settings travel with the weights: a model without word bigrams loads as one
    plain = ScandiModel(SCANDI, model.weights, model.bias, Hashing(n_features=64, bigrams=False))
    again = load(plain.save(tmp_path / "plain"))
    assert again.hashing == Hashing(n_features=64, bigrams=False)
    assert len(Hashing(1 << 16).vector("jag vet inte")[0]) > len(again.hashing.vector("jag vet inte")[0]) > 0


@pytest.mark.parametrize("variant", ["as written", "lower-cased, no punctuation"])
def test_own_sentences_per_standard(variant):
    wrong = []
    total = 0
    for lang in SCANDI:
        for text in sentences(lang):
            if variant != "as written":
                text = strip_text(text)
            total += 1
            got = detect(text, DEFAULT_LANGUAGES)
            if got.lang != lang:
                wrong.append((lang, got, text))
    assert len(wrong) <= 1, wrong  # 32 sentences, the same content in four standards


def test_short_texts_get_low_confidence_long_ones_high():
    long = detect(sentences("nn")[3], DEFAULT_LANGUAGES)
    assert long.lang == "nn" and long.confidence > 0.8
    for text in ("ikkje", "kommunen", "Regjeringen vil"):
        got = detect(text, DEFAULT_LANGUAGES)
        assert got.confidence < 0.7, (text, got)
    assert detect("ikkje", DEFAULT_LANGUAGES).lang == "nn"  # still the best answer the evidence allows


def test_decision_keeps_to_the_family_and_the_candidates():
    en = [("en", 0.6), ("nb", 0.3), ("nn", 0.1)]
    assert scandinavian_decision("ikkje eg kva", en, DEFAULT_LANGUAGES) == en  # lingua's family stands
    # Scandinavian as a family (0.7) though lingua's single best is German: the discriminator decides
    split = [("de", 0.3), ("nb", 0.25), ("da", 0.25), ("nn", 0.2)]
    out = scandinavian_decision("Eg veit ikkje kva dei gjer no", split, DEFAULT_LANGUAGES)
    assert out[0][0] == "nn" and abs(sum(v for _, v in out) - 1.0) < 1e-6 and dict(out)["de"] == 0.3
    assert detect("Eg veit ikkje kva dei gjer no.", ["nb", "da", "sv", "en"]).lang in {"nb", "da", "sv"}
    assert detect("The government will present a new plan before summer.", DEFAULT_LANGUAGES).lang == "en"


def test_discriminator_beats_lingua_alone(monkeypatch):
    texts = [(lang, t) for lang in SCANDI for t in sentences(lang)]
    with_model = sum(detect(t, DEFAULT_LANGUAGES).lang == lang for lang, t in texts)
    monkeypatch.setattr(language.scandi_classifier, "shipped", lambda: None)
    monkeypatch.setattr(language, "TIE_BREAK_BELOW", 0.0)  # no lexical fallback either: lingua alone
    alone = sum(detect(t, DEFAULT_LANGUAGES).lang == lang for lang, t in texts)
    assert with_model > alone and with_model >= len(texts) - 1, (with_model, alone)


def test_danish_quote_in_bokmal_article_stays_danish():
    paras = [p.strip() for p in (FIX / "mixed-nb-da-quote.txt").read_text(encoding="utf-8").split("\n\n")]
    whole, per = detect_article(paras, DEFAULT_LANGUAGES, min_confidence=0.5, min_chars=120)
    assert whole.lang == "nb" and whole.confidence > 0.6, whole  # the winner's share of the text
    assert [r.lang for r in per] == ["nb", "nb", "da", "nb", "nb"], per
    assert per[2].confidence > 0.8
    # and lower-cased without punctuation, as some feeds deliver it
    whole, per = detect_article([strip_text(p) for p in paras], DEFAULT_LANGUAGES, min_confidence=0.5,
                                min_chars=120)
    assert whole.lang == "nb" and [r.lang for r in per] == ["nb", "nb", "da", "nb", "nb"], per


def test_tiny_training_run(tmp_path):
    pytest.importorskip("sklearn")
    from storyline.ingest.scandi_training import accuracy, fit, read_conll_sentences, with_windows

    conll = tmp_path / "x.conll"
    conll.write_text("Eg\tO\nveit\tO\n.\tO\n\nHan\tO\nkom\tO\n", encoding="utf-8")
    assert read_conll_sentences(conll) == ["Eg veit .", "Han kom"]
    texts = {lang: sentences(lang) for lang in SCANDI}
    model = fit(with_windows(texts), Hashing(n_features=1 << 14), c=30.0)
    assert tuple(model.labels) == SCANDI
    assert min(accuracy(model, texts).values()) == 1.0  # fits its own training sentences


def test_eval_langid_cli_strip_articles_and_usage(tmp_path):
    from typer.testing import CliRunner

    from storyline.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["eval", "langid"]).exit_code == 2  # neither --dir nor --articles
    gold = tmp_path / "gold"
    gold.mkdir()
    for lang in SCANDI:
        (gold / f"{lang}.txt").write_text("\n".join(sentences(lang)), encoding="utf-8")
    res = runner.invoke(app, ["eval", "langid", "--dir", str(gold), "--strip", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["strip"] is True and min(r["accuracy"] for r in out["languages"].values()) >= 0.75
    art = tmp_path / "nb-2025-01-01-own-article.txt"
    art.write_text((FIX / "mixed-nb-da-quote.txt").read_text(encoding="utf-8"), encoding="utf-8")
    res = runner.invoke(app, ["eval", "langid", "--articles", str(art), "--json"])
    assert res.exit_code == 0, res.output
    arts = json.loads(res.output)["articles"]
    assert arts["scored"] == 1 and arts["correct"] == 1 and arts["articles"][0]["other_paragraph_languages"] == ["da"]
    assert runner.invoke(app, ["eval", "langid", "--articles", str(tmp_path / "none.txt")]).exit_code == 2
