"""Durable analysis state: which article still needs which pipeline step (issue 11).

`analysis_state` holds one row per (article, step): `pending` (stored, not yet analysed by that
step), `done`, or `failed` (with the reason and the number of attempts). Ingest writes the pending
rows in the same transaction as the articles themselves, and the pipeline marks a step done only
after the step has returned, so a process killed at any point leaves the work it had not finished
marked pending; the next `ingest`, `analyze` or `serve` picks it up (every step is idempotent over
articles it already handled). When the table is created in an existing store, articles that no
story holds (e.g. left by an interrupted ingest of an older version) are marked pending for every
step; the others have no rows and count as analysed. Another backend implements the same methods
over its own table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_V1 = """
CREATE TABLE analysis_state (
  article_id TEXT NOT NULL,
  step TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (datetime('now')),
  PRIMARY KEY (article_id, step)
);
CREATE INDEX analysis_state_step ON analysis_state (step, state);
INSERT INTO analysis_state (article_id, step, state)
  SELECT a.id, s.step, 'pending' FROM articles a,
    (SELECT 'entities' AS step UNION ALL SELECT 'quotes' UNION ALL SELECT 'cluster'
     UNION ALL SELECT 'statements' UNION ALL SELECT 'timeline') s
  WHERE a.duplicate_of IS NULL AND NOT EXISTS (SELECT 1 FROM story_assignments x WHERE x.article_id = a.id);
"""


class AnalysisStore:
    MIGRATIONS: dict[str, list[str]] = {"analysis": [_V1]}

    def _set_state(self, rows: list[tuple[str, str, str | None]], state: str) -> None:
        """Upsert (article_id, step, reason) rows into `state`; attempts count runs since it was pending."""
        if not rows:
            return
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.executemany(
                "INSERT INTO analysis_state (article_id, step, state, reason, attempts) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (article_id, step) DO UPDATE SET state = excluded.state, reason = excluded.reason, "
                "attempts = CASE WHEN excluded.state = 'pending' THEN 0 ELSE analysis_state.attempts + 1 END, "
                "updated_at = datetime('now')",
                [(aid, step, state, reason, 0 if state == "pending" else 1) for aid, step, reason in rows])

    def mark_pending(self, article_ids: Iterable[str], steps: Sequence[str]) -> None:
        """Every step in `steps` still has to run over these (new or changed) articles."""
        self._set_state([(aid, step, None) for aid in dict.fromkeys(article_ids) for step in steps], "pending")

    def mark_done(self, step: str, article_ids: Iterable[str]) -> None:
        """`step` finished these articles (idempotent)."""
        self._set_state([(aid, step, None) for aid in dict.fromkeys(article_ids)], "done")

    def mark_failed(self, step: str, reasons: Mapping[str, str]) -> None:
        """`step` failed on these articles: article id -> reason (kept until a retry succeeds)."""
        self._set_state([(aid, step, reason) for aid, reason in reasons.items()], "failed")

    def analysis_pending(self, step: str, *, include_failed: bool = False) -> list[str]:
        """Ids of stored articles `step` still has to process, in ingest order."""
        states = ("pending", "failed") if include_failed else ("pending",)
        rows = self.conn.execute(  # type: ignore[attr-defined]
            "SELECT s.article_id FROM analysis_state s JOIN articles a ON a.id = s.article_id "
            f"WHERE s.step = ? AND s.state IN ({', '.join('?' * len(states))}) ORDER BY a.rowid",
            (step, *states))
        return [r[0] for r in rows]

    def analysis_failures(self) -> list[dict[str, Any]]:
        """Every (article, step) whose last attempt failed, with the reason."""
        rows = self.conn.execute(  # type: ignore[attr-defined]
            "SELECT s.article_id, s.step, s.reason, s.attempts, s.updated_at FROM analysis_state s "
            "JOIN articles a ON a.id = s.article_id WHERE s.state = 'failed' ORDER BY a.rowid, s.step")
        return [{"article_id": r[0], "step": r[1], "reason": r[2], "attempts": r[3], "at": r[4]} for r in rows]

    def analysis_status(self) -> dict[str, Any]:
        """Articles stored / fully analysed, and per step how many are pending, done and failed."""
        conn = self.conn  # type: ignore[attr-defined]
        stored = int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        unfinished = int(conn.execute(
            "SELECT COUNT(DISTINCT s.article_id) FROM analysis_state s JOIN articles a ON a.id = s.article_id "
            "WHERE s.state != 'done'").fetchone()[0])
        steps: dict[str, dict[str, int]] = {}
        for step, state, n in conn.execute(
                "SELECT s.step, s.state, COUNT(*) FROM analysis_state s JOIN articles a ON a.id = s.article_id "
                "GROUP BY s.step, s.state"):
            steps.setdefault(step, {"pending": 0, "done": 0, "failed": 0})[state] = int(n)
        return {"stored": stored, "analysed": stored - unfinished, "unfinished": unfinished, "steps": steps}
