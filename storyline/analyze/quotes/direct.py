"""Direct quotations: quote-mark spans in every typography and dash-opened paragraphs.

Scandinavian journalism opens a quotation paragraph with a dash ("– Vi ønsker fred …, sa Maduro");
some sites type a hyphen instead. The attribution sits in the paragraph's last clause; a dash
paragraph without one continues the neighbouring quotation, unless it is a question (the
interviewer's) or a short heading. Quote-mark spans are kept when a cue attributes them, or when they
are long enough to be a statement; short unattributed ones are scare quotes or titles. A quotation signed
after its closing mark with a dash and a name ("“…” ― Name") is that name's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.analyze.quotes.attribute import SpeakerRef, Tail, parse_tail, speaker_in
from storyline.analyze.quotes.cues import DASHES, SPEECH_VERBS
from storyline.analyze.quotes.medium import find_medium
from storyline.analyze.quotes.names import PARTICLES, WORD
from storyline.model import Article, Mention


@dataclass
class Found:
    start: int
    end: int
    direct: bool
    cue: str | None = None
    cue_start: int | None = None
    speaker: SpeakerRef | None = None
    medium: str | None = None
    attr_start: int | None = None  # the attribution clause (dates are read there)
    attr_end: int | None = None
    question: bool = False
    paragraph: int = 0
    link: str | None = None  # "next" / "prev": an unattributed part of a longer quotation
    parts: list[tuple[int, int]] | None = None  # a quotation continued over paragraphs: its quoted pieces
    learned: bool = False  # found by the trained tagger, not by the rules
    source: tuple[int, int] | None = None  # the tagger's whole Source span ("Schiff, 56, who …,")


QUOTE_SPANS = [
    re.compile(r"«([^«»]+)»"),
    re.compile(r"»([^«»]+)«"),  # Danish and Swedish book style
    re.compile(r"„([^„“”]+)[“”]"),
    re.compile(r"“([^“”]+)”"),
    re.compile(r"(?<![\w])\"([^\"]+)\"(?!\w)"),
    re.compile(r"(?<![\w'])''(?!')(.+?)''(?!')"),  # typewriter doubles: ''…'' (NYT archive style)
    re.compile(r"(?<![\w])‘([^‘’]+?)’(?!\w)"),
    re.compile(r"(?<![\w'])'([^']+?)'(?![\w'])"),
    re.compile(r"‹([^‹›]+)›"),
]
def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks (marks included), first matching typography wins."""
    taken: list[tuple[int, int]] = []
    for pat in QUOTE_SPANS:
        for m in pat.finditer(text):
            if "\n\n" not in m.group() and not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
    return sorted(taken)


def quoted_share(spans: list[tuple[int, int]], quoted: list[tuple[int, int]]) -> float:
    """Which share of the characters of `spans` lies inside the `quoted` regions (direct speech)."""
    total = sum(e - s for s, e in spans)
    inside = sum(max(0, min(e, b) - max(s, a)) for s, e in spans for a, b in quoted)
    return inside / total if total else 0.0


_DASH_OPEN = re.compile("[" + DASHES + r"]\s+")
#: a transcript's speaker label: "PENCE: Well, …", "Q:" is left out (it is the interviewer)
_LABEL = re.compile(r"([A-ZÆØÅÄÖÜÉ][A-ZÆØÅÄÖÜÉ.'-]+(?: [A-ZÆØÅÄÖÜÉ][A-ZÆØÅÄÖÜÉ.'-]+){0,3}):\s+")
_CLAUSE_BREAK = re.compile(r"[.!?;:](?:\s|$)|[”»\"]")
#: "“…” ― Sonya Herridge": a quotation signed after its closing mark by a quotation dash (U+2015) or an
#: em dash and a name, the typography of epigraphs, testimonials and readers' comments
_SIGNED = re.compile(r"[”»\"'’“«]{1,2}[ \t\u00a0]*(?P<dash>[―—])[ \t\u00a0]*(?P<name>[^\W\d_][^\n“”\"«»„,;()]{1,60}?)"
                     r"(?=\.?[ \t\u00a0]*(?:$|\n|[“\"«„,])|(?<=\w\w)\.\s)")
