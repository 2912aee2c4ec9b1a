"""`extract_quotes(article, sentences, mentions)`: every quotation of an article with its speaker.

A pure function (no store), so the pipeline step, the evaluation and the benchmark share it. With
entity mentions the speaker is the canonical entity; without them (mentions=[]) a capitalised-run
heuristic names the speaker and a surname is expanded to the fullest name the article gives it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from storyline.analyze.quotes.attribute import SpeakerRef, speaker_in
from storyline.analyze.quotes.continued import continued_quotes
from storyline.analyze.quotes.cues import PRONOUNS, SPEECH_VERBS
from storyline.analyze.quotes.direct import Found, dash_quotes, dash_units, mark_quotes
from storyline.analyze.quotes.indirect import indirect_quotes
from storyline.analyze.quotes.learned import LANGS, configured_tagger, is_act, learned_quotes
from storyline.analyze.quotes.medium import find_medium
from storyline.analyze.quotes.names import WORD, cap_sequences, first_name_gender, fold, looks_like_person
from storyline.analyze.quotes.roles import Holder, holder_for, holders
from storyline.analyze.quotes.settings import QuoteSettings
from storyline.analyze.quotes.split import split_second_reports
from storyline.model import Article, Mention, Quote, Sentence


@dataclass
class Resolved:
    """A quotation with its speaker resolved; `speaker_span` is where the speaker is named."""

    found: Found
    speaker: str | None
    entity_id: str | None
    description: str | None
    speaker_span: tuple[int, int] | None


@dataclass
class _Person:
    start: int
    end: int
    name: str
    entity_id: str | None
    gender: str | None


def quote_id(article_id: str, start: int, end: int) -> str:
    return "q-" + hashlib.sha1(f"{article_id}:{start}:{end}".encode()).hexdigest()[:12]


def extract_quotes(article: Article, sentences: list[Sentence], mentions: list[Mention],
                   canonical: Mapping[str, str] | None = None,
                   settings: QuoteSettings | None = None) -> list[Quote]:
    """Quotes of `article`; `canonical` maps entity ids to canonical names (else mention text)."""
    return [_to_quote(article, sentences, r, settings or QuoteSettings())
            for r in find_quotes(article, sentences, mentions, canonical, settings)]


def find_quotes(article: Article, sentences: list[Sentence], mentions: list[Mention],
                canonical: Mapping[str, str] | None = None,
                settings: QuoteSettings | None = None) -> list[Resolved]:
    """Like `extract_quotes`, keeping where the speaker is named (the PolNeAR eval needs it)."""
    settings = settings or QuoteSettings()
    canonical = canonical or {}
    if not article.paragraphs:
        from storyline.model import Paragraph

        article.paragraphs = [Paragraph(text=article.text, start=0)]
    continued = continued_quotes(article, mentions)
    dashes = _outside_continued(dash_quotes(article, mentions), continued)
    quoted = [(f.start, f.end) for f in dashes + continued]
    marks, regions = mark_quotes(article, mentions, settings.min_words, quoted)
    quoted += regions
    _link_dash_quotes(article, dashes, mentions)
    found = continued + dashes + marks
    if settings.indirect:
        found += indirect_quotes(article, sentences, mentions, quoted)
    found = _without_acts(article, found)
    found = _with_learned(article, mentions, found, settings)
    found = _merge([f for f in found if not f.question])
    found = split_second_reports(article.text, found, _english(article))
    resolver = _Resolver(article, sentences, mentions, canonical, quoted, settings)
    out: list[Resolved] = []
    by_para: dict[int, Resolved] = {}
    for f in found:
        r = resolver.resolve(f)
        if f.link in ("prev", "next") and r.speaker is None and r.description is None:
            continue  # filled below from the neighbour
        out.append(r)
        by_para[f.paragraph] = r
    # unattributed parts of a quotation take the speaker of the attributed neighbour
    for f in found:
        if f.link in ("prev", "next"):
            nb = by_para.get(f.paragraph + (1 if f.link == "next" else -1))
            if nb is not None:
                r = Resolved(f, nb.speaker, nb.entity_id, nb.description, nb.speaker_span)
                f.cue, f.medium, f.attr_start, f.attr_end = nb.found.cue, nb.found.medium, None, None
                out.append(r)
                by_para[f.paragraph] = r
    # a quotation nobody is named or described for is not "who said what"
    out = [r for r in out if r.speaker or r.description]
    out.sort(key=lambda r: r.found.start)
    return out


def _with_learned(article: Article, mentions: list[Mention], found: list[Found],
                  settings: QuoteSettings) -> list[Found]:
    """Add the trained tagger's quotations where it knows the language, combined as configured."""
    nlp = configured_tagger(settings)
    if nlp is None:
        return found
    learned = learned_quotes(article, mentions, nlp)
    if settings.combine == "union" or not learned:
        return found + learned
    covered = {i for i, p in enumerate(article.paragraphs) if (p.lang or article.lang or "en") in LANGS}
    starts = [p.start for p in article.paragraphs]

    def in_covered(f: Found) -> bool:
        return bisect.bisect_right(starts, f.start) - 1 in covered

    keep = [f for f in found if not in_covered(f) or (settings.combine == "learned+direct" and f.direct)]
    return keep + learned


