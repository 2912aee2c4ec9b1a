"""A corpus of bad inputs, each generated here: exit code, message and store counts before/after.

Empty, blank, binary, over the size cap, wrongly encoded, malformed JSON/JSONL/RSS, hostile HTML,
hostile URLs, symlinks (out of the folder, loops, dangling), a database path that does not exist, a
busy port, an over-sized chunked upload. Nothing stored may be lost and every refusal names its reason.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from fastapi import Request
from typer.testing import CliRunner

from storyline.cli import app
from storyline.explain.sources import display_source, outlet_label, safe_href

GOOD = "The harbour in Nordvik reopened on Monday after a storm damaged the quay last week, officials said."


def counts(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as c:
        return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def ingest(db: Path, *inputs: str, env: dict[str, str] | None = None):
    r = CliRunner().invoke(app, ["--db", str(db), "ingest", *inputs, "--no-analyze", "--json"], env=env)
    doc = json.loads(r.stdout) if r.stdout.strip().startswith("{") else {}
    return r, doc


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "bad.db"
    seed = tmp_path / "seed.txt"
    seed.write_text(GOOD + "\n\nThe port authority said ships could dock again from Tuesday morning.", encoding="utf-8")
    r, _ = ingest(path, str(seed))
    assert r.exit_code == 0 and counts(path) == 1
    return path


CASES = [
    # (file name, bytes, exit code, message in the failure reasons, articles added)
    ("empty.txt", b"", 1, "empty file", 0),
    ("blank.txt", b"  \n\n \t", 1, "empty file (only whitespace)", 0),
    ("binary.txt", bytes(range(256)) * 20, 1, "not a text file", 0),
    ("broken.json", b'{"title": "x", "text": ', 1, "malformed JSON", 0),
    ("mixed.jsonl", (json.dumps({"title": "Good line", "text": GOOD}) + "\n{not json\n").encode(), 1,
     "line 2: malformed JSON", 1),
    ("list.json", b"[1, 2, 3]", 1, "", 0),
    ("broken.rss", b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A', 1, "", 0),
    ("latin1.txt", "Kafeen i Tromsø åpnet igjen mandag etter en lang vinter med stengte dører og mange spørsmål."
     "\n\nEieren sa at han var glad for å være tilbake i byen.".encode("latin-1"), 0, "", 1),
]


@pytest.mark.parametrize("name,data,code,message,added", CASES, ids=[c[0] for c in CASES])
def test_bad_files(db, tmp_path, name, data, code, message, added):
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(data)
    before = counts(db)
    r, doc = ingest(db, str(path))
    assert r.exit_code == code, r.output
    reasons = " | ".join(f["reason"] for f in doc.get("failures", []))
    assert message in reasons
    if code:
        assert reasons  # a refusal always says why
    assert counts(db) == before + added


def test_latin1_text_is_decoded_not_mangled(db, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(CASES[-1][1])
    _, doc = ingest(db, str(path))
    from storyline.store import Store

    art = Store(db).get_article(doc["new"][0])
    assert "Tromsø" in art.text and "\ufffd" not in art.text


def test_over_the_size_cap(db, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text((GOOD + "\n\n") * 200, encoding="utf-8")
    r, doc = ingest(db, str(path), env={"STORYLINE_INGEST_MAX_BYTES": "5000"})
    assert r.exit_code == 1 and "over the 5000 bytes size cap" in doc["failures"][0]["reason"]
    assert counts(db) == 1


def test_hostile_html_is_stored_as_text_only(db, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text("<html><head><title>Harbour</title><script>alert('x')</script></head><body><article>"
                    "<p onclick=\"steal()\">The ferry company cancelled all crossings to the islands on Friday "
                    "because of the storm.</p><img src=x onerror=alert(1)><iframe src='javascript:alert(2)'>"
                    "</iframe><p>Passengers were offered hotel rooms in town until the weather improves.</p>"
                    "</article></body></html>",
                    encoding="utf-8")
    r, doc = ingest(db, str(path))
    assert r.exit_code == 0 and len(doc["new"]) == 1 and counts(db) == 2
    from storyline.store import Store

    art = Store(db).get_article(doc["new"][0])
    assert "alert" not in art.text and "steal" not in art.text and "<" not in art.text


@pytest.mark.parametrize("url,message", [
    ("javascript:alert(1)", "unsupported URL scheme"),
    ("file:///etc/passwd", "unsupported URL scheme"),
    ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
    ("http://localhost:9/", "non-public address"),
    ("http://[fe80::1]/", "link-local address fe80::1"),
    ("http://metadata.google.internal/", "cloud metadata host"),
])
def test_hostile_urls_are_refused(db, url, message):
    r, doc = ingest(db, url)
    assert r.exit_code == 1 and message in doc["failures"][0]["reason"], r.output
    assert counts(db) == 1


def test_metadata_stays_refused_with_allow_private(db):
    r = CliRunner().invoke(app, ["--db", str(db), "ingest", "http://169.254.169.254/", "--allow-private",
                                 "--no-analyze", "--json"])
    assert r.exit_code == 1 and "not even with --allow-private" in r.stdout
    assert counts(db) == 1


def test_javascript_url_in_a_json_article_is_never_a_link(db, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"title": "Harbour", "text": GOOD, "url": "javascript:alert(document.cookie)"}),
                    encoding="utf-8")
    r, doc = ingest(db, str(path))
    assert r.exit_code == 0 and counts(db) == 2
    from fastapi.testclient import TestClient

    from storyline.config import Config
    from storyline.serve.app import create_app
    from storyline.store import Store

    client = TestClient(create_app(Store(db), Config({})))
    aid = doc["new"][0]
    page = client.get(f"/articles/{aid}").text
    assert "javascript:" not in page and str(tmp_path) not in page and "Source: a.json" in page
    api = client.get(f"/api/articles/{aid}").json()
    assert api["url"] is None and api["source"] == "a.json"
    assert all(str(tmp_path) not in json.dumps(a) for a in client.get("/api/articles").json()["items"])


def test_source_helpers():
    assert safe_href("https://example.com/a") == "https://example.com/a"
    assert safe_href("mailto:desk@example.com") == "mailto:desk@example.com"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\nscript:alert(1)", "data:text/html,x",
                "vbscript:x", "file:///etc/passwd", "//evil.example", "http://", None, ""):
        assert safe_href(bad) is None, bad
    art = {"source": "/home/me/news/2024/a.jsonl#3", "source_display": "2024/a.jsonl#3", "url": None}
    assert display_source(art) == "2024/a.jsonl#3" and outlet_label(art) == "a.jsonl"
    assert display_source({"source": "/tmp/x/b.txt"}) == "b.txt"
    web = {"source": "https://www.example.no/sak/1", "url": "https://www.example.no/sak/1", "site_name": None}
    assert display_source(web) == "https://www.example.no/sak/1" and outlet_label(web) == "example.no"
    assert outlet_label(web | {"site_name": "Nordvik Avis"}) == "Nordvik Avis"


def test_folder_relative_source_display(tmp_path):
    folder = tmp_path / "news"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "harbour.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "rel.db"
    r, doc = ingest(db, str(folder))
    assert r.exit_code == 0
    from storyline.store import Store

    art = Store(db).get_article(doc["new"][0])
    assert display_source(art) == "2024/harbour.txt" and art.source.startswith(str(tmp_path))


def test_symlinks_out_of_the_folder_loops_and_dangling_ones_are_listed_not_followed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "real.txt").write_text(GOOD, encoding="utf-8")
    secret = tmp_path / "outside.txt"
    secret.write_text("Secret system file contents that must never become an article in the store.",
                      encoding="utf-8")
    os.symlink(secret, folder / "escape.txt")
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    os.symlink(tmp_path / "gone.txt", folder / "dangling.txt")
    os.symlink(folder / "real.txt", folder / "inside.txt")
    os.symlink(tmp_path, folder / "up")
    db = tmp_path / "s.db"
    r, doc = ingest(db, str(folder))
    assert r.exit_code == 0, r.output
    skipped = {Path(s["path"]).name: s["reason"] for s in doc["skipped"]}
    assert "outside the ingested folder" in skipped["escape.txt"]
    assert "symlink loop" in skipped["loop-a.txt"] and "symlink loop" in skipped["loop-b.txt"]
    assert "broken symlink" in skipped["dangling.txt"]
    assert "not followed" in skipped["up"]
    assert counts(db) == 1  # real.txt (inside.txt is the same article)
    from storyline.store import Store

    assert all("Secret" not in a.text for a in Store(db).iter_articles())


@pytest.mark.parametrize("args", [["stories"], ["articles"], ["status"], ["analyze", "--pending"],
                                  ["search", "harbour"], ["export", "s-x"], ["review", "list"]])
def test_read_only_commands_refuse_a_missing_database(tmp_path, args):
    db = tmp_path / "typo" / "nope.db"
    r = CliRunner().invoke(app, ["--db", str(db), *args])
    assert r.exit_code == 1, r.output
    assert "no such database" in " ".join(r.output.split())
    assert not db.exists() and not db.parent.exists()


def test_serve_on_a_busy_port_fails_before_claiming_to_serve(db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = CliRunner().invoke(app, ["--db", str(db), "serve", "--port", str(port)])
    assert r.exit_code == 1
    out = " ".join(r.output.split())
    assert "already in use" in out and "is serving" not in out


def test_chunked_upload_over_the_cap_gets_413():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from storyline.serve.security import SecurityMiddleware

    inner = FastAPI()

    async def up(request: Request) -> dict:
        form = await request.form()
        return {"n": len(await form["f"].read())}

    inner.add_api_route("/up", up, methods=["POST"])

    client = TestClient(SecurityMiddleware(inner, max_body=10_000))
    boundary = "xyz"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n".encode()
            + b"a" * 50_000 + f"\r\n--{boundary}--\r\n".encode())

    def chunks():
        for i in range(0, len(body), 4096):
            yield body[i:i + 4096]

    r = client.post("/up", content=chunks(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "too large" in r.json()["detail"]
    small = client.post("/up", files={"f": ("a.txt", b"hello")})
    assert small.status_code == 200 and small.json() == {"n": 5}


def test_an_upload_shows_its_original_file_name(db):
    from fastapi.testclient import TestClient

    from storyline.config import Config
    from storyline.serve.app import create_app
    from storyline.store import Store

    client = TestClient(create_app(Store(db), Config({}), token="tok"))
    text = ("Harbour cranes stopped on Friday as dock workers joined the strike.\n\n"
            "The port authority said ships would be diverted to other harbours for the weekend.\n")
    r = client.post("/api/ingest/files", params={"analyze": False}, files={"files": ("dock-strike.txt", text.encode())},
                    headers={"Authorization": "Bearer tok"})
    assert r.status_code == 200, r.text
    aid = r.json()["new"][0]
    assert client.get(f"/api/articles/{aid}").json()["source"] == "dock-strike.txt"
    page = client.get(f"/articles/{aid}").text
    assert "Source: dock-strike.txt" in page and "storyline-upload-" not in page
