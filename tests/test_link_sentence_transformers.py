"""The sentence-transformers embedding backend, wired end to end without any download: a tiny randomly
initialised BERT saved to a temp dir is loaded by path and used by the cluster step."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.config import Config
from storyline.model import article_from_text

pytestmark = pytest.mark.slow

pytest.importorskip("torch")
pytest.importorskip("sentence_transformers")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    path = tmp_path_factory.mktemp("tiny-st")
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "flood", "river", "rain", "quake", "town", "rubble",
             "the", "a", "in", "of", "and", "rescue", "water", "."]
    (path / "vocab.txt").write_text("\n".join(words), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(path / "vocab.txt"), do_lower_case=True)
    cfg = BertConfig(vocab_size=len(words), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128)
    import torch

    torch.manual_seed(0)
    BertModel(cfg).save_pretrained(path / "bert")
    tok.save_pretrained(path / "bert")
    word = models.Transformer(str(path / "bert"), max_seq_length=64)
    st = SentenceTransformer(modules=[word, models.Pooling(word.get_word_embedding_dimension(), "mean")])
    st.save(str(path / "st"))
    return path / "st"


def test_backend_loads_by_path_and_returns_normalised_vectors(tiny_model):
    from storyline.analyze.embeddings import EmbeddingSettings, SentenceTransformersEmbedder

    emb = SentenceTransformersEmbedder(EmbeddingSettings(backend="sentence-transformers", model=str(tiny_model)))
    v = emb.embed_passages(["the flood in the river", "quake in the town", "the flood in the river"])
    assert v.shape == (3, 32) and emb.dim == 32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.allclose(v[0], v[2]) and not np.allclose(v[0], v[1])
    assert emb.name.startswith("sentence-transformers/")


def test_cluster_step_runs_on_the_configured_backend(tiny_model, tmp_path):
    from storyline.analyze import embeddings
    from storyline.link import step
    from storyline.store import Store

    cfg = Config({"embeddings": {"backend": "sentence-transformers", "model": str(tiny_model)}})
    store = Store(tmp_path / "st.db")
    arts = [article_from_text("The flood in the river. Rain and water.", id="a-1", lang="en",
                              published="2024-05-01"),
            article_from_text("Quake in the town. Rescue in the rubble.", id="a-2", lang="en",
                              published="2024-05-01")]
    store.add_articles(arts)
    report = step.run(store, ["a-1", "a-2"], cfg)
    assert report["articles"] == 2
    name = embeddings.get_embedder(cfg).name
    cached = store.get_embeddings(["a-1", "a-2"], name)
    assert set(cached) == {"a-1", "a-2"} and cached["a-1"][1].shape == (32,)


def test_missing_model_setting_is_a_clear_error():
    from storyline.analyze.embeddings import EmbeddingSettings, SentenceTransformersEmbedder
    from storyline.backends import BackendError

    with pytest.raises(BackendError, match="needs \\[embeddings\\] model"):
        SentenceTransformersEmbedder(EmbeddingSettings(backend="sentence-transformers"))
