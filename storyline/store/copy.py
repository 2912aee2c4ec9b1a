"""Copy a whole store between backends (`storyline db copy`), and the per-table checksums that prove
nothing was lost.

Tables and columns are read from the databases themselves (so a table added by any area is copied
without touching this module), in the order the migrations create them (so foreign keys hold), in
batches, inside one destination transaction: a failed copy leaves the destination as it was. Row ids
are copied too (`rowid` orders articles and mentions on both backends). The full-text index is rebuilt
on the destination and its key sequences moved past the copied ids. A checksum is a SHA-256 over
the table's rows, each written as canonical JSON of its values by column name (bytes as hex) and
sorted in Python, so it does not depend on either database's collation or row order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storyline.store.base import BaseStore, StoreError

BATCH = 1000


@dataclass
class TableFigures:
    rows: int
    checksum: str


@dataclass
class CopyReport:
    source: dict[str, TableFigures] = field(default_factory=dict)
    destination: dict[str, TableFigures] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return self.source == self.destination


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"hex": bytes(value).hex()}
    if isinstance(value, float):
        return repr(value)
    return value


def _columns(store: BaseStore, table: str) -> list[str]:
    return sorted(store.table_columns(table))


def _select(table: str, cols: list[str]) -> str:
    return f"SELECT {', '.join(cols)} FROM {table}"


def table_figures(store: BaseStore, tables: list[str] | None = None) -> dict[str, TableFigures]:
    """Row count and checksum of every data table (or of `tables`)."""
    out = {}
    for table in tables or store.table_names():
        cols = _columns(store, table)
        lines = sorted(json.dumps([_canonical(v) for v in row], ensure_ascii=False, separators=(",", ":"))
                       for row in store.conn.execute(_select(table, cols)))
        h = hashlib.sha256(("\x1f".join(cols) + "\n").encode())
        for line in lines:
            h.update(line.encode("utf-8"))
            h.update(b"\n")
        out[table] = TableFigures(len(lines), h.hexdigest()[:16])
    return out


def is_empty(store: BaseStore) -> bool:
    return all(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0 for t in store.table_names())


def copy_store(src: BaseStore, dst: BaseStore, *, replace: bool = False,
               progress: Callable[[str, int, int], None] | None = None) -> CopyReport:
    """Copy every row of `src` into `dst` (same schema versions); `replace` empties `dst` first,
    otherwise a destination holding anything is refused. Returns both sides' figures."""
    if src.schema_versions() != dst.schema_versions():
        raise StoreError(f"schema versions differ: {src.location} {src.schema_versions()} vs {dst.location} "
                         f"{dst.schema_versions()}; run `storyline db migrate` on the older one first")
    tables = src.table_names()
    missing = [t for t in tables if t not in set(dst.table_names())]
    if missing:
        raise StoreError(f"{dst.location} lacks the table(s) {', '.join(missing)}")
    if not replace and not is_empty(dst):
        raise StoreError(f"{dst.location} is not empty; pass --replace to overwrite what it holds")
    counts = {t: int(src.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
    with dst.transaction() as tx:
        if replace:
            for table in reversed(dst.table_names()):
                tx.execute(f"DELETE FROM {table}")
        for table in tables:
            cols = _columns(src, table)
            if cols != _columns(dst, table):
                raise StoreError(f"table {table}: columns differ ({cols} vs {_columns(dst, table)})")
            insert = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            cur = src.conn.execute(_select(table, cols))
            done = 0
            while True:
                rows = cur.fetchmany(BATCH)
                if not rows:
                    break
                tx.executemany(insert, [tuple(r) for r in rows])
                done += len(rows)
                if progress:
                    progress(table, done, counts[table])
            if progress and not counts[table]:
                progress(table, 0, 0)
        dst.rebuild_text_index()
    dst.after_bulk_load()
    return CopyReport(source=table_figures(src, tables), destination=table_figures(dst, tables))
