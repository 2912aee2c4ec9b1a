"""What every backend shares: thread-local connections, re-entrant transactions, versioned migrations.

Every stage keeps its tables in its own module under `storyline/store/` and declares its migrations
as an ordered list of SQL scripts under a component name (`MIGRATIONS = {"articles": [...]}`). The
runner applies what a database lacks and records `(component, version)` in `schema_migrations`, so
components evolve independently. The scripts are written once, in the portable subset (see the
`storyline.store` docstring); a backend translates them (`Backend.translate_ddl`) and the queries
(`Backend.translate`) into its own dialect. The backend classes live in `sqlite.py` and
`postgres.py`; nothing outside those two modules knows which database it talks to.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

DB_ENV = "STORYLINE_DB"


def default_db_path() -> Path:
    """`--db` beats `STORYLINE_DB`, which beats the user's data directory."""
    env = os.environ.get(DB_ENV)
    if env and not is_url(env):
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("storyline")) / "storyline.db"


def is_url(target: object) -> bool:
    """A server URL (postgresql://… or postgres://…) rather than a file path."""
    return str(target).startswith(("postgresql:", "postgres:"))


class StoreError(Exception):
    """A clear, user-facing storage problem (unreachable server, newer schema, not a store, ...)."""


class BaseStore:
    """Connection handling and migrations; the per-area mixins add the tables and queries.

    A backend subclass provides `_connect()` (a new DB-API-like connection), `_begin(conn)`,
    `translate_ddl(script)` and `_table_exists(name)`; the mixins only call `self.conn.execute`,
    `self.transaction()`, `self._insert_id(...)` and the text-index hooks, with portable SQL.
    """

    #: component name -> ordered list of SQL scripts; filled by each mixin's `MIGRATIONS`.
    MIGRATIONS: dict[str, list[str]] = {}
    #: the backend's name ("sqlite", "postgresql"), shown by `storyline db`.
    backend = "base"
    #: apply missing migrations when the store is opened (SQLite: yes, as before; a shared server
    #: database is upgraded on purpose, with `storyline db migrate`, unless it is brand new)
    AUTO_MIGRATE = True
    readonly = False
    path: Path | None = None

    def _init_base(self, *, readonly: bool = False, migrate: bool | None = None) -> None:
        self._local = threading.local()
        self.readonly = readonly
        self._lock = threading.RLock()
        self._memo: dict[str, Any] = {}
        #: component -> version when opened, and what opening applied (`storyline db migrate` shows both)
        self.opened_versions: dict[str, int] = {}
        self.applied_at_open = self.migrate(apply=self.AUTO_MIGRATE if migrate is None else migrate)

    @property
    def location(self) -> str:
        """Where the store lives, for people (a file path, or a URL without its password)."""
        return str(self.path)

    # -- connection ---------------------------------------------------------------------------
    @property
    def conn(self) -> Any:
        """One connection per thread (the web server runs handlers in a thread pool)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _connect(self) -> Any:  # pragma: no cover - backends implement it
        raise NotImplementedError

    def _begin(self, conn: Any) -> None:  # pragma: no cover - backends implement it
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction (writers are serialised: SQLite BEGIN IMMEDIATE, a PostgreSQL
        transaction-level advisory lock); rolls back on any error. Re-entrant (nested calls join)."""
        conn = self.conn
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield conn
            finally:
                self._local.depth -= 1
            return
        self._begin(conn)
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

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold the store-wide lock `name` (blocking) across threads and processes; re-entrant within a
        thread. The analysis pipeline runs under `exclusive("analysis")`, so two processes (two
        ingests, or serve and the CLI) never analyse the same articles at once nor cluster against
        state the other has changed."""
        held = self.__dict__.setdefault("_held", threading.local())
        depth = getattr(held, name, 0)
        if depth:
            setattr(held, name, depth + 1)
            try:
                yield
            finally:
                setattr(held, name, getattr(held, name) - 1)
            return
        with self._acquire(name):
            setattr(held, name, 1)
            try:
                yield
            finally:
                setattr(held, name, 0)

    def _acquire(self, name: str) -> Any:  # pragma: no cover - backends implement it
        raise NotImplementedError

    def _insert_id(self, tx: Any, sql: str, params: Any, id_column: str) -> int:
        """Run one INSERT and return the generated integer key (`id_column`)."""
        raise NotImplementedError  # pragma: no cover

    # -- process-local memo (objects rebuilt from the store once per process, e.g. the clusterer) --
    def memo_get(self, key: str) -> Any:
        """A value remembered for this store object (not persisted), or None."""
        return self._memo.get(key)

    def memo_set(self, key: str, value: Any) -> None:
        """Remember `value` for this store object; None forgets it."""
        if value is None:
            self._memo.pop(key, None)
        else:
            self._memo[key] = value

    def sidecar_path(self, suffix: str) -> Path | None:
        """A file next to a file store (e.g. an ANN index); None where there is no such place
        (an in-memory or server store), and callers then keep the data in memory."""
        return None

    # -- migrations ---------------------------------------------------------------------------
    @classmethod
    def all_migrations(cls) -> dict[str, list[str]]:
        """Collect MIGRATIONS from every mixin in the MRO (base classes first)."""
        merged: dict[str, list[str]] = {}
        for klass in reversed(cls.__mro__):
            for component, scripts in klass.__dict__.get("MIGRATIONS", {}).items():
                merged[component] = scripts
        return merged

    def _migration_lock(self) -> Any:
        """A context manager held while migrating (PostgreSQL: an advisory lock across processes)."""
        from contextlib import nullcontext

        return nullcontext()

    def pending_migrations(self) -> dict[str, tuple[int, int]]:
        """component -> (stored version, this Storyline's version) where they differ."""
        have = self.schema_versions()
        out = {}
        for component, scripts in self.all_migrations().items():
            if have.get(component, 0) != len(scripts):
                out[component] = (have.get(component, 0), len(scripts))
        return out

    def migrate(self, apply: bool = True) -> list[tuple[str, int]]:
        """Bring the schema up to date; returns the (component, version) pairs applied.

        A newer schema is always refused. With `apply=False`, an older one is refused too (with the
        command that upgrades it), except a brand-new empty database, which is created."""
        with self._migration_lock():
            self._create_migrations_table()
            done = {(r[0], int(r[1])) for r in self.conn.execute("SELECT component, version FROM schema_migrations")}
            self.opened_versions = {c: max(v for cc, v in done if cc == c) for c, _v in done}
            migrations = self.all_migrations()
            for component, scripts in migrations.items():
                known = max((v for c, v in done if c == component), default=0)
                if known > len(scripts):
                    raise StoreError(
                        f"{self.location}: schema '{component}' is at version {known}, newer than this "
                        f"Storyline ({len(scripts)}); upgrade Storyline")
            if not apply and done:
                old = {c: (max((v for cc, v in done if cc == c), default=0), len(s)) for c, s in migrations.items()
                       if max((v for cc, v in done if cc == c), default=0) < len(s)}
                if old:
                    listed = ", ".join(f"{c} {a} < {b}" for c, (a, b) in sorted(old.items()))
                    raise StoreError(f"{self.location}: the schema is older than this Storyline ({listed}); "
                                     f"run `storyline --db {self.location} db migrate` to upgrade it")
            applied: list[tuple[str, int]] = []
            for component, scripts in migrations.items():
                for version, script in enumerate(scripts, start=1):
                    if (component, version) in done:
                        continue
                    with self.transaction() as tx:
                        if tx.execute("SELECT 1 FROM schema_migrations WHERE component = ? AND version = ?",
                                      (component, version)).fetchone():
                            continue  # another process applied it while this one waited
                        for statement in self.translate_ddl(script):
                            tx.execute(statement)
                        tx.execute("INSERT INTO schema_migrations (component, version) VALUES (?, ?)",
                                   (component, version))
                    applied.append((component, version))
            return applied

    def _create_migrations_table(self) -> None:
        raise NotImplementedError  # pragma: no cover

    def translate_ddl(self, script: str) -> list[str]:  # pragma: no cover - backends implement it
        raise NotImplementedError

    def schema_versions(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT component, MAX(version) FROM schema_migrations GROUP BY component")
        return {r[0]: int(r[1]) for r in rows}

    # -- whole-store access for `storyline db copy` -----------------------------------------------
    def table_names(self) -> list[str]:
        """The store's data tables (no index tables, no migration bookkeeping), in creation order."""
        raise NotImplementedError  # pragma: no cover

    def table_columns(self, table: str) -> list[str]:
        """The portable columns of a table (incl. `rowid` where the table has one), in order."""
        raise NotImplementedError  # pragma: no cover

    def rebuild_text_index(self) -> None:
        """Recompute the full-text index from the articles (after a bulk copy)."""

    def after_bulk_load(self) -> None:
        """Bring generated keys past the copied ones (PostgreSQL sequences); SQLite needs nothing."""
