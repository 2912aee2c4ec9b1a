"""The transformers backend's wiring, exercised with a tiny randomly initialised model built here
(no download): config → backend registry → pipeline → Mentions with offsets into the text."""

from __future__ import annotations

import pytest

from storyline.analyze.entities.settings import EntitySettings
from storyline.model import article_from_text


@pytest.mark.slow
def test_tiny_random_model_through_backend(tmp_path):
    pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "karin", "holmqvist", "besøkte", "oslo", "."]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                                                cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
                                                do_lower_case=True)
    labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    cfg = transformers.BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=1,
                                  num_attention_heads=2, intermediate_size=32, num_labels=len(labels),
                                  id2label=dict(enumerate(labels)), label2id={v: k for k, v in enumerate(labels)})
    model = transformers.BertForTokenClassification(cfg)
    model.save_pretrained(tmp_path)
    fast.save_pretrained(tmp_path)

    from storyline.backends import load_backend

    rec = load_backend("entities", "transformers")(EntitySettings(backend="transformers", model=str(tmp_path)))
    art = article_from_text("Karin Holmqvist besøkte Oslo.", id="a-tf1", lang="nb")
    mentions = rec.recognize([art])[art.id]
    for m in mentions:  # random weights: whatever it tags must be consistent with the text
        assert art.text[m.start:m.end] == m.text and m.type in {"PER", "LOC"} and m.source == "transformers"
