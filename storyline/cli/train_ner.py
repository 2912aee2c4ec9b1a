"""`storyline train ner`: train a spaCy NER pipeline on annotated files (IOB2 CoNLL or NorNE CoNLL-U);
`storyline train vectors`: the static word vectors (distilled from multilingual-e5) it can use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.common import JsonOption, console, emit_json, fail, named_bars, train_group


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @train_group(app).command("ner")
    def train_ner(
        lang: Annotated[str, typer.Option("--lang", help="Language code of the pipeline (nb, da, en …; xx = mixed).")],
        train: Annotated[list[Path], typer.Option("--train", help="Training file: token<TAB>IOB2 tag per line, "
                                                  "or CoNLL-U with name= in MISC. Repeat for several.")],
        dev: Annotated[list[Path], typer.Option("--dev", help="Dev file (same formats) that picks the best "
                                                "checkpoint. Repeat for several.")],
        out: Annotated[Path, typer.Option("--out", help="Folder for the trained pipeline (replaced).")],
        epochs: Annotated[int, typer.Option("--epochs", help="At most this many passes over the data.")] = 12,
        max_steps: Annotated[int, typer.Option("--max-steps", help="Stop after this many updates (0: no cap).")] = 0,
        max_minutes: Annotated[float | None, typer.Option("--max-minutes", help="Stop after this much wall time "
                                                          "and keep the best checkpoint so far.")] = None,
        sample: Annotated[int | None, typer.Option("--sample", help="Only a seeded sample of N sentences per "
                                                   "training file (for a mixed-language pipeline).")] = None,
        seed: Annotated[int, typer.Option("--seed", help="Random seed (fixed, for reruns).")] = 0,
        patience: Annotated[int, typer.Option("--patience", help="Stop after this many updates without a "
                                              "better dev score.")] = 3200,
        eval_frequency: Annotated[int, typer.Option("--eval-frequency", help="Score the dev set every N "
                                                    "updates.")] = 400,
        init: Annotated[Path | None, typer.Option("--init", help="Continue from this trained pipeline's "
                                                  "weights (same config) instead of from scratch.")] = None,
        vectors: Annotated[Path | None, typer.Option("--vectors", help="Add this static word-vectors table "
                                                     "(from `storyline train vectors`) to the embedding.")] = None,
        width: Annotated[int | None, typer.Option("--width", help="Width of the embedding and CNN of a fresh "
                                                  "pipeline (shipped: 64).")] = None,
        embed_rows: Annotated[str | None, typer.Option("--embed-rows", help="Hash-table rows for NORM,PREFIX,"
                                                       "SUFFIX,SHAPE of a fresh pipeline, e.g. 5000,2500,2500,2500.")] = None,
        averages: Annotated[bool, typer.Option("--averages", help="Score and save the running average of the "
                                               "weights over the updates (parameter averaging; docs/NER.md).")] = False,
        json_out: JsonOption = False,
    ) -> None:
        """Train the NER pipeline for one language; set `model` in the \\[entities] config to --out to use it."""
        from storyline.analyze.entities.training import TrainingError
        from storyline.analyze.entities.training import train as run_training

        if epochs < 1 or max_steps < 0 or patience < 1 or eval_frequency < 1 or (max_minutes is not None and max_minutes <= 0):
            fail("--epochs, --patience and --eval-frequency must be at least 1, --max-steps and --max-minutes not negative", code=2)
        if init is not None and not (init / "ner").is_dir():
            fail(f"{init}: not a trained NER pipeline (no ner/ folder)", code=2)
        rows = None
        if embed_rows is not None:
            try:
                rows = [int(r) for r in embed_rows.split(",")]
            except ValueError:
                fail(f"--embed-rows: comma-separated whole numbers, not {embed_rows!r}", code=2)
        if init is not None and (width is not None or rows is not None):
            fail("--width and --embed-rows size a fresh pipeline: one resumed with --init keeps its sizes", code=2)
        if vectors is not None and init is not None:
            fail("--vectors only for a fresh pipeline: one resumed with --init keeps the table it has", code=2)
        for f in (*train, *dev):
            if not f.is_file():
                fail(f"{f}: file not found", code=2)
        try:
            info = run_training(lang, train, dev, out, max_epochs=epochs, max_steps=max_steps,
                                max_minutes=max_minutes, sample=sample,
                                seed=seed, patience=patience, init=init, vectors=vectors, width=width, embed_rows=rows,
                                averages=averages, eval_frequency=eval_frequency, log=lambda m: console.print(m, highlight=False))
        except TrainingError as exc:
            fail(str(exc), code=2)
        if json_out:
            emit_json(info)
            return
        table = Table("language", "training sentences", "dev F1 (all types)", "wall time", "size", "saved to",
                      title="trained NER pipeline")
        table.add_row(lang, str(info["train_sentences"]), f"{info['dev_f1']:.3f}", f"{info['wall_s']:.0f} s",
                      f"{info['bytes'] / 1e6:.1f} MB", str(out))
        console.print(table)

    @train_group(app).command("vectors")
    def train_vectors(
        lang: Annotated[str, typer.Option("--lang", help="Language code of the table (nb, da, es …).")],
        out: Annotated[Path, typer.Option("--out", help="Folder for the vectors (a blank spaCy pipeline; replaced).")],
        conll: Annotated[list[Path], typer.Option("--conll", help="Annotated file whose word forms are counted "
                                                  "(IOB2 CoNLL or CoNLL-U). Repeat for several.")] = [],  # noqa: B006
        text: Annotated[list[Path], typer.Option("--text", help="Plain-text file whose words are counted too. "
                                                 "Repeat for several.")] = [],  # noqa: B006
        rows: Annotated[int, typer.Option("--rows", help="Keep the N most frequent word forms.")] = 40000,
        dims: Annotated[int, typer.Option("--dims", help="Dimensions after PCA (size: rows × dims × 4 bytes).")] = 48,
        cache: Annotated[Path | None, typer.Option("--cache", help="An .npz file that keeps the e5 embeddings "
                                                   "between runs.")] = None,
        json_out: JsonOption = False,
    ) -> None:
        """Build static word vectors for `train ner --vectors`: e5 embeddings of the most frequent words, reduced by PCA."""
        from storyline.analyze.train_word_vectors import VectorsError
        from storyline.analyze.train_word_vectors import train_vectors as build

        if not conll and not text:
            fail("give at least one --conll or --text file to count words in", code=2)
        if rows < 1 or dims < 1:
            fail("--rows and --dims must be at least 1", code=2)
        for f in (*conll, *text):
            if not f.is_file():
                fail(f"{f}: file not found", code=2)
        try:
            with named_bars(quiet=json_out) as bars:
                info = build(lang, conll, text, out, rows=rows, dims=dims, cache=cache,
                             progress=lambda done, total: bars("embedding", done, total))
        except VectorsError as exc:
            fail(str(exc), code=2)
        if json_out:
            emit_json(info)
            return
        table = Table("language", "words", "dims", "token coverage", "size", "saved to", title="word vectors")
        table.add_row(lang, str(info["words"]), str(info["dims"]), f"{info['token_coverage']:.1%}",
                      f"{info['bytes'] / 1e6:.1f} MB", str(out))
        console.print(table)
