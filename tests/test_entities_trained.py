"""The trained (spaCy) recogniser: shipped pipelines, quality on our own sentences, the post-pass, the
Mention contract resolution relies on, and the trainer's conversion and errors (issue 12)."""

from __future__ import annotations

import pytest

from storyline.analyze.entities.settings import EntitySettings
from storyline.analyze.entities.trained import SHIPPED, TrainedRecognizer, model_path
from storyline.backends import BackendError, load_backend
from storyline.eval.ner import evaluate
from storyline.model import article_from_text
from tests.conftest import FIXTURES

OWN = FIXTURES / "entities"


@pytest.fixture(scope="module")
def rec() -> TrainedRecognizer:
    return TrainedRecognizer()


def test_every_language_ships_a_pipeline():
    for lang in SHIPPED:
        path = model_path(lang)
        assert path is not None and (path / "config.cfg").is_file(), lang
    assert model_path("no") == model_path("nb")
    assert load_backend("entities", "trained") is TrainedRecognizer
    assert load_backend("entities", "rules") is load_backend("entities", "offline")


@pytest.mark.parametrize("lang, floor", [("nb", 0.85), ("en", 0.85)])
def test_trained_model_on_our_own_sentences(lang, floor):
    """20 sentences we wrote (not corpus text); the rules recogniser stays the baseline it must beat."""
    trained = evaluate(OWN / f"{lang}-own.conll", lang, backend="trained")
    rules = evaluate(OWN / f"{lang}-own.conll", lang, backend="rules")
    assert trained["types"]["overall"]["f1"] >= floor, trained["types"]
    assert trained["types"]["overall"]["f1"] > rules["types"]["overall"]["f1"]


def test_mentions_keep_the_contract_resolution_uses(rec):
    text = "Utenriksminister Espen Barth Eide møtte Marit Haugland i Paris.\n\nHauglands parti vant i Finnmark."
    art = article_from_text(text, id="a-t1", lang="nb")
    ms = rec.recognize_article(art)
    by_text = {m.text: m for m in ms}
    eide = by_text["Espen Barth Eide"]
    assert eide.type == "PER" and eide.role == "Utenriksminister" and eide.role_lang == "nb"
    assert by_text["Paris"].type == "LOC"
    for m in ms:
        assert art.text[m.start:m.end] == m.text and m.source == "trained"
        assert m.type in {"PER", "ORG", "LOC"}
    assert by_text["Paris"].sentence_index == 0 and by_text["Finnmark"].sentence_index == 1
    if "Hauglands" in by_text:
        assert by_text["Hauglands"].normalized == "Haugland"  # genitive to base form, as the rules do


def test_territory_post_pass_types_countries_as_places():
    art = article_from_text("Tusenvis av mennesker har flyktet fra Venezuela til Colombia og Brasil.", id="a-t2",
                            lang="nb")
    with_rule = TrainedRecognizer(EntitySettings(post_rules="territories"))
    got = {m.text: m.type for m in with_rule.recognize_article(art)}
    assert got.get("Venezuela") == got.get("Colombia") == got.get("Brasil") == "LOC"


def test_bad_settings_fail_clearly(tmp_path):
    with pytest.raises(BackendError, match="post_rules"):
        TrainedRecognizer(EntitySettings(post_rules="roles,magic"))
    with pytest.raises(BackendError, match="not a spaCy pipeline"):
        TrainedRecognizer(EntitySettings(model=str(tmp_path)))


def test_language_without_pipeline_uses_the_fallback(rec):
    art = article_from_text("Bundeskanzler Olaf Scholz traf Emmanuel Macron in Paris.", id="a-t3", lang="de")
    got = {m.text for m in rec.recognize_article(art)}
    assert "Paris" in got and ("Olaf Scholz" in got or "Scholz" in got)


def test_training_conversion_and_errors(tmp_path):
    from spacy.tokens import DocBin

    from storyline.analyze.entities.training import TrainingError, to_docbin, train

    out = tmp_path / "x.spacy"
    assert to_docbin([OWN / "nb-own.conll"], "nb", out) == 20
    import spacy

    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("nb").vocab))
    assert [(e.text, e.label_) for e in docs[0].ents] == [("Jonas Gahr Støre", "PER"), ("Brussel", "LOC"),
                                                          ("EU-kommisjonen", "ORG")]
    with pytest.raises(TrainingError, match="no such file"):
        train("nb", [tmp_path / "missing.conll"], [OWN / "nb-own.conll"], tmp_path / "m")


