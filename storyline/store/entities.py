"""Tables and queries for entities (issue 3): mentions, canonical entities, blocking keys, evidence
of every merge, and user corrections (kept in their own table so they survive re-analysis)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from storyline.model import Entity, Mention

_V1 = """
CREATE TABLE entity_entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    name_locked INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX entity_entities_name ON entity_entities(name COLLATE NOCASE);
CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entity_entities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
CREATE TABLE entity_mentions (
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    sentence_index INTEGER NOT NULL DEFAULT 0,
    normalized TEXT,
    role TEXT,
    role_lang TEXT,
    entity_id TEXT REFERENCES entity_entities(id) ON DELETE SET NULL,
    score REAL NOT NULL DEFAULT 1.0,
    source TEXT NOT NULL DEFAULT 'offline',
    PRIMARY KEY (article_id, start, end)
);
CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
CREATE TABLE entity_evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    score REAL,
    alias TEXT,
    article_id TEXT,
    detail TEXT,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX entity_evidence_entity ON entity_evidence(entity_id);
CREATE TABLE entity_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    value TEXT,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
"""

_MENTION_COLS = ("article_id, start, end, text, type, sentence_index, normalized, role, role_lang, entity_id,"
                 " score, source")


def _mention(row) -> Mention:
    return Mention(article_id=row["article_id"], start=row["start"], end=row["end"], text=row["text"],
                   type=row["type"], sentence_index=row["sentence_index"], normalized=row["normalized"],
                   role=row["role"], role_lang=row["role_lang"], entity_id=row["entity_id"],
                   score=row["score"], source=row["source"])


#: v2: case-insensitive name lookups use lower(name) on every backend
_V2 = "CREATE INDEX entity_entities_lower_name ON entity_entities(lower(name));"

_ENTITY_COLS = "id, name, type, key, name_locked, created_at"


class EntityRow(TypedDict):
    """The stored record of one entity (what resolution and corrections read and lock)."""

    id: str
    name: str
    type: str
    key: str
    name_locked: int
    created_at: str


def _entity_row(row: Any) -> EntityRow:
    return EntityRow(id=row["id"], name=row["name"], type=row["type"], key=row["key"],
                     name_locked=int(row["name_locked"]), created_at=row["created_at"])


class EntityStore:
    MIGRATIONS: dict[str, list[str]] = {"entities": [_V1, _V2]}

    # -- mentions -------------------------------------------------------------------------------
    def mentions(self, article_id: str) -> list[Mention]:
        rows = self.conn.execute(f"SELECT {_MENTION_COLS} FROM entity_mentions WHERE article_id = ? "
                                 "ORDER BY start, end", (article_id,))
        return [_mention(r) for r in rows]

    def mentions_of_entity(self, entity_id: str, limit: int | None = None) -> list[Mention]:
        sql = (f"SELECT {_MENTION_COLS} FROM entity_mentions WHERE entity_id = ? ORDER BY article_id, start, end"
               + (" LIMIT ?" if limit else ""))
        args = (entity_id, limit) if limit else (entity_id,)
        return [_mention(r) for r in self.conn.execute(sql, args)]

    def replace_mentions(self, article_id: str, mentions: Iterable[Mention]) -> None:
        with self.transaction() as tx:
            tx.execute("DELETE FROM entity_mentions WHERE article_id = ?", (article_id,))
            tx.executemany(
                f"INSERT OR REPLACE INTO entity_mentions ({_MENTION_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(m.article_id, m.start, m.end, m.text, m.type, m.sentence_index, m.normalized, m.role,
                  m.role_lang, m.entity_id, m.score, m.source) for m in mentions])

    def analysed_article_ids(self, article_ids: Iterable[str]) -> set[str]:
        ids = list(article_ids)
        out: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT article_id FROM entity_mentions WHERE article_id IN ({q})", chunk))
        return out

    def entity_ids_for_article(self, article_id: str) -> list[str]:
        rows = self.conn.execute("SELECT entity_id, COUNT(*) c FROM entity_mentions WHERE article_id = ? AND "
                                 "entity_id IS NOT NULL GROUP BY entity_id ORDER BY c DESC, MIN(start)",
                                 (article_id,))
        return [r[0] for r in rows]

    def articles_for_entity(self, entity_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT article_id FROM entity_mentions WHERE entity_id = ? GROUP BY article_id "
            "ORDER BY MIN(rowid)", (entity_id,))]

    # -- entities -------------------------------------------------------------------------------
    def entity_row(self, entity_id: str) -> EntityRow | None:
        """The stored record of one entity (id, name, type, key, name_locked, created_at), or None."""
        row = self.conn.execute(f"SELECT {_ENTITY_COLS} FROM entity_entities WHERE id = ?", (entity_id,)).fetchone()
        return _entity_row(row) if row is not None else None

    def _entity(self, row: EntityRow) -> Entity:
        eid = row["id"]
        mrows = self.conn.execute("SELECT article_id, text, normalized, role, role_lang FROM entity_mentions "
                                  "WHERE entity_id = ? ORDER BY rowid", (eid,)).fetchall()
        aliases: dict[str, int] = {}
        articles: list[str] = []
        roles: dict[tuple[str, str], None] = {}
        for m in mrows:
            for form in (m["normalized"], m["text"]):
                if form and form != row["name"]:
                    aliases[form] = aliases.get(form, 0) + 1
            if m["article_id"] not in articles:
                articles.append(m["article_id"])
            if m["role"]:
                roles[(m["role"].lower(), m["role_lang"] or "")] = None
        return Entity(id=eid, name=row["name"], type=row["type"],
                      aliases=sorted(aliases, key=lambda a: (-aliases[a], a)), mention_count=len(mrows),
                      article_ids=articles, roles=[{"role": r, "lang": lang} for r, lang in roles])

    def list_entities(self, type: str | None = None, article_id: str | None = None,
                      limit: int | None = None) -> list[Entity]:
        where, args = [], []
        if type:
            where.append("e.type = ?")
            args.append(type.upper())
        if article_id:
            where.append("e.id IN (SELECT entity_id FROM entity_mentions WHERE article_id = ?)")
            args.append(article_id)
        sql = (f"SELECT {', '.join('e.' + c for c in _ENTITY_COLS.split(', '))}, "
               "(SELECT COUNT(*) FROM entity_mentions m WHERE m.entity_id = e.id) AS n "
               "FROM entity_entities e" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY n DESC, e.name, e.id")
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        return [self._entity(_entity_row(r)) for r in self.conn.execute(sql, args).fetchall()]

    def get_entity(self, id_or_name: str) -> Entity | None:
        """By id ("n-…"), canonical name, or any alias (most-mentioned entity wins), case-insensitive."""
        row = self.find_entity_row(id_or_name)
        return self._entity(row) if row is not None else None

    def find_entity_row(self, id_or_name: str) -> EntityRow | None:
        """The record of the entity with this id, canonical name or alias (case-insensitive), or None."""
        q = id_or_name.strip()
        row = self.entity_row(q)
        if row is not None:
            return row
        hit = self.conn.execute("SELECT id FROM entity_entities WHERE lower(name) = lower(?) ORDER BY rowid LIMIT 1",
                                (q,)).fetchone()
        if hit is None:
            hit = self.conn.execute(
                "SELECT entity_id, COUNT(*) c FROM entity_mentions WHERE (lower(normalized) = lower(?) OR "
                "lower(text) = lower(?)) AND entity_id IS NOT NULL GROUP BY entity_id ORDER BY c DESC, entity_id"
                " LIMIT 1", (q, q)).fetchone()
        if hit is None:
            from storyline.analyze.entities.normalize import fold

            hit = self.conn.execute("SELECT entity_id FROM entity_keys WHERE key IN (?, ?, ?) LIMIT 1",
                                    (f"name:{fold(q)}", f"per:{fold(q)}", f"org:{fold(q)}")).fetchone()
        return self.entity_row(hit[0]) if hit is not None else None

    def entity_evidence(self, entity_id: str) -> list[dict]:
        rows = self.conn.execute("SELECT rule, score, alias, article_id, detail, created_at FROM entity_evidence "
                                 "WHERE entity_id = ? ORDER BY id", (entity_id,))
        out = []
        for r in rows:
            d = dict(r)
            d["detail"] = json.loads(d["detail"]) if d["detail"] else {}
            out.append(d)
        return out

    # -- writes used by resolution and corrections ----------------------------------------------
    def create_entity(self, entity_id: str, name: str, type: str, key: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO entity_entities (id, name, type, key) VALUES (?,?,?,?)",
                          (entity_id, name, type, key))

    def add_entity_keys(self, entity_id: str, keys: Iterable[str]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)",
                              [(k, entity_id) for k in keys])

    def entities_by_key(self, key: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT entity_id FROM entity_keys WHERE key = ? ORDER BY entity_id", (key,))]

    def entity_keys(self, entity_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT key FROM entity_keys WHERE entity_id = ? ORDER BY key", (entity_id,))]

    def add_evidence(self, entity_id: str, rule: str, score: float | None, alias: str | None,
                     article_id: str | None, detail: dict | None = None) -> None:
        self.conn.execute("INSERT INTO entity_evidence (entity_id, rule, score, alias, article_id, detail) "
                          "VALUES (?,?,?,?,?,?)", (entity_id, rule, score, alias, article_id,
                                                   json.dumps(detail or {}, ensure_ascii=False)))

    def add_evidence_many(self, rows: list[tuple]) -> None:
        """(entity_id, rule, score, alias, article_id, detail) rows in one statement."""
        self.conn.executemany("INSERT INTO entity_evidence (entity_id, rule, score, alias, article_id, detail) "
                              "VALUES (?,?,?,?,?,?)", [(*r[:5], json.dumps(r[5] or {}, ensure_ascii=False))
                                                       for r in rows])

    def merge_entities(self, keep: str, drop: str) -> None:
        """Move everything of `drop` onto `keep` and delete `drop`."""
        if keep == drop:
            return
        c = self.conn
        c.execute("UPDATE entity_mentions SET entity_id = ? WHERE entity_id = ?", (keep, drop))
        c.execute("INSERT OR IGNORE INTO entity_keys (key, entity_id) SELECT key, ? FROM entity_keys "
                  "WHERE entity_id = ?", (keep, drop))
        c.execute("UPDATE entity_evidence SET entity_id = ? WHERE entity_id = ?", (keep, drop))
        c.execute("DELETE FROM entity_entities WHERE id = ?", (drop,))

    def set_entity_name(self, entity_id: str, name: str, *, locked: bool | None = None) -> None:
        if locked is None:
            self.conn.execute("UPDATE entity_entities SET name = ? WHERE id = ?", (name, entity_id))
        else:
            self.conn.execute("UPDATE entity_entities SET name = ?, name_locked = ? WHERE id = ?",
                              (name, int(locked), entity_id))

    def set_entity_type(self, entity_id: str, type: str) -> None:
        self.conn.execute("UPDATE entity_entities SET type = ? WHERE id = ?", (type, entity_id))

    def delete_orphan_entities(self) -> int:
        cur = self.conn.execute("DELETE FROM entity_entities WHERE id NOT IN "
                                "(SELECT DISTINCT entity_id FROM entity_mentions WHERE entity_id IS NOT NULL)")
        return cur.rowcount

    def entity_context(self, entity_id: str, max_articles: int = 200) -> dict[str, int]:
        """Entities co-mentioned with `entity_id` (bounded to its most recent articles)."""
        rows = self.conn.execute(
            "SELECT entity_id, COUNT(DISTINCT article_id) FROM entity_mentions WHERE article_id IN "
            "(SELECT article_id FROM entity_mentions WHERE entity_id = ? GROUP BY article_id"
            " ORDER BY MAX(rowid) DESC LIMIT ?) "
            "AND entity_id IS NOT NULL AND entity_id != ? GROUP BY entity_id ORDER BY entity_id",
            (entity_id, max_articles, entity_id))
        return {r[0]: r[1] for r in rows}

    def entity_roles(self, entity_id: str) -> set[str]:
        return {r[0].lower() for r in self.conn.execute(
            "SELECT DISTINCT role FROM entity_mentions WHERE entity_id = ? AND role IS NOT NULL", (entity_id,))}

    def entity_name_forms(self, entity_id: str) -> list[tuple[str, int, int]]:
        """(normalized form, distinct articles, mentions) of an entity's mentions."""
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT normalized, COUNT(DISTINCT article_id), COUNT(*) FROM entity_mentions WHERE entity_id = ? "
            "AND normalized IS NOT NULL GROUP BY normalized ORDER BY normalized", (entity_id,))]

    def known_name_words(self) -> set[str]:
        """Folded words of stored entity names (corpus evidence for small incremental batches)."""
        words: set[str] = set()
        for (key,) in self.conn.execute("SELECT key FROM entity_keys WHERE key LIKE 'name:%' OR key LIKE "
                                        "'per:%' OR key LIKE 'org:%'"):
            words.update(key.split(":", 1)[1].split())
        return words

    def known_person_parts(self) -> set[str]:
        """Folded later words of stored person names ("machado"): incremental batches keep the corpus's
        knowledge that a word is a surname."""
        parts: set[str] = set()
        for (key,) in self.conn.execute("SELECT key FROM entity_keys WHERE key LIKE 'per:%'"):
            parts.update(key[4:].split()[1:])
        return parts

    def known_organisation_names(self) -> set[str]:
        """Folded names of stored organisations (evidence that a bare "Reuters" is an organisation)."""
        return {key[5:] for (key,) in self.conn.execute(
            "SELECT k.key FROM entity_keys k JOIN entity_entities e ON e.id = k.entity_id "
            "WHERE e.type = 'ORG' AND k.key LIKE 'name:%'")}

    def entity_mention_count(self, entity_id: str) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM entity_mentions WHERE entity_id = ?",
                                     (entity_id,)).fetchone()[0])

    def entity_mention_types(self, entity_id: str) -> list[tuple[str, int]]:
        """(mention type, count) of an entity's mentions, most frequent first (ties: the later type first,
        the order SQLite gave before this was portable)."""
        return [(r[0], int(r[1])) for r in self.conn.execute(
            "SELECT type, COUNT(*) c FROM entity_mentions WHERE entity_id = ? GROUP BY type ORDER BY c DESC, type DESC",
            (entity_id,))]

    def move_mentions(self, entity_id: str, spans: Sequence[tuple[str, int, int]]) -> None:
        """Point the mentions at these (article id, start, end) spans to `entity_id`."""
        with self.transaction() as tx:
            tx.executemany("UPDATE entity_mentions SET entity_id = ? WHERE article_id = ? AND start = ? AND end = ?",
                           [(entity_id, a, s, e) for a, s, e in spans])

    def delete_entity_keys(self, entity_id: str, keys: Iterable[str]) -> None:
        with self.transaction() as tx:
            tx.executemany("DELETE FROM entity_keys WHERE entity_id = ? AND key = ?", [(entity_id, k) for k in keys])

    def record_entity_move(self, old_id: str, new_id: str) -> None:
        """Remember that entity `old_id` now lives on as `new_id` (an automatic merge), so references
        to the old id made earlier in the same run still resolve."""
        self.conn.execute("INSERT INTO entity_corrections (action, target, value) VALUES ('_moved', ?, ?)",
                          (old_id, new_id))

    def entity_moved_to(self, old_id: str) -> str | None:
        """The id an automatically merged entity moved to (one step), or None."""
        row = self.conn.execute("SELECT value FROM entity_corrections WHERE action = '_moved' AND target = ?"
                                " ORDER BY id LIMIT 1", (old_id,)).fetchone()
        return row[0] if row is not None else None

    # -- corrections ----------------------------------------------------------------------------
    def add_correction(self, action: str, target: str, value: str | None) -> int:
        with self.transaction() as tx:
            return self._insert_id(tx, "INSERT INTO entity_corrections (action, target, value) VALUES (?,?,?)",
                                   (action, target, value), "id")

    def list_corrections(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute(
            "SELECT id, action, target, value, created_at FROM entity_corrections WHERE action NOT LIKE '\\_%' ESCAPE '\\' ORDER BY id")]
