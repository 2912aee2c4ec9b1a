"""Commands for dated statements and timelines: `timeline`, `eval dates`, `eval timeline`; and the
timeline section of `storyline demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, console, emit_json, err_console, fail, get_store


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


def entry_json(e) -> dict[str, Any]:
    return {"id": e.id, "story_id": e.story_id, "date": e.date, "precision": e.precision, "text": e.text,
            "lang": e.lang, "translation": e.translation, "kind": e.kind, "salience": e.salience,
            "inferred": e.inferred, "entities": e.entities,
            "sources": [{"article_id": s.article_id, "sentence": s.sentence, "lang": s.lang,
                         "sentence_index": s.sentence_index, "start": s.start, "end": s.end} for s in e.sources]}


def timeline_table(entries, title: str, lang: str | None = None) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False)
    t.add_column("date", no_wrap=True)
    t.add_column("what happened", overflow="fold")
    t.add_column("sources", overflow="fold")
    for e in entries:
        date = e.date + (" [dim](inferred)[/]" if e.inferred else "")
        langs = sorted({s.lang or "?" for s in e.sources})
        text = escape(e.text)
        if lang and e.lang and e.lang.split("-")[0] != lang:  # not in the reader's language: say which
            text = f"[dim]\\[{escape(e.lang)}][/] {text}" + (f"\n[italic]{escape(e.translation)}[/]" if e.translation else "")
        t.add_row(date, text, f"{len(e.sources)} ({', '.join(langs)})")
    return t


def _resolve_story(store, story: str) -> str:
    """A story id, or an article id (its story), so `storyline timeline a-…` works too."""
    if story.startswith("s-"):
        from storyline.service.stories import find_story

        ref = find_story(store, story)
        if ref is None:
            fail(f"story {story!r} not found (see `storyline stories`)", code=1)
        if ref.merged_from:
            err_console.print(f"{ref.merged_from} was merged into {ref.story.id}", highlight=False)
        return ref.story.id
    if story.startswith("a-") and hasattr(store, "story_of_article"):
        s = store.story_of_article(story)
        if s is None:
            fail(f"article {story!r} is in no story (not found, or not clustered yet)", code=1)
        return s.id
    fail(f"{story!r} is not a story id (s-…) or article id (a-…)", code=2)
    raise AssertionError  # unreachable


def _print_metrics(title: str, rows: list[tuple[str, Any]]) -> None:
    t = Table(title=title, title_justify="left")
    t.add_column("metric")
    t.add_column("value", justify="right")
    for k, v in rows:
        t.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
    console.print(t)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("timeline")
    def timeline_cmd(
        story: Annotated[str | None, typer.Argument(help="Story id (s-…), or an article id to show its story; "
                                                    "leave out with --entity for a timeline across stories.",
                                                    show_default=False)] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="Prefer source sentences in this language "
                                                 "for each entry's text (entries are never dropped; others "
                                                 "are marked with their language).")] = None,
        entity: Annotated[str | None, typer.Option("--entity", help="Only what this person or organisation "
                                                   "did and said (name or part of one).",
                                                   show_default=False)] = None,
        translate: Annotated[bool, typer.Option("--translate", help="With --lang: translate entries that have "
                                                "no source in it through the configured LLM ([summaries] "
                                                "model), stored beside the source.")] = False,
        top: Annotated[int | None, typer.Option("--top", min=1, help="Only the N entries most articles "
                                                "witness (key dates), in date order.", show_default=False)] = None,
        json_: JsonOption = False,
        db: DbOption = None,
    ) -> None:
        """The story's dated timeline: one entry per event date, with every source sentence."""
        from storyline.explain.timeline_view import entity_timeline
        from storyline.service.stories import timeline as story_timeline

        if story is None and not entity:
            fail("give a story id (s-…) or --entity NAME", code=2)
        if entity is not None and not entity.strip():
            fail("--entity needs a name", code=2)
        if translate and not lang:
            fail("--translate needs --lang (the reader's language)", code=2)
        store = get_store(db, must_exist=True)
        sid = _resolve_story(store, story) if story else None
        if translate:
            from storyline.cli.common import get_config
            from storyline.explain.summaries.base import SummaryError
            from storyline.explain.translate import translate_story

            try:
                for one in [sid] if sid else store.timeline_story_ids():
                    report = translate_story(store, one, lang, get_config())
                    for r in report["rejected"]:
                        Console(stderr=True).print(f"[yellow]not translated[/] {r['entry_id']}: {escape(r['reason'])}")
            except SummaryError as exc:
                fail(f"cannot translate: {exc}", code=2)
        if entity:
            entries = entity_timeline(store, entity, [sid] if sid else None, lang=lang)
            entries = entries[:top] if top else entries
        else:
            entries = story_timeline(store, sid, lang=lang, top=top)
        if json_:
            emit_json([entry_json(e) for e in entries])
            return
        where = f"story {sid}" if sid else "any story"
        if not entries:
            console.print(f"No dated statements about {entity!r} in {where}." if entity
                          else f"No dated statements in story {sid} yet.")
            if entity:
                raise typer.Exit(1)
            return
        title = f"Timeline of {entity} ({where})" if entity else f"Timeline of {sid}"
        console.print(timeline_table(entries, title, lang))

    @eval_app.command("dates")
    def eval_dates_cmd(
        gold: Annotated[Path, typer.Option("--gold", help="Gold JSONL ({sentence, lang, published, expected}) "
                                           "or TimeBank TSV.")],
        method: Annotated[str, typer.Option("--method", help="rules | dateparser | both")] = "both",
        limit: Annotated[int | None, typer.Option("--limit", help="Only the first N sentences.")] = None,
        errors: Annotated[int, typer.Option("--errors", help="Show up to N errors.")] = 0,
        json_: JsonOption = False,
    ) -> None:
        """Precision/recall of date expressions and normalisation accuracy, rules vs dateparser."""
        from storyline.eval.dates import METHODS, GoldError, evaluate, load_gold

        methods = list(METHODS) if method == "both" else [method]
        if any(m not in METHODS for m in methods):
            fail(f"--method must be one of: {', '.join(METHODS)}, both", code=2)
        try:
            items = load_gold(gold)
        except GoldError as exc:
            fail(str(exc), code=2)
        results = [evaluate(items, m, limit) for m in methods]
        if json_:
            emit_json({"gold": str(gold), "results": results})
            return
        t = Table(title=f"Date expressions: {gold}", title_justify="left")
        for col in ("method", "sent.", "gold", "found", "P", "R", "F1", "norm.", "strict", "ms/sent"):
            t.add_column(col, justify="right")
        for r in results:
            t.add_row(r["method"], str(r["sentences"]), str(r["gold"]), str(r["predicted"]), f"{r['precision']:.3f}",
                      f"{r['recall']:.3f}", f"{r['f1']:.3f}", f"{r['normalisation_accuracy']:.3f}",
                      f"{r['strict_recall']:.3f}", f"{r['ms_per_sentence']:.2f}")
        console.print(t)
        for r in results:
            for e in r["errors"][:errors]:
                console.print(f"  [dim]{r['method']}[/] {escape(str(e))}", highlight=False)

    @eval_app.command("timeline")
    def eval_timeline_cmd(
        gold: Annotated[Path, typer.Option("--gold", help="Folder in news-tls layout (topic/articles.jsonl, "
                                           "timelines.jsonl, keywords.json), e.g. ../shared/data/timeline17.")],
        topics: Annotated[int | None, typer.Option("--topics", help="Only the first N topics.")] = None,
        limit: Annotated[int | None, typer.Option("--limit", help="At most N articles per topic.")] = None,
        sentences: Annotated[int | None, typer.Option("--sentences", min=1, help="Sentences per date (default: "
                                                      "the gold's mean per date, as news-tls).")] = None,
        json_: JsonOption = False,
    ) -> None:
        """Date-F1 and alignment-based ROUGE-1/2 F (AR1-F, AR2-F) per topic, news-tls style."""
        from storyline.eval.timeline import GoldError, evaluate_dataset

        progress = _progress()
        try:
            with progress:
                task = progress.add_task("timelines", total=None)

                def tick(name: str, done: int, total: int) -> None:
                    progress.update(task, description=name, completed=done, total=total)

                result = evaluate_dataset(gold, topics=topics, limit=limit, sentences=sentences, progress=tick)
        except GoldError as exc:
            fail(str(exc), code=2)
        if json_:
            emit_json(result)
            return
        t = Table(title=f"Timelines: {gold}", title_justify="left")
        for col in ("topic", "timeline", "dates", "Date-F1", "AR1-F", "AR2-F"):
            t.add_column(col, justify="right")
        for r in result["timelines"]:
            t.add_row(r["topic"], str(r["timeline"]), str(r["dates"]), f"{r['date_f1']:.3f}", f"{r['ar1_f']:.3f}",
                      f"{r['ar2_f']:.3f}")
        m = result["mean"]
        t.add_row("[bold]mean[/]", "", "", f"{m['date_f1']:.3f}", f"{m['ar1_f']:.3f}", f"{m['ar2_f']:.3f}")
        console.print(t)
        console.print("[dim]mean: precision and recall averaged over timelines, F of those (news-tls); "
                      f"ROUGE: {escape(result['rouge'])}[/]", highlight=False)
        console.print("[dim]anchors (news-tls DATEWISE on Timeline17): Date-F1 0.544, AR1-F 0.120, AR2-F 0.035[/]")


def demo(store, console: Console) -> None:
    """The longest timeline in the demo database, first entries."""
    from storyline.service.stories import timeline as story_timeline

    try:
        stories = store.list_stories()
    except Exception as exc:
        console.print(f"Timelines unavailable: {exc}")
        return
    best, best_entries = None, []
    for s in stories:
        entries = story_timeline(store, s.id)
        if len(entries) > len(best_entries):
            best, best_entries = s, entries
    if best is None:
        console.print("No dated statements yet.")
        return
    console.print(timeline_table(best_entries[:12], f"Timeline of {best.id}: {best.title}"))
    if len(best_entries) > 12:
        console.print(f"… {len(best_entries) - 12} more: storyline timeline {best.id}")
