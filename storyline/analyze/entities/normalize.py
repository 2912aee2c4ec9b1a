"""Name keys that make spellings comparable: transliteration, diacritics, first-name variants.

`anyascii` folds any script and diacritics to ASCII ("Guaidó" -> "Guaido", "Łukasz" -> "Lukasz");
the `nicknames` dataset (hand-curated given names and their diminutives) maps "Mike", "Mikey" and
"Michael" to one canonical given name, so no table of our own names is needed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=262_144)  # the same names recur across a corpus; folding is the hottest call
def fold(text: str) -> str:
    """ASCII, lower case, punctuation dropped, single spaces: "U.S." -> "us", "Padrino López" -> "padrino lopez"."""
    t = anyascii(text).lower().replace("'", "").replace("’", "")
    t = t.replace(".", "")
    t = _NON_WORD.sub(" ", t)
    return _SPACES.sub(" ", t).strip()


def has_diacritics(text: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text)) or any(
        ord(c) > 127 and c.isalpha() for c in text)


@lru_cache(maxsize=1)
def _nicknamer():
    try:
        from nicknames import NickNamer
    except ImportError:  # optional at run time: names then compare by their folded form only
        return None
    return NickNamer()


@lru_cache(maxsize=20000)
def canonical_given_name(name: str) -> str:
    """One representative of a given name and its variants ("mike", "michael", "mikey" -> "michael").

    The dataset's relation is many-to-many ("mike" -> michael, miguel, micheal); the representative is
    the alphabetically first member of {name} ∪ canonicals(name) that is itself a canonical, so every
    variant of a family picks the same one.
    """
    low = fold(name)
    nn = _nicknamer()
    if nn is None or not low:
        return low
    family = set(nn.canonicals_of(low))
    if not family:
        return low
    if nn.nicknames_of(low):  # the name itself is a canonical form
        family.add(low)
    return min(family)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded given names known to the nicknames dataset (a PER cue for the first token)."""
    nn = _nicknamer()
    if nn is None:
        return frozenset()
    names: set[str] = set()
    for attr in ("_nickname_lookup", "_canonical_lookup"):
        table = getattr(nn, attr, None)
        if isinstance(table, dict):
            names.update(table)
            for v in table.values():
                names.update(v)
    return frozenset(n for n in names if len(n) > 2)


def person_key(name: str) -> str:
    """Key of a full person name with its first name replaced by the family representative."""
    parts = fold(name).split()
    if len(parts) >= 2:
        parts[0] = canonical_given_name(parts[0])
    return " ".join(parts)
