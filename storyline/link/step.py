"""Pipeline step `cluster`: place newly stored articles into events and stories.

`run(store, article_ids, config, progress=None)` embeds what is not cached, then assigns the articles
one by one in date order (undated last), writes assignments, labels and history, and returns a report.
The entities stage is optional at this boundary: without `entity_ids_for_article` (or with nothing
stored) the clusterer falls back on capitalised names, with lower quality.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.analyze import vectors
from storyline.analyze.background import background_for
from storyline.analyze.embeddings import get_embedder
from storyline.analyze.limits import capped, max_chars
from storyline.link.cluster import Clusterer
from storyline.link.features import ArticleFeatures, base_lang, extract, lead
from storyline.link.index import VectorIndex
from storyline.link.labels import relabel
from storyline.link.settings import ClusterSettings
from storyline.model import Article

Progress = Callable[[str, int, int], None] | None


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def centre(raw: np.ndarray, model: str, lang: str | None) -> np.ndarray:
    """Subtract the language's background mean (see `background`) and re-normalise."""
    bg = background_for(model, lang)
    v = np.asarray(raw, dtype=np.float32) - (bg if bg is not None and bg.shape == raw.shape else 0.0)
    n = float(np.linalg.norm(v))
    return v / n if n else v


def entity_ids(store, article_id: str) -> frozenset[str]:
    try:
        return frozenset(store.entity_ids_for_article(article_id) or ())
    except AttributeError:  # the entities stage is not installed in this store
        return frozenset()


def embed_articles(store, articles: Sequence[Article], settings: ClusterSettings, embedder,
                   progress: Progress = None) -> dict[str, np.ndarray]:
    """Raw embeddings of each article's lead, from the cache where the lead text is unchanged."""
    texts = {a.id: lead(a, settings.embed_words) for a in articles}
    hashes = {aid: text_hash(t) for aid, t in texts.items()}
    cached = store.get_embeddings(list(texts), embedder.name)
    out = {aid: vec for aid, (h, vec) in cached.items() if hashes.get(aid) == h}
    missing = [aid for aid in texts if aid not in out]
    batch = 64  # across articles; texts already in the process's vector cache cost nothing
    for i in range(0, len(missing), batch):
        chunk = missing[i:i + batch]
        vecs = vectors.embed_passages(embedder, [texts[a] for a in chunk])
        store.put_embeddings(embedder.name, [(a, hashes[a], v) for a, v in zip(chunk, vecs, strict=True)])
        out.update(zip(chunk, vecs, strict=True))
        if progress:
            progress("embed", min(i + batch, len(missing)), len(missing))
    return out


def feature_data(f: ArticleFeatures) -> dict[str, Any]:
    return {"terms": f.terms, "names": f.names, "entities": sorted(f.entities), "day": f.day,
            "display": f.display}


def display_title(article: Article) -> str:
    if article.title:
        return article.title.strip()
    first = article.text.strip().split("\n", 1)[0]
    return first if len(first) <= 110 else first[:107].rsplit(" ", 1)[0] + "…"


def source_of(article: Article) -> str:
    """The outlet: site name, else the URL's domain, else the file name (never a local path)."""
    from storyline.ingest.outlets import outlet_label

    return outlet_label(article)


def load_clusterer(store, settings: ClusterSettings, model: str) -> Clusterer:
    """The clusterer state for this store, rebuilt once per process from stored features + embeddings."""
    key = (tuple(sorted(vars(settings).items())), model)
    cached = store.memo_get("clusterer")
    if cached is not None and cached[0] == key and cached[2] == store.cluster_state_version():
        return cached[1]  # (another process clustering since then makes it stale: rebuilt)
    clusterer = Clusterer(settings)
    assigned = store.cluster_assignments()
    rows = store.cluster_features()
    vecs = store.get_embeddings([r[0] for r in rows], model)
    items: list[tuple[ArticleFeatures, str, str]] = []
    for aid, lang, _published, data in rows:
        if aid not in assigned:
            continue
        raw = vecs.get(aid)
        f = ArticleFeatures(article_id=aid, lang=lang, day=data.get("day"), terms=data.get("terms", {}),
                            names=data.get("names", {}), entities=frozenset(data.get("entities", ())),
                            display=data.get("display", {}),
                            vec=centre(raw[1], model, lang) if raw is not None else None)
        items.append((f, *assigned[aid]))
    with_vec = [f for f, _, _ in items if f.vec is not None]
    path = ann_path(store)
    vindex = None
    if path is not None and with_vec:
        vindex = VectorIndex.load(path, int(with_vec[0].vec.shape[0]),
                                  ann_fingerprint(model, [f.article_id for f in with_vec]))
    clusterer.restore_many(items, vindex)
    if vindex is None:
        save_ann(store, clusterer, model)
    store.memo_set("clusterer", (key, clusterer, store.cluster_state_version()))
    return clusterer


def ann_path(store) -> Path | None:
    """Where the ANN index of a file store is kept (None for in-memory and server stores: rebuilt)."""
    return store.sidecar_path(".cluster-ann.usearch")


def ann_fingerprint(model: str, article_ids: list[str]) -> str:
    h = hashlib.sha1(model.encode("utf-8"))
    for aid in article_ids:
        h.update(b"\0" + aid.encode("utf-8"))
    return h.hexdigest()


