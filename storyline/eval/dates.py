"""Date-expression quality against gold: expression precision/recall and normalisation accuracy.

Gold is either our JSONL (`{sentence, lang, published, expected: [{expression?, date, precision}]}`,
one sentence a line) or TimeBank TSV (`token  BIO-type  value`, sentences separated by blank lines,
documents opening with a `*!-DCTVALUE="…"-!*` line). From TimeBank only DATE expressions are scored;
values that are not calendar dates (PRESENT_REF, quarters, seasons, decades) count for finding the
expression but not for normalisation.

A predicted expression matches a gold one when their spans overlap (prepositions such as "den" or
"on the night of" are inside some gold spans and outside ours); a gold item without an expression
matches a prediction with the same date. Normalisation is correct when date and precision agree.
Two methods run side by side: our rules (`storyline.analyze.dates`) and `dateparser.search_dates`
(the baseline the rules must beat).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.analyze.dates import DateMatch, find_dates, precision_of
from storyline.eval.gold import iter_jsonl

METHODS = ("rules", "dateparser")


class GoldError(ValueError):
    pass


@dataclass
class Expected:
    date: str | None
    precision: str | None
    expression: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Item:
    sentence: str
    lang: str
    published: str | None
    expected: list[Expected] = field(default_factory=list)
    where: str = ""


def _canonical(date: str, precision: str | None) -> tuple[str, str | None]:
    """Gold may write a week as its Monday ("2022-08-08", precision week) and a weekend as its
    Saturday (precision weekend); we write ISO weeks ("2022-W32") and the Saturday as a day."""
    if precision == "week" and re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        y, w, _ = dt.date.fromisoformat(date).isocalendar()
        return f"{y:04d}-W{w:02d}", "week"
    if precision == "weekend":
        return date, "day"
    return date, precision


def load_jsonl(path: Path) -> list[Item]:
    items = []
    for where, d in iter_jsonl(path, GoldError):
        if not isinstance(d.get("sentence"), str) or not isinstance(d.get("expected"), list):
            raise GoldError(f"{where}: needs 'sentence' (text) and 'expected' (list)")
        exp = []
        for e in d["expected"]:
            if not isinstance(e, dict) or not e.get("date"):
                raise GoldError(f"{where}: each expected item needs a 'date'")
            date, prec = _canonical(e["date"], e.get("precision") or precision_of(e["date"]))
            expr = e.get("expression")
            start = end = None
            if expr:
                start = d["sentence"].find(expr)
                if start < 0:
                    raise GoldError(f"{where}: expression {expr!r} is not in the sentence")
                end = start + len(expr)
            exp.append(Expected(date, prec, expr, start, end))
        items.append(Item(d["sentence"], d.get("lang") or "en", d.get("published"), exp, where))
    return items


def load_timebank(path: Path, lang: str | None = None) -> list[Item]:
    """TimeBank TSV -> one Item per sentence, tokens joined by spaces, DATE timexes as expected."""
    lang = lang or ("es" if "-es-" in path.name or path.name.endswith("es.tsv") else "en")
    items: list[Item] = []
    dct: str | None = None
    tokens: list[tuple[str, str, str]] = []

    def flush(n: int) -> None:
        if not tokens:
            return
        text, spans, exp = "", [], []
        cur: list[Any] | None = None
        for tok, tag, value in tokens:
            start = len(text) + (1 if text else 0)
            text = f"{text} {tok}" if text else tok
            spans.append((start, len(text)))
            if tag.startswith("B-"):
                cur = [tag[2:], value, start, len(text)]
                exp.append(cur)
            elif tag.startswith("I-") and cur is not None:
                cur[3] = len(text)
            else:
                cur = None
        expected = [Expected(v if precision_of(v) else None, precision_of(v), text[s:e], s, e)
                    for kind, v, s, e in exp if kind == "DATE"]
        items.append(Item(text, lang, dct, expected, f"{path}:{n}"))
        tokens.clear()

    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = re.match(r'^\*!-DCTVALUE="([^"]*)"-!\*', line)
        if m:
            flush(n)
            dct = m.group(1)[:10] or None
            continue
        if not line.strip():
            flush(n)
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise GoldError(f"{path}:{n}: expected 'token<TAB>tag<TAB>value'")
        tokens.append((parts[0], parts[1], parts[2]))
    flush(-1)
    return items


def load_gold(path: str | Path) -> list[Item]:
    p = Path(path)
    if not p.exists():
        raise GoldError(f"{p}: gold file not found")
    if p.suffix == ".tsv":
        return load_timebank(p)
    if p.suffix in (".jsonl", ".json"):
        return load_jsonl(p)
    raise GoldError(f"{p}: unknown gold format (use .jsonl or TimeBank .tsv)")


# -- the baseline ------------------------------------------------------------------------------


def dateparser_dates(text: str, lang: str, reference: str | None) -> list[DateMatch]:
    """dateparser.search_dates with the language given, DMY order and past preference."""
    from dateparser import DateDataParser
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY",
                                "RETURN_AS_TIMEZONE_AWARE": False}
    if reference:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(
            (reference[:10] + "-01-01"[len(reference[:10]) - 4:]) if len(reference) < 10 else reference[:10])
    try:
        found = search_dates(text, languages=[lang], settings=settings) or []
    except Exception:
        return []
    out, pos = [], 0
    ddp = DateDataParser(languages=[lang], settings=settings)
    for expr, when in found:
        start = text.find(expr, pos)
        if start < 0:
            start = text.find(expr)
        pos = max(pos, start + len(expr))
        period = getattr(ddp.get_date_data(expr), "period", None) or "day"
        prec = period if period in ("year", "month", "week", "day") else "day"
        iso = {"year": f"{when.year:04d}", "month": f"{when.year:04d}-{when.month:02d}",
               "week": "{:04d}-W{:02d}".format(*when.isocalendar()[:2])}.get(prec, when.date().isoformat())
        out.append(DateMatch(start, start + len(expr), expr, iso, prec, False))
    return out


# -- scoring -------------------------------------------------------------------------------------


def evaluate(items: list[Item], method: str = "rules", limit: int | None = None) -> dict[str, Any]:
    if method not in METHODS:
        raise GoldError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    items = items[:limit] if limit else items
    finder = find_dates if method == "rules" else dateparser_dates
    n_pred = n_gold = n_match = n_norm_gold = n_norm_found = n_norm_ok = n_date_ok = 0
    per_lang: dict[str, dict[str, int]] = {}
    errors: list[dict[str, Any]] = []
    for lang in {it.lang for it in items}:  # build each language's patterns before timing
        finder("1. januar 2020", lang, "2020-01-02")
    t0 = time.perf_counter()
    for it in items:
        pred = finder(it.sentence, it.lang, it.published)
        used: set[int] = set()
        lang = per_lang.setdefault(it.lang, {"gold": 0, "pred": 0, "match": 0, "norm_ok": 0, "norm": 0})
        n_pred += len(pred)
        lang["pred"] += len(pred)
        for e in it.expected:
            n_gold += 1
            lang["gold"] += 1
            hit = None
            for j, p in enumerate(pred):
                if j in used:
                    continue
                if e.start is not None and e.end is not None:
                    if p.start < e.end and e.start < p.end:
                        hit = j
                        break
                elif p.date == e.date:
                    hit = j
                    break
            if e.date is not None:
                n_norm_gold += 1
                lang["norm"] += 1
            if hit is None:
                if e.date is not None:
                    errors.append({"where": it.where, "missed": e.expression or e.date, "gold": e.date})
                continue
            used.add(hit)
            n_match += 1
            lang["match"] += 1
            p = pred[hit]
            if e.date is not None:
                n_norm_found += 1
                ok = p.date == e.date and (e.precision is None or p.precision == e.precision)
                n_norm_ok += ok
                n_date_ok += ok
                lang["norm_ok"] += ok
                if not ok:
                    errors.append({"where": it.where, "expression": p.expression, "got": p.date, "gold": e.date})
        for j, p in enumerate(pred):
            if j not in used:
                errors.append({"where": it.where, "spurious": p.expression, "got": p.date})
    secs = time.perf_counter() - t0
    precision = n_match / n_pred if n_pred else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    return {
        "method": method, "sentences": len(items), "gold": n_gold, "predicted": n_pred, "matched": n_match,
        "precision": round(precision, 4), "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "normalisation_accuracy": round(n_norm_ok / n_norm_found, 4) if n_norm_found else 0.0,
        "strict_recall": round(n_date_ok / n_norm_gold, 4) if n_norm_gold else 0.0,
        "ms_per_sentence": round(1000 * secs / max(1, len(items)), 3),
        "per_lang": {k: {"precision": round(v["match"] / v["pred"], 4) if v["pred"] else 0.0,
                         "recall": round(v["match"] / v["gold"], 4) if v["gold"] else 0.0,
                         "normalised": round(v["norm_ok"] / v["norm"], 4) if v["norm"] else 0.0,
                         "gold": v["gold"]} for k, v in sorted(per_lang.items())},
        "errors": errors[:50],
    }
