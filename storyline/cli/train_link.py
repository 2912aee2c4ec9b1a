"""`storyline train stories` and `train similarity`: refit the learned linking decisions from development data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import emit_json, fail, get_config, train_group


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @train_group(app).command("stories")
    def train_stories_cmd(
        stream: Annotated[list[Path] | None, typer.Option(
            "--stream", help="Gold JSONL stream (as for eval clustering); repeatable.")] = None,
        pairs: Annotated[list[Path] | None, typer.Option(
            "--pairs", help="SemEval-2022 Task 8 CSV of rated article pairs; repeatable.")] = None,
        corpus: Annotated[list[Path] | None, typer.Option(
            "--corpus", help="Files or folders of a corpus with gold stories (e.g. examples/ and the seeds).")]
        = None,
        corpus_gold: Annotated[list[Path] | None, typer.Option(
            "--corpus-gold", help="JSONL {ref, story} gold of the --corpus files; repeatable.")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Where to write the model JSON "
                                                 "(default: the one shipped in the package).")] = None,
        without_entities: Annotated[bool, typer.Option("--without-entities",
                                                       help="Fit on names instead of canonical entities.")]
        = False,
        limit: Annotated[int | None, typer.Option("--limit", help="Use N articles of each --stream.")] = None,
        stratified: Annotated[bool, typer.Option("--stratified", help="With --limit: an even sample of each "
                                                 "gold cluster, in proportion to its size.")] = False,
        clusters: Annotated[str | None, typer.Option(
            "--clusters", help="Use only these gold clusters of each --stream, comma-separated.")] = None,
        json_: Annotated[bool, typer.Option("--json", help="Print the fitted model as JSON.")] = False,
    ) -> None:
        """Fit the story decision (logistic regression over story features) and write its coefficients."""
        from storyline.eval.clustering import EvalInputError
        from storyline.eval.similarity import EvalInputError as PairsInputError
        from storyline.link.storymodel import FEATURES, MODEL_FILE
        from storyline.link.train import train

        if not stream and not pairs and not corpus:
            fail("give at least one --stream, --pairs or --corpus", code=2)
        if bool(corpus) != bool(corpus_gold):
            fail("--corpus and --corpus-gold go together", code=2)
        corpora = [(list(corpus), list(corpus_gold))] if corpus and corpus_gold else []
        try:
            result = train(list(stream or []), list(pairs or []), get_config(), out or MODEL_FILE,
                           entities=not without_entities, corpora=corpora, limit=limit, stratified=stratified,
                           clusters=[c.strip() for c in clusters.split(",") if c.strip()] if clusters else None)
        except (EvalInputError, PairsInputError, ValueError) as exc:
            fail(str(exc), code=2)
        if json_:
            emit_json(result)
            return
        meta = result["meta"]
        typer.echo(f"wrote {result['out']} (held-out log-loss {meta['held_out_logloss']})")
        for name in FEATURES:
            typer.echo(f"  {name:22s} weight {result['weights'][name]:+.3f}   log-loss +"
                       f"{meta['logloss_increase_without'][name]:.4f} without it")
        for key, v in meta["gold_story_ranked_first_by_previous_model"].items():
            typer.echo(f"  gold story ranked first, {key} language: {v['right']}/{v['articles']} ({v['share']:.2f})")

    @train_group(app).command("similarity")
    def train_similarity_cmd(
        pairs: Annotated[list[Path], typer.Option("--pairs", help="SemEval-2022 Task 8 CSV; repeatable.")],
        out: Annotated[Path | None, typer.Option("--out", help="Where to write the model JSON "
                                                 "(default: the one shipped in the package).")] = None,
        json_: Annotated[bool, typer.Option("--json", help="Print the fitted model as JSON.")] = False,
    ) -> None:
        """Fit the article-pair similarity (ridge regression on rated pairs); print out-of-fold Pearson."""
        from storyline.analyze.embeddings import get_embedder
        from storyline.eval.similarity import EvalInputError, fit
        from storyline.link.settings import ClusterSettings

        cfg = get_config()
        try:
            result = fit(list(pairs), cfg.section("cluster", ClusterSettings), get_embedder(cfg), out)
        except EvalInputError as exc:
            fail(str(exc), code=2)
        if json_:
            emit_json(result)
            return
        meta = result["meta"]
        typer.echo(f"wrote {result['out']}: Pearson in sample {meta['pearson_in_sample']:.3f}, "
                   f"out of fold {meta['pearson_out_of_fold']:.3f} ({meta['pairs']} pairs)")
        for k, v in meta["out_of_fold_by_language_pair"].items():
            typer.echo(f"  {k}: {v:.3f}" if v is not None else f"  {k}: –")
