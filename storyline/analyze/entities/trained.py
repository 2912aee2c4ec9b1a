"""The default recogniser: spaCy NER pipelines we train ourselves and ship in `storyline/models/ner-<lang>/`.

One small CPU pipeline per language (hash embeddings + CNN + transition-based NER, see `ner.cfg`), trained
on public annotated corpora with `storyline train ner`. A language without its own pipeline falls back
to `FALLBACK` (chosen by measuring on the German dev file: the rules recogniser). `[entities] model = DIR`
points every language at a newsroom's own pipeline instead.

Corpus types map onto the store's: PER, ORG, LOC kept; MISC (events, products, demonyms) is dropped,
because the store and every consumer (entity pages, labels, speaker resolution) know people, organisations
and places only. A post-pass keeps what the rules recogniser does well and spaCy cannot know:
- `roles`: the role phrase before a name ("utenriksminister Ine Eriksen Søreide") is attached to the
  mention, as the rules recogniser does (resolution and speaker evidence use it);
- `split`: a country name that opens a person's name is a place of its own ("Venezuela Juan Guaidó"), and a
  lone country name the model typed as a person is a place ("Frankrikes regjering");
- `territories` (off by default: it lowered dev F1): a country or territory name is a place, also
  where the model missed it;
- `evidence`: a capitalised word the model tagged elsewhere in the same batch is tagged alike where the
  model missed it (one spelling, one decision per batch).
Genitives map to their base form ("Maduros" → "Maduro") with the rules recogniser's own rule.
Each pass is a setting (`[entities] post_rules`); the note gives what each adds in F1 on dev.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from storyline.analyze.entities.normalize import fold
from storyline.analyze.entities.settings import EntitySettings
from storyline.analyze.sentences import split_sentences
from storyline.analyze.spacy_cache import spans_for
from storyline.backends import BackendError
from storyline.model import Article, Mention

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
#: languages with a shipped pipeline; "no" (undetermined Norwegian) reads as Bokmål
SHIPPED = ("nb", "nn", "da", "en", "es", "sv")
ALIASES = {"no": "nb", "nob": "nb", "nno": "nn"}
#: what every other language gets: a shipped pipeline's name, or "rules" for the rules recogniser. On
#: the German dev file the rules score 0.38 F1, a mixed-language pipeline trained on all six corpora
#: 0.22 and the English one 0.21 (German capitalises every noun), so the rules it is.
FALLBACK = "rules"
LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
POST_RULES = ("roles", "split", "territories", "evidence")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


@lru_cache(maxsize=16)
def load_pipeline(path: str) -> Any:
    """Load a spaCy pipeline once per process (the weights are read-only and shared)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a runtime dependency
        raise BackendError("the trained entities backend needs spaCy: pip install spacy") from exc
    p = Path(path)
    if not (p / "config.cfg").is_file():
        raise BackendError(f"{p}: not a spaCy pipeline folder (no config.cfg); train one with "
                           "`storyline train ner` or set [entities] backend = \"rules\"")
    try:
        nlp = spacy.load(p)
    except (OSError, ValueError) as exc:
        raise BackendError(f"cannot load the NER pipeline in {p}: {exc}") from exc
    if "ner" not in nlp.pipe_names:
        raise BackendError(f"{p}: the pipeline has no 'ner' component")
    return nlp


def model_path(lang: str | None) -> Path | None:
    """The shipped pipeline for `lang`, the fallback's, or None (use the rules)."""
    code = ALIASES.get(lang or "", lang or "")
    name = code if code in SHIPPED else FALLBACK
    if name == "rules":
        return None
    path = MODELS_DIR / f"ner-{name}"
    return path if path.is_dir() else None


