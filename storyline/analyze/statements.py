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

from storyline.analyze.dates import PRECISION_RANK, DateMatch, Reference, find_dates, news_peg, period_bounds
from storyline.analyze.limits import capped, max_chars
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


def primary_match(matches: Sequence[DateMatch], reference: Reference | None) -> DateMatch:
    """The date a sentence naming several reports: the finest precision named (a day over "in
    January"), then among those the news peg (`storyline.analyze.dates.news_peg`) against the
    publication day (the latest date when the article has no day of its own)."""
    finest = max(PRECISION_RANK.get(m.precision, 0) for m in matches)
    fine = sorted((m for m in matches if PRECISION_RANK.get(m.precision, 0) == finest), key=lambda m: m.start)
    pub = reference.day if reference is not None and reference.precision == "day" else None
    return fine[news_peg([period_bounds(m.date)[0] for m in fine], pub)]


def statements_for_article(article: Article, reference: Reference | None, *, inferred: bool = False,
                           sentences: Sequence[Sentence] | None = None,
                           one_per_sentence: bool = True) -> list[dict[str, Any]]:
    """Rows of dated statements (no vectors or entities yet) for one article.

    A sentence is one statement, dated by `primary_match` when it names several dates (a timeline
    shows it once, on the day it reports; its text still names the others). `one_per_sentence=False`
    gives a row per date expression (year inference aligns every day-and-month it can).
    """
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for sent in sentences if sentences is not None else split_sentences(article):
        lang = sent.lang or article.lang
        found = [m for m in find_dates(sent.text, lang, reference) if states_event(sent.text, m)]
        if one_per_sentence and len(found) > 1:
            found = [primary_match(found, reference)]
        for m in found:
            if (sent.text, m.date) in seen:
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


def yearless_rows(article: Article, sentences: Sequence[Sentence] | None = None) -> list[dict[str, Any]]:
    """Statement rows for the article's day-and-month expressions that carry no year.

    They are found by resolving against a year-only probe reference: only a year-less day-month
    comes back at day precision and assumed (weekdays and relative phrases need a finer reference).
    """
    from storyline.analyze.year_inference import _PROBE_YEAR, PROBE

    rows = statements_for_article(article, PROBE, sentences=sentences, one_per_sentence=False)
    return [r for r in rows if r["precision"] in ("day", "minute") and r["assumed"]
            and r["date"].startswith(f"{_PROBE_YEAR:04d}-")]


def masked(row: dict[str, Any]) -> str:
    """The sentence without its date expression: similarity should be about the event, and the
    date is compared on its own (else every sentence naming "March 14" looks alike)."""
    a, b = row["expr_start"] - row["start"], row["expr_end"] - row["start"]
    return " ".join((row["sentence"][:a] + " " + row["sentence"][b:]).split())


def embed_statements(embedder, rows: Sequence[dict[str, Any]], store=None) -> list[np.ndarray]:
    """Masked-sentence embeddings, centred on their language's background mean and re-normalised
    (multilingual-e5 vectors carry a per-language offset that hides translations; see
    `storyline.analyze.background`)."""
    from storyline.analyze import vectors
    from storyline.analyze.background import background_for

    texts = list(dict.fromkeys(masked(r) for r in rows))
    vecs = dict(zip(texts, vectors.embed_passages(embedder, texts, store=store), strict=True))
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


def _store_article(store, article: Article, ref: Reference | None, inferred: bool, embedder,
                   cache: dict[str, str], aligned: dict[tuple[int, int], str] | None = None
                   ) -> tuple[int, list[str]]:
    """Find, embed and store one article's statements (replacing earlier ones): (count, touched entries).

    `embedder` None stores them without vectors (the "vectors" step adds them, see `run_vectors`)."""
    rows = statements_for_article(article, ref, inferred=inferred)
    for r in rows:  # a year the story's dated statements gave outranks the window's guess
        date = (aligned or {}).get((r["sentence_index"], r["expr_start"]))
        if date:
            d0, d1 = period_bounds(date[:10])
            r.update(date=date[:10] if r["precision"] == "day" else date, day_start=d0.toordinal(),
                     day_end=d1.toordinal(), assumed=True, inferred=True)
    ents = _entity_names(store, article.id, cache)
    for r in rows:
        r["entities"] = ents.get(r["sentence_index"], [])
    if embedder is not None and rows:
        try:
            for r, v in zip(rows, embed_statements(embedder, rows), strict=True):
                r["vector"] = v
        except Exception as exc:
            log.warning("timeline: embedding failed for %s (%s)", article.id, exc)
    return len(rows), store.replace_statements(article.id, rows)


