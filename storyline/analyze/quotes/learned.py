"""Quotations from the trained English attribution tagger (storyline/models/quotes-en).

The tagger (see `train.py`) marks Source, Cue and Content spans per paragraph; here each Content
goes to the nearest Cue of its paragraph, and each Cue takes the nearest Source. Contents sharing
a cue are one quotation in parts ("“A,” he said, “B.”"). The speaker phrase of a Source is read
with the same `speaker_in` as the rules (pronouns, names, unnamed descriptions), so the resolver
treats both alike. Without spaCy or the model files the rules work alone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from storyline.analyze.quotes.attribute import SpeakerRef, speaker_in
from storyline.analyze.quotes.cues import PRONOUNS
from storyline.analyze.quotes.direct import Found, quoted_regions, quoted_share
from storyline.analyze.quotes.medium import find_medium
from storyline.model import Article, Mention

MODEL_DIR = Path(__file__).resolve().parent.parent.parent / "models" / "quotes-en"
#: languages the tagger was trained for
LANGS = frozenset({"en"})
#: farthest a Content may sit from its Cue, and a Source from its Cue (characters)
MAX_CONTENT_GAP = 250
MAX_SOURCE_GAP = 120
_TRIM = " \t\n,;:“”\"'‘’«»"


@lru_cache(maxsize=2)
def load_tagger(path: str | None = None):
    """The spaCy pipeline, or None when spaCy or the model files are missing."""
    directory = Path(path) if path else MODEL_DIR
    if not (directory / "meta.json").is_file():
        return None
    try:
        import spacy
    except ImportError:
        return None
    return spacy.load(directory)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


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


def learned_quotes(article: Article, mentions: list[Mention], nlp, langs: frozenset[str] = LANGS) -> list[Found]:
    """Quotations the tagger finds in the article's paragraphs of a trained language."""
    text = article.text
    todo = [(i, p) for i, p in enumerate(article.paragraphs)
            if (p.lang or article.lang or "en") in langs and p.text.strip()]
    quoted = quoted_regions(text)
    out: list[Found] = []
    docs = nlp.pipe([p.text for _, p in todo], batch_size=64)
    for (pi, para), doc in zip(todo, docs, strict=True):
        base = para.start
        spans: dict[str, list[tuple[int, int]]] = {"SOURCE": [], "CUE": [], "CONTENT": []}
        for ent in doc.ents:
            spans[ent.label_].append((base + ent.start_char, base + ent.end_char))
        cues = spans["CUE"]
        if not cues or not spans["CONTENT"]:
            continue
        by_cue: dict[int, list[tuple[int, int]]] = {}
        for c in spans["CONTENT"]:
            k = min(range(len(cues)), key=lambda j: _gap(c, cues[j]))
            if _gap(c, cues[k]) <= MAX_CONTENT_GAP:
                by_cue.setdefault(k, []).append(c)
        for k, contents in sorted(by_cue.items()):
            cue = cues[k]
            parts = [p for p in (_trim(text, s, e) for s, e in sorted(contents)) if p[1] - p[0] > 1]
            if not parts:
                continue
            sources = [s for s in spans["SOURCE"] if _gap(s, cue) <= MAX_SOURCE_GAP]
            src = min(sources, key=lambda s: _gap(s, cue)) if sources else None
            f = Found(parts[0][0], parts[-1][1], quoted_share(contents, quoted) >= 0.5, text[cue[0]:cue[1]],
                      cue[0], _speaker(text, src, cue, mentions) if src else None,
                      find_medium(text[cue[1]:min(cue[1] + 80, base + len(para.text))]),
                      min(cue[0], src[0] if src else cue[0]), max(cue[1], src[1] if src else cue[1]),
                      paragraph=pi, parts=parts if len(parts) > 1 else None)
            out.append(f)
    return out
