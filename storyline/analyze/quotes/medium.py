"""Where a statement was made: the outlet or platform named next to the cue.

"til CNN", "to Reuters", "i et intervju med nyhetsbyrået AFP", "on Twitter", "in Facebook" — an
outlet is a capitalised name (digits allowed: "TV 2") after a dative preposition or an interview
phrase; platforms are a closed list of social networks.
"""

from __future__ import annotations

import re

_PLATFORMS = r"(?:Twitter|X|Facebook|Instagram|TikTok|Telegram|YouTube|Truth Social|LinkedIn|Bluesky|Threads)"
_NAME = r"(?P<name>[A-ZÆØÅÄÖÜ][\w.&'’-]*(?:\s+(?:[A-ZÆØÅÄÖÜ][\w.&'’-]*|\d+))*)"
_KIND = (r"(?:(?:nyhetsbyrået|nyhedsbureauet|nyhetsbyrån|avisen|avisa|tidningen|kanalen|TV-kanalen|"
         r"the news agency|news agency|the newspaper|the broadcaster|der Zeitung|die Zeitung|dem Sender|"
         r"la agencia|el diario|l'agence|le journal)\s+)?")

MEDIUM_PATTERNS = [
    re.compile(r"\b(?:on|in|på|auf|en|sur|via|i)\s+(?:the\s+)?(?:sociale medier\s+)?(?P<name>" + _PLATFORMS + r")\b"),
    re.compile(r"\b(?:i et intervju med|i et interview med|i en intervju med|i ett samtal med|"
               r"in an interview with|in einem Interview mit|en una entrevista con|en entrevista con|"
               r"dans un entretien (?:avec|à)|dans une interview (?:à|avec))\s+" + _KIND + _NAME),
    re.compile(r"(?:^|\s|,)(?:til|to|till|gegenüber|a|à|an)\s+" + _KIND + _NAME),
]


def find_medium(text: str) -> str | None:
    """The outlet named in an attribution clause, or None."""
    for pat in MEDIUM_PATTERNS:
        m = pat.search(text)
        if m:
            name = m.group("name").strip().rstrip(".")
            if name:
                return name
    return None


def medium_start(text: str) -> int | None:
    """Offset where a medium phrase begins in an attribution clause (it ends the speaker phrase)."""
    starts = [m.start() for pat in MEDIUM_PATTERNS for m in [pat.search(text)] if m]
    return min(starts) if starts else None
