"""Quote extraction quality: detection precision/recall/F1 and speaker accuracy against gold.

Gold lines (JSONL) name an article by `article_id`, `ref` (a suffix of Article.source, e.g. a seed
file name) or inline `text`, and a quote by its full `quote` text or by an `anchor` (its first words).
A predicted quote matches a gold quote when it contains the anchor, or when it covers >= 50% of the
gold quote's tokens; each prediction matches at most one gold quote. Speaker accuracy counts matched
quotes whose speaker (or unnamed-speaker description) agrees with the gold speaker, names compared
accent- and case-folded, one name's words contained in the other's ("Maduro" ~ "Nicolás Maduro").

PolNeAR (`text/*.txt` + brat `attributions/*.ann`) is read directly: Content spans are quotes, Source
spans speakers, and a gold quote is direct when at least half of its characters lie inside quotation
marks (so direct and indirect recall are reported apart); there a speaker is right when the predicted speaker span overlaps the Source span
(PolNeAR marks pronouns as sources) or the names agree. With offsets on both sides a prediction must
also overlap the gold quote in the text: by tokens alone a short gold content ("Clinton", "the bill")
matched any prediction naming it anywhere in the article (213 of 1545 dev matches were such).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.analyze.quotes.direct import quoted_regions, quoted_share
from storyline.analyze.quotes.names import fold
from storyline.eval.gold import iter_jsonl
from storyline.model import Article, Paragraph, Quote

_TOKEN = re.compile(r"\w+", re.UNICODE)


class GoldError(ValueError):
    """A gold file that cannot be read; the message names the file and line."""


@dataclass
class GoldQuote:
    article: str  # article_id, ref or a key for inline text
    key_kind: str  # article_id | ref | text
    quote: str | None
    anchor: str | None
    speaker: str | None
    direct: bool | None = None
    speaker_span: tuple[int, int] | None = None
    span: tuple[int, int] | None = None  # where the quotation lies, when the gold knows (PolNeAR)


@dataclass
class Prediction:
    text: str
    speaker: str | None
    description: str | None = None
    speaker_span: tuple[int, int] | None = None
    spans: list[tuple[int, int]] | None = None  # where the quotation lies (PolNeAR: matched by position)


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_correct: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: {"direct": [0, 0], "indirect": [0, 0]})
    errors: list[dict[str, Any]] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)  # predictions no gold quote matched

    def as_dict(self) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "speaker_accuracy": round(self.speaker_correct / self.matched, 4) if self.matched else 0.0,
            "recall_direct": _ratio(*self.by_kind["direct"]), "recall_indirect": _ratio(*self.by_kind["indirect"]),
            "errors": self.errors[:50], "unmatched_predictions": self.extra[:50],
        }


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def tokens(text: str) -> list[str]:
    return [fold(t) for t in _TOKEN.findall(text)]


def load_gold(path: Path) -> list[GoldQuote]:
    """Read a gold JSONL file; raises GoldError naming the file and line of any bad entry."""
    out: list[GoldQuote] = []
    for where, d in iter_jsonl(path, GoldError):
        kind = next((k for k in ("article_id", "ref", "text") if d.get(k)), None)
        if kind is None:
            raise GoldError(f"{where}: needs one of article_id, ref or text")
        if not (d.get("quote") or d.get("anchor")):
            raise GoldError(f"{where}: needs quote or anchor")
        out.append(GoldQuote(d[kind], kind, d.get("quote"), d.get("anchor"), d.get("speaker"), d.get("direct")))
    if not out:
        raise GoldError(f"{path}: no gold quotes")
    return out


def speaker_agrees(pred: Prediction, gold: str | None) -> bool:
    if not gold:
        return pred.speaker is None
    g = set(tokens(gold))
    for cand in (pred.speaker, pred.description):
        if not cand:
            continue
        c = set(tokens(cand))
        if c and g and (c <= g or g <= c):
            return True
    return False


def _overlap(pred: str, gold: str) -> float:
    gt, pt = Counter(tokens(gold)), Counter(tokens(pred))
    total = sum(gt.values())
    return sum((gt & pt).values()) / total if total else 0.0


def _contains(pred: str, anchor: str) -> bool:
    a, p = tokens(anchor), tokens(pred)
    n = len(a)
    return n > 0 and any(p[i:i + n] == a for i in range(len(p) - n + 1))


def score_document(gold: list[GoldQuote], preds: list[Prediction], scores: Scores, doc: str,
                   span_match: Callable[[Prediction, GoldQuote], bool] | None = None) -> None:
    """Greedy one-to-one matching of one document's predictions to its gold quotes."""
    scores.gold += len(gold)
    scores.predicted += len(preds)
    used: set[int] = set()
    for g in gold:
        kind = "direct" if g.direct else "indirect"
        if g.direct is not None:
            scores.by_kind[kind][1] += 1
        best, best_score = None, 0.0
        for i, p in enumerate(preds):
            if i in used or not _same_place(p, g):
                continue
            s = (1.0 if _contains(p.text, g.anchor) else 0.0) if g.anchor else _overlap(p.text, g.quote or "")
            if s > best_score:
                best, best_score = i, s
        if best is None or best_score < 0.5:
            scores.errors.append({"doc": doc, "missed": (g.anchor or g.quote or "")[:80], "speaker": g.speaker})
            continue
        used.add(best)
        scores.matched += 1
        if g.direct is not None:
            scores.by_kind[kind][0] += 1
        p = preds[best]
        ok = speaker_agrees(p, g.speaker) or (span_match is not None and span_match(p, g))
        if ok:
            scores.speaker_correct += 1
        else:
            scores.errors.append({"doc": doc, "quote": p.text[:80], "gold_speaker": g.speaker,
                                  "speaker": p.speaker or p.description})
    scores.extra.extend({"doc": doc, "quote": p.text[:80], "speaker": p.speaker or p.description}
                        for i, p in enumerate(preds) if i not in used)


