"""`storyline quotes` (who said what, when) and `storyline eval quotes` (quality against gold)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
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

QUOTE_FIELDS = ("id", "text", "speaker", "speaker_entity_id", "speaker_description", "cue", "medium",
                "article_id", "lang", "date", "direct")


def _quote_dict(q) -> dict:
    d = asdict(q)
    return {k: d[k] for k in QUOTE_FIELDS} | {"start": q.start, "end": q.end}


def _who(q) -> str:
    if q.speaker:
        return q.speaker
    return f"[italic]{q.speaker_description}[/]" if q.speaker_description else "[dim]?[/]"


def quotes_table(quotes, *, width: int = 90) -> Table:
    table = Table(show_lines=False, expand=True)
    table.add_column("date", style="cyan", no_wrap=True, max_width=10)
    table.add_column("speaker", style="bold", max_width=22)
    table.add_column("quote", ratio=4)
    table.add_column("", style="dim", max_width=18)
    for q in quotes:
        text = q.text if len(q.text) <= width else q.text[: width - 1] + "…"
        mark = ("«»" if q.direct else "≈") + (f" {q.cue}" if q.cue else "") + (f" · {q.medium}" if q.medium else "")
        table.add_row((q.date or "—")[:10], _who(q), text, f"{mark} {q.lang or ''}\n{q.id}")
    return table


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("quotes")
    def quotes_cmd(
        speaker: Annotated[str | None, typer.Option("--speaker", help="Entity id, name or part of one, "
                                                    "or an unnamed speaker's description.")] = None,
        story: Annotated[str | None, typer.Option("--story", help="Only quotes in this story (s-…).")] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="Only quotes in this language (nb, en, …).")] = None,
        article: Annotated[str | None, typer.Option("--article", help="Only quotes in this article (a-…).")] = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")] = None,
        db: DbOption = None,
        json_: JsonOption = False,
    ) -> None:
        """Who said what, when: quotations with their speakers, in date order."""
        store = get_store(db, must_exist=True)
        if story:
            from storyline.service.stories import find_story

            ref = find_story(store, story)
            if ref is None:
                fail(f"story {story!r} not found (see `storyline stories`)", 1)
            if ref.merged_from:
                err_console.print(f"{ref.merged_from} was merged into {ref.story.id}", highlight=False)
            story = ref.story.id
        if article and store.get_article(article) is None:
            fail(f"article {article!r} not found", 1)
        quotes = store.list_quotes(speaker=speaker, story_id=story, lang=lang, article_id=article, limit=limit)
        if json_:
            emit_json({"count": len(quotes), "quotes": [_quote_dict(q) for q in quotes]})
        elif not quotes:
            what = " ".join(f"{k}={v}" for k, v in (("speaker", speaker), ("story", story), ("lang", lang),
                                                   ("article", article)) if v)
            console.print(f"No quotes{' for ' + what if what else ''}.")
        else:
            console.print(quotes_table(quotes))
            console.print(f"[dim]{len(quotes)} quote(s); «» direct, ≈ indirect, then the cue and the medium[/]")
        if not quotes and (speaker or article or story):
            raise typer.Exit(1)

    @eval_app.command("quotes")
    def eval_quotes(
        gold: Annotated[Path | None, typer.Option("--gold", help="Gold JSONL: {article_id|ref|text, "
                                                  "quote|anchor, speaker, direct}.")] = None,
        polnear: Annotated[Path | None, typer.Option("--polnear", help="PolNeAR folder (text/ + "
                                                     "attributions/).")] = None,
        articles: Annotated[list[Path] | None, typer.Option("--articles", help="Where to find files named by "
                                                            "`ref` (repeatable; default: beside the gold "
                                                            "file, examples/, ../shared/seeds).")] = None,
        db: Annotated[Path | None, typer.Option("--db", help="Score the quotes already in this database "
                                                "instead of building a temporary one.")] = None,
        json_: JsonOption = False,
    ) -> None:
        """Quote detection precision/recall/F1 and speaker accuracy against gold data."""
        from storyline.eval.quotes import GoldError, evaluate_gold, evaluate_polnear, load_gold

        if (gold is None) == (polnear is None):
            fail("give exactly one of --gold FILE.jsonl or --polnear DIR", 2)
        try:
            with _progress() as prog:
                task = prog.add_task("quotes", total=None)

                def progress(step: str, done: int, total: int) -> None:
                    prog.update(task, description=step, completed=done, total=total)

                if polnear is not None:
                    if not polnear.is_dir():
                        fail(f"{polnear}: PolNeAR folder not found", 2)
                    from storyline.analyze.quotes.settings import QuoteSettings

                    result = evaluate_polnear(polnear, progress, get_config().section("quotes", QuoteSettings))
                    source = str(polnear)
                else:
                    assert gold is not None
                    if not gold.is_file():
                        fail(f"{gold}: gold file not found", 2)
                    items = load_gold(gold)
                    if db is not None:
                        if not db.exists():
                            fail(f"{db}: database not found", 2)
                        result = evaluate_gold(items, get_store(db), build=False)
                    else:
                        import tempfile

                        from storyline.store import Store

                        roots = list(articles or []) or _default_roots(gold)
                        with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
                            store = Store(Path(tmp) / "eval.db")
                            result = evaluate_gold(items, store, roots=roots, config=get_config(),
                                                   progress=progress)
                            store.close()
                    source = str(gold)
        except GoldError as exc:
            fail(str(exc), 2)
            return
        result["gold_source"] = source
        if json_:
            emit_json(result)
            return
        table = Table(title=f"Quotes vs {source}")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key in ("gold", "predicted", "matched", "precision", "recall", "f1", "speaker_accuracy",
                    "recall_direct", "recall_indirect"):
            v = result.get(key)
            table.add_row(key, "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v)))
        console.print(table)
        if result.get("missing_articles"):
            console.print(f"[yellow]articles not found:[/] {', '.join(result['missing_articles'])}")
        for err in result["errors"][:10]:
            if "missed" in err:
                console.print(f"[dim]missed[/] {err['doc']}: {err['missed']!r} ({err['speaker']})", highlight=False)
            else:
                console.print(f"[dim]speaker[/] {err['doc']}: {err['quote']!r}: {err['speaker']} ≠ "
                              f"{err['gold_speaker']}", highlight=False)


def _default_roots(gold: Path) -> list[Path]:
    repo = gold.resolve().parent.parent
    return [gold.resolve().parent, repo / "examples", repo.parent / "shared" / "seeds", Path.cwd()]


def demo(store, console: Console) -> None:
    """A few quotes with their speakers, most-quoted speakers first."""
    speakers = [s for s in store.quote_speakers(limit=8) if s["name"]]
    if not speakers:
        console.print("No quotes found.")
        return
    shown = []
    for s in speakers[:4]:
        qs = store.list_quotes(speaker=s["speaker_entity_id"] or s["name"], limit=2)
        shown.extend(q for q in qs if q.id not in {x.id for x in shown})
    console.print(f"{store.count_quotes()} quotes; most quoted: "
                  + ", ".join(f"{s['name']} ({s['n']})" for s in speakers[:6]), highlight=False)
    console.print(quotes_table(shown[:8], width=70))
    console.print("[dim]Try: storyline quotes --speaker NAME[/]")
