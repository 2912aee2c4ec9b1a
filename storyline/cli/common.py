"""Options and output helpers shared by every CLI command (the CLI is a thin shell over the core)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from storyline.config import Config, ConfigError, set_config
from storyline.store import Store, StoreError, is_url, open_store

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite database file or postgresql:// URL (default: $STORYLINE_DB, else the "
                 "user data dir).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON document for programs.")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Config TOML file (default: $STORYLINE_CONFIG).",
                              show_default=False)
]


class _State:
    db: str | Path | None = None
    config: Config | None = None


state = _State()


def get_config(path: Path | None = None) -> Config:
    if path is not None or state.config is None:
        try:
            state.config = Config.load(path)
        except ConfigError as exc:
            fail(str(exc), code=2)
        set_config(state.config)
    return state.config  # type: ignore[return-value]


def get_store(db: str | Path | None = None, *, must_exist: bool = False, **kwargs: Any) -> Store:
    """The store at `--db` (or the default). `must_exist`: commands that only read (or analyse what is
    stored) refuse a database file that does not exist rather than create an empty one (a typo in
    `--db` would otherwise make folders and an empty store, and report "nothing found")."""
    target = db or state.db
    if must_exist and not is_url(target or ""):
        from storyline.store import default_db_path

        path = Path(target or default_db_path()).expanduser()
        if str(path) != ":memory:" and not path.is_file():
            fail(f"{path}: no such database (ingest articles first, or check --db / $STORYLINE_DB)", code=1)
    try:
        return open_store(target, **kwargs)  # type: ignore[return-value]
    except StoreError as exc:
        fail(str(exc), code=2)
        raise  # unreachable


@contextmanager
def named_bars(quiet: bool = False, width: int = 10) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress display with one bar per name; yields `progress(name, done, total)`."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(f"[bold]{{task.description:<{width}}}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, disable=quiet, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        yield progress


def fail(message: str, code: int = 1) -> None:
    from rich.markup import escape  # messages quote user input and config keys like "[summaries]"

    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def emit_json(obj: Any) -> None:
    """Write one JSON document to stdout (plain print: no rich markup or wrapping)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(o: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(o):
        return dataclasses.asdict(o)
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, set | frozenset):
        return sorted(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


_TRAIN_APP: typer.Typer | None = None


def train_group(app: typer.Typer) -> typer.Typer:
    """The one `storyline train` group; each module that trains a model adds its subcommand to it.

    Created on first use so that the trainers (NER, quotes, language ID) live in their own modules
    without a shared list to edit.
    """
    global _TRAIN_APP
    if _TRAIN_APP is None:
        _TRAIN_APP = typer.Typer(help="Train the models shipped in the package (reads ../shared data).",
                                 no_args_is_help=True)
        app.add_typer(_TRAIN_APP, name="train")
    return _TRAIN_APP
