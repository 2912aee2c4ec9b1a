"""Resolve sentence ids ("<article_id>:<index>") back to the sentence text and offsets they name.

`summary_with_sources` is the one JSON shape of a summary (CLI `--json` and the web API): every bullet's
sources carry the sentence text and language they resolve to. Sentence ids are positions in `split_sentences(article)`, so resolution re-splits the article; each
article is split once per call.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from storyline.analyze.sentences import split_sentences
from storyline.model import Bullet, Sentence, Summary


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


def in_reader_lang(s: Summary, b: Bullet) -> bool | None:
    """Whether a bullet is in its summary's language (None when either is unknown)."""
    if not s.lang or not b.lang:
        return None
    return b.lang.split("-")[0] == s.lang.split("-")[0]


def summary_with_sources(s: Summary, store=None) -> dict[str, Any]:
    """A summary as plain data; with a store, each source carries its sentence text and language."""
    resolved = resolve_sentences(store, [sid for b in s.bullets for sid in b.sources]) if store else {}

    def source(sid: str) -> dict[str, Any]:
        sent = resolved.get(sid)
        out: dict[str, Any] = {"id": sid, "article_id": sid.rpartition(":")[0]}
        if sent is not None:
            out.update(sentence=sent.text, lang=sent.lang, start=sent.start, end=sent.end)
        return out

    return {
        "id": s.id, "target_id": s.target_id, "lang": s.lang, "backend": s.backend, "model": s.model,
        "status": s.status, "reviewer": s.reviewer, "reviewed_at": s.reviewed_at, "created_at": s.created_at,
        "label": s.label,
        "bullets": [{"text": b.text, "lang": b.lang, "in_reader_lang": in_reader_lang(s, b),
                     "sources": [source(sid) for sid in b.sources]} for b in s.bullets],
        "rejected_count": len(s.rejected), "rejected": list(s.rejected),
    }