def save_ann(store, clusterer: Clusterer, model: str) -> None:
    """Persist the ANN index (best effort: a failure only costs a rebuild next time)."""
    path = ann_path(store)
    if path is None or clusterer.vindex is None:
        return
    with contextlib.suppress(OSError, RuntimeError):
        clusterer.vindex.save(path, ann_fingerprint(model, clusterer.vindex.ids))


def forget_clusterer(store) -> None:
    store.memo_set("clusterer", None)


def _date_key(a: Article) -> tuple[int, str]:
    return (0, a.published) if a.published else (1, "")


def run(store, article_ids: Sequence[str], config, progress: Progress = None) -> dict[str, Any]:
    settings = config.section("cluster", ClusterSettings)
    already = store.cluster_assignments()
    cap = max_chars(config)
    articles: list[Article] = []
    missing: list[str] = []
    for aid in dict.fromkeys(article_ids):
        if aid in already:
            continue
        art = store.get_article(aid)
        if art is None:
            missing.append(aid)
        elif not getattr(art, "duplicate_of", None):
            articles.append(capped(art, cap))
    articles.sort(key=_date_key)  # stable: ties keep the caller's (ingest) order
    report: dict[str, Any] = {"articles": 0, "new_events": 0, "new_stories": 0, "joined_events": 0,
                              "skipped": len(already.keys() & set(article_ids)), "missing": missing,
                              "entities": False}
    if not articles:
        return report
    embedder = get_embedder(config)
    raw = embed_articles(store, articles, settings, embedder, progress)
    clusterer = load_clusterer(store, settings, embedder.name)
    touched_events: set[str] = set()
    rows = []
    assignments = []
    try:
        for i, art in enumerate(articles, start=1):
            ents = entity_ids(store, art.id)
            report["entities"] = report["entities"] or bool(ents)
            f = extract(art, settings, entities=ents, vec=centre(raw[art.id], embedder.name, base_lang(art.lang)))
            a = clusterer.assign(f)
            assignments.append(a)
            rows.append((art.id, f.lang, art.published, source_of(art), display_title(art), feature_data(f)))
            touched_events.add(a.event_id)
            for _drop, keep, _score in a.merges:  # every event of the kept story may have moved
                touched_events.update(clusterer.stories[keep].events if keep in clusterer.stories else ())
            if progress:
                progress("cluster", i, len(articles))
        if clusterer.model is not None and settings.consolidate_every:
            clusterer.consolidate()  # the stories this run touched, once more at its end
        consolidations, clusterer.consolidations = clusterer.consolidations, []
        for c in consolidations:  # every event of both stories may have moved
            for sid in (c.kept, c.other):
                touched_events.update(clusterer.stories[sid].events if sid in clusterer.stories else ())
        with store.transaction():
            store.save_cluster_features(rows)
            for a in assignments:
                store.save_assignment(a.article_id, a.event_id, round(a.event_score, 4))
                if a.new_story:
                    store.record_history(a.story_id, "created", "no stored story was close enough",
                                         article_id=a.article_id, best_score=round(a.story_score or 0.0, 4))
                if a.new_event:
                    store.record_history(a.event_id, "created", "no stored event was close enough",
                                         article_id=a.article_id, story_id=a.story_id,
                                         best_score=round(a.event_score, 4))
                for drop, keep, score in a.merges:
                    reason = "online merge: an event of one story grew close to the other"
                    store.record_history(keep, "merged", reason, level="story", merged_from=[drop],
                                         article_id=a.article_id, score=round(score, 4))
                    store.record_history(drop, "merged_into", reason, level="story", into=keep,
                                         article_id=a.article_id, score=round(score, 4))
            record_consolidations(store, consolidations, "automatic consolidation pass")
            touched_events &= clusterer.events.keys()
            relabel(store, clusterer, touched_events)
            if any(a.merges for a in assignments) or consolidations:
                store.delete_empty_clusters()
        cached = store.memo_get("clusterer")
        if cached is not None:  # our own writes keep the in-memory state current
            store.memo_set("clusterer", (cached[0], cached[1], store.cluster_state_version()))
        save_ann(store, clusterer, embedder.name)
    except BaseException:
        forget_clusterer(store)  # the in-memory state ran ahead of the rolled-back store
        raise
    report["articles"] = len(articles)
    report["new_events"] = sum(a.new_event for a in assignments)
    report["new_stories"] = sum(a.new_story for a in assignments)
    report["joined_events"] = sum(not a.new_event for a in assignments)
    report["merged_stories"] = sum(len(a.merges) for a in assignments) + sum(
        c.action == "merged" for c in consolidations)
    report["split_stories"] = sum(c.action == "split" for c in consolidations)
    return report


def record_consolidations(store, consolidations, reason: str) -> None:
    """Write each consolidation merge/split into the story history, with its evidence."""
    for c in consolidations:
        detail = {"level": "story", "probability": round(c.probability, 4), "articles": c.articles, **c.evidence}
        if c.action == "merged":
            store.record_history(c.kept, "merged", f"{reason}: the stories grew together", merged_from=[c.other],
                                 **detail)
            store.record_history(c.other, "merged_into", f"{reason}: the stories grew together", into=c.kept,
                                 **detail)
        else:
            store.record_history(c.kept, "split", f"{reason}: part of the story drifted apart", parts=[c.other],
                                 **detail)
            store.record_history(c.other, "created", f"{reason}: split from {c.kept}", split_from=c.kept, **detail)
