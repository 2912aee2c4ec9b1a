"""Commands for summaries, review and export: `summarize`, `review list|show|approve|edit|reject`,
`export`, `eval summaries`; and the summary section of `storyline demo`. A thin shell: the rules live
in `storyline.explain` (summaries, review, export) and the store."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, console, emit_json, fail, get_config, get_store
from storyline.config import ConfigError
from storyline.explain.review import ReviewError, SummaryNotFound, pick_current
from storyline.explain.summaries.base import SummaryError
from storyline.model import Bullet, Summary
from storyline.service.review import review

REVIEWER_ENV = "STORYLINE_REVIEWER"

BackendOption = Annotated[str | None, typer.Option("--backend", help="Summarizer: extractive | llm "
                                                   "(default: [summaries] backend).", show_default=False)]
LangOption = Annotated[str | None, typer.Option("--lang", help="Language of the summary (llm writes in it; "
                                                "extractive prefers source sentences in it).",
                                                show_default=False)]
ReviewerOption = Annotated[str | None, typer.Option("--reviewer", "-r", help=f"Editor's name (default: "
                                                    f"${REVIEWER_ENV}).", show_default=False)]
NoteOption = Annotated[str | None, typer.Option("--note", help="A note kept in the review history.",
                                                show_default=False)]


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def summary_json(s: Summary, store=None) -> dict[str, Any]:
    from storyline.explain.summaries.sources import summary_with_sources

    return summary_with_sources(s, store)


def print_summary(s: Summary, out: Console, *, store=None, show_sources: bool = True) -> None:
    from storyline.explain.summaries.sources import resolve_sentences

    status = {"draft": "yellow", "approved": "green", "edited": "green", "rejected": "red"}[s.status]
    out.print(f"[bold]{escape(s.id)}[/] for {escape(s.target_id)} · [{status}]{s.status}[/] · "
              f"{escape(s.backend)}{' (' + escape(s.model) + ')' if s.model else ''} · {escape(s.lang or '?')}",
              highlight=False)
    resolved = resolve_sentences(store, [sid for b in s.bullets for sid in b.sources]) if store else {}
    for n, b in enumerate(s.bullets, start=1):
        mark = f"[dim]\\[{escape(b.lang)}][/] " if b.lang and s.lang and b.lang.split("-")[0] != s.lang.split("-")[0] else ""
        out.print(f" {n}. {mark}{escape(b.text)}", highlight=False)
        if show_sources:
            for sid in b.sources:
                sent = resolved.get(sid)
                src = f" — {escape(sent.text[:100])}" if sent is not None and sent.text != b.text else ""
                out.print(f"    [dim]↳ {escape(sid)}{src}[/]", highlight=False)
    if s.rejected:
        out.print(f"[yellow]{len(s.rejected)} bullet(s) rejected[/] (not supported by what they cite):",
                  highlight=False)
        for r in s.rejected:
            out.print(f"  [dim]✗ {escape(str(r.get('text', ''))[:100])} — {escape(str(r.get('reason', '')))}[/]",
                      highlight=False)
    out.print(f"[italic]{escape(s.label or '')}[/]", highlight=False)


def _reviewer(name: str | None) -> str:
    who = (name or os.environ.get(REVIEWER_ENV) or "").strip()
    if not who:
        fail(f"say who reviews: --reviewer NAME (or set ${REVIEWER_ENV})", code=2)
    return who


def _load_bullets(path: str) -> list[Bullet]:
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        data = json.loads(raw)
    except OSError as exc:
        fail(f"{path}: cannot read bullets ({exc.strerror or exc})", code=2)
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})", code=2)
    if isinstance(data, dict):
        data = data.get("bullets")
    if not isinstance(data, list) or not all(isinstance(b, dict) for b in data):
        fail(f"{path}: expected a JSON list of {{\"text\": ..., \"sources\": [...]}} (or {{\"bullets\": [...]}})",
             code=2)
    return [Bullet(text=str(b.get("text", "")), sources=[str(x) for x in b.get("sources", [])]) for b in data]


def _edited_bullets(current: list[Bullet], sets: list[str], drops: list[int]) -> list[Bullet]:
    bullets = [Bullet(b.text, list(b.sources)) for b in current]
    for item in sets:
        num, sep, text = item.partition("=")
        if not sep or not num.strip().isdigit() or not 1 <= int(num) <= len(bullets):
            fail(f"--set {item!r}: expected N=TEXT with N from 1 to {len(bullets)}", code=2)
        bullets[int(num) - 1].text = text
    for num in drops:
        if not 1 <= num <= len(current):
            fail(f"--drop {num}: no bullet {num} (1 to {len(current)})", code=2)
    return [b for n, b in enumerate(bullets, start=1) if n not in set(drops)]


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("summarize")
    def summarize_cmd(
        targets: Annotated[list[str], typer.Argument(help="Article (a-…), event (e-…) or story (s-…) ids.",
                                                     show_default=False)],
        backend: BackendOption = None, lang: LangOption = None, json_: JsonOption = False, db: DbOption = None,
    ) -> None:
        """Summarise articles, events or stories in 3–5 bullets, each citing its source sentences.

        The result is saved as a draft for review; reviewed summaries are never overwritten."""
        from storyline.explain.summaries.generate import summarize_target, summary_settings, target_kind

        for t in targets:
            try:
                target_kind(t)
            except SummaryError as exc:
                fail(str(exc), code=2)
        config = get_config()
        try:
            summary_settings(config)
        except ConfigError as exc:
            fail(str(exc), code=2)
        store = get_store(db, must_exist=True)
        done: list[Summary] = []
        failures: list[dict[str, str]] = []
        with _progress() as progress:
            task = progress.add_task("Summarising", total=len(targets))
            for t in targets:
                progress.update(task, description=f"Summarising {t}")
                try:
                    done.append(summarize_target(store, t, config, backend=backend, lang=lang))
                except SummaryError as exc:
                    failures.append({"target": t, "reason": str(exc)})
                progress.advance(task)
        if json_:
            emit_json({"summaries": [summary_json(s, store) for s in done], "failures": failures}
                      if len(targets) > 1 else (summary_json(done[0], store) if done else {"failures": failures}))
        else:
            for s in done:
                print_summary(s, console, store=store)
                console.print(f"[dim]review: storyline review approve {s.id} --reviewer NAME[/]", highlight=False)
        for f in failures:
            Console(stderr=True).print(f"[bold red]error:[/] {escape(f['reason'])}", highlight=False)
        if failures:
            raise typer.Exit(1)

    review_app = typer.Typer(help="The editor's review of summaries: list, show, approve, edit, reject.",
                             no_args_is_help=True)
    app.add_typer(review_app, name="review")

    @review_app.command("list")
    def review_list(
        status: Annotated[str | None, typer.Option("--status", help="draft | approved | edited | rejected.",
                                                   show_default=False)] = None,
        target: Annotated[str | None, typer.Option("--target", help="Only summaries of this article, event "
                                                   "or story.", show_default=False)] = None,
        limit: Annotated[int, typer.Option("--limit", min=1)] = 50,
        json_: JsonOption = False, db: DbOption = None,
    ) -> None:
        """List summaries, newest first (drafts waiting for review: --status draft)."""
        from storyline.explain.review import STATUSES

        if status is not None and status not in STATUSES:
            fail(f"--status {status!r}: choose one of {', '.join(STATUSES)}", code=2)
        store = get_store(db, must_exist=True)
        items = store.list_summaries(target_id=target, status=status, limit=limit)
        if json_:
            emit_json([summary_json(s) for s in items])
            return
        if not items:
            console.print("No summaries" + (f" with status {status}" if status else "") +
                          ". Make one with `storyline summarize ID`.")
            return
        t = Table(title="Summaries", title_justify="left")
        for col, width in (("id", 14), ("target", 14), ("status", 8), ("reviewer", 8), ("made", 10),
                           ("lang", 4)):
            t.add_column(col, no_wrap=True, min_width=width)
        t.add_column("first bullet", overflow="fold")
        for s in items:
            first = s.bullets[0].text if s.bullets else ""
            t.add_row(s.id, s.target_id, s.status, escape(s.reviewer or ""), s.backend, s.lang or "",
                      escape(first[:100] + ("…" if len(first) > 100 else "")))
        console.print(t)

    def _get(store, summary_id: str) -> Summary:
        s = store.get_summary(summary_id)
        if s is None:
            fail(f"summary {summary_id!r} not found (see `storyline review list`)", code=1)
        return s  # type: ignore[return-value]

    @review_app.command("show")
    def review_show(summary_id: Annotated[str, typer.Argument(help="Summary id (m-…) or a target id: its "
                                                              "current summary.")],
                    json_: JsonOption = False, db: DbOption = None) -> None:
        """Show a summary with the source sentence behind every bullet, its label and review history."""
        store = get_store(db, must_exist=True)
        s = store.get_summary(summary_id)
        if s is None and summary_id[:2] in ("a-", "e-", "s-"):
            s = pick_current(store.list_summaries(target_id=summary_id))
        if s is None:
            fail(f"summary {summary_id!r} not found (see `storyline review list`)", code=1)
        history = store.summary_history(s.id)
        if json_:
            emit_json({**summary_json(s, store), "history": history})
            return
        print_summary(s, console, store=store)
        for h in history:
            note = f" — {escape(h['note'])}" if h["note"] else ""
            console.print(f"[dim]{h['at']}  {h['action']} by {escape(h['reviewer'])} "
                          f"(was {h['previous_status']}){note}[/]", highlight=False)

    def _act(summary_id: str, action: str, reviewer: str | None, note: str | None, json_: bool, db: Path | None,
             bullets: list[Bullet] | None = None) -> None:
        store = get_store(db, must_exist=True)
        who = _reviewer(reviewer)
        try:
            s = review(store, summary_id, action, who, bullets=bullets, note=note)
        except SummaryNotFound as exc:
            fail(f"{exc} (see `storyline review list`)", code=1)
        except ReviewError as exc:
            fail(str(exc), code=1)
        if json_:
            emit_json(summary_json(s, store))
        else:
            print_summary(s, console, store=store, show_sources=False)

    @review_app.command("approve")
    def review_approve(summary_id: str, reviewer: ReviewerOption = None, note: NoteOption = None,
                       json_: JsonOption = False, db: DbOption = None) -> None:
        """Approve a draft summary as it stands."""
        _act(summary_id, "approve", reviewer, note, json_, db)

    @review_app.command("reject")
    def review_reject(summary_id: str, reviewer: ReviewerOption = None, note: NoteOption = None,
                      json_: JsonOption = False, db: DbOption = None) -> None:
        """Reject a summary (it stays in the history; regenerate for a new draft)."""
        _act(summary_id, "reject", reviewer, note, json_, db)

    @review_app.command("edit")
    def review_edit(
        summary_id: str,
        set_: Annotated[list[str] | None, typer.Option("--set", help="N=TEXT: new text for bullet N (keeps "
                                                       "its sources). Repeatable.", show_default=False)] = None,
        drop: Annotated[list[int] | None, typer.Option("--drop", help="Remove bullet N. Repeatable.",
                                                       show_default=False)] = None,
        bullets_file: Annotated[str | None, typer.Option("--bullets-json", help="JSON file (or - for stdin) "
                                                         "with all bullets: [{text, sources}].",
                                                         show_default=False)] = None,
        reviewer: ReviewerOption = None, note: NoteOption = None, json_: JsonOption = False, db: DbOption = None,
    ) -> None:
        """Edit a summary's bullets; the previous version is kept in the history. Every bullet must still
        cite at least one real source sentence."""
        if not (set_ or drop or bullets_file):
            fail("say what to change: --set N=TEXT, --drop N or --bullets-json FILE", code=2)
        if bullets_file and (set_ or drop):
            fail("--bullets-json replaces all bullets; do not combine it with --set/--drop", code=2)
        store = get_store(db, must_exist=True)
        current = _get(store, summary_id)
        new = _load_bullets(bullets_file) if bullets_file else _edited_bullets(current.bullets, set_ or [], drop or [])
        _act(summary_id, "edit", reviewer, note, json_, db, bullets=new)

    @app.command("export")
    def export_cmd(
        target: Annotated[str, typer.Argument(help="Story id (s-…); events and articles work too.")],
        format_: Annotated[str, typer.Option("--format", "-f", help="markdown | html | json.")] = "markdown",
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: "
                                                    "stdout).", show_default=False)] = None,
        lang: LangOption = None, db: DbOption = None,
    ) -> None:
        """Write a story as a document to paste or send: summary with its review label, timeline with
        source links, key entities, quotes and sources."""
        from storyline.explain.export import FORMATS
        from storyline.explain.summaries.generate import target_kind
        from storyline.service.export import export

        if format_ not in FORMATS:
            fail(f"--format {format_!r}: choose one of {', '.join(FORMATS)}", code=2)
        try:
            target_kind(target)
        except SummaryError as exc:
            fail(str(exc), code=2)
        store = get_store(db, must_exist=True)
        try:
            done = export(store, target, format_, lang=lang, config=get_config())
        except SummaryError as exc:
            fail(str(exc), code=1)
        text = done.text
        if done.merged_from:
            Console(stderr=True).print(f"{done.merged_from} was merged into {done.target_id}", highlight=False)
        if output is None:
            sys.stdout.write(text)
            return
        try:
            tmp = output.with_name(output.name + ".part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(output)
        except OSError as exc:
            fail(f"{output}: cannot write ({exc.strerror or exc})", code=1)
        Console(stderr=True).print(f"Wrote {format_} export of {target} to {output}", highlight=False)

    @eval_app.command("grounding")
    def eval_grounding(
        gold: Annotated[Path, typer.Option("--gold", help="JSONL pairs {lang, cited, bullet, supported}.")] = Path(
            "gold/grounding-pairs.jsonl"),
        json_: JsonOption = False,
    ) -> None:
        """How the LLM bullet-support check does on gold pairs: supported bullets kept, unsupported rejected
        (at the configured [summaries] min_support_similarity, and over a sweep of thresholds)."""
        from storyline.analyze.embeddings import get_embedder
        from storyline.eval.grounding import GoldError, evaluate, load_pairs
        from storyline.explain.summaries.generate import summary_settings

        config = get_config()
        try:
            pairs = load_pairs(gold)
        except GoldError as exc:
            fail(str(exc), code=2)
        result = evaluate(pairs, get_embedder(config), summary_settings(config).min_support_similarity)
        if json_:
            emit_json(result)
            return
        at = result["at_threshold"]
        console.print(f"{result['pairs']} pairs ({result['supported']} supported; {', '.join(result['languages'])}), "
                      f"embedder {result['embedder']}", highlight=False)
        console.print(f"at threshold {at['threshold']:.2f}: supported kept {at['supported_kept']:.3f}, "
                      f"unsupported rejected {at['unsupported_rejected']:.3f} (names/numbers/dates only: "
                      f"{result['lexical_only']['unsupported_rejected']:.3f})", highlight=False)
        table = Table(title="Threshold sweep", title_justify="left")
        for col in ("threshold", "supported kept", "unsupported rejected"):
            table.add_column(col, justify="right")
        for row in result["sweep"]:
            table.add_row(f"{row['threshold']:.2f}", f"{row['supported_kept']:.3f}", f"{row['unsupported_rejected']:.3f}")
        console.print(table)
        for e in result["errors"]:
            console.print(f"  [dim]{'kept' if e['lexical'] is None else 'rejected'} ({e['kind']}, {e['lang']}, "
                          f"{e['similarity']:.2f}): {escape(e['bullet'])}[/]", highlight=False)

    @eval_app.command("summaries")
    def eval_summaries(
        backend: BackendOption = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many stored articles.",
                                                  show_default=False)] = None,
        timeline17: Annotated[Path | None, typer.Option("--timeline17", help="Instead of the store: a "
                                                        "Timeline17 folder (news-tls format); each collection's "
                                                        "story summary is scored against its gold timelines.",
                                                        show_default=False)] = None,
        topics: Annotated[int | None, typer.Option("--topics", min=1, help="Timeline17: at most this many "
                                                   "collections.", show_default=False)] = None,
        max_articles: Annotated[int, typer.Option("--max-articles", min=1, help="Timeline17: the newest N "
                                                  "articles of each collection.")] = 100,
        reader_langs: Annotated[str | None, typer.Option("--reader-langs", help="Comma-separated languages to "
                                                         "ask story summaries in (default: every language "
                                                         "in the store).", show_default=False)] = None,
        json_: JsonOption = False, db: DbOption = None,
    ) -> None:
        """Score summaries: provenance (bullets citing real sentences) and ROUGE against publishers' own
        summary boxes in the store (next to lead-3), or against Timeline17 gold timelines (next to lead-5)."""
        from storyline.eval.summaries import (
            evaluate,
            evaluate_reader_languages,
            evaluate_timeline17,
            load_timeline17,
        )
        from storyline.explain.summaries.generate import get_summarizer

        try:
            summarizer = get_summarizer(get_config(), backend)
        except (SummaryError, ConfigError) as exc:
            fail(str(exc), code=2)
        if timeline17 is not None:
            if not timeline17.is_dir():
                fail(f"{timeline17}: not a folder (expected Timeline17 collections with articles.jsonl)", code=2)
            n = min(topics or 10**6, len(load_timeline17(timeline17, max_articles=1)))
            if not n:
                fail(f"{timeline17}: no collection with articles.jsonl found", code=2)
            with _progress() as progress:
                task = progress.add_task("Summarising collections", total=n)
                result = evaluate_timeline17(timeline17, summarizer, topics=n, max_articles=max_articles,
                                             progress=lambda k: progress.advance(task, k))
            if json_:
                emit_json(result)
                return
            t = Table(title=f"Story summaries vs Timeline17 gold ({result['topics']} collections)",
                      title_justify="left")
            t.add_column("metric")
            t.add_column("ours", justify="right")
            t.add_column("lead-5 baseline", justify="right")
            for k, v in result["mean"].items():
                if not k.startswith("lead5_"):
                    t.add_row(k, f"{v:.4f}", f"{result['mean']['lead5_' + k]:.4f}")
            console.print(t)
            return
        store = get_store(db, must_exist=True)
        ids = store.article_ids()[:limit] if limit else store.article_ids()
        if not ids:
            fail("no articles in the store: `storyline ingest PATH` first", code=1)
        wanted = [x.strip() for x in reader_langs.split(",") if x.strip()] if reader_langs else None
        with _progress() as progress:
            task = progress.add_task("Summarising articles", total=len(ids))
            result = evaluate(store.iter_articles(ids=ids), summarizer,
                              progress=lambda n: progress.advance(task, n)).as_dict()
            task2 = progress.add_task("Story summaries per reader language", total=None)
            result["reader_languages"] = evaluate_reader_languages(
                store, summarizer, wanted, progress=lambda n: progress.advance(task2, n))
        if json_:
            emit_json(result)
            return
        t = Table(title="Summaries", title_justify="left")
        t.add_column("metric")
        t.add_column("value", justify="right")
        for k, v in result.items():
            if k not in ("failures", "reader_languages"):
                t.add_row(k, "—" if v is None else str(v))
        console.print(t)
        rl = result["reader_languages"]
        if rl["languages"]:
            t = Table(title=f"Story summaries in the reader's language ({rl['stories']} multilingual stories)",
                      title_justify="left")
            for col in ("lang", "summaries", "bullets", "in lang", "others marked", "provenance"):
                t.add_column(col, justify="right")
            for lang, r in rl["languages"].items():
                other = "—" if r["share_marked_other"] is None else f"{r['share_marked_other']:.2f}"
                t.add_row(lang, str(r["summaries"]), str(r["bullets"]), f"{r['share_in_lang']:.2f}", other,
                          f"{r['provenance']:.2f}")
            console.print(t)
        for f in result["failures"]:
            console.print(f"  [yellow]no summary[/] {f['article_id']}: {escape(f['reason'])}", highlight=False)


def demo(store, console: Console) -> None:
    """The first story's summary with its label (made on the fly as an unsaved draft if none is stored)."""
    from storyline.explain.export import build_document

    stories = store.list_stories() if hasattr(store, "list_stories") else []
    if not stories:
        console.print("No stories to summarise.")
        return
    story = max(stories, key=lambda s: len(s.article_ids))
    try:
        doc = build_document(store, story.id)
    except SummaryError as exc:
        console.print(f"No summary for {story.id}: {escape(str(exc))}")
        return
    console.print(f"[bold]{escape(doc['title'])}[/] ({story.id}, {len(story.article_ids)} articles)", highlight=False)
    if not doc["summary"]:
        console.print("No summary-worthy sentences.")
        return
    for b in doc["summary"]["bullets"]:
        refs = ", ".join(s["sentence_id"] for s in b["sources"])
        console.print(f" • {escape(b['text'])} [dim]({escape(refs)})[/]", highlight=False)
    console.print(f"[italic]{escape(doc['summary']['label'])}[/]", highlight=False)
    console.print(f"[dim]storyline summarize {story.id} · storyline export {story.id} --format html -o story.html[/]",
                  highlight=False)
