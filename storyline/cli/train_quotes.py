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
        dev: Annotated[Path, typer.Option("--dev", help="PolNeAR-layout dev folder; the best epoch on it is kept.")],
        out: Annotated[Path, typer.Option("--out", help="Where to write the model.")] = _MODEL_DIR,
        epochs: Annotated[int, typer.Option("--epochs", min=1, help="Most training epochs.")] = 10,
        seed: Annotated[int, typer.Option("--seed", help="Random seed (fixed for reproducible weights).")] = 13,
        max_minutes: Annotated[float, typer.Option("--max-minutes", help="Stop after the epoch that passes "
                                                   "this many minutes.")] = 40.0,
        json_: Annotated[bool, typer.Option("--json", help="Print a JSON document for programs.")] = False,
    ) -> None:
        """Train the Source/Cue/Content tagger (spaCy NER, CPU; run with OMP_NUM_THREADS=1)."""
        try:
            import spacy  # noqa: F401
        except ImportError:
            fail("training needs spaCy: pip install 'storyline[train]'", 1)
        from storyline.analyze.quotes.train import TrainDataError
        from storyline.analyze.quotes.train import train as run_train

        for label, d in (("--train", train), ("--dev", dev)):
            if not d.is_dir():
                fail(f"{label} {d}: folder not found", 2)
        try:
            result = run_train(train, dev, out, epochs=epochs, seed=seed, max_minutes=max_minutes,
                               log=lambda m: console.print(m, highlight=False) if not json_ else None)
        except TrainDataError as exc:
            fail(str(exc), 2)
            return
        result["out"] = str(out)
        if json_:
            emit_json(result)
        else:
            b = result["bias"]
            console.print(f"best epoch {result['best_epoch']}: dev span F1 {result['dev_span_f1']:.3f}; start bias "
                          f"{b['start_bias']} (dev P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}); "
                          f"model in {out}")
