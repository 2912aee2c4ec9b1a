"""Typing of lone unknown names by corpus evidence, organisation cues, and the eval halves (issue 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analyze.entities.offline import CorpusEvidence, OfflineRecognizer
from storyline.eval.ner import evaluate
from storyline.model import article_from_text


def _types(texts: list[str], lang: str) -> dict[str, str]:
    arts = [article_from_text(t, id=f"a{i}", lang=lang) for i, t in enumerate(texts)]
    ev = CorpusEvidence()
    ev.add_articles(arts)
    rec = OfflineRecognizer()
    return {m.normalized: m.type for a in arts for m in rec.recognize_article(a, ev)}


@pytest.fixture(scope="module")
def nb_types() -> dict[str, str]:
    return _types([
        "Partiet Grønnfront vil kutte skatten, og Grønnfront-leder Ingrid Fjellstad sier hun er fornøyd.",
        "Etter møtet sa Fjellstad at avtalen med Grønnfront og Kvarnvik står fast.",
        "Han er medlem av Solbruk og har tidligere jobbet for Kvarnvik.",
        "I går kom Søren hjem fra Bergen.",
    ], "nb")


def test_surname_the_corpus_shows_after_a_given_name_stays_a_person(nb_types):
    assert nb_types["Ingrid Fjellstad"] == "PER"
    assert nb_types["Fjellstad"] == "PER"


def test_lone_unknown_word_without_person_evidence_is_no_person(nb_types):
    assert nb_types["Kvarnvik"] == "ORG"


def test_body_named_by_a_leader_compound_or_membership_is_an_organisation(nb_types):
    assert nb_types["Grønnfront"] == "ORG"
    assert nb_types["Solbruk"] == "ORG"


def test_given_name_from_the_large_name_list_is_a_person(nb_types):
    assert nb_types["Søren"] == "PER"
    assert nb_types["Bergen"] == "LOC"


def test_english_company_without_person_evidence_is_an_organisation():
    types = _types(["Shares in Zorvatek rose after chairman Daniel Okafor said profits doubled.",
                    "Okafor added that Zorvatek would hire staff in Leeds."], "en")
    assert types["Zorvatek"] == "ORG"
    assert types["Okafor"] == "PER"
    assert types["Daniel Okafor"] == "PER"


def _write_conll(path: Path) -> Path:
    rows = []
    for name in ("Fjellstad", "Kvarnvik", "Oslo", "Solbruk"):
        rows += [f"Han\tO\nbesøkte\tO\n{name}\tB-LOC\n.\tO\n"]
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def test_eval_halves_partition_the_sentences(tmp_path):
    path = _write_conll(tmp_path / "nb-toy.conll")
    whole = evaluate(path)
    first, second = evaluate(path, split="first"), evaluate(path, split="second")
    assert first["sentences"] + second["sentences"] == whole["sentences"] == 4
    assert first["types"]["LOC"]["gold"] + second["types"]["LOC"]["gold"] == whole["types"]["LOC"]["gold"]
    with pytest.raises(ValueError, match="split"):
        evaluate(path, split="middle")
