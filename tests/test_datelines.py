"""Wire datelines at the start of a sentence are not news (storyline.analyze.datelines), and the day a
sentence naming several reports (storyline.analyze.dates.news_peg)."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.analyze.datelines import dateline_end, strip_dateline
from storyline.analyze.dates import news_peg


@pytest.mark.parametrize("text, rest", [
    ("BERGEN | Tue Mar 2 , 2021 9:14 am CET BERGEN (Reuters) - The ferry operator cut ten routes.",
     "The ferry operator cut ten routes."),
    ("NAIROBI, March 2 -LRB- AFP -RRB- -- Kenyan farmers protested over maize prices.",
     "Kenyan farmers protested over maize prices."),
    ("Quito , Ecuador (CNN) -- Heavy rain closed the airport.", "Heavy rain closed the airport."),
    ("TROMSØ (NTB): Fylkestinget vedtok planen tirsdag.", "Fylkestinget vedtok planen tirsdag."),
])
def test_a_leading_dateline_is_removed(text: str, rest: str) -> None:
    assert strip_dateline(text) == rest
    assert text.endswith(text[dateline_end(text):])


@pytest.mark.parametrize("text", [
    "The mayor said the new harbour tunnel opens in May.",
    # ordinary words before a parenthesis: not a dateline
    "Fishermen in the northern villages say the new quotas hurt them (Reuters) - more to come.",
    "The council (all nine members) - unusually - agreed.",
    # a name with its party or a company with its ticker, then a colon or a dash: the subject stays
    "Finansminister Kari Nordmann (Sp): Vi må stramme inn budsjettet neste år.",
    "Ola Hansen (Ap) – Det er for tidlig å si noe om dette, sa han.",
    "NHO-sjef Per Olsen (NHO): Bedriftene trenger forutsigbarhet.",
])
def test_sentences_without_a_dateline_are_unchanged(text: str) -> None:
    assert strip_dateline(text) == text


def test_news_peg_is_the_latest_day_on_or_before_publication():
    d = dt.date
    pub = d(2021, 3, 4)
    assert news_peg([d(2021, 2, 28), d(2021, 3, 2)], pub) == 1  # the meeting, not what it looked back on
    assert news_peg([d(2021, 3, 2), d(2021, 2, 28)], pub) == 0
    assert news_peg([d(2021, 3, 1), d(2021, 6, 14)], pub) == 0  # the announcement, not the announced date
    assert news_peg([d(2021, 6, 21), d(2021, 6, 14)], pub) == 1  # only future days: the soonest
    assert news_peg([d(2021, 1, 1), d(2021, 6, 14)], None) == 1  # no publication day: the latest
