"""Reported speech conjoined with a second report is two attributions (`analyze.quotes.split`)."""

from __future__ import annotations

from storyline.analyze.quotes.attribute import SpeakerRef
from storyline.analyze.quotes.direct import Found
from storyline.analyze.quotes.split import split_second_reports


def _indirect(text: str, content_from: str, speaker: str) -> Found:
    s = text.index(content_from)
    e = len(text.rstrip("."))
    sp = text.index(speaker)
    return Found(s, e, False, cue="said", cue_start=s - 5,
                 speaker=SpeakerRef("name", sp, sp + len(speaker), speaker))


def _texts(text: str, found: list[Found]) -> list[str]:
    return [text[f.start:f.end] for f in found]


def test_conjoined_report_clause_is_a_second_quotation_with_the_same_speaker():
    text = ("Harriet Olsen said the ferry timetable would change in spring, "
            "arguing that the winter crossings had lost money for three years.")
    out = split_second_reports(text, [_indirect(text, "the ferry", "Harriet Olsen")], lambda f: True)
    assert _texts(text, out) == ["the ferry timetable would change in spring",
                                 "the winter crossings had lost money for three years"]
    assert out[1].cue == "arguing" and out[1].speaker.text == "Harriet Olsen"


def test_a_subject_pronoun_opens_the_second_report_with_its_own_speaker():
    text = ("Harriet Olsen said the board planned a new route to the islands, though she "
            "acknowledged it might not pay for itself.")
    out = split_second_reports(text, [_indirect(text, "the board", "Harriet Olsen")], lambda f: True)
    assert _texts(text, out)[1] == "it might not pay for itself"
    assert out[1].speaker.kind == "pronoun" and out[1].speaker.text == "she"


def test_inverted_tail_direct_quotes_and_other_languages_stay_whole():
    tail = "Harriet Olsen said the crossings lost money, said a spokesman for the company."
    one = [_indirect(tail, "the crossings", "Harriet Olsen")]
    assert len(split_second_reports(tail, one, lambda f: True)) == 1  # ", said X" names a speaker
    text = "Harriet Olsen said the ferry would change in spring, arguing that it had lost money for years."
    f = _indirect(text, "the ferry", "Harriet Olsen")
    assert split_second_reports(text, [f], lambda f: False) == [f]  # the verbs are English ones
    f.direct = True
    assert split_second_reports(text, [f], lambda f: True) == [f]  # a quotation in marks is one


def test_a_report_after_a_contrastive_clause_is_not_given_the_first_speaker():
    text = ("The ferry board said the crossings would end in May, but the islanders protested at once "
            "and said the service had never been cheaper to run.")
    f = _indirect(text, "the crossings", "The ferry board")
    assert split_second_reports(text, [f], lambda f: True) == [f]
