"""Quality of summaries: provenance of every bullet, and overlap with publishers' own summary boxes.

Two figures: (1) provenance, the share of bullets whose every cited sentence id resolves to a sentence of
the summarised article (must be 1.0 for any backend); (2) ROUGE-1/2 F1 of our bullets against the
summary box a newsroom published with the article (`Article.provided_summary`, e.g. an edited AI
summary), compared with the lead-3 baseline (the article's first three sentences). ROUGE-N is a few
lines of n-gram counting (Lin 2004), written here instead of pulling in rouge-score, which only
tokenises ASCII letters and so drops Nordic words with æ/ø/å.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from storyline.analyze.sentences import split_sentences
from storyline.explain.summaries.base import SummaryError, sentence_index
from storyline.explain.summaries.generate import summarize_articles
from storyline.model import Article

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F1 over lower-cased word n-grams."""
    def grams(toks: list[str]) -> Counter[tuple[str, ...]]:
        return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))

    c, r = grams(tokens(candidate)), grams(tokens(reference))
    overlap = sum((c & r).values())
    if not overlap:
        return 0.0
    p, rec = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * p * rec / (p + rec)


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
