"""Translations of timeline entries into the reader's language, through the configured LLM endpoint.

An entry whose sources hold no sentence in the reader's language keeps its best source sentence as its
text (marked with that sentence's language); where an OpenAI-compatible endpoint is configured
(`[summaries] model`, `base_url`), the sentence is sent through the same path as summaries
(`LLMSummarizer`: untrusted text inside a nonce-delimited data block, one bullet asked for in the
reader's language, citing the sentence, and the grounding check: names, numbers and dates of the
translation must occur in the source). What passes is stored beside the entry
(`store.save_entry_translation`), naming the sentence it translates; what fails is reported, never
stored. The source text is never replaced.
"""

from __future__ import annotations

from typing import Any

from storyline.config import Config, get_config
from storyline.explain.summaries.base import SummaryError, now_iso
from storyline.explain.timeline_view import base_lang, representative, sentences_named
from storyline.model import article_from_text


def translator(config: Config | None = None):
    """The LLM backend that translates (the summaries' one); SummaryError when none is configured."""
    from storyline.explain.summaries.generate import summary_settings
    from storyline.explain.summaries.llm import LLMSummarizer

    cfg = config or get_config()
    return LLMSummarizer(summary_settings(cfg), config=cfg)


def translate_story(store, story_id: str, lang: str, config: Config | None = None, *, llm=None,
                    limit: int | None = None) -> dict[str, Any]:
    """Translate the story's entries that have no source in `lang` and no stored translation yet."""
    want = base_lang(lang)
    llm = llm or translator(config)
    rows = store.timeline_entry_rows(story_id)
    have = store.entry_translations([e["id"] for e in rows], want)
    named = sentences_named(rows)
    done, rejected = 0, []
    todo = [e for e in rows if e["id"] not in have]
    for e in todo[:limit] if limit else todo:
        rep, same = representative(e, want, named)
        if rep is None or same:
            continue
        art = article_from_text(rep["sentence"], id=rep["article_id"], lang=rep.get("lang"))
        try:
            out = llm.summarize([art], target_id=e["id"], lang=want)
        except SummaryError as exc:
            rejected.append({"entry_id": e["id"], "reason": str(exc)})
            continue
        if not out.bullets:
            reasons = "; ".join(r.get("reason", "") for r in out.rejected) or "no translation"
            rejected.append({"entry_id": e["id"], "reason": reasons})
            continue
        text = " ".join(b.text for b in out.bullets)
        store.save_entry_translation(e["id"], want, text, rep["article_id"], rep["sentence_index"],
                                     getattr(llm, "model", None), now_iso())
        done += 1
    return {"translated": done, "rejected": rejected}