def test_training_can_resume_a_pipeline_and_cap_its_time(tmp_path):
    """`--init` takes both components (weights) from an earlier pipeline; a bad folder is refused."""
    from thinc.api import Config
    from typer.testing import CliRunner

    from storyline.analyze.entities.training import TrainingError, config_text
    from storyline.cli import app

    resumed = Config().from_str(config_text(model_path("nb"), 5))
    assert resumed["components"]["ner"] == {"source": str(model_path("nb").resolve())}
    assert resumed["components"]["tok2vec"] == {"source": str(model_path("nb").resolve())}
    assert resumed["training"]["before_update"]["max_seconds"] == 300
    fresh = Config().from_str(config_text(None, None))
    assert fresh["components"]["ner"]["factory"] == "ner" and fresh["training"]["before_update"] is None
    with pytest.raises(TrainingError, match="not a trained NER pipeline"):
        config_text(tmp_path, None)
    own = str(OWN / "nb-own.conll")
    args = ["train", "ner", "--lang", "nb", "--train", own, "--dev", own, "--out", str(tmp_path / "m")]
    r = CliRunner().invoke(app, [*args, "--init", str(tmp_path)])
    assert r.exit_code == 2 and "no ner/ folder" in r.output
    r = CliRunner().invoke(app, [*args, "--patience", "0"])
    assert r.exit_code == 2 and "--patience" in r.output


def test_parameter_averaging_is_a_training_option():
    """`--averages` turns on thinc's parameter averaging, fresh or resumed; without it training keeps the
    last weights, as the shipped pipelines were trained."""
    from thinc.api import Config

    from storyline.analyze.entities.training import config_text

    def averaged(text: str) -> bool:
        return Config().from_str(text)["training"]["optimizer"]["use_averages"]

    assert not averaged(config_text(None, None))
    assert averaged(config_text(None, None, averages=True))
    assert averaged(config_text(model_path("nn"), 5, averages=True))


def test_lone_country_read_as_person_is_a_place(rec):
    """The `split` post-pass: "Frankrikes" tagged PER by the model is the place France (genitive too)."""
    art = article_from_text("Holmqvist sa at Frankrikes regjering står fast.", id="t-lone", lang="nb")
    a = art.text.index("Frankrikes")
    h = art.text.index("Holmqvist")
    spans = rec._territories(art, [(h, h + 9, "PER"), (a, a + 10, "PER")])
    assert (a, a + 10, "LOC") in spans and (h, h + 9, "PER") in spans


def test_a_fresh_pipeline_can_be_sized(tmp_path):
    """`--width` / `--embed-rows` size a fresh pipeline; a resumed one keeps its sizes (refused clearly)."""
    from thinc.api import Config
    from typer.testing import CliRunner

    from storyline.analyze.entities.training import TrainingError, config_text
    from storyline.cli import app

    model = Config().from_str(config_text(None, None, width=96, embed_rows=[20000, 5000, 5000, 5000]))
    tok2vec = model["components"]["tok2vec"]["model"]
    assert tok2vec["encode"]["width"] == 96 and tok2vec["embed"]["rows"] == [20000, 5000, 5000, 5000]
    assert Config().from_str(config_text(None, None))["components"]["tok2vec"]["model"]["embed"]["rows"] == [
        5000, 2500, 2500, 2500]
    with pytest.raises(TrainingError, match="4 positive sizes"):
        config_text(None, None, embed_rows=[100, 100])
    with pytest.raises(TrainingError, match="fresh pipeline"):
        config_text(model_path("nb"), None, width=96)
    own = str(OWN / "nb-own.conll")
    args = ["train", "ner", "--lang", "nb", "--train", own, "--dev", own, "--out", str(tmp_path / "m")]
    r = CliRunner().invoke(app, [*args, "--embed-rows", "20000,x"])
    assert r.exit_code == 2 and "comma-separated whole numbers" in r.output
    r = CliRunner().invoke(app, [*args, "--init", str(model_path("nb")), "--width", "96"])
    assert r.exit_code == 2 and "keeps its sizes" in r.output


def test_case_counts_alone_match_the_full_evidence():
    """The trained backend builds only the case counts (`add_case`); they must equal what the full scan
    (`add_text`, the rules recogniser's) counts, openers, hyphens and closing quotes included."""
    from storyline.analyze.entities.offline import CorpusEvidence

    sents = ["Statsminister Kari Nordmann møtte Ola-Gutten i Bergen.", "«Dette er bra», sa Nordmann til NTB.",
             "– Vi kommer, sier Per Hansen’ og Carlos' venner.", "12 av 40 stemte mot Senterpartiet-forslaget."]
    full, case = CorpusEvidence(), CorpusEvidence()
    full.add_text(sents)
    case.add_case(sents)
    assert case.cap_mid == full.cap_mid and case.lower == full.lower
    assert case.cap_mid["bergen"] == 1 and "statsminister" not in case.cap_mid  # sentence-initial: not mid
    assert not case.person_parts and not case.org_cues


def test_rule_evidence_only_where_a_text_goes_to_the_rules(rec):
    nb = article_from_text("Kari Nordmann kom til Oslo.", id="a-nb", lang="nb", source="t")
    de = article_from_text("Olaf Scholz kam nach Berlin.", id="a-de", lang="de", source="t")
    assert not rec.needs_rule_evidence([nb])
    assert rec.needs_rule_evidence([nb, de])
