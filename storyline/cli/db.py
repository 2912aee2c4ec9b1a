"""`storyline db copy | migrate`: move a whole store between backends, upgrade a schema in place."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, console, emit_json, fail, named_bars, state
from storyline.store import StoreError, default_db_path, is_url, open_store


def _open(target: str, *, migrate: bool | None = None, must_exist: bool = False) -> Any:
    from pathlib import Path

    if must_exist and not is_url(target) and not Path(target).expanduser().is_file():
        fail(f"{target}: no such database", code=1)
    try:
        return open_store(target, migrate=migrate)
    except StoreError as exc:
        fail(str(exc), code=2)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    db_app = typer.Typer(help="Store maintenance: copy between backends, upgrade the schema.",
                         no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("copy")
    def copy_cmd(
        source: Annotated[str, typer.Option("--from", help="Store to read: a SQLite file or postgresql:// URL.")],
        destination: Annotated[str, typer.Option("--to", help="Store to write (created if new).")],
        replace: Annotated[bool, typer.Option("--replace", help="Empty a non-empty destination first.")] = False,
        json_out: JsonOption = False,
    ) -> None:
        """Copy every row of one store into another (SQLite <-> PostgreSQL), then compare row counts
        and a checksum per table on both sides. Exit 1 when they differ."""
        from storyline.store.copy import copy_store

        src = _open(source, must_exist=True)
        dst = _open(destination, migrate=True)
        with named_bars(json_out, width=26) as progress:
            try:
                report = copy_store(src, dst, replace=replace, progress=progress)
            except StoreError as exc:
                fail(str(exc), code=1)
        tables = list(report.source)
        if json_out:
            emit_json({"from": src.location, "to": dst.location, "identical": report.identical,
                       "tables": {t: {"source": vars(report.source[t]), "destination": vars(report.destination[t])}
                                  for t in tables}})
        else:
            table = Table(title=f"{src.location} → {dst.location}")
            for col in ("table", "rows (from)", "checksum (from)", "rows (to)", "checksum (to)", ""):
                table.add_column(col, justify="right" if col.startswith("rows") else "left")
            for t in tables:
                a, b = report.source[t], report.destination[t]
                table.add_row(t, str(a.rows), a.checksum, str(b.rows), b.checksum, "ok" if a == b else "[red]DIFFERS")
            console.print(table)
            total = sum(f.rows for f in report.source.values())
            console.print(f"Copied {total} rows in {len(tables)} tables: "
                          + ("identical on both sides." if report.identical else "[red]the copy differs.[/]"))
        if not report.identical:
            raise typer.Exit(1)

    @db_app.command("migrate")
    def migrate_cmd(db: DbOption = None, json_out: JsonOption = False) -> None:
        """Upgrade a store's schema in place (each step in its own transaction) and print the versions."""
        target = str(db or state.db or default_db_path())
        store = _open(target, migrate=True, must_exist=True)
        before, applied, after = store.opened_versions, store.applied_at_open, store.schema_versions()
        if json_out:
            emit_json({"db": store.location, "backend": store.backend, "before": before, "after": after,
                       "applied": [{"component": c, "version": v} for c, v in applied]})
            return
        table = Table(title=f"{store.location} ({store.backend})")
        for col in ("component", "before", "after"):
            table.add_column(col)
        for comp in sorted(after):
            table.add_row(comp, str(before.get(comp, 0)), str(after[comp]))
        console.print(table)
        console.print(f"Applied {len(applied)} migration(s)." if applied else "Already up to date.")
