"""The PostgreSQL backend (psycopg 3): a shared server database for several writers at once.

The mixins' SQL is written once in the portable subset (see `storyline.store`); this module is the
whole dialect layer, so no other module knows it talks to PostgreSQL:

- queries: `?` placeholders become `%s` (a literal `%` becomes `%%`); `INSERT OR IGNORE` becomes
  `ON CONFLICT DO NOTHING`; `INSERT OR REPLACE` an upsert on the table's primary key (read from the
  migrations, so a new table needs nothing here); `datetime('now')` the same UTC text; `LIMIT -1`
  `LIMIT ALL`; `json_each(?)` `json_array_elements_text`; SQLite's unary-plus index hint
  (`+story_id`) is dropped; the column name `end` (reserved here) is quoted. Translations are cached per statement text.
- migrations: the same scripts, with `BIGSERIAL` keys (and a `rowid` column for tables that have
  SQLite's implicit one, so `ORDER BY rowid` means insertion order on both), `BYTEA` vectors,
  `DOUBLE PRECISION`, and the FTS5 table and its triggers replaced by a `tsvector` column with a GIN
  index (see `storyline.store.textindex`).
- transactions: every write transaction takes one transaction-level advisory lock, so writers run
  one at a time as with SQLite's `BEGIN IMMEDIATE` (the read-then-write steps such as duplicate
  checks stay correct across processes), while readers are never blocked.
- errors: an unreachable server, refused credentials, a missing database, and an older or newer
  schema each get their own message (`StoreError`); a failed statement rolls the transaction back.

A server database is not upgraded silently when opened: an older schema asks for
`storyline db migrate` (a brand-new empty database is created on first use).
"""

from __future__ import annotations

import functools
import re
import zlib
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from storyline.store.base import BaseStore, StoreError
from storyline.store.sqlite import split_sql
from storyline.store.textindex import fold, regconfig, tsquery_simple

NOW_TEXT = "to_char(timezone('UTC', now()), 'YYYY-MM-DD HH24:MI:SS')"
_WRITE_LOCK = 0x5107_0001  # pg_advisory_xact_lock key: one writer at a time


