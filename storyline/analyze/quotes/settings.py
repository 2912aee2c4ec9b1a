"""Settings of the quotes stage (`[quotes]` in storyline.toml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class QuoteSettings:
    #: quoted spans shorter than this (in words) are scare quotes or titles unless attributed in place.
    min_words: int = 3
    #: how many sentences back a pronoun may look for its antecedent.
    pronoun_window: int = 6
    #: also extract indirect speech ("sier at", "according to").
    indirect: bool = True
    #: date quotes by the event date their sentence names (needs storyline.analyze.dates).
    event_dates: bool = True
    #: use the trained attribution tagger (storyline/models/quotes-*) for the languages it knows.
    model: bool = True
    #: a tagger folder other than the shipped one (empty: storyline/models/quotes-en).
    model_path: str = ""
    #: how tagger and rules combine there: "union" (overlaps resolved as between rules), "learned"
    #: (the tagger alone), "learned+direct" (the tagger plus the rules' quote-mark and dash quotations).
    combine: str = "union"
