"""NER quality against CoNLL / CoNLL-U gold: precision, recall, F1 per type and overall (exact span).

Reads CoNLL-2002/2003 columns (token first, IOB/BIO tag last; `-DOCSTART-` lines split documents) and
CoNLL-U with NorNE's `name=B-PER` in MISC. Tag sets map onto PER/ORG/LOC (GPE_LOC and GPE_ORG→LOC, as in
the training files and CoNLL, where countries are places); MISC, PROD, EVT and DRV are dropped, as the
store has no such type. Each sentence is rebuilt as text with offsets; the whole file is the corpus both
recognisers draw their evidence from. `--backend` picks the recogniser ("trained" or "rules").
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

TYPE_MAP = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE_LOC": "LOC", "GPE_ORG": "LOC", "GPE": "LOC"}
TYPES = ("PER", "ORG", "LOC")


class NerFormatError(ValueError):
    """A gold file that is not CoNLL / CoNLL-U; the message names the file and line."""


@dataclass
class GoldSentence:
    tokens: list[str]
    spans: set[tuple[int, int, str]] = field(default_factory=set)  # token index [start, end), type
    doc: int = 0


def _tag_of(cols: list[str], conllu: bool) -> str:
    if conllu:
        for part in cols[9].split("|") if len(cols) > 9 else []:
            if part.startswith("name="):
                return part[5:]
        return "O"
    return cols[-1]


def read_conll(path: str | Path, type_map: dict[str, str] | None = None) -> list[GoldSentence]:
    """Sentences of a CoNLL / CoNLL-U file with their spans, types mapped by `type_map` (default
    TYPE_MAP: the scored PER/ORG/LOC); a type the map lacks is dropped."""
    type_map = TYPE_MAP if type_map is None else type_map
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise NerFormatError(f"{p}: cannot read ({exc})") from exc
    conllu = p.suffix == ".conllu" or any(ln.startswith("# sent_id") for ln in lines[:50])
    sents: list[GoldSentence] = []
    toks: list[str] = []
    tags: list[str] = []
    doc = 0

    def flush() -> None:
        if toks:
            sents.append(GoldSentence(list(toks), _spans(tags, type_map), doc))
        toks.clear()
        tags.clear()

    for n, line in enumerate(lines, 1):
        if not line.strip():
            flush()
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t") if conllu else line.split()
        if cols[0] == "-DOCSTART-":
            flush()
            doc += 1
            continue
        if conllu:
            if len(cols) < 10:
                raise NerFormatError(f"{p}:{n}: expected 10 tab-separated CoNLL-U columns, got {len(cols)}")
            if "-" in cols[0] or "." in cols[0]:  # multiword token / empty node lines
                continue
            toks.append(cols[1])
        else:
            if len(cols) < 2:
                raise NerFormatError(f"{p}:{n}: expected a token and a tag, got {line!r}")
            toks.append(cols[0])
        tags.append(_tag_of(cols, conllu))
    flush()
    if not sents:
        raise NerFormatError(f"{p}: no sentences found")
    return sents


def _spans(tags: list[str], type_map: dict[str, str]) -> set[tuple[int, int, str]]:
    spans, start, cur = set(), None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        if tag == "O" or prefix == "B" or (prefix == "I" and typ != cur):
            if cur is not None and start is not None and cur in type_map:
                spans.add((start, i, type_map[cur]))
            start, cur = (i, typ) if tag != "O" else (None, None)
    return spans


SPLITS = ("first", "second")


def evaluate(path: str | Path, lang: str | None = None, *, recognizer=None, limit: int | None = None,
             split: str | None = None, errors: list | None = None, backend: str = "rules",
             post_rules: str | None = None, settings=None) -> dict:
    """Score a recogniser on `path`: `recognizer`, or the `backend` named ("rules", "trained"; the
    trained one with `post_rules`, default all; `settings`, the `[entities]` section, gives its other
    options, such as `model`). `split` ("first"/"second") scores only that half of the
    sentences (tune on one half, report on the other) while the whole file stays the corpus evidence;
    `errors`, when given, collects (sentence, gold spans, predicted spans) of every imperfect sentence."""
    from storyline.analyze.entities.offline import CorpusEvidence
    from storyline.analyze.entities.settings import EntitySettings
    from storyline.backends import load_backend

    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    from storyline.model import article_from_text

    sents = read_conll(path)[:limit] if limit else read_conll(path)
    lang = lang or _guess_lang(Path(path).name)
    name = getattr(recognizer, "name", "custom") if recognizer is not None else backend
    if recognizer is None:
        settings = dataclasses.replace(settings or EntitySettings(), backend=backend)
        if post_rules is not None:
            settings.post_rules = post_rules
        recognizer = load_backend("entities", backend)(settings)
    rec = recognizer
    arts, offsets = [], []
    for i, s in enumerate(sents):
        pos, offs = 0, []
        for t in s.tokens:
            offs.append((pos, pos + len(t)))
            pos += len(t) + 1
        arts.append(article_from_text(" ".join(s.tokens), id=f"s{i}", lang=lang))
        offsets.append(offs)
    evidence = CorpusEvidence()
    evidence.add_articles(arts)
    tp, fp, fn = Counter(), Counter(), Counter()
    half = len(sents) // 2
    scored = range(len(sents)) if split is None else range(half) if split == "first" else range(half, len(sents))
    found = rec.recognize([arts[k] for k in scored], evidence)
    for k in scored:
        art, s, offs = arts[k], sents[k], offsets[k]
        start_idx = {a: k for k, (a, _) in enumerate(offs)}
        end_idx = {b: k + 1 for k, (_, b) in enumerate(offs)}
        pred = set()
        for m in found[art.id]:
            if m.start in start_idx and m.end in end_idx:
                pred.add((start_idx[m.start], end_idx[m.end], m.type))
            else:
                pred.add((m.start, -m.end, m.type))  # not on token boundaries: always wrong
        for sp in pred:
            (tp if sp in s.spans else fp)[sp[2]] += 1
        for sp in s.spans - pred:
            fn[sp[2]] += 1
        if errors is not None and pred != s.spans:
            errors.append((s.tokens, sorted(s.spans), sorted(pred)))
    out = {"file": str(path), "lang": lang, "sentences": len(scored), "split": split,
           "backend": name, "types": {}}
    for t in (*TYPES, "overall"):
        a, b, c = (sum(x.values()) for x in (tp, fp, fn)) if t == "overall" else (tp[t], fp[t], fn[t])
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out["types"][t] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": a + c,
                           "predicted": a + b}
    return out


def _guess_lang(name: str) -> str | None:
    head = name.split("-")[0].split("_")[0].lower()
    return head if len(head) == 2 else None
