"""Quote extraction on the seeds and on our own small fixtures (no store, mentions=[])."""

from __future__ import annotations

import re

import pytest
from conftest import seed_path

from storyline.analyze.quotes import extract_quotes
from storyline.analyze.sentences import split_sentences
from storyline.model import Article, Mention, article_from_text

SEED_LANG = {"000": "nb", "001": "nb", "002": "en", "003": "da", "004": "nb"}


def seed_article(prefix: str) -> Article:
    """A seed as ingest sees it: optional ` date YYYY-MM` prefix, one paragraph per line."""
    raw = seed_path(prefix).read_text(encoding="utf-8")
    published = None
    m = re.match(r"\s*date (\d{4}-\d{2})\s+", raw)
    if m:
        published, raw = m.group(1), raw[m.end():]
    text = "\n\n".join(line.strip() for line in raw.splitlines() if line.strip())
    return article_from_text(text, id=f"a-seed{prefix}", source=str(seed_path(prefix)), lang=SEED_LANG[prefix],
                             published=published, published_precision="month" if published else None)


def quotes_of(article: Article, mentions: list[Mention] | None = None):
    return extract_quotes(article, split_sentences(article), mentions or [])


def find(quotes, opening: str):
    hits = [q for q in quotes if q.text.startswith(opening) or opening in q.text[:80]]
    assert hits, f"no quote opening with {opening!r}; got {[q.text[:40] for q in quotes]}"
    return hits[0]


@pytest.fixture(scope="module")
def seeds():
    return {p: quotes_of(seed_article(p)) for p in SEED_LANG}


def test_maduro_dash_quote_in_004(seeds):
    q = find(seeds["004"], "Vi ønsker fred")
    assert q.direct and q.cue == "sa"
    assert q.speaker and "Maduro" in q.speaker
    assert "sa Maduro" not in q.text  # the attribution is not part of the quotation


def test_experts_alternate_in_004(seeds):
    qs = seeds["004"]
    expected = {
        "Dette er nå en veldig": "Vegard Bye",
        "Trump er ute etter": "Vegard Bye",
        "En invasjon ser jeg": "Vegard Bye",  # "legger han til" after the interviewer's question
        "De har kommet med": "Benedicte Bull",
        "De har plassert styrkene": "Benedicte Bull",
        "Han prøver å skape": "Benedicte Bull",  # "legger hun til"
        "Jeg syns ikke han": "Vegard Bye",
    }
    for opening, speaker in expected.items():
        assert find(qs, opening).speaker == speaker, opening


def test_interviewer_question_is_not_the_experts_statement(seeds):
    for q in seeds["004"]:
        assert not q.text.startswith("Hvor sannsynlig"), q


def test_dash_headings_are_not_quotes(seeds):
    assert not any(q.text.startswith(("Vanskelig og pinlig", "Uskyldig president")) for q in seeds["004"])


def test_guaido_through_sier_han_in_001(seeds):
    q = find(seeds["001"], "Jeg vil gjøre alt")
    assert q.direct and q.speaker == "Juan Guaidó" and q.medium == "AFP"


def test_pompeo_hyphen_quote_in_003(seeds):
    q = find(seeds["003"], "Han havde et fly")
    assert q.direct and q.speaker == "Mike Pompeo" and q.medium == "CNN" and q.cue == "siger"


def test_det_siger_refers_back_to_previous_paragraph_in_003(seeds):
    q = find(seeds["003"], "Venezuelas hårdt pressede")
    assert not q.direct and q.speaker == "Mike Pompeo" and q.medium == "CNN"


def test_duque_and_zakharova_in_002(seeds):
    duque = find(seeds["002"], "step aside and allow")
    assert duque.direct and duque.speaker == "Ivan Duque"
    zak = find(seeds["002"], "The example of events")
    assert zak.speaker == "Maria Zakharova" and zak.medium == "Facebook"  # through "she wrote"


def test_unnamed_spokesperson_in_000(seeds):
    q = find(seeds["000"], "Vi har ingen planer")
    assert q.speaker is None and q.speaker_entity_id is None
    assert q.speaker_description == "en talsperson i departementet"


def test_soreide_through_sier_hun_in_000(seeds):
    assert find(seeds["000"], "For å løse den").speaker == "Ine Eriksen Søreide"


