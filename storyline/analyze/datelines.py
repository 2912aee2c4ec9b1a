"""Wire-copy datelines at the start of a sentence: "TRIPOLI, May 2 (Reuters) - …", "OSLO (NTB): …".

A dateline says where and when the copy was filed and by which agency; it is not part of what
happened, so a timeline entry or a summary bullet shows the sentence without it (the source keeps
its full text and offsets). The rule is the convention itself, not a list of agencies: a short
parenthesised name "(Reuters)", "(AP)", "(NTB)" followed by a dash or colon, within the first 200
characters, after a prefix that reads as a dateline: empty, "Place, Country" (a few words with a
comma), one opening with a place name in capitals ("WASHINGTON", "LONDON, Aug 22"), or one holding a
time stamp ("10:07 am") or a "|" field separator. A sentence that merely contains a parenthesis ("the
forces fight (CNN) - …" after ordinary words) is left as it is, and so is a name with its party or
ticker ("Finansminister Kari Nordmann (Sp): Vi …", "NHO-sjefen (…)"), which looks the same otherwise.
"""

from __future__ import annotations

import re

_AGENCY = re.compile(
    r"(?:\(|-LRB-\s*)(?P<agency>[A-Z][A-Za-z .&'/-]{1,25}?)\s*(?:\)|-RRB-)\s*(?:-{1,2}|—|–|:)\s+")
_CAPS_START = re.compile(r"\s*[A-ZÆØÅÄÖÜÉ]{3,}(?=[\s,|]|$)")  # "TRIPOLI ", "LONDON, …"; not "NHO-sjef"
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\|")
MAX_PREFIX = 200
FEW_WORDS = 4


def dateline_end(text: str) -> int:
    """Offset where the sentence proper starts after a leading dateline (0 when it has none)."""
    m = _AGENCY.search(text, 0, MAX_PREFIX + 40)
    if not m or m.start() > MAX_PREFIX:
        return 0
    prefix = text[:m.start()]
    short_place = not prefix.strip() or ("," in prefix and len(prefix.split()) <= FEW_WORDS)
    if short_place or _CAPS_START.match(prefix) or _TIME.search(prefix):
        rest = text[m.end():]
        return m.end() if rest[:1].isupper() or rest[:1] in "\"'«“‘" else 0
    return 0


def strip_dateline(text: str) -> str:
    """The sentence without its leading dateline (unchanged when it has none)."""
    return text[dateline_end(text):]
