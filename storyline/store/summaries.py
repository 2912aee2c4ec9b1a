"""Tables and queries for summaries and their review history (issue 4).

`summary_summaries` holds one row per generated summary (bullets as JSON, each citing sentence ids);
`summary_history` keeps every review action with the bullets it replaced, so an edit never loses the
machine's version. Saving never overwrites a reviewed summary: it adds a new draft beside it.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from storyline.explain.review import make_label
from storyline.model import Bullet, ReviewEvent, Summary

_V1 = """
CREATE TABLE summary_summaries (
  id TEXT PRIMARY KEY,
  target_id TEXT NOT NULL,
  lang TEXT,
  backend TEXT NOT NULL,
  model TEXT,
  bullets TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'edited', 'rejected')),
  reviewer TEXT,
  reviewed_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX summary_summaries_target ON summary_summaries (target_id, created_at);
CREATE TABLE summary_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  summary_id TEXT NOT NULL REFERENCES summary_summaries (id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  at TEXT NOT NULL,
  previous_status TEXT NOT NULL,
  previous_bullets TEXT,
  note TEXT
);
CREATE INDEX summary_history_summary ON summary_history (summary_id, id);
"""


_V2 = """
CREATE TABLE summary_sentence_vectors (
  model TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  dim INTEGER NOT NULL,
  vec BLOB NOT NULL,
  PRIMARY KEY (model, text_hash)
);
"""

_V3 = """
ALTER TABLE summary_summaries ADD COLUMN rejected TEXT NOT NULL DEFAULT '[]';
"""


def _bullets_json(bullets: list[Bullet]) -> str:
    return json.dumps([{"text": b.text, "sources": list(b.sources), **({"lang": b.lang} if b.lang else {})}
                       for b in bullets], ensure_ascii=False)


def _bullets(raw: str | None) -> list[Bullet]:
    return [Bullet(text=b["text"], sources=list(b["sources"]), lang=b.get("lang")) for b in json.loads(raw or "[]")]


def _row_to_summary(row: Any) -> Summary:
    s = Summary(id=row["id"], target_id=row["target_id"], lang=row["lang"], backend=row["backend"],
                model=row["model"], bullets=_bullets(row["bullets"]), status=row["status"],
                reviewer=row["reviewer"], reviewed_at=row["reviewed_at"], created_at=row["created_at"],
                rejected=json.loads(row["rejected"] or "[]"))
    s.label = make_label(s)
    return s


class SummaryStore:
    MIGRATIONS: dict[str, list[str]] = {"summaries": [_V1, _V2, _V3]}

    def list_summaries(self, target_id: str | None = None, status: str | None = None,
                       lang: str | None = None, limit: int | None = None) -> list[Summary]:
        """Summaries, newest first, optionally of one target / in one status / language."""
        sql, args = "SELECT * FROM summary_summaries WHERE 1=1", []
        for col, val in (("target_id", target_id), ("status", status), ("lang", lang)):
            if val is not None:
                sql += f" AND {col} = ?"
                args.append(val)
        sql += " ORDER BY created_at DESC, rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        return [_row_to_summary(r) for r in self.conn.execute(sql, args)]  # type: ignore[attr-defined]

    def get_summary(self, id: str) -> Summary | None:
        row = self.conn.execute("SELECT * FROM summary_summaries WHERE id = ?", (id,)).fetchone()  # type: ignore[attr-defined]
        return _row_to_summary(row) if row else None

    def save_summary(self, summary: Summary) -> Summary:
        """Store a freshly generated summary as a draft and return it as stored (with its label).

        A draft with the same id is replaced; a reviewed summary with that id is never touched: the
        new one gets a fresh id beside it. Re-summarising a target replaces its own unreviewed draft
        (same target and language; the new draft keeps that id) instead of piling up another one.
        """
        from storyline.explain.summaries.base import new_summary_id, now_iso

        s = Summary(**{**summary.__dict__})
        s.status, s.reviewer, s.reviewed_at = "draft", None, None
        s.id = s.id or new_summary_id()
        s.created_at = s.created_at or now_iso()
        with self.transaction() as tx:  # type: ignore[attr-defined]
            old = tx.execute("SELECT status FROM summary_summaries WHERE id = ?", (s.id,)).fetchone()
            if old is not None and old["status"] != "draft":
                s.id = new_summary_id()
            drafts = [r["id"] for r in tx.execute(
                "SELECT id FROM summary_summaries WHERE target_id = ? AND status = 'draft' AND lang IS NOT DISTINCT FROM ? AND id != ?"
                " ORDER BY created_at DESC, rowid DESC", (s.target_id, s.lang, s.id))]
            if drafts and old is None:
                s.id = drafts[0]  # the target's draft is replaced in place: its review link stays valid
            for stale in drafts:
                tx.execute("DELETE FROM summary_summaries WHERE id = ?", (stale,))
            tx.execute(
                "INSERT OR REPLACE INTO summary_summaries (id, target_id, lang, backend, model, bullets, status,"
                " reviewer, reviewed_at, created_at, rejected) VALUES (?, ?, ?, ?, ?, ?, 'draft', NULL, NULL, ?, ?)",
                (s.id, s.target_id, s.lang, s.backend, s.model, _bullets_json(s.bullets), s.created_at,
                 json.dumps(s.rejected, ensure_ascii=False)),
            )
        s.label = make_label(s)
        return s

    def record_review(self, summary: Summary, event: ReviewEvent, *, expected_status: str) -> bool:
        """Persist a review decided by `storyline.service.review` (rules in `storyline.explain.review`):
        the summary's new status, reviewer and bullets plus one history row, in one transaction.

        Compare-and-set: writes nothing and returns False when the stored status is no longer
        `expected_status` (another editor acted meanwhile)."""
        with self.transaction() as tx:  # type: ignore[attr-defined]
            cur = tx.execute("UPDATE summary_summaries SET status = ?, reviewer = ?, reviewed_at = ?, bullets = ?"
                             " WHERE id = ? AND status = ?",
                             (summary.status, summary.reviewer, summary.reviewed_at, _bullets_json(summary.bullets),
                              summary.id, expected_status))
            if cur.rowcount != 1:
                return False
            tx.execute(
                "INSERT INTO summary_history (summary_id, action, reviewer, at, previous_status, previous_bullets,"
                " note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (summary.id, event.action, event.reviewer, event.at, event.previous_status,
                 _bullets_json(event.previous_bullets) if event.previous_bullets is not None else None, event.note),
            )
        return True

    def summary_history(self, id: str) -> list[dict[str, Any]]:
        """Every review action on a summary, oldest first, with the bullets an edit replaced."""
        rows = self.conn.execute("SELECT * FROM summary_history WHERE summary_id = ? ORDER BY id", (id,))  # type: ignore[attr-defined]
        return [{"action": r["action"], "reviewer": r["reviewer"], "at": r["at"],
                 "previous_status": r["previous_status"], "note": r["note"],
                 "previous_bullets": [b.__dict__ for b in _bullets(r["previous_bullets"])]
                 if r["previous_bullets"] else None} for r in rows]

    # -- sentence embeddings for extractive summaries (a story re-summarised embeds only new sentences)
    def sentence_vectors(self, model: str, text_hashes: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(text_hashes), 500):
            chunk = text_hashes[i:i + 500]
            rows = self.conn.execute(  # type: ignore[attr-defined]
                f"SELECT text_hash, vec FROM summary_sentence_vectors WHERE model = ? AND text_hash IN"
                f" ({', '.join('?' * len(chunk))})", [model, *chunk])
            out.update({r["text_hash"]: np.frombuffer(r["vec"], dtype=np.float32) for r in rows})
        return out

    def put_sentence_vectors(self, model: str, rows: list[tuple[str, np.ndarray]]) -> None:
        if self.readonly:  # type: ignore[attr-defined]
            return
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.executemany("INSERT OR REPLACE INTO summary_sentence_vectors (model, text_hash, dim, vec)"
                           " VALUES (?, ?, ?, ?)",
                           [(model, h, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for h, v in rows])
