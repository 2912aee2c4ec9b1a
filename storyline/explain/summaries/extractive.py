"""Extractive summaries: the most central, least redundant source sentences, quoted as written (less a wire dateline).

Score = centrality (mean similarity to the other candidates, each pair measured against its language
pair's mean similarity so sentences are not central merely for sharing the majority language) + lead prior (news puts the essentials first) +
entity coverage (sentences naming entities that many articles share). Bullets are then picked by
Maximal Marginal Relevance (Carbonell & Goldstein 1998) so no two say the same thing. The scoring is a
few lines of numpy over the configured embedder; summarisation libraries (sumy, ...) need NLTK data
downloaded at run time and do not keep sentence provenance, so this is written here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from storyline.analyze.datelines import strip_dateline
from storyline.explain.summaries.base import (
    MIN_BULLETS,
    SummarySettings,
    majority_lang,
    new_summary_id,
    now_iso,
)
from storyline.explain.summaries.candidates import Candidate, collect_candidates
from storyline.model import Article, Bullet, Mention, Summary

MMR_LAMBDA = 0.7
W_CENTRALITY, W_LEAD, W_ENTITIES = 0.5, 0.8, 0.6  # chosen on 6 Timeline17 collections (eval summaries)
SAME_ARTICLE_PENALTY = 0.15  # per bullet already taken from that article: a story summary spans sources
DUPLICATE_COSINE = 0.95  # centred cosine above which two sentences say the same thing
DUPLICATE_FUZZ = 80  # rapidfuzz token_set_ratio for near-verbatim repeats

def embed_cached(embedder, texts: list[str], store=None) -> np.ndarray:
    """Embed passages, reusing vectors seen before in this process or kept in the store (a growing story
    is re-summarised often; only its new sentences cost model time). See `storyline.analyze.vectors`."""
    from storyline.analyze import vectors

    return vectors.embed_passages(embedder, texts, store=store, persist=True)


def _centre_by_language(vecs: np.ndarray, langs: list[str | None]) -> np.ndarray:
    out = vecs.astype(np.float32).copy()
    for lang in set(langs):
        idx = [i for i, la in enumerate(langs) if la == lang]
        if len(idx) >= 3:
            out[idx] -= out[idx].mean(axis=0)
    if len(set(langs)) == 1 and len(langs) < 3:
        out -= out.mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def _zscore(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 1e-9 else np.zeros_like(x)


def _centrality(raw: np.ndarray, langs: list[str | None]) -> np.ndarray:
    """Mean similarity to the other candidates, each pair measured against the mean similarity of its
    language pair, so a sentence is not central merely for sharing the majority language."""
    sims = raw @ raw.T
    adjusted = sims.copy()
    groups = {la: [i for i, x in enumerate(langs) if x == la] for la in set(langs)}
    for a in groups.values():
        for b in groups.values():
            block = sims[np.ix_(a, b)]
            adjusted[np.ix_(a, b)] = block - block.mean()
    np.fill_diagonal(adjusted, 0.0)
    return adjusted.sum(axis=1) / max(len(langs) - 1, 1)


def score_candidates(cands: Sequence[Candidate], vecs: np.ndarray, n_articles: int,
                     lang: str | None = None) -> np.ndarray:
    """One relevance score per candidate (higher is better); `vecs` are the raw (uncentred) embeddings."""
    n = len(cands)
    if n == 0:
        return np.zeros(0)
    centrality = _centrality(vecs, [c.sentence.lang for c in cands])
    lead = np.array([1.0 / np.sqrt(1 + c.sentence.index) for c in cands])
    df = Counter(e for ents in _entities_by_article(cands).values() for e in ents)
    ent = np.array([sum(df[e] / max(n_articles, 1) for e in c.entities) for c in cands], dtype=float)
    ent = ent / ent.max() if ent.max() > 0 else ent
    quote = np.array([0.7 if c.is_quote else 0.0 for c in cands])
    score = W_CENTRALITY * _zscore(centrality) + W_LEAD * lead + W_ENTITIES * ent - quote
    if lang and any(c.sentence.lang == lang for c in cands):
        score += np.array([0.5 if c.sentence.lang == lang else 0.0 for c in cands])
    return score


def _entities_by_article(cands: Sequence[Candidate]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in cands:
        out.setdefault(c.sentence.article_id, set()).update(c.entities)
    return out


def select_mmr(cands: Sequence[Candidate], vecs: np.ndarray, scores: np.ndarray, k: int) -> list[int]:
    """Indices of up to `k` candidates by MMR, skipping near-duplicates of what is already chosen."""
    chosen: list[int] = []
    if len(cands) == 0:
        return chosen
    rel = (scores - scores.min()) / (np.ptp(scores) or 1.0)
    sims = vecs @ vecs.T
    remaining = set(range(len(cands)))
    multi = len({c.sentence.article_id for c in cands}) > 1
    while remaining and len(chosen) < k:
        best, best_val = None, -np.inf
        for i in remaining:
            red = max((sims[i, j] for j in chosen), default=0.0)
            same = sum(cands[j].sentence.article_id == cands[i].sentence.article_id for j in chosen)
            val = MMR_LAMBDA * rel[i] - (1 - MMR_LAMBDA) * red - SAME_ARTICLE_PENALTY * same * multi
            if val > best_val:
                best, best_val = i, val
        assert best is not None
        remaining.discard(best)
        text = cands[best].sentence.text
        if any(sims[best, j] >= DUPLICATE_COSINE
               or fuzz.token_set_ratio(text, cands[j].sentence.text) >= DUPLICATE_FUZZ for j in chosen):
            continue
        chosen.append(best)
    return chosen


def bullet_count(n_candidates: int, max_bullets: int) -> int:
    """3 for a short article, up to `max_bullets` for long articles and multi-article stories."""
    return min(n_candidates, max_bullets, max(MIN_BULLETS, round(n_candidates / 4)))


class ExtractiveSummarizer:
    name = "extractive"

    def __init__(self, settings: SummarySettings | None = None, config=None, embedder=None,
                 store=None) -> None:
        self.settings = settings or SummarySettings()
        self._config = config
        self._embedder = embedder
        self.store = store  # optional persistent sentence-vector cache

    @property
    def embedder(self):
        if self._embedder is None:
            from storyline.analyze.embeddings import get_embedder

            self._embedder = get_embedder(self._config)
        return self._embedder

    @property
    def model(self) -> str | None:
        return getattr(self._embedder, "name", None) if self._embedder is not None else None

    def summarize(self, articles: Sequence[Article], *, target_id: str, lang: str | None = None,
                  mentions: dict[str, list[Mention]] | None = None) -> Summary:
        s = self.settings
        cands = collect_candidates(articles, mentions, per_article=s.per_article_candidates,
                                   limit=s.max_candidates)
        if lang and sum(c.sentence.lang == lang for c in cands) >= MIN_BULLETS:
            cands = [c for c in cands if c.sentence.lang == lang]  # enough to summarise in the reader's language
        picked: list[Candidate] = []
        if cands:
            raw = embed_cached(self.embedder, [c.sentence.text for c in cands], self.store)
            vecs = _centre_by_language(raw, [c.sentence.lang for c in cands])
            scores = score_candidates(cands, raw, len(articles), lang)
            k = bullet_count(len(cands), s.max_bullets)
            picked = [cands[i] for i in select_mmr(cands, vecs, scores, k)]
        # read in story order: article date order, then position in the article
        picked.sort(key=lambda c: (c.article_rank, c.sentence.index))
        bullets = [Bullet(text=strip_dateline(c.sentence.text), sources=[c.id], lang=c.sentence.lang) for c in picked]
        # asked for a language: the summary is for that reader; bullets in others say their language
        return Summary(id=new_summary_id(), target_id=target_id,
                       lang=lang or majority_lang(articles, [c.sentence for c in picked]),
                       backend=self.name, model=self.model, bullets=bullets, created_at=now_iso())
