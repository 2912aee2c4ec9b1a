"""Commands for events and stories: `stories`, `events`, `story`, `recluster`, `eval clustering`,
`eval similarity`; and the stories section of `storyline demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.cli.common import DbOption, JsonOption, console, emit_json, fail, get_config, get_store


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


def _span(start: str | None, end: str | None) -> str:
    if not start:
        return "undated"
    return start if start == end else f"{start} – {end}"


def _columns(t: Table, cols: tuple[str, ...]) -> None:
    """Fixed widths for ids, counts and dates; the title gets what is left of the terminal and ends with
    an ellipsis, so the tables stay readable in 80 columns (rich would squeeze short columns instead)."""
    widths = {"id": 12, "story": 12, "dates": 13, "languages": 8, "events": 3, "articles": 4}
    headers = {"events": "ev", "articles": "art", "languages": "langs"}
    rest = sum(widths[c] for c in cols if c != "title") + 3 * len(cols) + 1
    for col in cols:
        if col == "title":
            t.add_column(col, no_wrap=True, overflow="ellipsis", max_width=max(16, console.width - rest))
        elif col == "languages":
            t.add_column(headers[col], overflow="fold", width=widths[col])
        else:
            t.add_column(headers.get(col, col), no_wrap=True, width=widths[col],
                         justify="right" if col in ("events", "articles") else "left")


def _day_span(start: str | None, end: str | None) -> str:
    """First and last day on two lines (minutes dropped): fits a narrow column."""
    a, b = (start or "")[:10], (end or "")[:10]
    if not a and not b:
        return "undated"
    return a if a == b or not b else f"{a}\n→ {b}"


def _stories_table(stories, title: str = "Stories") -> Table:
    t = Table(title=title, title_justify="left")
    _columns(t, ("id", "title", "events", "articles", "languages", "dates"))
    for s in stories:
        t.add_row(s.id, escape(s.title), str(len(s.event_ids)), str(len(s.article_ids)), ",".join(s.languages),
                  _day_span(s.start, s.end))
    return t


def _events_table(events, title: str = "Events") -> Table:
    t = Table(title=title, title_justify="left")
    _columns(t, ("id", "title", "articles", "languages", "dates"))
    for e in events:
        t.add_row(e.id, escape(e.title), str(len(e.article_ids)), ",".join(e.languages),
                  _day_span(e.start, e.end))
    return t


def _story_json(s) -> dict[str, Any]:
    return {k: getattr(s, k) for k in ("id", "title", "article_ids", "event_ids", "languages", "start", "end",
                                       "top_entities")}


def _event_json(e) -> dict[str, Any]:
    return {k: getattr(e, k) for k in ("id", "story_id", "title", "article_ids", "languages", "start", "end",
                                       "top_entities", "sources")}


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("stories")
    def stories_cmd(json_: JsonOption = False, db: DbOption = None) -> None:
        """List stories (long-running threads of events), most recent first."""
        store = get_store(db, must_exist=True)
        stories = store.list_stories()
        if json_:
            emit_json([_story_json(s) for s in stories])
            return
        if not stories:
            waiting = store.analysis_status()["unfinished"] if hasattr(store, "analysis_status") else 0
            if waiting:  # stored but not (fully) analysed, e.g. an interrupted ingest
                console.print(f"No stories yet: {waiting} stored article(s) still await analysis; run "
                              "`storyline analyze --pending` (see `storyline status`).")
            else:
                console.print("No stories yet: ingest articles first (`storyline ingest PATH`).")
            return
        console.print(_stories_table(stories))

    @app.command("events")
    def events_cmd(story: Annotated[str | None, typer.Option("--story", help="Only this story's events.")] = None,
                   json_: JsonOption = False, db: DbOption = None) -> None:
        """List events (articles about the same happening), in date order."""
        from storyline.service.stories import list_events

        store = get_store(db, must_exist=True)
        try:
            events, ref = list_events(store, story)
        except LookupError:
            fail(f"story {story!r} not found (see `storyline stories`)", code=1)
        if ref is not None and ref.merged_from and not json_:
            console.print(f"{ref.merged_from} was merged into {ref.story.id}", highlight=False)
        if json_:
            emit_json([_event_json(e) for e in events])
            return
        if not events:
            console.print("No events yet: ingest articles first (`storyline ingest PATH`).")
            return
        console.print(_events_table(events))

    @app.command("story")
    def story_cmd(id: Annotated[str, typer.Argument(help="A story id (s-…), event id (e-…) or article id.")],
                  history: Annotated[bool, typer.Option("--history", help="Show creations, merges and splits.")]
                  = False, json_: JsonOption = False, db: DbOption = None) -> None:
        """Show one story with its events (an event or article id shows the story holding it)."""
        from storyline.service.stories import story_view

        store = get_store(db, must_exist=True)
        view = story_view(store, id, history=history, holding=True)
        if view is None:
            fail(f"{id!r}: no such story, event or clustered article (see `storyline stories`)", code=1)
        story, events, hist = view.story, view.events, view.history
        if json_:
            doc = _story_json(story) | {"merged_from": view.merged_from, "events": [_event_json(e) for e in events]}
            if hist is not None:
                doc["history"] = hist
            emit_json(doc)
            return
        if view.merged_from:
            console.print(f"{view.merged_from} was merged into {story.id}", highlight=False)
        console.print(f"[bold]{escape(story.title)}[/]  ({story.id})", highlight=False)
        console.print(f"{_span(story.start, story.end)} · {len(story.article_ids)} articles · "
                      f"languages: {', '.join(story.languages)} · top entities: "
                      f"{escape(', '.join(story.top_entities))}", highlight=False)
        console.print(_events_table(events))
        if hist is not None:
            t = Table(title="History", title_justify="left")
            for col in ("at", "target", "action", "reason"):
                t.add_column(col, overflow="fold")
            for h in hist:
                t.add_row(h["at"], h["target_id"], h["action"], escape(h["reason"]))
            console.print(t)

    @app.command("recluster")
    def recluster_cmd(
        stories: Annotated[bool, typer.Option(
            "--stories", help="Only consolidate stories in place: merge grown-together ones, split drifted "
            "ones (recorded in the story history).")] = False,
        json_: JsonOption = False, db: DbOption = None,
    ) -> None:
        """Re-run the clustering over the whole store in date order and report what moved."""
        from storyline.link.recluster import consolidate_stories, recluster

        store = get_store(db, must_exist=True)
        cfg = get_config()
        if stories:
            report = consolidate_stories(store, cfg)
            if json_:
                emit_json(report)
                return
            console.print(f"Consolidated {report['stories_before']} stories into {report['stories']}: "
                          f"{len(report['merged'])} merge(s), {len(report['split'])} split(s).", highlight=False)
            for m in report["merged"]:
                console.print(f"  merged {m['merged']} into {m['kept']} (p={m['probability']:.2f}, "
                              f"{m['articles']} articles; shared: {escape(', '.join(m['shared_keys']))})",
                              highlight=False)
            for sp in report["split"]:
                console.print(f"  split {sp['split_off']} off {sp['kept']} (p={sp['probability']:.2f}, "
                              f"{sp['articles']} articles)", highlight=False)
            return
        with _progress() as prog:
            task = prog.add_task("reclustering", total=None)

            def cb(stage: str, done: int, total: int) -> None:
                prog.update(task, description=stage, completed=done, total=total)

            report = recluster(store, cfg, progress=cb)
        if json_:
            emit_json(report)
            return
        console.print(f"Reclustered {report['articles']} articles: {report['events']} events, "
                      f"{report['stories']} stories; {len(report['moved'])} article(s) changed event; "
                      f"{len(report['merged'])} merge(s), {len(report['split'])} split(s).", highlight=False)
        for m in report["moved"][:30]:
            console.print(f"  {m['article_id']}: {m['from_event']} → {m['to_event']}", highlight=False)

    @eval_app.command("clustering")
    def eval_clustering_cmd(
        gold: Annotated[Path, typer.Option("--gold", help="JSONL: {id, text, title?, lang, published, cluster}.")],
        level: Annotated[str, typer.Option("--level", help="Compare gold clusters with predicted events or stories.")]
        = "story",
        limit: Annotated[int | None, typer.Option("--limit", help="Use N articles evenly sampled from the date-ordered stream.")]
        = None,
        db: Annotated[Path | None, typer.Option("--db", help="Reuse this eval database (keeps embeddings).")]
        = None,
        without_entities: Annotated[bool, typer.Option("--without-entities",
                                                       help="Skip the entities stage (faster, lower quality).")]
        = False,
        clusters: Annotated[str | None, typer.Option(
            "--clusters", help="Stream only these gold clusters, comma-separated (e.g. "
            "EgyptianProtest,LibyaWar,SyrianCrisis: confusable stories interleaved in date order).")] = None,
        stratified: Annotated[bool, typer.Option(
            "--stratified", help="With --limit: an even sample of each gold cluster, in proportion to its size.")]
        = False,
        fast: Annotated[bool, typer.Option(
            "--fast", help="In memory from cached vectors and cached entity ids, no store; both levels.")] = False,
        naming: Annotated[str | None, typer.Option(
            "--naming", help="With --fast: also score only the articles whose text names their gold story, "
            "CLUSTER=WORD comma-separated (e.g. SyrianCrisis=syria), and the recall ceiling when the "
            "others stay alone.")] = None,
        json_: JsonOption = False,
    ) -> None:
        """Stream gold articles in date order through the pipeline; print B-cubed and pairwise P/R/F1."""
        from storyline.eval.clustering import EvalInputError, evaluate, evaluate_fast

        if level not in ("event", "story"):
            fail(f"--level must be 'event' or 'story', not {level!r}", code=2)
        if limit is not None and limit <= 0:
            fail("--limit must be a positive number", code=2)
        words: dict[str, str] = {}
        for item in (naming or "").split(","):
            if not item.strip():
                continue
            name, sep, word = item.partition("=")
            if not sep or not name.strip() or not word.strip():
                fail(f"--naming takes CLUSTER=WORD items, not {item.strip()!r}", code=2)
            words[name.strip()] = word.strip()
        if words and not fast:
            fail("--naming needs --fast", code=2)
        cfg = get_config()
        try:
            with _progress() as prog:
                task = prog.add_task("clustering", total=None)

                def cb(stage: str, done: int, total: int) -> None:
                    prog.update(task, description=stage, completed=done, total=total)

                wanted = [c.strip() for c in clusters.split(",") if c.strip()] if clusters else None
                if fast:
                    result = evaluate_fast(gold, cfg, limit=limit, clusters=wanted, entities=not without_entities,
                                           stratified=stratified, naming=words or None, progress=cb)
                else:
                    result = evaluate(gold, cfg, level=level, limit=limit, db=db, entities=not without_entities,
                                      clusters=wanted, stratified=stratified, progress=cb)
        except EvalInputError as exc:
            fail(str(exc), code=2)
        if json_:
            emit_json(result)
            return
        if fast:
            for lvl in ("event", "story"):
                _print_clustering({**result, **result[lvl], "level": lvl, "embedding_seconds": 0})
        else:
            _print_clustering(result)

    @eval_app.command("similarity")
    def eval_similarity_cmd(
        pairs: Annotated[Path, typer.Option("--pairs", help="SemEval-2022 Task 8 CSV.")],
        limit: Annotated[int | None, typer.Option("--limit", help="Use only the first N pairs.")] = None,
        json_: JsonOption = False,
    ) -> None:
        """Pearson correlation of the clusterer's article similarity with human ratings (-Overall)."""
        from storyline.analyze.embeddings import get_embedder
        from storyline.eval.similarity import EvalInputError, evaluate
        from storyline.link.settings import ClusterSettings

        cfg = get_config()
        try:
            with _progress() as prog:
                task = prog.add_task("embedding", total=None)
                result = evaluate(pairs, cfg.section("cluster", ClusterSettings), get_embedder(cfg), limit=limit,
                                  progress=lambda d, n: prog.update(task, completed=d, total=n))
        except EvalInputError as exc:
            fail(str(exc), code=2)
        if json_:
            emit_json(result)
            return
        t = Table(title=f"Similarity vs. human ratings ({result['pairs']} pairs, {result['embedder']})",
                  title_justify="left")
        t.add_column("language pair")
        t.add_column("pairs", justify="right")
        t.add_column("Pearson", justify="right")
        t.add_row("[bold]overall[/]", str(result["pairs"]), _fmt(result["pearson"]))
        t.add_row("hand weights (the clusterer's event score)", str(result["pairs"]),
                  _fmt(result["pearson_hand_weights"]))
        t.add_row("dense only (centred lead cosine)", str(result["pairs"]), _fmt(result["pearson_dense_only"]))
        for k, v in result["by_language_pair"].items():
            t.add_row(k, str(v["pairs"]), _fmt(v["pearson"]))
        console.print(t)


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _print_clustering(r: dict[str, Any]) -> None:
    t = Table(title=f"Clustering at {r['level']} level: {r['articles']} articles from {r['gold_file']}",
              title_justify="left")
    for col in ("metric", "precision", "recall", "F1"):
        t.add_column(col, justify="right" if col != "metric" else "left")
    for name in ("bcubed", "pairwise"):
        m = r[name]
        t.add_row(name, _fmt(m["precision"]), _fmt(m["recall"]), _fmt(m["f1"]))
    console.print(t)
    console.print(f"clusters: predicted {r['predicted_clusters']}, gold {r['gold_clusters']} · "
                  f"largest share of a gold cluster inside another's cluster: {r['contamination']:.2f} · "
                  f"{r['articles_per_second']:.1f} articles/s through the steps (+{r['embedding_seconds']} s "
                  f"embedding, cached on disk) · entities stage: {r['entities']}", highlight=False)
    if named := r.get("naming"):
        b = named["bcubed"]
        console.print(f"articles that name their story ({named['articles']} of {named['of']}): B-cubed P "
                      f"{b['precision']:.3f}, R {b['recall']:.3f}, F1 {b['f1']:.3f} · recall ceiling of the "
                      f"whole stream when the others stay alone: {named['recall_ceiling']:.3f}", highlight=False)


def demo(store, console: Console) -> None:
    """The stories section of `storyline demo`."""
    stories = store.list_stories()
    if not stories:
        console.print("No stories: nothing was clustered.")
        return
    console.print(_stories_table(stories))
    console.print(_events_table(store.list_events()))


__all__ = ["register", "demo"]
