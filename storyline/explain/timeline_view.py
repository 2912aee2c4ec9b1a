"""What a reader sees of a stored timeline: each entry's text in the reader's language, its salience,
and entity timelines (one person's or organisation's dated statements across stories).

The store keeps entries and their source statements (`timeline_entry_rows`); the choice of which
source sentence speaks for an entry lives here, and it is the same choice the batch selector makes
(`storyline.explain.timeline_select.sentence_prior`): a sentence naming the entry's date and no
other, early in its article, near the entry's centroid. With a reader's language the entry speaks in
a source sentence of that language when it has one; otherwise its best sentence in another language
is shown and `TimelineEntry.lang` says which, so shells can mark it (never hidden, never rewritten).
A translation, where one was stored beside the entry, is returned in `translation`; the source stays
the text and is always cited.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from storyline.analyze.datelines import strip_dateline
from storyline.analyze.dates import period_bounds
from storyline.explain.timeline_select import DatedSentence, SelectConfig, sentence_prior
from storyline.model import SourceRef, TimelineEntry

Entry = dict[str, Any]
_WORD = re.compile(r"\w+", re.UNICODE)


def base_lang(lang: str | None) -> str:
    return (lang or "").split("-")[0].lower()


def source_score(entry: Entry, s: dict[str, Any], named: int = 1, cfg: SelectConfig | None = None) -> float:
    """The batch selector's prior (`sentence_prior`) for one source of a live entry, times its
    closeness to the entry's centroid. `named`: how many entries of the story this sentence feeds
    (a sentence naming several dates recounts rather than reports). The publication day is not in
    the statement rows: an explicit (not assumed) date counts as reported fresh, since relative
    expressions ("i går", "on Tuesday") are resolved from the publication day."""
    cfg = cfg or SelectConfig()
    day = period_bounds(entry["date"])[0]
    toks = [w.lower() for w in _WORD.findall(s["sentence"])]
    ds = DatedSentence(s["sentence"], day, int(s.get("sentence_index") or 0),
                       [day] if named <= 1 else [day, day - dt.timedelta(days=named)], article=s["article_id"],
                       lang=s.get("lang"), tokens=toks)
    prior = sentence_prior(ds, day, cfg)
    cen, vec = entry.get("centroid"), s.get("vector")
    closeness = float(np.dot(vec, cen)) if cen is not None and vec is not None and len(vec) == len(cen) else 0.5
    penalty = (0.5 if s.get("assumed") else 1.0) * (0.5 if s.get("inferred") else 1.0)
    return prior * (0.5 + closeness) * penalty


def representative(entry: Entry, lang: str | None = None, named: dict[tuple[str, int], int] | None = None
                   ) -> tuple[dict[str, Any] | None, bool]:
    """(the source that speaks for the entry, whether it is in `lang`). Without `lang`, or when no
    source is in it, the best source of any language."""
    sources = entry["sources"]
    if not sources:
        return None, False
    want = base_lang(lang)
    same = [s for s in sources if want and base_lang(s.get("lang")) == want]
    pool = same or sources
    named = named or {}

    def key(s: dict[str, Any]) -> tuple:
        return (source_score(entry, s, named.get((s["article_id"], s["sentence_index"]), 1)), -len(s["sentence"]))

    best = max(pool, key=key)
    return best, bool(same)


def _flat(text: str) -> str:
    """The sentence on one line, without a wire dateline ("OSLO (NTB) – …", see
    `storyline.analyze.datelines`; the source keeps its full text)."""
    return " ".join(strip_dateline(text).split())


def one_line(text: str, limit: int) -> str:
    """An entry's text: `_flat`, cut on a word boundary."""
    text = _flat(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:–- ") + "…"


def salience(entry: Entry) -> int:
    """Articles that witness the entry (the batch selector counts articles too, not sentences)."""
    return len({s["article_id"] for s in entry["sources"]})


def sentences_named(rows: Iterable[Entry]) -> dict[tuple[str, int], int]:
    """(article id, sentence index) -> how many entries the sentence feeds."""
    return Counter((s["article_id"], s["sentence_index"]) for e in rows for s in e["sources"])


def to_entry(e: Entry, story_id: str, lang: str | None, text_chars: int = 240,
             named: dict[tuple[str, int], int] | None = None) -> TimelineEntry:
    rep, _ = representative(e, lang, named) if lang else (None, False)
    text = one_line(rep["sentence"], text_chars) if rep else e["text"]
    text_lang = rep.get("lang") if rep else _lang_of_text(e)
    sources = sorted(e["sources"], key=lambda s: (s["article_id"], s["sentence_index"]))
    return TimelineEntry(
        id=e["id"], story_id=story_id, date=e["date"], precision=e["precision"], text=text,
        sources=[SourceRef(article_id=s["article_id"], sentence=s["sentence"], lang=s["lang"],
                           sentence_index=s["sentence_index"], start=s["start"], end=s["end"]) for s in sources],
        entities=e["entities"], inferred=bool(e["inferred"]), lang=text_lang, salience=salience(e),
        translation=(e.get("translations") or {}).get(base_lang(lang))
        if lang and base_lang(text_lang) != base_lang(lang) else None)


def _lang_of_text(e: Entry) -> str | None:
    for s in e["sources"]:
        if _flat(s["sentence"]).startswith(e["text"].rstrip("…")[:40]):
            return s.get("lang")
    return None


def _sort_key(t: TimelineEntry) -> tuple:
    start, end = period_bounds(t.date)
    return (start.toordinal(), end.toordinal(), t.id)


def story_timeline(store, story_id: str, lang: str | None = None, entry_ids: Sequence[str] | None = None,
                   entity: str | None = None, top: int | None = None) -> list[TimelineEntry]:
    """A story's timeline in date order. `lang`: each entry's text from a source in that language where
    it has one (entries are never dropped); `entity`: only entries naming it (name or part of one,
    accents and case ignored); `top`: only the `top` most salient entries (still in date order)."""
    rows = store.timeline_entry_rows(story_id, with_vectors=bool(lang), entry_ids=entry_ids)
    if entity:
        rows = [e for e in rows if names_entity(e, entity)]
    if top is not None:
        rows = sorted(rows, key=lambda e: (-salience(e), e["day_start"], e["id"]))[:top]
    named = sentences_named(rows) if lang else None
    if lang and hasattr(store, "entry_translations"):
        stored = store.entry_translations([e["id"] for e in rows], base_lang(lang))
        for e in rows:
            if e["id"] in stored:
                e["translations"] = {base_lang(lang): stored[e["id"]]["text"]}
    out = [to_entry(e, story_id, lang, named=named) for e in rows]
    out.sort(key=_sort_key)
    return out


def fold(text: str) -> str:
    """Lower case without accents, so "Guaido" finds "Guaidó"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def names_entity(entry: Entry, name: str) -> bool:
    """Whether an entry is about `name`: one of its entities, or a source sentence, names it."""
    key = fold(name).strip()
    if not key:
        return False
    if any(key in fold(e) for e in entry.get("entities") or []):
        return True
    pat = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")
    return any(pat.search(fold(s["sentence"])) or any(key in fold(x) for x in s.get("entities") or [])
               for s in entry["sources"])


def entity_timeline(store, name: str, story_ids: Iterable[str] | None = None, lang: str | None = None,
                    quotes: bool = True) -> list[TimelineEntry]:
    """What one person or organisation did and said, in date order, across stories (or `story_ids`):
    the timeline entries that name it, plus its dated quotes (each quote an entry of its article's
    publication day, citing the quote's sentence)."""
    ids = list(story_ids) if story_ids is not None else list(store.timeline_story_ids())
    out: list[TimelineEntry] = []
    for sid in ids:
        out.extend(story_timeline(store, sid, lang=lang, entity=name))
    if quotes and hasattr(store, "list_quotes"):
        out.extend(_quote_entries(store, name, ids if story_ids is not None else None))
    out.sort(key=_sort_key)
    return out


def _quote_entries(store, name: str, story_ids: list[str] | None) -> list[TimelineEntry]:
    try:
        found = store.list_quotes(speaker=name)
    except Exception:  # noqa: BLE001 - an older store without the quotes stage: statements still show
        return []
    allowed = None
    if story_ids is not None:
        allowed = {a for sid in story_ids for a in store.story_article_ids(sid)}
    out = []
    for q in found:
        if allowed is not None and q.article_id not in allowed:
            continue
        date, precision = q.date, q.date_precision or "day"
        if date and "T" in date:  # a quote timed to the minute sits on its day
            date, precision = date[:10], "day"
        art = None
        if not date:
            art = store.get_article(q.article_id)
            if art is None or not art.published:
                continue  # an undated quote has no place on a timeline
            date, precision = art.published[:10], "day"
        story = store.timeline_story_of(q.article_id)
        lang = q.lang or (art.lang if art is not None else None)
        out.append(TimelineEntry(
            id=q.id, story_id=story[0] if story else "", date=date, precision=precision,
            text=f"{q.speaker or q.speaker_description or name}: «{q.text}»",
            sources=[SourceRef(article_id=q.article_id, sentence=q.text, lang=lang, start=q.start, end=q.end)],
            lang=lang, salience=1, kind="quote"))
    return out
