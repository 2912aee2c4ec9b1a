"""Timeline quality on news-tls datasets (Timeline17, Crisis): Date-F1, AR1-F and AR2-F.

Layout (checked on ../shared/data/timeline17): one folder per topic holding `articles.jsonl`
(`{id, time, text}`, text one sentence a line), `timelines.jsonl` (one gold timeline a line: a list of
`[date, [sentences]]`) and `keywords.json`. Each gold timeline is scored on its own and the mean is
reported, as news-tls does.

The system under test is our own machinery: every sentence's dates come from
`storyline.analyze.dates.find_dates` against its article's publication date (day precision only, as
the gold is daily); `storyline.explain.timeline_select` (news-tls DATEWISE style, method in its
docstring) ranks dates by recency-weighted mention counts inside the gold timeline's span, keeps the
top k (k = the gold's number of dates) and picks each date's sentences by TF-IDF centrality among
that date's dated statements and lead sentences, with topic-keyword, length and cross-date redundancy
terms. Sentences per date: the gold timeline's mean, rounded (news-tls' setting; `--sentences 1`
gives one-line entries as in our UI). The topic's keywords.json is an input, as in news-tls.

Metrics follow Martschat & Markert (2017, 2018) as implemented in tilse, written here because tilse
needs pyrouge and the Perl ROUGE-1.5.5 (not installable offline):
- Date-F1: F1 of the predicted vs gold date sets.
- AR-N F ("align+ m:1"): each predicted date is aligned to the gold date of least cost and each gold
  date to the predicted date of least cost, cost = (1 - 1/(|Δdays|+1)) · (1 - ROUGE-1 F of the two
  summaries); aligned pairs contribute ROUGE-N overlap counts scaled by 1/(|Δdays|+1); precision and
  recall are micro-averaged over dates, F is their harmonic mean.
- ROUGE-N counts are clipped n-gram overlaps after lower-casing, dropping punctuation and English
  stop words, and stemming by suffix stripping (ROUGE-1.5.5 uses -s and Porter stemming; our simple
  stemmer is an approximation, documented in `_stem`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.analyze.dates import find_dates
from storyline.explain.timeline_select import (
    DatedSentence,
    SelectConfig,
    prepare,
    rank_dates,
    summarise_dates,
)


class GoldError(ValueError):
    pass


STOPWORDS = frozenset(["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "said", "says", "also", "s", "t"])
_TOKEN = re.compile(r"[a-z0-9]+")


def _stem(w: str) -> str:
    """Light suffix stripping (plural, -ing, -ed, -ly): a stand-in for Porter's stemmer."""
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("edly", ""), ("ed", ""), ("ly", ""), ("ss", "ss"),
                     ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: len(w) - len(suf)] + rep
    return w