def _without_acts(article: Article, found: list[Found]) -> list[Found]:
    """Drop the rules' English indirect quotations that name an act ("declared his commitment to …")."""
    english = _english(article)
    return [f for f in found if f.direct or not f.cue or not english(f)
            or not is_act(article.text, f.cue, f.parts or [(f.start, f.end)])]


def _english(article: Article) -> Callable[[Found], bool]:
    """A test of whether a quotation starts in an English paragraph (paragraph starts found once)."""
    starts = [p.start for p in article.paragraphs]

    def english(f: Found) -> bool:
        para = article.paragraphs[max(0, bisect.bisect_right(starts, f.start) - 1)]
        return (para.lang or article.lang or "en") == "en"

    return english


def _outside_continued(dashes: list[Found], continued: list[Found]) -> list[Found]:
    """Dash paragraphs that are part of a continued quotation belong to it, not to themselves."""
    return [d for d in dashes if not any(c.start <= d.start < c.end for c in continued)]


def _link_dash_quotes(article: Article, dashes: list[Found], mentions: list[Mention]) -> None:
    """Give an unattributed dash paragraph to its quotation's neighbour, or to a "X sier:" intro."""
    by_para = {f.paragraph: f for f in dashes}
    for f in sorted(dashes, key=lambda f: f.paragraph):
        if f.link != "?":
            continue
        prev, nxt = by_para.get(f.paragraph - 1), by_para.get(f.paragraph + 1)
        if prev is not None and not prev.question and (prev.cue or prev.link in ("prev", "next")):
            f.link = "prev"
        elif nxt is not None and not nxt.question and nxt.cue:
            f.link = "next"
        elif not _intro_colon(article, f, mentions):
            f.link = None


def _intro_colon(article: Article, f: Found, mentions: list[Mention]) -> bool:
    """ "Pompeo sa til CNN:" closing the previous paragraph attributes the quotation after it."""
    if f.paragraph == 0:
        return False
    u_start, u_end = dash_units(article)[f.paragraph - 1]
    text = article.text
    body = text[u_start:u_end].rstrip()
    if not body.endswith(":"):
        return False
    last = max(body.rfind(". "), body.rfind("! "), body.rfind("? "))
    s = u_start + (last + 2 if last != -1 else 0)
    e = u_start + len(body) - 1
    for m in WORD.finditer(text, s, e):
        if m.group().lower() in SPEECH_VERBS:
            spk = speaker_in(text, s, m.start(), mentions, after_cue=False) or \
                speaker_in(text, m.end(), e, mentions, after_cue=True)
            if spk is not None:
                f.cue, f.cue_start, f.speaker, f.medium = m.group(), m.start(), spk, find_medium(text[m.end():e])
                f.attr_start, f.attr_end, f.link = s, e, None
                return True
    return False


def _merge(found: list[Found]) -> list[Found]:
    """One quotation per stretch of text: a direct quote covering most of an indirect one wins."""
    found = sorted(found, key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Found] = []
    for f in found:
        clash = next((o for o in out if o.start < f.end and f.start < o.end), None)
        if clash is None:
            out.append(f)
            continue
        a, b = (clash, f) if clash.end - clash.start >= f.end - f.start else (f, clash)  # a longer
        if a.speaker is None and b.speaker is not None:
            keep = b
        elif b.direct and not a.direct and (b.end - b.start) >= 0.6 * (a.end - a.start):
            keep = b
            if keep.speaker is None:
                keep.speaker, keep.cue, keep.cue_start, keep.medium = a.speaker, a.cue, a.cue_start, a.medium
                keep.attr_start, keep.attr_end, keep.source = a.attr_start, a.attr_end, a.source
        else:
            keep = a
        other = b if keep is a else a
        if keep.learned and not other.learned and _holds_speaker(keep, other.speaker):
            keep, other = other, keep  # the tagger read the rules' speaker as content ("…, said X")
        if keep.learned and not other.learned and other.direct and other.speaker is not None \
                and other.speaker.kind == "name":
            # a quotation the rules attribute by its own typography (dash, label, tail) keeps that speaker
            keep.speaker, keep.cue, keep.cue_start, keep.source = other.speaker, other.cue, other.cue_start, None
        if keep is not clash:
            out[out.index(clash)] = keep
    return out


