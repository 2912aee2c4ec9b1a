"""Role coreference: "utenriksministeren", "the minister", "forbundet" to the named holder.

News names a person once with a role in front ("utenriksminister Ine Eriksen Søreide", "Foreign
Minister Sergei Lavrov", "vagtchef Ole Brandt") and then refers back by the role alone, in the
definite form ("utenriksministeren", "vagtchefen", "the minister"); "selskapet", "the company"
name the organisation last mentioned. Organisations are named by a
compound and then by its head ("Fagforbundet" … "forbundet", "Samferdselsdepartementet" …
"departementet"). A description of one or two words whose head matches such a role word (equal,
the same word without its definite suffix, or the tail of a compound) takes the latest holder named
before the quotation; a role no one was named with stays a description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.analyze.quotes.names import WORD, cap_sequences, looks_like_person
from storyline.model import Mention

#: definite singular suffixes of nb/nn/da/sv nouns ("ministeren", "departementet", "byrån")
_DEFINITE = ("en", "et", "n", "a", "t")
_ARTICLES = {"the", "den", "det", "der", "die", "das", "el", "la", "le", "this"}
_MIN_STEM = 4
_OF = {"av", "for", "i", "of", "ved", "hos", "til", "på"}
#: definite nouns that refer back to the organisation last named ("Selskapet fastslår", "the company said")
ORG_NOUNS = frozenset({"selskapet", "selskabet", "bolaget", "företaget", "firmaet", "konsernet",
                       "koncernen", "koncernet", "organisasjonen", "organisationen", "foreningen", "company",
                       "firm", "organisation", "organization", "group", "unternehmen", "konzern", "empresa",
                       "compañía", "entreprise", "société", "groupe"})


@dataclass
class Holder:
    pos: int
    role: str  # the role word, lower case ("utenriksminister", "fagforbundet")
    name: str
    entity_id: str | None
    org: bool = False


def _stems(word: str) -> set[str]:
    w = word.lower()
    out = {w}
    for suf in _DEFINITE:
        if w.endswith(suf) and len(w) - len(suf) >= _MIN_STEM:
            out.add(w[: -len(suf)])
    return out


def holders(text: str, mentions: list[Mention], canonical: dict[str, str]) -> list[Holder]:
    """Role words standing right before a named person or organisation, and one-word compound names."""
    names: list[tuple[int, str, str | None, bool]] = []
    if mentions:
        for m in mentions:
            if m.type in ("PER", "ORG"):
                names.append((m.start, canonical.get(m.entity_id or "", m.normalized or m.text), m.entity_id,
                              m.type == "ORG"))
    else:
        names = [(s, text[s:e], None, False) for s, e in cap_sequences(text) if looks_like_person(text[s:e])]
    out: list[Holder] = []
    for s, name, eid, org in names:
        before = re.search(r"(\w[\w-]*)(?:'|’s|’)?,?\s+$", text[max(0, s - 40):s])
        if before and not before.group(1)[:1].isdigit():
            out.append(Holder(s, before.group(1).lower(), name, eid, org))
        for w in name.split():  # "Fagforbundet" … "forbundet", "Havbruksselskapet Nordlaks" … "selskapet"
            if len(w) > 6 and w[1:].islower():
                out.append(Holder(s, w.lower(), name, eid, org))
        if org:
            out.append(Holder(s, "", name, eid, True))  # any organisation: "selskapet", "the company"
    if not mentions:  # one-word capitalised compounds ("Samferdselsdepartementet") as organisations
        for m in WORD.finditer(text):
            w = m.group()
            if w[:1].isupper() and len(w) > 10 and w[1:].islower():
                out.append(Holder(m.start(), w.lower(), w, None, True))
    out.sort(key=lambda h: h.pos)
    return out


def holder_for(description: str, pos: int, index: list[Holder]) -> Holder | None:
    """The latest holder before `pos` of the role `description` names, or None."""
    words = [w for w in description.split() if w]
    article = bool(words) and words[0].lower() in _ARTICLES
    if article:
        words = words[1:]
    if len(words) > 2 and words[1].lower() in _OF and len(words) <= 8:
        # "lederen av nasjonalforsamlingen", "the leader of the assembly": a definite role with its domain
        if not (article or any(words[0].lower().endswith(suf) for suf in ("en", "et"))):
            return None
        words = words[:1]
    if len(words) != 1:
        return None
    head = words[0].strip(".,:;").lower()
    stems = _stems(head)
    generic_org = head in ORG_NOUNS
    best: Holder | None = None
    for h in index:
        if h.pos >= pos:
            break
        if not h.role:
            if generic_org:
                best = h
            continue
        matches = h.role == head or h.role in stems or any(len(st) >= 5 and h.role.endswith(st) for st in stems)
        if matches and h.name.lower() != head:
            best = h
    return best
