"""The span cache keys a pipeline by its weights, not only by its meta: two pipelines that carry the same
name and version (a retrained or custom pipeline keeps the meta it was trained with) never share spans."""

from __future__ import annotations

import spacy
from spacy.training import Example

from storyline.analyze import spacy_cache


def _pipeline(seed_label: str, label: str, nudge: float = 0.0):
    """A tiny pipeline with weights (an untrained ner) whose spans come from a ruler after it."""
    nlp = spacy.blank("en")
    nlp.meta["name"], nlp.meta["version"] = "pipeline", "0.0.0"
    nlp.add_pipe("ner").add_label(label)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    doc = nlp.make_doc(f"Talks in {seed_label}.")
    nlp.initialize(lambda: [Example.from_dict(doc, {"entities": [(9, 9 + len(seed_label), label)]})])
    ruler.add_patterns([{"label": label, "pattern": seed_label}])
    if nudge:
        model = nlp.get_pipe("ner").model
        for node in model.walk():
            for name in (n for n in node.param_names if node.has_param(n)):
                node.set_param(name, node.get_param(name) + nudge)
    return nlp


def test_same_meta_different_weights_do_not_share_spans() -> None:
    spacy_cache.clear()
    a, b = _pipeline("Oslo", "LOC"), _pipeline("Oslo", "ORG", nudge=0.01)
    assert a.meta["name"] == b.meta["name"] and a.meta["version"] == b.meta["version"]
    assert spacy_cache.pipeline_key(a) != spacy_cache.pipeline_key(b)
    text = "Talks resumed in Oslo on Monday."
    (sa,) = spacy_cache.spans_for(a, [text], batch_size=8)
    (sb,) = spacy_cache.spans_for(b, [text], batch_size=8)
    assert ("LOC" in {lab for *_, lab in sa}) and ("ORG" in {lab for *_, lab in sb})


def test_key_is_stable_for_one_pipeline() -> None:
    nlp = _pipeline("Oslo", "LOC")
    assert spacy_cache.pipeline_key(nlp) == spacy_cache.pipeline_key(nlp)
