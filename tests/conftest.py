"""Shared fixtures: paths to ../shared and examples/, and one store built from the seeds and examples.

Like Datasette's tests, the expensive fixture database (ingest + full analysis pipeline over the
five seeds and the example corpus) is built once per test session and shared read-only; tests that
write build their own small store.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
EXAMPLES = REPO / "examples"
GOLD = REPO / "gold"
FIXTURES = REPO / "tests" / "fixtures"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with `prefix` ("000", "004", ...)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


def ingest_into(store, *inputs, settings=None):
    """Ingest paths into `store` with default config (no analysis): the ingest tests' one-liner."""
    from storyline.config import Config
    from storyline.ingest import ingest

    return ingest(store, [str(i) for i in inputs], config=Config({}), settings=settings)


@pytest.fixture
def store(tmp_path):
    """A fresh, empty store in a temporary directory."""
    from storyline.store import Store

    s = Store(tmp_path / "t.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """(store, ingest_report, pipeline_reports) for seeds + examples, built once, full pipeline."""
    from storyline.config import Config
    from storyline.ingest import ingest
    from storyline.pipeline import run_pipeline
    from storyline.store import Store

    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    store = Store(db)
    cfg = Config({})
    report = ingest(store, [str(SEEDS), str(EXAMPLES)], config=cfg)
    reports = run_pipeline(store, report.new, cfg)
    return store, report, reports


@pytest.fixture(scope="session")
def corpus_store(corpus):
    return corpus[0]


@pytest.fixture(scope="session")
def seed_ids(corpus) -> dict[str, str]:
    """Seed prefix ("000") -> article id in `corpus_store`."""
    store = corpus[0]
    out = {}
    for art in store.iter_articles(include_duplicates=True):
        name = Path(art.source).name
        if art.source.startswith(str(SEEDS)) or name[:3].isdigit() and "_" in name:
            out[name[:3]] = art.id
    return out


# -- PostgreSQL for the backend tests (tests/pg_server.py) ------------------------------------------
@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL database for the backend tests: $STORYLINE_TEST_PG, else a throwaway
    cluster started here (initdb in a temporary folder) and stopped at the end of the session.
    Without PostgreSQL the cases skip with the reason; under CI=true they fail instead."""
    import os

    url = os.environ.get("STORYLINE_TEST_PG")
    cluster = None
    if not url:
        try:
            import psycopg  # noqa: F401
            from pg_server import Cluster

            cluster = Cluster()
            url = cluster.url
        except (ImportError, RuntimeError, OSError) as exc:
            reason = f"PostgreSQL not available ({exc}); set STORYLINE_TEST_PG or install postgresql"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(reason)
            pytest.skip(reason)
    yield url
    if cluster is not None:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server, request):
    """A fresh, empty PostgreSQL database for one test (dropped and created again)."""
    import re

    from pg_server import fresh_database

    name = "t_" + re.sub(r"\W+", "_", request.node.name.lower())[:50]
    return fresh_database(pg_server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """A database target (a file path or a postgresql:// URL) for each backend, empty."""
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return request.getfixturevalue("pg_url")
