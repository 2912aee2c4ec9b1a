"""Done-when checks on the seeds (full pipeline via conftest's shared corpus store), and the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline.analyze.dates import period_bounds
from storyline.explain.timeline_view import story_timeline


def _story_timeline(store, article_id):
    story = store.story_of_article(article_id)
    assert story is not None, f"{article_id} is in no story"
    return story, story_timeline(store, story.id)


def _sources(entry) -> set[str]:
    return {s.article_id for s in entry.sources}


def test_guaido_declaration_is_one_entry_in_two_languages(corpus_store, seed_ids):
    _, tl = _story_timeline(corpus_store, seed_ids["001"])
    entries = [e for e in tl if e.date == "2019-01-23" and seed_ids["001"] in _sources(e)]
    assert len(entries) == 1
    e = entries[0]
    assert seed_ids["002"] in _sources(e)
    assert {"nb", "en"} <= {s.lang for s in e.sources}
    assert e.precision == "day"
    for s in e.sources:  # every source points at its sentence in the stored article
        art = corpus_store.get_article(s.article_id)
        assert art.text[s.start:s.end] == s.sentence


def test_call_and_deadline_from_004(corpus_store, seed_ids):
    _, tl = _story_timeline(corpus_store, seed_ids["004"])
    dated = {(e.date, e.precision) for e in tl if seed_ids["004"] in _sources(e)}
    assert ("2025-11-21", "day") in dated
    assert ("2025-11-28", "day") in dated
    starts = [period_bounds(e.date)[0] for e in tl]
    assert starts == sorted(starts)  # date order (a week or month sorts by its first day)


def test_election_may_2018_at_month_precision(corpus_store, seed_ids):
    _, tl = _story_timeline(corpus_store, seed_ids["003"])
    assert any(e.date == "2018-05" and e.precision == "month" and seed_ids["003"] in _sources(e) for e in tl)


def test_undated_articles_are_flagged_inferred(corpus_store, seed_ids):
    for seed in ("000", "002"):
        statements = corpus_store.dated_statements(article_id=seed_ids[seed])
        assert statements, seed
        assert all(s.inferred and s.assumed for s in statements), seed
    jan = [s for s in corpus_store.dated_statements(article_id=seed_ids["002"]) if s.date.startswith("2019-01")]
    assert len(jan) >= 3  # January 10, 21, 23, 24 placed in January 2019 through the event's window


def test_cli_timeline_json_and_errors(corpus_store, seed_ids):
    from storyline.cli import app

    story = corpus_store.story_of_article(seed_ids["004"])
    runner = CliRunner()
    res = runner.invoke(app, ["--db", str(corpus_store.path), "timeline", story.id, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data and {"date", "precision", "text", "sources", "entities", "inferred"} <= set(data[0])
    assert {"article_id", "sentence", "lang", "start", "end"} <= set(data[0]["sources"][0])
    res = runner.invoke(app, ["--db", str(corpus_store.path), "timeline", seed_ids["004"]])  # an article id
    assert res.exit_code == 0 and "2025-11-21" in res.stdout
    res = runner.invoke(app, ["--db", str(corpus_store.path), "timeline", "s-doesnotexist"])
    assert res.exit_code == 1


@pytest.mark.parametrize("args,code", [(["eval", "dates", "--gold", "missing.jsonl"], 2),
                                       (["eval", "timeline", "--gold", "missing-dir"], 2)])
def test_cli_eval_bad_gold_is_a_usage_error(args, code):
    from storyline.cli import app

    res = CliRunner().invoke(app, args)
    assert res.exit_code == code


def test_reader_language_entries_are_in_it_or_marked(corpus_store, seed_ids):
    """--lang nb: an entry with a Norwegian source speaks Norwegian; others keep their best source and
    say its language (never dropped, never rewritten)."""
    story = corpus_store.story_of_article(seed_ids["001"])
    plain = story_timeline(corpus_store, story.id)
    nb = story_timeline(corpus_store, story.id, lang="nb")
    assert [e.id for e in nb] == [e.id for e in plain]
    for e in nb:
        langs = {s.lang for s in e.sources}
        assert e.lang == "nb" if "nb" in langs else e.lang in langs
        assert any(e.text.rstrip("…")[:30] in " ".join(s.sentence.split()) for s in e.sources)
    guaido = next(e for e in nb if e.date == "2019-01-23" and seed_ids["001"] in _sources(e))
    assert guaido.lang == "nb" and guaido.salience >= 2


def test_entity_timeline_across_stories_and_cli(corpus_store, seed_ids):
    """What Pompeo did and said, in date order, each entry citing its source."""
    from storyline.cli import app
    from storyline.explain.timeline_view import entity_timeline

    tl = entity_timeline(corpus_store, "Pompeo")
    assert tl, "Pompeo is quoted in the seeds"
    starts = [period_bounds(e.date)[0] for e in tl]
    assert starts == sorted(starts)
    for e in tl:
        assert e.sources and all(s.article_id for s in e.sources)
        assert "pompeo" in (e.text + " ".join(e.entities) + " ".join(s.sentence for s in e.sources)).lower()
    res = CliRunner().invoke(app, ["--db", str(corpus_store.path), "timeline", "--entity", "Pompeo", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["sources"]
    res = CliRunner().invoke(app, ["--db", str(corpus_store.path), "timeline", "--entity", "Nobody Atall"])
    assert res.exit_code == 1
    res = CliRunner().invoke(app, ["--db", str(corpus_store.path), "timeline"])
    assert res.exit_code == 2


def test_no_sentence_feeds_two_entries_of_a_timeline(corpus_store):
    """A sentence naming two days ("reunidos el lunes … la violencia del sábado") is one entry, on the
    day it reports (before: seven sentences of the demo's Venezuela timeline stood on two dates)."""
    from collections import Counter

    for story in corpus_store.list_stories():
        entries = story_timeline(corpus_store, story.id)
        fed = Counter((s.article_id, s.sentence_index) for e in entries for s in e.sources)
        assert [k for k, n in fed.items() if n > 1] == [], story.id
