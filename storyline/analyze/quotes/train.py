"""Train the English attribution tagger (Source / Cue / Content spans) from PolNeAR brat files.

PolNeAR (`text/*.txt` + `attributions/*.ann`) links a Source, a Cue and a Content span per
attribution. We learn the three span kinds with spaCy's transition-based `ner` component over a
small hash-embedding CNN (no pretrained vectors, so nothing is downloaded and the weights stay a
few MB); `storyline.analyze.quotes.learned` groups the predicted spans back into quotations.
Examples are paragraphs (blank-line blocks): attributions rarely cross them and short examples
batch well. Texts annotated twice keep their first annotation file (sorted by name); spans that
overlap another are resolved by `spacy.util.filter_spans` (the longer wins; nesting is rare).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.analyze.spacy_export import trim_strings

LABELS = ("SOURCE", "CUE", "CONTENT")
_ROLE_LABEL = {"Source": "SOURCE", "Cue": "CUE", "Content": "CONTENT"}


class TrainDataError(ValueError):
    """A training or dev folder that cannot be read; the message names the folder or file."""


@dataclass
class Attribution:
    """One annotated attribution: each role's character spans (a span may be discontinuous)."""

    source: list[tuple[int, int]]
    cue: list[tuple[int, int]]
    content: list[tuple[int, int]]


def read_annotations(ann: Path) -> list[Attribution]:
    """The attributions of one brat `.ann` file (E lines joining T spans by role)."""
    from storyline.eval.quotes import GoldError, brat_attributions

    try:
        found = brat_attributions(ann)
    except GoldError as exc:
        raise TrainDataError(str(exc)) from exc
    return [Attribution(r.get("Source", []), r.get("Cue", []), r.get("Content", [])) for r in found]


