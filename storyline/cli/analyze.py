"""`storyline analyze`: run (or re-run) the analysis pipeline over stored articles."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyline.cli.common import DbOption, JsonOption, console, emit_json, err_console, get_config, get_store
from storyline.pipeline import STEPS, run_pipeline


def analyze_with_progress(store, article_ids: list[str], config, *, steps: list[str] | None = None,
                          quiet: bool = False) -> dict[str, dict[str, Any]]:
    """Run the pipeline showing one rich progress bar per step (nothing printed when quiet)."""
    if not article_ids:
        return {}
    with Progress(TextColumn("[bold]{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, disable=quiet, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        reports = run_pipeline(store, article_ids, config, steps=steps, progress=progress)
    for name, rep in reports.items():
        if "error" in rep:
            err_console.print(f"[bold red]error:[/] analysis step {name} failed: {escape(str(rep['error']))}",
                              highlight=False)
    return reports


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("config")
    def config_cmd(json_out: JsonOption = False) -> None:
        """Print every setting's effective value and where the config file is read from."""
        from storyline.config import ConfigError, default_config_path, effective

        cfg = get_config()
        try:
            values = effective(cfg)
        except ConfigError as exc:
            console.print(f"[red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from exc
        path = str(cfg.path or default_config_path())
        if json_out:
            emit_json({"path": path, "exists": cfg.path is not None, "sections": values})
            return
        # plain print: the output is valid TOML to copy into the config file, so no wrapping
        print(f"# config file: {path}{'' if cfg.path else ' (not present: defaults in use)'}")
        for name, fields in values.items():
            print(f"\n[{name}]")
            for key, value in fields.items():
                print(f"{key} = {_toml(value)}")

    @app.command()
    def analyze(
        ids: Annotated[list[str] | None, typer.Argument(help="Article ids (default: every stored article).")] = None,
        step: Annotated[list[str] | None, typer.Option("--step", help=f"Only these steps ({', '.join(STEPS)}).")] = None,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Run the analysis steps (entities, quotes, stories, dated statements, timelines) over stored articles."""
        config = get_config()
        store = get_store(db)
        if step:
            unknown = [s for s in step if s not in STEPS]
            if unknown:
                console.print(f"[red]error:[/] unknown step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}")
                raise typer.Exit(2)
        article_ids = list(ids) if ids else store.article_ids()
        reports = analyze_with_progress(store, article_ids, config, steps=step, quiet=json_out)
        if json_out:
            emit_json({"articles": len(article_ids), "steps": reports})
        else:
            console.print(f"Analysed {len(article_ids)} article(s).")
            for name, rep in reports.items():
                console.print(f"  {name}: " + ", ".join(f"{k}={v}" for k, v in rep.items() if not isinstance(v, list | dict)))
        if any("error" in rep for rep in reports.values()):
            raise typer.Exit(1)


def _toml(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    return json.dumps(value, ensure_ascii=False)
