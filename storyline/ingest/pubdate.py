"""Publication dates: metadata values, the ` date YYYY-MM[-DD]` prefix, in-text datelines.

Precedence (decided by the caller): explicit metadata > prefix > dateline. Every date is kept at the
precision it was written with (year, month, day, minute) and nothing is ever guessed: a string that
does not parse stays unknown. Datelines are recognised only on a short line that starts with a
"published/updated" keyword (in any supported language); the keyword also tells dateparser which
language the date is in, which avoids its slow and error-prone all-languages mode.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

PREFIX_RE = re.compile(r"\A\s?date (\d{4})-(\d{2})(?:-(\d{2}))?(?=\s|\Z)[ \t]*")

#: dateline keyword -> dateparser language; "published" forms are preferred over "updated" ones.
_PUBLISHED = {
    "nb": r"publisert|publ\.", "da": r"publiceret|udgivet", "sv": r"publicerad|publicerat|publicerades",
    "en": r"published|first published|posted", "de": r"veröffentlicht|publiziert|erschienen",
    "es": r"publicado|publicada", "pt": r"publicado|publicada", "fr": r"publié|publié le|paru le",
    "it": r"pubblicato", "nl": r"gepubliceerd", "fi": r"julkaistu",
}
_UPDATED = {
    "nb": r"oppdatert|sist oppdatert", "da": r"opdateret|senest opdateret", "sv": r"uppdaterad|uppdaterat",
    "en": r"updated|last updated", "de": r"aktualisiert|zuletzt aktualisiert", "es": r"actualizado",
    "pt": r"atualizado", "fr": r"mis à jour|mise à jour", "it": r"aggiornato", "nl": r"bijgewerkt",
    "fi": r"päivitetty",
}


def _keyword_re(table: dict[str, str]) -> list[tuple[str, re.Pattern[str]]]:
    return [(lang, re.compile(rf"^\s*(?:{words})\s*:?\s*(?:den\s+|le\s+|am\s+|on\s+|el\s+)?(?P<rest>.{{4,60}})$",
                              re.IGNORECASE)) for lang, words in table.items()]


_PUB_RES = _keyword_re(_PUBLISHED)
_UPD_RES = _keyword_re(_UPDATED)
_CLOCK = re.compile(r"\b(?:kl\.?|klokken|klockan|um|at|à|a las|alle)\s+", re.IGNORECASE)
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2,4})\b")


def cut(dt: datetime, precision: str) -> str:
    if precision == "year":
        return f"{dt.year:04d}"
    if precision == "month":
        return f"{dt.year:04d}-{dt.month:02d}"
    if precision == "day":
        return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}"
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}"


def parse_prefix(text: str) -> tuple[str, str, str] | None:
    """(iso, precision, remaining text) for a leading ` date YYYY-MM[-DD]`, else None."""
    m = PREFIX_RE.match(text)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        datetime(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    if day:
        return f"{year}-{month}-{day}", "day", text[m.end():]
    return f"{year}-{month}", "month", text[m.end():]


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
                  r"(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def parse_value(value: Any) -> tuple[str, str] | None:
    """A metadata date (ISO 8601 at any precision, RFC 2822, epoch seconds) -> (iso, precision)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return cut(datetime.utcfromtimestamp(value), "minute"), "minute"
        except (OverflowError, OSError, ValueError):
            return None
    s = str(value).strip()
    m = _ISO.match(s)
    if m:
        y, mo, d, hh, mi = m.groups()
        try:
            datetime(int(y), int(mo or 1), int(d or 1), int(hh or 0), int(mi or 0))
        except ValueError:
            return None
        if hh is not None:
            return f"{y}-{mo}-{d}T{hh}:{mi}", "minute"
        if d:
            return f"{y}-{mo}-{d}", "day"
        if mo:
            return f"{y}-{mo}", "month"
        return y, "year"
    try:
        dt = parsedate_to_datetime(s)
        return cut(dt, "minute"), "minute"
    except (TypeError, ValueError, IndexError):
        pass
    return parse_written(s, None)


@lru_cache(maxsize=32)
def _parser(lang: str | None) -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=[lang] if lang else None,
                          settings={"DATE_ORDER": "DMY", "RETURN_TIME_AS_PERIOD": True,
                                    "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]})


def parse_written(s: str, lang: str | None) -> tuple[str, str] | None:
    """A written date ("03.12.2025 09:00", "3 December 2025", "3. desember 2025 kl. 09.00")."""
    s = _CLOCK.sub(" ", s).strip(" ,.-|")
    m = _NUMERIC_DATE.search(s)
    if m:  # numeric D.M.Y is unambiguous in the languages that use dots; parse it ourselves
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y + 2000 if y < 100 else y
        rest = s[m.end():]
        t = re.search(r"\b(\d{1,2})[.:](\d{2})\b", rest)
        try:
            dt = datetime(y, mo, d, int(t.group(1)) if t else 0, int(t.group(2)) if t else 0)
        except ValueError:
            return None
        return (cut(dt, "minute"), "minute") if t else (cut(dt, "day"), "day")
    s = _DOTTED_TIME.sub(r"\1:\2", s)
    s = re.sub(r"(\d{1,2})\.\s+(?=[^\W\d])", r"\1 ", s)  # "3. desember" -> "3 desember"
    try:
        data = _parser(lang).get_date_data(s)
    except Exception:  # dateparser raises assorted errors on odd input; unknown stays unknown
        return None
    if data is None or data.date_obj is None:
        return None
    period = data.period or "day"
    precision = {"time": "minute", "day": "day", "week": "day", "month": "month", "year": "year"}.get(period, "day")
    return cut(data.date_obj, precision), precision


def find_dateline(paragraphs: list[str], *, head: int = 6) -> tuple[int, str, str] | None:
    """(paragraph index, iso, precision) of a "Published …" line near the top (else "Updated …")."""
    candidates = list(range(min(head, len(paragraphs))))
    for table in (_PUB_RES, _UPD_RES):
        for i in candidates:
            line = paragraphs[i]
            if len(line) > 90:
                continue
            for lang, rx in table:
                m = rx.match(line)
                if not m:
                    continue
                parsed = parse_written(m.group("rest"), lang)
                if parsed:
                    return i, parsed[0], parsed[1]
    return None