def test_indirect_speech_marked(seeds):
    q = find(seeds["001"], "300.000 mennesker")
    assert not q.direct and q.speaker == "Juan Guaidó"
    src = find(seeds["000"], "jo før, jo bedre")
    assert src.speaker_description == "kilden" and src.medium == "AFP"


def test_quote_ids_dates_and_offsets(seeds):
    art = seed_article("001")
    for q in seeds["001"]:
        assert q.id.startswith("q-") and art.text[q.start:q.end] == q.text
        assert q.date == "2019-02" and q.lang == "nb"
    assert len({q.id for q in seeds["001"]}) == len(seeds["001"])


# --- our own fixtures: other languages and typographies ---------------------------------------

def _one(text: str, lang: str, **kw):
    art = article_from_text(text, id="a-fixture", lang=lang, **kw)
    return quotes_of(art)


def test_guillemets_with_inverted_cue_and_medium_nb():
    qs = _one("Statsminister Kari Nordmann besøkte Bergen i går.\n\n"
              "«Vi skal bygge flere boliger i hele landet», sier Nordmann til NRK.", "nb")
    assert len(qs) == 1
    q = qs[0]
    assert q.text == "Vi skal bygge flere boliger i hele landet" and q.direct
    assert q.speaker == "Kari Nordmann" and q.medium == "NRK"


def test_german_low_high_quotes_and_pronoun_er():
    qs = _one("Der Minister Thomas Berger reiste nach Wien.\n\n"
              "„Wir werden die Grenzen offen halten“, sagte er am Montag.", "de")
    assert [(q.text, q.speaker) for q in qs] == [("Wir werden die Grenzen offen halten", "Thomas Berger")]


def test_spanish_segun_and_english_said_that():
    es = _one("Según el ministro Carlos Pérez, la economía crecerá un tres por ciento este año.", "es")
    assert es and es[0].speaker == "Carlos Pérez" and not es[0].direct
    en = _one("Senator Jane Miller said that the bill would pass before the summer recess.", "en")
    assert en[0].speaker == "Jane Miller" and en[0].text.startswith("the bill would pass")


def test_pronoun_gender_picks_compatible_person():
    qs = _one("Anna Larsen møtte Per Hansen i Oslo.\n\n"
              "– Dette var et viktig møte for oss begge, sier han.", "nb")
    assert qs[0].speaker == "Per Hansen"


def test_scare_quotes_and_titles_are_not_quotes():
    qs = _one("Regjeringen kaller planen «historisk». Avisen «Dagbladet» skrev om saken.", "nb")
    assert qs == []


def test_multi_paragraph_dash_quote_continues_speaker():
    qs = _one("Ola Berg er ordfører i kommunen.\n\n"
              "– Vi har ventet lenge på denne avgjørelsen, sier Berg.\n\n"
              "– Nå må staten ta ansvaret for veien videre.", "nb")
    assert [q.speaker for q in qs] == ["Ola Berg", "Ola Berg"]


def test_mentions_give_canonical_speaker():
    text = "Utenriksminister Mike Pompeo var i Caracas.\n\n– Vi står sammen med folket, sier Pompeo."
    art = article_from_text(text, id="a-m", lang="nb")
    s = text.index("Pompeo.")
    mentions = [Mention("a-m", text.index("Mike Pompeo"), text.index("Mike Pompeo") + 11, "Mike Pompeo", "PER",
                        entity_id="n-pompeo"),
                Mention("a-m", s, s + 6, "Pompeo", "PER", entity_id="n-pompeo")]
    qs = extract_quotes(art, split_sentences(art), mentions, {"n-pompeo": "Michael R. Pompeo"})
    assert qs[0].speaker == "Michael R. Pompeo" and qs[0].speaker_entity_id == "n-pompeo"


def test_hostile_input_does_not_crash():
    for text in ["", "«", "– ,", "\"\"\"", "– sier han.", "«" * 500, "Ifølge", "- " * 300]:
        art = article_from_text(text or " ", id="a-x", lang="nb")
        extract_quotes(art, split_sentences(art), [])


# --- quotations continued across paragraphs (own fixture text) ---

_CONT_NB = ("Ordføreren i Bergen, Kari Nordmann, var tydelig på møtet tirsdag.\n\n"
            "«Vi kommer ikke til å godta flere kutt i skolen. Elevene har betalt nok.\n\n"
            "«Derfor ber vi regjeringen om å tenke seg om en gang til», sa Nordmann til NRK.\n\n"
            "Møtet varte i tre timer.")
