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


#: the network: a small hash-embedding CNN under spaCy's transition-based NER (about 4 MB of weights).
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


def train(train_dir: Path, dev_dir: Path, out_dir: Path, *, epochs: int = 12, seed: int = 13,
          max_minutes: float = 60.0, patience: int = 3,
          log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train on `train_dir`, keep the epoch with the best dev span F1 in `out_dir`; returns figures."""
    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner", config={"model": MODEL_CONFIG})
    for label in LABELS:
        ner.add_label(label)
    train_ex = make_examples(nlp, read_folder(train_dir))
    dev_ex = make_examples(nlp, read_folder(dev_dir))
    log(f"examples: {len(train_ex)} train paragraphs, {len(dev_ex)} dev paragraphs")
    optimizer = nlp.initialize(lambda: train_ex)
    best, best_epoch, history = -1.0, 0, []
    t0 = time.perf_counter()
    for epoch in range(1, epochs + 1):
        rng.shuffle(train_ex)
        losses: dict[str, float] = {}
        for batch in minibatch(train_ex, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            scores = nlp.evaluate(dev_ex)
        f = float(scores.get("ents_f") or 0.0)
        per = {k: round(v["f"], 3) for k, v in (scores.get("ents_per_type") or {}).items()}
        history.append({"epoch": epoch, "loss": round(losses.get("ner", 0.0), 1), "dev_f": round(f, 4), **per})
        log(f"epoch {epoch}: loss {losses.get('ner', 0.0):.0f}, dev span F1 {f:.3f} {per} "
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
    result = {"best_epoch": best_epoch, "dev_span_f1": round(best, 4), "history": history, "seed": seed}
    result["bias"] = tune_bias(out_dir, dev_dir, log=log)
    return result


#: start biases tried on the dev set, and the precision the chosen one must keep
BIAS_GRID = (0.0, 0.5, 1.0, 1.25, 1.5, 1.75, 2.0)
MIN_PRECISION = 0.85


def tune_bias(model_dir: Path, dev_dir: Path, *, grid: tuple[float, ...] = BIAS_GRID,
              min_precision: float = MIN_PRECISION, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Pick the start bias with the best quotation F1 on dev among those keeping `min_precision`
    (the pipeline as shipped: tagger and rules together); write it beside the weights."""
    import json

    from storyline.analyze.quotes.learned import BIAS_FILE, _load, load_tagger, set_start_bias
    from storyline.analyze.quotes.settings import QuoteSettings
    from storyline.eval.quotes import evaluate_polnear

    (model_dir / BIAS_FILE).unlink(missing_ok=True)
    _load.cache_clear()
    nlp = load_tagger(str(model_dir))
    settings = QuoteSettings(model_path=str(model_dir))
    rows = []
    for delta in grid:
        set_start_bias(nlp, delta)
        d = evaluate_polnear(dev_dir, settings=settings)
        row = {k: d[k] for k in ("precision", "recall", "f1", "speaker_accuracy")} | {"start_bias": delta}
        rows.append(row)
        log(f"start bias {delta}: P {row['precision']:.3f} R {row['recall']:.3f} F1 {row['f1']:.3f} "
            f"speaker {row['speaker_accuracy']:.3f}")
    ok = [r for r in rows if r["precision"] >= min_precision] or rows
    best = max(ok, key=lambda r: r["f1"])
    (model_dir / BIAS_FILE).write_text(json.dumps({"start_bias": best["start_bias"], "dev": best, "grid": rows},
                                                  indent=1) + "\n", encoding="utf-8")
    _load.cache_clear()
    return best
