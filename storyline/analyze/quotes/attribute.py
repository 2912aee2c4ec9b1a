"""Who is speaking: the speaker phrase next to a cue, and pronouns resolved to a person.

A speaker phrase is read on the side of the cue where the language puts the subject: before it
("Bull mener at"), or after it in the inverted order of quotations and V2 languages ("sier han",
"siger Pompeo til CNN", "said a spokesperson"). Its head is a name (an entity mention where the
entities stage gave one, else a capitalised run), a pronoun, or a description of an unnamed source.

Pronouns go to the nearest earlier person outside quoted text whose gender agrees, preferring the
sentence closest to the cue and, within it, the first-mentioned person (the subject, as centering
theory predicts); mentions inside quotations and interviewer questions are never antecedents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.analyze.quotes.cues import (
    CONJUNCTIONS,
    CUE_PARTICLES,
    DETERMINERS,
    PARTICLE_VERBS,
    PREPOSITIONS,
    PRONOUNS,
    SPEECH_VERBS,
    WEAK_VERBS,
)
from storyline.analyze.quotes.medium import find_medium, medium_start
from storyline.analyze.quotes.names import WORD, cap_sequences, looks_like_person
from storyline.model import Mention

_RELATIVE = re.compile(r"\s(?:som|der|who|which|that|die|que|qui|el cual)(?:\s.*)?$")
_RELATIVE_CLAUSE = re.compile(r",\s+(?:som|der|who|which|die|que|qui)\s.*?(?:,|$)")
_RELATIVE_WORDS = {"who", "which", "that", "som", "der", "die", "que", "qui", "whom", "quien"}
#: words next to a cue that belong to neither the speaker nor the cue: auxiliaries and adverbs
_ADVERBS = {
    "have", "has", "had", "will", "would", "could", "may", "might", "har", "hadde", "havde", "hat", "hatte",
    "ha", "also", "already", "recently", "previously", "publicly", "repeatedly", "however", "today", "now",
    "then", "imidlertid", "også", "likevel", "blant", "annet", "bl.a", "tidligere", "senere", "allerede",
    "dog", "derfor", "nå", "igen", "igjen", "auch", "jedoch", "también", "aussi", "til",
}


@dataclass
class SpeakerRef:
    kind: str  # name | pronoun | description
    start: int
    end: int
    text: str
    mention: Mention | None = None


def _strip_role_tokens(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop common-noun compounds and genitives at the front of a run ("Venezuela-ekspert Vegard")."""
    toks = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text, s, e)]
    while len(toks) > 1:
        w = toks[0][2]
        compound = "-" in w and w.rsplit("-", 1)[1][:1].islower()
        genitive = w.endswith(("'s", "’s"))
        if compound or genitive:
            toks = toks[1:]
        else:
            break
    return (toks[0][0], toks[-1][1]) if toks else (s, e)


def _mentions_in(mentions: list[Mention], s: int, e: int) -> list[Mention]:
    return [m for m in mentions if m.start >= s and m.end <= e]


def _pick_mention(mentions: list[Mention], s: int, e: int, *, last: bool) -> Mention | None:
    inside = _mentions_in(mentions, s, e)
    for typ in ("PER", "ORG"):
        cands = [m for m in inside if m.type == typ]
        if cands:
            return cands[-1] if last else cands[0]
    return None