class TrainedRecognizer:
    """Recognise mentions with the shipped (or configured) spaCy NER pipelines, then the post-pass."""

    name = "trained"

    def __init__(self, settings: EntitySettings | None = None) -> None:
        from storyline.analyze.entities.offline import OfflineRecognizer

        self.settings = settings or EntitySettings()
        self.rules = OfflineRecognizer(self.settings)
        self.post = _post_rules(self.settings.post_rules)
        self.custom = Path(self.settings.model).expanduser() if self.settings.model else None
        if self.custom is not None:
            load_pipeline(str(self.custom))  # fail now, with the reason, not on the first article

    def _pipeline(self, lang: str | None) -> Any | None:
        path = self.custom or model_path(lang)
        return None if path is None else load_pipeline(str(path))

    # -- public ---------------------------------------------------------------------------------
    def recognize(self, articles: Sequence[Article], evidence=None) -> dict[str, list[Mention]]:
        """Mentions per article id; texts go through spaCy in batches, one batch per pipeline."""
        from storyline.analyze.entities.offline import CorpusEvidence

        if evidence is None:
            evidence = CorpusEvidence()
            evidence.add_articles(articles, case_only=not self.needs_rule_evidence(articles))
        out: dict[str, list[Mention]] = {}
        raw = self.spacy_pass(articles, rules_only=out)
        rules_only = [a for a in articles if a.id in out]
        for art in rules_only:  # a language with no pipeline: the rules recogniser, as configured
            out[art.id] = self.rules.recognize_article(art, evidence)
        found = {a.id: raw[a.id] for a in articles if a.id not in out}
        if "evidence" in self.post:
            _spread(articles, found, evidence)
        for art in articles:
            if art.id not in out:
                out[art.id] = self._mentions(art, found[art.id], evidence)
        return out

    def needs_rule_evidence(self, articles: Sequence[Article]) -> bool:
        """Whether some text goes to the rules recogniser (a language with no pipeline), which reads the
        full corpus evidence; the model and its post-pass read only the case counts."""
        if self.custom is not None:
            return False
        langs = {p.lang or a.lang for a in articles for p in a.paragraphs} | {a.lang for a in articles}
        return any(model_path(lang) is None for lang in langs)

    def spacy_pass(self, articles: Sequence[Article], rules_only: dict[str, list[Mention]] | None = None
                   ) -> dict[str, list[tuple[int, int, str]]]:
        """The spaCy part alone: raw (start, end, label) spans per article id, batched per pipeline.

        Paragraph results go through the span cache (`spans_for`), so spans a Ray worker computed
        (`storyline.engine`) are not computed again here. Articles whose language has no pipeline
        get an empty entry in `rules_only`."""
        raw: dict[str, list[tuple[int, int, str]]] = {a.id: [] for a in articles}
        jobs: dict[int, tuple[Any, list[tuple[str, int, str]]]] = {}
        pipes: dict[str | None, Any] = {}  # one path lookup per language, not one per paragraph
        for art in articles:
            units = [(p.text, p.start, p.lang or art.lang) for p in art.paragraphs] or [(art.text, 0, art.lang)]
            for text, start, lang in units:
                if lang not in pipes:
                    pipes[lang] = self._pipeline(lang)
                nlp = pipes[lang]
                if nlp is None:
                    if rules_only is not None:
                        rules_only.setdefault(art.id, [])
                    continue
                jobs.setdefault(id(nlp), (nlp, []))[1].append((art.id, start, text))
        for nlp, items in jobs.values():
            found = spans_for(nlp, [t for _, _, t in items], self.settings.batch_size * 8)
            for (aid, start, _), spans in zip(items, found, strict=True):
                if spans:  # most paragraphs hold no name
                    raw[aid].extend([(start + a, start + b, label) for a, b, label in spans])
        return raw

    def recognize_article(self, article: Article, evidence=None) -> list[Mention]:
        return self.recognize([article], evidence)[article.id]

    # -- helpers --------------------------------------------------------------------------------
    def _mentions(self, art: Article, spans: list[tuple[int, int, str]], ev) -> list[Mention]:
        from storyline.analyze.entities.offline import tokenize

        sents = split_sentences(art)
        starts = [s.start for s in sents]
        rules = self.rules
        spans = sorted(set(spans))
        if "territories" in self.post or "split" in self.post:
            spans = self._territories(art, spans)
        out: list[Mention] = []
        toks_of: dict[int, list] = {}  # sentence index → its tokens, for the role cue
        for start, end, label in spans:
            etype = LABELS.get(label)
            text = art.text[start:end].strip()
            if etype is None or not text:
                continue
            end = start + len(text)
            k = max(0, bisect.bisect_right(starts, start) - 1)
            sent = sents[k] if sents else None
            lang = ALIASES.get((sent.lang if sent else None) or art.lang or "", (sent.lang if sent else None)
                                or art.lang)
            words = text.split()
            if ("evidence" in self.post and len(words) == 1 and sent is not None
                    and not art.text[sent.start:start].strip(" \t\n\"'«»“”‘’-–—(")
                    and self._common_initial(text, lang, ev)):
                continue  # "Intervjuet ble gjort …": a capitalised common word opening a sentence
            role = role_lang = None
            if "roles" in self.post and len(words) > 1 and _role_word(words[0], lang):
                # "Opposisjonsleder Juan Guaidó": the role word is the mention's role, not part of the name
                role, role_lang = words[0], lang
                cut = text.index(words[1], len(words[0]))
                start, text, words = start + cut, text[cut:], words[1:]
            normalized = " ".join([*words[:-1], rules._base(words[-1], lang, ev)]) if words else text
            if "roles" in self.post and sent is not None and role is None:
                toks = toks_of.get(k)
                if toks is None:
                    toks = toks_of[k] = tokenize(sent.text, sent.start)
                first = next((i for i, t in enumerate(toks) if t.start >= start), None)
                if first is not None and toks[first].start == start:
                    role, role_lang = rules._role(toks, first, lang)
                    if role and etype == "LOC" and rules._territory(normalized):
                        role = role_lang = None  # "president of Ukraine": the role is not the place's
            out.append(Mention(article_id=art.id, start=start, end=end, text=text, type=etype,  # type: ignore[arg-type]
                               sentence_index=sents[k].index if sents else 0, normalized=normalized,
                               role=role, role_lang=role_lang if role else None, source=self.name,
                               score=0.9 if len(words) > 1 else 0.8))
        return out

    def _common_initial(self, word: str, lang: str | None, ev) -> bool:
        """A sentence-initial word that is a function word, or a dictionary word that neither the
        gazetteer nor the corpus (the word capitalised mid-sentence) attests as a name."""
        rules = self.rules
        low = word.lower()
        if low in rules.function_words:
            return True
        return rules._known_word(word, lang) and not rules.gz.knows(word) and not ev.attested(word)

    def _territories(self, art: Article, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """`split`: a country name that opens a person's name is a place of its own ("Venezuela Juan
        Guaidó") and a lone country name is never a person; `territories`: country and territory names are places (retyped, or added where missed)."""
        from storyline.analyze.entities.offline import _person_names

        rules = self.rules
        out = []
        for a, b, label in spans:
            text = art.text[a:b]
            if "territories" in self.post and label != "LOC" and rules._territory(text):
                label = "LOC"
            if ("split" in self.post and label == "PER" and " " not in text
                    and (rules._territory(text) or (text[-1:] == "s" and rules._territory(text[:-1])))):
                label = "LOC"  # a lone country name is no person ("Frankrikes regjering" read as PER)
            head, sep, rest = text.partition(" ")
            given = fold(rest.split(" ")[0]) in _person_names() if sep else False
            # only before a given name: "Jordan Goudreau" is one person, "Venezuela Nicolás Maduro" is not
            if "split" in self.post and given and rest[:1].isupper() and rules._territory(head):
                out.append((a, a + len(head), "LOC"))  # "Venezuela Nicolás Maduro": a place, then the person
                a, label = a + len(head) + 1, "PER" if given else label
            out.append((a, b, label))
        if "territories" not in self.post:
            return out
        taken = _Coverage(len(art.text), out)
        for m in _WORD.finditer(art.text):
            word = m.group().rstrip(".")
            if not word[:1].isupper() or len(word) < 3 or not rules._territory(word):
                continue
            a, b = m.start(), m.start() + len(word)
            if taken.overlaps(a, b):
                continue
            out.append((a, b, "LOC"))
        return sorted(out)


def _role_word(word: str, lang: str | None) -> bool:
    from storyline.analyze.entities import cues

    low = word.lower().rstrip(".")
    return low in cues.TITLES or cues.role_head(low, lang)


def _post_rules(value: str | Sequence[str]) -> frozenset[str]:
    names = [v.strip() for v in (value.split(",") if isinstance(value, str) else value) if v.strip()]
    bad = [n for n in names if n not in POST_RULES and n != "none"]
    if bad:
        raise BackendError(f"[entities] post_rules: unknown rule(s) {', '.join(bad)}; choose from "
                           f"{', '.join(POST_RULES)} or none")
    return frozenset(n for n in names if n != "none")


class _Coverage:
    """Which characters of a text lie inside a span, so an overlap test is one C-level search of a
    byte map instead of a scan over every span for every word."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int, str]]) -> None:
        self.map = bytearray(size + 1)
        for a, b, _ in spans:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        self.map[a:b] = b"\x01" * (b - a)

    def overlaps(self, a: int, b: int) -> bool:
        return self.map.find(1, a, b) != -1


def _spread(articles: Sequence[Article], found: dict[str, list[tuple[int, int, str]]], ev) -> None:
    """Tag an untagged occurrence of a name the model tagged elsewhere in the batch, with the type it got
    most often: one-word names as tagged, the surname of a tagged person ("Holmqvist" after "Karin
    Holmqvist") and the surname of a person already in the store ("Pompeo" once "Mike Pompeo" is). At a sentence start only a word the corpus never shows in lower case counts, so a
    common word that opens a sentence is not dragged in."""
    from storyline.analyze.entities.offline import _person_names

    votes: dict[str, Counter] = {}
    for art in articles:
        for a, b, label in found.get(art.id, []):
            words = art.text[a:b].split()
            if label not in LABELS or not words:
                continue
            if len(words) == 1 or (label == "PER" and len(words[-1]) > 2):
                word = words[-1]
                if word[:1].isupper() and word.isalpha():
                    votes.setdefault(word, Counter())[label] += 1
    for art in articles:
        spans = found.get(art.id)
        if spans is None:
            continue
        taken = _Coverage(len(art.text), spans)
        for m in _WORD.finditer(art.text):
            word = m.group()
            # a stored person's surname ("Pompeo" once "Mike Pompeo" is known) counts as a vote too
            label = votes[word].most_common(1)[0][0] if word in votes else (
                "PER" if ev is not None and word[:1].isupper() and word.isalpha() and len(word) > 2
                and fold(word) in ev.stored_person_parts else None)
            if label is None:
                continue
            a, b = m.start(), m.end()
            if taken.overlaps(a, b):
                continue
            before = art.text[max(0, a - 3):a].strip()
            initial = a == 0 or before[-1:] in {".", "!", "?", ":", "«", '"', "“", "-", "–"} or (
                "\n" in art.text[max(0, a - 2):a])
            if initial and ev is not None and ev.lower.get(word.lower(), 0):
                continue
            if label == "PER":  # a given name right before the surname belongs to it ("Leopoldo López")
                prev = re.search(r"([^\W\d_]+) $", art.text[max(0, a - 40):a])
                if prev and prev.group(1)[:1].isupper() and fold(prev.group(1)) in _person_names() and (
                        not taken.overlaps(a - len(prev.group(0)), a)):
                    a -= len(prev.group(0))
            spans.append((a, b, label))
            taken.add(a, b)
        # machine-translated casing ("Bill hartley"): a person's lowercase next word that the batch
        # shows as a tagged surname belongs to the name
        for k, (a, b, label) in enumerate(spans):
            m = _WORD.match(art.text, b + 1) if label == "PER" and art.text[b:b + 1] == " " else None
            if m and m.group()[:1].islower() and votes.get(m.group().capitalize(), Counter())["PER"]:
                spans[k] = (a, m.end(), label)
        # a capitalised given name right before a person's surname belongs to it ("Leopoldo López")
        starts = {a for a, _, _ in spans}
        ends = {b for _, b, _ in spans}
        for k, (a, b, label) in enumerate(spans):
            prev = re.search(r"([^\W\d_]+) $", art.text[max(0, a - 40):a]) if label == "PER" else None
            if prev and prev.group(1)[:1].isupper() and fold(prev.group(1)) in _person_names() and (
                    a - 1 not in ends) and a - len(prev.group(0)) not in starts:
                spans[k] = (a - len(prev.group(0)), b, label)
