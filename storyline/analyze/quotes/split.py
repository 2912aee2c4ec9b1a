"""Split reported speech that runs into a second report ("promised to X and said she would Y").

An English indirect quotation runs from its cue to where the tagger or the rules stop it; when the
speaker's next clause reports again ("…, arguing that …", "… and says he will …", "…, though she
acknowledged …"), that clause is an attribution of its own, and the first one ends before it. The
second part keeps the first part's speaker unless a subject pronoun opens it ("though she").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from storyline.analyze.quotes.attribute import SpeakerRef
from storyline.analyze.quotes.direct import Found

#: English verbs that open a clause of reported speech on their own (no object reading, unlike
#: "denied the claim"): a conjoined clause headed by one of them is a second attribution.
_REPORT = (r"said|says|told|tells|added|adds|stated|explained|explains|argued|argues|insisted|insists|"
           r"warned|warns|acknowledged|admitted|suggested|predicted|recalled|asserted|maintained|conceded|"
           r"noted|claimed|saying|adding|arguing|noting|claiming|insisting|warning|explaining|stating|"
           r"acknowledging|suggesting|predicting")
_SUBJECT = r"he|she|they"
#: a clause boundary (comma or coordinator), an optional subject pronoun, the report verb, then a
#: clause (optional "that"); a participle needs the comma ("…, arguing that …").
_SECOND = re.compile(
    rf"(?:,\s*(?:and\s+|but\s+|though\s+|although\s+|while\s+)?|\s+(?:and|but|though|although|while)\s+)"
    rf"(?:(?P<subj>{_SUBJECT})\s+)?(?:also\s+|later\s+)?(?P<verb>{_REPORT})\s+(?:that\s+)?(?=\S)",
    re.IGNORECASE)
_MIN_WORDS = 3
#: a contrastive clause with a subject of its own: a report conjoined after it is not the first speaker's
_NEW_CLAUSE = re.compile(r"[,;]\s+but\s+(?!also\b)\w+", re.IGNORECASE)


def split_second_reports(text: str, found: list[Found], english: Callable[[Found], bool]) -> list[Found]:
    """Each indirect quotation of an English paragraph cut at a conjoined report clause, in text order.

    `english(f)` tells whether `f` lies in an English paragraph (the verbs here are English)."""
    out: list[Found] = []
    for f in found:
        if f.direct or f.parts or not english(f):
            out.append(f)
            continue
        out.extend(_split(text, f))
    return out


def _split(text: str, f: Found) -> list[Found]:
    m = _SECOND.search(text, f.start, f.end)
    while m is not None and len(text[f.start:m.start()].split()) < _MIN_WORDS:
        m = _SECOND.search(text, m.end(), f.end)
    if m is None or len(text[m.end():f.end].split()) < _MIN_WORDS:
        return [f]
    if m.group("subj") is None and m.group(0).lstrip(", ").lower().startswith(m.group("verb").lower()) \
            and not m.group("verb").lower().endswith("ing"):
        return [f]  # ", said X": an inverted tail names a new speaker after the verb, not a conjoined clause
    if m.group("subj") is None and _NEW_CLAUSE.search(text, f.start, m.start()):
        return [f]  # "declared A, but the opposition rejected B and said C": C is the opposition's
    first = replace(f, end=m.start())
    speaker = f.speaker
    if m.group("subj") is not None:
        s, e = m.span("subj")
        speaker = SpeakerRef("pronoun", s, e, text[s:e])
    verb_s, verb_e = m.span("verb")
    second = replace(f, start=m.end(), cue=text[verb_s:verb_e], cue_start=verb_s, speaker=speaker,
                     attr_start=m.start(), attr_end=verb_e,
                     source=None if m.group("subj") is not None else f.source)
    return [first, *_split(text, second)]
