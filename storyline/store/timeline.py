"""Tables and queries for dated statements and per-story timelines (issue 4).

`statement_dated` holds one row per (sentence, date expression), with the sentence's embedding and
entity names so the timeline can be updated later without re-reading articles. `timeline_entry`
holds the merged entries of a story (with their embedding centroid, so a new statement is compared
with an entry in one dot product), `timeline_source` links entries to statements, and
`timeline_article` records which articles a story's timeline already holds: updates are diffs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from storyline.model import DatedStatement

_V1 = """
CREATE TABLE statement_dated (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence_index INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    expression TEXT NOT NULL,
    expr_start INTEGER,
    expr_end INTEGER,
    date TEXT NOT NULL,
    precision TEXT NOT NULL,
    assumed INTEGER NOT NULL DEFAULT 0,
    inferred INTEGER NOT NULL DEFAULT 0,
    lang TEXT,
    day_start INTEGER NOT NULL,
    day_end INTEGER NOT NULL,
    entities TEXT NOT NULL DEFAULT '[]',
    vector BLOB
);
CREATE INDEX statement_dated_article ON statement_dated(article_id, sentence_index);
CREATE TABLE timeline_entry (
    id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    date TEXT NOT NULL,
    precision TEXT NOT NULL,
    text TEXT NOT NULL,
    inferred INTEGER NOT NULL DEFAULT 0,
    entities TEXT NOT NULL DEFAULT '[]',
    centroid BLOB,
    size INTEGER NOT NULL DEFAULT 0,
    day_start INTEGER NOT NULL,
    day_end INTEGER NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX timeline_entry_story ON timeline_entry(story_id, day_start);
CREATE TABLE timeline_source (
    entry_id TEXT NOT NULL REFERENCES timeline_entry(id) ON DELETE CASCADE,
    statement_id INTEGER NOT NULL REFERENCES statement_dated(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, statement_id)
);
CREATE INDEX timeline_source_statement ON timeline_source(statement_id);
CREATE TABLE timeline_article (
    story_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX timeline_article_article ON timeline_article(article_id);
"""

# v2: the publication window inferred for an undated article from the dates its sentences share
# with dated statements of its story (`storyline.analyze.year_inference`); `evidence` is JSON.
_V2 = """
CREATE TABLE timeline_inferred_windows (
    article_id TEXT PRIMARY KEY,
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
"""

# v3: translations of entry texts into a reader's language, stored beside the source (never replacing
# it): the source sentence they translate is named, so every translation cites its source.
_V3 = """
CREATE TABLE timeline_translation (
    entry_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    article_id TEXT NOT NULL,
    sentence_index INTEGER,
    model TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, lang)
);
"""


_COLUMNS = ("id", "article_id", "sentence_index", "start", "end", "sentence", "expression", "expr_start", "expr_end",
            "date", "precision", "assumed", "inferred", "lang", "day_start", "day_end", "entities", "vector")


def _blob(v: np.ndarray | None) -> bytes | None:
    return None if v is None else np.asarray(v, dtype=np.float32).tobytes()


def _vec(b: bytes | None) -> np.ndarray | None:
    return None if b is None else np.frombuffer(b, dtype=np.float32)


def _statement(row) -> DatedStatement:
    return DatedStatement(article_id=row["article_id"], sentence_index=row["sentence_index"], start=row["start"],
                        end=row["end"], sentence=row["sentence"], expression=row["expression"], date=row["date"],
                          precision=row["precision"], assumed=bool(row["assumed"]), lang=row["lang"],
                          inferred=bool(row["inferred"]))


class TimelineStore:
    MIGRATIONS: dict[str, list[str]] = {"timeline": [_V1, _V2, _V3]}

    # -- translations of entry texts --------------------------------------------------------------
    def save_entry_translation(self, entry_id: str, lang: str, text: str, article_id: str,
                               sentence_index: int | None, model: str | None, created_at: str) -> None:
        """Keep a translation of an entry's source sentence into `lang` (one per entry and language)."""
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.execute("DELETE FROM timeline_translation WHERE entry_id = ? AND lang = ?", (entry_id, lang))
            tx.execute("INSERT INTO timeline_translation (entry_id, lang, text, article_id, sentence_index, model,"
                       " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (entry_id, lang, text, article_id, sentence_index, model, created_at))

    def entry_translations(self, entry_ids: Sequence[str], lang: str) -> dict[str, dict[str, Any]]:
        """entry id -> {text, article_id, sentence_index, model} of its stored translation into `lang`."""
        out: dict[str, dict[str, Any]] = {}
        ids = list(entry_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in self.conn.execute(  # type: ignore[attr-defined]
                    "SELECT entry_id, text, article_id, sentence_index, model FROM timeline_translation"
                    f" WHERE lang = ? AND entry_id IN ({','.join('?' * len(chunk))})", [lang, *chunk]):
                out[r[0]] = {"text": r[1], "article_id": r[2], "sentence_index": r[3], "model": r[4]}
        return out

    # -- inferred windows of undated articles ---------------------------------------------------
    def save_inferred_window(self, article_id: str, start: str, end: str,
                             evidence: Sequence[dict[str, Any]] = ()) -> None:
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.execute("INSERT OR REPLACE INTO timeline_inferred_windows (article_id, start, end, evidence)"
                       " VALUES (?, ?, ?, ?)", (article_id, start, end, json.dumps(list(evidence), ensure_ascii=False)))

    def delete_inferred_windows(self, article_ids: Iterable[str]) -> None:
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.executemany("DELETE FROM timeline_inferred_windows WHERE article_id = ?", [(a,) for a in article_ids])

    def inferred_window(self, article_id: str) -> dict[str, Any] | None:
        """{start, end, evidence} of an undated article's inferred window, or None."""
        row = self.conn.execute("SELECT start, end, evidence FROM timeline_inferred_windows"  # type: ignore[attr-defined]
                                " WHERE article_id = ?", (article_id,)).fetchone()
        return {"start": row[0], "end": row[1], "evidence": json.loads(row[2])} if row else None

    # -- dated statements -----------------------------------------------------------------------
    def replace_statements(self, article_id: str, rows: Sequence[dict[str, Any]]) -> list[str]:
        """Store an article's dated statements (replacing earlier ones); returns touched entry ids.

        Each row holds the DatedStatement fields plus expr_start, expr_end, inferred, day_start,
        day_end, entities (list of names) and vector (np.ndarray or None).
        """
        with self.transaction() as tx:  # type: ignore[attr-defined]
            touched = [r[0] for r in tx.execute(
                "SELECT DISTINCT s.entry_id FROM timeline_source s JOIN statement_dated d ON d.id = s.statement_id"
                " WHERE d.article_id = ?", (article_id,))]
            tx.execute("DELETE FROM statement_dated WHERE article_id = ?", (article_id,))
            tx.execute("DELETE FROM timeline_article WHERE article_id = ?", (article_id,))
            tx.executemany(
                "INSERT INTO statement_dated (article_id, sentence_index, start, end, sentence, expression,"
                " expr_start, expr_end, date, precision, assumed, inferred, lang, day_start, day_end, entities,"
                " vector) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(article_id, r["sentence_index"], r["start"], r["end"], r["sentence"], r["expression"],
                  r.get("expr_start"), r.get("expr_end"), r["date"], r["precision"], int(bool(r.get("assumed"))),
                  int(bool(r.get("inferred"))), r.get("lang"), r["day_start"], r["day_end"],
                  json.dumps(r.get("entities") or [], ensure_ascii=False), _blob(r.get("vector")))
                 for r in rows])
        return touched

    def set_statement_vectors(self, vectors: Sequence[tuple[int, np.ndarray]]) -> list[str]:
        """Give stored statements (by row id) their vectors; returns the entry ids built on them."""
        if not vectors:
            return []
        ids = [int(i) for i, _ in vectors]
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.executemany("UPDATE statement_dated SET vector = ? WHERE id = ?",
                           [(_blob(v), int(i)) for i, v in vectors])
            touched: list[str] = []
            for lo in range(0, len(ids), 500):
                chunk = ids[lo:lo + 500]
                touched += [r[0] for r in tx.execute(
                    f"SELECT DISTINCT entry_id FROM timeline_source WHERE statement_id IN ({','.join('?' * len(chunk))})",
                    chunk)]
        return sorted(set(touched))

    def dated_statements(self, article_id: str | None = None,
                         article_ids: Iterable[str] | None = None) -> list[DatedStatement]:
        """Dated statements of one article, of several, or of all; in article and sentence order."""
        sql, args = "SELECT * FROM statement_dated", []
        if article_id is not None:
            sql, args = sql + " WHERE article_id = ?", [article_id]
        elif article_ids is not None:
            ids = list(article_ids)
            if not ids:
                return []
            sql, args = sql + f" WHERE article_id IN ({','.join('?' * len(ids))})", ids
        rows = self.conn.execute(sql + " ORDER BY article_id, sentence_index, expr_start", args)  # type: ignore[attr-defined]
        return [_statement(r) for r in rows]

    def statement_rows(self, article_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Raw statement rows (with id, vector and entities) for the timeline builder."""
        if not article_ids:
            return []
        out = []
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i:i + 500])
            rows = self.conn.execute(  # type: ignore[attr-defined]
                f"SELECT * FROM statement_dated WHERE article_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY article_id, sentence_index, expr_start", chunk)
            for r in rows:
                d = dict(r)
                d["vector"] = _vec(d["vector"])
                d["entities"] = json.loads(d["entities"])
                out.append(d)
        return out

    # -- timeline entries -----------------------------------------------------------------------
    def timeline_article_ids(self, story_id: str) -> set[str]:
        return {r[0] for r in self.conn.execute(  # type: ignore[attr-defined]
            "SELECT article_id FROM timeline_article WHERE story_id = ?", (story_id,))}

    def timeline_story_of(self, article_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(  # type: ignore[attr-defined]
            "SELECT story_id FROM timeline_article WHERE article_id = ? ORDER BY story_id", (article_id,))]

    def timeline_entry_stories(self, entry_ids: Sequence[str]) -> dict[str, list[str]]:
        """story id -> the given entry ids it holds."""
        out: dict[str, list[str]] = {}
        for i in range(0, len(entry_ids), 500):
            chunk = list(entry_ids[i:i + 500])
            for r in self.conn.execute(  # type: ignore[attr-defined]
                    f"SELECT story_id, id FROM timeline_entry WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id",
                    chunk):
                out.setdefault(r[0], []).append(r[1])
        return out

    def delete_story_timeline(self, story_id: str) -> None:
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.execute("DELETE FROM timeline_entry WHERE story_id = ?", (story_id,))
            tx.execute("DELETE FROM timeline_article WHERE story_id = ?", (story_id,))

    def timeline_stale_story_ids(self) -> set[str]:
        """Stories whose article set differs from the one their timeline was built from (one query, so
        the timeline step's cost does not grow with the number of unchanged stories)."""
        rows = self.conn.execute(  # type: ignore[attr-defined]
            "SELECT e.story_id FROM story_assignments a JOIN story_events e ON e.id = a.event_id"
            " LEFT JOIN timeline_article t ON t.story_id = e.story_id AND t.article_id = a.article_id"
            " WHERE t.article_id IS NULL"
            " UNION SELECT t.story_id FROM timeline_article t"
            " LEFT JOIN story_assignments a ON a.article_id = t.article_id"
            " LEFT JOIN story_events e ON e.id = a.event_id AND e.story_id = t.story_id WHERE e.id IS NULL")
        return {r[0] for r in rows if r[0] is not None}

    def timeline_story_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT story_id FROM timeline_article ORDER BY story_id")]  # type: ignore[attr-defined]

    def timeline_entry_rows(self, story_id: str, *, windows: Sequence[tuple[int, int]] | None = None,
                            entry_ids: Sequence[str] | None = None,
                            with_vectors: bool = True) -> list[dict[str, Any]]:
        """Entries of a story with their sources; `windows` keeps only entries overlapping one of
        the (first day, last day) ordinal ranges, so an update reads only the entries near its dates."""
        # with entry ids, look them up by primary key (`+story_id` keeps the planner off the story index)
        sql = "SELECT * FROM timeline_entry WHERE " + ("+story_id = ?" if entry_ids is not None else "story_id = ?")
        args: list[Any] = [story_id]
        if windows is not None:
            if not windows:
                return []
            merged: list[list[int]] = []
            for lo, hi in sorted(windows):
                if merged and lo <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            sql += " AND (" + " OR ".join("(day_start <= ? AND day_end >= ?)" for _ in merged) + ")"
            for lo, hi in merged:
                args += [hi, lo]
        if entry_ids is not None:
            if not entry_ids:
                return []
            sql += f" AND id IN ({','.join('?' * len(entry_ids))})"
            args += list(entry_ids)
        sql += " ORDER BY id" if entry_ids is not None else " ORDER BY day_start, rowid"
        entries = [dict(r) for r in self.conn.execute(sql, args)]  # type: ignore[attr-defined]
        if not entries:
            return []
        by_id = {e["id"]: e for e in entries}
        for e in entries:
            e["centroid"] = _vec(e["centroid"]) if with_vectors else None
            e["entities"] = json.loads(e["entities"])
            e["sources"] = []
        ids = list(by_id)
        cols = "d.*" if with_vectors else ", ".join(f"d.{c}" for c in _COLUMNS if c != "vector") + ", NULL AS vector"
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.conn.execute(  # type: ignore[attr-defined]
                f"SELECT s.entry_id, {cols} FROM timeline_source s JOIN statement_dated d ON d.id = s.statement_id"
                f" WHERE s.entry_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY d.article_id, d.sentence_index, s.entry_id, d.id",
                chunk)
            for r in rows:
                d = dict(r)
                d["vector"] = _vec(d["vector"])
                d["entities"] = json.loads(d["entities"])
                by_id[d.pop("entry_id")]["sources"].append(d)
        return entries

    def save_timeline(self, story_id: str, entries: Sequence[dict[str, Any]], deleted: Sequence[str] = (),
                      added_articles: Sequence[str] = (), removed_articles: Sequence[str] = ()) -> None:
        """Write changed entries (dicts as from timeline_entry_rows) and the story's article set."""
        with self.transaction() as tx:  # type: ignore[attr-defined]
            if deleted:
                tx.executemany("DELETE FROM timeline_entry WHERE id = ?", [(i,) for i in deleted])
            for e in entries:
                tx.execute(
                    "INSERT INTO timeline_entry (id, story_id, date, precision, text, inferred, entities, centroid,"
                    " size, day_start, day_end, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,datetime('now'))"
                    " ON CONFLICT(id) DO UPDATE SET story_id=excluded.story_id, date=excluded.date,"
                    " precision=excluded.precision, text=excluded.text, inferred=excluded.inferred,"
                    " entities=excluded.entities, centroid=excluded.centroid, size=excluded.size,"
                    " day_start=excluded.day_start, day_end=excluded.day_end, updated_at=excluded.updated_at",
                    (e["id"], story_id, e["date"], e["precision"], e["text"], int(bool(e["inferred"])),
                     json.dumps(e["entities"], ensure_ascii=False), _blob(e.get("centroid")),
                     len(e["sources"]), e["day_start"], e["day_end"]))
                tx.execute("DELETE FROM timeline_source WHERE entry_id = ?", (e["id"],))
                tx.executemany("INSERT OR IGNORE INTO timeline_source (entry_id, statement_id) VALUES (?, ?)",
                               [(e["id"], s["id"]) for s in e["sources"]])
            tx.executemany("INSERT OR IGNORE INTO timeline_article (story_id, article_id) VALUES (?, ?)",
                           [(story_id, a) for a in added_articles])
            tx.executemany("DELETE FROM timeline_article WHERE story_id = ? AND article_id = ?",
                           [(story_id, a) for a in removed_articles])

    def timeline_outline(self, story_id: str) -> list[dict[str, Any]]:
        """Every entry of a story without its sources' text: id, date, precision, text, inferred and the
        ids of the articles it cites, in date order. Two light queries, so a page can draw the whole
        axis of a 1,000-article story and read full entries (`timeline(..., entry_ids=)`) for one page."""
        rows = self.conn.execute(  # type: ignore[attr-defined]  (day_start/day_end: the date's period)
            "SELECT id, date, precision, text, inferred FROM timeline_entry WHERE story_id = ?"
            " ORDER BY day_start, day_end, id", (story_id,))
        out = {r[0]: {"id": r[0], "date": r[1], "precision": r[2], "text": r[3], "inferred": bool(r[4]),
                      "article_ids": []} for r in rows}
        for entry_id, article_id in self.conn.execute(  # type: ignore[attr-defined]
                "SELECT s.entry_id, d.article_id FROM timeline_entry e JOIN timeline_source s ON s.entry_id = e.id"
                " JOIN statement_dated d ON d.id = s.statement_id WHERE e.story_id = ? ORDER BY s.entry_id, s.statement_id",
                (story_id,)):
            ids = out[entry_id]["article_ids"]
            if article_id not in ids:
                ids.append(article_id)
        return list(out.values())
