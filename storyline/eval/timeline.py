"""Timeline quality on news-tls datasets (Timeline17, Crisis): Date-F1, AR1-F and AR2-F.

Layout (checked on ../shared/data/timeline17): one folder per topic holding `articles.jsonl`
(`{id, time, text}`, text one sentence a line), `timelines.jsonl` (one gold timeline a line: a list of
`[date, [sentences]]`) and `keywords.json`. Each gold timeline is scored on its own and the mean is
reported, as news-tls does.

The system under test is our own machinery: every sentence's dates come from
`storyline.analyze.dates.find_dates` in its article's language (the file's `lang` field, else our
language identifier) against its article's publication date (day precision only, as the gold is daily); `storyline.explain.timeline_select` (news-tls DATEWISE style, method in its
docstring) ranks dates by recency-weighted mention counts inside the gold timeline's span, keeps the
top k (k = the gold's number of dates) and picks each date's sentences by TF-IDF centrality among
that date's dated statements and lead sentences (each article one witness; a sentence naming several
dates counts for its news peg only), with topic-keyword, length and cross-date redundancy terms.
Sentences are read without their wire datelines ("TRIPOLI | Sun May 1 … (Reuters) - "), whose
filing date is no event. Sentences per date: the gold timeline's mean, rounded (news-tls' setting; `--sentences 1`
gives one-line entries as in our UI). The topic's keywords.json is an input, as in news-tls.

Metrics follow the protocol news-tls' experiments/evaluate.py runs (Martschat & Markert 2017, 2018, as
implemented in tilse), the one DATEWISE's published figures come from:
- Date-F1: F1 of the predicted vs gold date sets.
- AR-N F ("align+ m:1", `align_rouge_prf`): each predicted date is aligned to the gold date of least
  cost and each gold date to the predicted date of least cost, cost = (1 - 1/(|Δdays|+1)) · (1 - tilse's
  raw-token ROUGE-1 approximation); aligned pairs contribute ROUGE-N overlap counts scaled by
  1/(|Δdays|+1); precision and recall are micro-averaged over dates.
- ROUGE-N counts: ROUGE-1.5.5 with stemming and stop words removed (`-m -s`), reimplemented in
  `storyline.eval.rouge155` (on our Timeline17 output it agrees with the Perl script run through
  tilse to 0.001 on every timeline's precision and recall).
- The mean over timelines is news-tls' `get_average_results`: precision and recall are averaged, F is
  taken of the averages. (Until this round the eval averaged per-timeline F's over simpler tokens:
  a stricter, non-comparable figure; `mean_of_timeline_f` keeps the mean of the F's.)
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import string
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.analyze.datelines import strip_dateline
from storyline.analyze.dates import find_dates
from storyline.eval import rouge155
from storyline.explain.timeline_select import (
    DatedSentence,
    SelectConfig,
    rank_dates,
    summarise_dates,
    vectorise,
)


class GoldError(ValueError):
    pass


_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = rouge155.FALLBACK_STOPWORDS


_WORD = re.compile(r"\w+", re.UNICODE)


@functools.lru_cache(maxsize=64)
def _stopwords(lang: str) -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords(lang)) if stopwordsiso.has_lang(lang) else frozenset()


def tokens(text: str, lang: str | None = None) -> list[str]:
    """The selector's tokens (TF-IDF of candidate sentences). English (and unknown): lower-cased ASCII
    words without stop words, lightly stemmed. Other languages: lower-cased Unicode words without that
    language's stop words (stopwordsiso), unstemmed ("información" stays one word). Scoring uses
    `rouge155.tokens`, the protocol's."""
    if not lang or lang == "en":
        return [rouge155.light_stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]
    stop = _stopwords(lang)
    return [t for t in _WORD.findall(text.lower()) if t not in stop]


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
    return date_prf(pred, gold)[2]


def approx_rouge1(pred: list[str], ref: list[str]) -> float:
    """tilse's `compute_rouge_approximation`, the content part of the alignment cost: ROUGE-1 F over raw
    whitespace tokens (case kept, tokens found in string.punctuation dropped), one reference."""
    def counts(sents: list[str]) -> Counter:
        return Counter(k for s in sents for k in s.split() if k not in string.punctuation)

    p, r = counts(pred), counts(ref)
    hit = sum((p & r).values())
    return _f(hit / sum(p.values()) if p else 0.0, hit / sum(r.values()) if r else 0.0)


def align_rouge_prf(pred: dict[dt.date, list[str]], gold: dict[dt.date, list[str]],
                    n: int) -> tuple[float, float, float]:
    """AR-N (precision, recall, F) of one timeline: tilse's align_date_content_costs_many_to_one.

    Each predicted date is aligned to the gold date of least cost and each gold date to the predicted
    date of least cost, cost = (1 - 1/(|Δdays|+1)) · (1 - `approx_rouge1`); aligned pairs contribute
    ROUGE-N hits (`rouge155.tokens`) scaled by 1/(|Δdays|+1); precision and recall are micro-averaged
    over dates."""
    if not pred or not gold:
        return 0.0, 0.0, 0.0
    pdates, gdates = sorted(pred), sorted(gold)
    ptok = {d: rouge155.tokens(" ".join(pred[d])) for d in pdates}
    gtok = {d: rouge155.tokens(" ".join(gold[d])) for d in gdates}
    content = {(a, b): 1 - approx_rouge1(pred[a], gold[b]) for a in pdates for b in gdates}

    def cost(a: dt.date, b: dt.date) -> float:
        return (1 - 1 / (abs(a.toordinal() - b.toordinal()) + 1)) * content[(a, b)]

    pn = pd = rn = rd = 0.0
    for d in pdates:
        g = min(gdates, key=lambda x: cost(d, x))
        hit, np_, _ = rouge_counts(ptok[d], gtok[g], n)
        pn += hit / (abs(d.toordinal() - g.toordinal()) + 1)
        pd += np_
    for g in gdates:
        d = min(pdates, key=lambda x: cost(x, g))
        hit, _, nr = rouge_counts(ptok[d], gtok[g], n)
        rn += hit / (abs(d.toordinal() - g.toordinal()) + 1)
        rd += nr
    p, r = (pn / pd if pd else 0.0), (rn / rd if rd else 0.0)
    return p, r, _f(p, r)