def infer_window(store, article: Article, embedder, cache: dict[str, str]
                 ) -> tuple[tuple[str, str], dict[tuple[int, int], str], list[dict[str, Any]]] | None:
    """Align an undated article's year-less dates with its story's dated statements
    (`storyline.analyze.year_inference`): (window, {(sentence, offset): date}, evidence) or None."""
    from storyline.analyze import year_inference as yi

    if not hasattr(store, "story_of_article"):
        return None
    story = store.story_of_article(article.id)
    if story is None:
        return None
    candidates = yearless_rows(article)
    if not candidates:
        return None
    others = [a for a in store.story_article_ids(story.id) if a != article.id]
    wanted = {yi.month_day(c["date"]) for c in candidates}
    dated = [r for r in store.statement_rows(others) if yi.month_day(r["date"]) in wanted]
    if not dated:
        return None

    def embed(rows: Sequence[dict[str, Any]]) -> None:
        ents = _entity_names(store, article.id, cache)
        for r in rows:
            r["entities"] = ents.get(r["sentence_index"], [])
        if embedder is not None:
            # the story's statements may still wait for the "vectors" step: the same vectors, now
            unvectored = [r for r in dated if r.get("vector") is None]
            for r, v in zip([*rows, *unvectored], embed_statements(embedder, [*rows, *unvectored]), strict=True):
                r["vector"] = v

    aligned = yi.align_years(candidates, dated, embed)
    window = yi.window_from(aligned)
    if window is None:
        return None
    return window, {(a.sentence_index, a.expr_start): a.date for a in aligned}, yi.evidence_of(aligned)


def _waiting_mates(store, dated_ids: Sequence[str], batch: set[str]) -> list[str]:
    """Undated articles, outside this batch, in the stories of newly dated ones and still without
    any date window: a dated article joining their story may now place them (no world rebuild)."""
    if not dated_ids or not hasattr(store, "story_of_article") or not hasattr(store, "cluster_article_meta"):
        return []
    stories: set[str] = set()
    for aid in dated_ids:
        try:
            story = store.story_of_article(aid)
        except Exception as exc:
            log.debug("no story for %s: %s", aid, exc)
            continue
        if story is not None:
            stories.add(story.id)
    out: list[str] = []
    for sid in sorted(stories):
        mates = [a for a in store.story_article_ids(sid) if a not in batch]
        meta = store.cluster_article_meta(mates)
        out += [a for a in mates if a in meta and not meta[a].get("published") and store.article_date_window(a) is None]
    return out


