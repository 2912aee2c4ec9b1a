"""`storyline eval entities`: does resolution put every alias of a gold entity into one predicted
entity, and keep distinct gold entities apart?

Gold is JSONL: `{"name", "type", "aliases": [...], "refs": [...]}` per entity, where a ref is a file
name, `file#line` (JSONL line) or `file#link` (RSS item) matched as a suffix of `Article.source`, and
`{"distinct": [A, B]}` pairs. Each (gold entity, alias) item is resolved to the predicted entity that
most of the alias's mentions in the entity's own refs belong to (an alias written nowhere there is
"missed"; one written in none of the refs is left out of the scores and listed). Pairwise clustering scores over those items, as in coreference / entity-linking evaluation:
- recall: pairs of aliases of one gold entity that share a predicted entity (a missing alias fails
  every pair it is in), over all such pairs;
- precision: of the item pairs sharing a predicted entity, those that are aliases of one gold entity;
- distinct: gold pairs (A, B) whose main predicted entities differ;
- type accuracy: gold entities whose main predicted entity has the gold type.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.eval.gold import iter_jsonl


class EntityGoldError(ValueError):
    """The gold file is missing, unreadable or malformed; the message names the file and line."""


def read_gold(path: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    if not path.is_file():
        raise EntityGoldError(f"{path}: gold file not found")
    entities: list[dict[str, Any]] = []
    distinct: list[tuple[str, str]] = []
    for where, row in iter_jsonl(path, EntityGoldError):
        if "distinct" in row:
            pair = row["distinct"]
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                raise EntityGoldError(f"{where}: 'distinct' must be a list of two entity names")
            distinct.append((pair[0], pair[1]))
            continue
        bad = [k for k in ("name", "type", "aliases", "refs") if not row.get(k)]
        if bad:
            raise EntityGoldError(f"{where}: missing {', '.join(bad)}")
        if not isinstance(row["aliases"], list) or not isinstance(row["refs"], list):
            raise EntityGoldError(f"{where}: 'aliases' and 'refs' must be lists")
        entities.append(row)
    if not entities:
        raise EntityGoldError(f"{path}: no gold entities")
    names = {e["name"] for e in entities}
    for a, b in distinct:
        for x in (a, b):
            if x not in names:
                raise EntityGoldError(f"{path}: distinct pair names {x!r}, which is no gold entity")
    return entities, distinct


def _articles_for_refs(store, refs: list[str]) -> list[str]:
    sources = [(a.id, a.source or "") for a in store.iter_articles(include_duplicates=True)]
    out = []
    for ref in refs:
        out.extend(aid for aid, src in sources if src.endswith(ref) or src.endswith("/" + ref))
    return list(dict.fromkeys(out))


def _alias_votes(alias: str, texts: dict[str, str], mentions: dict[str, list]) -> Counter[str]:
    """Entities of the first mention overlapping each whole-word occurrence of the alias in the texts
    ("Pompeo" inside the mention "Mike Pompeo" counts for that mention's entity; an occurrence no mention
    overlaps counts for none, a miss)."""
    pattern = re.compile(r"(?<!\w)" + re.escape(alias) + r"(?!\w)")
    votes: Counter[str] = Counter()
    for aid, text in texts.items():
        for occ in pattern.finditer(text):
            votes[""] += 0  # the alias occurs: a zero entry tells "not recognised" from "not in the texts"
            for m in mentions[aid]:
                if m.entity_id and m.start < occ.end() and occ.start() < m.end:
                    votes[m.entity_id] += 1
                    break
    return votes


def score(store, entities: list[dict[str, Any]], distinct: list[tuple[str, str]]) -> dict[str, Any]:
    """Pairwise alias-clustering precision/recall, distinct-pair accuracy and type accuracy."""
    items: list[tuple[int, str, str | None]] = []  # (gold index, alias, predicted entity id or None)
    per_entity = []
    main: dict[str, str | None] = {}
    type_ok = 0
    unmatched_refs: list[str] = []
    not_in_refs: list[str] = []
    for gi, gold in enumerate(entities):
        arts = _articles_for_refs(store, gold["refs"])
        if len(arts) < len(gold["refs"]):
            unmatched_refs.extend(r for r in gold["refs"] if not _articles_for_refs(store, [r]))
        texts = {aid: art.text for aid in arts if (art := store.get_article(aid)) is not None}
        mentions = {aid: store.mentions(aid) for aid in texts}
        votes_all: Counter[str] = Counter()
        detail = {"name": gold["name"], "type": gold["type"], "aliases": {}}
        for alias in gold["aliases"]:
            votes = _alias_votes(alias, texts, mentions)
            if not votes:  # written in none of the entity's refs: the gold cannot be judged on it
                not_in_refs.append(f"{gold['name']}: {alias}")
                continue
            votes.pop("", None)
            eid = votes.most_common(1)[0][0] if votes else None
            votes_all.update(votes)
            items.append((gi, alias, eid))
            row = store.entity_row(eid) if eid else None
            detail["aliases"][alias] = {"entity_id": eid, "entity": row["name"] if row else None}
        top = votes_all.most_common(1)[0][0] if votes_all else None
        main[gold["name"]] = top
        row = store.entity_row(top) if top else None
        detail["predicted"] = {"entity_id": top, "name": row["name"] if row else None,
                               "type": row["type"] if row else None}
        if row is not None and row["type"] == gold["type"]:
            type_ok += 1
        per_entity.append(detail)
    tp = fp = fn = 0
    for (ga, _, ea), (gb, _, eb) in combinations(items, 2):
        same_pred = ea is not None and ea == eb
        if ga == gb:
            tp += same_pred
            fn += not same_pred
        elif same_pred:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    pairs = []
    for a, b in distinct:
        ok = main.get(a) is not None and main.get(a) != main.get(b)
        pairs.append({"a": a, "b": b, "kept_apart": ok})
    found = sum(1 for _, _, e in items if e is not None)
    return {
        "entities": len(entities), "aliases": len(items), "aliases_found": found,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "pairs": {"true_merges": tp, "false_merges": fp, "missed_merges": fn},
        "distinct_kept_apart": round(sum(p["kept_apart"] for p in pairs) / len(pairs), 4) if pairs else None,
        "distinct": pairs, "type_accuracy": round(type_ok / len(entities), 4),
        "unmatched_refs": sorted(set(unmatched_refs)), "aliases_not_in_refs": not_in_refs,
        "per_entity": per_entity,
    }


def evaluate(gold_path: Path, *, db: Path | None = None, examples: Path | None = None, config=None,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Score an existing analysed store (`db`), or ingest `examples` into a fresh one and analyse it."""
    from storyline.config import Config
    from storyline.store import Store

    entities, distinct = read_gold(gold_path)
    config = config or Config({})
    if db is not None:
        if not db.is_file():
            raise EntityGoldError(f"{db}: database not found")
        store = Store(db)
        return score(store, entities, distinct)
    from storyline.analyze.entities.step import run
    from storyline.ingest import ingest

    if examples is None or not examples.is_dir():
        raise EntityGoldError(f"{examples}: example folder not found (pass --examples or --db)")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "eval-entities.db")
        report = ingest(store, [str(examples)], config=config)
        run(store, report.new, config, progress=progress)
        result = score(store, entities, distinct)
        store.close()
    return result
