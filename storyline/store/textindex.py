"""The full-text index primitive every backend offers (the ranking that uses it is `storyline.search`).

Both backends index an article's title and text accent- and case-folded, and both match a query term
as a word prefix when it has four letters or more ("venezuela" finds "Venezuelas"). SQLite uses FTS5
(`unicode61 remove_diacritics 2`, kept in sync by triggers); PostgreSQL a `tsvector` column holding
the folded words twice: as they are (the `simple` configuration, for prefix matching like FTS5) and
stemmed with the article language's own configuration where PostgreSQL has one (`REGCONFIGS`), so
"strikes" also finds "strike" in English and "streiken" finds "streik" in German.
"""

from __future__ import annotations

import unicodedata

#: ISO 639-1 code -> PostgreSQL text-search configuration (PostgreSQL 15's built-in snowball ones);
#: any other language is indexed with `simple` only.
REGCONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
    "en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}


def regconfig(lang: str | None) -> str:
    """The PostgreSQL configuration for an article language ('simple' where there is none)."""
    return REGCONFIGS.get((lang or "").split("-")[0].lower(), "simple")


def fold(word: str) -> str:
    """Lower-case and strip diacritics so "Guaidó" matches "Guaido" (like FTS5's remove_diacritics)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term quoted (no operator injection), OR-ed, long ones as prefixes."""
    parts = []
    for t in terms:
        q = '"' + t.replace('"', '""') + '"'
        parts.append(q + "*" if len(t) >= 4 else q)
    return " OR ".join(parts)


def tsquery_simple(terms: list[str]) -> str:
    """The same expression as a `to_tsquery('simple', …)` string: quoted lexemes, prefixes, OR-ed."""
    parts = []
    for t in terms:
        q = "'" + t.replace("\\", "\\\\").replace("'", "''") + "'"
        parts.append(q + ":*" if len(t) >= 4 else q)
    return " | ".join(parts)
