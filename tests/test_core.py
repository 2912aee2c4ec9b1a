"""Store base (WAL, migrations), config loading and sentence splitting."""

from __future__ import annotations

import sqlite3

import pytest

from storyline.analyze.sentences import split_sentences, split_text
from storyline.config import Config, ConfigError
from storyline.model import article_from_text
from storyline.store import Store, StoreError
from storyline.store.sqlite import SQLiteBackend as BaseStore


class _V1(BaseStore):
    MIGRATIONS = {"demo": ["CREATE TABLE demo_t (id INTEGER PRIMARY KEY, v TEXT);"]}


class _V2(BaseStore):
    MIGRATIONS = {"demo": [
        "CREATE TABLE demo_t (id INTEGER PRIMARY KEY, v TEXT);",
        "ALTER TABLE demo_t ADD COLUMN w TEXT;\nCREATE INDEX demo_t_w ON demo_t (w);",
    ]}


def test_store_uses_wal_and_records_migrations(tmp_path):
    store = Store(tmp_path / "s.db")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = store.schema_versions()
    assert all(v >= 1 for v in versions.values())
    # opening again applies nothing new and keeps the versions
    assert Store(tmp_path / "s.db").schema_versions() == versions


def test_migrations_upgrade_in_order_and_refuse_newer_schema(tmp_path):
    db = tmp_path / "m.db"
    _V1(db).conn.execute("INSERT INTO demo_t (v) VALUES ('kept')")
    s2 = _V2(db)
    assert s2.schema_versions()["demo"] == 2
    assert s2.conn.execute("SELECT v, w FROM demo_t").fetchone()[:] == ("kept", None)
    with pytest.raises(StoreError, match="newer than this Storyline"):
        _V1(db)


def test_transaction_rolls_back_on_error(tmp_path):
    store = _V1(tmp_path / "t.db")
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.execute("INSERT INTO demo_t (v) VALUES ('x')")
        raise RuntimeError("boom")
    assert store.conn.execute("SELECT COUNT(*) FROM demo_t").fetchone()[0] == 0


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a Storyline database"):
        Store(bad)


def test_config_sections_file_and_env(tmp_path, monkeypatch):
    from dataclasses import dataclass

    @dataclass
    class S:
        threshold: float = 0.5
        name: str = "x"
        on: bool = False

    path = tmp_path / "c.toml"
    path.write_text('[demo]\nthreshold = 0.8\n', encoding="utf-8")
    cfg = Config.load(path)
    assert cfg.section("demo", S) == S(threshold=0.8)
    monkeypatch.setenv("STORYLINE_DEMO_ON", "yes")
    monkeypatch.setenv("STORYLINE_DEMO_THRESHOLD", "0.9")
    assert cfg.section("demo", S) == S(threshold=0.9, on=True)
    path.write_text('[demo]\nthresold = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        Config.load(path).section("demo", S)
    path.write_text('[demo\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        Config.load(path)


def test_sentences_keep_abbreviations_dates_and_offsets():
    text = ("Møtet startet kl. 09.00 i Oslo. Han nevnte bl.a. at U.S. Army var til stede. "
            "Det skjedde 23. januar. Am 5. März sprach J. R. Smith. – Nei! sa hun.")
    spans = [text[s:e] for s, e in split_text(text)]
    assert spans == ["Møtet startet kl. 09.00 i Oslo.", "Han nevnte bl.a. at U.S. Army var til stede.",
                     "Det skjedde 23. januar.", "Am 5. März sprach J. R. Smith.", "– Nei! sa hun."]


def test_split_sentences_offsets_point_into_article_text():
    art = article_from_text("Første avsnitt. Andre setning her.\n\nNytt avsnitt! Slutt.", id="a-1", lang="nb")
    sents = split_sentences(art)
    assert [s.text for s in sents] == ["Første avsnitt.", "Andre setning her.", "Nytt avsnitt!", "Slutt."]
    assert all(art.text[s.start:s.end] == s.text for s in sents)
    assert [s.paragraph_index for s in sents] == [0, 0, 1, 1]
    assert sents[2].id == "a-1:2"


def test_sqlite_has_fts5():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")


def test_sentence_ends_after_short_words_that_are_not_abbreviations():
    text = "Presidenten nektet å gå av. Det kom som ventet. Dijo que no. El resto calló."
    assert [text[s:e] for s, e in split_text(text)] == [
        "Presidenten nektet å gå av.", "Det kom som ventet.", "Dijo que no.", "El resto calló."]


def test_a_dash_quotation_with_exclamations_stays_with_its_attribution():
    text = ("– Vi krever svar nå! Vi godtar ikke flere unnskyldninger! sa fylkesordføreren på møtet. "
            "Hun gikk så ut. – Er det rettferdig? Nei! ropte demonstrantene. — Ya basta, dijo la alcaldesa.")
    assert [text[s:e] for s, e in split_text(text)] == [
        "– Vi krever svar nå! Vi godtar ikke flere unnskyldninger! sa fylkesordføreren på møtet.",
        "Hun gikk så ut.", "– Er det rettferdig? Nei! ropte demonstrantene.", "— Ya basta, dijo la alcaldesa."]


def test_exclamations_still_end_sentences_outside_a_dash_quotation():
    # no dash: an ordinary exclamation; a dash quote without a trailing attribution ends where it ends
    text = ("Endelig seier! Laget vant finalen 3–1. – Vi er best! Det er sikkert. "
            "– Hvem vinner? Det vet ingen. Treneren smilte.")
    assert [text[s:e] for s, e in split_text(text)] == [
        "Endelig seier!", "Laget vant finalen 3–1.", "– Vi er best!", "Det er sikkert.", "– Hvem vinner?",
        "Det vet ingen.", "Treneren smilte."]
