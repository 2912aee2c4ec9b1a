"""Genitive forms of names → base names ("Maduros", "USAs", "USA's", "Guaidós" → base).

Hand-written because lemmatisers only know dictionary names (simplemma turns "Venezuelas" into
"Venezuela" but leaves "Maduros"). The rule is general and evidence-based: an apostrophe genitive
("USA's", "Honduras’", "Guaidó's") is always stripped; a bare -s genitive (Scandinavian, German) is
stripped only when the s-less base is attested as a name (elsewhere in the corpus, or in the
gazetteer) and the full form is not itself a known name, so "Paris", "Texas", "Klaus" and "Reuters"
stay whole.
"""

from __future__ import annotations

from collections.abc import Callable

APOSTROPHES = ("'s", "’s", "´s")
BARE_S_LANGS = {"nb", "nn", "no", "da", "sv", "de", None}


def strip_genitive(surface: str, lang: str | None, is_name: Callable[[str], bool]) -> str:
    """Base form of `surface` (the last word carries the genitive); `is_name` says what is attested."""
    for ap in APOSTROPHES:
        if surface.endswith(ap) and len(surface) > len(ap) + 1:
            return surface[: -len(ap)]
    if surface.endswith(("'", "’")) and surface[:-1].endswith(("s", "x", "z")):  # "Honduras’"
        return surface[:-1]
    if lang in BARE_S_LANGS and len(surface) > 3 and surface.endswith("s") and not surface.endswith("ss"):
        base = surface[:-1]
        if is_name(surface):  # "Paris", "Reuters", "Honduras" are names as written
            return surface
        if is_name(base):
            return base
    return surface