def speaker_in(text: str, s: int, e: int, mentions: list[Mention], *, after_cue: bool) -> SpeakerRef | None:
    """Read the speaker phrase in text[s:e] (after the cue when `after_cue`, else before it)."""
    if not after_cue:  # "En pendler, som Politiken har talt med, fortæller": not the relative clause
        rel = _RELATIVE_CLAUSE.search(text, s, e)
        if rel is not None and rel.start() > s:
            e = rel.start()
    words = [(m.start() + s, m.end() + s, m.group()) for m in WORD.finditer(text[s:e])]
    # adverbs next to the cue ("He also said", "sier også Bye") are not part of the speaker
    while words and words[0][2].lower() in _ADVERBS:
        words.pop(0)
    while words and words[-1][2].lower() in _ADVERBS:
        words.pop()
    while after_cue and words and words[0][2].lower() in CUE_PARTICLES:  # "advarer om, at"
        words.pop(0)
    if not words:
        return None
    if _is_preposition(words) and (after_cue or len(words) > 1 and "," not in text[s:e]):
        # a fronted adverbial ("I et tweet skrev …"): the subject follows the cue; after the cue a
        # prepositional phrase ("sa i vår at") is no subject either
        return None
    s, e = words[0][0], words[-1][1]
    near = words[0] if after_cue else words[-1]
    if near[2].lower() in PRONOUNS:
        return SpeakerRef("pronoun", near[0], near[1], near[2])
    per = _pick_mention([m for m in mentions if m.type == "PER"], s, e, last=not after_cue)
    runs = [_strip_role_tokens(text, a, b) for a, b in cap_sequences(text, s, e)]
    if per is not None:
        evident = [r for r in runs if looks_like_person(text[r[0]:r[1]])]
        if evident and not looks_like_person(per.text):  # "RIA Novosti … Andrei Klimau"
            r = evident[0] if after_cue else evident[-1]
            return SpeakerRef("name", r[0], r[1], text[r[0]:r[1]])
        return SpeakerRef("name", per.start, per.end, per.text, mention=per)
    if mentions:  # the entities stage saw no person here: trust only evident person names
        surnames = {m.text.split()[-1] for m in mentions if m.type == "PER" and m.text.split()}
        people = [r for r in runs if looks_like_person(text[r[0]:r[1]])
                  or text[r[0]:r[1]].split()[-1] in surnames]
        org = _pick_mention(mentions, s, e, last=not after_cue)
        if not people and org is not None:
            return SpeakerRef("name", org.start, org.end, org.text, mention=org)
        runs = people
    runs = [r for r in runs if not _after_preposition(text, r[0], s)]
    if runs:
        persons = [r for r in runs if looks_like_person(text[r[0]:r[1]])]
        r: tuple[int, int] | None
        if persons:
            r = persons[0] if after_cue else persons[-1]
        elif after_cue:
            r = runs[0]
        else:
            r = runs[-1]
            if len(text[r[1]:e].split()) > 2:
                r = None  # the run is not next to the cue: it is not the subject
        if r is not None:
            return SpeakerRef("name", r[0], r[1], text[r[0]:r[1]])
    return _description(text, words, after_cue)


_INDEFINITE = {"en", "et", "ei", "ett", "a", "an", "un", "una", "ein", "eine", "einem", "einer", "une"}
#: time words that end a speaker description ("skrev spissen søndag kveld", "said the agency on Monday")
_TIME_WORDS = {
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag", "måndag", "tisdag", "lördag",
    "söndag", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag",
    "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "yesterday", "today", "tonight",
    "igår", "idag", "kveld", "kväll", "aften", "morgen", "formiddag", "ettermiddag", "eftermiddag",
}