_SIGNATURE_WORD = re.compile(r"[^\W\d_][\w’'\-]*\.?$")


def _nwords(s: str) -> int:
    return len(WORD.findall(s))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,–—-":
        s += 1
    while e > s and text[e - 1] in " ,–—-":
        e -= 1
    return s, e


_UNIT_BREAK = re.compile(r"(?<=[.!?…])\s+(?=[–—]\s)")


def dash_units(article: Article) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, split again where a sentence opens with a dash mid-paragraph
    (text whose line breaks were lost)."""
    units = []
    for para in article.paragraphs:
        s0 = para.start
        for m in _UNIT_BREAK.finditer(para.text):
            units.append((s0, para.start + m.start()))
            s0 = para.start + m.end()
        units.append((s0, para.start + len(para.text)))
    return units


def dash_quotes(article: Article, mentions: list[Mention]) -> list[Found]:
    """Quotations in dash-opened paragraphs, attributed by their last clause or by a neighbour."""
    text = article.text
    found: list[Found] = []
    for ui, (u_start, u_end) in enumerate(dash_units(article)):
        m = _DASH_OPEN.match(text, u_start, u_end)
        if not m:
            lab = _LABEL.match(text, u_start, u_end)
            if lab and len(lab.group(1)) > 2 and _nwords(text[lab.end():u_end]) >= 3:
                name = lab.group(1)
                found.append(Found(lab.end(), u_end, True, None, None,
                                   SpeakerRef("name", lab.start(1), lab.end(1), name.title()), paragraph=ui))
            continue
        p_start, p_end = m.end(), u_end
        tail = _find_tail(text, p_start, p_end, mentions)
        if tail is not None:
            qs, qe = _trim(text, p_start, tail[0])
            t = tail[1]
            found.append(Found(qs, qe, True, t.cue, t.cue_start, t.speaker, t.medium, tail[0], t.end,
                               paragraph=ui))
            continue
        body = text[p_start:p_end].rstrip()
        if body.endswith("?"):
            found.append(Found(p_start, p_end, True, question=True, paragraph=ui))
        elif _nwords(body) >= 4 and body[-1:] in ".!…»”\"":
            found.append(Found(p_start, p_end, True, paragraph=ui, link="?"))
        # else: a short dash heading ("– Vanskelig og pinlig"), not speech
    return found


def _find_tail(text: str, s: int, e: int, mentions: list[Mention]) -> tuple[int, Tail] | None:
    """Rightmost clause boundary in text[s:e] after which an attribution clause runs to the end."""
    for m in reversed(list(re.finditer(r"[,!?…]|\.\.\.|[”»\"’]", text[s:e]))):
        pos = s + m.start()
        if pos - s < 3:
            break
        t = parse_tail(text, pos + len(m.group()) if m.group() in ",…" else pos + 1, e, mentions)
        if t is not None and t.end >= e - 1:
            cut = pos + (1 if m.group() in "!?…" else 0)
            return cut, t
    return None


def mark_quotes(article: Article, mentions: list[Mention], min_words: int,
                skip: list[tuple[int, int]]) -> tuple[list[Found], list[tuple[int, int]]]:
    """Quote-mark spans attributed by a cue in the same sentence (before or after the span), and
    every quoted span of two words or more (names inside them are never pronoun antecedents)."""
    text = article.text
    spans: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []
    for pat in QUOTE_SPANS:
        for m in pat.finditer(text):
            s, e = m.start(1), m.end(1)
            if "\n\n" in text[s:e] or any(a < e and s < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            spans.append((s, e))
    spans.sort()
    found = []
    regions = [(s, e) for s, e in spans if _nwords(text[s:e]) >= 2]
    for s, e in spans:
        if any(a <= s and e <= b for a, b in skip):
            continue  # inside a dash quotation
        content = text[s:e]
        nw = _nwords(content)
        if nw < 2:
            continue
        para_start = text.rfind("\n\n", 0, s)
        para_start = 0 if para_start == -1 else para_start + 2
        para_end = text.find("\n\n", e)
        para_end = len(text) if para_end == -1 else para_end
        f = Found(s, e, True)
        tail = parse_tail(text, e, para_end, mentions)
        if tail is not None:
            f.cue, f.cue_start, f.speaker, f.medium = tail.cue, tail.cue_start, tail.speaker, tail.medium
            f.attr_start, f.attr_end = e, tail.end
        else:
            _attribute_before(text, f, para_start, mentions)
        if f.speaker is None:
            _signed_after(text, f)
        prev = found[-1] if found else None
        if f.cue is None and prev is not None and _resumes(text, prev, s, para_start):
            # “A,” said X. “B.” — one quotation interrupted by its attribution
            prev.parts = (prev.parts or [(prev.start, prev.end)]) + [(s, e)]
            prev.end = e
            continue
        if f.cue is None and (nw < max(min_words, 6) or content.rstrip()[-1:] not in ".!?…"):
            continue
        found.append(f)
    return found, regions


def _resumes(text: str, prev: Found, s: int, para_start: int) -> bool:
    """The quote at `s` opens right after `prev`'s attribution clause, in the same paragraph."""
    if prev.attr_end is None or prev.attr_start is None or prev.attr_start < prev.start or prev.start < para_start:
        return False
    gap = text[prev.attr_end:s]
    return len(gap) <= 3 and not gap.strip(" .,;:\"“„«»'‘")


