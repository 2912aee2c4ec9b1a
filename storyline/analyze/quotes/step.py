"""Pipeline step: extract the quotes of newly stored articles and store them with canonical speakers.

Reads the mentions the entities step stored, so a speaker named "Pompeo" in the text is stored as the
canonical entity ("Mike Pompeo", its `n-` id). An article that fails is reported and skipped; the
quotes already stored for it stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from storyline.analyze.limits import capped, max_chars
from storyline.analyze.quotes.extract import extract_quotes
from storyline.analyze.quotes.settings import QuoteSettings
from storyline.analyze.sentences import split_sentences
from storyline.model import Mention


def _mentions(store, article_id: str) -> list[Mention]:
    getter = getattr(store, "mentions", None)
    if getter is None:
        return []
    try:
        return list(getter(article_id))
    except Exception:  # the entities tables may be missing in a partial pipeline
        return []


def _canonical_names(store, mentions: list[Mention], seen: dict[str, str | None] | None = None) -> dict[str, str]:
    """entity id -> canonical name; `seen` carries the lookups across the articles of one run (the
    same people recur; this step does not change entities)."""
    seen = {} if seen is None else seen
    names: dict[str, str] = {}
    for eid in {m.entity_id for m in mentions if m.entity_id}:
        if eid not in seen:
            ent = store.get_entity(eid)
            seen[eid] = ent.name if ent is not None else None
        if seen[eid] is not None:
            names[eid] = seen[eid]
    return names


def run(store, article_ids: Sequence[str], config,
        progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    settings = config.section("quotes", QuoteSettings)
    total, stored, failures, skipped = len(article_ids), 0, [], 0
    cap = max_chars(config)
    seen: dict[str, str | None] = {}
    for i, aid in enumerate(article_ids, start=1):
        article = store.get_article(aid)
        if article is None:
            failures.append({"article_id": aid, "reason": "article not found"})
        elif article.duplicate_of:
            skipped += 1
        else:
            try:
                article = capped(article, cap)
                mentions = _mentions(store, aid)
                quotes = extract_quotes(article, split_sentences(article), mentions,
                                        _canonical_names(store, mentions, seen), settings)
                stored += store.save_quotes(aid, quotes)
            except Exception as exc:  # one bad article must not stop the pipeline
                failures.append({"article_id": aid, "reason": f"{type(exc).__name__}: {exc}"})
        if progress is not None:
            progress("quotes", i, total)
    return {"articles": total - skipped - len(failures), "quotes": stored, "skipped_duplicates": skipped,
            "failures": failures}
