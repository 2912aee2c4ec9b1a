"""Plain-text articles: decoding, the ` date` prefix, paragraphs.

Paragraphs are blank-line separated; inside a block, a line that does not end a sentence and is
followed by a lower-case start is a hard wrap and is joined, otherwise each line is its own paragraph
(some sources, like seed 004, put one paragraph per line with no blank lines).
"""

from __future__ import annotations

import re

from storyline.ingest.decode import decode_bytes
from storyline.ingest.errors import IngestError
from storyline.ingest.pubdate import parse_prefix
from storyline.ingest.rawdoc import RawDoc

_SENTENCE_END = re.compile(r"[.!?:;»\"')\]…]$")


def split_paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        cur = ""
        for ln in lines:
            if cur and not _SENTENCE_END.search(cur) and ln[:1].islower():
                cur += " " + ln
            else:
                if cur:
                    out.append(cur)
                cur = ln
        if cur:
            out.append(cur)
    return out


def read_text(text: str, source: str) -> RawDoc:
    published = None
    prefix = parse_prefix(text)
    if prefix:
        published = (prefix[0], prefix[1], "prefix")
        text = prefix[2]
    lines = split_paragraphs(text)
    if not lines:
        raise IngestError(source, "no text (only whitespace)" if not prefix else "no text after the date prefix")
    return RawDoc(source=source, lines=lines, published=published, title_from_text=True)


def read_txt(data: bytes, source: str) -> RawDoc:
    if not data.strip():
        raise IngestError(source, "empty file" if not data else "empty file (only whitespace)")
    return read_text(decode_bytes(data, source), source)