def _holds_speaker(f: Found, ref: SpeakerRef | None) -> bool:
    """True when quotation `f` contains the named speaker `ref` (a quotation never holds its own speaker)."""
    if ref is None or ref.kind != "name":
        return False
    return any(s <= ref.start and ref.end <= e for s, e in (f.parts or [(f.start, f.end)]))


class _Resolver:
    def __init__(self, article: Article, sentences: list[Sentence], mentions: list[Mention],
                 canonical: Mapping[str, str], quoted: list[tuple[int, int]], settings: QuoteSettings):
        self.article, self.text = article, article.text
        self.mentions, self.canonical, self.settings = mentions, canonical, settings
        self.quoted = sorted(quoted)
        self.sent_starts = [s.start for s in sentences] or [0]
        self.gender: dict[str, str] = {}
        self.people = self._people()
        self._holders: list[Holder] | None = None
        self.previous: Resolved | None = None

    def _holder(self, description: str, pos: int) -> Holder | None:
        if self._holders is None:
            self._holders = holders(self.text, self.mentions, dict(self.canonical))
        return holder_for(description, pos, self._holders)

    def _outside(self, s: int, e: int) -> bool:
        return not any(a <= s and e <= b for a, b in self.quoted)

    def _name_of(self, m: Mention) -> str:
        if m.entity_id and m.entity_id in self.canonical:
            return self.canonical[m.entity_id]
        return m.normalized or m.text

    def _people(self) -> list[_Person]:
        """Person mentions outside quotations, in text order (pronoun antecedents)."""
        people: list[_Person] = []
        full: dict[str, str] = {}
        for m in self.mentions:
            if m.type == "PER":
                name = self._name_of(m)
                people.append(_Person(m.start, m.end, name, m.entity_id, None))
        runs = cap_sequences(self.text)
        for s, e in runs:
            name = self.text[s:e]
            if looks_like_person(name):
                full.setdefault(fold(name.split()[-1]), name)
        if not self.mentions:
            for s, e in runs:
                name = self.text[s:e]
                key = fold(name.split()[-1])
                if key in full and (looks_like_person(name) or len(name.split()) == 1):
                    people.append(_Person(s, e, full[key], None, None))
        self.full_names = full
        people = [p for p in people if self._outside(p.start, p.end)]
        for p in people:
            p.gender = first_name_gender(p.name)
        people.sort(key=lambda p: p.start)
        return people

    def _sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def resolve(self, f: Found) -> Resolved:
        r = self._resolve(f)
        if f.source is not None and r.speaker_span is not None:
            r.speaker_span = f.source  # the speaker is named by the whole Source phrase, apposition included
        if r.speaker or r.description:
            self.previous = r
        return r

    def _resolve(self, f: Found) -> Resolved:
        ref = f.speaker
        if ref is None:
            return Resolved(f, None, None, None, None)
        if ref.kind == "pronoun":
            return self._pronoun(f, ref)
        m = ref.mention or next((m for m in self.mentions if m.start < ref.end and ref.start < m.end), None)
        if ref.kind == "description" or (m is None or m.type != "PER") and " " not in ref.text.strip():
            h = self._holder(ref.text, f.cue_start if f.cue_start is not None else ref.start)
            if h is not None:  # "utenriksministeren" after "utenriksminister Ine Eriksen Søreide"
                return Resolved(f, h.name, h.entity_id, None, (ref.start, ref.end))
        if ref.kind == "description":
            return Resolved(f, None, None, ref.text, (ref.start, ref.end))
        if m is not None:
            return Resolved(f, self._name_of(m), m.entity_id, None, (ref.start, ref.end))
        name = ref.text
        if len(name.split()) == 1:
            name = self.full_names.get(fold(re.sub(r"(?:'s|’s)$", "", name)), name)
        return Resolved(f, name, None, None, (ref.start, ref.end))

    def _pronoun(self, f: Found, ref: SpeakerRef) -> Resolved:
        want = PRONOUNS.get(ref.text.lower())
        if want == "p":
            return Resolved(f, None, None, ref.text, (ref.start, ref.end))
        pos = min(ref.start, f.cue_start if f.cue_start is not None else ref.start)
        prev = self.previous
        if prev is not None and prev.speaker is None and prev.description and prev.speaker_span is not None:
            # "En lærer forteller at …" then "– Det fungerer, sier hun.": the unnamed speaker goes on
            since = prev.speaker_span[1]
            if 0 <= pos - since <= 400 and not any(since <= p.start < pos and not f.start <= p.start < f.end
                                                   for p in self.people):
                return Resolved(f, None, None, prev.description, (ref.start, ref.end))
        here = self._sentence_of(pos)
        best: _Person | None = None
        best_sent = -1
        for p in self.people:
            if p.end > pos or (f.start <= p.start < f.end):
                continue
            sent = self._sentence_of(p.start)
            if here - sent > self.settings.pronoun_window:
                continue
            g = p.gender or self.gender.get(p.name)
            if g and want and g != want:
                continue
            if sent > best_sent:  # nearest sentence first; within it, the first-mentioned
                best, best_sent = p, sent
        if best is None:
            return self._previous_speaker(f, ref, want, pos)
        if want and not (best.gender or self.gender.get(best.name)):
            self.gender[best.name] = want
        return Resolved(f, best.name, best.entity_id, None, (ref.start, ref.end))

    def _previous_speaker(self, f: Found, ref: SpeakerRef, want: str | None, pos: int) -> Resolved:
        """No person mention fits the pronoun: the last quotation's named speaker, when it is near and
        its gender does not clash, is the antecedent ("Mr. Lund said …. He added that …"): reporters
        keep the speaker of a run of quotations, and without entity mentions a bare surname or a
        title plus surname is no person candidate."""
        prev = self.previous
        none = Resolved(f, None, None, None, (ref.start, ref.end))
        if prev is None or prev.speaker is None or prev.speaker_span is None:
            return none
        if self._sentence_of(pos) - self._sentence_of(prev.speaker_span[0]) > self.settings.pronoun_window:
            return none
        gender = first_name_gender(prev.speaker) or self.gender.get(prev.speaker)
        if gender and want and gender != want:
            return none
        return Resolved(f, prev.speaker, prev.entity_id, None, (ref.start, ref.end))


