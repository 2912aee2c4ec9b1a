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

from storyline.analyze.quotes.attribute import SpeakerRef, speaker_in
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
        set_start_bias(nlp, float(json.loads(bias_file.read_text(encoding="utf-8"))["start_bias"]))
    return nlp


def set_start_bias(nlp, delta: float) -> None:
    """Add `delta` to the scores of the moves that open a span (B-, U-), trading precision for recall.

    A transition-based tagger trained on sparse labels under-predicts spans; one scalar added to the
    output bias of the opening moves is its decision threshold, tuned on the dev set.
    """
    ner = nlp.get_pipe("ner")
    upper = ner.model.get_ref("upper")
    base = getattr(nlp, "_storyline_base_bias", None)
    if base is None:
        base = upper.get_param("b").copy()
        nlp._storyline_base_bias = base  # the trained bias, so the delta never accumulates
    b = base.copy()
    for i, name in enumerate(ner.move_names):
        if name[:2] in ("B-", "U-"):
            b[i] += delta
    upper.set_param("b", b)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


#: verbs that name an act when their object is a noun phrase ("declared himself president", "called for
#: elections", "urged Maduro to resign"); with a clause they report speech
ACT_VERBS = frozenset({"declared", "declares", "announced", "announces", "proclaimed", "proclaims", "called",
                       "calls", "urged", "urges", "addressed", "recognized", "recognised", "recognizes",
                       "demanded", "demands", "asked", "asks", "reaffirmed", "expressed", "welcomed", "condemned"})
_FINITE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|should|may|might|must|"
                     r"shall|did|does|do|\w+n[’']t|\w+ed)\b", re.IGNORECASE)
_OPENS_CLAUSE = re.compile(r"(?:\bthat|\bif|\bwhether|:)\s*[“\"‘']?\s*$", re.IGNORECASE)


def _act_of(text: str, cue: tuple[int, int], parts: list[tuple[int, int]]) -> bool:
    """An act verb with a noun-phrase object: no clause opener before the content, no finite verb in it."""
    words = text[cue[0]:cue[1]].lower().split()
    if not words or words[-1] not in ACT_VERBS and words[0] not in ACT_VERBS:
        return False
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


def _speaker(text: str, src: tuple[int, int], cue: tuple[int, int], mentions: list[Mention]) -> SpeakerRef:
    s, e = src
    words = text[s:e].split()
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return SpeakerRef("pronoun", s, e, text[s:e])
    ref = speaker_in(text, s, e, mentions, after_cue=s >= cue[1])
    if ref is not None and ref.kind != "description":
        return ref
    return SpeakerRef("description", s, e, text[s:e])


def _rule_speaker(text: str, cue: tuple[int, int], contents: list[tuple[int, int]],
                  mentions: list[Mention]) -> SpeakerRef | None:
    """No Source span next to the cue: read the subject before it, or after it, as the rules do."""
    lo = max([c[1] for c in contents if c[1] <= cue[0]] + [text.rfind("\n\n", 0, cue[0]) + 1, cue[0] - 80, 0])
    hi = min([c[0] for c in contents if c[0] >= cue[1]] + [cue[1] + 60, len(text)])
    base = lo
    for m in re.finditer(r"[.!?;,:”\"]\s", text[base:cue[0]]):
        lo = base + m.end()
    for ref in (speaker_in(text, lo, cue[0], mentions, after_cue=False),
                speaker_in(text, cue[1], hi, mentions, after_cue=True)):
        if ref is not None and ref.kind != "description":  # the tagger saw no Source: trust only names
            return ref
    return None


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
    for c in spans["CONTENT"]:
        k = min(range(len(cues)), key=lambda j: _gap(c, cues[j]))
        if _gap(c, cues[k]) <= MAX_CONTENT_GAP:
            same = para_of.get(c[0]) == para_of.get(cues[k][0])
            by_cue.setdefault((k, -1 if same else c[0]), []).append(c)
    out: list[Found] = []
    for (k, _), contents in sorted(by_cue.items()):
        cue = cues[k]
        if _hypothetical(text, cue):
            continue
        parts = [p for p in (_trim(text, s, e) for s, e in sorted(contents)) if p[1] - p[0] > 1]
        if sum(len(text[a:b].split()) for a, b in parts) < MIN_WORDS:
            continue  # "Arrogant", "her proposals": a word or two is a topic, rarely who said what
        direct = quoted_share(contents, quoted) >= 0.5
        if not direct and _act_of(text, cue, parts):
            continue  # "announced the severance of relations": an act named, not a statement reported
        sources = [s for s in spans["SOURCE"] if _gap(s, cue) <= MAX_SOURCE_GAP
                   and not any(c[0] <= s[0] < c[1] for c in contents)]
        src = min(sources, key=lambda s: _gap(s, cue)) if sources else None
        speaker = _speaker(text, src, cue, mentions) if src else _rule_speaker(text, cue, contents, mentions)
        end = min(cue[1] + 80, len(text))
        out.append(Found(parts[0][0], parts[-1][1], direct, text[cue[0]:cue[1]],
                         cue[0], speaker, find_medium(text[cue[1]:end].split("\n\n")[0]),
                         min(cue[0], src[0] if src else cue[0]), max(cue[1], src[1] if src else cue[1]),
                         paragraph=para_of.get(cue[0], 0), parts=parts if len(parts) > 1 else None,
                         learned=True))
    return out
