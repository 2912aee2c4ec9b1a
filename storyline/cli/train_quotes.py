"""`storyline train quotes`: retrain the English attribution tagger shipped in storyline/models/quotes-en."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import console, emit_json, fail, train_group

_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "quotes-en"


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @train_group(app).command("quotes")
    def train_quotes(
        train: Annotated[Path, typer.Option("--train", help="PolNeAR-layout training folder (text/ + attributions/).")],
        dev: Annotated[Path | None, typer.Option("--dev", help="PolNeAR-layout dev folder, measured (not tuned on) "
                                                 "at the chosen start bias.")] = None,
        out: Annotated[Path, typer.Option("--out", help="Where to write the model.")] = _MODEL_DIR,
        epochs: Annotated[int, typer.Option("--epochs", min=1, help="Most training epochs.")] = 20,
        holdout: Annotated[float, typer.Option("--holdout", help="Share of the training texts held out to "
                                               "choose the epoch and the start bias.")] = 0.1,
        seed: Annotated[int, typer.Option("--seed", help="Random seed (fixed for reproducible weights).")] = 13,
        max_minutes: Annotated[float, typer.Option("--max-minutes", help="Stop after the epoch that passes "
                                                   "this many minutes.")] = 60.0,
        resume: Annotated[Path | None, typer.Option("--resume", help="Go on training from this model's weights "
                                                    "(same --seed, so the same held-out texts).")] = None,
        tune_only: Annotated[bool, typer.Option("--tune-only", help="Keep the weights in --out and only tune the "
                                                "move biases again on the held-out texts.")] = False,
        json_: Annotated[bool, typer.Option("--json", help="Print a JSON document for programs.")] = False,
    ) -> None:
        """Train the Source/Cue/Content tagger (spaCy NER, CPU; run with OMP_NUM_THREADS=1)."""
        try:
            import spacy  # noqa: F401
        except ImportError:
            fail("training needs spaCy: pip install 'storyline[train]'", 1)
        from storyline.analyze.quotes.train import TrainDataError, retune
        from storyline.analyze.quotes.train import train as run_train

        if resume is not None and not (resume / "meta.json").is_file():
            fail(f"--resume: {resume} holds no trained model (meta.json missing)", 2)
        for label, d in (("--train", train), ("--dev", dev)):
            if d is not None and not d.is_dir():
                fail(f"{label} {d}: folder not found", 2)
        if tune_only and not (out / "meta.json").is_file():
            fail(f"--tune-only: {out} holds no trained model (meta.json missing)", 2)
        log = (lambda m: console.print(m, highlight=False)) if not json_ else (lambda m: None)
        try:
            if tune_only:
                result = retune(train, dev, out, seed=seed, holdout=holdout, log=log)
            else:
                result = run_train(train, dev, out, epochs=epochs, seed=seed, max_minutes=max_minutes,
                                   holdout=holdout, resume=resume, log=log)
        except TrainDataError as exc:
            fail(str(exc), 2)
            return
        result["out"] = str(out)
        if json_:
            emit_json(result)
        else:
            b = result["bias"]
            head = "" if tune_only else (f"best epoch {result['best_epoch']}: held-out span F1 "
                                         f"{result['held_out_span_f1']:.3f}; ")
            console.print(f"{head}move biases {b['biases']} (held-out P {b['precision']:.3f} R {b['recall']:.3f} "
                          f"F1 {b['f1']:.3f}); model in {out}")