def run(store, article_ids: Sequence[str], config, progress: Callable[[str, int, int], None] | None = None
        ) -> dict[str, Any]:
    """Find, embed and store the dated statements of `article_ids` (replacing earlier ones).

    Articles with a date or a window go first, so their statements are there when an undated,
    unwindowed article aligns its year-less dates with its story's (`infer_window`); the event-mates
    of such an article then borrow the window it was given. Rerunning gives the same result: the
    batch's own inferred windows are dropped and re-derived.
    """
    from storyline import registry  # the timeline section and its refresh are explain's (no upward import)

    settings = registry.settings(config, "timeline")
    embedder = _embedder(config, settings)
    # `[pipeline] defer_background`: sentence vectors wait for the "vectors" step (a background drain);
    # only year inference, a decision taken here, embeds what it compares
    row_embedder = None if deferring(config) else embedder
    cache: dict[str, str] = {}
    total, undated, inferred_windows, touched = 0, 0, 0, []
    ids = list(dict.fromkeys(article_ids))
    cap = max_chars(config)
    articles = [capped(a, cap) for a in (store.get_article(aid) for aid in ids) if a is not None]
    if hasattr(store, "delete_inferred_windows"):
        # re-derived below for the undated; an updated article that gained a date needs none
        store.delete_inferred_windows([a.id for a in articles])
    done, pending, dated = 0, [], []

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress("statements", done, len(articles))

    def store_one(article: Article, ref: Reference | None, inferred: bool, aligned=None) -> None:
        nonlocal total, touched
        n, t = _store_article(store, article, ref, inferred, row_embedder, cache, aligned)
        total += n
        touched += t

    for article in articles:
        ref, inferred = article_reference(store, article)
        if ref is None and not article.published:
            pending.append(article)
            continue
        store_one(article, ref, inferred)
        if not inferred:
            dated.append(article.id)
        tick()
    pending_ids = {a.id for a in pending}
    mates = [store.get_article(a) for a in _waiting_mates(store, dated, {a.id for a in articles})]
    waiting = []
    for article in pending + [capped(m, cap) for m in mates if m is not None]:
        found = infer_window(store, article, embedder, cache) if hasattr(store, "save_inferred_window") else None
        if found is None:
            waiting.append(article)
            continue
        (start, end), aligned, evidence = found
        store.save_inferred_window(article.id, start, end, evidence)
        inferred_windows += 1
        store_one(article, Reference.parse(window_reference(start, end) or start[:4]), True, aligned)
        if article.id in pending_ids:
            tick()
    for article in waiting:
        if article.id not in pending_ids:
            continue  # a story-mate that is still unplaced keeps what it has
        ref, inferred = article_reference(store, article)  # an event-mate's inferred window, if any
        undated += ref is None
        store_one(article, ref, inferred)
        tick()
    if touched:  # entries built from replaced statements are re-derived by the timeline stage
        registry.notify("statements_replaced", store, sorted(set(touched)), settings)
    return {"articles": len(articles), "statements": total, "without_reference": undated,
            "inferred_windows": inferred_windows}


def deferring(config) -> bool:
    """Whether the background steps ("vectors", "timeline") are left to a later drain."""
    from storyline.pipeline import defer_background

    return defer_background(config)


def run_vectors(store, article_ids: Sequence[str], config, progress: Callable[[str, int, int], None] | None = None
                ) -> dict[str, Any]:
    """Pipeline step "vectors": embed the stored dated statements of `article_ids` that lack a vector.

    Nothing online waits for these (clustering has its lead vectors; the timeline merge runs after
    this step), so `[pipeline] defer_background` can leave this step and "timeline" to a background
    drain (`storyline analyze`, `serve`). Texts are gathered across articles and embedded in one
    batched call through the vector cache (a masked sentence seen before costs nothing). Entries
    built while the statements had no vectors are re-derived, so the result equals embedding inline.
    """
    from storyline import registry  # the timeline section and its refresh are explain's (no upward import)

    settings = registry.settings(config, "timeline")
    embedder = _embedder(config, settings)
    ids = list(dict.fromkeys(article_ids))
    if embedder is None or not ids or not hasattr(store, "set_statement_vectors"):
        return {"articles": len(ids), "statements": 0}
    filled, touched = 0, []
    for lo in range(0, len(ids), 100):
        chunk = ids[lo:lo + 100]
        rows = [r for r in store.statement_rows(chunk) if r.get("vector") is None]
        if rows:
            vecs = embed_statements(embedder, rows, store)  # a Ray run may have left them in the store
            touched += store.set_statement_vectors([(r["id"], v) for r, v in zip(rows, vecs, strict=True)])
            filled += len(rows)
        if progress:
            progress("vectors", min(lo + 100, len(ids)), len(ids))
    if touched:
        registry.notify("statements_replaced", store, sorted(set(touched)), settings)
    return {"articles": len(ids), "statements": filled}
