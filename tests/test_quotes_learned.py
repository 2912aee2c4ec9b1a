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


# --- grouping mechanisms, on spans given by hand (no tagger needed beyond import) --------------------

def _span(text: str, phrase: str, after: int = 0) -> tuple[int, int]:
    s = text.index(phrase, after)
    return s, s + len(phrase)


def test_cue_takes_the_source_before_it_not_the_next_speaker():
    from storyline.analyze.quotes.learned import _source_of

    text = ("Senator Ruth Alvarez, who chairs the panel, said the inquiry would resume in May, "
            "while Mayor Dan Okafor wants it closed.")
    cue, content = _span(text, "said"), _span(text, "the inquiry would resume in May")
    near_after, before = _span(text, "Mayor Dan Okafor"), _span(text, "Senator Ruth Alvarez")
    assert _source_of(text, cue, [content], [before, near_after]) == (before, None)
    # no Source before the cue and no quotation before it: the later one is only a fallback
    assert _source_of(text, cue, [content], [near_after]) == (None, near_after)
    # a full stop ends the subject's reach; a title's does not
    text2 = "Dr. Lena Holt left early. Mr. Brandt said the vote was rigged."
    cue2, c2 = _span(text2, "said"), _span(text2, "the vote was rigged")
    holt, brandt = _span(text2, "Dr. Lena Holt"), _span(text2, "Mr. Brandt")
    assert _source_of(text2, cue2, [c2], [holt, brandt])[0] == brandt
    assert _source_of(text2, cue2, [c2], [holt])[0] is None  # Holt is in the sentence before


def test_inversion_after_a_quotation_keeps_the_later_source():
    from storyline.analyze.quotes.learned import _source_of

    text = "“We will appeal the ruling,” said a lawyer for the family."
    cue, content, src = _span(text, "said"), _span(text, "We will appeal the ruling"), _span(text, "a lawyer for the family")
    assert _source_of(text, cue, [content], [src]) == (src, None)


def test_relative_pronoun_source_names_its_antecedent():
    from storyline.analyze.quotes.learned import _speaker

    text = "The figures came from the Harbour Statistics Office, which reported a fall in traffic."
    ref, span = _speaker(text, _span(text, "which"), _span(text, "reported"), [])
    assert ref is not None and "Harbour Statistics Office" in ref.text
    assert span[0] == ref.start and text[span[0]:span[1]].endswith("which")


def test_apposition_head_is_the_speaker():
    from storyline.analyze.quotes.learned import _speaker

    text = "Jonas Brekke, the chairman of the Regional Water Board, said the pipes were sound."
    src = _span(text, "Jonas Brekke, the chairman of the Regional Water Board,")
    ref, span = _speaker(text, src, _span(text, "said"), [])
    assert ref is not None and ref.text == "Jonas Brekke" and span == src


def test_act_verbs_with_a_noun_phrase_object_are_no_quotation():
    from storyline.analyze.quotes.learned import is_act

    text = "The rebel leader declared himself interim governor and was cheered by the crowd."
    assert is_act(text, "declared", [_span(text, "himself interim governor and was cheered by the crowd")])
    text = "The council announced the closure of the United Nations office."
    assert is_act(text, "announced", [_span(text, "the closure of the United Nations office")])
    text = "The council announced that the office would close."
    assert not is_act(text, "announced", [_span(text, "the office would close")])
    text = "The union is calling for a strike in the spring."
    assert is_act(text, "is calling for", [_span(text, "a strike in the spring")])
    text = "The mayor called on the harbour board to step down."
    assert is_act(text, "called", [_span(text, "the harbour board to step down")])


def test_call_that_labels_is_a_statement_not_an_act():
    from storyline.analyze.quotes.learned import is_act

    text = "The mayor called the new parking rules a disgrace for the old town."
    assert not is_act(text, "called", [_span(text, "the new parking rules a disgrace for the old town")])


def test_phrases_that_describe_no_speaker():
    from storyline.analyze.quotes.attribute import not_a_noun_phrase

    for bad in ("aside from", "Deeply", "It's worth", "When", "among others", "the release of"):
        assert not_a_noun_phrase(bad.split()), bad
    for good in ("a spokesman", "officials", "the two", "en talsperson i departementet", "the union leaders"):
        assert not not_a_noun_phrase(good.split()), good


def test_reported_speech_takes_the_cue_before_it():
    from storyline.analyze.quotes.learned import _cue_of

    text = ("The minister said after a long and heated meeting with the city council that the bridge "
            "would reopen, the union feared. The union warned of delays.")
    cues = [_span(text, "said"), _span(text, "feared"), _span(text, "warned of")]
    # nearer to "feared" by characters, but reported speech follows its own cue
    assert _cue_of(text, _span(text, "the bridge would reopen"), cues, []) == 0
    assert _cue_of(text, _span(text, "delays"), cues, []) == 2
    # a quotation goes to the nearest cue, before or after it
    quote = _span(text, "the bridge would reopen")
    assert _cue_of(text, quote, cues, [quote]) == 1
