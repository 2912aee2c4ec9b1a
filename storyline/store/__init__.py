"""Persistence only: one typed interface per area, two backends (SQLite and PostgreSQL).

Each area keeps its tables, migrations and queries in one mixin module (`articles`, `entities`,
`quotes`, `stories`, `timeline`, `summaries`, `vectors`, `analysis`); `interfaces` declares what each
area offers as a `typing.Protocol` over the dataclasses of `storyline.model`. A backend module
(`sqlite`, `postgres`) supplies the connection, transactions, the text index and the SQL dialect, and
`Store` / `PostgresStore` compose the mixins over it. `open_store(target)` opens either from a path or
a `postgresql://` URL (`--db`, `$STORYLINE_DB`). No rule of a stage lives here (search ranking is
`storyline.search`), and no driver type leaves this package: rows come back as dataclasses, dicts
or tuples of plain values.

Portable SQL (the rule for every edit under `storyline/store/`):
- write SQLite-flavoured standard SQL with `?` placeholders; the PostgreSQL dialect layer
  (`postgres.translate_query` / `translate_ddl`) translates it, and the contract suite
  (`tests/test_store_contract.py`) runs every query on both backends;
- upserts: `INSERT OR IGNORE` / `INSERT OR REPLACE` (the table needs a declared PRIMARY KEY), or
  `INSERT … ON CONFLICT (key) DO UPDATE SET c = excluded.c`; the current time as `datetime('now')`;
- generated keys through `self._insert_id(tx, sql, params, column)`, never `cursor.lastrowid`;
  `rowid` may be used in ORDER BY and fingerprints (every table but WITHOUT ROWID ones has one);
- no `COLLATE NOCASE` (use `lower(x) = lower(?)`), no `total()` (use `coalesce(sum(x), 0)`), no
  `IS ?` (use `IS NOT DISTINCT FROM ?`), no `? IS NULL` on an untyped parameter, no DISTINCT with
  an ORDER BY column outside the select list, no PRAGMA, no FTS5 or json functions outside
  `sqlite.py` (`json_each(?)` is translated), no `sqlite3` import outside `sqlite.py`;
- types in migrations: TEXT, INTEGER (booleans as 0/1), REAL, BLOB (vectors as float32 bytes);
  the column name `end` is fine (it is quoted for PostgreSQL);
- a query whose row order reaches a caller (a list, a dict's order, "the first row") says ORDER BY,
  down to a unique key: PostgreSQL returns rows in no particular order, SQLite in index order;
- several statements that belong together run in one `with self.transaction():` so a failure
  leaves nothing half-written.
"""

from __future__ import annotations

import os
from typing import Any

from storyline.store.analysis import AnalysisStore
from storyline.store.articles import ArticleStore
from storyline.store.base import DB_ENV, BaseStore, StoreError, default_db_path, is_url
from storyline.store.entities import EntityStore
from storyline.store.postgres import PostgresBackend
from storyline.store.quotes import QuoteStore
from storyline.store.sqlite import SQLiteBackend
from storyline.store.stories import StoryStore
from storyline.store.summaries import SummaryStore
from storyline.store.timeline import TimelineStore
from storyline.store.vectors import VectorStore


class _Areas(AnalysisStore, ArticleStore, EntityStore, QuoteStore, StoryStore, TimelineStore, SummaryStore,
             VectorStore):
    """Every area's tables and queries. (AnalysisStore comes first so its migrations run last:
    they read the articles and story tables.)"""


class Store(_Areas, SQLiteBackend):
    """The embedded store: one SQLite file (the default)."""


class PostgresStore(_Areas, PostgresBackend):
    """A PostgreSQL database (`postgresql://user:password@host:port/dbname`)."""


def open_store(target: str | os.PathLike[str] | None = None, **kwargs: Any) -> Store | PostgresStore:
    """The store at `target`: a `postgresql://` URL or a SQLite file path; None means `$STORYLINE_DB`,
    else the default file in the user data directory."""
    if target is None:
        target = os.environ.get(DB_ENV) or None
    if target is not None and is_url(target):
        return PostgresStore(str(target), **kwargs)
    return Store(target, **kwargs)


__all__ = ["BaseStore", "PostgresStore", "Store", "StoreError", "default_db_path", "is_url", "open_store"]
