"""Language identification with lingua (bundled models, no download), fast enough for bulk ingest.

Lingua's cost grows with the characters read x candidate languages (measured: ~4 µs per character
with 38 candidates, ~0.7 µs with 8; languages of another script are nearly free), so running all
candidates over every article and again over every paragraph made language ID ~80% of ingest time.
The article pass is therefore two-staged:

1. *Shortlist*: ~`SAMPLE_CHARS` characters (from the start and the middle) against the whole
   candidate set; keep its top languages, the confusable relatives of the best one (nb/nn/da/sv,
   es/pt/ca/gl/it, ...) and the languages paragraphs commonly switch to (quotes, wire copy).
2. *Per paragraph*: each paragraph of `min_chars` or more (its first few hundred characters) against
   the shortlist only. The article language is the length-weighted sum of the paragraphs' confidence
   values, so the whole text (not only the sample) decides between close relatives such as Bokmål
   and Danish.

Memory matters too: lingua loads uni- to five-gram models for texts shorter than 120 letters (~40 MB
per language) but only trigram models for longer ones. Long texts and paragraphs use a low-accuracy
(trigram-only) detector; a text that is short as a whole and looks Scandinavian is re-checked with a
high-accuracy detector restricted to nb/nn/da/sv (`SHORT_TEXT_HIGH_ACCURACY`), which bounds the
models loaded (~220 MB peak over short texts in 8 languages). Detectors are built once per candidate
set and cached. Quality figures: `storyline eval langid --dir DIR [--mixed N] [--split] [--strip]`.

Inside the Scandinavian family lingua is weak (on news sentences it took one Bokmål sentence in
seven for Nynorsk), so once lingua's confidence mass says "Scandinavian" (nb/nn/da/sv together outweigh
every other family), a trained discriminator (`scandi_classifier`: hashed character and word n-grams, a
linear model) shares that mass out between the four: lingua decides the family, the discriminator
(with lingua's own ranking as a prior, `LINGUA_WEIGHT`, and on short texts the function-word evidence
of `scandinavian.evidence`) the language. The discriminator works on letters only (casing and
punctuation do not matter) and costs ~0.1 ms per sentence. A text of few words (`SHORT_WORDS`) gets
its logits scaled down (lingua's short-text models count more there) and a confidence pulled towards
a uniform guess, so a headline keeps its best answer but is never confidently wrong.

The family decision has one exception. On a short text, lingua's trigram pass over every candidate
sometimes puts a Scandinavian sentence in an unrelated language (Nynorsk read as Lithuanian or
Estonian: a few trigrams decide one sentence). When it still gives nb/nn/da/sv some confidence
(`FAMILY_RECHECK_MASS`) and the text has at least `FAMILY_RECHECK_MIN_WORDS` words, a second model,
py3langid (`family_check`), is asked between the four and lingua's best rivals; only when it answers
Scandinavian does the text take the Scandinavian path above. lingua's high-accuracy models would do
the same at ~20 MB per rival language; py3langid is one 4.5 MB model for all of them. Paragraphs go
through the same decision; the article language is the length-weighted vote of its paragraphs'
values, and a paragraph is put in a close relative of the article language (a Danish quote in a
Bokmål article) only when its own evidence is strong (`RELATIVE_SWITCH`). Without shipped weights the
lexical tie-breaker alone is used on short texts, as before the discriminator existed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from storyline.ingest import family_check, scandi_classifier
from storyline.ingest.scandinavian import SCANDINAVIAN, evidence

#: lingua uses only trigram models from 120 *letters* on (counted after dropping punctuation and
#: digits); 200 characters is safely past that.
LONG_TEXT = 200
#: characters of the article the whole candidate set looks at (stage 1), taken in `SAMPLE_PIECES`
#: word-aligned pieces spread over the text so that a leading quote or intro does not decide alone
SAMPLE_CHARS = 140
SAMPLE_PIECES = 2
#: stage-1 languages kept besides the best one's relatives
SHORTLIST_TOP = 2
#: characters of a paragraph that are looked at (a paragraph rarely changes language midway): at
#: least `PARAGRAPH_CHARS`, more when the article has few paragraphs, up to `ARTICLE_CHARS` in all
PARAGRAPH_CHARS = 150
ARTICLE_CHARS = 600
#: a paragraph whose best family holds less confidence than this is re-checked with every candidate
RECHECK_BELOW = 0.75
#: a paragraph is put in a close relative of the article's language (nb -> da) only this confidently
RELATIVE_SWITCH = 0.8
#: languages a paragraph commonly switches to when the caller names none
DEFAULT_SWITCH = ["en", "de", "fr", "es"]

#: languages whose large short-text models (~40 MB each) are loaded for the re-check of a short text
#: (lingua's evidence that the discriminator combines with); others keep the trigram answer, so
#: memory stays bounded whatever mix of languages is ingested
SHORT_TEXT_HIGH_ACCURACY = frozenset({"nb", "nn", "da", "sv"})

#: a short text lingua's trigram pass puts outside the Scandinavian family is re-checked (`family_check`)
#: when lingua still gives nb/nn/da/sv this much confidence together, against this many of its best
#: other candidates
FAMILY_RECHECK_MASS = 0.05
FAMILY_RECHECK_RIVALS = 3
FAMILY_RECHECK_MIN_WORDS = 3

#: languages that are confused with each other and must be told apart per paragraph
RELATIVES = [{"nb", "nn", "da", "sv"}, {"es", "pt", "ca", "gl", "it"}, {"de", "nl"}, {"cs", "sk"},
             {"hr", "sl", "bs", "sr"}, {"ru", "uk", "be", "bg"}, {"id", "ms"}]


#: fallback without shipped weights: lingua confidence from which its answer stands without the
#: lexical tie-breaker, the weight of log(lingua confidence) against one unit of lexical evidence, and
#: its floor (a language lingua gives ~0 can still win on several distinctive words, never on one)
TIE_BREAK_BELOW = 0.99
TIE_BREAK_LINGUA_WEIGHT = 1.0
TIE_BREAK_FLOOR = 1e-3
#: characters of a text the discriminator reads (a paragraph rarely changes language midway)
DISCRIMINATOR_CHARS = 1000
#: weight of log(lingua's confidence) added to the discriminator's logits: lingua's character models
#: know other text than the training corpora (chosen on the training corpora's held-out slice:
#: macro accuracy 0.951 at 0, 0.956 at 0.5, 0.951 at 1)
LINGUA_WEIGHT = 0.5
#: texts of fewer words than this get a confidence pulled towards a uniform guess between the four:
#: share kept = (words / SHORT_WORDS) ** 0.5
SHORT_WORDS = 8

_CODES: dict[Any, str] = {}  # lingua Language -> ISO 639-1 code (the attribute chain is slow per call)


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


@lru_cache(maxsize=128)
def _detector(codes: tuple[str, ...], high: bool) -> Any:
    from lingua import LanguageDetectorBuilder

    langs = [_lingua_language(c) for c in codes]
    if len(langs) < 2:
        raise LanguageError("[ingest] languages needs at least two candidate languages")
    builder = LanguageDetectorBuilder.from_languages(*langs)
    return builder.build() if high else builder.with_low_accuracy_mode().build()


def _values(text: str, codes: tuple[str, ...], *, high: bool = False) -> list[tuple[str, float]]:
    """(code, confidence) best first; empty when nothing is recognisable."""
    values = _detector(codes, high).compute_language_confidence_values(text)
    out = []
    for v in values:
        if v.value <= 0:
            break  # sorted best first
        lang = v.language
        code = _CODES.get(lang)
        if code is None:
            code = _CODES[lang] = lang.iso_code_639_1.name.lower()
        out.append((code, v.value))
    return out


def detect(text: str, languages: list[str] | tuple[str, ...]) -> LangResult:
    """Most likely ISO 639-1 code and its confidence (0..1); (None, 0) when nothing is recognisable."""
    text = text.strip()
    if not text:
        return LangResult(None, 0.0)
    codes = tuple(sorted(set(languages)))
    values = _values(text, codes, high=False)
    if values and len(text) < LONG_TEXT and (few := _short_text_set(values, codes) or
                                             _scandinavian_after_all(text, values, codes)):
        values = _values(text, few, high=True) or values
    if not values:
        return LangResult(None, 0.0)
    values = scandinavian_decision(text, values, codes)
    return LangResult(values[0][0], round(values[0][1], 4))


def _scandinavian_after_all(text: str, values: list[tuple[str, float]], codes: tuple[str, ...]
                            ) -> tuple[str, ...] | None:
    """nb/nn/da/sv when a short text that lingua's trigram pass put in another family is Scandinavian
    after all, by py3langid's answer between the four and lingua's best `FAMILY_RECHECK_RIVALS` other
    candidates; asked only when lingua gives the four at least `FAMILY_RECHECK_MASS` together. None
    otherwise, and lingua's answer stands."""
    scandi = tuple(c for c in SCANDINAVIAN if c in codes)
    if len(scandi) < 2 or values[0][0] in SCANDINAVIAN:
        return None
    if sum(v for c, v in values if c in SCANDINAVIAN) < FAMILY_RECHECK_MASS:
        return None  # the common case (English, German … with no Scandinavian mass): decided cheaply
    if len(scandi_classifier.words(text)) < FAMILY_RECHECK_MIN_WORDS:
        return None
    rivals = tuple(c for c, _ in values if c not in SCANDINAVIAN)[:FAMILY_RECHECK_RIVALS]
    best = family_check.best(text, scandi, rivals)
    return scandi if best in SCANDINAVIAN else None


