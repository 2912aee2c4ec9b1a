"""Tables and queries for ingested articles (issue 2).

`articles` holds every Article field (paragraphs and the publisher's summary box as JSON); the FTS5
table `articles_fts(title, text)` is an external-content index whose rowid is `articles.rowid`, kept
in sync by triggers so no writer can forget it. `article_minhash` holds LSH band keys of each
article's MinHash signature so near-duplicate candidates are found with an indexed lookup instead of
a scan (fast at 10,000+ articles). `published_sort` orders dated articles first (undated last).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.model import Article, Paragraph, ProvidedSummary

_SCHEMA_V1 = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL DEFAULT '[]',
    title TEXT,
    url TEXT,
    canonical_url TEXT,
    author TEXT,
    site_name TEXT,
    lang TEXT,
    lang_confidence REAL,
    published TEXT,
    published_precision TEXT,
    published_origin TEXT,
    published_sort TEXT,
    provided_summary TEXT,
    duplicate_of TEXT,
    content_hash TEXT,
    ingested_at TEXT,
    chars INTEGER NOT NULL DEFAULT 0,
    minhash BLOB
);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_published ON articles(published_sort);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_source ON articles(source);
CREATE TABLE article_minhash (
    band TEXT NOT NULL,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE
);
CREATE INDEX article_minhash_band ON article_minhash(band);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text);
END;
"""

#: v2: distinct shingle count next to the signature (containment needs both sizes)
_SCHEMA_V2 = "ALTER TABLE articles ADD COLUMN shingles INTEGER;"
#: the public form of `source` (see `storyline.explain.sources.display_source`)
_SCHEMA_V3 = "ALTER TABLE articles ADD COLUMN source_display TEXT;"

_COLUMNS = ("id", "source", "text", "paragraphs", "title", "url", "canonical_url", "author", "site_name",
            "lang", "lang_confidence", "published", "published_precision", "published_origin",
            "published_sort", "provided_summary", "duplicate_of", "content_hash", "ingested_at", "chars",
            "minhash", "shingles", "source_display")


@dataclass
class AddResult:
    """What happened to one article handed to `add_articles`."""

    id: str
    status: str  # "new" | "duplicate" | "updated" | "unchanged"
    duplicate_of: str | None = None


def _sort_key(published: str | None) -> str | None:
    """Dated first in chronological order; a year- or month-precise date sorts at its start."""
    return published


def _paragraphs_json(paragraphs: Sequence[Paragraph]) -> str:
    return json.dumps([{"text": p.text, "lang": p.lang, "lang_confidence": p.lang_confidence,
                        "start": p.start} for p in paragraphs], ensure_ascii=False)


def _summary_json(summary: ProvidedSummary | None) -> str | None:
    if summary is None:
        return None
    return json.dumps({"bullets": summary.bullets, "heading": summary.heading, "note": summary.note},
                      ensure_ascii=False)


def row_to_article(row: Any) -> Article:
    """An Article from a row of `articles` (any backend's row: read by column name)."""
    paragraphs = [Paragraph(text=p["text"], lang=p.get("lang"), lang_confidence=p.get("lang_confidence"),
                            start=p.get("start", 0)) for p in json.loads(row["paragraphs"] or "[]")]
    summary = None
    if row["provided_summary"]:
        s = json.loads(row["provided_summary"])
        summary = ProvidedSummary(bullets=list(s.get("bullets") or []), heading=s.get("heading"),
                                  note=s.get("note"))
    return Article(
        id=row["id"], source=row["source"], text=row["text"], paragraphs=paragraphs, title=row["title"],
        url=row["url"], canonical_url=row["canonical_url"], author=row["author"], site_name=row["site_name"],
        lang=row["lang"], lang_confidence=row["lang_confidence"], published=row["published"],
        published_precision=row["published_precision"], published_origin=row["published_origin"],
        provided_summary=summary, duplicate_of=row["duplicate_of"], content_hash=row["content_hash"],
        ingested_at=row["ingested_at"], source_display=row["source_display"],
    )