def redact(url: str) -> str:
    """The URL without its password (safe to print)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class _Row(tuple):
    """A result row readable by position, by column name and as a dict (like sqlite3.Row)."""

    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    names = [c.name for c in cursor.description or ()]
    klass = type("Row", (_Row,), {"_index": {n: i for i, n in enumerate(names)}})

    def make(values: Any) -> _Row:
        return klass(bytes(v) if isinstance(v, memoryview) else v for v in values)

    return make


class _Connection:
    """A psycopg connection that takes the portable SQL the mixins write (`execute`, `executemany`)."""

    def __init__(self, raw: Any, translate: Any) -> None:
        self.raw = raw
        self._translate = translate

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.raw.execute(self._translate(sql), tuple(params))

    def executemany(self, sql: str, rows: Any) -> Any:
        cur = self.raw.cursor()
        rows = [tuple(r) for r in rows]
        if rows:
            cur.executemany(self._translate(sql), rows)
        return cur

    def close(self) -> None:
        self.raw.close()


_TABLE = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*)\)\s*(WITHOUT ROWID)?\s*;?\s*$", re.S | re.I)
_WORDS = re.compile(r"[^\W_]+")
_END = re.compile(r'(?<![\w"])end(?![\w"(])')


def table_keys(migrations: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """table -> primary-key columns, read from the CREATE TABLE statements of the migrations."""
    keys: dict[str, tuple[str, ...]] = {}
    for scripts in migrations.values():
        for script in scripts:
            for stmt in split_sql(script):
                m = _TABLE.match(stmt.strip())
                if not m:
                    continue
                body = m.group(2)
                composite = re.search(r"PRIMARY KEY\s*\(([^)]*)\)", body, re.I)
                if composite:
                    keys[m.group(1)] = tuple(c.strip() for c in composite.group(1).split(","))
                    continue
                single = re.search(r"(\w+)\s+\w+\s+PRIMARY KEY", body, re.I)
                if single:
                    keys[m.group(1)] = (single.group(1),)
    return keys


def _placeholders(sql: str) -> str:
    """`?` -> `%s` and `%` -> `%%` outside string literals (psycopg's paramstyle)."""
    out, quoted = [], False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
            out.append(ch)
        elif ch == "%":
            out.append("%%")
        elif ch == "?" and not quoted:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


def translate_query(sql: str, keys: dict[str, tuple[str, ...]], serial_rowid: frozenset[str]) -> str:
    """One portable statement in PostgreSQL's dialect (see the module docstring)."""
    s = sql.strip()
    m = re.match(r"INSERT OR (IGNORE|REPLACE) INTO (\w+)\s*\(([^)]*)\)(.*)$", s, re.S | re.I)
    if m:
        kind, table, cols, rest = m.group(1).upper(), m.group(2), m.group(3), m.group(4).rstrip().rstrip(";")
        head = f"INSERT INTO {table} ({cols}){rest}"
        if kind == "IGNORE":
            s = head + " ON CONFLICT DO NOTHING"
        else:
            if table not in keys:
                raise StoreError(f"INSERT OR REPLACE into {table}: no primary key known for it "
                                 "(declare one in its CREATE TABLE)")
            key = keys[table]
            names = [c.strip() for c in cols.split(",")]
            sets = [f"{c} = EXCLUDED.{c}" for c in names if c not in key]
            if table in serial_rowid and "rowid" not in key:
                sets.append("rowid = DEFAULT")  # a replaced row is a new row, as in SQLite
            s = head + f" ON CONFLICT ({', '.join(key)}) " + (f"DO UPDATE SET {', '.join(sets)}" if sets
                                                             else "DO NOTHING")
    s = s.replace("datetime('now')", NOW_TEXT)
    s = re.sub(r"LIMIT -1\b", "LIMIT ALL", s)
    s = re.sub(r"(?<=[\s(])\+(?=[A-Za-z_])", "", s)  # SQLite's unary-plus planner hint ("+story_id")
    s = re.sub(r"json_each\(\?\)", "json_array_elements_text(?::json) AS j(value)", s)
    s = _END.sub('"end"', s)
    return _placeholders(s)


def translate_ddl(script: str) -> tuple[list[str], set[str]]:
    """Migration statements in PostgreSQL's dialect, and the tables given a synthetic `rowid`."""
    out: list[str] = []
    serial: set[str] = set()
    for stmt in split_sql(script):
        s = stmt.strip().rstrip(";")
        upper = s.upper()
        if upper.startswith("CREATE TRIGGER") or (upper.startswith("INSERT INTO") and "_FTS(" in upper):
            continue  # FTS5 upkeep: the tsvector column is written by the store itself
        fts = re.match(r"CREATE VIRTUAL TABLE (\w+) USING fts5\((.*)\)$", s, re.S | re.I)
        if fts:
            content = re.search(r"content\s*=\s*'(\w+)'", fts.group(2))
            table = content.group(1) if content else fts.group(1)
            out.append(f"ALTER TABLE {table} ADD COLUMN fts TSVECTOR")
            out.append(f"CREATE INDEX {fts.group(1)}_gin ON {table} USING GIN (fts)")
            continue
        s = re.sub(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b", "BIGSERIAL PRIMARY KEY", s, flags=re.I)
        s = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGSERIAL PRIMARY KEY", s, flags=re.I)
        s = re.sub(r"\bBLOB\b", "BYTEA", s, flags=re.I)
        s = re.sub(r"\bREAL\b", "DOUBLE PRECISION", s, flags=re.I)
        s = re.sub(r"\bINTEGER\b", "BIGINT", s, flags=re.I)
        s = re.sub(r"\((\w+) COLLATE NOCASE\)", r"(lower(\1))", s, flags=re.I)
        s = s.replace("(datetime('now'))", f"({NOW_TEXT})").replace("datetime('now')", NOW_TEXT)
        m = _TABLE.match(s + ";") if upper.startswith("CREATE TABLE") else None
        if m:
            if m.group(3):
                s = s[:m.start(3)].rstrip() if m.start(3) >= 0 else s
            elif "BIGSERIAL" not in s.upper():
                open_paren = s.index("(")
                s = s[:open_paren + 1] + "\n  rowid BIGSERIAL NOT NULL UNIQUE," + s[open_paren + 1:]
                serial.add(m.group(1))
        s = _END.sub('"end"', s)
        out.append(s)
    return out, serial


class PostgresBackend(BaseStore):
    backend = "postgresql"
    AUTO_MIGRATE = False

    def __init__(self, url: str, *, readonly: bool = False, migrate: bool | None = None) -> None:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise StoreError("PostgreSQL stores need psycopg: pip install 'storyline[postgres]'") from exc
        self.url = url
        self.path = None
        migrations = self.all_migrations()
        self._keys = table_keys(migrations)
        self._serial: frozenset[str] = frozenset(
            t for scripts in migrations.values() for script in scripts for t in translate_ddl(script)[1])
        self._translate = functools.lru_cache(maxsize=2048)(
            lambda sql: translate_query(sql, self._keys, self._serial))
        self._regconfigs: dict[str, str] | None = None
        self._init_base(readonly=readonly, migrate=migrate)

    @property
    def location(self) -> str:
        return redact(self.url)

    def _connect(self) -> _Connection:
        import psycopg

        try:
            raw = psycopg.connect(self.url, autocommit=True, connect_timeout=10, row_factory=_row_factory)
        except psycopg.OperationalError as exc:
            raise StoreError(self._connect_error(str(exc))) from exc
        except psycopg.ProgrammingError as exc:  # a malformed URL
            raise StoreError(f"{self.location}: not a usable PostgreSQL URL ({exc})") from exc
        raw.execute("SET client_min_messages = warning")
        return _Connection(raw, self._translate)

    def _connect_error(self, message: str) -> str:
        parts = urlsplit(self.url)
        where = f"{parts.hostname or 'the local socket'}" + (f":{parts.port}" if parts.port else "")
        first = message.strip().splitlines()[-1] if message.strip() else message
        low = message.lower()
        if "password authentication failed" in low or "no password supplied" in low or (
                "role" in low and "does not exist" in low) or "authentication failed" in low:
            return (f"{self.location}: the PostgreSQL server at {where} refused the credentials of user "
                    f"{parts.username or '(default)'!r} ({first})")
        if "database" in low and "does not exist" in low:
            name = parts.path.lstrip("/") or "(default)"
            return f"{self.location}: database {name!r} does not exist on {where} (create it: createdb {name})"
        return f"{self.location}: cannot reach the PostgreSQL server at {where} ({first})"

    def _begin(self, conn: _Connection) -> None:
        conn.raw.execute("BEGIN")
        conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))

    def _acquire(self, name: str) -> Any:
        """A session-level advisory lock on this thread's connection (released if it drops)."""
        from contextlib import contextmanager

        key = zlib.crc32(f"storyline:{name}".encode())

        @contextmanager
        def held() -> Any:
            self.conn.raw.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                self.conn.raw.execute("SELECT pg_advisory_unlock(%s)", (key,))

        return held()

    def _insert_id(self, tx: Any, sql: str, params: Any, id_column: str) -> int:
        return int(tx.execute(f"{sql} RETURNING {id_column}", params).fetchone()[0])

    # -- migrations ---------------------------------------------------------------------------
    def _migration_lock(self) -> Any:
        return self._acquire("migrations")  # processes opening a new database at once take turns

    def _create_migrations_table(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version BIGINT NOT NULL,"
            f" applied_at TEXT NOT NULL DEFAULT ({NOW_TEXT}), PRIMARY KEY (component, version))")

    def translate_ddl(self, script: str) -> list[str]:
        return translate_ddl(script)[0]

    # -- text index (tsvector; see storyline.store.textindex) ------------------------------------
    def _index_article_text(self, tx: Any, rowid: int, lang: str | None, title: str | None, text: str) -> None:
        # words as FTS5's unicode61 tokenizer sees them, whatever the server's locale ("«Venezuela")
        folded = " ".join(_WORDS.findall(fold(f"{title or ''}\n{text}")))
        tx.raw.execute("UPDATE articles SET fts = to_tsvector('simple', %s) || to_tsvector(%s::regconfig, %s)"
                       " WHERE rowid = %s", (folded, regconfig(lang), folded, rowid))
        self._regconfigs = None

    def _tsquery(self, terms: list[str]) -> str:
        """The query's tsquery text: each folded term as a prefix (as FTS5 matches it), OR-ed with its
        stems in each language configuration the stored articles use. Computed once per term list
        and handed to the queries as a constant, so the planner sees it (an index scan when selective)."""
        key = tuple(terms)
        cache = self.__dict__.setdefault("_tsq_cache", {})
        if key in cache and self._regconfigs is not None:
            return cache[key]
        if self._regconfigs is None:
            langs = [r[0] for r in self.conn.raw.execute("SELECT DISTINCT lang FROM articles")]
            self._regconfigs = {regconfig(lang): "" for lang in langs}
            cache.clear()
        configs = sorted(c for c in self._regconfigs if c != "simple")
        parts = []
        for term in terms:
            stems: set[str] = set()
            for cfg in configs:
                row = self.conn.raw.execute("SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))",
                                            (cfg, term)).fetchone()
                stems.update(row[0] or ())
            prefix = len(term) >= 4
            alts = [tsquery_simple([term])] + ["'" + x.replace("'", "''") + "'" for x in sorted(stems)
                                               if not (prefix and x.startswith(term)) and x != term]
            parts.append(" | ".join(alts))
        if len(cache) > 4096:
            cache.clear()
        cache[key] = " | ".join(parts)
        return cache[key]

    def text_search(self, terms: list[str], limit: int) -> list[str]:
        if not terms:
            return []
        q = self._tsquery(terms)
        rows = self.conn.raw.execute("SELECT id FROM articles WHERE fts @@ %s::tsquery"
                                     " ORDER BY ts_rank(fts, %s::tsquery) DESC, rowid LIMIT %s", (q, q, limit))
        return [r[0] for r in rows]

    def text_term_articles(self, term: str, cap: int) -> list[str] | None:
        rows = self.conn.raw.execute("SELECT id FROM articles WHERE fts @@ %s::tsquery LIMIT %s",
                                     (self._tsquery([term]), cap + 1)).fetchall()
        return None if len(rows) > cap else [r[0] for r in rows]

    def text_term_count(self, term: str, cap: int) -> int:
        row = self.conn.raw.execute("SELECT count(*) FROM (SELECT 1 FROM articles WHERE fts @@ %s::tsquery LIMIT %s) x",
                                    (self._tsquery([term]), cap)).fetchone()
        return int(row[0])

    def rebuild_text_index(self) -> None:
        rows = self.conn.raw.execute("SELECT rowid, lang, title, text FROM articles").fetchall()
        with self.transaction() as tx:
            for r in rows:
                self._index_article_text(tx, r[0], r[1], r[2], r[3])

    # -- whole-store access ---------------------------------------------------------------------
    def table_names(self) -> list[str]:
        rows = self.conn.raw.execute("SELECT table_name FROM information_schema.tables WHERE table_schema ="
                                     " current_schema() AND table_type = 'BASE TABLE'")
        have = {r[0] for r in rows} - {"schema_migrations"}
        order = [t for t in _created_tables(self.all_migrations()) if t in have]
        return order + sorted(have - set(order))

    def table_columns(self, table: str) -> list[str]:
        rows = self.conn.raw.execute("SELECT column_name FROM information_schema.columns WHERE table_schema ="
                                     " current_schema() AND table_name = %s ORDER BY ordinal_position", (table,))
        return [r[0] for r in rows if r[0] != "fts"]

    def after_bulk_load(self) -> None:
        rows = self.conn.raw.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND column_default LIKE 'nextval(%%'").fetchall()
        for table, column in rows:
            self.conn.raw.execute(
                f'SELECT setval(pg_get_serial_sequence(%s, %s), coalesce((SELECT max("{column}") FROM {table}), 0)'
                " + 1, false)", (table, column))


def _created_tables(migrations: dict[str, list[str]]) -> list[str]:
    out = []
    for scripts in migrations.values():
        for script in scripts:
            for stmt in split_sql(script):
                m = re.match(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", stmt.strip(), re.I)
                if m and m.group(1) not in out:
                    out.append(m.group(1))
    return out
