"""`storyline entities`, `storyline entity NAME [--why]`, `entity merge|split|rename`, `eval ner`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.common import JsonOption, console, emit_json, fail, get_store

ACTIONS = {"merge", "split", "rename"}


def _entity_dict(e) -> dict:
    return dataclasses.asdict(e)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("entities")
    def entities_cmd(
        type: Annotated[str | None, typer.Option("--type", help="PER, ORG or LOC.")] = None,
        article: Annotated[str | None, typer.Option("--article", help="Only entities of this article id.")] = None,
        limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
        json_out: JsonOption = False,
    ) -> None:
        """List canonical entities with aliases, mention counts, articles and roles."""
        if type and type.upper() not in {"PER", "ORG", "LOC"}:
            fail(f"--type {type!r}: choose PER, ORG or LOC", code=2)
        store = get_store(must_exist=True)
        if article and store.get_article(article) is None:
            fail(f"no article {article!r}", code=1)
        ents = store.list_entities(type=type, article_id=article, limit=limit)
        if json_out:
            emit_json([_entity_dict(e) for e in ents])
            return
        table = Table("id", "name", "type", "mentions", "articles", "aliases", "roles")
        for e in ents:
            table.add_row(e.id, e.name, e.type, str(e.mention_count), str(len(e.article_ids)),
                          ", ".join(e.aliases[:6]), ", ".join(sorted({r["role"] for r in e.roles})[:3]))
        console.print(table)

    @app.command("entity")
    def entity_cmd(
        args: Annotated[list[str], typer.Argument(
            help="NAME_OR_ID | merge A B | split A --alias X | rename A NEW_NAME")],
        why: Annotated[bool, typer.Option("--why", help="Show the evidence of every merge.")] = False,
        alias: Annotated[str | None, typer.Option("--alias", help="split: the alias to move out.")] = None,
        json_out: JsonOption = False,
    ) -> None:
        """Show one entity with its mentions, or correct one (merge, split, rename)."""
        from storyline.analyze.entities import corrections

        store = get_store(must_exist=True)
        if args[0] in ACTIONS and len(args) > 1:
            action = args[0]
            try:
                if action == "merge":
                    if len(args) != 3:
                        fail("usage: storyline entity merge A B", code=2)
                    eid = corrections.merge(store, args[1], args[2])
                elif action == "split":
                    if len(args) != 2 or not alias:
                        fail("usage: storyline entity split A --alias X", code=2)
                    eid = corrections.split(store, args[1], alias)
                else:
                    if len(args) != 3:
                        fail("usage: storyline entity rename A NEW_NAME", code=2)
                    eid = corrections.rename(store, args[1], args[2])
            except corrections.CorrectionError as exc:
                fail(str(exc), code=1)
            ent = store.get_entity(eid)
            if json_out:
                emit_json({"action": action, "entity": _entity_dict(ent)})
            else:
                console.print(f"{action}: [bold]{ent.name}[/] ({ent.id}), {ent.mention_count} mentions; "
                              "stored as a correction that survives re-analysis")
            return
        if len(args) != 1:
            fail("give one entity name or id (quote names with spaces)", code=2)
        from storyline.service.entities import entity_view

        view = entity_view(store, args[0], mentions=500)
        if view is None:
            fail(f"no entity named {args[0]!r} (try `storyline entities`)", code=1)
        ent, mentions = view.entity, view.mentions
        doc = {**_entity_dict(ent), "mentions": mentions}
        if why:
            doc["evidence"] = view.evidence
        if json_out:
            emit_json(doc)
            return
        console.print(f"[bold]{ent.name}[/] {ent.type} {ent.id}: {ent.mention_count} mentions in "
                      f"{len(ent.article_ids)} articles")
        if ent.aliases:
            console.print("aliases: " + ", ".join(ent.aliases), highlight=False)
        if ent.roles:
            console.print("roles: " + ", ".join(f"{r['role']} ({r['lang']})" for r in ent.roles), highlight=False)
        for m in mentions[:20]:
            console.print(f"  {m['article_id']} [cyan]{m['text']}[/]: {m['sentence'] or ''}", highlight=False)
        if why:
            table = Table("rule", "score", "alias", "article", "detail", title="why these mentions are one entity")
            for ev in doc["evidence"]:
                detail = "; ".join(f"{k}={v}" for k, v in ev["detail"].items())
                table.add_row(ev["rule"], "" if ev["score"] is None else f"{ev['score']:.2f}", ev["alias"] or "",
                              ev["article_id"] or "", detail)
            console.print(table)

    @eval_app.command("ner")
    def eval_ner(
        conll: Annotated[Path, typer.Option("--conll", help="CoNLL or CoNLL-U gold file.")],
        lang: Annotated[str | None, typer.Option("--lang", help="Language code (default: from file name).")] = None,
        limit: Annotated[int | None, typer.Option("--limit", help="Only the first N sentences.")] = None,
        split: Annotated[str | None, typer.Option("--split", help="Score only the first or second half "
                                                  "(tune on one, report on the other).")] = None,
        backend: Annotated[str, typer.Option("--backend", help="trained, rules, or both side by side.")] = "both",
        post_rules: Annotated[str | None, typer.Option("--post-rules", help="Trained backend: the rules "
                                                       "post-pass to run (comma list, or none); default all.")]
        = None,
        json_out: JsonOption = False,
    ) -> None:
        """Precision, recall and F1 per type and overall (exact span), trained and rules recognisers."""
        from storyline.analyze.entities.settings import EntitySettings
        from storyline.backends import BackendError
        from storyline.cli.common import get_config
        from storyline.eval.ner import NerFormatError, evaluate

        if not conll.exists():
            fail(f"{conll}: file not found", code=2)
        if split not in (None, "first", "second"):
            fail(f"--split must be 'first' or 'second', not {split!r}", code=2)
        if backend not in ("trained", "rules", "both"):
            fail(f"--backend must be trained, rules or both, not {backend!r}", code=2)
        names = ["trained", "rules"] if backend == "both" else [backend]
        settings = get_config().section("entities", EntitySettings)
        results = []
        try:
            for name in names:
                with console.status(f"recognising {conll.name} ({name}) …"):
                    results.append(evaluate(conll, lang, limit=limit, split=split, backend=name,
                                            post_rules=post_rules, settings=settings))
        except NerFormatError as exc:
            fail(str(exc), code=2)
        except BackendError as exc:
            fail(str(exc), code=1)
        if json_out:
            emit_json(results[0] if len(results) == 1 else {"file": str(conll), "backends": results})
            return
        first = results[0]
        cols = ["type"]
        for name in names:
            cols += [f"{name} P", f"{name} R", f"{name} F1"]
        table = Table(*cols, "gold", title=f"{conll.name} ({first['lang']}, {first['sentences']} sentences"
                      f"{', ' + split + ' half' if split else ''})")
        for t in first["types"]:
            row = [t]
            for r in results:
                v = r["types"][t]
                row += [f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}"]
            table.add_row(*row, str(first["types"][t]["gold"]))
        console.print(table)

    @eval_app.command("entities")
    def eval_entities(
        gold: Annotated[Path, typer.Option("--gold", help="JSONL: {name, type, aliases, refs} and {distinct: [A, B]}.")]
        = Path("gold/examples-entities.jsonl"),
        examples: Annotated[Path, typer.Option("--examples", help="Folder ingested into a fresh store.")]
        = Path("examples"),
        db: Annotated[Path | None, typer.Option("--db", help="Score this analysed database instead of "
                                                "ingesting --examples.")] = None,
        show: Annotated[bool, typer.Option("--show", help="List every gold entity whose aliases split.")] = False,
        json_out: JsonOption = False,
    ) -> None:
        """Alias clustering against gold entities: pairwise precision/recall/F1, distinct pairs, types."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from storyline.cli.common import get_config
        from storyline.eval.entities import EntityGoldError, evaluate

        try:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=Console(stderr=True), transient=True) as prog:
                task = prog.add_task("ingest", total=None)

                def cb(stage: str, done: int, total: int) -> None:
                    prog.update(task, description=stage, completed=done, total=total)

                result = evaluate(gold, db=db, examples=examples, config=get_config(), progress=cb)
        except EntityGoldError as exc:
            fail(str(exc), code=2)
        if json_out:
            emit_json(result)
            return
        table = Table("metric", "value", title=f"entity alias clustering vs {gold.name}")
        table.add_row("pairwise precision", f"{result['precision']:.3f}")
        table.add_row("pairwise recall", f"{result['recall']:.3f}")
        table.add_row("pairwise F1", f"{result['f1']:.3f}")
        pairs = result["pairs"]
        table.add_row("alias pairs merged / missed / wrongly merged",
                      f"{pairs['true_merges']} / {pairs['missed_merges']} / {pairs['false_merges']}")
        kept = result["distinct_kept_apart"]
        table.add_row("distinct pairs kept apart", "-" if kept is None else f"{kept:.3f}")
        table.add_row("type accuracy", f"{result['type_accuracy']:.3f}")
        table.add_row("aliases found / judged", f"{result['aliases_found']} / {result['aliases']}")
        console.print(table)
        for p in result["distinct"]:
            if not p["kept_apart"]:
                console.print(f"[red]merged[/] {p['a']} + {p['b']}", highlight=False)
        if result["aliases_not_in_refs"]:
            console.print("not written in their refs (not scored): " + ", ".join(result["aliases_not_in_refs"]),
                          highlight=False)
        if show:
            for e in result["per_entity"]:
                names = {a["entity"] for a in e["aliases"].values()}
                if len(names) > 1 or None in names or e["predicted"]["type"] != e["type"]:
                    parts = ", ".join(f"{k} → {v['entity'] or '∅'}" for k, v in e["aliases"].items())
                    console.print(f"{e['name']} ({e['type']}, predicted {e['predicted']['type']}): {parts}",
                                  highlight=False)


def demo(store, console) -> None:
    """`storyline demo` section: the top entities of the corpus with their aliases."""
    ents = store.list_entities(limit=12)
    if not ents:
        console.print("no entities yet")
        return
    table = Table("entity", "type", "mentions", "articles", "also written", title="Top entities")
    for e in ents:
        table.add_row(e.name, e.type, str(e.mention_count), str(len(e.article_ids)), ", ".join(e.aliases[:5]))
    console.print(table)
