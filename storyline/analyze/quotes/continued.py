"""Quotations continued across paragraphs, read from the typographic convention.

Newspapers in every language we follow leave a quotation's opening mark unclosed at the end of a
paragraph when the same speaker goes on in the next one, and open that next paragraph with a quote
mark again (or, in Scandinavian style, with a dash); the closing mark comes only in the last
paragraph. Such a chain is ONE quotation with one speaker: its offsets run from the first quoted
character to the last, its text joins the quoted parts. The attribution is read after the closing
mark, else before the opening mark (" Maduro said: “…"), else after a closed quotation just before
it in the first paragraph ("“…,” he said. “…").
"""

from __future__ import annotations

from storyline.analyze.quotes.attribute import parse_tail
from storyline.analyze.quotes.cues import DASHES
from storyline.analyze.quotes.direct import Found, _attribute_before, _find_tail, _trim
from storyline.model import Article, Mention

#: opening mark -> the marks that close it (German „…“ closes with “, Danish/Swedish »…« with «)
_CLOSERS: dict[str, str] = {"«": "»", "“": "”", "„": "“”", '"': '"', "»": "«"}


def _opens(text: str, i: int) -> bool:
    """An opening mark: not glued to a word before it, and followed by text (not by a space)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _scan(text: str, s: int, e: int) -> tuple[int | None, int | None]:
    """(last closing mark, opening mark left unclosed at the end) in text[s:e]."""
    opener: str | None = None
    open_at: int | None = None
    last_close: int | None = None
    for i in range(s, e):
        c = text[i]
        if opener is not None:
            if c in _CLOSERS[opener] and (c != '"' or i + 1 >= e or not text[i + 1].isalnum()):
                opener, open_at, last_close = None, None, i
            continue
        if c in _CLOSERS and _opens(text, i):
            opener, open_at = c, i
    return last_close, open_at


def _first_close(text: str, s: int, e: int, opener: str) -> int | None:
    """Where a quotation opened at `s` (just after its mark) closes within text[s:e]."""
    for i in range(s, e):
        if text[i] in _CLOSERS[opener]:
            return i
    return None


def continued_quotes(article: Article, mentions: list[Mention]) -> list[Found]:
    """One Found per quotation that runs over two or more paragraphs (with `parts` set)."""
    text = article.text
    paras = [(p.start, p.start + len(p.text)) for p in article.paragraphs]
    out: list[Found] = []
    k = 0
    while k < len(paras) - 1:
        ps, pe = paras[k]
        last_close, open_at = _scan(text, ps, pe)
        if open_at is None:
            k += 1
            continue
        parts = [_trim(text, open_at + 1, pe)]
        j = k + 1
        end_found: Found | None = None
        while j < len(paras):
            qs, qe = paras[j]
            body = text[qs:qe].lstrip()
            lead = qe - qs - len(body)
            if not body:
                break
            if body[0] in _CLOSERS:
                cs = qs + lead + 1
                close = _first_close(text, cs, qe, body[0])
                if close is None:  # still open: the quotation goes on
                    parts.append(_trim(text, cs, qe))
                    j += 1
                    continue
                parts.append(_trim(text, cs, close))
                end_found = Found(0, close, True)
                tail = parse_tail(text, close, qe, mentions)
                if tail is not None:
                    _set_tail(end_found, tail, close)
                break
            if body[0] in DASHES and body[1:2].isspace():
                cs = qs + lead + 2
                found = _find_tail(text, cs, qe, mentions)
                if found is not None:
                    cut, tail = found
                    parts.append(_trim(text, cs, cut))
                    end_found = Found(0, cut, True)
                    _set_tail(end_found, tail, cut)
                else:
                    parts.append(_trim(text, cs, qe))
                    end_found = Found(0, qe, True)
                break
            break
        if end_found is None or len(parts) < 2:
            k += 1
            continue
        f = Found(parts[0][0], parts[-1][1], True, paragraph=k)
        f.parts = parts
        if end_found.cue is not None:
            f.cue, f.cue_start, f.speaker, f.medium = (end_found.cue, end_found.cue_start, end_found.speaker,
                                                       end_found.medium)
            f.attr_start, f.attr_end = end_found.attr_start, end_found.attr_end
        else:
            _attribute_first(text, f, ps, open_at, last_close, mentions)
            if f.cue is None and k > 0 and not text[ps:open_at].strip():
                _intro_paragraph(text, f, paras[k - 1], mentions)
        out.append(f)
        k = j + 1
    return out


def _set_tail(f: Found, tail, pos: int) -> None:
    f.cue, f.cue_start, f.speaker, f.medium = tail.cue, tail.cue_start, tail.speaker, tail.medium
    f.attr_start, f.attr_end = pos, tail.end


def _attribute_first(text: str, f: Found, para_start: int, open_at: int, last_close: int | None,
                     mentions: list[Mention]) -> None:
    """The attribution in the first paragraph: an intro before the mark, or a closed quote's tail."""
    if last_close is not None:
        tail = parse_tail(text, last_close, open_at, mentions)
        if tail is not None:
            _set_tail(f, tail, last_close)
            return
    intro_end = open_at
    while intro_end > para_start and text[intro_end - 1] in " :,":
        intro_end -= 1
    probe = Found(intro_end, f.end, True)
    _attribute_before(text, probe, para_start, mentions)
    if probe.cue is not None:
        f.cue, f.cue_start, f.speaker, f.medium = probe.cue, probe.cue_start, probe.speaker, probe.medium
        f.attr_start, f.attr_end = probe.attr_start, intro_end


def _intro_paragraph(text: str, f: Found, prev: tuple[int, int], mentions: list[Mention]) -> None:
    """ "Kari Nordmann sa dette på møtet:" closing the paragraph before the quotation."""
    ps, pe = prev
    body = text[ps:pe].rstrip()
    if body.endswith(":"):
        _attribute_first(text, f, ps, ps + len(body), None, mentions)
