"""Language identification with lingua (bundled models, no download).

The detector is built once per process and per candidate set (lazy, cached). Memory matters: lingua
loads uni- to five-gram models for texts shorter than 120 letters (~20 MB per language) but only
trigram models for longer ones, so short texts go to a low-accuracy (trigram-only) detector and their
result is trusted only when confident; a short paragraph otherwise takes the article's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: lingua uses only trigram models from 120 *letters* on (counted after dropping punctuation and
#: digits); 200 characters is safely past that, so the high-accuracy detector never loads the
#: uni-to-five-gram models (measured: 38 languages would cost ~15 s and >500 MB).
LONG_TEXT = 200


class LanguageError(ValueError):
    pass


@dataclass
class LangResult:
    lang: str | None
    confidence: float


def _lingua_language(code: str) -> Any:
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
    except (AttributeError, ValueError) as exc:
        raise LanguageError(f"unknown language code {code!r} in [ingest] languages") from exc


@lru_cache(maxsize=64)
def _detectors(codes: tuple[str, ...]) -> tuple[Any, Any]:
    from lingua import LanguageDetectorBuilder

    langs = [_lingua_language(c) for c in codes]
    if len(langs) < 2:
        raise LanguageError("[ingest] languages needs at least two candidate languages")
    high = LanguageDetectorBuilder.from_languages(*langs).build()
    low = LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
    return high, low


def detect(text: str, languages: list[str] | tuple[str, ...]) -> LangResult:
    """Most likely ISO 639-1 code and its confidence (0..1); (None, 0) when nothing is recognisable."""
    text = text.strip()
    if not text:
        return LangResult(None, 0.0)
    high, low = _detectors(tuple(languages))
    detector = high if len(text) >= LONG_TEXT else low
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value <= 0:
        return LangResult(None, 0.0)
    best = values[0]
    return LangResult(best.language.iso_code_639_1.name.lower(), round(float(best.value), 4))


#: languages that are confused with each other and must be told apart per paragraph
RELATIVES = [{"nb", "nn", "da", "sv"}, {"es", "pt", "ca", "it"}, {"cs", "sk"}, {"hr", "sl"}, {"ru", "uk", "bg"}]


def paragraph_candidates(article_lang: str, languages: list[str], switch_to: list[str]) -> tuple[str, ...]:
    """Per-paragraph candidates: the article's language, its close relatives, and the languages a
    paragraph commonly switches to (quotes, wire copy). Lingua's cost grows with the candidate count
    (38 languages: ~6 ms a paragraph; 8: ~1 ms), and the article-level pass already used all of them."""
    keep = {article_lang, *switch_to}
    for group in RELATIVES:
        if article_lang in group:
            keep |= group
    return tuple(sorted(c for c in keep if c in languages))


def detect_article(paragraphs: list[str], languages: list[str], *, min_confidence: float,
                   min_chars: int, switch_to: list[str] | None = None) -> tuple[LangResult, list[LangResult]]:
    """Article language from the whole text; per paragraph, falling back to it when unsure."""
    whole = detect("\n".join(paragraphs), languages)
    if whole.lang is not None:
        narrowed = paragraph_candidates(whole.lang, list(languages), switch_to or ["en", "de", "fr", "es"])
        if len(narrowed) >= 2:
            languages = list(narrowed)
    per: list[LangResult] = []
    for p in paragraphs:
        if len(p) < min_chars or whole.lang is None:
            per.append(LangResult(whole.lang, whole.confidence))
            continue
        r = detect(p, languages)
        if r.lang is None or r.confidence < min_confidence:
            per.append(LangResult(whole.lang, whole.confidence))
        else:
            per.append(r)
    return whole, per
