"""Near-duplicates by containment, re-ingesting a changed source, and what directory walks skip."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.ingest import IngestSettings, identity
from tests.conftest import ingest_into as run

FIX = Path(__file__).parent / "fixtures" / "ingest"




def test_wire_copy_with_intro_links_by_containment(store):
    orig, copy = FIX / "wire-original.txt", FIX / "wire-copy-with-intro.txt"
    a, b = identity.signature(orig.read_text()), identity.signature(copy.read_text())
    jac = identity.similarity(a[0], b[0])
    assert jac < 0.9  # Jaccard alone would miss this copy ...
    assert identity.containment(jac, a[1], b[1]) >= 0.9  # ... containment does not
    first = run(store, orig)
    report = run(store, copy)
    assert report.new == [] and len(report.duplicates) == 1
    assert report.duplicates[0][2] == first.new[0]
    assert store.get_article(report.duplicates[0][1]).duplicate_of == first.new[0]


def test_containment_can_be_switched_off(store):
    off = IngestSettings(near_duplicate_containment=1.01)
    run(store, FIX / "wire-original.txt", settings=off)
    report = run(store, FIX / "wire-copy-with-intro.txt", settings=off)
    assert len(report.new) == 1 and not report.duplicates


def test_unrelated_article_is_not_contained(store):
    run(store, FIX / "wire-original.txt")
    report = run(store, FIX / "mixed-nb-en-quote.txt")
    assert len(report.new) == 1 and not report.duplicates


def test_changed_source_is_updated_and_fts_follows(store, tmp_path):
    p = tmp_path / "feed.jsonl"
    url = "https://example.org/news/cod-quota"
    text1 = (FIX / "wire-original.txt").read_text(encoding="utf-8")
    p.write_text(json.dumps({"url": url, "title": "Torskekvoten kuttes", "text": text1}) + "\n", encoding="utf-8")
    first = run(store, p)
    [aid] = first.new
    again = run(store, p)
    assert again.unchanged == [aid] and again.updated == [] and again.new == []
    text2 = text1.replace("tolv prosent", "femten prosent").replace("Moskva", "Tromsø")
    p.write_text(json.dumps({"url": url, "title": "Torskekvoten kuttes mer", "text": text2}) + "\n",
                 encoding="utf-8")
    report = run(store, p)
    assert report.updated == [aid] and report.new == [] and not report.duplicates and not report.failures
    art = store.get_article(aid)
    assert "femten prosent" in art.text and "tolv prosent" not in art.text and art.title.endswith("mer")
    assert store.count_articles() == 1 and art.duplicate_of is None  # not a duplicate of its old self
    fts = store.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ("Tromsø",)).fetchall()
    old = store.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ("Moskva",)).fetchall()
    assert len(fts) == 1 and old == []
    assert run(store, p).unchanged == [aid]


def test_directory_walk_skips_non_articles(store, tmp_path):
    d = tmp_path / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / ".git").mkdir()
    (d / ".git" / "HEAD.txt").write_text("ref: refs/heads/main\n")
    (d / "article.txt").write_text((FIX / "wire-original.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (d / "sub" / "quote.txt").write_text((FIX / "mixed-nb-en-quote.txt").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    (d / "README.txt").write_text("How this folder was collected: scraped by hand in 2025 for a course.\n")
    (d / "notes.md").write_text("# notes\n\nNothing to see.\n")
    (d / "scrape.py").write_text("print('hello')\n")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    (d / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    report = run(store, d)
    assert len(report.new) == 2 and not report.failures
    skipped = {Path(p).name: why for p, why in report.skipped}
    assert set(skipped) == {".git", "README.txt", "notes.md", "scrape.py", "photo.jpg", ".DS_Store"}
    assert "hidden" in skipped[".git"] and "project file" in skipped["README.txt"]
    assert ".md" in skipped["notes.md"] and ".jpg" in skipped["photo.jpg"]


def test_explicit_file_of_unknown_extension_is_sniffed(store, tmp_path):
    p = tmp_path / "story.article"
    p.write_text((FIX / "wire-original.txt").read_text(encoding="utf-8"), encoding="utf-8")
    img = tmp_path / "picture.dat"
    img.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    report = run(store, p, img)
    assert len(report.new) == 1 and store.get_article(report.new[0]).lang == "nb"
    [f] = report.failures
    assert str(img) in f.reason and "PNG" in f.reason


def test_brief_of_a_longer_story_is_not_its_copy(store, tmp_path):
    """A teaser holding the first three of six paragraphs is contained in the full story but far shorter:
    neither is stored as the other's duplicate, whichever comes first."""
    full = (FIX / "wire-original.txt").read_text(encoding="utf-8")
    brief = tmp_path / "brief.txt"
    brief.write_text("\n\n".join(full.split("\n\n")[:3]), encoding="utf-8")
    a, b = identity.signature(brief.read_text()), identity.signature(full)
    assert identity.containment(identity.similarity(a[0], b[0]), a[1], b[1]) >= 0.9
    report = run(store, brief, FIX / "wire-original.txt")
    assert len(report.new) == 2 and not report.duplicates
