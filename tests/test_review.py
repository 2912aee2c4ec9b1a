"""The review step: allowed transitions, history of edits, labels in the summary's language, the store."""

from __future__ import annotations

import pytest
from summary_fixtures import fixture_articles

from storyline.explain.review import (
    LABELS,
    ReviewError,
    SummaryNotFound,
    apply_review,
    label_lang,
    make_label,
    pick_current,
    pick_public,
)
from storyline.model import Bullet, Summary
from storyline.service.review import review
from storyline.store import Store


def draft(backend: str = "llm", lang: str = "nb", **kw) -> Summary:
    return Summary(id="m-1", target_id="s-1", lang=lang, backend=backend,
                   model="gpt-4o-mini" if backend == "llm" else None,
                   bullets=[Bullet("Første punkt.", ["a-bridge-nb:0"]), Bullet("Andre punkt.", ["a-bridge-nb:1"])],
                   created_at="2025-01-01T00:00:00+00:00", **kw)


def test_labels_say_how_it_was_made_and_reviewed_in_the_summary_language():
    approved, _ = apply_review(draft(), "approve", "Kari Nordmann")
    assert approved.label == "Sammendraget er laget med KI (gpt-4o-mini) og kontrollert av Kari Nordmann."
    assert make_label(draft()) == "Sammendraget er laget med KI (gpt-4o-mini) og er ikke kontrollert."
    assert make_label(draft("extractive")) == "Automatisk uttrekk fra kildene, ikke kontrollert."
    assert "kontrolleret af Kari" in apply_review(draft(lang="da"), "approve", "Kari")[0].label
    assert "checked by Kari" in apply_review(draft(lang="en"), "approve", "Kari")[0].label
    assert make_label(draft(lang="sv")).startswith("Sammanfattningen")
    assert label_lang("nb-NO") == "nb" and label_lang("no") == "nb" and label_lang("xx") == "en"
    for lang, table in LABELS.items():  # every language has every label, and each names the reviewer
        assert set(table) == set(LABELS["nb"]), lang
        assert all("{reviewer}" in v for k, v in table.items() if k.endswith(("approved", "edited")) or k == "rejected")


def test_edit_keeps_history_and_checks_sources():
    s = draft()
    new_bullets = [Bullet("Redigert punkt.", ["a-bridge-nb:0", "a-bridge-nb:2"])]
    edited, event = apply_review(s, "edit", "Per", bullets=new_bullets, note="kortet ned",
                                 source_exists=lambda sid: sid.startswith("a-bridge-nb:"))
    assert edited.status == "edited" and edited.bullets == new_bullets and edited.reviewer == "Per"
    assert event.previous_bullets == s.bullets and event.previous_status == "draft" and event.note == "kortet ned"
    assert "redigert og kontrollert av Per" in edited.label
    with pytest.raises(ReviewError, match="bullet 1 cites no source"):
        apply_review(s, "edit", "Per", bullets=[Bullet("x", [])])
    with pytest.raises(ReviewError, match="unknown sentence"):
        apply_review(s, "edit", "Per", bullets=[Bullet("x", ["a-zzz:1"])], source_exists=lambda sid: False)
    with pytest.raises(ReviewError, match="needs the new bullets"):
        apply_review(s, "edit", "Per")


@pytest.mark.parametrize(("status", "action"), [("approved", "approve"), ("rejected", "approve"),
                                                ("rejected", "edit"), ("rejected", "reject")])
def test_forbidden_transitions(status, action):
    s = draft(status=status, reviewer="Ola")
    with pytest.raises(ReviewError, match=f"is {status} by Ola: cannot {action}"):
        apply_review(s, action, "Per", bullets=[Bullet("x", ["a:0"])] if action == "edit" else None)


def test_reviewer_and_action_are_required():
    with pytest.raises(ReviewError, match="reviewer's name"):
        apply_review(draft(), "approve", "   ")
    with pytest.raises(ReviewError, match="unknown review action 'publish'"):
        apply_review(draft(), "publish", "Per")


def test_pick_current_prefers_reviewed_then_newest_draft():
    a = draft(status="approved", reviewer="X", reviewed_at="2025-01-02")
    b = Summary(**{**draft().__dict__, "id": "m-2", "created_at": "2025-02-01"})
    r = Summary(**{**draft().__dict__, "id": "m-3", "status": "rejected", "created_at": "2025-03-01"})
    assert pick_current([a, b, r]).id == "m-1"
    assert pick_current([b, r]).id == "m-2"
    assert pick_current([r]) is None


def test_pick_public_puts_review_before_the_readers_language():
    nb_ok = draft(status="approved", reviewer="X", reviewed_at="2025-01-02")
    en_new = Summary(**{**draft(lang="en").__dict__, "id": "m-2", "created_at": "2025-02-01"})
    nb_new = Summary(**{**draft().__dict__, "id": "m-3", "created_at": "2025-03-01"})
    assert pick_public([nb_ok, en_new], "en").id == "m-1"  # a newer machine draft never hides a reviewed one
    assert pick_public([en_new, nb_new], "en").id == "m-2"  # no review: the reader's language first
    assert pick_public([en_new, nb_new], "da").id == "m-3"  # else the newest draft
    assert pick_public([], "nb") is None


def test_store_review_round_trip_and_history(tmp_path):
    store = Store(tmp_path / "r.db")
    if hasattr(store, "add_articles"):
        store.add_articles(fixture_articles())
    saved = store.save_summary(draft())
    assert saved.status == "draft" and store.get_summary("m-1").label.endswith("ikke kontrollert.")
    edited = review(store, "m-1", "edit", "Per", bullets=[Bullet("Nytt.", ["a-bridge-nb:3"])], note="ny")
    approved_again = review(store, "m-1", "reject", "Kari")
    assert edited.status == "edited" and approved_again.status == "rejected"
    hist = store.summary_history("m-1")
    assert [h["action"] for h in hist] == ["edit", "reject"]
    assert hist[0]["previous_bullets"][0]["text"] == "Første punkt." and hist[0]["reviewer"] == "Per"
    assert store.get_summary("m-1").bullets[0].text == "Nytt."
    # saving the same id again does not overwrite the reviewed summary: a new draft appears beside it
    again = store.save_summary(draft())
    assert again.id != "m-1" and store.get_summary("m-1").status == "rejected"
    assert [s.status for s in store.list_summaries(target_id="s-1")] == ["draft", "rejected"]
    assert [s.id for s in store.list_summaries(status="rejected")] == ["m-1"]
    with pytest.raises(SummaryNotFound):
        review(store, "m-nope", "approve", "Per")
    with pytest.raises(ReviewError):
        review(store, "m-1", "approve", "Per")
    assert store.get_summary("m-1").status == "rejected"  # a failed action changes nothing
    if hasattr(store, "add_articles"):
        with pytest.raises(ReviewError, match="unknown sentence"):
            review(store, again.id, "edit", "Per", bullets=[Bullet("x", ["a-bridge-nb:999"])])
        assert store.get_summary(again.id).status == "draft"