def _is_scandinavian(values: list[tuple[str, float]]) -> bool:
    """Whether lingua's confidence mass of nb/nn/da/sv outweighs that of every other family."""
    families: dict[str, float] = {}
    for code, v in values:
        key = "scandinavian" if code in SCANDINAVIAN else min(relatives_of(code))
        families[key] = families.get(key, 0.0) + v
    return families.get("scandinavian", 0.0) >= max(families.values())


def scandinavian_decision(text: str, values: list[tuple[str, float]], codes: tuple[str, ...] | list[str]
                          ) -> list[tuple[str, float]]:
    """`values` (lingua, best first) with the Scandinavian mass shared out by the discriminator when
    that family is lingua's answer and two or more of nb/nn/da/sv are candidates; otherwise unchanged.
    Texts of fewer than `SHORT_WORDS` words get the discriminator's answer with less confidence."""
    cands = tuple(c for c in SCANDINAVIAN if c in codes)
    if not values or len(cands) < 2 or not _is_scandinavian(values):
        return values
    model = scandi_classifier.shipped()
    if model is None:
        return scandinavian_tie_break(text, values, codes) if len(text) < LONG_TEXT else values
    sample = text[:DISCRIMINATOR_CHARS]
    given = dict(values)
    prior = {c: LINGUA_WEIGHT * math.log(given.get(c, 0.0) + TIE_BREAK_FLOOR) for c in cands}
    if len(text) < LONG_TEXT:  # short: the hand-written function-word evidence counts too
        ev = evidence(text)
        prior = {c: v + ev[c] for c, v in prior.items()}
    share = min(1.0, len(scandi_classifier.words(sample)) / SHORT_WORDS) ** 0.5
    probs = model.probabilities(sample, cands, prior, scale=share)  # few words: lingua counts more
    if not probs:
        return values
    mass = sum(v for c, v in given.items() if c in SCANDINAVIAN)
    out = [(c, mass * (share * p + (1 - share) / len(probs))) for c, p in probs.items()]
    out += [(c, v) for c, v in values if c not in SCANDINAVIAN]
    return sorted(out, key=lambda cv: cv[1], reverse=True)


