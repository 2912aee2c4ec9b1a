"""Quality of summaries: provenance of every bullet, and overlap with publishers' own summary boxes.

Two figures: (1) provenance, the share of bullets whose every cited sentence id resolves to a sentence of
the summarised article (must be 1.0 for any backend); (2) ROUGE-1/2 F1 of our bullets against the
summary box a newsroom published with the article (`Article.provided_summary`, e.g. an edited AI
summary), compared with the lead-3 baseline (the article's first three sentences). ROUGE-N is a few
lines of n-gram counting (Lin 2004), written here instead of pulling in rouge-score, which only
tokenises ASCII letters and so drops Nordic words with æ/ø/å.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.analyze.sentences import split_sentences
from storyline.eval.timeline import rouge_counts
from storyline.explain.summaries.base import SummaryError, sentence_index
from storyline.explain.summaries.generate import summarize_articles
from storyline.model import Article, article_from_text

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def rouge_prf(candidate: str, reference: str, n: int) -> tuple[float, float, float]:
    """ROUGE-N (precision, recall, F1) over lower-cased word n-grams (no stemming or stop words,
    unlike the news-tls variant the timeline eval tokenises for; the n-gram counting is shared)."""
    hit, n_cand, n_ref = rouge_counts(tokens(candidate), tokens(reference), n)
    if not hit:
        return 0.0, 0.0, 0.0
    p, rec = hit / n_cand, hit / n_ref
    return p, rec, 2 * p * rec / (p + rec)


def rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F1 over lower-cased word n-grams."""
    return rouge_prf(candidate, reference, n)[2]


@dataclass
class SummaryEval:
    articles: int = 0
    bullets: int = 0
    bullets_with_real_sources: int = 0
    with_reference: int = 0
    rouge1: list[float] = field(default_factory=list)
    rouge2: list[float] = field(default_factory=list)
    lead3_rouge1: list[float] = field(default_factory=list)
    lead3_rouge2: list[float] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def mean(xs: list[float]) -> float | None:
            return round(sum(xs) / len(xs), 4) if xs else None

        return {"articles": self.articles, "bullets": self.bullets,
                "provenance": round(self.bullets_with_real_sources / self.bullets, 4) if self.bullets else None,
                "with_reference_summary": self.with_reference,
                "rouge1_f": mean(self.rouge1), "rouge2_f": mean(self.rouge2),
                "lead3_rouge1_f": mean(self.lead3_rouge1), "lead3_rouge2_f": mean(self.lead3_rouge2),
                "failures": self.failures}


def evaluate(articles: Iterable[Article], summarizer, *,
             progress: Callable[[int], None] | None = None) -> SummaryEval:
    out = SummaryEval()
    for art in articles:
        out.articles += 1
        try:
            s = summarize_articles(summarizer, [art], target_id=art.id)
        except SummaryError as exc:
            out.failures.append({"article_id": art.id, "reason": str(exc)})
            if progress:
                progress(1)
            continue
        known = sentence_index([art])
        out.bullets += len(s.bullets)
        out.bullets_with_real_sources += sum(
            bool(b.sources) and all(sid in known and known[sid].text in art.text for sid in b.sources)
            for b in s.bullets)
        ref = art.provided_summary
        if ref and ref.bullets:
            reference = " ".join(ref.bullets)
            ours = " ".join(b.text for b in s.bullets)
            lead3 = " ".join(x.text for x in split_sentences(art)[:3])
            out.with_reference += 1
            out.rouge1.append(rouge_n(ours, reference, 1))
            out.rouge2.append(rouge_n(ours, reference, 2))
            out.lead3_rouge1.append(rouge_n(lead3, reference, 1))
            out.lead3_rouge2.append(rouge_n(lead3, reference, 2))
        if progress:
            progress(1)
    return out


# --- Timeline17: story summaries against the gold timelines of each collection ------------------------

