"""The SQLite backend: one file, WAL mode, FTS5 (the default, embedded store).

The portable SQL of the mixins is SQLite's own dialect minus its extensions, so `translate` has
nothing to do here; the backend-specific parts are the connection PRAGMAs, `BEGIN IMMEDIATE`
(one writer at a time across processes, readers never blocked), the statement splitter for
migrations, `lastrowid`, and the FTS5 text-index queries.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.store.base import BaseStore, StoreError, default_db_path
from storyline.store.textindex import fts5_query


class SQLiteBackend(BaseStore):
    backend = "sqlite"

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False,
                 migrate: bool | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._init_base(readonly=readonly, migrate=migrate)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a Storyline database ({exc})") from exc

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _begin(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def _insert_id(self, tx: Any, sql: str, params: Any, id_column: str) -> int:
        return int(tx.execute(sql, params).lastrowid)

    @contextmanager
    def _acquire(self, name: str) -> Iterator[None]:
        """An flock on `<db>.<name>.lock` (released by the OS if the process dies); in memory, a lock
        of this store object."""
        path = self.sidecar_path(f".{name}.lock")
        if path is None:
            lock = self.__dict__.setdefault(f"_lock_{name}", threading.Lock())
            with lock:
                yield
            return
        with open(path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def sidecar_path(self, suffix: str) -> Path | None:
        if str(self.path) == ":memory:":
            return None
        return self.path.with_name(self.path.name + suffix)

    # -- migrations ---------------------------------------------------------------------------
    def _create_migrations_table(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (datetime('now')), PRIMARY KEY (component, version))")

    def translate_ddl(self, script: str) -> list[str]:
        return split_sql(script)

    # -- text index (FTS5 over title and text; see storyline.store.textindex) -------------------
    def _index_article_text(self, tx: Any, rowid: int, lang: str | None, title: str | None, text: str) -> None:
        """Nothing to do: the articles_fts triggers follow every insert and update."""

    def text_search(self, terms: list[str], limit: int) -> list[str]:
        if not terms:
            return []
        rows = self.conn.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH ?"
            " ORDER BY bm25(articles_fts) LIMIT ?", (fts5_query(terms), limit))
        return [r[0] for r in rows]

    def text_term_articles(self, term: str, cap: int) -> list[str] | None:
        rows = self.conn.execute(
            "SELECT a.id FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?) f"
            " JOIN articles a ON a.rowid = f.rowid", (fts5_query([term]), cap + 1)).fetchall()
        return None if len(rows) > cap else [r[0] for r in rows]

    def text_term_count(self, term: str, cap: int) -> int:
        row = self.conn.execute("SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?"
                                " LIMIT ?)", (fts5_query([term]), cap)).fetchone()
        return int(row[0])

    def rebuild_text_index(self) -> None:
        with self.transaction() as tx:
            tx.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")

    # -- whole-store access ---------------------------------------------------------------------
    def table_names(self) -> list[str]:
        rows = self.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        return [r[0] for r in rows if r[0] != "schema_migrations" and not r[0].startswith(("articles_fts", "sqlite_"))
                and "VIRTUAL TABLE" not in (r[1] or "").upper()]

    def table_columns(self, table: str) -> list[str]:
        info = list(self.conn.execute(f"PRAGMA table_info({table})"))
        cols = [r[1] for r in info]
        sql = self.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0] or ""
        has_int_key = any(r[5] and r[2].upper() == "INTEGER" for r in info) and sum(1 for r in info if r[5]) == 1
        if not has_int_key and "WITHOUT ROWID" not in sql.upper():
            cols = ["rowid", *cols]
        return cols


def split_sql(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3 runs one statement per execute).

    `sqlite3.complete_statement` tells where a statement really ends, so triggers with inner
    semicolons stay whole; `executescript` is avoided because it commits implicitly.
    """
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