def tokens(text: str) -> list[str]:
    return [_stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


def ngrams(toks: list[str], n: int) -> Counter:
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def rouge_counts(pred: list[str], ref: list[str], n: int) -> tuple[float, int, int]:
    """(clipped overlap, predicted n-grams, reference n-grams) for token lists."""
    p, r = ngrams(pred, n), ngrams(ref, n)
    return float(sum((p & r).values())), sum(p.values()), sum(r.values())


def rouge_f(pred: list[str], ref: list[str], n: int = 1) -> float:
    hit, np_, nr = rouge_counts(pred, ref, n)
    if not hit:
        return 0.0
    prec, rec = hit / np_, hit / nr
    return 2 * prec * rec / (prec + rec)


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def date_f1(pred: dict[dt.date, Any], gold: dict[dt.date, Any]) -> float:
    hit = len(set(pred) & set(gold))
    return _f(hit / len(pred) if pred else 0.0, hit / len(gold) if gold else 0.0)


def align_rouge(pred: dict[dt.date, list[str]], gold: dict[dt.date, list[str]], n: int) -> float:
    """AR-N F (tilse's align_date_content_costs_many_to_one)."""
    if not pred or not gold:
        return 0.0
    ptok = {d: tokens(" ".join(s)) for d, s in pred.items()}
    gtok = {d: tokens(" ".join(s)) for d, s in gold.items()}
    pdates, gdates = sorted(ptok), sorted(gtok)

    def cost(a: dt.date, b: dt.date, at: list[str], bt: list[str]) -> float:
        return (1 - 1 / (abs(a.toordinal() - b.toordinal()) + 1)) * (1 - rouge_f(at, bt, 1))

    pn = pd = rn = rd = 0.0
    for d in pdates:
        g = min(gdates, key=lambda x: cost(d, x, ptok[d], gtok[x]))
        hit, np_, _ = rouge_counts(ptok[d], gtok[g], n)
        pn += hit / (abs(d.toordinal() - g.toordinal()) + 1)
        pd += np_
    for g in gdates:
        d = min(pdates, key=lambda x: cost(x, g, ptok[x], gtok[g]))
        hit, _, nr = rouge_counts(ptok[d], gtok[g], n)
        rn += hit / (abs(d.toordinal() - g.toordinal()) + 1)
        rd += nr
    return _f(pn / pd if pd else 0.0, rn / rd if rd else 0.0)


# -- our system on a news-tls topic -------------------------------------------------------------


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(s[:10])


def load_topic(folder: Path, limit: int | None = None) -> tuple[list[dict], list[dict[dt.date, list[str]]], list[str]]:
    arts_path, tl_path = folder / "articles.jsonl", folder / "timelines.jsonl"
    for p in (arts_path, tl_path):
        if not p.exists():
            raise GoldError(f"{folder}: missing {p.name} (expected the news-tls layout)")
    articles = []
    with arts_path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if limit is not None and len(articles) >= limit:
                break
            try:
                d = json.loads(line)
                articles.append({"id": d["id"], "time": _day(d["time"]), "sentences": d["text"].split("\n")})
            except (json.JSONDecodeError, KeyError, ValueError) as exc:
                raise GoldError(f"{arts_path}:{n}: not a news-tls article ({exc})") from exc
    timelines = []
    for n, line in enumerate(tl_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            timelines.append({_day(d): [s.strip() for s in sents] for d, sents in json.loads(line)})
        except (json.JSONDecodeError, ValueError, TypeError) as exc:
            raise GoldError(f"{tl_path}:{n}: not a news-tls timeline ({exc})") from exc
    kw_path = folder / "keywords.json"
    keywords = json.loads(kw_path.read_text(encoding="utf-8")) if kw_path.exists() else []
    return articles, timelines, keywords


def topic_sentences(articles: list[dict]) -> list[DatedSentence]:
    """Every non-empty sentence with its article's day and the day-precision dates it names."""
    out = []
    for a in articles:
        ref = a["time"].isoformat()
        for i, sent in enumerate(a["sentences"]):
            sent = sent.strip()
            if not sent:
                continue
            days = [dt.date.fromisoformat(m.date) for m in find_dates(sent, "en", ref)
                    if m.precision == "day"] if len(sent) >= 20 else []
            out.append(DatedSentence(sent, a["time"], i, days, article=str(a["id"]), lang="en"))
    return out


def build_system_timeline(sentences: list[DatedSentence], k: int, span: tuple[dt.date, dt.date],
                          keywords: list[str], sentences_per_date: int = 1,
                          cfg: SelectConfig | None = None) -> dict[dt.date, list[str]]:
    """Our timeline of k dates inside `span` (`prepare` must have run on `sentences`)."""
    dates = rank_dates(sentences, k, span, cfg)
    return summarise_dates(sentences, dates, sentences_per_date, keywords, tokens, cfg)


def evaluate_dataset(gold: str | Path, *, topics: int | None = None, limit: int | None = None,
                     sentences: int | None = None,
                     progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Score every gold timeline under `gold`. `sentences` per date: None = the gold timeline's
    mean sentences per date, rounded (what news-tls passes its systems), or a fixed number."""
    root = Path(gold)
    if not root.is_dir():
        raise GoldError(f"{root}: not a folder (expected news-tls topics, e.g. ../shared/data/timeline17)")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / "articles.jsonl").exists())
    if not folders:
        raise GoldError(f"{root}: no topic folders with articles.jsonl")
    folders = folders[:topics] if topics else folders
    rows = []
    for i, folder in enumerate(folders):
        if progress:
            progress(folder.name, i, len(folders))
        articles, timelines, keywords = load_topic(folder, limit)
        sents = topic_sentences(articles)
        prepare(sents, tokens)
        for j, tl in enumerate(timelines):
            span = (min(tl), max(tl))
            per_date = sentences or max(1, round(sum(len(v) for v in tl.values()) / len(tl)))
            pred = build_system_timeline(sents, len(tl), span, keywords, per_date)
            rows.append({"topic": folder.name, "timeline": j, "dates": len(tl), "predicted": len(pred),
                         "date_f1": round(date_f1(pred, tl), 4), "ar1_f": round(align_rouge(pred, tl, 1), 4),
                         "ar2_f": round(align_rouge(pred, tl, 2), 4)})
    if progress:
        progress("done", len(folders), len(folders))
    mean = {k: round(sum(r[k] for r in rows) / len(rows), 4) for k in ("date_f1", "ar1_f", "ar2_f")}
    return {"gold": str(root), "topics": len(folders), "sentences_per_date": sentences or "auto (gold mean)",
            "timelines": rows, "mean": mean,
            "anchors": {"date_f1": 0.544, "ar1_f": 0.120, "ar2_f": 0.035, "system": "news-tls DATEWISE"}}
