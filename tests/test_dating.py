"""An undated article shows the date window inferred from its story, marked as inferred, everywhere:
`storyline show` (text and JSON), the JSON API and the web article page."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.config import Config
from storyline.explain.dating import dating
from storyline.model import article_from_text
from storyline.serve.app import create_app


def test_own_date_wins_and_a_window_is_marked_inferred():
    dated = article_from_text("A text.", id="a-1", published="2024-07-29", published_precision="day")
    own = dating(dated, ("2019-01", "2019-01", True))
    assert (own.date, own.inferred, own.precision) == ("2024-07-29", False, "day")
    undated = article_from_text("A text.", id="a-2")
    inferred = dating(undated, ("2019-01", "2019-02", True))
    assert (inferred.date, inferred.end, inferred.inferred, inferred.origin) == ("2019-01", "2019-02", True, "inferred")
    assert "inferred" in inferred.label() and "2019-02" in inferred.label()
    assert dating(undated, None).label() == "unknown"


def test_seed_000_shows_its_inferred_january_2019_date(corpus_store, seed_ids):
    aid = seed_ids["000"]
    assert corpus_store.get_article(aid).published is None  # the seed carries no date of its own
    res = CliRunner().invoke(app, ["show", aid, "--json", "--db", str(corpus_store.path)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["dating"]["inferred"] is True and doc["dating"]["date"].startswith("2019-01")
    text = CliRunner().invoke(app, ["show", aid, "--db", str(corpus_store.path)], catch_exceptions=False).output
    assert "2019-01" in text and "inferred" in text

    client = TestClient(create_app(corpus_store, Config({})))
    api = client.get(f"/api/articles/{aid}").json()
    assert api["dating"]["inferred"] is True and api["dating"]["date"].startswith("2019-01")
    page = client.get(f"/articles/{aid}").text
    assert "date inferred from its story" in page and 'datetime="2019-01' in page
