"""User corrections (merge, split, rename), stored in their own table and re-applied after every
analysis run, so re-analysing articles never undoes a journalist's fix.

Corrections name entities by canonical name or alias rather than by id, because re-analysis may
recreate an entity under a different id; applying a correction twice changes nothing.
"""

from __future__ import annotations

from storyline.analyze.entities.normalize import fold
from storyline.analyze.entities.resolve import entity_id_for


class CorrectionError(Exception):
    """A correction that names no entity, or would do nothing sensible; the message says which."""


def _require(store, name: str):
    row = store.find_entity_row(name)
    if row is None:
        raise CorrectionError(f"no entity named {name!r} (try `storyline entities` to list them)")
    return row


def merge(store, a: str, b: str, *, record: bool = True) -> str:
    """Merge entity `b` into entity `a`; returns the kept id."""
    ra, rb = _require(store, a), _require(store, b)
    if ra["id"] == rb["id"]:
        if record:
            raise CorrectionError(f"{a!r} and {b!r} are already one entity ({ra['id']})")
        return ra["id"]
    with store.transaction():
        if record:
            store.add_correction("merge", a, b)
        store.add_evidence(ra["id"], "user-merge", None, rb["name"], None, {"merged_entity": rb["id"]})
        store.merge_entities(ra["id"], rb["id"])
    return ra["id"]


def split(store, a: str, alias: str, *, record: bool = True) -> str | None:
    """Move the mentions of `a` written as `alias` into their own entity; returns its id."""
    ra = store.find_entity_row(a)
    if ra is None:
        if record:
            raise CorrectionError(f"no entity named {a!r} (try `storyline entities` to list them)")
        return None
    key = fold(alias)
    rows = store.mentions_of_entity(ra["id"])
    moving = [m for m in rows if fold(m.normalized or m.text) == key or fold(m.text) == key]
    if not moving:
        if record:
            raise CorrectionError(f"entity {ra['name']!r} has no mention written {alias!r}")
        return None
    if len(moving) == len(rows):
        if record:
            raise CorrectionError(f"every mention of {ra['name']!r} is {alias!r}: nothing would remain")
        return None
    new_id = entity_id_for(moving[0].type, f"split:{ra['key']}:{key}")
    with store.transaction():
        if record:
            store.add_correction("split", a, alias)
        store.create_entity(new_id, alias, moving[0].type, f"split:{key}")
        store.move_mentions(new_id, [(m.article_id, m.start, m.end) for m in moving])
        store.delete_entity_keys(ra["id"], [f"name:{key}", f"per:{key}"])
        store.add_entity_keys(new_id, [f"name:{key}"])
        store.set_entity_name(new_id, alias, locked=True)
        store.add_evidence(new_id, "user-split", None, alias, None, {"split_from": ra["id"]})
    return new_id


def rename(store, a: str, new_name: str, *, record: bool = True) -> str:
    new_name = new_name.strip()
    if not new_name:
        raise CorrectionError("the new name is empty")
    row = store.find_entity_row(a)
    if row is None and not record:
        row = store.find_entity_row(new_name)
    if row is None:
        raise CorrectionError(f"no entity named {a!r} (try `storyline entities` to list them)")
    with store.transaction():
        if record:
            store.add_correction("rename", a, new_name)
        store.set_entity_name(row["id"], new_name, locked=True)
    return row["id"]


def reapply(store) -> int:
    """Apply every stored correction again (after re-analysis); returns how many took effect."""
    done = 0
    for c in store.list_corrections():
        try:
            if c["action"] == "merge":
                ra, rb = store.find_entity_row(c["target"]), store.find_entity_row(c["value"])
                if ra is not None and rb is not None and ra["id"] != rb["id"]:
                    merge(store, c["target"], c["value"], record=False)
                    done += 1
            elif c["action"] == "split":
                if split(store, c["target"], c["value"], record=False):
                    done += 1
            elif c["action"] == "rename":
                rename(store, c["target"], c["value"], record=False)
                done += 1
        except CorrectionError:
            continue
    return done
