"""Is a generated bullet supported by the sentences it cites? (issue 11)

A model can cite a real sentence and still write something it does not say ("The mayor of Tromsø was
arrested [S1]" where S1 is about a bridge). Two checks, both required:

1. Lexical: every name (capitalised word), number and date expression of the bullet must occur in
   the cited sentences. Words are compared case- and accent-folded (ø→o, ä→a, …) and an inflected
   form matches its base ("Maduros"/"Maduro", "USAs"/"USA:s"/"USA", "Norges"/"Norge"): one of the
   two may extend the other by a short ending. The bullet's first word is exempt when it occurs in
   lower case among the summary's source sentences (it is then a common word, capitalised only
   because it starts the bullet).
2. Semantic: the bullet's embedding (the configured embedder) must be close to the cited sentences'
   (cosine of the bullet with their joined text, or with the best single one). The threshold is
   calibrated on `gold/grounding-pairs.jsonl` (`storyline eval grounding`).

The folding is a short hand-written table because the only library that does it (Unidecode) is
GPL and not otherwise needed; dates come from `storyline.analyze.dates`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: cosine below which a bullet is "not close to its cited sentences" (calibrated, see module doc)
DEFAULT_MIN_SIMILARITY = 0.80
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "đ": "d",
                       "’": "'", "‘": "'", "ı": "i"})
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’:-][^\W\d_])*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,\u00a0 ]\d{3})*(?:[.,]\d+)?")
_ENDING = re.compile(r"(?:'s|'|:s|:n|:en|:et|s)$")
#: languages that capitalise common nouns: there the name check keeps to name-like words
NOUN_CAPITALISING = {"de", "lb"}
_MAX_ENDING = 3  # "Maduros", "Norges", "Oslos", "Bidens", "Pompeos"; "Trondheims"


@dataclass
class Verdict:
    supported: bool
    reason: str | None = None  # why not, one line
    similarity: float | None = None


def fold(text: str) -> str:
    """Lower case without accents: 'Tromsø' -> 'tromso', 'Peña' -> 'pena'."""
    text = text.casefold().translate(_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _stem(word: str) -> str:
    return _ENDING.sub("", word) or word


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def word_in(word: str, folded_words: set[str]) -> bool:
    """`word` (folded) or an inflected form of it is among `folded_words`: the two share a stem of at
    least 4 letters (3 for a stem that is the whole shorter word, as in "usa"/"usas") and differ only
    by endings of at most 3 letters ("sykepleiere"/"sykepleierne", "Maduros"/"Maduro")."""
    if word in folded_words:
        return True
    stem = _stem(word)
    if stem in folded_words:
        return True
    for w in folded_words:
        k = _common_prefix(stem, w)
        rest = max(len(stem), len(w)) - k
        if rest <= _MAX_ENDING and (k >= 4 or (k >= 3 and k == min(len(stem), len(w)))):
            return True
        if _stem(w) == stem:
            return True
    return False


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[.,\u00a0 ](?=\d{3}\b)", "", n).replace(",", ".") for n in _NUMBER.findall(text)}


def _name_like(text: str, m: re.Match[str]) -> bool:
    """In a language that capitalises every noun: an acronym, or one of two capitalised words in a row
    ("Fumio Kishida"); a lone capitalised word there may be a common noun, left to the semantic check."""
    w = m.group(0)
    if len(w) > 1 and w.isupper():
        return True
    before = _WORD.findall(text[:m.start()])
    after = _WORD.match(text[m.end():].lstrip())
    return bool((before and before[-1][0].isupper() and text[:m.start()].rstrip()[-1:].isalpha())
                or (after and after.group(0)[0].isupper() and text[m.end():m.end() + 1] == " "))


def _dates(text: str, lang: str | None, reference: str | None) -> set[str]:
    try:
        from storyline.analyze.dates import find_dates

        return {d.date for d in find_dates(text, lang, reference)}
    except Exception:  # noqa: BLE001 - a date parser problem must not block the lexical checks
        return set()


def lexical_problem(bullet: str, cited: Sequence[str], *, lang: str | None = None, reference: str | None = None,
                    context: Sequence[str] = (), source_lang: str | None = None) -> str | None:
    """Why the bullet's names, numbers or dates are not all in the cited sentences (None: they are).

    `source_lang` is the cited sentences' language when it differs from the bullet's (a summary
    written in English from Norwegian articles): names may then be translated ("Norge"/"Norway"), so
    only name-like words are checked, and dates are read in each side's own language."""
    joined = " ".join(cited)
    words = {fold(w) for w in _WORD.findall(joined)}
    words |= {fold(part) for w in _WORD.findall(joined) for part in re.split(r"[-':]", w) if part}
    lower_context = {fold(w) for s in (*context, *cited) for w in _WORD.findall(s) if w[0].islower()}
    first = _WORD.search(bullet)
    base, src = (lang or "").split("-")[0], (source_lang or lang or "").split("-")[0]
    nouns_capitalised = base in NOUN_CAPITALISING or (bool(base) and bool(src) and base != src)
    missing = []
    for m in _WORD.finditer(bullet):
        w = m.group(0)
        if not w[0].isupper():
            continue
        parts = [fold(p) for p in w.split("-") if p] or [fold(w)]
        if all(word_in(p, words) for p in parts):
            continue
        if first is not None and m.start() == first.start() and (len(w) <= 3 or word_in(fold(w), lower_context)):
            continue  # a common word capitalised only because it starts the bullet
        if nouns_capitalised and not _name_like(bullet, m):
            continue
        missing.append(w)
    if missing:
        return f"names not in the cited sentences: {', '.join(dict.fromkeys(missing))}"
    nums = _numbers(bullet) - _numbers(joined)
    if nums:
        return f"numbers not in the cited sentences: {', '.join(sorted(nums))}"
    dates = _dates(bullet, lang, reference)
    if dates:
        have = _dates(joined, source_lang or lang, reference)
        lost = [d for d in dates if not any(h.startswith(d) or d.startswith(h) for h in have)]
        if lost:
            return f"dates not in the cited sentences: {', '.join(sorted(lost))}"
    return None


def similarity(embedder, bullet: str, cited: Sequence[str]) -> float:
    """Cosine of the bullet with the cited sentences joined, or with the closest single one."""
    texts = [" ".join(cited), *cited] if len(cited) > 1 else list(cited)
    vecs = np.asarray(embedder.embed_passages([bullet, *texts]), dtype=np.float32)
    return float(np.max(vecs[1:] @ vecs[0]))


def check_support(bullet: str, cited: Sequence[str], *, embedder=None, lang: str | None = None,
                  reference: str | None = None, context: Sequence[str] = (), source_lang: str | None = None,
                  min_similarity: float = DEFAULT_MIN_SIMILARITY) -> Verdict:
    """Both checks of the module docstring; the embedding one is skipped when `embedder` is None."""
    if not cited:
        return Verdict(False, "cites no sentence of the sources")
    problem = lexical_problem(bullet, cited, lang=lang, reference=reference, context=context,
                              source_lang=source_lang)
    if problem:
        return Verdict(False, problem)
    if embedder is None:
        return Verdict(True)
    sim = similarity(embedder, bullet, cited)
    if sim < min_similarity:
        return Verdict(False, f"not close to the cited sentences (similarity {sim:.2f} < {min_similarity:.2f})", sim)
    return Verdict(True, None, sim)
