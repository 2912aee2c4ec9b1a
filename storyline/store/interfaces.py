"""What each store area offers, as one `typing.Protocol` per area (issue 10).

A stage declares the areas it needs (`def run(store: Entities & Articles …)` is spelled with the
protocols below) instead of probing with `hasattr`; both backends (`Store` for SQLite,
`PostgresStore`) implement every protocol, which `tests/test_store_contract.py` checks method by
method and exercises on both. Arguments and results are the dataclasses of `storyline.model` or plain
values (dicts, tuples, numpy vectors); no driver type (no `sqlite3.Row`, no psycopg row) crosses
this boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

import numpy as np

from storyline.model import (
    Article,
    DatedStatement,
    Entity,
    Event,
    Mention,
    Quote,
    ReviewEvent,
    Story,
    Summary,
)
from storyline.store.articles import AddResult
from storyline.store.entities import EntityRow
from storyline.store.vectors import ArticleMeta


@runtime_checkable
class Transactions(Protocol):
    """Grouping writes: everything inside one `with store.transaction():` lands or nothing does."""

    backend: str

    @property
    def location(self) -> str:
        """Where the store lives, for people (path, or URL without password)."""

    def transaction(self) -> AbstractContextManager[Any]:
        """A write transaction (re-entrant); rolls back on any error."""

    def exclusive(self, name: str) -> AbstractContextManager[None]:
        """Hold a store-wide lock across threads and processes (the analysis runs under one)."""

    def schema_versions(self) -> dict[str, int]:
        """component -> schema version stored."""

    def memo_get(self, key: str) -> Any:
        """A process-local value remembered for this store object (e.g. the clusterer), or None."""

    def memo_set(self, key: str, value: Any) -> None:
        """Remember (None: forget) a process-local value for this store object."""

    def sidecar_path(self, suffix: str) -> Any:
        """A file next to a file store, or None (in-memory and server stores)."""

    def close(self) -> None:
        """Close this thread's connection."""


@runtime_checkable
class TextIndex(Protocol):
    """The full-text index over article titles and texts (folded words, prefixes for long terms)."""

    def text_search(self, terms: list[str], limit: int) -> list[str]:
        """Ids of articles holding any of the folded `terms`, best match first."""

    def text_term_articles(self, term: str, cap: int) -> list[str] | None:
        """Ids of the articles holding `term`, or None when more than `cap` do."""

    def text_term_count(self, term: str, cap: int) -> int:
        """How many articles hold `term` (counting stops at `cap`)."""

    def rebuild_text_index(self) -> None:
        """Recompute the index from the stored articles."""