def read_folder(directory: Path) -> list[tuple[str, str, list[Attribution]]]:
    """(name, text, attributions) per document of a PolNeAR-layout folder; one annotation per text."""
    text_dir, ann_dir = directory / "text", directory / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise TrainDataError(f"{directory}: expected text/ and attributions/ folders (PolNeAR layout)")
    anns = sorted(ann_dir.glob("*.ann"))
    docs = []
    for tpath in sorted(text_dir.glob("*.txt")):
        ann = next((p for p in anns if p.stem == tpath.stem or p.stem.startswith(tpath.stem + "_")), None)
        if ann is not None:
            docs.append((tpath.name, tpath.read_text(encoding="utf-8"), read_annotations(ann)))
    if not docs:
        raise TrainDataError(f"{directory}: no documents with attributions found")
    return docs


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank blank-line-separated block, stripped."""
    out, pos = [], 0
    for part in text.split("\n\n"):
        stripped = part.strip()
        if stripped:
            s = pos + len(part) - len(part.lstrip())
            out.append((s, s + len(stripped)))
        pos += len(part) + 2
    return out


def make_examples(nlp, docs: list[tuple[str, str, list[Attribution]]]) -> list[Any]:
    """spaCy Examples, one per paragraph, with the role spans as entities."""
    from spacy.training import Example
    from spacy.util import filter_spans

    examples = []
    for _name, text, attributions in docs:
        labelled = [(s, e, _label) for a in attributions
                    for _label, spans in (("SOURCE", a.source), ("CUE", a.cue), ("CONTENT", a.content))
                    for s, e in spans]
        for ps, pe in paragraphs(text):
            doc = nlp.make_doc(text[ps:pe])
            ents = []
            for s, e, label in labelled:
                if s >= ps and e <= pe and e > s:
                    span = doc.char_span(s - ps, e - ps, label=label, alignment_mode="expand")
                    if span is not None:
                        ents.append(span)
            ref = nlp.make_doc(text[ps:pe])
            ref.ents = [ref.char_span(sp.start_char, sp.end_char, label=sp.label_) for sp in filter_spans(ents)]
            examples.append(Example(doc, ref))
    return examples


#: the network: a small hash-embedding CNN under spaCy's transition-based NER (about 4 MB of weights;
#: hidden width 96 and 4000 rows measured no better on held-out and dev texts, at 5.8 MB).
MODEL_CONFIG: dict[str, Any] = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 96,
        "depth": 4,
        "embed_size": 2000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    },
}


def split_holdout(docs: list[Any], fraction: float, seed: int) -> tuple[list[Any], list[Any]]:
    """(train, held-out) by document, a seeded `fraction` held out: the epoch and the start bias are
    chosen on it, so the dev split stays a measurement only."""
    if not 0.0 < fraction < 0.5:
        raise TrainDataError(f"held-out fraction {fraction}: expected more than 0 and less than 0.5")
    order = sorted(docs, key=lambda d: d[0])
    random.Random(seed).shuffle(order)
    n = max(1, round(len(order) * fraction))
    if n >= len(order):
        raise TrainDataError(f"{len(order)} training documents are too few to hold {n} out")
    return order[n:], order[:n]


def holdout_folder(train_dir: Path, names: list[str], out: Path) -> Path:
    """A PolNeAR-layout folder of links to the held-out texts and their annotation files."""
    for sub in ("text", "attributions"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for name in names:
        stem = Path(name).stem
        (out / "text" / name).symlink_to((train_dir / "text" / name).resolve())
        for ann in sorted((train_dir / "attributions").glob(stem + "*.ann")):
            if ann.stem == stem or ann.stem.startswith(stem + "_"):
                (out / "attributions" / ann.name).symlink_to(ann.resolve())
    return out


def retune(train_dir: Path, dev_dir: Path | None, model_dir: Path, *, seed: int = 13, holdout: float = 0.1,
           log: Callable[[str], None] = print) -> dict[str, Any]:
    """Tune the move biases of a trained model again on its held-out texts (same seed and share)."""
    import tempfile

    _train_docs, held_docs = split_holdout(read_folder(train_dir), holdout, seed)
    names = sorted(d[0] for d in held_docs)
    with tempfile.TemporaryDirectory() as tmp:
        return {"bias": tune_bias(model_dir, holdout_folder(train_dir, names, Path(tmp)), dev_dir, log=log),
                "held_out": names, "seed": seed}


def train(train_dir: Path, dev_dir: Path | None, out_dir: Path, *, epochs: int = 20, seed: int = 13,
          max_minutes: float = 60.0, patience: int = 3, holdout: float = 0.1, resume: Path | None = None,
          log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train on `train_dir` less a held-out part; keep the epoch with the best held-out span F1 in
    `out_dir`, tune the move biases on the held-out part, and report `dev_dir` (if given) at them.
    With `resume`, training goes on from that model's weights (same seed: the same held-out texts)."""
    import tempfile

    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    if resume is not None:
        nlp = spacy.load(resume)
    else:
        nlp = spacy.blank("en")
        ner = nlp.add_pipe("ner", config={"model": MODEL_CONFIG})
        for label in LABELS:
            ner.add_label(label)
    train_docs, held_docs = split_holdout(read_folder(train_dir), holdout, seed)
    train_ex = make_examples(nlp, train_docs)
    held_ex = make_examples(nlp, held_docs)
    log(f"examples: {len(train_ex)} train paragraphs ({len(train_docs)} texts), {len(held_ex)} held-out "
        f"paragraphs ({len(held_docs)} texts)")
    optimizer = nlp.initialize(lambda: train_ex) if resume is None else nlp.resume_training()
    best, best_epoch, history = -1.0, 0, []
    if resume is not None:  # the resumed weights are the score to beat
        best = float(nlp.evaluate(held_ex).get("ents_f") or 0.0)
        log(f"resumed from {resume}: held-out span F1 {best:.3f}")
        if Path(resume).resolve() != Path(out_dir).resolve():
            nlp.to_disk(out_dir)  # kept if no epoch beats it
    t0 = time.perf_counter()
    for epoch in range(1, epochs + 1):
        rng.shuffle(train_ex)
        losses: dict[str, float] = {}
        for batch in minibatch(train_ex, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            scores = nlp.evaluate(held_ex)
        f = float(scores.get("ents_f") or 0.0)
        per = {k: round(v["f"], 3) for k, v in (scores.get("ents_per_type") or {}).items()}
        history.append({"epoch": epoch, "loss": round(losses.get("ner", 0.0), 1), "held_out_f": round(f, 4), **per})
        log(f"epoch {epoch}: loss {losses.get('ner', 0.0):.0f}, held-out span F1 {f:.3f} {per} "
            f"({(time.perf_counter() - t0) / 60:.1f} min)")
        if f > best:
            best, best_epoch = f, epoch
            with nlp.use_params(optimizer.averages):
                nlp.to_disk(out_dir)
        elif epoch - best_epoch >= patience:
            break
        if (time.perf_counter() - t0) / 60 > max_minutes:
            log("time limit reached")
            break
    trim_strings(out_dir)  # the words seen in training are no part of the shipped model
    result: dict[str, Any] = {"best_epoch": best_epoch, "held_out_span_f1": round(best, 4), "history": history,
                              "seed": seed, "held_out": sorted(d[0] for d in held_docs)}
    with tempfile.TemporaryDirectory() as tmp:
        held_dir = holdout_folder(train_dir, result["held_out"], Path(tmp))
        result["bias"] = tune_bias(out_dir, held_dir, dev_dir, log=log)
    return result


#: start biases tried first (one scalar on every opening move), and the precision the chosen biases must keep
BIAS_GRID = (0.0, 0.5, 1.0, 1.5, 2.0)
MIN_PRECISION = 0.85
#: the move-bias groups refined one at a time from the best scalar, by BIAS_STEP up or down
#: (an "I-CONTENT" group, contents running on, raised held-out precision but let contents swallow a tail
#: attribution, "“…” – she wrote", whose cue was then lost: not searched until a guard exists)
BIAS_GROUPS: dict[str, tuple[str, ...]] = {
    "CONTENT": ("B-CONTENT", "U-CONTENT"), "CUE": ("B-CUE", "U-CUE"), "SOURCE": ("B-SOURCE", "U-SOURCE"),
}
BIAS_STEP = 0.5
BIAS_ROUNDS = 2


def _moves(values: dict[str, float]) -> dict[str, float]:
    return {move: values[group] for group, moves in BIAS_GROUPS.items() for move in moves}


def tune_bias(model_dir: Path, tune_dir: Path, dev_dir: Path | None = None, *,
              grid: tuple[float, ...] = BIAS_GRID, min_precision: float = MIN_PRECISION,
              log: Callable[[str], None] = print) -> dict[str, Any]:
    """Choose the move biases on `tune_dir` (held-out train): the best scalar start bias of `grid`, then
    each group of BIAS_GROUPS moved by BIAS_STEP while quotation F1 rises among settings keeping
    `min_precision` (the pipeline as shipped: tagger and rules together). Written beside the weights,
    with `dev_dir`'s figures at the chosen biases for the record."""
    import json

    from storyline.analyze.quotes.learned import BIAS_FILE, _load, load_tagger, set_move_bias
    from storyline.analyze.quotes.settings import QuoteSettings
    from storyline.eval.quotes import evaluate_polnear

    (model_dir / BIAS_FILE).unlink(missing_ok=True)
    _load.cache_clear()
    nlp = load_tagger(str(model_dir))
    settings = QuoteSettings(model_path=str(model_dir))

    def measure(directory: Path, values: dict[str, float]) -> dict[str, Any]:
        set_move_bias(nlp, _moves(values))
        d = evaluate_polnear(directory, settings=settings)
        return {k: d[k] for k in ("precision", "recall", "f1", "speaker_accuracy")} | {"biases": dict(values)}

    def better(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return (a["precision"] >= min_precision, a["f1"]) > (b["precision"] >= min_precision, b["f1"])

    rows: list[dict[str, Any]] = []

    def trial(values: dict[str, float]) -> dict[str, Any]:
        row = measure(tune_dir, values)
        rows.append(row)
        log(f"biases {values}: held-out P {row['precision']:.3f} R {row['recall']:.3f} F1 {row['f1']:.3f} "
            f"speaker {row['speaker_accuracy']:.3f}")
        return row

    best: dict[str, Any] | None = None
    for delta in grid:
        row = trial(dict.fromkeys(BIAS_GROUPS, delta))
        if best is None or better(row, best):
            best = row
    assert best is not None
    for _ in range(BIAS_ROUNDS):
        moved = False
        for group in BIAS_GROUPS:
            for step in (BIAS_STEP, -BIAS_STEP):
                row = trial(best["biases"] | {group: best["biases"][group] + step})
                if better(row, best):
                    best, moved = row, True
                    break
        if not moved:
            break
    record: dict[str, Any] = {"moves": _moves(best["biases"]), "held_out": best, "trials": rows}
    if dev_dir is not None:
        record["dev"] = measure(dev_dir, best["biases"])
        d = record["dev"]
        log(f"dev at the chosen biases: P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f} "
            f"speaker {d['speaker_accuracy']:.3f}")
    (model_dir / BIAS_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    _load.cache_clear()
    return best
