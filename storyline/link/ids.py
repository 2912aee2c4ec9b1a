"""Stable, self-describing ids for events ("e-…") and stories ("s-…").

An id is derived from the article that founded the cluster, so it never changes as the cluster grows,
and `storyline recluster` gives the same id back when the same article founds the cluster again (which
makes "what moved" readable). Collisions (two clusters founded by one article across reclusters of a
merged store) are resolved by a counter suffix.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container


def cluster_id(kind: str, founding_article_id: str, taken: Container[str] = ()) -> str:
    prefix = {"event": "e-", "story": "s-"}[kind]
    base = prefix + hashlib.sha1(founding_article_id.encode("utf-8")).hexdigest()[:10]
    cid, n = base, 1
    while cid in taken:
        n += 1
        cid = f"{base}-{n}"
    return cid
