"""`storyline recluster`: replay the clustering over the whole store in date order.

`storyline recluster --stories` instead runs one consolidation pass over every story in place (no
replay: events stay, only their stories change): merges stories that grew together, splits stories
that drifted apart, and records each in the story history with its evidence (see
`Clusterer.consolidate`). The larger story keeps its id.

Used after a model or threshold change. Runs in one transaction (a failure leaves the old clusters in
place), keeps cached embeddings, and reports what moved: articles that changed event, and new events
or stories that merge several old ones or take part of a split old one; those merges and splits are
recorded in the history with their time and reason.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from storyline.link import step


def _groups(assign: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for aid, cid in assign.items():
        out[cid].add(aid)
    return out


def diff(old: dict[str, str], new: dict[str, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(merges, splits) between two article -> cluster maps."""
    old_g, new_g = _groups(old), _groups(new)
    merges = []
    for cid, members in new_g.items():
        sources = sorted({old[a] for a in members if a in old})
        if len(sources) > 1:
            merges.append({"id": cid, "from": sources})
    splits = []
    for cid, members in old_g.items():
        targets = sorted({new[a] for a in members if a in new})
        if len(targets) > 1:
            splits.append({"id": cid, "into": targets})
    return merges, splits


def recluster(store, config, progress: step.Progress = None) -> dict[str, Any]:
    old = store.cluster_assignments()
    ids = store.article_ids()
    reason = "recluster over the store in date order"
    with store.transaction():
        store.clear_clusters()
        step.forget_clusterer(store)
        try:
            run_report = step.run(store, ids, config, progress=progress)
        except BaseException:
            step.forget_clusterer(store)
            raise
        new = store.cluster_assignments()
        report: dict[str, Any] = {"articles": run_report["articles"], "missing": run_report["missing"]}
        report["moved"] = [{"article_id": a, "from_event": old[a][0], "to_event": new[a][0]}
                           for a in new if a in old and old[a][0] != new[a][0]]
        merged, split = [], []
        for level, i in (("event", 0), ("story", 1)):
            merges, splits = diff({a: v[i] for a, v in old.items()}, {a: v[i] for a, v in new.items()})
            for m in merges:
                store.record_history(m["id"], "merged", reason, level=level, merged_from=m["from"])
            for s in splits:
                for target in s["into"]:
                    store.record_history(target, "split", reason, level=level, split_from=s["id"],
                                         parts=s["into"])
            merged += [{"level": level, **m} for m in merges]
            split += [{"level": level, **s} for s in splits]
        report["merged"], report["split"] = merged, split
        report["events"] = len({v[0] for v in new.values()})
        report["stories"] = len({v[1] for v in new.values()})
    return report


def consolidate_stories(store, config) -> dict[str, Any]:
    """One consolidation pass over all stories of the store (see module docstring)."""
    from storyline.analyze.embeddings import get_embedder
    from storyline.link.labels import relabel
    from storyline.link.settings import ClusterSettings

    settings = config.section("cluster", ClusterSettings)
    clusterer = step.load_clusterer(store, settings, get_embedder(config).name)
    before = len(clusterer.stories)
    try:
        done = clusterer.consolidate(set(clusterer.stories))
        clusterer.consolidations = []
        with store.transaction():
            step.record_consolidations(store, done, "recluster --stories")
            touched = {e for c in done for sid in (c.kept, c.other) if sid in clusterer.stories
                       for e in clusterer.stories[sid].events}
            relabel(store, clusterer, touched)
            store.delete_empty_clusters()
    except BaseException:
        step.forget_clusterer(store)
        raise
    return {"stories_before": before, "stories": len(clusterer.stories),
            "merged": [{"kept": c.kept, "merged": c.other, "probability": round(c.probability, 4),
                        "articles": c.articles, **c.evidence} for c in done if c.action == "merged"],
            "split": [{"kept": c.kept, "split_off": c.other, "probability": round(c.probability, 4),
                       "articles": c.articles, **c.evidence} for c in done if c.action == "split"]}
