"""The shipped English attribution tagger (storyline/models/quotes-en) on sentences of our own:
paraphrase with verbs beyond "say", "according to" mid-sentence, organisations as sources."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from storyline.analyze.quotes import extract_quotes  # noqa: E402
from storyline.analyze.quotes.learned import MODEL_DIR, learned_quotes, load_tagger  # noqa: E402
from storyline.analyze.quotes.settings import QuoteSettings  # noqa: E402
from storyline.analyze.sentences import split_sentences  # noqa: E402
from storyline.model import article_from_text  # noqa: E402

TEXT = "\n\n".join([
    "The harbour authority warned on Monday that the new pier would not open before the summer.",
    "Mayor Linda Castellano insisted the delay had nothing to do with the budget dispute at city hall.",
    "Construction costs have risen by a fifth since the tender, according to figures published by the "
    "regional audit office.",
    "“We are not going to cut corners on safety,” said Tom Whitaker, the project director.",
    "Opposition councillors accused the mayor of hiding the true cost from voters for months.",
    "The pier was first proposed in 2016 and has been redesigned twice.",
])
#: (words the quotation contains, words its speaker contains)
EXPECTED = [
    ("new pier would not open", "harbour authority"),
    ("nothing to do with the budget", "Castellano"),
    ("Construction costs have risen", "audit office"),
    ("not going to cut corners", "Whitaker"),
    ("hiding the true cost", "councillors"),
]


@pytest.fixture(scope="module")
def quotes():
    assert (MODEL_DIR / "meta.json").is_file(), "the English tagger ships with the package"
    art = article_from_text(TEXT, id="a-en", lang="en")
    return extract_quotes(art, split_sentences(art), [])


def _who(q) -> str:
    return f"{q.speaker or ''} {q.speaker_description or ''}"


def test_tagger_finds_paraphrase_and_sources(quotes):
    hits = 0
    for words, speaker in EXPECTED:
        q = next((q for q in quotes if words in q.text), None)
        hits += q is not None and speaker in _who(q)
    assert hits >= 4, [(q.text[:50], _who(q)) for q in quotes]


def test_narrative_is_no_quotation(quotes):
    assert not any("first proposed in 2016" in q.text for q in quotes)


def test_direct_kind_and_cue_are_kept(quotes):
    q = next(q for q in quotes if "cut corners" in q.text)
    assert q.direct and q.cue and "said" in q.cue


def test_tagger_adds_to_the_rules():
    art = article_from_text(TEXT, id="a-en", lang="en")
    rules = extract_quotes(art, split_sentences(art), [], settings=QuoteSettings(model=False))
    learned = learned_quotes(art, [], load_tagger())
    assert len(learned) >= 4
    assert len(extract_quotes(art, split_sentences(art), [])) > len(rules)


def test_other_languages_are_left_to_the_rules():
    art = article_from_text("– Vi har ingen planer om å trekke oss, sa Kari Lunde til NRK.", id="a-nb", lang="nb")
    assert learned_quotes(art, [], load_tagger()) == []
