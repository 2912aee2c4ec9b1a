"""Search quality against gold queries: MRR@10 and recall@10, per retrieval mode.

Gold is JSONL, one query a line: `{"query": ..., "lang": ..., "relevant": [...]}` where relevant
items are article ids (`ids`) or references (`refs`: a suffix of Article.source such as a seed's
file name, so gold survives re-ingesting into a new database). Hybrid, BM25-only and dense-only
figures are printed side by side so the fusion choice stays measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.eval.gold import iter_jsonl
from storyline.search import search

MODES = ("hybrid", "bm25", "dense")


class GoldError(ValueError):
    pass


@dataclass
class GoldQuery:
    query: str
    lang: str | None
    ids: list[str]
    unresolved: list[str] = field(default_factory=list)


def load_gold(path: str | Path, store: Any) -> list[GoldQuery]:
    """Read gold queries and resolve refs to article ids of `store`; errors name file and line."""
    p = Path(path)
    if not p.exists():
        raise GoldError(f"{p}: gold file not found")
    sources = {}
    for a in store.iter_articles(include_duplicates=True):
        sources[a.id] = (a.source or "", a.duplicate_of)
    out = []
    for where, row in iter_jsonl(p, GoldError):
        if not str(row.get("query", "")).strip():
            raise GoldError(f"{where}: needs a non-empty \"query\"")
        wanted = [*row.get("relevant", []), *row.get("ids", []), *row.get("refs", [])]
        if not wanted:
            raise GoldError(f"{where}: needs \"relevant\", \"ids\" or \"refs\"")
        ids, unresolved = [], []
        for w in wanted:
            w = str(w)
            if w in sources:
                hit = w
            else:
                hit = next((aid for aid, (src, _d) in sources.items()
                            if src == w or src.endswith("/" + w) or src.endswith(w)), None)
            if hit is None:
                unresolved.append(w)
                continue
            canonical = sources[hit][1] or hit
            if canonical not in ids:
                ids.append(canonical)
        out.append(GoldQuery(str(row["query"]), row.get("lang"), ids, unresolved))
    return out


def evaluate(store: Any, gold: list[GoldQuery], *, k: int = 10, modes: tuple[str, ...] = MODES,
             config: Any = None) -> dict[str, Any]:
    """MRR@k and recall@k for each mode over queries whose relevant articles are in the store."""
    usable = [g for g in gold if g.ids]
    results: dict[str, Any] = {"queries": len(gold), "evaluated": len(usable), "k": k, "modes": {},
                               "unresolved": sorted({u for g in gold for u in g.unresolved})}
    for mode in modes:
        rr, rec, per = 0.0, 0.0, []
        for g in usable:
            ranked = [h.article_id for h in search(store, g.query, limit=k, mode=mode, config=config)]
            first = next((i for i, aid in enumerate(ranked) if aid in g.ids), None)
            r = 1.0 / (first + 1) if first is not None else 0.0
            found = len(set(ranked) & set(g.ids)) / len(g.ids)
            rr += r
            rec += found
            per.append({"query": g.query, "lang": g.lang, "rr": round(r, 3), "recall": round(found, 3)})
        n = max(len(usable), 1)
        results["modes"][mode] = {"mrr": round(rr / n, 4), "recall": round(rec / n, 4), "per_query": per}
    return results
