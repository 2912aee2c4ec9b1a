"""`storyline train langid`: train the Bokmål/Nynorsk/Danish/Swedish discriminator."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import JsonOption, console, emit_json, fail, train_group
from storyline.ingest.scandi_classifier import MODEL_DIR, N_FEATURES, Hashing

#: C values tried by default (the best on the held-out slice is refitted on every sentence)
DEFAULT_C = (3.0, 10.0)
#: feature hashing of the shipped model (the classifier's defaults)
N_BITS = N_FEATURES.bit_length() - 1
BIGRAMS = Hashing.bigrams


def train_langid_cmd(
    out: Annotated[Path, typer.Option("--out", help="Directory for weights.npz (the shipped model lives in "
                                      "storyline/models/langid-scandi).")] = MODEL_DIR,
    data: Annotated[Path, typer.Option("--data", help="Folder with the NER training files "
                                       "(nb-norne, nn-norne, da-ddt-danplus, sv-talbanken-uner).")]
    = Path("../shared/data/train/ner"),
    dev: Annotated[Path | None, typer.Option("--dev", help="Gold sentences (<code>.txt) to report the "
                                             "discriminator's accuracy on; never trained or tuned on.")]
    = Path("../shared/data/langid/sentences"),
    c: Annotated[list[float] | None, typer.Option("--c", help="Inverse regularisation strength; several: "
                                                  "the best on the held-out slice wins.")] = None,
    holdout: Annotated[float, typer.Option("--holdout", min=0.01, max=0.5, help="Share of each training file "
                                           "held out for choosing C.")] = 0.1,
    bits: Annotated[int, typer.Option("--bits", min=12, max=24, help="Hash the features into 2^BITS buckets.")]
    = N_BITS,
    bigrams: Annotated[bool, typer.Option("--bigrams/--no-bigrams", help="Word bigrams as features too.")]
    = BIGRAMS,
    refit: Annotated[bool, typer.Option("--refit/--no-refit", help="Refit the chosen C on all sentences "
                                        "(held-out slice included) before saving.")] = True,
    json_out: JsonOption = False,
) -> None:
    """Train the Scandinavian language discriminator (fixed seed: reruns give the same weights)."""
    from storyline.eval.langid import GoldError, load_gold
    from storyline.ingest.scandi_training import TrainingError, train

    gold = None
    if dev is not None and dev.is_dir():
        try:
            gold = load_gold(dev)
        except GoldError as exc:
            fail(str(exc), code=2)
    try:
        report = train(data, out, cs=tuple(c or DEFAULT_C), holdout=holdout, dev=gold, refit=refit,
                       hashing=Hashing(1 << bits, bigrams=bigrams),
                       log=(lambda _m: None) if json_out else console.print)
    except TrainingError as exc:
        fail(str(exc), code=1)
        return
    if json_out:
        emit_json(report)
        return
    console.print(f"C={report.c:g} on {report.sentences} sentences; held-out accuracy "
                  + ", ".join(f"{k} {v:.3f}" for k, v in report.held_out.items()), highlight=False)
    if report.dev:
        console.print("dev accuracy (discriminator alone): "
                      + ", ".join(f"{k} {v:.3f}" for k, v in report.dev.items()), highlight=False)
    console.print(f"wrote {report.path} in {report.seconds:.0f} s", highlight=False)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    train_group(app).command("langid")(train_langid_cmd)
