"""Quotations from the trained English attribution tagger (storyline/models/quotes-en).

The tagger (see `train.py`) marks Source, Cue and Content spans per paragraph; here each Content
goes to the nearest Cue of its paragraph, and each Cue takes the nearest Source. Contents sharing
a cue are one quotation in parts ("“A,” he said, “B.”"). The speaker phrase of a Source is read
with the same `speaker_in` as the rules (pronouns, names, unnamed descriptions), so the resolver
treats both alike. Without spaCy or the model files the rules work alone.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from storyline.analyze.quotes.attribute import SpeakerRef, not_a_noun_phrase, speaker_in
from storyline.analyze.quotes.cues import NOT_REPORTING_BEFORE, PRONOUNS
from storyline.analyze.quotes.direct import Found, quoted_regions, quoted_share
from storyline.analyze.quotes.medium import find_medium
from storyline.model import Article, Mention

MODEL_DIR = Path(__file__).resolve().parent.parent.parent / "models" / "quotes-en"
#: languages the tagger was trained for
LANGS = frozenset({"en"})
#: farthest a Content may sit from its Cue, and a Source from its Cue (characters)
MAX_CONTENT_GAP = 250
MAX_SOURCE_GAP = 120
#: a quotation from the tagger has at least this many words
MIN_WORDS = 3
_TRIM = " \t\n,;:“”\"'‘’«»"


#: the decision bias tuned on the dev set, stored beside the weights by `storyline train quotes`
BIAS_FILE = "storyline-bias.json"


def load_tagger(path: str | None = None):
    """The spaCy pipeline with its tuned start bias, or None when spaCy or the model files are missing."""
    return _load(str(Path(path) if path else MODEL_DIR))


def configured_tagger(settings):
    """The tagger `[quotes]` settings ask for (`model` on, `model_path` or the shipped one), or None where
    it is off or not installed; the quotes step and the Ray workers choose it the same way."""
    return load_tagger(settings.model_path or None) if settings.model else None


@lru_cache(maxsize=4)
def _load(path: str):
    directory = Path(path)
    if not (directory / "meta.json").is_file():
        return None
    try:
        import spacy
    except ImportError:
        return None
    nlp = spacy.load(directory)
    bias_file = directory / BIAS_FILE
    if bias_file.is_file():
        set_move_bias(nlp, read_bias(json.loads(bias_file.read_text(encoding="utf-8"))))
    return nlp


def read_bias(record: dict) -> dict[str, float]:
    """The move biases of a `storyline-bias.json` record ("moves", or one "start_bias" for B- and U-)."""
    if "moves" in record:
        return {str(k): float(v) for k, v in record["moves"].items()}
    return start_moves(float(record["start_bias"]))


def start_moves(delta: float) -> dict[str, float]:
    """One bias on every move that opens a span."""
    return {"B-": delta, "U-": delta}


def set_start_bias(nlp, delta: float) -> None:
    """`set_move_bias` with one scalar on the moves that open a span (B-, U-)."""
    set_move_bias(nlp, start_moves(delta))


def set_move_bias(nlp, biases: dict[str, float]) -> None:
    """Add to the output bias of the tagger's moves: each key is a move-name prefix ("B-", "U-CUE",
    "I-CONTENT"), each value is added to every move it starts; the trained bias is the zero.

    A transition-based tagger trained on sparse labels under-predicts spans: a bias on the opening
    moves is its decision threshold, per label where the labels differ ("B-CONTENT" vs "B-CUE"), and one
    on "I-CONTENT" makes contents run on rather than stop early. Tuned on held-out training texts.
    """
    ner = nlp.get_pipe("ner")
    upper = ner.model.get_ref("upper")
    base = getattr(nlp, "_storyline_base_bias", None)
    if base is None:
        base = upper.get_param("b").copy()
        nlp._storyline_base_bias = base  # the trained bias, so the delta never accumulates
    b = base.copy()
    for i, name in enumerate(ner.move_names):
        b[i] += sum(v for k, v in biases.items() if name.startswith(k))
    upper.set_param("b", b)
    key = tuple(sorted(biases.items()))
    before = getattr(nlp, "_storyline_moves", key)
    nlp._storyline_moves = key
    if before != key:  # cached spans are keyed by pipeline name, not by its bias: they are stale now
        from storyline.analyze.spacy_cache import clear

        clear()


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


#: verbs that name an act when their object is a noun phrase ("declared himself president", "urged Maduro
#: to resign", "addressing his supporters"); with a clause they report speech.
#: Matched by stem, so every inflection counts ("announced", "announces", "announcing").
ACT_STEMS = ("declar", "announc", "proclaim", "urg", "address", "recogni", "demand", "ask", "reaffirm",
             "express", "welcom", "condemn", "reject")
#: "call" is a request, an act, only with "for/on/upon" ("called for elections", "called on the army to
#: …"); without them it labels ("called the plan a disgrace"), which is an opinion stated.
_CALL = re.compile(r"\bcall(?:s|ed|ing)?\b", re.IGNORECASE)
_REQUEST = re.compile(r"\b(?:for|on|upon)\s*$", re.IGNORECASE)
#: a finite verb makes the object a clause; "-ed" words only in lower case ("United" is no verb)
_FINITE = re.compile(r"\b(?:[Ii]s|[Aa]re|[Ww]as|[Ww]ere|be|been|[Hh]as|[Hh]ave|[Hh]ad|[Ww]ill|[Ww]ould|[Cc]an|"
                     r"[Cc]ould|[Ss]hould|[Mm]ay|[Mm]ight|[Mm]ust|[Ss]hall|[Dd]id|[Dd]oes|[Dd]o|\w+n[’']t|[a-z]+ed)\b")
_OPENS_CLAUSE = re.compile(r"(?:\bthat|\bif|\bwhether|:)\s*[“\"‘']?\s*$", re.IGNORECASE)
_REFLEXIVE = re.compile(r"\s*(?:himself|herself|themselves|itself)\b", re.IGNORECASE)


def is_act(text: str, cue_text: str, parts: list[tuple[int, int]]) -> bool:
    """An act verb with a noun-phrase object ("announced the severance of relations"): no clause opener
    before the content and no finite verb in it; "declared himself …" is an act whatever follows.

    Shared by the tagger's and the rules' indirect quotations (a quotation in quote marks is never an act).
    """
    words = cue_text.lower().split()
    if not any(w.startswith(ACT_STEMS) for w in words):  # "has urged", "is asking"
        if not _CALL.search(cue_text):
            return False
        if not _REQUEST.search(text[max(0, parts[0][0] - 30):parts[0][0]].rstrip(" “\"‘'")):
            return False  # "called the plan a disgrace": a label stated, no request
    if _REFLEXIVE.match(text, parts[0][0]):
        return True
    if _OPENS_CLAUSE.search(text[max(0, parts[0][0] - 12):parts[0][0]]):
        return False
    return not any(_FINITE.search(text, a, b) for a, b in parts)


def _hypothetical(text: str, cue: tuple[int, int]) -> bool:
    """ "would say", "to say": a bare "say" after a modal reports nothing (as in the rules)."""
    words = text[max(0, cue[0] - 30):cue[1]].lower().split()
    return len(words) >= 2 and words[-1] == "say" and words[-2] in NOT_REPORTING_BEFORE


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    if text[s:s + 5].lower() == "that ":  # the complementizer is not part of what was said
        s += 5
    return s, e


_RELATIVE_SOURCE = frozenset({"who", "which", "that"})


def _antecedent(text: str, s: int, mentions: list[Mention]) -> SpeakerRef | None:
    """The name a relative pronoun Source stands for ("the Chicago Police Department, which reported")."""
    lo = max(0, s - 120)
    m = re.search(r"[,;:]?\s*$", text[lo:s])
    end = lo + m.start() if m else s
    cut = max((lo + b.end() for b in re.finditer(r"[.!?;:]\s|\n|,\s", text[lo:end])), default=lo)
    ref = speaker_in(text, cut, end, mentions, after_cue=False)
    return ref if ref is not None and ref.kind == "name" else None


def _speaker(text: str, src: tuple[int, int], cue: tuple[int, int],
             mentions: list[Mention]) -> tuple[SpeakerRef | None, tuple[int, int]]:
    """The speaker a Source span names, and the span that names it (a relative pronoun's antecedent
    included: the speaker of "Mr. Kamin, who emphasized" is named by "Mr. Kamin, who")."""
    s, e = src
    words = text[s:e].split()
    if len(words) == 1 and words[0].lower() in _RELATIVE_SOURCE:
        ante = _antecedent(text, s, mentions)
        if ante is not None:
            return ante, (ante.start, e)
    return _speaker_of(text, src, cue, mentions), src


def _speaker_of(text: str, src: tuple[int, int], cue: tuple[int, int], mentions: list[Mention]) -> SpeakerRef | None:
    s, e = src
    words = text[s:e].split()
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return SpeakerRef("pronoun", s, e, text[s:e])
    after = s >= cue[1]
    comma = text.find(",", s, e)
    if comma > s:  # "Schiff, 56, who has served …": the head comes before the apposition
        ref = speaker_in(text, s, comma, mentions, after_cue=after)
        if ref is not None and ref.kind != "description":
            return ref
        nxt = text.find(",", comma + 1, e)
        appo = speaker_in(text, comma + 1, nxt if nxt != -1 else e, mentions, after_cue=True)
        if appo is not None and appo.kind == "name":  # "one of the family's attorneys, Justin Bamberg,"
            return appo
        if ref is not None:
            return ref
    ref = speaker_in(text, s, e, mentions, after_cue=after)
    if ref is not None and ref.kind != "description":
        return ref
    if not_a_noun_phrase(text[s:e].split()):
        return None  # a mis-tagged Source: "Deeply", "aside from", "It's worth"
    return SpeakerRef("description", s, e, text[s:e])


def _rule_speaker(text: str, cue: tuple[int, int], contents: list[tuple[int, int]],
                  mentions: list[Mention], *, subject_only: bool = False) -> SpeakerRef | None:
    """No Source span next to the cue: read the subject before it, or after it, as the rules do.

    With `subject_only` (the tagger saw a Source only after the cue, which is the next speaker's),
    just the subject before the cue is read, and a description counts too ("Many voters want …")."""
    lo = max([c[1] for c in contents if c[1] <= cue[0]] + [text.rfind("\n\n", 0, cue[0]) + 1, cue[0] - 80, 0])
    hi = min([c[0] for c in contents if c[0] >= cue[1]] + [cue[1] + 60, len(text)])
    base = lo
    for m in re.finditer(r"[.!?;,:”\"]\s", text[base:cue[0]]):
        lo = base + m.end()
    before = speaker_in(text, lo, cue[0], mentions, after_cue=False)
    if subject_only:
        return before if before is not None and len(before.text.split()) <= 5 else None
    for ref in (before, speaker_in(text, cue[1], hi, mentions, after_cue=True)):
        if ref is not None and ref.kind != "description":  # the tagger saw no Source: trust only names
            return ref
    return None


_SENT_BREAK = re.compile(r"(\w*)[.!?][”\"’']?\s+[“\"‘']?[A-Z]|\n")
#: titles and initials whose full stop ends no sentence ("Mr. Schultz", "Gov. Pence", "Donald J. Trump")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "st", "jr",
                            "sr", "prof", "rev", "hon", "pres", "no", "vs", "u.s", "u.n", "inc", "co", "corp"})


def _sentence_break(text: str, s: int, e: int) -> bool:
    """A sentence ends between s and e (a full stop after a title or an initial does not count)."""
    for m in _SENT_BREAK.finditer(text, s, e):
        word = (m.group(1) or "").lower()
        if m.group(0) == "\n" or not (len(word) == 1 or word in _ABBREVIATIONS):
            return True
    return False


def _source_of(text: str, cue: tuple[int, int], contents: list[tuple[int, int]],
               sources: list[tuple[int, int]]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The cue's Source: the subject before it in its sentence, else the nearest Source within reach.

    English puts the subject before the verb ("Mr. Schultz, who …, said"); only a reporting clause
    after a quotation inverts ("…,” said a spokesman). So a Source ahead of the cue in the same
    sentence wins over a nearer one behind it, which usually opens the next attribution.
    """
    near = [s for s in sources if _gap(s, cue) <= MAX_SOURCE_GAP and not any(c[0] <= s[0] < c[1] for c in contents)]
    if not near:
        return None, None
    before = [s for s in near if s[1] <= cue[0] and not _sentence_break(text, s[1], cue[0])]
    if before:
        return max(before, key=lambda s: s[1]), None
    nearest = min(near, key=lambda s: _gap(s, cue))
    if not any(c[1] <= cue[0] for c in contents) and not _SOURCE_FOLLOWS.search(text[cue[0]:cue[1]]):
        return None, nearest  # no inversion without a quotation before the cue: the subject is read first
    return nearest, None


#: cues whose Source follows them ("according to the police", "told by aides")
_SOURCE_FOLLOWS = re.compile(r"\b(?:according|by|per)\b", re.IGNORECASE)


def _cue_of(text: str, content: tuple[int, int], cues: list[tuple[int, int]], quoted: list[tuple[int, int]]) -> int:
    """The cue a Content belongs to: the nearest, except that reported speech (not in quote marks)
    follows its cue in English ("said that …"), so a cue before it in its sentence wins."""
    nearest = min(range(len(cues)), key=lambda j: _gap(content, cues[j]))
    if quoted_share([content], quoted) >= 0.5:
        return nearest
    before = [j for j in range(len(cues)) if cues[j][1] <= content[0] and content[0] - cues[j][1] <= MAX_CONTENT_GAP
              and not _sentence_break(text, cues[j][1], content[0])]
    return max(before, key=lambda j: cues[j][1]) if before else nearest


def tagged_paragraphs(article: Article, langs: frozenset[str] = LANGS) -> list[tuple[int, object]]:
    """(index, paragraph) of the paragraphs in a language the tagger was trained on."""
    return [(i, p) for i, p in enumerate(article.paragraphs)
            if (p.lang or article.lang or "en") in langs and p.text.strip()]


def tagger_spans(article: Article, nlp, langs: frozenset[str] = LANGS) -> list[list[tuple[int, int, str]]]:
    """The tagger's (start, end, label) spans per tagged paragraph, through the shared span cache
    (`analyze.spacy_cache`: a Ray worker may have computed them)."""
    from storyline.analyze.spacy_cache import spans_for

    return spans_for(nlp, [p.text for _, p in tagged_paragraphs(article, langs)], 64)


def learned_quotes(article: Article, mentions: list[Mention], nlp, langs: frozenset[str] = LANGS) -> list[Found]:
    """Quotations the tagger finds in the article's paragraphs of a trained language."""
    text = article.text
    todo = tagged_paragraphs(article, langs)
    quoted = quoted_regions(text)
    spans: dict[str, list[tuple[int, int]]] = {"SOURCE": [], "CUE": [], "CONTENT": []}
    para_of: dict[int, int] = {}
    for (pi, para), ents in zip(todo, tagger_spans(article, nlp, langs), strict=True):
        for start, end, label in ents:
            span = (para.start + start, para.start + end)
            spans[label].append(span)
            para_of[span[0]] = pi
    cues = spans["CUE"]
    if not cues:
        return []
    # contents go to the nearest cue (a cue may sit in the paragraph before: "He said:" + quotation)
    # contents of the cue's own paragraph are one quotation in parts; one in another paragraph is its own
    by_cue: dict[tuple[int, int], list[tuple[int, int]]] = {}
    apart: list[tuple[int, tuple[int, int]]] = []  # quotations in another sentence than their cue
    for c in spans["CONTENT"]:
        k = _cue_of(text, c, cues, quoted)
        if _gap(c, cues[k]) <= MAX_CONTENT_GAP:
            same = para_of.get(c[0]) == para_of.get(cues[k][0])
            lo, hi = sorted((c, cues[k]))
            if same and _sentence_break(text, max(lo[0], lo[1] - 3), hi[0]):  # the stop may close the span
                if quoted_share([c], quoted) >= 0.5:
                    apart.append((k, c))
                continue  # reported speech shares its cue's sentence; only a quotation may stand apart
            by_cue.setdefault((k, -1 if same else c[0]), []).append(c)
    for k, c in apart:  # "“…” – quotes Reuters Pompeo. He also noted that …": not one quotation
        by_cue.setdefault((k, -1 if (k, -1) not in by_cue else c[0]), []).append(c)
    out: list[Found] = []
    for (k, _), contents in sorted(by_cue.items()):
        cue = cues[k]
        if _hypothetical(text, cue):
            continue
        parts = [p for p in (_trim(text, s, e) for s, e in sorted(contents)) if p[1] - p[0] > 1]
        if sum(len(text[a:b].split()) for a, b in parts) < MIN_WORDS:
            continue  # "Arrogant", "her proposals": a word or two is a topic, rarely who said what
        direct = quoted_share(contents, quoted) >= 0.5
        if not direct and is_act(text, text[cue[0]:cue[1]], parts):
            continue  # "announced the severance of relations": an act named, not a statement reported
        src, later = _source_of(text, cue, contents, spans["SOURCE"])
        speaker = None
        if src is not None:
            speaker, src = _speaker(text, src, cue, mentions)
        if speaker is None:
            src = None
            speaker = _rule_speaker(text, cue, contents, mentions, subject_only=later is not None)
        if speaker is None and later is not None:  # nothing before the cue: the nearest later Source
            speaker, src = _speaker(text, later, cue, mentions)
        end = min(cue[1] + 80, len(text))
        out.append(Found(parts[0][0], parts[-1][1], direct, text[cue[0]:cue[1]],
                         cue[0], speaker, find_medium(text[cue[1]:end].split("\n\n")[0]),
                         min(cue[0], src[0] if src else cue[0]), max(cue[1], src[1] if src else cue[1]),
                         paragraph=para_of.get(cue[0], 0), parts=parts if len(parts) > 1 else None,
                         learned=True, source=src if src and speaker else None))
    return out
