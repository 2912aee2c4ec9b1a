"""Plain dataclasses passed between the stages (ingest → analyze → link → explain → store → serve).

Every stage takes these and returns these; no stage reaches into another's internals. Offsets
(`start`, `end`) are always character offsets into `Article.text`, which is the article's clean
paragraphs joined by a blank line ("\n\n"). Ids say their kind by prefix so one CLI argument can
name anything: `a-` article, `n-` entity, `q-` quote, `e-` event, `s-` story, `t-` timeline entry,
`m-` summary. A sentence is named `<article_id>:<sentence_index>`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Precision = Literal["year", "month", "week", "day", "minute"]  # week: ISO "2019-W04"
EntityType = Literal["PER", "ORG", "LOC"]

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class Paragraph:
    text: str
    lang: str | None = None
    lang_confidence: float | None = None
    start: int = 0  # offset of the paragraph in Article.text


@dataclass
class ProvidedSummary:
    """A publisher's own summary box (kept apart from the body text)."""

    bullets: list[str]
    heading: str | None = None
    note: str | None = None  # e.g. the publisher's AI-disclosure / review note


@dataclass
class Article:
    id: str
    source: str  # path or URL the article came from
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    author: str | None = None
    site_name: str | None = None
    lang: str | None = None
    lang_confidence: float | None = None
    published: str | None = None  # ISO 8601 cut to its precision ("2019-02", "2025-12-03T09:00")
    published_precision: Precision | None = None
    published_origin: str | None = None  # metadata | prefix | dateline | feed | inferred
    provided_summary: ProvidedSummary | None = None
    duplicate_of: str | None = None
    content_hash: str | None = None
    ingested_at: str | None = None
    #: how the source is shown publicly: the URL, the path relative to the folder that was ingested,
    #: or the file name (an upload's original name); never an absolute local path
    source_display: str | None = None

    @property
    def chars(self) -> int:
        return len(self.text)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["chars"] = self.chars
        return d


@dataclass
class Sentence:
    article_id: str
    index: int  # position in the article, 0-based
    start: int
    end: int
    text: str
    paragraph_index: int = 0
    lang: str | None = None

    @property
    def id(self) -> str:
        return f"{self.article_id}:{self.index}"


# --- analyze: entities -------------------------------------------------------------------------


@dataclass
class Mention:
    article_id: str
    start: int
    end: int
    text: str  # surface form as written ("Maduros")
    type: EntityType
    sentence_index: int = 0
    normalized: str | None = None  # base form ("Maduro")
    role: str | None = None  # role phrase attached to this mention ("utenriksminister")
    role_lang: str | None = None
    entity_id: str | None = None  # canonical entity after resolution
    score: float = 1.0
    source: str = "offline"  # which recogniser produced it


@dataclass
class Entity:
    id: str  # "n-…"
    name: str  # canonical name
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    mention_count: int = 0
    article_ids: list[str] = field(default_factory=list)
    roles: list[dict[str, str]] = field(default_factory=list)  # [{"role": ..., "lang": ...}]


# --- analyze: quotes ---------------------------------------------------------------------------


@dataclass
class Quote:
    id: str  # "q-…"
    article_id: str
    text: str
    start: int
    end: int
    direct: bool
    speaker: str | None = None  # canonical name where resolved, else the surface name
    speaker_entity_id: str | None = None
    speaker_description: str | None = None  # unnamed speakers: "en talsperson i departementet"
    cue: str | None = None
    medium: str | None = None
    lang: str | None = None
    date: str | None = None
    date_precision: Precision | None = None


# --- analyze: dated statements -----------------------------------------------------------------


@dataclass
class DatedStatement:
    article_id: str
    sentence_index: int
    start: int  # sentence offsets
    end: int
    sentence: str
    expression: str  # the date expression as written ("23. januar")
    date: str  # normalised ISO cut to precision
    precision: Precision
    assumed: bool = False  # weekday / relative form resolved by assumption, or year inferred
    lang: str | None = None
    inferred: bool = False  # the article is undated: the reference came from its event's date window


# --- link: events and stories ------------------------------------------------------------------


@dataclass
class Event:
    id: str  # "e-…"
    story_id: str | None
    title: str
    article_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    top_entities: list[str] = field(default_factory=list)
    sources: int = 0


@dataclass
class Story:
    id: str  # "s-…"
    title: str
    article_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    top_entities: list[str] = field(default_factory=list)


# --- explain: timeline and summaries -----------------------------------------------------------


@dataclass
class SourceRef:
    article_id: str
    sentence: str
    lang: str | None = None
    sentence_index: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class TimelineEntry:
    id: str  # "t-…"
    story_id: str
    date: str
    precision: Precision
    text: str
    sources: list[SourceRef] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    inferred: bool = False
    lang: str | None = None  # language of `text` (a shell marks it when it is not the reader's)
    salience: int = 0  # articles that witness the entry
    translation: str | None = None  # a stored translation into the reader's language, beside the source
    kind: str = "event"  # event (dated statements) | quote (an entity timeline's dated quote)


@dataclass
class Bullet:
    text: str
    sources: list[str]  # sentence ids "<article_id>:<index>"
    lang: str | None = None  # language the bullet is written in (a shell marks it when not the reader's)


@dataclass
class Summary:
    id: str  # "m-…"
    target_id: str  # article, event or story id
    lang: str | None
    backend: str  # extractive | llm
    model: str | None
    bullets: list[Bullet]
    status: Literal["draft", "approved", "edited", "rejected"] = "draft"
    reviewer: str | None = None
    reviewed_at: str | None = None
    created_at: str | None = None
    label: str | None = None
    #: bullets the backend wrote that failed the support check: {text, sources, reason}
    rejected: list[dict[str, Any]] = field(default_factory=list)


def article_from_text(text: str, *, id: str, source: str = "<memory>", title: str | None = None,
                      lang: str | None = None, published: str | None = None,
                      published_precision: Precision | None = None) -> Article:
    """Build an Article from plain text with blank-line paragraphs (tests, synthetic benchmarks)."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    parts = [" ".join(p.split()) for p in parts if p.strip()]
    paragraphs, pos = [], 0
    for p in parts:
        paragraphs.append(Paragraph(text=p, lang=lang, start=pos))
        pos += len(p) + len(PARAGRAPH_SEPARATOR)
    return Article(id=id, source=source, text=PARAGRAPH_SEPARATOR.join(parts), paragraphs=paragraphs,
                   title=title, lang=lang, published=published, published_precision=published_precision)


@dataclass
class ReviewEvent:
    """One row of a summary's history."""

    action: str
    reviewer: str
    at: str
    previous_status: str
    previous_bullets: list[Bullet] | None = None
    note: str | None = None
