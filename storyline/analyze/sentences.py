"""Sentence splitting with offsets into the article text.

Written by hand rather than with Punkt/NLTK because the available Punkt models need data files that
are downloaded at run time, split after Scandinavian abbreviations ("bl.a."), and do not give
offsets into our paragraph-joined text. The rules are general: a sentence ends at . ! ? (or …) plus
closing quotes/brackets, before whitespace and an upper-case letter, digit, opening quote or dash;
not after a known abbreviation, an initial, or a day number before a month name ("23. Januar").
A quotation opened by a dash (the Scandinavian and Spanish style: "– Vi vil ha fred! Vi vil ha
frihet! sa hun.") stays one sentence with its attribution: a ! or ? inside it does not end the
sentence when, before the next full stop, a ! or ? is followed by a lower-case word (the "sa hun",
"spurte han", "said she" that closes the quote).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from storyline.model import Article, Sentence

ABBREVIATIONS = {
    # Norwegian / Danish / Swedish
    "bl.a", "dvs", "f.eks", "feks", "mv", "osv", "ca", "kl", "nr", "jf", "mht", "pga", "evt", "inkl",
    "ekskl", "hhv", "iflg", "ift", "bl", "fx", "mfl", "m.fl", "red", "tlf", "fr", "hr", "prof", "dr", "st",
    "mill", "mrd", "kr", "t.o.m", "f.o.m", "o.l", "ds", "pkt", "vs", "bla", "mm", "ang", "jfr",
    # English
    "mr", "mrs", "ms", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "rev", "hon",
    "u.s", "u.k", "u.n", "e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "vol", "approx", "dept",
    "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "a.m", "p.m", "mt", "ft", "ave",
    # German / Spanish / French
    "z.b", "usw", "bzw", "ggf", "u.a", "d.h", "sra", "srta", "dra", "ee.uu", "uu",
    "mme", "mlle", "cf", "env",
}

MONTHS = {
    "januar", "februar", "mars", "marts", "april", "mai", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "desember", "december", "january", "february", "march", "may", "june", "july",
    "october", "jänner", "märz", "dezember", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "septiembre", "setiembre", "octubre", "noviembre", "diciembre", "janvier", "février", "avril",
    "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "januari", "februari",
    "augusti",
}

_BOUNDARY = re.compile(
    r"""(?P<end>[.!?…]+)(?P<close>["'»”’)\]]*)(?P<space>\s+)(?=[\"'«“„‘(\[–—\-]?\s*[0-9A-ZÆØÅÄÖÜÉÈÁÍÓÚÑÇ])"""
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_DASH_OPEN = re.compile(r"\s*[–—-]\s")  # a quotation opened by a dash, at the start of a sentence
_ATTRIBUTION = re.compile(r"[!?]+[\"'»”’)]*\s+(?P<word>[^\W\d_])")  # "…frihet! sa Maduro"


def _is_false_boundary(text: str, m: re.Match[str]) -> bool:
    if m.group("end") != ".":
        return False
    before = text[: m.start()]
    wm = _WORD_BEFORE.search(before)
    if not wm:
        return False
    word = wm.group(1)
    low = word.lower().rstrip(".")
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # an initial: "J. R. Smith"
        return True
    if "." in word and not any(c.isdigit() for c in word) and all(len(p) <= 2 for p in word.split(".") if p):
        # "U.S", "bl.a"
        return True
    if word.isdigit():
        nxt = re.match(r"\s*([\wÀ-ÿ]+)", text[m.end("space"):])
        if nxt and nxt.group(1).lower() in MONTHS:
            return True
    return False


def _inside_dash_quote(text: str, start: int, m: re.Match[str]) -> bool:
    """Whether the ! or ? of boundary `m` is inside a dash-opened quotation whose attribution
    follows later in the text (before the next full-stop boundary)."""
    if "." in m.group("end") or not _DASH_OPEN.match(text, start):
        return False
    stop = len(text)
    for nxt in _BOUNDARY.finditer(text, m.end("space")):
        if "." in nxt.group("end") and not _is_false_boundary(text, nxt):
            stop = nxt.start()
            break
    return any(a.group("word").islower() for a in _ATTRIBUTION.finditer(text, m.end("space"), stop))


def split_text(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return (start, end) spans of sentences in `text`, shifted by `offset`; whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if _is_false_boundary(text, m) or _inside_dash_quote(text, start, m):
            continue
        end = m.end("close")
        spans.append((start, end))
        start = m.end("space")
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            out.append((offset + s + ls, offset + s + rs))
    return out


def split_sentences(article: Article) -> list[Sentence]:
    """Sentences of an article, paragraph by paragraph, with offsets into `article.text`."""
    sentences: list[Sentence] = []
    paragraphs: Iterable = article.paragraphs or []
    if not article.paragraphs:
        from storyline.model import Paragraph

        paragraphs = [Paragraph(text=article.text, lang=article.lang, start=0)]
    for p_index, para in enumerate(paragraphs):
        for s, e in split_text(para.text, para.start):
            sentences.append(Sentence(article_id=article.id, index=len(sentences), start=s, end=e,
                                      text=article.text[s:e], paragraph_index=p_index,
                                      lang=para.lang or article.lang))
    return sentences
