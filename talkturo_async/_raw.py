"""Raw responses: ``await tk.with_raw_response(tk.campaigns.get(cid))``.

The call runs as usual; the client's pipeline records each HTTP answer it decodes into the
recorder of the current context, and :class:`RawResponse` hands back the parsed result together
with the status, headers and request id of the call's last HTTP answer.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

__all__ = ["RawResponse"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Answer:
    """What the pipeline records of one decoded HTTP answer."""

    status_code: int
    headers: Mapping[str, str]
    request_id: str | None
    method: str
    url: str


class Recorder:
    """Collects the answers of one ``with_raw_response`` call."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []


RECORDER: contextvars.ContextVar[Recorder | None] = contextvars.ContextVar(
    "talkturo_raw_recorder", default=None
)


@attrs.frozen(kw_only=True)
class RawResponse(Generic[T]):
    """A call's parsed result with its HTTP answer.

    Attributes:
        parsed: what the method returns (a model, a list, ``None``...).
        status_code: the HTTP status of the call's last answer.
        headers: that answer's headers (names in lower case).
        request_id: the server's request id (``X-Request-Id`` or similar), when it sent one.
        method: the HTTP method of the last request.
        url: its URL, without the query string.
        http_requests: how many HTTP answers the call decoded (several for a chunked import or
            a list read page by page; retried attempts that failed are not counted).
    """

    parsed: T
    status_code: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    request_id: str | None
    method: str
    url: str
    http_requests: int = 1
