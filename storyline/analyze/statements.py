"""Pipeline step "statements": the dated event statements of each article, stored.

A dated statement is a sentence with a date expression in it, the date normalised against the
article's publication date (`storyline.analyze.dates`). An undated article borrows the date window
its event was given by the stories step (`store.article_date_window`); its statements are flagged
`inferred`. A sentence that is little more than a date ("Publisert 03.12.2025 09:00") states no
event and is skipped. Each statement keeps its sentence embedding and entity names so the timeline
step can merge it later without re-reading the article.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from storyline.analyze.dates import DateMatch, Reference, find_dates, period_bounds
from storyline.analyze.sentences import split_sentences
from storyline.model import Article, Sentence

log = logging.getLogger(__name__)

MIN_EVENT_WORDS = 3  # words outside the date expression for a sentence to state an event
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def article_reference(store, article: Article) -> tuple[Reference | None, bool]:
    """(reference date, inferred) for an article: its own date, else its event's window."""
    if article.published:
        try:
            return Reference.parse(article.published, article.published_precision), False
        except ValueError:
            log.warning("article %s: unreadable publication date %r", article.id, article.published)
    window = None
    if hasattr(store, "article_date_window"):
        try:
            window = store.article_date_window(article.id)
        except Exception as exc:  # the stories stage may not be there yet
            log.debug("no date window for %s: %s", article.id, exc)
    if not window:
        return None, False
    start, end, _ = window
    common = window_reference(start, end)
    # the article has no date of its own, so whatever the window gives is inferred
    return (Reference.parse(common) if common else None), True


def window_reference(start: str, end: str) -> str | None:
    """The most precise ISO date both ends of a window share: ("2019-01-22", "2019-01-25") -> "2019-01"."""
    a, b = (start or "")[:10], (end or "")[:10]
    for n in (10, 7, 4):
        if len(a) >= n and len(b) >= n and a[:n] == b[:n]:
            return a[:n]
    return None


def states_event(sentence: str, match: DateMatch) -> bool:
    rest = sentence[:match.start] + " " + sentence[match.end:]
    return len(_WORD.findall(rest)) >= MIN_EVENT_WORDS


def statements_for_article(article: Article, reference: Reference | None, *, inferred: bool = False,
                           sentences: Sequence[Sentence] | None = None) -> list[dict[str, Any]]:
    """Rows of dated statements (no vectors or entities yet) for one article."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for sent in sentences if sentences is not None else split_sentences(article):
        lang = sent.lang or article.lang
        for m in find_dates(sent.text, lang, reference):
            if not states_event(sent.text, m) or (sent.text, m.date) in seen:
                continue  # a paragraph repeated by the page (a scraping artefact) counts once
            seen.add((sent.text, m.date))
            d0, d1 = period_bounds(m.date)
            rows.append({"article_id": article.id, "sentence_index": sent.index, "start": sent.start,
                         "end": sent.end, "sentence": sent.text, "expression": m.expression,
                         "expr_start": sent.start + m.start, "expr_end": sent.start + m.end, "date": m.date,
                         "precision": m.precision, "assumed": m.assumed or inferred, "inferred": inferred,
                         "lang": lang, "day_start": d0.toordinal(), "day_end": d1.toordinal()})
    return rows


def _entity_names(store, article_id: str, cache: dict[str, str]) -> dict[int, list[str]]:
    """sentence index -> canonical entity names mentioned in it (empty if entities did not run)."""
    if not hasattr(store, "mentions"):
        return {}
    try:
        mentions = store.mentions(article_id)
    except Exception as exc:
        log.debug("no mentions for %s: %s", article_id, exc)
        return {}
    out: dict[int, list[str]] = {}
    for m in mentions:
        name = None
        if m.entity_id:
            if m.entity_id not in cache:
                ent = None
                try:
                    ent = store.get_entity(m.entity_id)
                except Exception:
                    ent = None
                cache[m.entity_id] = ent.name if ent else (m.normalized or m.text)
            name = cache[m.entity_id]
        name = name or m.normalized or m.text
        names = out.setdefault(m.sentence_index, [])
        if name not in names:
            names.append(name)
    return out


def masked(row: dict[str, Any]) -> str:
    """The sentence without its date expression: similarity should be about the event, and the
    date is compared on its own (else every sentence naming "March 14" looks alike)."""
    a, b = row["expr_start"] - row["start"], row["expr_end"] - row["start"]
    return " ".join((row["sentence"][:a] + " " + row["sentence"][b:]).split())


def embed_statements(embedder, rows: Sequence[dict[str, Any]]) -> list[np.ndarray]:
    """Masked-sentence embeddings, centred on their language's background mean and re-normalised
    (multilingual-e5 vectors carry a per-language offset that hides translations; see
    `storyline.link.background`)."""
    from storyline.link.background import background_for

    texts = list(dict.fromkeys(masked(r) for r in rows))
    vecs = dict(zip(texts, embedder.embed_passages(texts), strict=True))
    out = []
    for r in rows:
        v = np.asarray(vecs[masked(r)], dtype=np.float32)
        mean = background_for(getattr(embedder, "name", ""), r.get("lang"))
        if mean is not None and mean.shape == v.shape:
            v = v - mean
        out.append((v / (np.linalg.norm(v) or 1.0)).astype(np.float32))
    return out


def _embedder(config, settings):
    if not settings.embed:
        return None
    try:
        from storyline.analyze.embeddings import get_embedder

        return get_embedder(config)
    except Exception as exc:  # BackendError, missing package: fall back to word overlap
        log.warning("timeline: no embeddings (%s); merging by word overlap", exc)
        return None


def run(store, article_ids: Sequence[str], config, progress: Callable[[str, int, int], None] | None = None
        ) -> dict[str, Any]:
    """Find, embed and store the dated statements of `article_ids` (replacing earlier ones)."""
    from storyline.explain.timeline import TimelineSettings, refresh_entries

    settings = config.section("timeline", TimelineSettings)
    embedder = _embedder(config, settings)
    cache: dict[str, str] = {}
    total, undated, touched = 0, 0, []
    ids = list(article_ids)
    for i, aid in enumerate(ids):
        article = store.get_article(aid)
        if article is None:
            continue
        ref, inferred = article_reference(store, article)
        undated += ref is None
        rows = statements_for_article(article, ref, inferred=inferred)
        ents = _entity_names(store, aid, cache)
        for r in rows:
            r["entities"] = ents.get(r["sentence_index"], [])
        if embedder is not None and rows:
            try:
                for r, v in zip(rows, embed_statements(embedder, rows), strict=True):
                    r["vector"] = v
            except Exception as exc:
                log.warning("timeline: embedding failed for %s (%s)", aid, exc)
        touched += store.replace_statements(aid, rows)
        total += len(rows)
        if progress:
            progress("statements", i + 1, len(ids))
    if touched:
        refresh_entries(store, sorted(set(touched)), settings)
    return {"articles": len(ids), "statements": total, "without_reference": undated}
