"""Indirect (reported) speech: "Pompeo said that …", "sier at …", "ifølge …", "Det sier X".

Three general shapes, each bounded by one sentence:
- cue + complementizer ("X sier at …", "uttaler utenriksdepartementet imidlertid at …"): the content
  is the clause after the complementizer; the speaker is the subject before the cue, or after it in
  V2 inversion.
- a strong cue with the subject just before and a clause right after, without "at/that" ("Guaidó
  sier 300.000 mennesker kan dø …"), as Norwegian, Danish and English allow.
- "according to" markers (ifølge, according to, laut, según, selon) around a clause, and the
  Scandinavian back-reference "Det sier X" whose content is the previous paragraph.
"""

from __future__ import annotations

import re

from storyline.analyze.quotes.attribute import parse_tail, speaker_in
from storyline.analyze.quotes.cues import (
    ACCORDING_TO,
    AUXILIARIES,
    COMPLEMENTIZERS,
    CONJUNCTIONS,
    NOT_REPORTING_BEFORE,
    SPEECH_VERBS,
    WEAK_VERBS,
)
from storyline.analyze.quotes.direct import Found
from storyline.analyze.quotes.medium import find_medium, medium_start
from storyline.analyze.quotes.names import WORD
from storyline.model import Article, Mention, Sentence

_BACKREF = {"det", "dette", "that", "this", "das", "eso", "esto", "c'est", "so"}
_NOT_CONTENT = {"ja", "nei", "nej", "yes", "no", "til", "to", "i", "in", "on", "på", "om", "about", "for",
                "med", "with", "mot", "noe", "something", "det", "it", "sorry", "goodbye", "hello", "farvel"}
_CLAUSE_BREAK = re.compile(r"[,;:]\s|[”»\"“«]")
_RELATIVE_OPENERS = {"som", "der", "who", "which", "die", "que", "qui"}


def _inside(pos: int, regions: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in regions)


def indirect_quotes(article: Article, sentences: list[Sentence], mentions: list[Mention],
                    quoted: list[tuple[int, int]]) -> list[Found]:
    text = article.text
    out: list[Found] = []
    for si, sent in enumerate(sentences):
        if _inside(sent.start, quoted) or _inside(sent.start + 2, quoted):
            continue
        s0, s1 = sent.start, sent.end
        words = [(m.start() + s0, m.end() + s0, m.group()) for m in WORD.finditer(text[s0:s1])]
        n_before = len(out)
        for i, (ws, _we, w) in enumerate(words):
            lw = w.lower()
            if lw not in SPEECH_VERBS or _inside(ws, quoted):
                continue
            f = None
            if i == 1 and words[0][2].lower() in _BACKREF and si > 0:
                f = _back_reference(text, article, sent, sentences[si - 1], words, i, mentions, quoted)
            f = f or _cue_clause(text, sent, words, i, mentions)
            if f is not None:
                out.append(f)
                break
        if len(out) == n_before:
            got = _unquoted_tail(text, sent, mentions, quoted)
            if got is not None:
                out.append(got)
        if len(out) == n_before:  # "ifølge X" beside a cue names a relay, not another statement
            got = _according_to(text, sent, mentions, quoted)
            if got is not None:
                out.append(got)
    return out


def _cue_clause(text: str, sent: Sentence, words, i: int, mentions: list[Mention]) -> Found | None:
    ws, we, w = words[i]
    s1 = sent.end
    clause_start = sent.start
    for m in _CLAUSE_BREAK.finditer(text, sent.start, ws):
        clause_start = m.end()
    between = text[clause_start:ws].strip(" ,").lower()
    if between.split()[:1] and between.split()[0] in _RELATIVE_OPENERS:
        # "En pendler, som Politiken har talt med, fortæller, at": the subject precedes the relative clause
        clause_start = sent.start
        for m in _CLAUSE_BREAK.finditer(text, sent.start, ws):
            if text[m.end():ws].strip(" ,").lower().split()[:1] == between.split()[:1]:
                break
            clause_start = m.end()
        between = text[clause_start:ws].strip(" ,").lower()
    if not between or between in CONJUNCTIONS:
        # "Bull, professor ved …, mener at" / "…, og fremholder at": the subject opens the sentence
        clause_start = sent.start
    coordinated = between in CONJUNCTIONS
    comp = None
    for j in range(i + 1, min(i + 9, len(words))):
        if words[j][2].lower() in COMPLEMENTIZERS:
            comp = j
            break
        if text[words[j - 1][1]:words[j][0]].strip() not in ("", ","):
            break
    if comp is not None:
        cs = words[comp][1]
        after_end = words[comp][0]
        ms = medium_start(text[we:after_end])
        if ms is not None:
            after_end = we + ms
        if not between and speaker_in(text, we, after_end, mentions, after_cue=True) is not None:
            # "I en video …, hævdede Guaidó, at": a fronted clause, the subject follows the cue
            spk = speaker_in(text, we, after_end, mentions, after_cue=True)
        elif coordinated:  # the subject of the first clause: its first name
            spk = speaker_in(text, clause_start, ws, mentions, after_cue=True)
            spk = spk if spk is not None and spk.kind != "description" else None
        else:
            spk = speaker_in(text, clause_start, ws, mentions, after_cue=False) if clause_start < ws else None
        single = spk is None or spk.kind == "description" and len(spk.text.split()) == 1
        if spk is None or single or spk.kind == "description" and ws - clause_start > 40:
            # V2 inversion ("Torsdag uttaler departementet at"): the subject follows the cue
            spk = speaker_in(text, we, after_end, mentions, after_cue=True) or spk
        if spk is None:
            return None
        qs, qe = _content(text, cs, s1)
        if qe - qs < 8:
            return None
        return Found(qs, qe, False, w, ws, spk, find_medium(text[we:words[comp][0]]), sent.start, sent.end)
    # no complementizer: subject right before a strong cue, content right after
    if w.lower() in WEAK_VERBS or i + 4 >= len(words) or clause_start >= ws:
        return None
    if i > 0 and words[i - 1][2].lower() in NOT_REPORTING_BEFORE:
        return None  # "to say", "would say": no report of what was said
    if words[i + 1][2].lower() in _NOT_CONTENT or text[we:words[i + 1][0]].strip():
        return None
    before = text[clause_start:ws].strip()
    if w.lower().endswith("ing") and before.endswith(","):
        # "X rejected the plan, saying …": the speaker is the subject that opens the sentence
        spk = speaker_in(text, sent.start, ws - 1, mentions, after_cue=True)
        qs, qe = _content(text, words[i + 1][0], s1)
        if spk is None or spk.kind != "name" or len(text[qs:qe].split()) < 4:
            return None
        return Found(qs, qe, False, w, ws, spk, None, sent.start, sent.end)
    if not before or len(before.split()) > 6:
        return None
    spk = speaker_in(text, clause_start, ws, mentions, after_cue=False)
    if spk is None or spk.kind == "description" and before[:1].isupper() and len(before.split()) > 3:
        return None
    qs, qe = _content(text, words[i + 1][0], s1)
    if len(text[qs:qe].split()) < 4:
        return None
    return Found(qs, qe, False, w, ws, spk, None, sent.start, sent.end)