def scandinavian_tie_break(text: str, values: list[tuple[str, float]], codes: tuple[str, ...] | list[str]
                           ) -> list[tuple[str, float]]:
    """Fallback without shipped weights: `values` (best first) re-ranked with lexical evidence when
    lingua's two best candidates are nb/nn/da/sv and it is below `TIE_BREAK_BELOW`; otherwise unchanged.
    The Scandinavian candidates share lingua's Scandinavian mass in proportion to lingua x exp(evidence)."""
    if not values or values[0][1] >= TIE_BREAK_BELOW or not all(c in SCANDINAVIAN for c, _ in values[:2]):
        return values
    cands = [c for c in SCANDINAVIAN if c in codes]
    if len(cands) < 2:
        return values
    ev = evidence(text)
    given = dict(values)
    scores = {c: TIE_BREAK_LINGUA_WEIGHT * math.log(given.get(c, 0.0) + TIE_BREAK_FLOOR) + ev[c] for c in cands}
    top = max(scores.values())
    weights = {c: math.exp(v - top) for c, v in scores.items()}
    mass = sum(given.get(c, 0.0) for c in cands)
    total = sum(weights.values())
    out = [(c, mass * w / total) for c, w in weights.items()] + [(c, v) for c, v in values if c not in weights]
    return sorted(out, key=lambda cv: cv[1], reverse=True)


def relatives_of(lang: str) -> set[str]:
    for group in RELATIVES:
        if lang in group:
            return set(group)
    return {lang}


def _short_text_set(values: list[tuple[str, float]], codes: tuple[str, ...]) -> tuple[str, ...] | None:
    """nb/nn/da/sv for the high-accuracy re-check of a short text whose best guess is one of them
    (None when fewer than two are candidates: the first answer stands)."""
    if values[0][0] not in SHORT_TEXT_HIGH_ACCURACY:
        return None
    narrowed = tuple(sorted(c for c in SHORT_TEXT_HIGH_ACCURACY if c in codes))
    return narrowed if len(narrowed) >= 2 else None


