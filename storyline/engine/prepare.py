"""The per-article work that needs no store: pure functions of the article text and the config.

`prepare_batch(articles, config)` computes what the expensive stage internals compute, with the
stages' own code: the texts the steps will embed (`link.features.lead` for clustering and search,
the date-masked statement sentences of `analyze.statements`), their vectors (one batched call of
the configured embedder), the NER spans of every paragraph (`TrainedRecognizer.spacy_pass`) and
the quote tagger's spans (`quotes.learned.tagger_spans`). The results are plain data (text -> vector,
span-cache entries): the driver primes its caches with them, and the ordinary steps then run without
a transformer, NER or tagger pass. (The tagger's spans once stayed on the driver: one run of the Ray
test saw different quotes with them precomputed. The cause was never pinned down; batch composition is
not it, the tagger gives the examples' 80 paragraphs the same spans per article as per batch of 8
articles. The test passes with them on the workers, repeated and under other hash seeds.)
Anything a worker did not deliver is simply computed by the step, so a lost batch costs time, never
results.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.model import Article

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """What a worker hands back for a batch: vectors by text, spaCy spans by cache key, failures."""

    model: str = ""
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    spans: dict[tuple[str, str], list[tuple[int, int, str]]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # article id -> reason
    articles: int = 0
    cpu_seconds: float = 0.0  # the worker's CPU time for this batch (capacity planning)


def texts_to_embed(article: Article, config) -> list[str]:
    """The passages the steps embed for `article`: its lead, and its dated statements' masked sentences
    (for an article with a publication date; an undated one's statements depend on its story)."""
    from storyline.analyze.dates import Reference
    from storyline.analyze.limits import capped, max_chars
    from storyline.analyze.statements import masked, statements_for_article
    from storyline.explain.timeline import TimelineSettings
    from storyline.link.features import lead
    from storyline.link.settings import ClusterSettings

    article = capped(article, max_chars(config))
    out = [lead(article, config.section("cluster", ClusterSettings).embed_words)]
    if article.published and config.section("timeline", TimelineSettings).embed:
        try:
            ref = Reference.parse(article.published, article.published_precision)
        except ValueError:
            return out
        out += [masked(r) for r in statements_for_article(article, ref)]
    return list(dict.fromkeys(out))


def prepare_batch(articles: list[Article], config) -> Prepared:
    """Embeddings and spaCy spans for a batch of articles; a failing article fails alone, with its reason."""
    from storyline.analyze import spacy_cache, vectors
    from storyline.analyze.embeddings import get_embedder
    from storyline.analyze.entities.settings import EntitySettings
    from storyline.analyze.entities.step import get_recognizer
    from storyline.analyze.limits import capped, max_chars
    from storyline.analyze.quotes.learned import configured_tagger, tagger_spans
    from storyline.analyze.quotes.settings import QuoteSettings

    cpu0 = time.process_time()
    embedder = get_embedder(config)
    out = Prepared(model=embedder.name, articles=len(articles))
    texts: list[str] = []
    good: list[Article] = []
    for art in articles:
        try:
            texts += texts_to_embed(art, config)
            good.append(art)
        except Exception as exc:  # one bad article must not stop its batch
            out.failures[art.id] = f"{type(exc).__name__}: {exc}"
    texts = list(dict.fromkeys(texts))
    if texts:
        out.vectors = dict(zip(texts, vectors.embed_passages(embedder, texts), strict=True))
    cap = max_chars(config)
    capped_good = [capped(a, cap) for a in good]
    before = set(spacy_cache.export_spans())
    recognizer = get_recognizer(config.section("entities", EntitySettings))
    if hasattr(recognizer, "spacy_pass") and good:
        recognizer.spacy_pass(capped_good)
    tagger = configured_tagger(config.section("quotes", QuoteSettings))
    if tagger is not None:
        for art in capped_good:
            tagger_spans(art, tagger)
    out.spans = {k: v for k, v in spacy_cache.export_spans().items() if k not in before}
    out.cpu_seconds = time.process_time() - cpu0
    return out


def absorb(prepared: Prepared) -> dict[str, Any]:
    """Prime this process's caches with a worker's results (the driver side of `prepare_batch`)."""
    from storyline.analyze import spacy_cache, vectors

    vectors.prime(prepared.model, prepared.vectors)
    spacy_cache.prime_spans(prepared.spans)
    return {"vectors": len(prepared.vectors), "spans": len(prepared.spans)}


def clear_caches() -> None:
    """Forget every cached vector and span in this process (tests comparing two ways of running)."""
    from storyline.analyze import spacy_cache, vectors

    vectors.clear()
    spacy_cache.clear()
