"""How much of a very long text the analysis steps read: the first `max_analysed_chars` characters.

A news article is 1-10 KB; a 1 MB "article" is a transcript, a book or a scraping accident, and its
entities, quotes and dated statements would cost minutes while adding little to a story. The steps
(entities, quotes, cluster, statements) analyse `capped(article, limit)`: the text cut at the last
paragraph end (else sentence end, else space) at or before `limit`. Offsets stay valid (the kept part
is a prefix), and the full text stays stored, searchable (full-text index) and shown. So an
article's analysis cost grows at most linearly with its length and is bounded above.
"""

from __future__ import annotations

import dataclasses
import re

from storyline.model import Article
from storyline.pipeline import DEFAULT_MAX_CHARS

_SENTENCE_END = re.compile(r"[.!?。]\s")


def cut_point(text: str, limit: int) -> int:
    """Where to cut `text` to at most `limit` characters, at a paragraph, sentence or word boundary."""
    if len(text) <= limit:
        return len(text)
    head = text[:limit + 1]
    para = head.rfind("\n\n")
    if para >= limit // 2:
        return para
    ends = [m.end() - 1 for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 2:
        return ends[-1]
    space = head.rfind(" ")
    return space if space >= limit // 2 else limit


def capped(article: Article, limit: int | None) -> Article:
    """`article` with only its first `limit` characters (and the paragraphs inside them); as is when short."""
    if not limit or limit <= 0 or len(article.text) <= limit:
        return article
    cut = cut_point(article.text, limit)
    paragraphs = []
    for p in article.paragraphs:
        if p.start >= cut:
            break
        if p.start + len(p.text) > cut:
            p = dataclasses.replace(p, text=p.text[:cut - p.start].rstrip())
        paragraphs.append(p)
    return dataclasses.replace(article, text=article.text[:cut].rstrip(), paragraphs=paragraphs)


def max_chars(config) -> int:
    """The configured cap (`[pipeline] max_analysed_chars`, 0 = none)."""
    from storyline.pipeline import PipelineSettings

    if config is None:
        return DEFAULT_MAX_CHARS
    return int(config.section("pipeline", PipelineSettings).max_analysed_chars)