def paragraph_candidates(article_lang: str, languages: list[str], switch_to: list[str],
                         also: list[str] | None = None) -> tuple[str, ...]:
    """Per-paragraph candidates: the article's language, its close relatives, the languages a
    paragraph commonly switches to, and any `also` (stage-1 runners-up), within `languages`."""
    keep = {article_lang, *switch_to, *(also or [])} | relatives_of(article_lang)
    return tuple(sorted(c for c in keep if c in languages))


def _family_share(values: list[tuple[str, float]]) -> float:
    """Confidence mass of the best language and its relatives: low when the text fits no candidate
    family (the values are relative, so a language missing from the candidates spreads them out)."""
    if not values:
        return 0.0
    family = relatives_of(values[0][0])
    return sum(v for c, v in values if c in family)


def _spread_sample(text: str, n: int = SAMPLE_CHARS, pieces: int = SAMPLE_PIECES) -> str:
    """About `n` characters in `pieces` word-aligned slices, from the start and evenly further in."""
    if len(text) <= n * 3 // 2:
        return text
    size = n // pieces
    step = len(text) // pieces
    out = []
    for i in range(pieces):
        start = i * step
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < start + 40 else start
        piece = text[start:start + size]
        out.append(piece.rsplit(" ", 1)[0] if " " in piece else piece)
    return " … ".join(out)


def _sample(text: str, n: int = SAMPLE_CHARS) -> str:
    if len(text) <= n * 3 // 2:
        return text
    cut = text[:n]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def detect_article(paragraphs: list[str], languages: list[str] | tuple[str, ...], *, min_confidence: float,
                   min_chars: int, switch_to: list[str] | None = None) -> tuple[LangResult, list[LangResult]]:
    """Article language and one result per paragraph (short or unsure paragraphs take the article's)."""
    codes = tuple(sorted(set(languages)))
    whole_text = "\n".join(p.strip() for p in paragraphs).strip()
    none = LangResult(None, 0.0)
    if not whole_text:
        return none, [none for _ in paragraphs]
    if len(whole_text) < LONG_TEXT:  # one short text: the careful path, no per-paragraph split
        whole = detect(whole_text, codes)
        return whole, [whole for _ in paragraphs]
    first = _values(_spread_sample(whole_text), codes)
    if not first:
        return none, [none for _ in paragraphs]
    shortlist = paragraph_candidates(first[0][0], list(codes), DEFAULT_SWITCH if switch_to is None else switch_to,
                                     also=[c for c, _ in first[:SHORTLIST_TOP]])
    if len(shortlist) < 2:
        shortlist = codes
    n_long = sum(1 for p in paragraphs if len(p) >= min_chars)
    budget = max(PARAGRAPH_CHARS, ARTICLE_CHARS // max(1, n_long))
    per_values: list[list[tuple[str, float]] | None] = []
    totals: dict[str, float] = {}
    for p in paragraphs:
        if len(p) < min_chars:
            per_values.append(None)
            continue
        sample = _sample(p, budget)
        used = shortlist
        vals = _values(sample, shortlist)
        if _family_share(vals) < RECHECK_BELOW and shortlist != codes:
            used = codes  # no shortlisted family fits: a language not foreseen
            vals = _values(sample, codes)
        vals = scandinavian_decision(p, vals, used)
        per_values.append(vals)
        for code, v in vals:
            totals[code] = totals.get(code, 0.0) + v * len(p)
    if not totals:  # every paragraph short: judge them together
        vals = scandinavian_decision(whole_text, _values(whole_text, shortlist), shortlist)
        totals = {c: v for c, v in vals}
    if not totals:
        return none, [none for _ in paragraphs]
    mass = sum(totals.values())
    lang = max(totals, key=lambda c: totals[c])
    whole = LangResult(lang, round(totals[lang] / mass, 4))
    per: list[LangResult] = []
    family = relatives_of(lang)
    for vals in per_values:
        if not vals or vals[0][1] < min_confidence:
            per.append(whole)
        elif vals[0][0] != lang and vals[0][0] in family and vals[0][1] < RELATIVE_SWITCH:
            per.append(whole)  # close relatives are confused far more often than a text switches between them
        else:
            per.append(LangResult(vals[0][0], round(vals[0][1], 4)))
    return whole, per
