"""Summaries follow their story: a grown story gets a fresh draft beside its reviewed summary, which is
never overwritten (storyline.explain.summaries.online via the timeline step)."""

from __future__ import annotations

from summary_fixtures import fixture_articles, make_story

from storyline.config import Config
from storyline.explain.review import pick_public
from storyline.explain.summaries.generate import summarize_target
from storyline.explain.summaries.online import newer_draft
from storyline.explain.timeline_step import run as timeline_step
from storyline.service.review import review


def test_grown_story_gets_a_new_draft_beside_the_reviewed_summary(store):
    nb, en = fixture_articles()
    cfg = Config({})
    sid = make_story(store, [nb])
    timeline_step(store, [nb.id], cfg)
    first = summarize_target(store, sid, cfg, lang="nb")
    approved = review(store, first.id, "approve", "Kari")
    assert newer_draft(store.list_summaries(target_id=sid)) is None
    make_story(store, [nb, en])  # the English article joins the story
    report = timeline_step(store, [en.id], cfg)
    assert report["summary_drafts"] == 1
    all_ = store.list_summaries(target_id=sid)
    kept = store.get_summary(approved.id)
    assert (kept.status, [b.text for b in kept.bullets]) == ("approved", [b.text for b in approved.bullets])
    draft = newer_draft(all_, "nb")
    assert draft is not None and draft.id != approved.id and draft.status == "draft"
    assert pick_public(all_, "nb").id == approved.id  # readers still see what the editor approved
    # nothing new arrived: no further draft
    assert "summary_drafts" not in timeline_step(store, [en.id], cfg)


def test_stories_nobody_summarised_are_left_alone(store):
    nb, en = fixture_articles()
    sid = make_story(store, [nb, en])
    report = timeline_step(store, [nb.id, en.id], Config({}))
    assert report.get("summary_drafts", 0) == 0 and store.list_summaries(target_id=sid) == []
