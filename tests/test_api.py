"""JSON API: read endpoints, pagination caps, auth on writes, size limits, error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from serve_helpers import STORY_ID, SUMMARY_ID, TOKEN, build_small_store

from storyline.config import Config
from storyline.serve.app import create_app


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_small_store(tmp_path_factory.mktemp("api") / "s.db")


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store, Config({}), token=TOKEN))


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_openapi_and_offline_docs(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/stories/{story_id}/timeline", "/api/events", "/api/entities", "/api/entities/{entity_id}",
                 "/api/quotes", "/api/search", "/api/summaries", "/api/summaries/{summary_id}/review",
                 "/api/ingest/files", "/api/ingest/urls"):
        assert path in schema["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text
    assert "cdn" not in docs.text.lower() and "<script src=\"http" not in docs.text


def test_articles_list_paginates_with_cap(client):
    page = client.get("/api/articles", params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["total"] == 4
    second = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert {a["id"] for a in page["items"]}.isdisjoint(a["id"] for a in second["items"])
    r = client.get("/api/articles", params={"limit": 1000})
    assert r.status_code == 422 and "less than or equal to 200" in r.json()["detail"]


def test_article_and_not_found(client):
    art = client.get("/api/articles/a-da-vulkan").json()
    assert art["lang"] == "da" and "vulkan" in art["text"] and isinstance(art["mentions"], list)
    r = client.get("/api/articles/a-missing")
    assert r.status_code == 404 and r.json() == {"detail": "no article 'a-missing'"}


def test_search_endpoint_cross_lingual_and_bad_filter(client):
    body = client.get("/api/search", params={"q": "volcano eruption Iceland"}).json()
    assert body["items"][0]["article_id"] == "a-da-vulkan"
    assert set(body["items"][0]) >= {"article_id", "title", "lang", "published", "score", "snippet"}
    r = client.get("/api/search", params={"q": "x", "since": "yesterday"})
    assert r.status_code == 400 and "since" in r.json()["detail"]
    assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_stories_summaries_and_timeline(client, store):
    if not hasattr(store, "upsert_story"):
        pytest.skip("stories stage not in this store")
    stories = client.get("/api/stories").json()["items"]
    assert [s["id"] for s in stories] == [STORY_ID]
    story = client.get(f"/api/stories/{STORY_ID}").json()
    assert story["summaries"][0]["id"] == SUMMARY_ID and story["events"][0]["id"] == "e-ferrystrike"
    assert client.get(f"/api/stories/{STORY_ID}/timeline").json()["entries"] == []
    assert client.get("/api/stories/s-nope/timeline").status_code == 404


def test_writes_need_the_token(client):
    body = {"action": "approve", "reviewer": "Ed"}
    r = client.post(f"/api/summaries/{SUMMARY_ID}/review", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = client.post(f"/api/summaries/{SUMMARY_ID}/review", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = client.post("/api/ingest/urls", json={"urls": ["https://example.org/"]})
    assert r.status_code == 401


def test_writes_are_off_without_a_configured_token(store):
    c = TestClient(create_app(store, Config({}), token=""))
    r = c.post(f"/api/summaries/{SUMMARY_ID}/review", json={"action": "approve", "reviewer": "Ed"},
               headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and "STORYLINE_TOKEN" in r.json()["detail"]


def test_review_actions_and_their_errors(tmp_path):
    store = build_small_store(tmp_path / "w.db")
    if not hasattr(store, "record_review"):
        pytest.skip("summaries stage not in this store")
    c = TestClient(create_app(store, Config({}), token=TOKEN))
    url = f"/api/summaries/{SUMMARY_ID}/review"
    r = c.post(url, json={"action": "edit", "reviewer": "Ed", "bullets": ["Ferry staff struck on Monday."]},
               headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "edited" and r.json()["bullets"][0]["sources"] == ["a-en-ferry-strike:0"]
    r = c.post(url, json={"action": "approve", "reviewer": "Ed"}, headers=AUTH)
    assert r.status_code == 409 and "cannot approve" in r.json()["detail"]
    r = c.post(url, json={"action": "publish", "reviewer": "Ed"}, headers=AUTH)
    assert r.status_code == 422
    assert c.post("/api/summaries/m-nope/review", json={"action": "reject", "reviewer": "Ed"},
                  headers=AUTH).status_code == 404
    assert c.post(url, json={"action": "reject", "reviewer": "Ed"}, headers=AUTH).json()["status"] == "rejected"


def test_url_ingest_keeps_private_address_refusal(tmp_path):
    store = build_small_store(tmp_path / "i.db")
    c = TestClient(create_app(store, Config({}), token=TOKEN))
    before = store.count_articles()
    r = c.post("/api/ingest/urls", json={"urls": ["http://127.0.0.1:9/secret", "http://10.0.0.1/"]},
               headers=AUTH)
    assert r.status_code in (200, 501)
    if r.status_code == 200:
        body = r.json()
        assert body["new"] == [] and len(body["failures"]) == 2
    assert store.count_articles() == before
    assert c.post("/api/ingest/urls", json={"urls": ["file:///etc/passwd"]}, headers=AUTH).status_code == 422


def test_file_upload_ingests_and_large_bodies_are_refused(tmp_path):
    store = build_small_store(tmp_path / "u.db")
    c = TestClient(create_app(store, Config({}), token=TOKEN, max_body=50_000))
    text = ("Harbour cranes stopped on Friday as dock workers joined the strike.\n\n"
            "The port authority said ships would be diverted to other harbours for the weekend.\n")
    r = c.post("/api/ingest/files", params={"analyze": False}, files={"files": ("dock-strike.txt", text.encode())},
               headers=AUTH)
    assert r.status_code == 200, r.text
    assert len(r.json()["new"]) == 1 and store.get_article(r.json()["new"][0]) is not None
    r = c.post("/api/ingest/files", files={"files": ("big.txt", b"x" * 60_000)}, headers=AUTH)
    assert r.status_code == 413 and "too large" in r.json()["detail"]


def test_security_headers_on_json_and_html(client):
    for path in ("/api/articles", "/", "/search?q=ferry"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_entity_timeline_endpoint(client):
    assert client.get("/api/entities/n-nope/timeline").status_code == 404
    for ent in client.get("/api/entities").json()["items"][:3]:
        res = client.get(f"/api/entities/{ent['id']}/timeline", params={"lang": "nb"})
        assert res.status_code == 200
        body = res.json()
        assert body["entity_id"] == ent["id"] and isinstance(body["entries"], list)
        assert all(e["sources"] for e in body["entries"])
