"""Query words, highlighting and snippets for search (no storage, no embeddings).

Snippets are plain text plus `marks` offsets, so each renderer escapes the text itself.
"""

from __future__ import annotations

import re

from storyline.store.textindex import fold

LEAD_WORDS = 80
SNIPPET_CHARS = 240
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """Distinct folded words of a query, in order."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(query):
        f = fold(w)
        if f and f not in seen:
            seen[f] = None
    return list(seen)


# Function words of at most four letters in the languages the corpus mixes (en, de, nl, fr, es, it, pt,
# nb/da/sv). Hand-written rather than taken from a stop-word library because such lists also hold content
# words ("war", "state", "man", "eu", "us", "die", "den", "mit", "who", "für"→"fur" are content words or
# names somewhere) and would need a language guess per query; this list holds only words that are function
# words wherever they occur, so it is safe for a query in any language. Folded like query terms. Used only
# to choose what to highlight (see `highlight_terms`).
_FUNCTION_WORDS_TEXT = """
a an the and or but nor if as at by in of on to up so than then that this from with into onto
is am are was were be been has had have do does did not no yes its it he she him his her hers we our
you your they them whom what when why how all any some each very just also only too
here out off over via per upon such own same
der das des ein eine und oder aber zu im am um von vom zum zur bei
auf ist sind wird sich sie er es wir ihr ihm ihn nach wie vor noch auch nur nie
de het een en van op te dat zijn aan voor niet ook bij uit als naar om
le la les un une des du et ou au aux en dans sur par pour avec sans que qui est ont il ils elle se ce
ces sa ses leur lui pas ne
el lo los las y o del al con por para se su sus es fue muy ya e u que
il lo gli i di da dal nel nei sul con per tra fra è non più
o os as um uma do da dos das no na nos nas em por com sem ao não mas
og i på til av for med som er var har det at om fra ved ikke jeg du hun vi de sitt
sine seg skal vil kan blev ble har af paa fra ud hos blir og
och att är av för på till med som hon det inte ett
"""
FUNCTION_WORDS = frozenset(fold(w) for w in _FUNCTION_WORDS_TEXT.split())


def highlight_terms(terms: list[str]) -> list[str]:
    """Query terms worth highlighting: without function words ("to", "but", "him", "og"), unless the
    query has nothing else (a search for "to be" still shows where "to" and "be" occur)."""
    content = [t for t in terms if t not in FUNCTION_WORDS]
    return content or terms


def lead_text(title: str | None, text: str, words: int = LEAD_WORDS) -> str:
    body = " ".join(text.split()[:words])
    return f"{title}. {body}" if title else body


class _FoldTable(dict):
    """str.translate table folding one character to one character (case, diacritics), so offsets in
    the folded text are offsets in the original; filled lazily per distinct character."""

    def __missing__(self, code: int) -> int:
        folded = fold(chr(code))
        value = ord(folded[0]) if len(folded) >= 1 else code
        self[code] = value
        return value


_FOLD = _FoldTable()


def _term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """Words matching a query term: exact for short terms, else sharing the term's stem (the term minus
    up to two final letters), so "streiken" matches "streik" and "Venezuelas" matches "venezuela"."""
    parts = []
    for t in sorted(set(terms), key=len, reverse=True):
        if len(t) < 4:
            parts.append(re.escape(t) + r"\b")
        else:
            parts.append(re.escape(t[:max(4, len(t) - 2)]) + r"\w*")
    return re.compile(r"\b(?:" + "|".join(parts) + ")") if parts else None


def make_snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """The passage of `text` with most query-term hits, and the hit spans in it (offsets into the
    returned snippet)."""
    pattern = _term_pattern(terms)
    folded = text[:50_000].translate(_FOLD)
    hits = [(m.start(), m.end()) for m in pattern.finditer(folded)] if pattern else []
    if not hits:
        end = _cut(text, 0, width)
        return text[:end].strip().replace("\n", " ") + ("…" if end < len(text) else ""), []
    best_start, best_n = hits[0][0], 0
    j = 0
    for i, (s, _e) in enumerate(hits):  # sliding window: most hits within ~width chars
        while hits[j][0] < s - (width * 3) // 4 and j < i:
            j += 1
        n = i - j + 1
        if n > best_n:
            best_n, best_start = n, hits[j][0]
    start = max(0, best_start - width // 4)
    if start:
        sp = text.rfind(" ", 0, start)
        start = sp + 1 if sp >= 0 else start
    end = _cut(text, start, width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + text[start:end].replace("\n", " ") + suffix
    shift = len(prefix) - start
    marks = [(s + shift, e + shift) for s, e in hits if s >= start and e <= end]
    return snippet, marks


def _cut(text: str, start: int, width: int) -> int:
    end = min(len(text), start + width)
    if end < len(text):
        sp = text.rfind(" ", start, end)
        if sp > start:
            end = sp
    return end
