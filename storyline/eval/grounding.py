"""`storyline eval grounding`: how well the bullet-support check keeps supported bullets and rejects others.

Gold is JSONL of our own pairs: `{lang, cited: [sentences], bullet, supported: bool, kind}`. Reports,
at the configured threshold and over a sweep, the share of supported bullets kept and of unsupported
ones rejected, so the `[summaries] min_support_similarity` threshold is chosen on figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyline.explain.summaries.grounding import lexical_problem, similarity


class GoldError(Exception):
    pass


def load_pairs(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise GoldError(f"{path}: gold file not found")
    pairs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            pairs.append({"lang": obj.get("lang"), "cited": list(obj["cited"]), "bullet": str(obj["bullet"]),
                          "supported": bool(obj["supported"]), "kind": obj.get("kind", "")})
        except (ValueError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}:{n}: not a grounding pair ({exc})") from None
    if not pairs:
        raise GoldError(f"{path}: no pairs")
    return pairs


def _shares(rows: list[dict[str, Any]], threshold: float) -> dict[str, float]:
    pos = [r for r in rows if r["supported"]]
    neg = [r for r in rows if not r["supported"]]

    def ok(r: dict[str, Any]) -> bool:
        return r["lexical"] is None and r["similarity"] >= threshold

    return {"threshold": threshold,
            "supported_kept": sum(ok(r) for r in pos) / len(pos) if pos else 0.0,
            "unsupported_rejected": sum(not ok(r) for r in neg) / len(neg) if neg else 0.0}


def evaluate(pairs: list[dict[str, Any]], embedder, threshold: float) -> dict[str, Any]:
    rows = []
    for p in pairs:
        rows.append(p | {"lexical": lexical_problem(p["bullet"], p["cited"], lang=p["lang"]),
                         "similarity": round(similarity(embedder, p["bullet"], p["cited"]), 4)})
    sweep = [_shares(rows, t / 100) for t in range(60, 96, 2)]
    at = _shares(rows, threshold)
    missed = [{"bullet": r["bullet"], "lang": r["lang"], "kind": r["kind"], "similarity": r["similarity"],
               "lexical": r["lexical"]} for r in rows
              if (r["lexical"] is None and r["similarity"] >= threshold) != r["supported"]]
    langs = sorted({r["lang"] for r in rows})
    return {"pairs": len(rows), "supported": sum(r["supported"] for r in rows), "languages": langs,
            "embedder": getattr(embedder, "name", "?"), "at_threshold": at,
            "lexical_only": _shares(rows, -1.0), "sweep": sweep, "errors": missed}
