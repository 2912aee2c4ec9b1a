"""The article-vector table search ranks with, and the article metadata it filters on (issue 5).

`search_vectors` holds one vector per (article, embedder) as float32 bytes; the matrix of one model and
the originals' metadata are cached per store object and rebuilt when a cheap fingerprint (row count,
largest rowid) changes, so a query scans numpy arrays, not rows. The ranking lives in
`storyline.search`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS search_vectors (
    article_id TEXT NOT NULL,
    model TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (article_id, model)
);
"""


@dataclass(frozen=True)
class ArticleMeta:
    """What search filters and labels hits with, for one stored original (no text)."""

    rowid: int
    id: str
    title: str | None
    lang: str | None
    published: str | None
    source: str | None
    site_name: str | None


class VectorStore:
    """Mixin: the search vectors and the cached metadata of the stored originals."""

    MIGRATIONS: dict[str, list[str]] = {"search": [SCHEMA_V1]}

    def search_article_meta(self) -> dict[str, ArticleMeta]:
        """id -> metadata of every stored original (not near-duplicates), in insertion order."""
        conn = self.conn  # type: ignore[attr-defined]
        fp = tuple(conn.execute("SELECT count(*), coalesce(max(rowid), 0) FROM articles").fetchone())
        cached = self.memo_get("search-meta")  # type: ignore[attr-defined]
        if cached and cached[0] == fp:
            return cached[1]
        rows = conn.execute("SELECT rowid, id, title, lang, published, source, site_name FROM articles"
                            " WHERE duplicate_of IS NULL ORDER BY rowid")
        meta = {r[1]: ArticleMeta(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows}
        self.memo_set("search-meta", (fp, meta))  # type: ignore[attr-defined]
        return meta

    def search_vector_matrix(self, model: str) -> tuple[list[str], np.ndarray | None]:
        """(article ids, matrix with one row per id) of the stored vectors of `model`."""
        conn = self.conn  # type: ignore[attr-defined]
        fp = tuple(conn.execute("SELECT count(*), coalesce(max(rowid), 0) FROM search_vectors WHERE model = ?",
                                (model,)).fetchone())
        key = "search-vectors:" + model
        cached = self.memo_get(key)  # type: ignore[attr-defined]
        if cached and cached[0] == fp:
            return cached[1], cached[2]
        ids, vecs = [], []
        for aid, blob in conn.execute("SELECT article_id, vector FROM search_vectors WHERE model = ? ORDER BY rowid",
                                      (model,)):
            ids.append(aid)
            vecs.append(np.frombuffer(blob, dtype=np.float32))
        matrix = np.vstack(vecs) if vecs else None
        self.memo_set(key, (fp, ids, matrix))  # type: ignore[attr-defined]
        return ids, matrix

    def missing_search_vectors(self, model: str) -> list[str]:
        meta = self.search_article_meta()
        have = {r[0] for r in self.conn.execute(  # type: ignore[attr-defined]
            "SELECT article_id FROM search_vectors WHERE model = ?", (model,))}
        return [aid for aid in meta if aid not in have]

    def put_search_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Store article vectors (used by indexing and by benchmarks that bring their own vectors)."""
        with self.transaction() as tx:  # type: ignore[attr-defined]
            tx.executemany(
                "INSERT OR REPLACE INTO search_vectors (article_id, model, dim, vector) VALUES (?, ?, ?, ?)",
                [(aid, model, int(v.shape[-1]), np.asarray(v, dtype=np.float32).tobytes())
                 for aid, v in vectors.items()])
