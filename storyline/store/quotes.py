"""Tables and queries for quotes (issue 6): who said what, when.

One row per quotation with its resolved speaker; `speaker_key` holds the accent- and case-folded
speaker name and description so `--speaker pompeo` finds "Mike Pompeo" and "Nicolás" finds "Nicolas".
Re-analysing an article replaces its quotes in one transaction, so a failure keeps the old ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from storyline.model import Quote

_V1 = """
CREATE TABLE quote_quotes (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    direct INTEGER NOT NULL,
    speaker TEXT,
    speaker_entity_id TEXT,
    speaker_description TEXT,
    speaker_key TEXT NOT NULL DEFAULT '',
    cue TEXT,
    medium TEXT,
    lang TEXT,
    date TEXT,
    date_precision TEXT,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX quote_quotes_article ON quote_quotes(article_id, start);
CREATE INDEX quote_quotes_entity ON quote_quotes(speaker_entity_id);
CREATE INDEX quote_quotes_date ON quote_quotes(date);
"""

_COLUMNS = ("id", "article_id", "text", "start", "end", "direct", "speaker", "speaker_entity_id",
            "speaker_description", "cue", "medium", "lang", "date", "date_precision")


def _key(*parts: str | None) -> str:
    from storyline.analyze.quotes.names import fold

    return " | ".join(fold(p) for p in parts if p)


def _row_to_quote(row) -> Quote:
    d = {c: row[c] for c in _COLUMNS}
    d["direct"] = bool(d["direct"])
    return Quote(**d)


class QuoteStore:
    MIGRATIONS: dict[str, list[str]] = {"quotes": [_V1]}

    def save_quotes(self, article_id: str, quotes: Iterable[Quote]) -> int:
        """Replace the quotes of one article; returns how many were stored."""
        rows = [(q.id, article_id, q.text, q.start, q.end, int(q.direct), q.speaker, q.speaker_entity_id,
                 q.speaker_description, _key(q.speaker, q.speaker_description), q.cue, q.medium, q.lang,
                 q.date, q.date_precision) for q in quotes]
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.execute("DELETE FROM quote_quotes WHERE article_id = ?", (article_id,))
            tx.executemany(
                "INSERT OR REPLACE INTO quote_quotes (id, article_id, text, start, end, direct, speaker,"
                " speaker_entity_id, speaker_description, speaker_key, cue, medium, lang, date, date_precision)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def get_quote(self, quote_id: str) -> Quote | None:
        row = self.conn.execute("SELECT * FROM quote_quotes WHERE id = ?", (quote_id,)).fetchone()  # type: ignore[attr-defined]
        return _row_to_quote(row) if row else None

    def count_quotes(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM quote_quotes").fetchone()[0]  # type: ignore[attr-defined]

    def quote_speakers(self, limit: int | None = None) -> list[dict]:
        """Speakers with how many quotes each, most quoted first (for the web UI and the demo)."""
        sql = ("SELECT COALESCE(speaker, speaker_description) AS name, speaker_entity_id, COUNT(*) AS n"
               " FROM quote_quotes GROUP BY name, speaker_entity_id ORDER BY n DESC, name")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) for r in self.conn.execute(sql)]  # type: ignore[attr-defined]

    def list_quotes(self, speaker: str | None = None, story_id: str | None = None, lang: str | None = None,
                    article_id: str | None = None, limit: int | None = None) -> list[Quote]:
        """Quotes in date order (then article, then position). `speaker` is an entity id ("n-…"), a
        name or part of one, or part of an unnamed speaker's description; accents and case are ignored."""
        where, args = [], []
        if speaker:
            ids = [speaker] if speaker.startswith("n-") else []
            getter = getattr(self, "get_entity", None)
            if getter is not None and not ids:
                try:
                    ent = getter(speaker)
                except Exception:  # the entities store may not be ready; a name match still works
                    ent = None
                if ent is not None:
                    ids.append(ent.id)
            cond = ["q.speaker_key LIKE ?"]
            args.append(f"%{_key(speaker)}%")
            if ids:
                cond.append(f"q.speaker_entity_id IN ({','.join('?' * len(ids))})")
                args.extend(ids)
            where.append("(" + " OR ".join(cond) + ")")
        if story_id:
            aids = self.story_article_ids(story_id)  # type: ignore[attr-defined]
            if not aids:
                return []
            where.append(f"q.article_id IN ({','.join('?' * len(aids))})")
            args.extend(aids)
        if lang:
            where.append("q.lang = ?")
            args.append(lang)
        if article_id:
            where.append("q.article_id = ?")
            args.append(article_id)
        sql = ("SELECT q.* FROM quote_quotes q LEFT JOIN articles a ON a.id = q.article_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY q.date IS NULL, q.date, a.published_sort, q.article_id, q.start")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_row_to_quote(r) for r in self.conn.execute(sql, args)]  # type: ignore[attr-defined]