@runtime_checkable
class Articles(Protocol):
    """Articles: ingest writes them, every stage reads them."""

    def add_articles(
        self,
        articles: Iterable[Article],
        *,
        minhashes: dict[str, bytes] | None = None,
        bands: dict[str, list[str]] | None = None,
        shingles: dict[str, int] | None = None,
        pending_steps: Sequence[str] = (),
    ) -> list[AddResult]:
        """Insert new articles and replace changed ones (by id), in one transaction."""

    def minhash_candidates(self, band_keys: Sequence[str]) -> list[tuple[str, bytes, int | None]]:
        """(id, minhash signature, shingle count) of stored originals sharing at least one LSH band key."""

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str | None]:
        """{id: content hash} of the given ids that are stored (a changed source has a new hash)."""

    def existing_ids(self, ids: Sequence[str]) -> set[str]: ...

    def get_article(self, id: str) -> Article | None: ...

    def iter_articles(
        self, ids: Iterable[str] | None = None, *, include_duplicates: bool = False
    ) -> Iterator[Article]:
        """Articles in publication order (undated last, then by insertion)."""

    def article_ids(self, include_duplicates: bool = False) -> list[str]: ...

    def list_articles(
        self,
        lang: str | None = None,
        since: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        *,
        include_duplicates: bool = True,
    ) -> list[dict[str, Any]]:
        """Article rows without text/paragraphs (for listings), in publication order."""

    def article_headers(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """id -> the listing columns of each given article (no text): pages that link many articles (a 1,000-article story) read their titles, outlets and dates in a few queries."""

    def count_articles(self, include_duplicates: bool = True) -> int: ...


@runtime_checkable
class Entities(Protocol):
    """Entity mentions, canonical entities, blocking keys, merge evidence, corrections."""

    def mentions(self, article_id: str) -> list[Mention]: ...

    def mentions_of_entity(self, entity_id: str, limit: int | None = None) -> list[Mention]: ...

    def replace_mentions(self, article_id: str, mentions: Iterable[Mention]) -> None: ...

    def analysed_article_ids(self, article_ids: Iterable[str]) -> set[str]: ...

    def entity_ids_for_article(self, article_id: str) -> list[str]: ...

    def articles_for_entity(self, entity_id: str) -> list[str]: ...

    def entity_row(self, entity_id: str) -> EntityRow | None:
        """The stored record of one entity (id, name, type, key, name_locked, created_at), or None."""

    def list_entities(
        self, type: str | None = None, article_id: str | None = None, limit: int | None = None
    ) -> list[Entity]: ...

    def get_entity(self, id_or_name: str) -> Entity | None:
        """By id ("n-…"), canonical name, or any alias (most-mentioned entity wins), case-insensitive."""

    def find_entity_row(self, id_or_name: str) -> EntityRow | None:
        """The record of the entity with this id, canonical name or alias (case-insensitive), or None."""

    def entity_evidence(self, entity_id: str) -> list[dict]: ...

    def create_entity(self, entity_id: str, name: str, type: str, key: str) -> None: ...

    def add_entity_keys(self, entity_id: str, keys: Iterable[str]) -> None: ...

    def entities_by_key(self, key: str) -> list[str]: ...

    def entity_keys(self, entity_id: str) -> list[str]: ...

    def add_evidence(
        self,
        entity_id: str,
        rule: str,
        score: float | None,
        alias: str | None,
        article_id: str | None,
        detail: dict | None = None,
    ) -> None: ...

    def add_evidence_many(self, rows: list[tuple]) -> None:
        """(entity_id, rule, score, alias, article_id, detail) rows in one statement."""

    def merge_entities(self, keep: str, drop: str) -> None:
        """Move everything of `drop` onto `keep` and delete `drop`."""

    def set_entity_name(self, entity_id: str, name: str, *, locked: bool | None = None) -> None: ...

    def set_entity_type(self, entity_id: str, type: str) -> None: ...

    def delete_orphan_entities(self) -> int: ...

    def entity_context(self, entity_id: str, max_articles: int = 200) -> dict[str, int]:
        """Entities co-mentioned with `entity_id` (bounded to its most recent articles)."""

    def entity_roles(self, entity_id: str) -> set[str]: ...

    def entity_name_forms(self, entity_id: str) -> list[tuple[str, int, int]]:
        """(normalized form, distinct articles, mentions) of an entity's mentions."""

    def known_name_words(self) -> set[str]:
        """Folded words of stored entity names (corpus evidence for small incremental batches)."""

    def known_person_parts(self) -> set[str]:
        """Folded later words of stored person names ("machado"): incremental batches keep the corpus's knowledge that a word is a surname."""

    def known_organisation_names(self) -> set[str]:
        """Folded names of stored organisations (evidence that a bare "Reuters" is an organisation)."""

    def entity_mention_count(self, entity_id: str) -> int: ...

    def entity_mention_types(self, entity_id: str) -> list[tuple[str, int]]:
        """(mention type, count) of an entity's mentions, most frequent first."""

    def move_mentions(self, entity_id: str, spans: Sequence[tuple[str, int, int]]) -> None:
        """Point the mentions at these (article id, start, end) spans to `entity_id`."""

    def delete_entity_keys(self, entity_id: str, keys: Iterable[str]) -> None: ...

    def record_entity_move(self, old_id: str, new_id: str) -> None:
        """Remember that entity `old_id` now lives on as `new_id` (an automatic merge), so references to the old id made earlier in the same run still resolve."""

    def entity_moved_to(self, old_id: str) -> str | None:
        """The id an automatically merged entity moved to (one step), or None."""

    def add_correction(self, action: str, target: str, value: str | None) -> int: ...

    def list_corrections(self) -> list[dict]: ...


@runtime_checkable
class Quotes(Protocol):
    """Quotations and their speakers."""

    def save_quotes(self, article_id: str, quotes: Iterable[Quote]) -> int:
        """Replace the quotes of one article; returns how many were stored."""

    def get_quote(self, quote_id: str) -> Quote | None: ...

    def count_quotes(self) -> int: ...

    def quote_speakers(self, limit: int | None = None) -> list[dict]:
        """Speakers with how many quotes each, most quoted first (for the web UI and the demo)."""

    def list_quotes(
        self,
        speaker: str | None = None,
        story_id: str | None = None,
        lang: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[Quote]:
        """Quotes in date order (then article, then position). `speaker` is an entity id ("n-…"), a name or part of one, or part of an unnamed speaker's description; accents and case are ignored."""


@runtime_checkable
class Stories(Protocol):
    """Events, stories, assignments, clustering features, lead-vector cache, history."""

    def list_events(self, story_id: str | None = None) -> list[Event]: ...

    def get_event(self, event_id: str) -> Event | None: ...

    def list_stories(self) -> list[Story]: ...

    def get_story(self, story_id: str) -> Story | None: ...

    def story_version(self, story_id: str) -> tuple[Any, ...] | None:
        """A value that changes when anything a story page derives from the whole story changes: the story row, its events and members, its timeline entries, the articles table. The same from every connection (each thread has its own), so a cache keyed on it works across threads. None when there is no such story. A few indexed aggregate reads."""

    def story_with_events(self, story_id: str) -> tuple[Story, list[Event]] | None:
        """The story and its events from one read of its members (a page needs both)."""

    def story_heads(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """article id -> {id, title, size} of its story, in two queries (a search page heads each group of hits with its story; reading whole stories would cost a member list each)."""

    def story_updated(self) -> dict[str, str]:
        """story id -> when the story last changed (an article joined, its label or span moved)."""

    def event_of_article(self, article_id: str) -> Event | None: ...

    def story_of_article(self, article_id: str) -> Story | None: ...

    def story_article_ids(self, story_id: str) -> list[str]: ...

    def article_date_window(self, article_id: str) -> tuple[str, str, bool] | None:
        """The article's own date, else the date span of its event's dated articles (inferred=True)."""

    def story_history(self, target_id: str) -> list[dict[str, Any]]:
        """Creations, merges, splits and moves of a story or event (and of the story's events)."""

    def merged_into(self, story_id: str) -> str | None:
        """The live story that a merged-away story id now lives in (following chained merges)."""

    def cluster_state_version(self) -> tuple[Any, ...]:
        """Changes whenever any process clusters, merges or reclusters (an in-memory clusterer built
        from the store is stale when this differs from the value it was built at)."""

    def cluster_assignments(self) -> dict[str, tuple[str, str]]:
        """article id -> (event id, story id), for every clustered article."""

    def cluster_features(self) -> list[tuple[str, str | None, str | None, dict[str, Any]]]:
        """(article id, lang, published, feature data) of every clustered article, in arrival order."""

    def cluster_article_meta(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """lang, published, source and title of clustered articles (used for labels)."""

    def get_embeddings(self, article_ids: list[str], model: str) -> dict[str, tuple[str, np.ndarray]]: ...

    def put_embeddings(self, model: str, rows: list[tuple[str, str, np.ndarray]]) -> None: ...

    def save_cluster_features(
        self, rows: list[tuple[str, str | None, str | None, str | None, str | None, dict[str, Any]]]
    ) -> None:
        """(article id, lang, published, source, title, data) in arrival order."""

    def save_assignment(self, article_id: str, event_id: str, score: float | None) -> None: ...

    def upsert_event(self, event: Event) -> None: ...

    def upsert_story(self, story: Story, sources: int = 0) -> None: ...

    def record_history(self, target_id: str, action: str, reason: str = "", **detail: Any) -> None: ...

    def clear_clusters(self) -> None:
        """Drop every assignment, event and story (not the history, features or embeddings): recluster."""

    def delete_empty_clusters(self) -> None: ...


@runtime_checkable
class Timeline(Protocol):
    """Dated statements, timeline entries, inferred publication windows."""

    def save_inferred_window(
        self, article_id: str, start: str, end: str, evidence: Sequence[dict[str, Any]] = ()
    ) -> None: ...

    def delete_inferred_windows(self, article_ids: Iterable[str]) -> None: ...

    def inferred_window(self, article_id: str) -> dict[str, Any] | None:
        """{start, end, evidence} of an undated article's inferred window, or None."""

    def replace_statements(self, article_id: str, rows: Sequence[dict[str, Any]]) -> list[str]:
        """Store an article's dated statements (replacing earlier ones); returns touched entry ids."""

    def dated_statements(
        self, article_id: str | None = None, article_ids: Iterable[str] | None = None
    ) -> list[DatedStatement]:
        """Dated statements of one article, of several, or of all; in article and sentence order."""

    def statement_rows(self, article_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Raw statement rows (with id, vector and entities) for the timeline builder."""

    def timeline_article_ids(self, story_id: str) -> set[str]: ...

    def timeline_story_of(self, article_id: str) -> list[str]: ...

    def timeline_entry_stories(self, entry_ids: Sequence[str]) -> dict[str, list[str]]:
        """story id -> the given entry ids it holds."""

    def delete_story_timeline(self, story_id: str) -> None: ...

    def timeline_story_ids(self) -> list[str]: ...

    def set_statement_vectors(self, vectors: Sequence[tuple[int, np.ndarray]]) -> list[str]:
        """Give stored statements (by row id) their vectors; returns the entry ids built on them."""

    def timeline_stale_story_ids(self) -> set[str]:
        """Stories whose article set differs from the one their timeline was built from."""

    def save_entry_translation(self, entry_id: str, lang: str, text: str, article_id: str,
                               sentence_index: int | None, model: str | None, created_at: str) -> None:
        """Keep a translation of an entry's source sentence into `lang` (one per entry and language)."""

    def entry_translations(self, entry_ids: Sequence[str], lang: str) -> dict[str, dict[str, Any]]:
        """entry id -> {text, article_id, sentence_index, model} of its stored translation into `lang`."""

    def timeline_entry_rows(
        self,
        story_id: str,
        *,
        windows: Sequence[tuple[int, int]] | None = None,
        entry_ids: Sequence[str] | None = None,
        with_vectors: bool = True,
    ) -> list[dict[str, Any]]:
        """Entries of a story with their sources; `windows` keeps only entries overlapping one of the (first day, last day) ordinal ranges, so an update reads only the entries near its dates."""

    def save_timeline(
        self,
        story_id: str,
        entries: Sequence[dict[str, Any]],
        deleted: Sequence[str] = (),
        added_articles: Sequence[str] = (),
        removed_articles: Sequence[str] = (),
    ) -> None:
        """Write changed entries (dicts as from timeline_entry_rows) and the story's article set."""

    def timeline_outline(self, story_id: str) -> list[dict[str, Any]]:
        """Every entry of a story without its sources' text: id, date, precision, text, inferred and the ids of the articles it cites, in date order. Two light queries, so a page can draw the whole axis of a 1,000-article story and read full entries (`timeline(..., entry_ids=)`) for one page."""


@runtime_checkable
class Summaries(Protocol):
    """Summaries, their review history, and the sentence-vector cache."""

    def list_summaries(
        self,
        target_id: str | None = None,
        status: str | None = None,
        lang: str | None = None,
        limit: int | None = None,
    ) -> list[Summary]:
        """Summaries, newest first, optionally of one target / in one status / language."""

    def get_summary(self, id: str) -> Summary | None: ...

    def save_summary(self, summary: Summary) -> Summary:
        """Store a freshly generated summary as a draft and return it as stored (with its label)."""

    def record_review(self, summary: Summary, event: ReviewEvent, *, expected_status: str) -> bool:
        """Persist a review the service decided (rules in `storyline.explain.review`): the new status,
        reviewer and bullets plus one history row, in one transaction. Compare-and-set: writes nothing
        and returns False when the stored status is no longer `expected_status`."""

    def summary_history(self, id: str) -> list[dict[str, Any]]:
        """Every review action on a summary, oldest first, with the bullets an edit replaced."""

    def sentence_vectors(self, model: str, text_hashes: list[str]) -> dict[str, np.ndarray]: ...

    def put_sentence_vectors(self, model: str, rows: list[tuple[str, np.ndarray]]) -> None: ...


@runtime_checkable
class Vectors(Protocol):
    """Search vectors and the originals' metadata search filters on."""

    def search_article_meta(self) -> dict[str, ArticleMeta]:
        """id -> metadata of every stored original (not near-duplicates), in insertion order."""

    def search_vector_matrix(self, model: str) -> tuple[list[str], np.ndarray | None]:
        """(article ids, matrix with one row per id) of the stored vectors of `model`."""

    def missing_search_vectors(self, model: str) -> list[str]: ...

    def put_search_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Store article vectors (used by indexing and by benchmarks that bring their own vectors)."""


@runtime_checkable
class AnalysisState(Protocol):
    """Which article still needs which pipeline step."""

    def mark_pending(self, article_ids: Iterable[str], steps: Sequence[str]) -> None:
        """Every step in `steps` still has to run over these (new or changed) articles."""

    def mark_done(self, step: str, article_ids: Iterable[str]) -> None:
        """`step` finished these articles (idempotent)."""

    def mark_failed(self, step: str, reasons: Mapping[str, str]) -> None:
        """`step` failed on these articles: article id -> reason (kept until a retry succeeds)."""

    def analysis_pending(self, step: str, *, include_failed: bool = False) -> list[str]:
        """Ids of stored articles `step` still has to process, in ingest order."""

    def analysis_failures(self) -> list[dict[str, Any]]:
        """Every (article, step) whose last attempt failed, with the reason."""

    def analysis_status(self) -> dict[str, Any]:
        """Articles stored / fully analysed, and per step how many are pending, done and failed."""


@runtime_checkable
class StoreProtocol(
    Transactions,
    TextIndex,
    Articles,
    Entities,
    Quotes,
    Stories,
    Timeline,
    Summaries,
    Vectors,
    AnalysisState,
    Protocol,
):
    """A whole store: every area (what `open_store` returns, whichever the backend)."""


AREAS: dict[str, type] = {
    "transactions": Transactions,
    "text index": TextIndex,
    "articles": Articles,
    "entities": Entities,
    "quotes": Quotes,
    "stories": Stories,
    "timeline": Timeline,
    "summaries": Summaries,
    "vectors": Vectors,
    "analysis state": AnalysisState,
}

__all__ = [
    "AREAS",
    "AnalysisState",
    "ArticleMeta",
    "Articles",
    "Entities",
    "EntityRow",
    "Quotes",
    "Stories",
    "StoreProtocol",
    "Summaries",
    "TextIndex",
    "Timeline",
    "Transactions",
    "Vectors",
]
