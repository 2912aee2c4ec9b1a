"""`storyline serve`, `storyline search` and `storyline eval search`."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from storyline.cli.common import JsonOption, console, emit_json, fail, get_config, get_store


def _index_vectors(store, config, *, quiet: bool) -> None:
    """Embed articles that have no search vector yet, with a progress bar (search works without
    this for a handful of articles, which it embeds on the fly)."""
    from storyline.analyze.embeddings import get_embedder
    from storyline.backends import BackendError
    from storyline.search import index_search_vectors

    try:
        embedder = get_embedder(config)
    except BackendError as exc:
        fail(str(exc), code=2)
    missing = store.missing_search_vectors(embedder.name)
    if not missing:
        return
    if quiet:
        index_search_vectors(store, embedder, ids=missing)
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Embedding articles for search", total=len(missing))
        index_search_vectors(store, embedder, ids=missing, progress=lambda done, total: bar.update(task, completed=done))


def _bind(host: str, port: int):
    """A listening socket on host:port, or exit 1 saying the port is taken (uvicorn serves on it)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        fail(f"cannot serve on {host}:{port}: unknown host ({exc})", code=2)
    family, _, _, _, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        busy = exc.errno in (errno.EADDRINUSE, errno.EACCES)
        fail(f"cannot serve on {host}:{port}: "
             + ("the port is already in use (another server?); choose another with --port" if busy else str(exc)),
             code=1)
    sock.set_inheritable(True)
    return sock


