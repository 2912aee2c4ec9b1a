"""A quotation signed after its closing mark ("“…” ― Name") is that name's (`analyze.quotes.direct`)."""

from __future__ import annotations

from storyline.analyze.quotes.extract import find_quotes
from storyline.analyze.sentences import split_sentences
from storyline.eval.quotes import raw_article

TEXT = ("What the harbour town thinks of the new bridge.\n\n"
        "“It cuts my drive to the hospital from forty minutes to ten, which changes everything.” ― Ingrid Halvorsen "
        "“The old ferry was slower, but it was ours and we will miss it every single morning.” — Tomás de la Vega\n\n"
        "“They promised us a cycle lane on the bridge and it never came, as usual.” ― M. J. Okafor.  Photo: archive.\n\n"
        "“Tolls will pay for the whole project within twelve years,” — which few believed.")


def _by_text() -> dict[str, str | None]:
    art = raw_article("bridge", TEXT)
    return {art.text[r.found.start:r.found.end][:20]: r.speaker
            for r in find_quotes(art, split_sentences(art), [])}


def test_each_signed_quotation_is_the_following_names():
    got = _by_text()
    assert got["It cuts my drive to "] == "Ingrid Halvorsen"
    assert got["The old ferry was sl"] == "Tomás de la Vega"  # name particles inside the signature
    assert got["They promised us a c"] == "M. J. Okafor"  # initials, then a new sentence after it


def test_a_dash_before_lower_case_words_signs_nothing():
    assert "Tolls will pay for t" not in _by_text()  # unattributed and not a statement: dropped
