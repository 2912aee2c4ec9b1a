"""The `storyline` command. Each stage registers its commands from its own module here."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from storyline import registry
from storyline.cli.common import state

app = typer.Typer(
    name="storyline",
    help="Follow news stories across languages and time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure quality against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

#: modules that define `register(app, eval_app)`; one per stage (a view of `storyline.registry.CLI`)
COMMAND_MODULES = [m.module for m in registry.CLI]


@app.callback()
def _root(
    db: Annotated[str | None, typer.Option("--db", envvar="STORYLINE_DB",
                                           help="SQLite database file or postgresql:// URL.",
                                           show_default=False)] = None,
    config: Annotated[Path | None, typer.Option("--config", envvar="STORYLINE_CONFIG",
                                                help="Config TOML file.", show_default=False)] = None,
) -> None:
    """Follow news stories across languages and time."""
    from storyline.cli.common import get_config

    state.db = db
    get_config(config)


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app, eval_app)


def main() -> None:
    app()
