"""Bad inputs (each refused with a one-line reason naming the input) and every input format."""

from __future__ import annotations

import io
import json
import sys

import pytest

from storyline.ingest import IngestSettings
from tests.conftest import ingest_into as run

NB = ("Regjeringen la fram statsbudsjettet torsdag, og finansministeren sa at utgiftene til forsvar "
      "og helse skal øke kraftig neste år. Opposisjonen mener budsjettet er for stramt for kommunene.")
NB2 = ("Stortinget skal behandle forslaget før jul. Flere partier krever endringer i skatteopplegget, "
       "og forhandlingene ventes å bli krevende i ukene som kommer, sier kilder i Stortinget.")
DA = ("Regeringen fremlagde torsdag sit forslag til finanslov, og finansministeren sagde, at udgifterne "
      "til forsvar og sundhed skal stige kraftigt næste år. Oppositionen mener, at forslaget er for stramt.")
EN = ("The government presented its budget on Thursday, and the finance minister said spending on defence "
      "and health will rise sharply next year. The opposition says the plan is too tight for local councils.")




def only_failure(report, needle):
    assert len(report.failures) == 1, report.failures
    f = report.failures[0]
    assert needle in f.reason, f.reason
    assert "\n" not in f.reason
    return f


def test_empty_file(store, tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    f = only_failure(run(store, p), "empty file")
    assert str(p) in f.reason and store.count_articles() == 0


@pytest.mark.parametrize("magic,what", [(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
                                        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG")])
def test_binary_renamed_txt(store, tmp_path, magic, what):
    p = tmp_path / f"renamed-{what}.txt"
    p.write_bytes(magic + bytes(range(256)) * 4)
    f = only_failure(run(store, p), what)
    assert str(p) in f.reason and "not a text file" in f.reason


def test_over_cap_small(store, tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(NB * 20, encoding="utf-8")
    f = only_failure(run(store, p, settings=IngestSettings(max_bytes=1000)), "size cap")
    assert str(p) in f.reason and "max_bytes" in f.reason


def test_default_cap_refuses_60mb_sparse_file(store, tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:  # sparse: no 60 MB written to disk
        fh.truncate(60 * 1024 * 1024)
    f = only_failure(run(store, p), "size cap")
    assert "62.9 MB" in f.reason and "52.4 MB" in f.reason and str(p) in f.reason


def test_invalid_utf8_not_legacy(store, tmp_path):
    p = tmp_path / "broken.txt"
    p.write_bytes(NB.encode("utf-8") + b"\xff\xfe\xfa " + NB2.encode("utf-8"))
    f = only_failure(run(store, p), "invalid UTF-8")
    assert str(p) in f.reason and "offset" in f.reason


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_decoded(store, tmp_path, encoding):
    p = tmp_path / f"{encoding}.txt"
    p.write_bytes((DA + "\n\n" + "Æblerne på Færøerne blev høstet i år, fortæller en landmand.").encode(encoding))
    report = run(store, p)
    assert not report.failures
    art = store.get_article(report.new[0])
    assert "næste år" in art.text and "Færøerne" in art.text and art.lang == "da"


def test_html_without_body(store, tmp_path):
    p = tmp_path / "nobody.html"
    p.write_text("<html><head><title>Forside</title></head><body><nav><a href='/'>Hjem</a></nav></body></html>")
    f = only_failure(run(store, p), "no article body")
    assert str(p) in f.reason


def test_malformed_jsonl_line_reported_others_kept(store, tmp_path):
    p = tmp_path / "a.jsonl"
    lines = [json.dumps({"text": NB, "title": "Budsjettet er lagt fram", "published": "2025-10-07"}),
             '{"text": "unterminated',
             json.dumps({"body": EN, "url": "https://example.org/news/budget", "lang": "en"})]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run(store, p)
    f = only_failure(report, "line 2")
    assert f.input == f"{p}#2" and str(p) in f.reason and "malformed JSON" in f.reason
    assert len(report.new) == 2
    arts = {a.source: a for a in store.iter_articles()}
    first = arts[f"{p}#1"]
    assert (first.title, first.published, first.published_precision, first.published_origin) == \
        ("Budsjettet er lagt fram", "2025-10-07", "day", "metadata")
    third = arts[f"{p}#3"]
    assert third.canonical_url == "https://example.org/news/budget" and third.lang == "en"


def test_rss_not_xml(store, tmp_path):
    p = tmp_path / "feed.rss"
    p.write_text("this is not a feed at all, just words", encoding="utf-8")
    f = only_failure(run(store, p), "not an RSS/Atom feed")
    assert str(p) in f.reason


def test_rss_entries(store, tmp_path):
    p = tmp_path / "feed.xml"
    p.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Testavisa</title><link>https://example.org/</link>
<item><title>Budsjettet er lagt fram</title><link>https://example.org/a/1</link>
<pubDate>Tue, 07 Oct 2025 08:30:00 GMT</pubDate><description>&lt;p&gt;{NB}&lt;/p&gt;&lt;p&gt;{NB2}&lt;/p&gt;</description></item>
<item><title>Budget presented</title><description>{EN}</description></item>
</channel></rss>""", encoding="utf-8")
    report = run(store, p)
    assert not report.failures and len(report.new) == 2
    arts = {a.source: a for a in store.iter_articles()}
    a1 = arts[f"{p}#https://example.org/a/1"]
    assert (a1.published, a1.published_origin, a1.site_name) == ("2025-10-07T08:30", "feed", "Testavisa")
    assert len(a1.paragraphs) == 2 and a1.lang == "nb"
    assert arts[f"{p}#2"].lang == "en" and arts[f"{p}#2"].published is None


def test_html_page_metadata(store, tmp_path):
    p = tmp_path / "page.html"
    p.write_text(f"""<!doctype html><html lang="nb"><head><title>Budsjettet er lagt fram | Testavisa</title>
<link rel="canonical" href="https://example.org/nyheter/budsjett">
<meta property="og:site_name" content="Testavisa"><meta name="author" content="Kari Nordmann">
<meta property="article:published_time" content="2025-10-07T08:30:00+02:00"></head><body>
<nav><ul><li>Forside</li><li>Sport</li></ul></nav><div id="cookie">Vi bruker informasjonskapsler.</div>
<article><h1>Budsjettet er lagt fram</h1><p>{NB}</p><p>{NB2}</p><p>Del artikkelen på Facebook</p></article>
<footer>Ansvarlig redaktør: Ola Nordmann</footer></body></html>""", encoding="utf-8")
    report = run(store, p)
    assert not report.failures, report.failures
    a = store.get_article(report.new[0])
    assert a.title and a.title.startswith("Budsjettet er lagt fram")
    assert a.canonical_url == "https://example.org/nyheter/budsjett"
    assert (a.published, a.published_precision, a.published_origin) == ("2025-10-07T08:30", "minute", "metadata")
    assert "informasjonskapsler" not in a.text and "Del artikkelen" not in a.text and "redaktør" not in a.text
    assert a.lang == "nb" and a.text.startswith("Regjeringen")


def test_stdin(store, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f" date 2025-10-07 {NB}\n\n{NB2}".encode())))
    report = run(store, "-")
    assert not report.failures
    a = store.get_article(report.new[0])
    assert a.source == "-" and a.published == "2025-10-07" and a.published_origin == "prefix"


def test_glob_and_missing(store, tmp_path):
    (tmp_path / "x1.txt").write_text(NB, encoding="utf-8")
    (tmp_path / "x2.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "y.txt").write_text(DA, encoding="utf-8")
    report = run(store, tmp_path / "x*.txt", tmp_path / "nope-*.txt", tmp_path / "missing.txt")
    assert len(report.new) == 2
    reasons = sorted(f.reason for f in report.failures)
    assert any("nope-*.txt: no files match" in r for r in reasons)
    assert any("missing.txt: no such file" in r for r in reasons)


def test_near_duplicate_linked(store, tmp_path):
    body = "\n\n".join([NB, NB2, NB.replace("torsdag", "fredag"), NB2.replace("før jul", "i desember")])
    (tmp_path / "orig.txt").write_text(body, encoding="utf-8")
    copy = body.replace("kraftig", "betydelig", 1) + "\n\n(NTB)"
    (tmp_path / "wire.txt").write_text(copy, encoding="utf-8")
    (tmp_path / "other.txt").write_text("\n\n".join([DA, EN]), encoding="utf-8")
    first = run(store, tmp_path / "orig.txt")
    report = run(store, tmp_path / "wire.txt", tmp_path / "other.txt")
    assert len(report.duplicates) == 1 and len(report.new) == 1
    src, dup_id, orig = report.duplicates[0]
    assert src.endswith("wire.txt") and orig == first.new[0]
    assert store.get_article(dup_id).duplicate_of == orig
    assert dup_id not in store.article_ids() and dup_id in store.article_ids(include_duplicates=True)


def test_cleaning_rules_general(store, tmp_path):
    p = tmp_path / "chrome.txt"
    p.write_text("\n\n".join([
        NB, "Foto: Kari Nordmann / NTB", "LES OGSÅ: Slik blir budsjettet for din kommune", NB2,
        "Ola Nordmann / Reuters / NTB", "Denne artikkelen er skrevet med hjelp av kunstig intelligens.",
        "Abonner på vårt nyhetsbrev", "Deutsch", "Svenska (Sverige)",
        "– Dette er et krevende budsjett, sier finansministeren til avisen."]), encoding="utf-8")
    a = store.get_article(run(store, p).new[0])
    assert [pp.text[:12] for pp in a.paragraphs] == ["Regjeringen ", "Stortinget s", "– Dette er e"]