def _same_place(p: Prediction, g: GoldQuote) -> bool:
    """With offsets on both sides, a prediction can only match a gold quote it overlaps in the text:
    token overlap alone would pair a short gold quote ("Clinton") with any prediction naming it."""
    if g.span is None or p.spans is None:
        return True
    return any(s < g.span[1] and g.span[0] < e for s, e in p.spans)


def _pred(q: Quote) -> Prediction:
    return Prediction(q.text, q.speaker, q.speaker_description)


# --- gold files over the real pipeline ---------------------------------------------------------


def find_ref(ref: str, roots: Iterable[Path]) -> Path | None:
    for root in roots:
        cand = root / ref
        if cand.is_file():
            return cand
        if root.is_dir():
            hits = sorted(p for p in root.rglob(Path(ref).name) if str(p).endswith(ref))
            if hits:
                return hits[0]
    return None


def evaluate_gold(gold: list[GoldQuote], store, *, roots: Iterable[Path] = (), config=None,
                  build: bool = True, progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Score `store`'s quotes against `gold`; with `build`, first ingest and analyse the articles the
    gold refers to (files found under `roots`, or inline texts) into `store`."""
    import tempfile

    from storyline.config import Config

    config = config or Config({})
    missing: list[str] = []
    if build:
        from storyline.ingest import ingest
        from storyline.pipeline import run_pipeline

        inputs: list[str] = []
        tmp = Path(tempfile.mkdtemp(prefix="storyline-quotes-eval-"))
        roots = list(roots)
        for g in gold:
            if g.key_kind == "ref":
                p = find_ref(g.article.split("#", 1)[0], roots)  # "feed.rss#3": an item of a file
                if p is None:
                    missing.append(g.article)
                elif str(p) not in inputs:
                    inputs.append(str(p))
            elif g.key_kind == "text":
                p = tmp / f"inline-{len(inputs):04d}.txt"
                if not any(Path(i).read_text(encoding="utf-8") == g.article for i in inputs if i.startswith(str(tmp))):
                    p.write_text(g.article, encoding="utf-8")
                    inputs.append(str(p))
        report = ingest(store, inputs, config=config)
        if report.new:
            run_pipeline(store, report.new, config, steps=["entities", "quotes"], progress=progress)
    # map gold keys to article ids
    articles = list(store.iter_articles(include_duplicates=True))
    scores = Scores()
    groups: dict[str, list[GoldQuote]] = {}
    for g in gold:
        groups.setdefault(f"{g.key_kind}\x00{g.article}", []).append(g)
    for key, gs in groups.items():
        kind, value = key.split("\x00", 1)
        art = _match_article(articles, kind, value)
        if art is None:
            if value not in missing:
                missing.append(value[:60])
            scores.gold += len(gs)
            continue
        preds = [_pred(q) for q in store.list_quotes(article_id=art.id)]
        score_document(gs, preds, scores, Path(art.source).name)
    out = scores.as_dict()
    out["missing_articles"] = sorted(set(missing))
    return out


def _match_article(articles: list[Article], kind: str, value: str) -> Article | None:
    for a in articles:
        if kind == "article_id" and a.id == value:
            return a
        if kind == "ref" and (a.source.endswith(value) or a.source.endswith("/" + value)):
            return a
        if kind == "text" and " ".join(a.text.split())[:200] == " ".join(value.split())[:200]:
            return a
    if kind == "text":
        folded = tokens(value)[:30]
        for a in articles:
            if tokens(a.text)[:30] == folded:
                return a
    return None


# --- PolNeAR -----------------------------------------------------------------------------------


def brat_spans(field_: str) -> list[tuple[int, int]]:
    """Offsets of a brat span field: "12 30" or a discontinuous "12 30;35 40"."""
    out = []
    for part in field_.split(";"):
        s, e = part.split()
        out.append((int(s), int(e)))
    return out


def brat_attributions(ann: Path) -> list[dict[str, list[tuple[int, int]]]]:
    """The attributions of one brat `.ann` file: per `E` line, role (Source, Cue, Content) -> spans.

    Shared by this eval and the quote trainer (`storyline.analyze.quotes.train`)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    out: list[dict[str, list[tuple[int, int]]]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            _label, _, rest = cols[1].partition(" ")
            try:
                spans[cols[0]] = brat_spans(rest)
            except ValueError as exc:
                raise GoldError(f"{ann}: bad span line {line[:60]!r}") from exc
        elif line.startswith("E") and len(cols) >= 2:
            roles = dict(r.split(":", 1) for r in cols[1].split() if ":" in r)
            out.append({role: spans[t] for role, t in roles.items() if t in spans})
    return out


def read_polnear(directory: Path) -> list[tuple[str, str, list[GoldQuote]]]:
    """(name, text, gold quotes) for every document of a PolNeAR folder."""
    text_dir, ann_dir = directory / "text", directory / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise GoldError(f"{directory}: expected text/ and attributions/ folders (PolNeAR layout)")
    anns = {p.stem: p for p in ann_dir.glob("*.ann")}
    docs = []
    for tpath in sorted(text_dir.glob("*.txt")):
        ann = anns.get(tpath.stem) or next((p for s, p in anns.items() if s.startswith(tpath.stem + "_")), None)
        if ann is None:
            continue
        text = tpath.read_text(encoding="utf-8")
        quoted = quoted_regions(text)
        gold: list[GoldQuote] = []
        for roles in brat_attributions(ann):
            content = roles.get("Content")
            if content is None:
                continue
            qtext = " ".join(text[s:e] for s, e in content)
            src = roles.get("Source")
            speaker = " ".join(text[s:e] for s, e in src) if src else None
            sspan = (src[0][0], src[-1][1]) if src else None
            direct = quoted_share(content, quoted) >= 0.5
            gold.append(GoldQuote(tpath.name, "polnear", qtext, None, speaker, direct, sspan,
                                  (content[0][0], content[-1][1])))
        docs.append((tpath.name, text, gold))
    if not docs:
        raise GoldError(f"{directory}: no documents with attributions found")
    return docs


def raw_article(name: str, text: str, lang: str = "en") -> Article:
    """An Article over the file's exact text (offsets stay those of the gold annotations)."""
    paragraphs, pos = [], 0
    for part in text.split("\n\n"):
        if part.strip():
            lead = len(part) - len(part.lstrip())
            paragraphs.append(Paragraph(text=part.strip(), lang=lang, start=pos + lead))
        pos += len(part) + 2
    return Article(id="a-" + name, source=name, text=text, paragraphs=paragraphs, lang=lang)


def evaluate_polnear(directory: Path, progress: Callable[[str, int, int], None] | None = None,
                     settings=None) -> dict[str, Any]:
    """Extraction over PolNeAR texts with no entity mentions (the offline name heuristic)."""
    from storyline.analyze.quotes.extract import find_quotes
    from storyline.analyze.sentences import split_sentences

    docs = read_polnear(directory)
    scores = Scores()

    def span_match(p: Prediction, g: GoldQuote) -> bool:
        return bool(p.speaker_span and g.speaker_span and p.speaker_span[0] < g.speaker_span[1]
                    and g.speaker_span[0] < p.speaker_span[1])

    for i, (name, text, gold) in enumerate(docs, start=1):
        art = raw_article(name, text)
        found = find_quotes(art, split_sentences(art), [], settings=settings)
        preds = []
        for r in found:  # scored as stored: a quotation in parts is its parts
            parts = r.found.parts or [(r.found.start, r.found.end)]
            preds.append(Prediction(" ".join(text[s:e] for s, e in parts), r.speaker, r.description,
                                    r.speaker_span, parts))
        score_document(gold, preds, scores, name, span_match)
        if progress:
            progress("polnear", i, len(docs))
    out = scores.as_dict()
    out["documents"] = len(docs)
    return out