def _drop_circumstance(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Cut a description before a circumstantial phrase: "forbundet i en uttalelse", "ministeren på et
    pressemøde", "spissen søndag kveld" (a preposition plus an indefinite article, or a time word)."""
    for k in range(1, len(words)):
        w = words[k][2].lower()
        nxt = words[k + 1][2].lower() if k + 1 < len(words) else ""
        if w in _TIME_WORDS or w in PREPOSITIONS and (nxt in _INDEFINITE or nxt in _TIME_WORDS):
            return words[:k]
    return words


def _is_preposition(words: list[tuple[int, int, str]]) -> bool:
    """The phrase opens with a preposition; "en" only when an article follows ("en un", not "En nabo")."""
    w = words[0][2].lower()
    if w not in PREPOSITIONS:
        return False
    if w in DETERMINERS:
        return len(words) > 1 and words[1][2].lower() in DETERMINERS
    return True


def _after_preposition(text: str, pos: int, floor: int) -> bool:
    """True when the word before `pos` is a preposition ("lederen i Venezuela")."""
    m = re.search(r"(\w+)\s+$", text[max(floor, pos - 20):pos])
    return bool(m) and m.group(1).lower() in PREPOSITIONS


#: words no speaker description ends with (a dangling preposition: "aside from", "a threat to")
_NO_LAST = (PREPOSITIONS - DETERMINERS - {"i"}) | {"like", "about", "aside", "among", "than", "toward"}
#: words no speaker description opens with (a subordinate clause or an adverbial: "When", "among others")
_NO_FIRST = {"when", "after", "before", "while", "if", "because", "although", "though", "since", "among", "aside",
             "like", "not", "much", "once", "hvis", "når", "mens", "fordi", "selv", "efter", "etter"}
#: a copula makes a clause, not a noun phrase ("It's worth", "It is worth noting")
_COPULAS = {"is", "was", "are", "were", "it's", "it’s", "er", "var", "ist", "war", "es", "est"}


def not_a_noun_phrase(words: list[str]) -> bool:
    """True for a phrase that cannot describe a speaker: a dangling preposition, a subordinate
    clause, an adverb alone ("Deeply"), or a copula clause. Shared by the rules and the tagger."""
    low = [w.lower().strip(",.;:") for w in words]
    if not low or not low[0] or not low[-1]:
        return True
    if low[-1] in _NO_LAST or low[0] in _NO_FIRST or any(w in _COPULAS for w in low):
        return True
    return len(low) == 1 and low[0].endswith("ly")


def _description(text: str, words: list[tuple[int, int, str]], after_cue: bool) -> SpeakerRef | None:
    """An unnamed speaker's description ("en talsperson i departementet", "a spokesperson")."""
    while words and words[0][2].lower() in CONJUNCTIONS:
        words = words[1:]
    words = _drop_circumstance(words)
    if not words:
        return None
    seg = text[words[0][0]:words[-1][1]]
    seg = _RELATIVE.sub("", seg).strip(" ,;:–—-.")
    dwords = seg.split()
    if not dwords or len(dwords) > 8 or seg.lower() in _RELATIVE_WORDS or not_a_noun_phrase(dwords):
        return None
    off = text.find(seg, words[0][0])
    return SpeakerRef("description", off, off + len(seg), seg)


@dataclass
class Tail:
    cue: str
    cue_start: int
    speaker: SpeakerRef | None
    medium: str | None
    end: int


_SUBORDINATORS = {"hvis", "dersom", "når", "fordi", "mens", "om", "if", "when", "because", "while", "unless",
                  "wenn", "weil", "falls", "si", "cuando", "porque", "quand", "parce", "selv", "though", "although"}
_TAIL_LEAD = re.compile(r"[\s,!?.…”\"»’'“]*(?:[–—-]\s*)?")
_SENT_END = re.compile(r"[.!?](?:\s|$)")


def parse_tail(text: str, pos: int, limit: int, mentions: list[Mention], *, max_words: int = 18) -> Tail | None:
    """Parse an attribution clause that follows quoted content: ", sier han til TV 2." / "– she wrote"."""
    lead = _TAIL_LEAD.match(text, pos, limit)
    p = lead.end() if lead else pos
    m_end = _SENT_END.search(text, p, limit)
    end = m_end.start() + 1 if m_end else limit
    clause = text[p:end]
    words = [(m.start() + p, m.end() + p, m.group()) for m in WORD.finditer(clause)]
    if not words or len(words) > max_words:
        return None
    if "." in text[max(0, pos - 1):p].replace("…", "") and len(words) > 3:
        return None  # a new sentence starts after the quotation: not its attribution
    if words[0][2].lower() in _SUBORDINATORS:
        return None  # ", hvis rapporten viser sig at holde": a condition, not an attribution
    for i, (ws, we, w) in enumerate(words[:7]):
        if w.lower() not in SPEECH_VERBS or i > 0 and w.lower() in WEAK_VERBS:
            continue
        if i == 0 and (w.lower().endswith("ing") or w.lower() in WEAK_VERBS):
            return None  # ", saying …" opens reported content, it never closes it
        if i == 0:  # inverted: cue, then speaker
            spk_end = end
            rest = text[we:end]
            ms = medium_start(rest)
            if ms is not None:
                spk_end = we + ms
            particles = PARTICLE_VERBS.get(w.lower(), ())
            if particles:
                pm = re.search(r"\s(?:" + "|".join(particles) + r")\b", text[we:spk_end])
                if pm:
                    spk_end = we + pm.start()
                elif w.lower() in ("la", "legg"):
                    return None
            comma = text.find(",", we, spk_end)
            if comma != -1 and not looks_like_person(text[comma + 1:spk_end].strip(" ,")):
                spk_end = comma  # "sier Bye, og ..." — what follows the comma is not an apposition
            spk = speaker_in(text, we, spk_end, mentions, after_cue=True)
            if spk is None and ms is not None:  # "said in Twitter, Department of …"
                comma = text.find(",", we + ms, end)
                if comma != -1:
                    spk = speaker_in(text, comma + 1, end, mentions, after_cue=True)
        else:  # speaker, then cue
            if not text[p:ws].strip() or len(words) - i - 1 > 6:
                return None  # an attribution clause is short: "Smith said", "X told Reuters"
            spk = speaker_in(text, p, ws, mentions, after_cue=False)
            if spk is None or (spk.kind == "description" and len(spk.text.split()) > 4):
                return None
        return Tail(w, ws, spk, find_medium(text[we:end]), end)
    return None
