"""Labels of events and stories: a short title, date span, languages, source count, top entities.

An event is titled by its most central headline (the member most similar to the others: a real
sentence a journalist wrote, in its own language). A story is titled by its key entities/names,
ranked by how often they occur in the story times how rare they are in the whole store (idf), so a
story about "Venezuela · Maduro · Guaidó" is not titled by words every story shares, followed by what
it is about: the heaviest terms of the story's profile in its main language (idf-weighted, names left
out), written as its headlines write them ("Maduro · Guaidó · Venezuela: election, sanctions"). Never a
fragment of one article's first sentence; a story with neither entities nor terms falls back on its
most central headline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from storyline.link.cluster import Clusterer
from storyline.link.similarity import ENTITIES, NAMES, prepared_score
from storyline.model import Event, Story

CENTRAL_SAMPLE = 12  # members compared when looking for the most central headline
TOP_ENTITIES = 5
TOPIC_TERMS = 2  # "what it is about" words in a story title
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def _entity_name(store, entity_id: str, cache: dict[str, str]) -> str:
    if entity_id not in cache:
        name = entity_id
        try:
            ent = store.get_entity(entity_id)
            name = ent.name if ent is not None else entity_id
        except AttributeError:  # entities stage not installed
            pass
        cache[entity_id] = name
    return cache[entity_id]


def key_entities(store, clusterer: Clusterer, members: list[str], meta: dict[str, dict[str, Any]],
                 names_cache: dict[str, str], k: int = TOP_ENTITIES) -> list[str]:
    """Top entity names of a set of articles: canonical entities if any, else capitalised names."""
    counts: Counter[str] = Counter()
    use_entities = any(meta.get(a, {}).get("entities") for a in members)
    display: dict[str, Counter[str]] = {}
    for a in members:
        m = meta.get(a, {})
        if use_entities:
            counts.update(m.get("entities", []))
        else:
            counts.update(n for n in m.get("names", {}) if not n.startswith("#"))  # not numbers
            for norm, surface in m.get("display", {}).items():
                display.setdefault(norm, Counter())[surface] += 1
    space = ENTITIES if use_entities else NAMES
    ranked = sorted(counts, key=lambda t: (-counts[t] * clusterer.df.idf(space, t), t))
    out = []
    for t in ranked[:k]:
        if use_entities:
            out.append(_entity_name(store, t, names_cache))
        else:
            out.append(display[t].most_common(1)[0][0] if t in display else t.title())
    return out


def central_title(clusterer: Clusterer, members: list[str], meta: dict[str, dict[str, Any]]) -> str:
    prep = clusterer.prepared
    sample = [a for a in members if a in prep][-CENTRAL_SAMPLE:]
    if not sample:
        return ""
    if len(sample) > 1:
        def centrality(a: str) -> float:
            return sum(prepared_score(prep[a], prep[b], clusterer.s).score for b in sample if b != a)
        best = max(sample, key=centrality)
    else:
        best = sample[0]
    return (meta.get(best, {}).get("title") or "").strip()


def topic_terms(clusterer: Clusterer, story_id: str, meta: dict[str, dict[str, Any]], exclude: Iterable[str],
                k: int = TOPIC_TERMS) -> list[str]:
    """The story's heaviest profile terms in its main language, as its headlines spell them."""
    from storyline.link.features import _lemma, _lemma_lang, normalise

    st = clusterer.stories[story_id]
    langs = Counter(m.get("lang") or "" for m in meta.values())
    lang = next((x for x, _ in langs.most_common() if x in st.profile.terms), None)
    if lang is None:
        return []
    banned = {normalise(x)[:5] for e in exclude for x in e.split() if len(x) >= 4}  # "venezuelan" too
    ranked = [t for t, _ in sorted(st.profile.terms[lang].items(), key=lambda kv: -kv[1])
              if len(t) >= 4 and t[:5] not in banned][:12]
    lemma_lang = _lemma_lang(lang)
    surfaces: dict[str, Counter[str]] = {}
    for m in meta.values():  # headline spellings of each term ("sanksjoner" for "sanksjon")
        for tok in _TOKEN.findall(m.get("title") or ""):
            low = tok.lower()
            norm = normalise(_lemma(low, lemma_lang) if lemma_lang else low)
            surfaces.setdefault(norm, Counter())[low] += 1
    return list(dict.fromkeys(surfaces[t].most_common(1)[0][0] for t in ranked if t in surfaces))[:k]


def story_title(entities: list[str], terms: list[str], fallback: str) -> str:
    """Key entities, then what the story is about; the central headline only when both are missing."""
    head = " · ".join(entities[:3])
    if head and terms:
        return f"{head}: {', '.join(terms)}"
    return head or (", ".join(terms).capitalize() if terms else fallback)


def _span(members: Iterable[str], meta: dict[str, dict[str, Any]]) -> tuple[str | None, str | None]:
    dates = sorted(m["published"] for a in members if (m := meta.get(a)) and m.get("published"))
    return (dates[0], dates[-1]) if dates else (None, None)


def relabel(store, clusterer: Clusterer, event_ids: Iterable[str]) -> None:
    """Recompute and store the labels of the given events and of their stories."""
    names_cache: dict[str, str] = {}
    story_ids = set()
    for eid in event_ids:
        ev = clusterer.events[eid]
        meta = store.cluster_article_meta(ev.members)
        start, end = _span(ev.members, meta)
        store.upsert_event(Event(
            id=eid, story_id=ev.story_id, title=central_title(clusterer, ev.members, meta),
            article_ids=list(ev.members), languages=sorted({m["lang"] for m in meta.values() if m.get("lang")}),
            start=start, end=end, top_entities=key_entities(store, clusterer, ev.members, meta, names_cache),
            sources=len({m.get("source") for m in meta.values()})))
        story_ids.add(ev.story_id)
    for sid in story_ids:
        st = clusterer.stories[sid]
        members = [a for e in st.events for a in clusterer.events[e].members]
        meta = store.cluster_article_meta(members)
        start, end = _span(members, meta)
        top = key_entities(store, clusterer, members, meta, names_cache)
        terms = topic_terms(clusterer, sid, meta, top)
        title = story_title(top, terms, "" if (top or terms) else central_title(clusterer, members, meta))
        store.upsert_story(Story(id=sid, title=title, article_ids=members, event_ids=list(st.events),
                                 languages=sorted({m["lang"] for m in meta.values() if m.get("lang")}),
                                 start=start, end=end, top_entities=top),
                          sources=len({m.get("source") for m in meta.values()}))