_dates_mod: object | None = None


def _find_dates():
    global _dates_mod
    if _dates_mod is None:
        try:
            from storyline.analyze import dates as mod

            _dates_mod = getattr(mod, "find_dates", False)
        except Exception:  # the dates stage is optional for quotes
            _dates_mod = False
    return _dates_mod or None


def _quote_date(article: Article, f: Found, settings: QuoteSettings) -> tuple[str | None, str | None]:
    date, prec = article.published, article.published_precision
    finder = _find_dates() if settings.event_dates else None
    if finder is None or f.attr_start is None or not article.published:
        return date, prec
    text = article.text
    parts = [(f.attr_start, min(f.attr_end or f.attr_start, f.start)), (max(f.attr_start, f.end), f.attr_end)]
    if not f.direct:
        parts = [(f.attr_start, f.attr_end)]
    for s, e in parts:
        if e is None or e <= s:
            continue
        try:
            matches = finder(text[s:e], article.lang, article.published,
                             reference_precision=article.published_precision)
        except Exception:
            return date, prec
        for m in matches:  # only a day-precise date is more specific than the publication date
            if getattr(m, "precision", None) in ("day", "minute"):
                return m.date, m.precision
    return date, prec


def _to_quote(article: Article, sentences: list[Sentence], r: Resolved, settings: QuoteSettings) -> Quote:
    f = r.found
    date, prec = _quote_date(article, f, settings)
    lang = article.lang
    for p in article.paragraphs:
        if p.start <= f.start <= p.start + len(p.text):
            lang = p.lang or lang
    text = " ".join(article.text[s:e] for s, e in f.parts) if f.parts else article.text[f.start:f.end]
    return Quote(id=quote_id(article.id, f.start, f.end), article_id=article.id,
                 text=text, start=f.start, end=f.end, direct=f.direct,
                 speaker=r.speaker, speaker_entity_id=r.entity_id, speaker_description=r.description,
                 cue=f.cue, medium=f.medium, lang=lang, date=date, date_precision=prec)