def load_timeline17(root: Path, *, max_articles: int = 100) -> list[tuple[str, list[Article], str]]:
    """(topic, its newest `max_articles` articles in date order, all gold timeline sentences joined)."""
    topics = []
    for folder in sorted(p for p in Path(root).iterdir() if (p / "articles.jsonl").exists()):
        rows = [json.loads(line) for line in (folder / "articles.jsonl").open(encoding="utf-8") if line.strip()]
        rows.sort(key=lambda r: r.get("time") or "")
        arts = [article_from_text("\n\n".join(x.strip() for x in r["text"].split("\n") if x.strip()),
                                  id=f"a-t17-{folder.name}-{r['id']}", lang="en", published=r.get("time"))
                for r in rows[-max_articles:]]
        gold = []
        for line in (folder / "timelines.jsonl").open(encoding="utf-8"):
            if line.strip():
                gold += [sent for _, sents in json.loads(line) for sent in sents]
        topics.append((folder.name, arts, " ".join(gold)))
    return topics


def evaluate_timeline17(root: Path, summarizer, *, topics: int | None = None, max_articles: int = 100,
                        progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """ROUGE-1/2 precision and F1 of each collection's story summary against its gold timelines, next to
    a lead baseline (the first sentence of the five newest articles). Precision says how much of what we
    wrote is in the editors' timelines; recall is necessarily tiny for 5 bullets against whole timelines."""
    rows = []
    for name, arts, gold in load_timeline17(root, max_articles=max_articles)[:topics]:
        s = summarize_articles(summarizer, arts, target_id=f"s-{name}")
        ours = " ".join(b.text for b in s.bullets)
        lead = " ".join(split_sentences(a)[0].text for a in arts[-5:] if split_sentences(a))
        r1, r2 = rouge_prf(ours, gold, 1), rouge_prf(ours, gold, 2)
        b1, b2 = rouge_prf(lead, gold, 1), rouge_prf(lead, gold, 2)
        rows.append({"topic": name, "articles": len(arts), "rouge1_p": r1[0], "rouge2_p": r2[0],
                     "rouge1_f": r1[2], "rouge2_f": r2[2], "lead5_rouge1_p": b1[0], "lead5_rouge2_p": b2[0],
                     "lead5_rouge1_f": b1[2], "lead5_rouge2_f": b2[2]})
        if progress:
            progress(1)
    keys = [k for k in (rows[0] if rows else {}) if k not in ("topic", "articles")]
    mean = {k: round(sum(r[k] for r in rows) / len(rows), 4) for k in keys} if rows else {}
    return {"topics": len(rows), "mean": mean, "per_topic": rows}


# --- the reader's language: story summaries asked for in each language --------------------------------

def evaluate_reader_languages(store, summarizer, langs: Iterable[str] | None = None, *,
                              progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Per requested language: the share of story-summary bullets written in it, and the share of the
    others that say their language (so a shell can mark them); every bullet must still cite real
    sentences. Each stored story with articles in two or more languages is summarised once per
    language (default: every language of the store's articles)."""
    from storyline.explain.summaries.generate import resolve_target

    stories = []
    for st in (store.list_stories() if hasattr(store, "list_stories") else []):
        target = resolve_target(store, st.id)
        if len({a.lang for a in target.articles if a.lang}) >= 2:
            stories.append(target)
    wanted = sorted(set(langs) if langs else {a.lang for t in stories for a in t.articles if a.lang})
    per: dict[str, dict[str, Any]] = {}
    for lang in wanted:
        row = {"summaries": 0, "bullets": 0, "in_lang": 0, "marked": 0, "with_sources": 0,
               "stories_with_source_in_lang": 0}
        for t in stories:
            known = sentence_index(t.articles)
            try:
                s = summarize_articles(summarizer, t.articles, target_id=t.id, lang=lang)
            except SummaryError:
                continue
            row["summaries"] += 1
            row["stories_with_source_in_lang"] += any(a.lang == lang for a in t.articles)
            for b in s.bullets:
                row["bullets"] += 1
                row["in_lang"] += b.lang == lang
                row["marked"] += b.lang is not None and b.lang != lang
                row["with_sources"] += bool(b.sources) and all(sid in known for sid in b.sources)
            if progress:
                progress(1)
        n = row["bullets"] or 1
        row.update(share_in_lang=round(row["in_lang"] / n, 4),
                   share_marked_other=round(row["marked"] / max(row["bullets"] - row["in_lang"], 1), 4)
                   if row["bullets"] > row["in_lang"] else None,
                   provenance=round(row["with_sources"] / n, 4))
        per[lang] = row
    return {"stories": len(stories), "languages": per}
