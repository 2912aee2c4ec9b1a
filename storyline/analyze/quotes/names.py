"""Name spans without an NER model: capitalised token runs, titles stripped, gender from first names.

Used when the entities stage gave no mentions (unit tests, benchmarks, the PolNeAR eval) and to
rank pronoun antecedents. First-name gender comes from `gender-guesser` (an offline list of ~40,000
first names across European countries) rather than a hand-made list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from storyline.analyze.quotes.cues import FUNCTION_WORDS, PRONOUNS, TITLES
from storyline.analyze.sentences import MONTHS

WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)
PARTICLES = {"de", "del", "della", "da", "dos", "das", "van", "von", "der", "den", "bin", "al", "le", "la",
             "y", "di", "du", "ter", "op"}


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def cap_sequences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of runs of capitalised words in text[start:end], titles stripped.

    A run breaks at punctuation other than a hyphen inside a word; lower-case name particles
    ("de", "van") may sit inside a run but never end it.
    """
    end = len(text) if end is None else end
    toks = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, end)]
    runs: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    for i, (s, e, w) in enumerate(toks):
        joined = bool(cur) and text[cur[-1][1]:s] == " "
        if _is_cap(w) and not (w.lower() in FUNCTION_WORDS and not cur) and w.lower() not in MONTHS:
            if cur and not joined:
                runs.append(cur)
                cur = []
            cur.append((s, e, w))
        elif cur and joined and w in PARTICLES and i + 1 < len(toks) and _is_cap(toks[i + 1][2]):
            cur.append((s, e, w))
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        while run and (run[0][2].lower().rstrip(".") in TITLES or run[0][2].lower() in PRONOUNS
                       or run[0][2].lower() in FUNCTION_WORDS):
            run = run[1:]
        while run and run[-1][2] in PARTICLES:
            run = run[:-1]
        # "Venezuelan President Nicolas Maduro", "Ministry Maria Zakharova": the name starts at
        # its first name where one is known
        for k in range(1, len(run) - 0):
            if k < len(run) and is_known_first_name(run[k][2]) and not is_known_first_name(run[0][2]):
                run = run[k:]
                break
        if run and len(run) == 1 and _sentence_initial(text, run[0][0]) and not _capitalised_elsewhere(text, run[0][2]):
            continue  # "Eksperter mener …", "Torsdag uttaler …": capitalised only because it opens the sentence
        if run:
            out.append((run[0][0], run[-1][1]))
    return out


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 4):pos].rstrip(" –—-\"«“„'")
    return not before or before[-1] in ".!?:\n"


def _capitalised_elsewhere(text: str, word: str) -> bool:
    """The word also appears capitalised inside a sentence, so it is a name, not a sentence opener."""
    if is_known_first_name(word):
        return True
    return re.search(r"[\w,)] " + re.escape(word) + r"\b", text) is not None


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as gd

    return gd.Detector(case_sensitive=False)


@lru_cache(maxsize=20000)
def first_name_gender(name: str) -> str | None:
    """'m' / 'f' when the first word is a known first name, else None."""
    first = name.split()[0] if name.split() else ""
    if not first:
        return None
    g = _detector().get_gender(first)
    if g in ("male", "mostly_male"):
        return "m"
    if g in ("female", "mostly_female"):
        return "f"
    return None


@lru_cache(maxsize=50000)
def is_known_first_name(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() and _detector().get_gender(word) != "unknown"


def looks_like_person(name: str) -> bool:
    """Two or more capitalised words opening with a known first name ("Benedicte Bull")."""
    parts = name.split()
    return len(parts) >= 2 and is_known_first_name(parts[0])


def fold(name: str) -> str:
    """Accent- and case-folded key for comparing names across spellings."""
    from anyascii import anyascii

    return " ".join(anyascii(name).lower().replace("’", "'").split())
