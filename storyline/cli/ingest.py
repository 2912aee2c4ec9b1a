"""`storyline ingest`, `storyline articles`, `storyline show`: a thin shell over storyline.service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.cli.common import (
    DbOption,
    JsonOption,
    console,
    emit_json,
    err_console,
    fail,
    get_config,
    get_store,
)

if TYPE_CHECKING:
    from storyline.ingest.api import ProgressFn as IngestProgressFn
    from storyline.pipeline import ProgressFn

LIST_FIELDS = ("id", "source", "title", "lang", "lang_confidence", "published", "published_precision",
               "published_origin", "chars", "duplicate_of", "url", "site_name", "author")


def _article_row(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in LIST_FIELDS}


@contextmanager
def ingest_bars(quiet: bool = False) -> Iterator[tuple[IngestProgressFn, ProgressFn]]:
    """One rich display (on stderr) for an ingest and the analysis after it: a bar for the inputs and
    one per analysis step; yields the two progress callbacks."""
    with Progress(TextColumn("[bold]{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, disable=quiet, transient=True) as bar:
        task = bar.add_task("ingest", total=None)
        steps: dict[str, Any] = {}

        def inputs(done: int, total: int, current: str) -> None:
            bar.update(task, completed=done, total=total, description=f"ingest {current[-50:]}")

        def step(name: str, done: int, total: int) -> None:
            if name not in steps:
                steps[name] = bar.add_task(name, total=total)
            bar.update(steps[name], completed=done, total=total)

        yield inputs, step


def print_step_errors(analysis: dict[str, dict[str, Any]]) -> None:
    for name, rep in analysis.items():
        if "error" in rep:
            err_console.print(f"[bold red]error:[/] analysis step {name} failed: {escape(str(rep['error']))}",
                              highlight=False)


def ingest_cmd(
    inputs: Annotated[list[str] | None, typer.Argument(help="Files, directories, globs, http(s) URLs or - for stdin.",
                                                       show_default=False)] = None,
    fetch: Annotated[bool, typer.Option("--fetch", help="For feeds: fetch each entry's linked page.")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private",
                                                help="Allow URLs on private/loopback/link-local addresses.")] = False,
    analyze: Annotated[bool, typer.Option("--analyze/--no-analyze",
                                          help="Run the analysis pipeline (entities, quotes, stories, timelines) "
                                               "on new and updated articles.")] = True,
    engine: Annotated[str, typer.Option("--engine", help="Where the per-article analysis work runs: local | ray "
                                                         "(pip install 'storyline[ray]').")] = "local",
    address: Annotated[str | None, typer.Option("--address", help="Ray cluster: auto or HOST:PORT (default: a "
                                                                 "local Ray).", show_default=False)] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Ray workers (actors, one CPU each).")] = 2,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Ingest articles (txt, HTML, JSON/JSONL, RSS/Atom, URLs) into the store, then analyse them."""
    from storyline.service.ingest import ingest_and_analyse

    if not inputs:
        fail("no inputs: give files, directories, globs, URLs or - for stdin", code=2)
    if engine not in ("local", "ray"):
        fail(f"--engine {engine!r}: use local or ray", code=2)
    config = get_config()
    store = get_store(db)
    prepare = None
    if engine == "ray":  # the per-article work on Ray; the steps then find it done
        from storyline.engine.ray_engine import EngineError, prepare_on_ray

        def prepare(st, ids, cfg):
            try:
                return {"ray": prepare_on_ray(st, ids, cfg, address=address, workers=workers)}
            except EngineError as exc:  # the articles stay stored and pending: `storyline analyze --pending`
                fail(str(exc), code=2)
    with ingest_bars(quiet=json_out) as (progress, step_progress):
        # the new and updated articles are analysed, and whatever earlier (interrupted) runs left pending
        outcome = ingest_and_analyse(store, list(inputs), config, allow_private=allow_private, fetch=fetch,
                                     analyse=analyze, progress=progress, step_progress=step_progress,
                                     prepare=prepare)
    report = outcome.report
    print_step_errors(outcome.analysis)
    if json_out:
        emit_json(outcome.to_dict())
    else:
        console.print(f"[green]{len(report.new)} new[/], {len(report.duplicates)} near-duplicates, "
                      f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
                      f"{len(report.skipped)} skipped, "
                      f"[{'red' if report.failures else 'green'}]{len(report.failures)} failed[/]")
        for source, aid, orig in report.duplicates:
            console.print(f"  duplicate {aid} of {orig}: {escape(source)}", highlight=False)
        for aid in report.updated:
            console.print(f"  updated {aid} (source changed; stored text replaced)", highlight=False)
        for path, why in report.skipped[:20]:
            console.print(f"  [dim]skipped {escape(path)}: {why}[/]", highlight=False)
        if len(report.skipped) > 20:
            console.print(f"  [dim]… and {len(report.skipped) - 20} more skipped (--json lists all)[/]")
        for f in report.failures:
            console.print(f"  [red]failed[/] {escape(f.reason)}", highlight=False)
    if not outcome.ok:
        raise typer.Exit(1)


