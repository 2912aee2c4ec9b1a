"""Bytes -> text: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy 8-bit encoding.

Binary formats renamed to .txt are recognised by their magic bytes and refused by name. Legacy
encodings (cp1252, latin-1, ...) are accepted only when the bytes hold no valid UTF-8 multi-byte
sequence at all: a file that is *mostly* UTF-8 with broken bytes is corrupt, and decoding it as
cp1252 would silently produce mojibake ("CafÃ©"), so it is refused with the offset of the bad byte.
The legacy fallback is cp1252, then latin-1: charset-normalizer was tried and picked cp1250 for short
Scandinavian texts ("Smřrbrřd"), while cp1252 is a superset of latin-1's printable range and the
dominant legacy encoding for the Western European languages Storyline reads. Text that decodes to
C1 control characters is refused as binary.
"""

from __future__ import annotations

import re

from storyline.ingest.errors import IngestError

_MAGIC = [
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "a gzip archive"), (b"RIFF", "a RIFF media file"), (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"OggS", "an Ogg media file"), (b"ID3", "an MP3 file"),
    (b"SQLite format 3", "an SQLite database"),
]
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def sniff_binary(data: bytes) -> str | None:
    """What binary format the bytes are, if recognisable ("a PDF document"), else None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:4096]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return "binary data (contains NUL bytes)"
    return None


def decode_bytes(data: bytes, name: str) -> str:
    """Decode or raise IngestError naming `name` and what is wrong."""
    what = sniff_binary(data)
    if what:
        raise IngestError(name, f"not a text file: looks like {what}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(name, f"invalid UTF-16 at byte {exc.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _UTF8_MULTIBYTE.search(data):
        raise IngestError(name, f"invalid UTF-8 (byte 0x{data[first_bad]:02x} at offset {first_bad}) "
                                "in a file that is otherwise UTF-8; fix or re-save it as UTF-8")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: latin-1 maps them to C1 controls
        text = data.decode("latin-1")
    controls = sum(1 for ch in text if "\x80" <= ch <= "\x9f" or (ch < " " and ch not in "\n\r\t\f"))
    if controls > max(2, len(text) // 200):
        raise IngestError(name, "not valid UTF-8 and decodes to control characters in every legacy "
                                "encoding: probably binary data")
    return text
