"""Reading request fields the same way in every group.

Required fields, integer and boolean query parameters, camelCase → snake_case renames, and the
limit/offset list answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

from .._store import JSON, FakeHTTPError


def is_object(value: object) -> TypeGuard[JSON]:
    """Whether a request value is a JSON object (typed as one from then on)."""
    return isinstance(value, dict)


def is_list(value: object) -> TypeGuard[list[Any]]:
    """Whether a request value is a JSON array (typed as one from then on)."""
    return isinstance(value, list)


def required(body: Mapping[str, Any], *names: str) -> None:
    """400 ``<name> is required`` for the first missing or empty field."""
    for name in names:
        value = body.get(name)
        if value is None or value == "" or value == []:
            raise FakeHTTPError(400, f"{name} is required")


def int_param(query: Mapping[str, str], name: str, default: int) -> int:
    """A non-negative integer query parameter (``default`` if absent or empty); 400 otherwise."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FakeHTTPError(400, f"{name} must be an integer") from None
    if value < 0:
        raise FakeHTTPError(400, f"{name} must not be negative")
    return value


def bool_param(query: Mapping[str, str], name: str) -> bool | None:
    """``true``/``false`` as a bool, ``None`` if absent; 400 for anything else."""
    raw = query.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise FakeHTTPError(400, f"{name} must be true or false")
    return raw == "true"


def rename_fields(body: Mapping[str, Any], fields: Mapping[str, str]) -> JSON:
    """The known fields of ``body``, renamed by ``fields`` (API name → record name)."""
    return {fields[k]: v for k, v in body.items() if k in fields}


def paginate(
    records: list[JSON],
    query: Mapping[str, str],
    key: str,
    max_limit: int,
    view: Callable[[JSON], JSON] | None = None,
) -> JSON:
    """A list answer: ``key`` array plus ``count`` (total), ``limit``, ``offset``.

    ``limit`` defaults to 50 and is clamped to ``max_limit``. ``view`` (the response form of a
    record) is applied to the page slice only, so a page costs O(limit) beyond the filtering.
    """
    limit = int_param(query, "limit", 50)
    offset = int_param(query, "offset", 0)
    if limit < 1:
        raise FakeHTTPError(400, "limit must be at least 1")
    limit = min(limit, max_limit)
    page = records[offset : offset + limit]
    return {
        "success": True,
        key: [view(r) for r in page] if view is not None else page,
        "count": len(records),
        "limit": limit,
        "offset": offset,
    }
