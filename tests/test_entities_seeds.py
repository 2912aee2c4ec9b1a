"""Done-when checks of issue 3 on the five real seed articles, analysed together."""

from __future__ import annotations

import pytest

from storyline.analyze.entities.step import run
from storyline.config import Config
from storyline.store import Store
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory):
    if not SEEDS.exists():
        pytest.skip("../shared/seeds not present")
    import re

    from storyline.ingest.language import detect
    from storyline.model import article_from_text

    # built here rather than through ingest (which loads every language model): one paragraph a line,
    # the " date YYYY-MM" prefix stripped, language detected with ingest's own detector
    store = Store(tmp_path_factory.mktemp("ent") / "seeds.db")
    arts = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = re.sub(r"^\s*date \d{4}-\d{2}\s*", "", path.read_text(encoding="utf-8"))
        lang = detect(text[:2000], ["nb", "da", "en"]).lang
        arts.append(article_from_text(text.replace("\n", "\n\n"), id=f"a-seed{path.name[:3]}", lang=lang,
                                      source=str(path)))
    store.add_articles(arts)
    run(store, [a.id for a in arts], Config({}))
    return store


def _entities_with(store, surface: str) -> set[str]:
    out = set()
    for aid in store.article_ids():
        out |= {m.entity_id for m in store.mentions(aid) if m.text == surface}
    return out


def _articles_mentioning(store, words: tuple[str, ...]) -> set[str]:
    return {a.id for a in store.iter_articles() if any(w in a.text for w in words)}


@pytest.mark.parametrize("surfaces, expected_name", [
    (("Nicolás Maduro", "Nicolas Maduro", "Nicholas Maduro", "Maduros", "Maduro"), "Nicolás Maduro"),
    (("Juan Guaidó", "Guaidó", "Juan Guido", "Guido"), "Juan Guaidó"),
    (("Mike Pompeo", "Michael Pompeo", "Pompeo"), "Mike Pompeo"),
    (("USA", "USAs", "USA's", "United States", "U.S.", "US"), "United States"),
    (("Russland", "Rusland", "Russia"), "Russia"),
])
def test_one_entity_across_spellings_and_languages(seeds_store, surfaces, expected_name):
    ids = set().union(*(_entities_with(seeds_store, s) for s in surfaces))
    assert len(ids) == 1, [seeds_store.get_entity(i).name for i in ids]
    ent = seeds_store.get_entity(ids.pop())
    assert ent.name == expected_name
    assert set(ent.article_ids) == _articles_mentioning(seeds_store, surfaces)


def test_different_people_stay_apart(seeds_store):
    guaido = seeds_store.get_entity("Juan Guaidó")
    hernandez = seeds_store.get_entity("Juan Orlando Hernandez")
    assert hernandez is not None and hernandez.id != guaido.id
    assert seeds_store.get_entity("Pete Hegseth").id != seeds_store.get_entity("Mike Pompeo").id


def test_roles_are_attributes_with_language(seeds_store):
    pompeo = seeds_store.get_entity("Mike Pompeo")
    assert {"role": "utenriksminister", "lang": "nb"} in pompeo.roles
    assert {"role": "udenrigsminister", "lang": "da"} in pompeo.roles
    assert "Hegseth" not in " ".join(pompeo.aliases)


def test_no_role_words_or_sentence_initial_common_words(seeds_store):
    names = {e.name for e in seeds_store.list_entities()}
    forbidden = {"Det", "Han", "Hun", "Torsdag", "Previously", "President", "Opposisjonsleder", "Presidenten",
                 "Lederen", "Landets", "Intervjuet", "De", "Vi", "Guaidó vurderer", "Secretary", "Præsident"}
    assert not names & forbidden, names & forbidden
    assert not [n for n in names if n.lower().endswith(("minister", "leder"))]


def test_why_evidence_names_rule_and_mentions(seeds_store):
    guaido = seeds_store.get_entity("Juan Guido")
    assert guaido.name == "Juan Guaidó"
    rules = {e["rule"] for e in seeds_store.entity_evidence(guaido.id)}
    assert "similar-name+context" in rules
    us = seeds_store.get_entity("USA")
    assert "exonym" in {e["rule"] for e in seeds_store.entity_evidence(us.id)}


def test_incremental_add_resolves_against_stored_entities(seeds_store, tmp_path):
    from storyline.model import article_from_text

    art = article_from_text("Pompeo sa mandag at Guaidó har USAs fulle støtte, mens Maduro avviste kravet.",
                            id="a-incremental1", lang="nb", source="fixture:incremental")
    seeds_store.add_articles([art])
    run(seeds_store, [art.id], Config({}))
    got = {m.text: seeds_store.get_entity(m.entity_id).name for m in seeds_store.mentions(art.id)}
    assert got["Pompeo"] == "Mike Pompeo"
    assert got["Guaidó"] == "Juan Guaidó"
    assert got["USAs"] == "United States"
    assert got["Maduro"] == "Nicolás Maduro"
