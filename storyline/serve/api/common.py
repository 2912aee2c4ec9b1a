"""Shared pieces of the API routers: the data layer, pagination, 404s."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request

from storyline.serve.data import Data, to_dict

MAX_PAGE = 200


def get_data(request: Request) -> Data:
    return request.app.state.data


DataDep = Annotated[Data, Depends(get_data)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size (at most {MAX_PAGE})")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def page(items: list[Any], limit: int, offset: int, *, total: int | None = None,
         already_paged: bool = False) -> dict[str, Any]:
    """A page of items: slices unless the store already did."""
    total = len(items) if total is None and not already_paged else total
    sliced = items if already_paged else items[offset:offset + limit]
    return {"items": to_dict(sliced), "total": total, "limit": limit, "offset": offset}


def not_found(kind: str, ident: str) -> HTTPException:
    return HTTPException(404, f"no {kind} {ident!r}")
