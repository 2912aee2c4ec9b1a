"""Typing evidence on our own fixture (names unlike the seeds'): a surname that is also an obscure
town's alternate name stays a person, an agency named only after agency cues is an organisation (and
is split off a following surname), hyphen compounds neither leak their common-noun prefix nor turn an
organisation into its city, and every canonical name is a form the texts actually use. These are the
rules recogniser's typing mechanisms (`[entities] backend = "rules"`, still shipped as the baseline), so
the store here is analysed with it."""

from __future__ import annotations

import json

import pytest

from storyline.analyze.entities.gazetteer import get_gazetteer
from storyline.analyze.entities.normalize import fold
from storyline.analyze.entities.step import run
from storyline.config import Config
from storyline.model import article_from_text
from storyline.store import Store
from tests.conftest import FIXTURES

RULES = Config({"entities": {"backend": "rules"}})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    items = json.loads((FIXTURES / "entities" / "names_vs_places.json").read_text(encoding="utf-8"))
    arts = [article_from_text(i["text"], id=i["id"], lang=i["lang"], source=f"fixture:{i['id']}") for i in items]
    st = Store(tmp_path_factory.mktemp("np") / "np.db")
    st.add_articles(arts)
    run(st, [a.id for a in arts], RULES)
    return st


def _mentions(store, text):
    out = [m for aid in store.article_ids() for m in store.mentions(aid) if m.text == text]
    assert out, f"no mention {text!r}"
    return out


def test_fixture_surname_is_an_obscure_alternate_place_name():
    place, _ = get_gazetteer().lookup("Salazar")
    assert place is not None and fold(place.name) != "salazar"  # the premise of the tests below
    assert not get_gazetteer().strong("Salazar")


def test_surname_that_is_a_town_alternate_name_stays_the_person(store):
    person = store.get_entity("Elena Salazar")
    assert person is not None and person.type == "PER"
    for m in _mentions(store, "Salazar"):  # alone, in articles with and without the full name
        assert m.entity_id == person.id and m.type == "PER"
    assert len(person.article_ids) == 3
    assert not [e for e in store.list_entities(type="LOC") if "Salazar" in e.aliases or e.name == "Salazar"]


def test_obscure_place_with_a_locative_cue_is_still_a_place(store):
    assert {m.type for m in _mentions(store, "Rubio")} == {"LOC"}  # "flew to Rubio"


def test_canonical_names_are_attested_forms(store):
    for e in store.list_entities():
        forms = {fold(m.normalized or m.text) for m in store.mentions_of_entity(e.id)}
        forms |= {fold(m.text) for m in store.mentions_of_entity(e.id)}
        assert fold(e.name) in forms, (e.name, forms)


def test_agency_named_after_agency_cues_is_an_org_and_splits_off_a_surname(store):
    agency = store.get_entity("Nordvik")
    assert agency is not None and agency.type == "ORG"
    assert not [aid for aid in store.article_ids() for m in store.mentions(aid) if m.text == "Nordvik Salazar"]
    assert {m.type for m in _mentions(store, "Nordvik")} == {"ORG"}
    assert store.get_entity("Elena Salazar").id != agency.id


def test_hyphen_compounds(store):
    assert all(m.text != "TV" for aid in store.article_ids() for m in store.mentions(aid))  # "TV-tale"
    assert {m.type for m in _mentions(store, "Rio-gruppen")} == {"ORG"}
    assert all(m.text != "Rio" for aid in store.article_ids() for m in store.mentions(aid))


def test_sentence_initial_common_word_that_names_some_town_is_no_entity(store):
    assert all(m.text != "Union" for m in store.mentions("a-np-en1"))


ORG_TEXTS = [
    ("a-og-es1", "es", "Los ministros del Grupo de Tordesillas se reunieron el lunes en Quito.\n\n"
                       "El Grupo de Tordesillas pidió nuevas elecciones."),
    ("a-og-en1", "en", "Ministers of the Tordesillas Group met in Quito on Monday.\n\n"
                       "The Tordesillas Party, a separate movement, protested outside."),
    ("a-og-nb1", "nb", "Utenriksministeren deltok på møtet i Tordesillas-gruppen mandag."),
    ("a-og-en2", "en", "The Nordic Fisheries Council met in Tromsø on Monday. A spokesman for the NFC said "
                       "quotas would fall."),
    ("a-og-en3", "en", "Diplomats at the Security Council in New York debated the blockade on Monday."),
    ("a-og-en4", "en", "Officials of the National Security Council in Washington briefed reporters."),
]


@pytest.fixture(scope="module")
def org_store(tmp_path_factory):
    arts = [article_from_text(t, id=i, lang=lang, source=f"fixture:{i}") for i, lang, t in ORG_TEXTS]
    st = Store(tmp_path_factory.mktemp("og") / "og.db")
    st.add_articles(arts)
    run(st, [a.id for a in arts], RULES)
    return st


def test_organisation_names_translated_by_their_head_word_are_one(org_store):
    ids = {m.entity_id for aid in ("a-og-es1", "a-og-en1", "a-og-nb1") for m in org_store.mentions(aid)
           if m.text in ("Grupo de Tordesillas", "Tordesillas Group", "Tordesillas-gruppen")}
    assert len(ids) == 1
    ent = org_store.get_entity(ids.pop())
    assert ent.type == "ORG" and len(ent.article_ids) == 3
    why = {e["rule"] for e in org_store.entity_evidence(ent.id)}
    assert "organisation-head-translation" in why
    party = _mentions(org_store, "Tordesillas Party")
    assert party[0].entity_id != ent.id  # another head family: another organisation


def test_acronym_joins_the_organisation_it_abbreviates(org_store):
    full = _mentions(org_store, "Nordic Fisheries Council")[0]
    assert _mentions(org_store, "NFC")[0].entity_id == full.entity_id


def test_incremental_batch_keeps_the_corpus_knowledge(tmp_path):
    """A later article with only "til Salazar" (a locative cue before an obscure place name) and a bare
    "Nordvik" is typed from what is stored: the surname of a person, an organisation."""
    items = json.loads((FIXTURES / "entities" / "names_vs_places.json").read_text(encoding="utf-8"))
    arts = [article_from_text(i["text"], id=i["id"], lang=i["lang"], source=f"fixture:{i['id']}") for i in items]
    st = Store(tmp_path / "inc.db")
    st.add_articles(arts)
    run(st, [a.id for a in arts], RULES)
    later = article_from_text("Streiken fortsetter. Forbundet sendte et nytt tilbud til Salazar, og det bekrefter "
                              "forbundet overfor Nordvik onsdag.", id="a-np-nb2",
                              lang="nb", source="fixture:a-np-nb2")
    st.add_articles([later])
    run(st, ["a-np-nb2"], RULES)
    by_text = {m.text: m for m in st.mentions("a-np-nb2")}
    assert by_text["Salazar"].entity_id == st.get_entity("Elena Salazar").id
    assert by_text["Nordvik"].type == "ORG"


def test_an_extra_distinctive_word_keeps_organisations_apart(org_store):
    assert _mentions(org_store, "Security Council")[0].entity_id != \
        _mentions(org_store, "National Security Council")[0].entity_id
