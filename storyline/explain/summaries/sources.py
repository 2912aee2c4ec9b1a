"""Resolve sentence ids ("<article_id>:<index>") back to the sentence text and offsets they name.

Sentence ids are positions in `split_sentences(article)`, so resolution re-splits the article; each
article is split once per call.
"""

from __future__ import annotations

from collections.abc import Iterable

from storyline.analyze.sentences import split_sentences
from storyline.model import Sentence


def resolve_sentences(store, ids: Iterable[str]) -> dict[str, Sentence | None]:
    """Map each id to its Sentence, or None when the article or the sentence does not exist."""
    out: dict[str, Sentence | None] = {}
    split: dict[str, list[Sentence] | None] = {}
    for sid in ids:
        aid, _, idx = sid.rpartition(":")
        if not aid or not idx.isdigit():
            out[sid] = None
            continue
        if aid not in split:
            art = store.get_article(aid)
            split[aid] = split_sentences(art) if art is not None else None
        sents = split[aid]
        out[sid] = sents[int(idx)] if sents is not None and int(idx) < len(sents) else None
    return out
