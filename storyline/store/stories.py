"""Tables and queries for events and stories (issue 7).

`story_events` / `story_stories` hold the clusters and their labels; `story_assignments` maps each
article to its event; `story_features` keeps each article's compact clustering features (so the
clusterer rebuilds its state without re-reading or re-tokenising texts); `story_embeddings` caches
vectors keyed by (article, model) and the hash of the embedded text, so an unchanged article is never
re-embedded; `story_history` records creations, merges and splits with their time and reason.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storyline.model import Event, Story

_V1 = """
CREATE TABLE story_stories (
  id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', languages TEXT NOT NULL DEFAULT '[]',
  start TEXT, end TEXT, top_entities TEXT NOT NULL DEFAULT '[]', sources INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE story_events (
  id TEXT PRIMARY KEY, story_id TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
  languages TEXT NOT NULL DEFAULT '[]', start TEXT, end TEXT, top_entities TEXT NOT NULL DEFAULT '[]',
  sources INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX story_events_story ON story_events(story_id);
CREATE TABLE story_assignments (
  article_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, score REAL, assigned_at TEXT NOT NULL
);
CREATE INDEX story_assignments_event ON story_assignments(event_id);
CREATE TABLE story_features (
  article_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, lang TEXT, published TEXT, source TEXT,
  title TEXT, data TEXT NOT NULL
);
CREATE TABLE story_embeddings (
  article_id TEXT NOT NULL, model TEXT NOT NULL, text_hash TEXT NOT NULL, dim INTEGER NOT NULL,
  vec BLOB NOT NULL, PRIMARY KEY (article_id, model)
);
CREATE TABLE story_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, target_id TEXT NOT NULL, action TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}', at TEXT NOT NULL
);
CREATE INDEX story_history_target ON story_history(target_id);
"""


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class StoryStore:
    MIGRATIONS: dict[str, list[str]] = {"stories": [_V1]}

    # -- reading ------------------------------------------------------------------------------
    def _article_ids_of_events(self, event_ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {e: [] for e in event_ids}
        if not event_ids:
            return out
        marks = ",".join("?" * len(event_ids))
        rows = self.conn.execute(
            f"SELECT a.event_id, a.article_id FROM story_assignments a LEFT JOIN story_features f"
            f" ON f.article_id = a.article_id WHERE a.event_id IN ({marks}) ORDER BY f.seq", event_ids)
        for r in rows:
            out[r[0]].append(r[1])
        return out

    def _event(self, row, article_ids: list[str]) -> Event:
        return Event(id=row["id"], story_id=row["story_id"], title=row["title"], article_ids=article_ids,
                     languages=json.loads(row["languages"]), start=row["start"], end=row["end"],
                     top_entities=json.loads(row["top_entities"]), sources=row["sources"])

    def list_events(self, story_id: str | None = None) -> list[Event]:
        sql = "SELECT * FROM story_events"
        args: tuple = ()
        if story_id is not None:
            sql += " WHERE story_id = ?"
            args = (story_id,)
        rows = self.conn.execute(sql + " ORDER BY start IS NULL, start, id", args).fetchall()
        members = self._article_ids_of_events([r["id"] for r in rows])
        return [self._event(r, members[r["id"]]) for r in rows]

    def get_event(self, event_id: str) -> Event | None:
        row = self.conn.execute("SELECT * FROM story_events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        return self._event(row, self._article_ids_of_events([event_id])[event_id])

    def _story(self, row, events: list[Event] | None = None) -> Story:
        events = self.list_events(row["id"]) if events is None else events
        return Story(id=row["id"], title=row["title"], article_ids=[a for e in events for a in e.article_ids],
                     event_ids=[e.id for e in events], languages=json.loads(row["languages"]),
                     start=row["start"], end=row["end"], top_entities=json.loads(row["top_entities"]))

    def list_stories(self) -> list[Story]:
        rows = self.conn.execute("SELECT * FROM story_stories ORDER BY end IS NULL, end DESC, id").fetchall()
        return [self._story(r) for r in rows]

    def get_story(self, story_id: str) -> Story | None:
        row = self.conn.execute("SELECT * FROM story_stories WHERE id = ?", (story_id,)).fetchone()
        return self._story(row) if row else None

    def story_version(self, story_id: str) -> tuple[Any, ...] | None:
        """A value that changes when anything a story page derives from the whole story changes: the
        story row, its events and members, its timeline entries, the articles table. The same from
        every connection (each thread has its own), so a cache keyed on it works across threads. None
        when there is no such story. A few indexed aggregate reads."""
        row = self.conn.execute("SELECT updated_at, sources, title, top_entities FROM story_stories WHERE id = ?",
                                (story_id,)).fetchone()
        if row is None:
            return None
        parts: list[Any] = [tuple(row)]
        parts.append(tuple(self.conn.execute(
            "SELECT count(*), max(updated_at), coalesce(sum(length(title)), 0) FROM story_events WHERE story_id = ?",
            (story_id,)).fetchone()))
        parts.append(tuple(self.conn.execute(
            "SELECT count(*), max(a.assigned_at), coalesce(sum(a.rowid), 0) FROM story_assignments a"
            " JOIN story_events e ON e.id = a.event_id WHERE e.story_id = ?", (story_id,)).fetchone()))
        parts.append(tuple(self.conn.execute(
            "SELECT count(*), max(updated_at), coalesce(sum(size), 0), coalesce(sum(length(text)), 0)"
            " FROM timeline_entry WHERE story_id = ?", (story_id,)).fetchone()))
        parts.append(tuple(self.conn.execute("SELECT count(*), max(rowid) FROM articles").fetchone()))
        return tuple(parts)

    def story_with_events(self, story_id: str) -> tuple[Story, list[Event]] | None:
        """The story and its events from one read of its members (a page needs both)."""
        row = self.conn.execute("SELECT * FROM story_stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        events = self.list_events(story_id)
        return self._story(row, events), events

    def story_heads(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """article id -> {id, title, size} of its story, in two queries (a search page heads each
        group of hits with its story; reading whole stories would cost a member list each)."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        of = {r[0]: r[1] for r in self.conn.execute(
            f"SELECT a.article_id, e.story_id FROM story_assignments a JOIN story_events e ON e.id = a.event_id"
            f" WHERE a.article_id IN ({marks})", ids)}
        sids = sorted(set(of.values()))
        if not sids:
            return {}
        smarks = ",".join("?" * len(sids))
        heads = {r[0]: {"id": r[0], "title": r[1], "size": r[2]} for r in self.conn.execute(
            f"SELECT s.id, s.title, count(a.article_id) FROM story_stories s JOIN story_events e ON e.story_id = s.id"
            f" JOIN story_assignments a ON a.event_id = e.id WHERE s.id IN ({smarks}) GROUP BY s.id", sids)}
        return {aid: heads[sid] for aid, sid in of.items() if sid in heads}

    def story_updated(self) -> dict[str, str]:
        """story id -> when the story last changed (an article joined, its label or span moved)."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, updated_at FROM story_stories ORDER BY rowid")}

    def _original_of(self, article_id: str) -> str | None:
        """A near-duplicate is not clustered itself: it belongs where its original is."""
        get = getattr(self, "get_article", None)
        art = get(article_id) if get else None
        return getattr(art, "duplicate_of", None) if art else None

    def event_of_article(self, article_id: str) -> Event | None:
        row = self.conn.execute("SELECT event_id FROM story_assignments WHERE article_id = ?",
                                (article_id,)).fetchone()
        if row is None:
            original = self._original_of(article_id)
            return self.event_of_article(original) if original and original != article_id else None
        return self.get_event(row[0])

    def story_of_article(self, article_id: str) -> Story | None:
        original = None
        if not self.conn.execute("SELECT 1 FROM story_assignments WHERE article_id = ?", (article_id,)).fetchone():
            original = self._original_of(article_id)
            if original and original != article_id:
                return self.story_of_article(original)
        row = self.conn.execute(
            "SELECT e.story_id FROM story_assignments a JOIN story_events e ON e.id = a.event_id"
            " WHERE a.article_id = ?", (article_id,)).fetchone()
        return self.get_story(row[0]) if row else None

    def story_article_ids(self, story_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT a.article_id FROM story_assignments a JOIN story_events e ON e.id = a.event_id"
            " LEFT JOIN story_features f ON f.article_id = a.article_id WHERE e.story_id = ? ORDER BY f.seq",
            (story_id,))
        return [r[0] for r in rows]

    def article_date_window(self, article_id: str) -> tuple[str, str, bool] | None:
        """The article's own date, else the date span of its event's dated articles (inferred=True)."""
        row = self.conn.execute("SELECT published FROM story_features WHERE article_id = ?",
                                (article_id,)).fetchone()
        if row and row[0]:
            return row[0], row[0], False
        ev = self.conn.execute(
            "SELECT MIN(f.published), MAX(f.published) FROM story_assignments a"
            " JOIN story_assignments b ON b.event_id = a.event_id"
            " JOIN story_features f ON f.article_id = b.article_id"
            " WHERE a.article_id = ? AND f.published IS NOT NULL AND f.published != ''",
            (article_id,)).fetchone()
        if ev and ev[0]:
            return ev[0], ev[1], True
        # no dated article in the event: the windows the timeline stage inferred for undated
        # event-mates (or the article itself) from dates they share with the story's dated statements
        iw = self.conn.execute(
            "SELECT MIN(w.start), MAX(w.end) FROM timeline_inferred_windows w WHERE w.article_id = ?"
            " OR w.article_id IN (SELECT b.article_id FROM story_assignments a"
            " JOIN story_assignments b ON b.event_id = a.event_id WHERE a.article_id = ?)",
            (article_id, article_id)).fetchone()
        if iw and iw[0]:
            return iw[0], iw[1], True
        return None

    def story_history(self, target_id: str) -> list[dict[str, Any]]:
        """Creations, merges, splits and moves of a story or event (and of the story's events)."""
        ids = [target_id]
        if target_id.startswith("s-"):
            ids += [r[0] for r in self.conn.execute("SELECT id FROM story_events WHERE story_id = ?",
                                                   (target_id,))]
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT * FROM story_history WHERE target_id IN ({marks}) ORDER BY seq", ids)
        return [{"at": r["at"], "target_id": r["target_id"], "action": r["action"], "reason": r["reason"],
                 **json.loads(r["detail"])} for r in rows]

    def merged_into(self, story_id: str) -> str | None:
        """The live story that a merged-away story id now lives in (following chained merges)."""
        seen = {story_id}
        current = story_id
        while True:
            row = self.conn.execute("SELECT detail FROM story_history WHERE target_id = ? AND action = 'merged_into'"
                                    " ORDER BY seq DESC LIMIT 1", (current,)).fetchone()
            if row is None:
                return current if current != story_id else None
            current = json.loads(row[0]).get("into")
            if not current or current in seen:
                return None
            seen.add(current)

    def cluster_state_version(self) -> tuple[Any, ...]:
        """Changes whenever any process clusters, merges or reclusters: an in-memory clusterer built
        from the store is stale when this differs from the value it was built at."""
        return (tuple(self.conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM story_features").fetchone())
                + tuple(self.conn.execute("SELECT count(*), coalesce(max(rowid), 0) FROM story_assignments").fetchone())
                + tuple(self.conn.execute("SELECT coalesce(max(seq), 0) FROM story_history").fetchone()))

    def cluster_assignments(self) -> dict[str, tuple[str, str]]:
        """article id -> (event id, story id), for every clustered article."""
        rows = self.conn.execute("SELECT a.article_id, a.event_id, e.story_id FROM story_assignments a"
                                 " JOIN story_events e ON e.id = a.event_id ORDER BY a.rowid")
        return {r[0]: (r[1], r[2]) for r in rows}

    def cluster_features(self) -> list[tuple[str, str | None, str | None, dict[str, Any]]]:
        """(article id, lang, published, feature data) of every clustered article, in arrival order."""
        rows = self.conn.execute("SELECT article_id, lang, published, data FROM story_features ORDER BY seq")
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def cluster_article_meta(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """lang, published, source and title of clustered articles (used for labels)."""
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT article_id, lang, published, source, title, data FROM"
                                       f" story_features WHERE article_id IN ({marks}) ORDER BY article_id", chunk):
                out[r[0]] = {"lang": r[1], "published": r[2], "source": r[3], "title": r[4],
                             **json.loads(r[5])}
        return out

    # -- embedding cache ------------------------------------------------------------------------
    def get_embeddings(self, article_ids: list[str], model: str) -> dict[str, tuple[str, np.ndarray]]:
        out: dict[str, tuple[str, np.ndarray]] = {}
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(f"SELECT article_id, text_hash, vec FROM story_embeddings WHERE"
                                       f" model = ? AND article_id IN ({marks}) ORDER BY article_id", [model, *chunk]):
                out[r[0]] = (r[1], np.frombuffer(r[2], dtype=np.float32).copy())
        return out

    def put_embeddings(self, model: str, rows: list[tuple[str, str, np.ndarray]]) -> None:
        with self.transaction() as tx:
            tx.executemany("INSERT OR REPLACE INTO story_embeddings (article_id, model, text_hash, dim, vec)"
                           " VALUES (?, ?, ?, ?, ?)",
                           [(a, model, h, int(v.shape[0]), np.asarray(v, np.float32).tobytes())
                            for a, h, v in rows])

    # -- writing (the clusterer) -----------------------------------------------------------------
    def save_cluster_features(self, rows: list[tuple[str, str | None, str | None, str | None, str | None,
                                                     dict[str, Any]]]) -> None:
        """(article id, lang, published, source, title, data) in arrival order."""
        with self.transaction() as tx:
            seq = tx.execute("SELECT COALESCE(MAX(seq), 0) FROM story_features").fetchone()[0]
            for i, (aid, lang, published, source, title, data) in enumerate(rows, start=1):
                tx.execute("INSERT OR REPLACE INTO story_features (article_id, seq, lang, published, source,"
                           " title, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (aid, seq + i, lang, published, source, title, json.dumps(data)))

    def save_assignment(self, article_id: str, event_id: str, score: float | None) -> None:
        with self.transaction() as tx:
            tx.execute("INSERT OR REPLACE INTO story_assignments (article_id, event_id, score, assigned_at)"
                       " VALUES (?, ?, ?, ?)", (article_id, event_id, score, now()))

    def upsert_event(self, event: Event) -> None:
        self._upsert("story_events", event, story_id=event.story_id)

    def upsert_story(self, story: Story, sources: int = 0) -> None:
        self._upsert("story_stories", story, sources=sources)

    def _upsert(self, table: str, obj: Event | Story, **extra: Any) -> None:
        ts = now()
        values = {"id": obj.id, "title": obj.title, "languages": json.dumps(obj.languages),
                  "start": obj.start, "end": obj.end, "top_entities": json.dumps(obj.top_entities),
                  "sources": getattr(obj, "sources", 0), **extra}
        if table == "story_stories":
            values["sources"] = extra.get("sources", 0)
        cols = list(values)
        with self.transaction() as tx:
            tx.execute(f"INSERT INTO {table} ({', '.join(cols)}, created_at, updated_at) VALUES"
                       f" ({', '.join('?' * len(cols))}, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                       + ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id")
                       + ", updated_at = excluded.updated_at", [*values.values(), ts, ts])

    def record_history(self, target_id: str, action: str, reason: str = "", **detail: Any) -> None:
        with self.transaction() as tx:
            tx.execute("INSERT INTO story_history (target_id, action, reason, detail, at) VALUES (?, ?, ?, ?, ?)",
                       (target_id, action, reason, json.dumps(detail, ensure_ascii=False), now()))

    def clear_clusters(self) -> None:
        """Drop every assignment, event and story (not the history, features or embeddings): recluster."""
        with self.transaction() as tx:
            tx.execute("DELETE FROM story_assignments")
            tx.execute("DELETE FROM story_events")
            tx.execute("DELETE FROM story_stories")

    def delete_empty_clusters(self) -> None:
        with self.transaction() as tx:
            tx.execute("DELETE FROM story_events WHERE id NOT IN (SELECT DISTINCT event_id FROM story_assignments)")
            tx.execute("DELETE FROM story_stories WHERE id NOT IN (SELECT DISTINCT story_id FROM story_events)")
