"""`storyline demo`: ingest the bundled example corpus into a fresh database and show what Storyline knows.

Each stage's CLI module contributes its own section through `demo(store, console)`, so the demo grows
with the system without this module knowing the stages' internals.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import platformdirs
import typer
from rich.rule import Rule

from storyline import registry
from storyline.cli.common import console, fail, get_config, state
from storyline.store import StoreError, is_url, open_store

#: sections in data-flow order: (title, module with a `demo(store, console)` function)
SECTIONS = [(m.demo, m.module) for m in registry.CLI if m.demo]


def default_demo_db() -> Path:
    return Path(platformdirs.user_data_dir("storyline")) / "demo.db"


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def demo(
        examples: Annotated[Path, typer.Option("--examples", help="Folder of example articles.")] = Path("examples"),
        db: Annotated[str | None, typer.Option("--db", help="Database file or postgresql:// URL to use "
                                               "(default: a fresh demo.db in the user data dir).",
                                               show_default=False)] = None,
    ) -> None:
        """Ingest examples/ into a fresh demo database, analyse it, and print what the system knows."""
        from storyline.cli.ingest import ingest_bars, print_step_errors
        from storyline.service.ingest import ingest_and_analyse

        if not examples.is_dir():
            fail(f"{examples}: example folder not found (run from the repository root or pass --examples)", 2)
        config = get_config()
        path = db or state.db
        if path is None:
            path = default_demo_db()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        try:
            store = open_store(path)
        except StoreError as exc:
            fail(str(exc), 2)
        if is_url(path):
            path = store.location
        console.print(Rule(f"Storyline demo: {examples} → {path}"))
        # everything the store records as pending is analysed: new, updated and near-duplicate articles, and
        # what an interrupted earlier demo left (so `storyline status` shows nothing pending afterwards)
        with ingest_bars() as (progress, step_progress):
            outcome = ingest_and_analyse(store, [str(examples)], config, progress=progress,
                                         step_progress=step_progress)
        report = outcome.report
        console.print(f"Ingested {len(report.new)} new article(s), {len(report.duplicates)} duplicate(s), "
                      f"{len(report.unchanged)} unchanged, {len(report.failures)} failed.")
        for failure in report.failures:
            console.print(f"  [red]failed[/] {failure.input}: {failure.reason}", highlight=False)
        print_step_errors(outcome.analysis)
        for title, module_name in SECTIONS:
            try:
                section = getattr(importlib.import_module(module_name), "demo", None)
            except ImportError:
                section = None
            if section is None:
                continue
            console.print(Rule(title))
            section(store, console)
        console.print(Rule())
        console.print(f"Explore further: storyline --db {path} stories | search \"QUERY\" | serve")
