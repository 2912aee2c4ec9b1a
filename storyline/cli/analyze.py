"""`storyline analyze`: run (or re-run) the analysis pipeline over stored articles."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from storyline.cli.common import (
    DbOption,
    JsonOption,
    console,
    emit_json,
    err_console,
    fail,
    get_config,
    get_store,
    named_bars,
)
from storyline.pipeline import STEPS, pending_counts, run_pending, run_pipeline


def analyze_with_progress(store, article_ids: list[str] | None, config, *, steps: list[str] | None = None,
                          quiet: bool = False, retry_failed: bool = False,
                          background: bool | None = None) -> dict[str, dict[str, Any]]:
    """Run the pipeline showing one rich progress bar per step (nothing printed when quiet).

    `article_ids=None` finishes what the store records as pending instead (see `run_pending`).
    """
    if article_ids is not None and not article_ids:
        return {}
    with named_bars(quiet) as progress:
        if article_ids is None:
            reports = run_pending(store, config, steps=steps, retry_failed=retry_failed, progress=progress,
                                  background=background)
        else:
            reports = run_pipeline(store, article_ids, config, steps=steps, progress=progress)
    for name, rep in reports.items():
        if "error" in rep:
            err_console.print(f"[bold red]error:[/] analysis step {name} failed: {escape(str(rep['error']))}",
                              highlight=False)
    return reports


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command("status")(status_cmd)

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
        pending: Annotated[bool, typer.Option("--pending", help="Only finish what is pending or failed "
                                              "(see `storyline status`).")] = False,
        db: DbOption = None,
        json_out: JsonOption = False,
    ) -> None:
        """Run the analysis steps (entities, quotes, stories, dated statements, timelines) over stored articles."""
        config = get_config()
        store = get_store(db, must_exist=True)
        if step:
            unknown = [s for s in step if s not in STEPS]
            if unknown:
                console.print(f"[red]error:[/] unknown step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}")
                raise typer.Exit(2)
        if pending and ids:
            fail("give article ids or --pending, not both", code=2)
        if pending:
            todo = pending_counts(store, config, include_failed=True)
            n = len({aid for name in todo for aid in store.analysis_pending(name, include_failed=True)})
            reports = analyze_with_progress(store, None, config, steps=step, quiet=json_out, retry_failed=True,
                                            background=True)
        else:
            article_ids = list(ids) if ids else store.article_ids()
            n = len(article_ids)
            reports = analyze_with_progress(store, article_ids, config, steps=step, quiet=json_out)
            if not ids and not step:  # every article was just analysed: nothing of earlier runs is left
                reports |= {k: v for k, v in analyze_with_progress(store, None, config, quiet=True,
                                                                  background=True).items()
                            if k not in reports}
        left = pending_counts(store, config)
        if json_out:
            emit_json({"articles": n, "steps": reports, "pending": left,
                       "failed": len(store.analysis_failures())})
        else:
            console.print(f"Analysed {n} article(s)." if n else "Nothing pending: every stored article is analysed.")
            for name, rep in reports.items():
                console.print(f"  {name}: " + ", ".join(f"{k}={v}" for k, v in rep.items() if not isinstance(v, list | dict)))
        if any("error" in rep for rep in reports.values()):
            raise typer.Exit(1)


def status_cmd(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Articles stored and analysed, what each analysis step still has pending, and what failed (and why)."""
    from storyline.pipeline import configured_steps

    config = get_config()
    store = get_store(db, must_exist=True)
    status = store.analysis_status()
    steps = {name: status["steps"].get(name, {"pending": 0, "done": 0, "failed": 0})
             for name in dict.fromkeys([*configured_steps(config), *status["steps"]])}
    failures = store.analysis_failures()
    pending = sum(v["pending"] for v in steps.values())
    if json_out:
        emit_json({"db": store.location, "articles": status["stored"], "analysed": status["analysed"],
                   "unfinished": status["unfinished"], "pending": pending, "steps": steps, "failures": failures})
        return
    from rich.table import Table

    console.print(f"[bold]{status['stored']}[/] article(s) stored, [bold]{status['analysed']}[/] fully analysed, "
                  f"{status['unfinished']} with work left", highlight=False)
    table = Table(title="Analysis steps", title_justify="left")
    for col in ("step", "pending", "done", "failed"):
        table.add_column(col, justify="left" if col == "step" else "right")
    for name, v in steps.items():
        table.add_row(name, str(v["pending"]), str(v["done"]), str(v["failed"]),
                      style="yellow" if v["pending"] or v["failed"] else None)
    console.print(table)
    for f in failures[:50]:
        console.print(f"  [red]failed[/] {f['article_id']} in {f['step']} ({f['attempts']} attempt(s)): "
                      f"{escape(str(f['reason']))}", highlight=False)
    if len(failures) > 50:
        console.print(f"  … and {len(failures) - 50} more (--json lists all)")
    if pending or failures:
        console.print("Run [bold]storyline analyze --pending[/] to finish them.")


def _toml(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'
    return json.dumps(value, ensure_ascii=False)