def align_rouge(pred: dict[dt.date, list[str]], gold: dict[dt.date, list[str]], n: int) -> float:
    """AR-N F of one timeline (`align_rouge_prf`)."""
    return align_rouge_prf(pred, gold, n)[2]


def date_prf(pred: dict[dt.date, Any], gold: dict[dt.date, Any]) -> tuple[float, float, float]:
    hit = len(set(pred) & set(gold))
    p, r = (hit / len(pred) if pred else 0.0), (hit / len(gold) if gold else 0.0)
    return p, r, _f(p, r)


def protocol_mean(rows: list[dict[str, Any]], key: str) -> float:
    """news-tls' average over timelines (experiments/evaluate.py `get_average_results`): precision and
    recall are averaged over the timelines, F is taken of those means (not the mean of the F's)."""
    p = sum(r[key + "_p"] for r in rows) / len(rows)
    rec = sum(r[key + "_r"] for r in rows) / len(rows)
    return _f(p, rec)


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
                articles.append({"id": d["id"], "time": _day(d["time"]), "sentences": d["text"].split("\n"),
                                 "lang": d.get("lang") or d.get("language") or article_language(d["text"])})
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


def article_language(text: str) -> str | None:
    """An article's language when the data set does not say (news-tls files carry none; Timeline17 itself
    holds some Spanish and Vietnamese pages): our language identifier on its opening, over the ingest
    stage's default candidate languages. Dates are then read with that language's rules."""
    from storyline.ingest.language import detect
    from storyline.ingest.settings import DEFAULT_LANGUAGES

    return detect(text[:500], DEFAULT_LANGUAGES).lang


def topic_language(articles: list[dict]) -> str | None:
    """The language most of a topic's articles are in (its keywords are tokenised in it)."""
    langs = Counter(a.get("lang") for a in articles if a.get("lang"))
    return langs.most_common(1)[0][0] if langs else None


def topic_sentences(articles: list[dict]) -> list[DatedSentence]:
    """Every non-empty sentence with its article's day, language and the day-precision dates it names,
    without its wire dateline (`storyline.analyze.datelines`: the filing date there is no event)."""
    out = []
    for a in articles:
        ref = a["time"].isoformat()
        lang = a.get("lang") or "en"
        for i, sent in enumerate(a["sentences"]):
            sent = strip_dateline(sent.strip())  # "TRIPOLI | Sun May 1 … (Reuters) - …": filing data, not news
            if not sent:
                continue
            days = [dt.date.fromisoformat(m.date) for m in find_dates(sent, lang, ref)
                    if m.precision == "day"] if len(sent) >= 20 else []
            out.append(DatedSentence(sent, a["time"], i, days, article=str(a["id"]), lang=lang))
    return out


def build_system_timeline(sentences: list[DatedSentence], k: int, span: tuple[dt.date, dt.date],
                          keywords: list[str], sentences_per_date: int = 1,
                          cfg: SelectConfig | None = None,
                          tokenize: Callable[[str], list[str]] = tokens) -> dict[dt.date, list[str]]:
    """Our timeline of k dates inside `span` (`prepare` or `vectorise` must have run on `sentences`)."""
    dates = rank_dates(sentences, k, span, cfg)
    return summarise_dates(sentences, dates, sentences_per_date, keywords, tokenize, cfg)


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
        for s in sents:
            s.tokens = tokens(s.text, s.lang)
        vectorise(sents)
        tokenize = functools.partial(tokens, lang=topic_language(articles))
        for j, tl in enumerate(timelines):
            span = (min(tl), max(tl))
            per_date = sentences or max(1, round(sum(len(v) for v in tl.values()) / len(tl)))
            pred = build_system_timeline(sents, len(tl), span, keywords, per_date, tokenize=tokenize)
            r = {"topic": folder.name, "timeline": j, "dates": len(tl), "predicted": len(pred)}
            for key, (p, rec, f) in (("date", date_prf(pred, tl)), ("ar1", align_rouge_prf(pred, tl, 1)),
                                     ("ar2", align_rouge_prf(pred, tl, 2))):
                r.update({key + "_p": round(p, 4), key + "_r": round(rec, 4), key + "_f": round(f, 4)})
            r["date_f1"] = r["date_f"]
            rows.append(r)
    if progress:
        progress("done", len(folders), len(folders))
    keys = {"date_f1": "date", "ar1_f": "ar1", "ar2_f": "ar2"}
    mean = {k: round(protocol_mean(rows, v), 4) for k, v in keys.items()}
    mean_of_f = {k: round(sum(r[v + "_f"] for r in rows) / len(rows), 4) for k, v in keys.items()}
    return {"gold": str(root), "topics": len(folders), "sentences_per_date": sentences or "auto (gold mean)",
            "rouge": rouge155.description(), "protocol": rouge155.is_protocol(),
            "timelines": rows, "mean": mean, "mean_of_timeline_f": mean_of_f,
            "anchors": {"date_f1": 0.544, "ar1_f": 0.120, "ar2_f": 0.035, "system": "news-tls DATEWISE"}}