def _attribute_before(text: str, f: Found, para_start: int, mentions: list[Mention]) -> None:
    """A cue earlier in the sentence: "Duque asked Maduro to “…”", "kilden sier til AFP at «…»"."""
    sent_start = para_start
    intro = text[para_start:f.start]
    if intro.rstrip(" \"“„«»'‘").endswith(":"):  # "Trump said: “…”": the colon introduces this quotation
        intro = intro.rstrip(" \"“„«»'‘")[:-1]
    for m in re.finditer(r"[.!?](?:\s)|[;:]\s", intro):
        sent_start = para_start + m.end()
    words = [(m.start() + sent_start, m.end() + sent_start, m.group())
             for m in WORD.finditer(text[sent_start:f.start])]
    for ws, we, w in reversed(words):
        if w.lower() not in SPEECH_VERBS:
            continue
        clause_start = sent_start
        for m in _CLAUSE_BREAK.finditer(text, sent_start, ws):
            clause_start = m.end()
        spk = speaker_in(text, clause_start, ws, mentions, after_cue=False)
        if spk is None:
            spk = speaker_in(text, we, _speaker_limit(text, we, f.start), mentions, after_cue=True)
        if spk is None:
            continue
        f.cue, f.cue_start, f.speaker = w, ws, spk
        f.medium = find_medium(text[we:f.start])
        f.attr_start, f.attr_end = sent_start, f.start
        return


def _signed_after(text: str, f: Found) -> None:
    """A name signing the quotation after a dash is its speaker; the dash is the cue."""
    m = _SIGNED.match(text, f.end)
    if m is None:
        return
    name = m.group("name").strip()
    words = name.split()
    if not 1 <= len(words) <= 6 or not all(
            _SIGNATURE_WORD.match(w) and (w[:1].isupper() or w in PARTICLES) for w in words) \
            or not words[-1][:1].isupper():
        return
    f.cue, f.cue_start = m.group("dash"), m.start("dash")
    f.speaker = SpeakerRef("name", m.start("name"), m.start("name") + len(name), name)
    f.attr_start, f.attr_end = f.end, m.end("name")


def _speaker_limit(text: str, s: int, e: int) -> int:
    m = re.search(r"\s(?:at|that|att|dass|que|til|to|:)\s|[,:]", text[s:e])
    return s + m.start() if m else e
