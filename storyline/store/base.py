"""SQLite connection, WAL mode and versioned schema migrations.

Every stage keeps its tables in its own module under `storyline/store/` and declares its migrations
as an ordered list of SQL scripts under a component name (`MIGRATIONS = {"articles": [...]}`). The
runner applies what a database lacks and records `(component, version)` in `schema_migrations`,
so components evolve independently and a server database can later implement the same methods.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs

DB_ENV = "STORYLINE_DB"


def default_db_path() -> Path:
    """`--db` beats `STORYLINE_DB`, which beats the user's data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("storyline")) / "storyline.db"


class StoreError(Exception):
    """A clear, user-facing storage problem (unreadable file, newer schema, ...)."""


class BaseStore:
    """Holds the connection; components add their methods as mixins (see `storyline.store`)."""

    #: component name -> ordered list of SQL scripts; filled by each mixin's `MIGRATIONS`.
    MIGRATIONS: dict[str, list[str]] = {}

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self.readonly = readonly
        self._lock = threading.RLock()
        try:
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a Storyline database ({exc})") from exc

    # -- connection ---------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """One connection per thread (the web server runs handlers in a thread pool)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; rolls back on any error. Re-entrant (nested calls join)."""
        conn = self.conn
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield conn
            finally:
                self._local.depth -= 1
            return
        conn.execute("BEGIN IMMEDIATE")
        self._local.depth = 1
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- migrations ---------------------------------------------------------------------------
    @classmethod
    def all_migrations(cls) -> dict[str, list[str]]:
        """Collect MIGRATIONS from every mixin in the MRO (base classes first)."""
        merged: dict[str, list[str]] = {}
        for klass in reversed(cls.__mro__):
            for component, scripts in klass.__dict__.get("MIGRATIONS", {}).items():
                merged[component] = scripts
        return merged

    def migrate(self) -> None:
        conn = self.conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (datetime('now')), PRIMARY KEY (component, version))"
        )
        done = {(r[0], r[1]) for r in conn.execute("SELECT component, version FROM schema_migrations")}
        for component, scripts in self.all_migrations().items():
            known = max((v for c, v in done if c == component), default=0)
            if known > len(scripts):
                raise StoreError(
                    f"{self.path}: schema '{component}' is at version {known}, newer than this "
                    f"Storyline ({len(scripts)}); upgrade Storyline"
                )
            for version, script in enumerate(scripts, start=1):
                if (component, version) in done:
                    continue
                with self.transaction() as tx:
                    for statement in _split_sql(script):
                        tx.execute(statement)
                    tx.execute("INSERT INTO schema_migrations (component, version) VALUES (?, ?)",
                               (component, version))

    def schema_versions(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT component, MAX(version) FROM schema_migrations GROUP BY component")
        return {r[0]: r[1] for r in rows}


def _split_sql(script: str) -> list[str]:
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
