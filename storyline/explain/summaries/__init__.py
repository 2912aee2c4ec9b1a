""""Story so far" summaries: 3–5 bullets per article, event or story, every bullet citing source sentences.

Backends (registered in `storyline.backends.SUMMARIZERS`): `extractive` (default, offline) and `llm`
(any OpenAI-compatible chat endpoint). `generate.summarize_target` resolves a target id to its
articles, runs the configured backend, checks every cited sentence and stores the result as a draft.
"""

from __future__ import annotations

from storyline.explain.summaries.base import SummaryError, SummarySettings

__all__ = ["SummaryError", "SummarySettings"]
