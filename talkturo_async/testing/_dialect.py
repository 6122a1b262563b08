"""How FakeTalkturo spells its answers: the documented variants of the same API, as one value.

Talkturo deployments disagree on a few points of form (the live docs against the repository's
spec): where a payload sits, whether lists count ``count`` or ``total``, ``offset`` or ``page``
paging, snake_case or camelCase records, and which headers come back. A :class:`Dialect` picks one
variant per point; the HTTP layer applies it to every ``GET`` answer after the rules ran, so the
rules keep one shape. ``Dialect()`` is the fake's default and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal, cast

import attrs

__all__ = ["DIALECTS", "Dialect"]

_META = frozenset({"success", "count", "total", "limit", "offset", "page"})


@attrs.frozen(kw_only=True)
class Dialect:
    """One documented variant per point of form.

    Attributes:
        envelope: ``"key"`` puts the payload under its resource key (``"campaigns": [...]``),
            ``"data"`` under ``data``, ``"bare"`` sends the record or the array as the body.
        success_flag: send the top-level ``"success": true``.
        count_key: ``"count"``, ``"total"``, or ``None`` for lists without a total.
        paging: ``"offset"`` echoes ``offset``; ``"page"`` echoes a 1-based ``page`` instead and
            also reads a ``page`` query parameter.
        record_case: ``"snake"`` or ``"camel"`` keys in records.
        rate_limit_headers: send ``X-RateLimit-Limit``/``-Remaining``/``-Reset`` on every answer.
        request_id_header: send a request id under this header name (``None``: none).
    """

    envelope: Literal["key", "data", "bare"] = "key"
    success_flag: bool = True
    count_key: Literal["count", "total"] | None = "count"
    paging: Literal["offset", "page"] = "offset"
    record_case: Literal["snake", "camel"] = "snake"
    rate_limit_headers: bool = False
    request_id_header: str | None = None

    def read_query(self, query: Mapping[str, str]) -> dict[str, str]:
        """The query the rules see: a ``page`` parameter becomes the matching ``offset``.

        Args:
            query: the request's query parameters (an explicit ``offset`` wins over ``page``).
        """
        out = dict(query)
        if self.paging == "page" and "page" in out and "offset" not in out:
            try:
                page, limit = int(out.pop("page")), int(out.get("limit") or 50)
            except ValueError:
                return dict(query)
            out["offset"] = str(max(page - 1, 0) * limit)
        return out

    def rewrite(self, payload: bytes) -> bytes:
        """A successful ``GET`` answer in this dialect (unchanged for the default dialect).

        Args:
            payload: the rule's JSON answer; list answers (an array beside ``count``) and
                single-record answers are rewritten, any other shape is returned as it is.
        """
        if self == _DEFAULT:
            return payload
        loaded = json.loads(payload)
        if not isinstance(loaded, dict):
            return payload
        body = cast("dict[str, Any]", loaded)
        keys = [k for k in body if k not in _META]
        lists = [k for k in keys if isinstance(body[k], list)]
        if "count" in body and len(lists) == 1:
            return json.dumps(self._list(body, lists[0])).encode()
        if len(keys) == 1 and isinstance(body[keys[0]], dict):
            return json.dumps(self._record(body, keys[0])).encode()
        return payload

    def _list(self, body: dict[str, Any], key: str) -> Any:
        items = [self._case(item) for item in body[key]]
        if self.envelope == "bare":
            return items
        out: dict[str, Any] = {}
        for name, value in body.items():
            if name == key:
                out["data" if self.envelope == "data" else key] = items
            elif name == "success":
                if self.success_flag:
                    out[name] = value
            elif name == "count":
                if self.count_key is not None:
                    out[self.count_key] = value
            elif name == "offset" and self.paging == "page":
                out["page"] = value // max(body.get("limit") or 1, 1) + 1
            else:
                out[name] = value
        return out

    def _record(self, body: dict[str, Any], key: str) -> Any:
        record = self._case(body[key])
        if self.envelope == "bare":
            return record
        out: dict[str, Any] = {"success": body["success"]} if self.success_flag else {}
        if "success" not in body:
            out = {}
        out["data" if self.envelope == "data" else key] = record
        return out

    def _case(self, record: Any) -> Any:
        if self.record_case == "snake" or not isinstance(record, dict):
            return record
        return {_camel(k): v for k, v in cast("dict[str, Any]", record).items()}


_DEFAULT = Dialect()

DIALECTS: dict[str, Dialect] = {
    "live": _DEFAULT,
    "repo": Dialect(
        envelope="data",
        success_flag=False,
        count_key="total",
        paging="page",
        record_case="camel",
        rate_limit_headers=True,
        request_id_header="X-Request-Id",
    ),
    "bare": Dialect(envelope="bare", count_key=None),
}
"""Named dialects for ``python -m talkturo_async.testing --dialect``: ``live`` (the default, as
the live docs), ``repo`` (the repository's spec and overview: ``data``, ``total``, ``page``,
camelCase, rate-limit and request-id headers) and ``bare`` (no envelope, no total)."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