def _resume_pending(store, config) -> None:
    """Finish the analysis an interrupted ingest left pending before serving (see `storyline status`)."""
    from storyline.cli.analyze import analyze_with_progress
    from storyline.pipeline import pending_counts

    todo = pending_counts(store, config)
    if any(todo.values()):
        console.print(f"Resuming analysis left pending: {', '.join(f'{k} {v}' for k, v in todo.items() if v)}",
                      highlight=False)
        analyze_with_progress(store, None, config, background=True)  # drains the background queue too


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to bind; other machines can connect only if you "
                                               "choose e.g. 0.0.0.0.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
        token: Annotated[str | None, typer.Option(envvar="STORYLINE_TOKEN", show_default=False,
                                                  help="Editor token for write endpoints (default: "
                                                       "$STORYLINE_TOKEN; without one, writes are off).")] = None,
    ) -> None:
        """Serve the web UI and JSON API (binds 127.0.0.1 unless told otherwise)."""
        import uvicorn

        from storyline.serve.app import create_app
        from storyline.service.background import BackgroundDrain

        config = get_config()
        sock = _bind(host, port)  # before anything claims to serve: a busy port fails here, clearly
        store = get_store()
        _resume_pending(store, config)
        _index_vectors(store, config, quiet=False)
        # uploads leave statement vectors and timelines to this thread, which also picks up what
        # other processes leave pending (storyline.service.background)
        drain = BackgroundDrain(store, config).start()
        web = create_app(store, config, token=token or None, drain=drain)
        shown = f"[{host}]" if ":" in host else host
        console.print(f"Storyline is serving [bold]{store.location}[/] at [link]http://{shown}:{port}/[/link]")
        console.print("API docs at " + f"http://{shown}:{port}/docs · "
                      + ("write endpoints [green]on[/] (bearer token)" if token else
                         "write endpoints [yellow]off[/] (set STORYLINE_TOKEN to enable)"))
        if host not in ("127.0.0.1", "localhost", "::1"):
            console.print(f"[yellow]warning:[/] listening on {host}: other machines can read this store")
        server = uvicorn.Server(uvicorn.Config(web, host=host, port=port, log_level="warning"))
        try:
            server.run(sockets=[sock])
        except OSError as exc:
            fail(f"cannot serve on {host}:{port}: {exc}", code=1)
        finally:
            drain.stop(timeout=5)  # a drain cut short stays pending in the store: the next start resumes it

    @app.command()
    def search(
        query: Annotated[str, typer.Argument(help="Words in any language.")],
        lang: Annotated[str | None, typer.Option(help="Only these languages (comma-separated codes).")] = None,
        since: Annotated[str | None, typer.Option(help="Published on/after (YYYY[-MM[-DD]]).")] = None,
        until: Annotated[str | None, typer.Option(help="Published on/before (YYYY[-MM[-DD]]).")] = None,
        entity: Annotated[str | None, typer.Option(help="Only articles mentioning this entity (id or name).")] = None,
        story: Annotated[str | None, typer.Option(help="Only articles of this story id.")] = None,
        source: Annotated[str | None, typer.Option(help="Only sources containing this text.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=200, help="Number of results.")] = 10,
        mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense.")] = "hybrid",
        json_: JsonOption = False,
    ) -> None:
        """Search articles across languages (BM25 + embeddings, fused)."""
        from rich.markup import escape

        from storyline.search import SearchError
        from storyline.service.search import search

        config = get_config()
        store = get_store(must_exist=True)
        _index_vectors(store, config, quiet=json_)
        try:
            hits = search(store, query, lang=lang, since=since, until=until, entity=entity, story=story,
                          source=source, limit=limit, mode=mode, config=config)
        except SearchError as exc:
            fail(str(exc), code=2)
        if json_:
            emit_json({"query": query, "hits": hits})
        else:
            if not hits:
                console.print(f"No results: no article matches {query!r} (try other words or fewer filters).")
            for n, h in enumerate(hits, start=1):
                console.print(f"[bold]{n}. {escape(h.title or h.article_id)}[/]  [dim]{h.article_id} · {h.lang or '?'} · "
                              f"{h.published or 'undated'}[/]",  # scores and ranking labels: --json only
                              highlight=False, markup=True, emoji=False)
                console.print("   " + _rich_snippet(h.snippet, h.marks), highlight=False)
        if not hits:
            raise typer.Exit(1)

    @eval_app.command("search")
    def eval_search(
        gold: Annotated[Path, typer.Option("--gold", help="Gold JSONL: {query, relevant|ids|refs: [...]}.")],
        k: Annotated[int, typer.Option(min=1, max=100, help="Cut-off rank.")] = 10,
        json_: JsonOption = False,
    ) -> None:
        """MRR@k and recall@k of search (hybrid, BM25 only, dense only) against gold queries."""
        from storyline.eval.search import GoldError, evaluate, load_gold

        config = get_config()
        store = get_store(must_exist=True)
        try:
            queries = load_gold(gold, store)
        except GoldError as exc:
            fail(str(exc), code=2)
        _index_vectors(store, config, quiet=json_)
        result = evaluate(store, queries, k=k, config=config)
        if json_:
            emit_json(result)
        else:
            table = Table(title=f"Search against {gold.name}: {result['evaluated']} of {result['queries']} queries")
            table.add_column("mode")
            table.add_column(f"MRR@{k}", justify="right")
            table.add_column(f"recall@{k}", justify="right")
            for mode, m in result["modes"].items():
                table.add_row(mode, f"{m['mrr']:.3f}", f"{m['recall']:.3f}")
            console.print(table)
            if result["unresolved"]:
                console.print(f"[yellow]not in this store:[/] {', '.join(result['unresolved'])}")
        if not result["evaluated"]:
            raise typer.Exit(1)


def _rich_snippet(snippet: str, marks: list[tuple[int, int]]) -> str:
    from rich.markup import escape

    out, pos = [], 0
    for s, e in sorted(marks):
        if s < pos:
            continue
        out.append(escape(snippet[pos:s]))
        out.append("[reverse]" + escape(snippet[s:e]) + "[/reverse]")
        pos = e
    out.append(escape(snippet[pos:]))
    return "".join(out)


def demo(store, console) -> None:  # noqa: ANN001 - matches the other CLI modules
    """`storyline demo`: one cross-lingual search."""
    query = os.environ.get("STORYLINE_DEMO_QUERY", "Pompeo Cuba Russia")
    try:
        from storyline.service.search import search

        hits = search(store, query, limit=3)
    except Exception as exc:  # the demo must go on without search
        console.print(f"search unavailable: {exc}")
        return
    console.print(f"[bold]Search[/] {query!r} (English query, any language):")
    for h in hits:
        console.print(f"  {h.lang or '?'}  {h.title or h.article_id}", highlight=False)
