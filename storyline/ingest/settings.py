"""The `[ingest]` config section: limits, language candidates, network policy.

Defaults live here, next to the code that uses them; `Config.section("ingest", IngestSettings)`
applies the user's TOML values and `STORYLINE_INGEST_<KEY>` environment overrides on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: A broad default: European languages plus major world languages. Only trigram models of these are
#: loaded for long texts (~40 MB); short texts use a low-accuracy detector (see language.py).
DEFAULT_LANGUAGES = [
    "nb", "nn", "da", "sv", "is", "fi", "et", "lv", "lt", "en", "de", "nl", "fr", "es", "pt", "it", "ca",
    "pl", "cs", "sk", "sl", "hr", "hu", "ro", "bg", "el", "ru", "uk", "tr", "ar", "he", "fa", "hi", "zh",
    "ja", "ko", "id", "vi",
]


@dataclass
class IngestSettings:
    max_bytes: int = 50 * 1024 * 1024  # per file / download; larger inputs are refused with a reason
    languages: list[str] = field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    min_lang_confidence: float = 0.5  # paragraphs below this take the article's language
    paragraph_switch_languages: list[str] = field(default_factory=lambda: ["en", "de", "fr", "es"])
    min_paragraph_chars_for_lang: int = 120  # shorter paragraphs take the article's language
    near_duplicate_threshold: float = 0.9  # estimated Jaccard of word 5-shingles
    near_duplicate_containment: float = 0.9  # or: share of the shorter text's shingles found in the other
    near_duplicate_min_ratio: float = 0.6  # containment counts only when the shorter has >= this share of
    # the longer's shingles: a wire copy with an added intro links, a 3-paragraph brief of a long story not
    batch_size: int = 200  # articles per committed transaction
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    fetch_deadline: float = 60.0  # seconds for a whole URL fetch: connect + every byte, redirects included
    max_redirects: int = 5
    user_agent: str = "Storyline/0.1 (+https://github.com/storyline; local news reader)"
    accept_content_types: list[str] = field(default_factory=lambda: [
        "text/html", "application/xhtml+xml", "text/plain", "application/rss+xml", "application/atom+xml",
        "application/xml", "text/xml", "application/json", "application/x-ndjson", "application/jsonl",
    ])
