"""The story level: evolving profiles, the learned decision, consolidation, titles, the fast eval.

Synthetic features (our own vectors, names and days), so each mechanism is tested alone and fast.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from storyline.eval.clustering import bcubed, contamination
from storyline.link.cluster import Clusterer
from storyline.link.features import ArticleFeatures
from storyline.link.settings import ClusterSettings
from storyline.link.similarity import DocFreq, prepare
from storyline.link.storymodel import FEATURES, StoryProfile, fit_logistic, load_model, story_features

DIM = 48


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _stream(rng: np.random.Generator, n: int = 120, stories: int = 3, overlap: float = 0.4, bridges: float = 0.0):
    """Interleaved confusable stories: centres sharing a common component, shared and own entities;
    a `bridges` share of articles also reads like another story (a Libya piece comparing with Syria)."""
    common = rng.standard_normal(DIM)
    centres = [_unit(overlap * _unit(common) + (1 - overlap) * _unit(rng.standard_normal(DIM)))
               for _ in range(stories)]
    feats, gold = [], []
    for i in range(n):
        k = int(rng.integers(0, stories))
        vec = _unit(centres[k] + 0.35 * _unit(rng.standard_normal(DIM)))
        ents = {f"n-shared-{j}" for j in range(2)} | {f"n-s{k}-{j}" for j in rng.choice(6, 3, replace=False)}
        if rng.random() < bridges:
            other = (k + 1) % stories
            vec = _unit(vec + 0.8 * centres[other])
            ents |= {f"n-s{other}-{j}" for j in rng.choice(6, 2, replace=False)}
        terms = {f"t{k}-{j}": 1.0 for j in rng.choice(30, 8, replace=False)} | {"rebel": 1.0, "talks": 1.0}
        feats.append(ArticleFeatures(article_id=f"a{i}", lang="en", day=737000 + i // 2, terms=terms,
                                     entities=frozenset(ents), vec=vec))
        gold.append(f"g{k}")
    return feats, gold


def _clusters(c: Clusterer, feats) -> list[str]:
    return [c.events[c.article_event[f.article_id]].story_id for f in feats]


def test_logistic_fit_recovers_the_deciding_direction():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((400, 3))
    y = (x[:, 0] - x[:, 1] > 0).astype(float)
    coef, b = fit_logistic(x, y, l2=0.1)
    assert coef[0] > 1 and coef[1] < -1 and abs(coef[2]) < 0.5 * coef[0]
    pred = (x @ coef + b) > 0
    assert (pred == y.astype(bool)).mean() > 0.97


def test_story_profile_keeps_a_centroid_per_language_and_absorbs():
    df = DocFreq()
    a = ArticleFeatures("a", "en", 10, terms={"oil": 1.0}, entities=frozenset({"n-bp"}), vec=_unit(np.eye(DIM)[0]))
    b = ArticleFeatures("b", "nb", 40, terms={"olje": 1.0}, entities=frozenset({"n-bp"}), vec=_unit(np.eye(DIM)[1]))
    prof = StoryProfile()
    for f in (a, b):
        df.add_features(f)
        prof.add(prepare(f, df))
    assert prof.n == 2 and prof.keys["n-bp"] == 2 and (prof.first_day, prof.last_day) == (10, 40)
    assert float(np.dot(prof.centroid("nb"), np.eye(DIM)[1])) == pytest.approx(1.0)  # its own language
    assert float(np.dot(prof.centroid("de"), np.eye(DIM)[0])) == pytest.approx(2 ** -0.5, abs=1e-5)  # all
    other = StoryProfile()
    other.add(prepare(ArticleFeatures("c", "en", 90, entities=frozenset({"n-x"}), vec=_unit(np.eye(DIM)[0])), df))
    prof.absorb(other)
    assert prof.n == 3 and prof.last_day == 90 and prof.keys["n-x"] == 1
    x = story_features(prepare(a, df), prof, 0.5)
    assert len(x) == len(FEATURES) and x[FEATURES.index("key_share")] > 0.5


def test_shipped_model_is_readable_and_a_stale_one_is_refused(tmp_path):
    model = load_model()
    assert set(model.weights) == set(FEATURES) and 0 < model.threshold < 1
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"features": ["dense"], "weights": {}, "bias": 0}), encoding="utf-8")
    with pytest.raises(RuntimeError, match="train stories"):
        load_model(bad)


def _run(decision: str, feats) -> list[str]:
    c = Clusterer(ClusterSettings(event_threshold=0.99, story_decision=decision))  # the story level decides
    for f in feats:
        c.assign(f)
    c.consolidate(set(c.stories))
    return _clusters(c, feats)


def test_learned_decision_keeps_bridged_confusable_stories_apart_and_whole():
    feats, gold = _stream(np.random.default_rng(3), overlap=0.3, bridges=0.25)
    pred = _run("learned", feats)
    score = bcubed(gold, pred)
    assert score["precision"] >= 0.9 and score["recall"] >= 0.9, score
    assert contamination(gold, pred) <= 0.1
    chained = bcubed(gold, _run("threshold", feats))  # the member-similarity rule chains through bridges
    assert chained["precision"] < 0.6


def _restore(c: Clusterer, groups: list[tuple[str, list[ArticleFeatures]]]) -> None:
    """Stories of the given articles, events of three consecutive articles of one group each."""
    c.restore_many([(f, f"e-{sid}-{n}-{i // 3}", sid) for n, (sid, fs) in enumerate(groups)
                    for i, f in enumerate(fs)])


def test_consolidation_merges_a_fragment_into_the_larger_story_with_evidence():
    feats, gold = _stream(np.random.default_rng(5), n=60, stories=1)
    c = Clusterer(ClusterSettings(consolidate_every=0))
    _restore(c, [("s-big", feats[:50]), ("s-frag", feats[50:])])
    done = c.consolidate({"s-frag"})
    assert [(x.action, x.kept, x.other) for x in done] == [("merged", "s-big", "s-frag")]
    assert done[0].probability >= c.model.merge_threshold and done[0].evidence["shared_keys"]
    assert set(c.stories) == {"s-big"} and c.stories["s-big"].articles == 60


def test_consolidation_splits_a_story_that_joined_two_threads():
    feats, gold = _stream(np.random.default_rng(7), n=80, stories=2, overlap=0.1)
    a = [f for f, g in zip(feats, gold, strict=True) if g == "g0"]
    b = [f for f, g in zip(feats, gold, strict=True) if g == "g1"]
    c = Clusterer(ClusterSettings(consolidate_every=0))
    big, small = (a, b) if len(a) >= len(b) else (b, a)
    _restore(c, [("s-both", big), ("s-both", small)])
    done = c.consolidate({"s-both"})
    assert [x.action for x in done] == ["split"] and done[0].kept == "s-both"
    left = {c.events[c.article_event[f.article_id]].story_id for f in big}
    right = {c.events[c.article_event[f.article_id]].story_id for f in small}
    assert left == {"s-both"} and len(right) == 1 and right != left


def test_story_title_names_entities_and_topic_never_a_sentence():
    from storyline.link.labels import story_title

    assert story_title(["Maduro", "Guaidó", "Venezuela", "Lima"], ["election", "sanctions"], "x") == \
        "Maduro · Guaidó · Venezuela: election, sanctions"
    assert story_title([], ["wildfire", "evacuation"], "x") == "Wildfire, evacuation"
    assert story_title([], [], "The central headline") == "The central headline"


def test_fast_eval_scores_both_levels_from_cached_vectors(tmp_path, monkeypatch):
    from storyline.analyze import embeddings, vectors
    from storyline.config import Config
    from storyline.eval import vectorcache as embedcache
    from storyline.eval.clustering import evaluate_fast
    from tests.test_link_units import FLOOD, QUAKE, FakeEmbedder

    vectors.clear()  # the process-wide vector cache: an earlier test may have embedded these texts
    fake = FakeEmbedder()
    monkeypatch.setattr(embeddings, "get_embedder", lambda config=None: fake)
    monkeypatch.setattr(embedcache, "cache_path", lambda: tmp_path / "cache" / "eval-vectors.db")
    rows = [{"id": f"f{i}", "text": FLOOD, "lang": "en", "published": f"2024-05-0{i}", "cluster": "flood"}
            for i in range(1, 4)]
    rows += [{"id": f"q{i}", "text": QUAKE, "lang": "en", "published": f"2024-05-0{i}", "cluster": "quake"}
             for i in range(1, 3)]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    res = evaluate_fast(gold, Config({}), entities=False)
    assert res["story"]["bcubed"]["f1"] == pytest.approx(1.0) and res["event"]["gold_clusters"] == 2
    assert fake.calls == 2  # two distinct leads, embedded once
    evaluate_fast(gold, Config({}), entities=False, clusters=["quake"])
    assert fake.calls == 2  # the second run is served by the on-disk cache
    from storyline.eval.clustering import EvalInputError

    with pytest.raises(EvalInputError, match="no gold cluster named nope"):
        evaluate_fast(gold, Config({}), entities=False, clusters=["nope"])
    from typer.testing import CliRunner

    from storyline.cli import app

    res = CliRunner().invoke(app, ["eval", "clustering", "--gold", str(gold), "--fast", "--without-entities"],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Clustering at event level" in res.stdout and "Clustering at story level" in res.stdout
    res = CliRunner().invoke(app, ["eval", "clustering", "--gold", str(gold), "--fast", "--clusters", "nope"])
    assert res.exit_code == 2


def test_contamination_is_the_largest_foreign_share():
    gold = ["a"] * 4 + ["b"] * 4
    assert contamination(gold, ["x"] * 4 + ["y"] * 4) == 0.0
    assert contamination(gold, ["x"] * 4 + ["x", "y", "y", "y"]) == pytest.approx(0.25)


def test_train_commands_write_models_that_load(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from storyline.analyze import embeddings
    from storyline.cli import app
    from storyline.eval import vectorcache as embedcache
    from storyline.link import pairmodel
    from tests.test_link_units import FLOOD, QUAKE, FakeEmbedder

    fake = FakeEmbedder()
    monkeypatch.setattr(embeddings, "get_embedder", lambda config=None: fake)
    monkeypatch.setattr(embedcache, "cache_path", lambda: tmp_path / "cache" / "eval-vectors.db")
    rows = [{"id": f"{k}{i}", "text": text + f" Day {i}.", "lang": "en", "published": f"2024-05-{i + 1:02d}",
             "cluster": k} for i in range(6) for k, text in (("flood", FLOOD), ("quake", QUAKE))]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "story.json"
    runner = CliRunner()
    res = runner.invoke(app, ["train", "stories", "--stream", str(gold), "--without-entities", "--out", str(out)])
    assert res.exit_code == 0, res.output
    model = load_model(out)
    assert model.meta["sources"]["gold.jsonl"]["positive"] > 0 and "logloss_increase_without" in model.meta
    csv_path = tmp_path / "pairs.csv"
    lines = ["pair_id,lang1,lang2,text1,text2,Overall"]
    for i in range(8):
        same = i % 2 == 0
        lines.append(f'p{i},en,en,"{FLOOD} {i}","{FLOOD if same else QUAKE} {i}",{1.0 if same else 4.0}')
    csv_path.write_text("\n".join(lines), encoding="utf-8")
    sim = tmp_path / "sim.json"
    res = runner.invoke(app, ["train", "similarity", "--pairs", str(csv_path), "--out", str(sim), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["meta"]["pearson_in_sample"] > 0.9
    assert pairmodel.load_weights(sim)[0].shape == (len(pairmodel.FEATURES),)
    res = runner.invoke(app, ["train", "stories"])
    assert res.exit_code == 2 and "--stream" in res.output


def test_cached_stream_entities_are_keyed_by_the_recogniser(tmp_path):
    """Entity ids cached for the fast eval/training are never reused across backends or NER models."""
    from storyline.config import Config
    from storyline.eval.clustering import entity_cache_path

    gold = tmp_path / "s.jsonl"
    gold.write_text('{"id": "a", "text": "x", "cluster": "1"}\n', encoding="utf-8")
    rows = ["a"]
    trained = entity_cache_path(gold, rows, Config({}))
    assert entity_cache_path(gold, ["b"], Config({})) != trained
    assert entity_cache_path(gold, rows, Config({})) == trained
    assert entity_cache_path(gold, rows, Config({"entities": {"backend": "rules"}})) != trained
    assert entity_cache_path(gold, rows, Config({"entities": {"model": str(tmp_path)}})) != trained