def articles_cmd(
    lang: Annotated[str | None, typer.Option("--lang", help="Only this language (ISO 639-1, e.g. nb).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Published on/after (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many.")] = 0,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List stored articles in publication order (undated last)."""
    from storyline.ingest.pubdate import parse_value

    if since is not None and parse_value(since) is None:
        fail(f"--since {since!r}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", code=2)
    store = get_store(db, must_exist=True)
    rows = [_article_row(r) for r in store.list_articles(lang=lang, since=since, limit=limit, offset=offset)]
    if json_out:
        emit_json({"articles": rows, "count": len(rows), "total": store.count_articles()})
        return
    print_articles(rows, console)


def print_articles(rows: list[dict[str, Any]], out: Console, title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    wide = out.width >= 110  # the source column only where it fits; --json always has it
    cols = ("id", "lang", "published", "title", "chars") + (("source",) if wide else ())
    for col in cols:
        table.add_column(col, no_wrap=True, justify="right" if col == "chars" else "left")
    fixed = 14 + 4 + 16 + 6 + (27 if wide else 0) + 3 * 5 + 1
    room = max(20, out.width - fixed)
    for r in rows:
        ttl = r.get("title") or ""
        if r.get("duplicate_of"):
            ttl = f"(dup of {r['duplicate_of']}) {ttl}"
        ttl = ttl if len(ttl) <= room else ttl[:room - 1] + "…"
        src = _short_source(str(r.get("source") or ""))
        src = src if len(src) <= 24 else src[:23] + "…"
        cells = [r["id"], r.get("lang") or "?", r.get("published") or "—", escape(ttl), str(r.get("chars") or 0)]
        table.add_row(*cells, *([escape(src)] if wide else []))
    out.print(table)
    if not rows:
        out.print("[dim]no articles[/]")


def _short_source(source: str) -> str:
    """File name (with #line/#entry) or URL host and path: the full path is in --json."""
    if "://" in source.split("#", 1)[0]:
        return source.split("://", 1)[1]
    return source.rsplit("/", 1)[-1]


def show_cmd(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (a-…).")],
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show one article: metadata, provided summary, paragraphs with their language."""
    from storyline.service.articles import article_view

    store = get_store(db, must_exist=True)
    view = article_view(store, article_id, annotations=False)
    if view is None:
        fail(f"{article_id}: no such article", code=1)
        return
    art, when = view.article, view.dating
    d = _article_row(art.to_dict())
    d |= {"dating": when.to_dict(), "canonical_url": art.canonical_url, "text": art.text, "ingested_at": art.ingested_at,
          "paragraphs": [{"text": p.text, "lang": p.lang, "lang_confidence": p.lang_confidence, "start": p.start}
                         for p in art.paragraphs],
          "provided_summary": None if art.provided_summary is None else {
              "heading": art.provided_summary.heading, "bullets": art.provided_summary.bullets,
              "note": art.provided_summary.note}}
    if json_out:
        emit_json(d)
        return
    console.print(f"[bold]{art.title or '(untitled)'}[/]", highlight=False)
    meta = [f"id {art.id}", f"lang {art.lang} ({art.lang_confidence or 0:.2f})",
            f"published {when.label()}",
            f"{art.chars} chars", f"source {art.source}"]
    if art.duplicate_of:
        meta.append(f"near-duplicate of {art.duplicate_of}")
    console.print("  ".join(meta), style="dim", highlight=False)
    if art.provided_summary:
        s = art.provided_summary
        console.print(f"\n[bold]{s.heading or 'Summary'}[/] (publisher's own)", highlight=False)
        for b in s.bullets:
            console.print(f"  • {b}", highlight=False)
        if s.note:
            console.print(f"  [dim]{s.note}[/]", highlight=False)
    console.print()
    for p in art.paragraphs:
        tag = f"[dim][{p.lang}][/] " if p.lang and p.lang != art.lang else ""
        console.print(tag + p.text.replace("[", r"\["), highlight=False)
        console.print()


def eval_langid_cmd(
    directory: Annotated[Path | None, typer.Option("--dir", help="Directory of <code>.txt files, one text per line "
                                                   "(e.g. ../shared/data/langid/sentences).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N texts per language.")] = None,
    mixed: Annotated[int, typer.Option("--mixed", min=0, help="Also score N synthetic mixed-language articles per "
                                       "language (paragraph-level accuracy); 0 = off.")] = 0,
    split: Annotated[str, typer.Option("--split", help="Which half of each file: all, first (tuning half) or "
                                       "second (held-out half).")] = "all",
    strip: Annotated[bool, typer.Option("--strip", help="Lower-case the texts and drop their punctuation first "
                                        "(robustness check).")] = False,
    articles: Annotated[list[Path] | None, typer.Option("--articles", help="Article files or folders to ingest "
                                                        "and score per article (gold: --gold, else the file "
                                                        "name's language prefix, e.g. examples/).")] = None,
    article_gold: Annotated[Path | None, typer.Option("--gold", help="JSONL of {\"ref\", \"lang\"} for --articles "
                                                      "(e.g. gold/seeds-langid.jsonl).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Per-language accuracy of ingest's language identification on gold texts and articles."""
    from storyline.eval.langid import (
        GoldError,
        evaluate,
        evaluate_articles,
        evaluate_mixed,
        load_article_gold,
        load_gold,
    )
    from storyline.ingest import settings_from

    if directory is None and not articles:
        fail("give --dir (one text per line) and/or --articles (article files)", code=2)
    for path in articles or []:
        if not path.exists():
            fail(f"{path}: no such file or folder", code=2)
    settings = settings_from(get_config())
    art_result = None
    if articles:
        try:
            gold_map = load_article_gold(article_gold) if article_gold else None
        except GoldError as exc:
            fail(str(exc), code=2)
            return
        art_result = evaluate_articles(list(articles), gold_map, settings)
        if directory is None:
            if json_out:
                emit_json({"articles": art_result})
            else:
                _print_articles(art_result)
            return
    assert directory is not None
    try:
        gold = load_gold(directory, limit, split, strip=strip)
    except GoldError as exc:
        fail(str(exc), code=2)
        return
    with Progress(TextColumn("[bold]langid"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True, disable=json_out) as bar:
        task = bar.add_task("", total=sum(len(v) for v in gold.values()))
        result = evaluate(gold, settings, progress=lambda n: bar.update(task, advance=n))
        if mixed:
            task2 = bar.add_task("", total=mixed * len(gold))
            result["mixed"] = evaluate_mixed(gold, settings, mixed, progress=lambda n: bar.update(task2, advance=n))
    if art_result is not None:
        result["articles"] = art_result
    if json_out:
        emit_json({"dir": str(directory), "split": split, "strip": strip} | result)
        return
    table = Table(title=f"Language ID: {directory}{' (lower-cased, no punctuation)' if strip else ''} "
                  f"({result['candidates']} candidate languages)",
                  title_justify="left")
    for col in ("lang", "texts", "accuracy", "confused with"):
        table.add_column(col, justify="left" if col in ("lang", "confused with") else "right")
    for code, r in result["languages"].items():
        conf = ", ".join(f"{k} {v}" for k, v in r["confused_with"].items())
        table.add_row(code, str(r["n"]), f"{r['accuracy']:.3f}", conf)
    console.print(table)
    console.print(f"macro accuracy {result['macro_accuracy']:.3f}, micro {result['micro_accuracy']:.3f}, "
                  f"{result['ms_per_text']:.2f} ms per text", highlight=False)
    if mixed:
        m = result["mixed"]
        t2 = Table(title=f"Mixed-language articles ({m['articles']}: 5 paragraphs + 1 in another language)",
                   title_justify="left")
        for col in ("lang", "article", "native paragraphs", "foreign paragraph"):
            t2.add_column(col, justify="left" if col == "lang" else "right")
        for code, r in m["languages"].items():
            t2.add_row(code, f"{r['article_accuracy']:.3f}", f"{r['native_paragraph_accuracy']:.3f}",
                       f"{r['foreign_paragraph_accuracy']:.3f}")
        t2.add_row("all", f"{m['article_accuracy']:.3f}", f"{m['native_paragraph_accuracy']:.3f}",
                   f"{m['foreign_paragraph_accuracy']:.3f}", style="bold")
        console.print(t2)
        console.print(f"{m['ms_per_article']:.2f} ms per article; a foreign paragraph is found when its language "
                      "is the article's relative or in \\[ingest] paragraph_switch_languages", highlight=False)
    if result["not_in_candidates"]:
        console.print(f"[yellow]not among the candidate languages:[/] {', '.join(result['not_in_candidates'])}")
    if art_result is not None:
        _print_articles(art_result)


def _print_articles(result: dict[str, Any]) -> None:
    table = Table(title="Article language", title_justify="left")
    for col in ("article", "gold", "lang", "confidence", "other paragraphs"):
        table.add_column(col, justify="right" if col == "confidence" else "left")
    for r in result["articles"]:
        style = None if not r["expected"] or r["lang"] == r["expected"] else "red"
        table.add_row(escape(r["ref"]), r["expected"] or "-", r["lang"] or "-", f"{r['confidence'] or 0:.3f}",
                      ", ".join(r["other_paragraph_languages"]), style=style)
    console.print(table)
    console.print(f"{result['correct']} of {result['scored']} articles right ({result['accuracy']:.3f})",
                  highlight=False)
    for _source, reason in result["failures"]:
        err_console.print(f"[yellow]not ingested:[/] {escape(reason)}", highlight=False)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
    app.command("articles")(articles_cmd)
    app.command("show")(show_cmd)
    eval_app.command("langid")(eval_langid_cmd)


def demo(store: Any, out: Console) -> None:
    """The demo's first section: what was ingested."""
    rows = [_article_row(r) for r in store.list_articles()]
    print_articles(rows, out, title=f"Articles ({len(rows)})")
