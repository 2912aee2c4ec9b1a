"""Optional recogniser: any Hugging Face token-classification model named in `[entities] model`.

Imported only when `[entities] backend = "transformers"`; torch and transformers come from the
`transformers` extra. The model must already be on disk (a path, or a name in the local HF cache):
nothing is downloaded at run time. Labels are mapped onto PER/ORG/LOC (B-/I- prefixes, GPE_LOC→LOC,
GPE_ORG→ORG); other labels are dropped. Genitives are normalised with the same rule as offline.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.analyze.entities.settings import EntitySettings
from storyline.analyze.sentences import split_sentences
from storyline.backends import BackendError
from storyline.model import Article, Mention

LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "GPE_LOC": "LOC",
          "GPE_ORG": "ORG"}


class TransformersRecognizer:
    name = "transformers"

    def __init__(self, settings: EntitySettings | None = None) -> None:
        self.settings = settings or EntitySettings()
        if not self.settings.model:
            raise BackendError("set [entities] model to a local token-classification model path")
        try:
            from transformers import pipeline
        except ImportError as exc:
            raise BackendError("install the extra: pip install 'storyline[transformers]'") from exc
        try:
            self.pipe = pipeline("token-classification", model=self.settings.model,
                                 aggregation_strategy="simple", device=self.settings.device)
        except OSError as exc:
            raise BackendError(f"cannot load model {self.settings.model!r} from disk: {exc}") from exc

    def recognize(self, articles: Sequence[Article], evidence=None) -> dict[str, list[Mention]]:
        return {a.id: self.recognize_article(a, evidence) for a in articles}

    def recognize_article(self, article: Article, evidence=None) -> list[Mention]:
        sents = split_sentences(article)
        out: list[Mention] = []
        if not sents:
            return out
        results = self.pipe([s.text for s in sents], batch_size=self.settings.batch_size)
        for s, ents in zip(sents, results, strict=True):
            for e in ents:
                label = str(e.get("entity_group", "")).upper().split("-")[-1]
                etype = LABELS.get(label)
                if etype is None or e.get("start") is None:
                    continue
                start, end = s.start + int(e["start"]), s.start + int(e["end"])
                text = article.text[start:end].strip()
                if not text:
                    continue
                out.append(Mention(article_id=article.id, start=start, end=start + len(text), text=text, type=etype,
                                   sentence_index=s.index, normalized=text, score=float(e.get("score", 1.0)),
                                   source=self.name))
        return out