_CONT_NB_DASH = ("Kari Nordmann sa dette på møtet:\n\n"
                 "«Vi kommer ikke til å godta flere kutt i skolen. Elevene har betalt nok.\n\n"
                 "– Derfor ber vi regjeringen om å tenke seg om igjen.\n\n"
                 "Møtet varte i tre timer.")
_CONT_EN = ("The mayor, John Carter, spoke on Tuesday.\n\n"
            "“We will not accept more cuts,” Carter said. “The schools have paid enough.\n\n"
            "“That is why we ask the government to think again.”\n\n"
            "The meeting lasted three hours.")
_CONT_EN_STRAIGHT = ("\"We will not accept more cuts to the schools. The pupils have paid enough.\n\n"
                     "\"That is why we ask the government to think again,\" said Mayor John Carter.\n\n"
                     "The meeting lasted three hours.")


@pytest.mark.parametrize("text,lang,first,last,speaker", [
    (_CONT_NB, "nb", "Vi kommer ikke", "en gang til", "Kari Nordmann"),
    (_CONT_NB_DASH, "nb", "Vi kommer ikke", "om igjen.", "Kari Nordmann"),
    (_CONT_EN, "en", "The schools have", "think again.", "John Carter"),
    (_CONT_EN_STRAIGHT, "en", "We will not accept", "think again", "John Carter"),
])
def test_quote_continued_across_paragraphs_is_one_quote(text, lang, first, last, speaker):
    article = article_from_text(text, id="a-cont", lang=lang)
    qs = [q for q in quotes_of(article) if first in q.text or last in q.text]
    assert len(qs) == 1, [q.text for q in qs]
    q = qs[0]
    assert q.text.startswith(first) and q.text.endswith(last)
    assert "\n" not in q.text and "«" not in q.text and "“" not in q.text and "sa Nordmann" not in q.text
    assert text[q.start:q.end].startswith(first) and text[q.start:q.end].endswith(last)
    assert text.count("\n\n", q.start, q.end) >= 1  # the offsets span both paragraphs
    assert q.speaker == speaker and q.direct


def test_closed_quote_then_new_paragraph_is_not_joined():
    text = ("“We will not accept more cuts,” said John Carter.\n\n"
            "“The plan is a disaster for the pupils of this city,” said Anna Berg.")
    article = article_from_text(text, id="a-cont2", lang="en")
    got = {q.text.rstrip(","): q.speaker for q in quotes_of(article)}
    assert got == {"We will not accept more cuts": "John Carter",
                   "The plan is a disaster for the pupils of this city": "Anna Berg"}


def test_quote_interrupted_by_its_attribution_is_one_quote():
    text = ("“The budget is a mistake. It hurts the poor,” said Laura Jensen, speaking at the rally. "
            "“We will fight it in every committee.”\n\nThe vote is set for May.")
    article = article_from_text(text, id="a-split", lang="en")
    qs = quotes_of(article)
    assert len(qs) == 1, [q.text for q in qs]
    assert qs[0].text.startswith("The budget is a mistake") and qs[0].text.endswith("every committee.")
    assert "said Laura" not in qs[0].text and qs[0].speaker == "Laura Jensen"


@pytest.mark.parametrize("text,content,speaker", [
    ("In a post on Friday, Laura Jensen said: “The committee has failed the voters of this state.”",
     "The committee has failed", "Laura Jensen"),
    ("Laura Jensen rejected the budget on Friday, saying the cuts would hurt families in every county.",
     "the cuts would hurt", "Laura Jensen"),
    ("Laura Jensen and Peter Holm say the program has cost billions of dollars.",
     "the program has cost", "Peter Holm"),
])
def test_english_speech_constructions(text, content, speaker):
    qs = quotes_of(article_from_text(text, id="a-en", lang="en"))
    hit = [q for q in qs if content in q.text]
    assert hit, [q.text for q in qs]
    assert hit[0].speaker == speaker


def test_bare_say_after_modal_is_not_a_report():
    text = "Laura Jensen would say the budget is fine if anyone asked her about the plan."
    assert quotes_of(article_from_text(text, id="a-modal", lang="en")) == []