class ArticleStore:
    MIGRATIONS: dict[str, list[str]] = {"articles": [_SCHEMA_V1, _SCHEMA_V2, _SCHEMA_V3]}

    # -- writes ---------------------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article], *, minhashes: dict[str, bytes] | None = None,
                     bands: dict[str, list[str]] | None = None,
                     shingles: dict[str, int] | None = None,
                     pending_steps: Sequence[str] = ()) -> list[AddResult]:
        """Insert new articles and replace changed ones (by id), in one transaction.

        An id already stored with the same content hash is "unchanged"; with a different one (the
        source was edited: same URL, new text) its row is replaced in place, keeping its rowid, and it
        is "updated" (the FTS index follows through the update trigger). `duplicate_of` set on the
        article marks a near-duplicate ("duplicate"). `minhashes`/`bands`/`shingles` (by article id)
        feed near-duplicate lookup. `pending_steps` are recorded as still to run over every new,
        updated or duplicate article, in the same transaction (see `storyline.store.analysis`).
        """
        results: list[AddResult] = []
        minhashes, bands, shingles = minhashes or {}, bands or {}, shingles or {}
        with self.transaction() as tx:  # type: ignore[attr-defined]
            for art in articles:
                values = (art.id, art.source, art.text, _paragraphs_json(art.paragraphs), art.title, art.url,
                          art.canonical_url, art.author, art.site_name, art.lang, art.lang_confidence,
                          art.published, art.published_precision, art.published_origin,
                          _sort_key(art.published), _summary_json(art.provided_summary), art.duplicate_of,
                          art.content_hash, art.ingested_at, len(art.text), minhashes.get(art.id),
                          shingles.get(art.id), art.source_display)
                old = tx.execute("SELECT rowid, content_hash FROM articles WHERE id = ?", (art.id,)).fetchone()
                if old is not None and old[1] == art.content_hash:
                    results.append(AddResult(art.id, "unchanged"))
                    continue
                if old is not None:
                    rowid = old[0]
                    tx.execute(f"UPDATE articles SET {', '.join(c + ' = ?' for c in _COLUMNS[1:])} WHERE rowid = ?",
                               (*values[1:], rowid))
                    tx.execute("DELETE FROM article_minhash WHERE article_rowid = ?", (rowid,))
                    status = "updated"
                else:
                    rowid = self._insert_id(tx, f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES "  # type: ignore[attr-defined]
                                            f"({', '.join('?' * len(_COLUMNS))})", values, "rowid")
                    status = "duplicate" if art.duplicate_of else "new"
                self._index_article_text(tx, rowid, art.lang, art.title, art.text)  # type: ignore[attr-defined]
                keys = bands.get(art.id)
                if keys and not art.duplicate_of:
                    tx.executemany("INSERT INTO article_minhash (band, article_rowid) VALUES (?, ?)",
                                   [(k, rowid) for k in keys])
                results.append(AddResult(art.id, status, art.duplicate_of))
            if pending_steps and hasattr(self, "mark_pending"):
                self.mark_pending([r.id for r in results if r.status != "unchanged"], pending_steps)
        return results

    # -- near-duplicate support -----------------------------------------------------------------
    def minhash_candidates(self, band_keys: Sequence[str]) -> list[tuple[str, bytes, int | None]]:
        """(id, minhash signature, shingle count) of stored originals sharing at least one LSH band key."""
        if not band_keys:
            return []
        out: list[tuple[str, bytes, int | None]] = []
        seen: set[str] = set()
        for i in range(0, len(band_keys), 500):
            chunk = list(band_keys[i:i + 500])
            rows = self.conn.execute(
                "SELECT a.id, a.minhash, a.shingles FROM articles a WHERE a.rowid IN "
                f"(SELECT article_rowid FROM article_minhash WHERE band IN ({', '.join('?' * len(chunk))}))"
                " ORDER BY a.rowid", chunk)
            for r in rows:
                if r[0] not in seen and r[1] is not None:
                    seen.add(r[0])
                    out.append((r[0], r[1], r[2]))
        return out

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str | None]:
        """{id: content hash} of the given ids that are stored (a changed source has a new hash)."""
        found: dict[str, str | None] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            rows = self.conn.execute(
                f"SELECT id, content_hash FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
            found.update((r[0], r[1]) for r in rows)
        return found

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            rows = self.conn.execute(f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
            found.update(r[0] for r in rows)
        return found

    # -- reads ----------------------------------------------------------------------------------
    def get_article(self, id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (id,)).fetchone()
        return row_to_article(row) if row else None

    def iter_articles(self, ids: Iterable[str] | None = None, *, include_duplicates: bool = False
                      ) -> Iterator[Article]:
        """Articles in publication order (undated last, then by insertion)."""
        where, params = [], []  # type: ignore[var-annotated]
        if not include_duplicates:
            where.append("duplicate_of IS NULL")
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return
            where.append("id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(id_list))
        sql = "SELECT * FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_sort IS NULL, published_sort, rowid"
        rows = self.conn.execute(sql, params).fetchall()
        for row in rows:
            yield row_to_article(row)

    def article_ids(self, include_duplicates: bool = False) -> list[str]:
        sql = "SELECT id FROM articles"
        if not include_duplicates:
            sql += " WHERE duplicate_of IS NULL"
        sql += " ORDER BY published_sort IS NULL, published_sort, rowid"
        return [r[0] for r in self.conn.execute(sql)]

    def list_articles(self, lang: str | None = None, since: str | None = None, limit: int | None = None,
                      offset: int = 0, *, include_duplicates: bool = True) -> list[dict[str, Any]]:
        """Article rows without text/paragraphs (for listings), in publication order.

        `since` is an ISO date prefix ("2019", "2019-02", "2019-02-03"); undated articles are left out
        when it is given. Duplicates are listed (with `duplicate_of`) unless told otherwise.
        """
        where, params = [], []  # type: list[str], list[Any]
        if lang:
            where.append("lang = ?")
            params.append(lang)
        if since:
            where.append("published_sort IS NOT NULL AND published_sort >= ?")
            params.append(since)
        if not include_duplicates:
            where.append("duplicate_of IS NULL")
        sql = ("SELECT id, source, title, url, canonical_url, author, site_name, lang, lang_confidence, "
               "published, published_precision, published_origin, chars, duplicate_of, ingested_at, source_display "
               "FROM articles")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_sort IS NULL, published_sort, rowid"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        elif offset:
            sql += " LIMIT -1 OFFSET ?"
            params.append(int(offset))
        return [dict(r) for r in self.conn.execute(sql, params)]

    def article_headers(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """id -> the listing columns of each given article (no text): pages that link many articles
        (a 1,000-article story) read their titles, outlets and dates in a few queries."""
        out: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.conn.execute(
                "SELECT id, source, title, url, canonical_url, author, site_name, lang, published, "
                "published_precision, duplicate_of, ingested_at FROM articles "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            out.update((r["id"], dict(r)) for r in rows)
        return out

    def count_articles(self, include_duplicates: bool = True) -> int:
        sql = "SELECT COUNT(*) FROM articles"
        if not include_duplicates:
            sql += " WHERE duplicate_of IS NULL"
        return int(self.conn.execute(sql).fetchone()[0])