def _unquoted_tail(text: str, sent: Sentence, mentions: list[Mention],
                   quoted: list[tuple[int, int]]) -> Found | None:
    """ "The plan will fail, officials said." — a clause closed by an attribution, no quote marks."""
    for m in reversed(list(re.finditer(r",\s", text[sent.start:sent.end]))):
        pos = sent.start + m.start()
        if pos - sent.start < 15 or _inside(pos, quoted):
            continue
        if ACCORDING_TO.search(text, pos, sent.end):
            return None  # "…, ifølge kilder som har uttalt seg til X": the according-to rule reads it
        tail = parse_tail(text, pos + 1, sent.end, mentions, max_words=16)
        if tail is None or tail.end < sent.end - 1 or tail.speaker is None:
            continue
        qs, qe = _content(text, sent.start, pos)
        if len(text[qs:qe].split()) < 4:
            return None
        return Found(qs, qe, False, tail.cue, tail.cue_start, tail.speaker, tail.medium, pos, tail.end)
    return None


def _content(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,:":
        s += 1
    while e > s and text[e - 1] in " .,;":
        e -= 1
    return s, e


def _according_to(text: str, sent: Sentence, mentions: list[Mention],
                  quoted: list[tuple[int, int]]) -> Found | None:
    m = ACCORDING_TO.search(text, sent.start, sent.end)
    if m is None or _inside(m.start(), quoted):
        return None
    src_start = m.end()
    comma = text.find(",", src_start, sent.end)
    at_end = text[sent.start:m.start()].rstrip().endswith(",") or comma == -1 and m.start() > sent.start + 20
    src_end = comma if comma != -1 else sent.end
    src_end = min(src_end, _source_end(text, src_start, src_end, mentions))
    spk = speaker_in(text, src_start, src_end, mentions, after_cue=True)
    if spk is None:
        return None
    if at_end:
        qs, qe = _content(text, sent.start, m.start())
    elif m.start() - sent.start <= 2:
        qs, qe = _content(text, spk.end if spk.kind != "description" else src_end, sent.end)
    else:
        qs, qe = _content(text, sent.start, sent.end)
    if len(text[qs:qe].split()) < 4:
        return None
    return Found(qs, qe, False, m.group().strip(), m.start(), spk, find_medium(text[src_start:sent.end]),
                 sent.start, sent.end)


def _source_end(text: str, s: int, e: int, mentions: list[Mention]) -> int:
    """Where the "according to" source phrase ends: after its name, or after its first few words."""
    words = [(m.start() + s, m.end() + s, m.group()) for m in WORD.finditer(text[s:e])]
    if not words:
        return e
    for k, (ws, _we, w) in enumerate(words[:6]):
        if k and w.lower() in AUXILIARIES:  # "Ifølge rådmannen vil kuttene …": V2, the verb ends the source
            return ws
        if w[:1].isupper():  # "ifølge Guaidó", "según el ministro Carlos Pérez"
            end = words[k][1]
            for ws2, we2, w2 in words[k + 1:]:
                if w2[:1].isupper() and text[end:ws2] == " ":
                    end = we2
                else:
                    break
            return end
        if w.lower() in {"som", "who", "that", "die", "que", "qui", "der"} or k >= 3:
            return ws
    return e


def _back_reference(text: str, article: Article, sent: Sentence, prev: Sentence, words, i: int,
                    mentions: list[Mention], quoted: list[tuple[int, int]]) -> Found | None:
    """ "Det sier X til Reuters." — the statement is the previous paragraph (or sentence)."""
    ws, we, w = words[i]
    end = sent.end
    med_m = re.search(r"\s(?:til|to|till|ifølge|according)\s", text[we:end])
    spk_end = we + med_m.start() if med_m else end
    spk = speaker_in(text, we, spk_end, mentions, after_cue=True)
    if spk is None or _inside(prev.start, quoted):
        return None
    if prev.paragraph_index != sent.paragraph_index:
        para = article.paragraphs[prev.paragraph_index]
        qs, qe = para.start, para.start + len(para.text)
    else:
        qs, qe = prev.start, prev.end
    qs, qe = _content(text, qs, qe)
    return Found(qs, qe, False, w, ws, spk, find_medium(text[we:end]), sent.start, sent.end)
