"""Raw responses: ``await tk.with_raw_response(tk.campaigns.get(cid))``.

The call runs as usual; the client's pipeline records each HTTP answer it decodes into the
recorder of the current context, and :class:`RawResponse` hands back the parsed result together
with the status, headers and request id of the call's last HTTP answer.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Mapping
from typing import Generic, TypeVar

import attrs

from ._errors import ClientStateError
from ._transport import Response
from ._wire import request_id_of

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

    def note(self, response: Response, method: str, url: str) -> None:
        """Record one decoded answer (called by the pipeline)."""
        answer = Answer(
            status_code=response.status,
            headers=response.headers,
            request_id=request_id_of(response),
            method=method,
            url=url,
        )
        self.answers.append(answer)


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


async def record(call: Awaitable[T]) -> RawResponse[T]:
    """Await ``call`` with a recorder in the context; its result with the last answer recorded.

    Raises:
        ClientStateError: no answer was recorded (a task runs in its own context).
    """
    recorder = Recorder()
    token = RECORDER.set(recorder)
    try:
        parsed = await call
    finally:
        RECORDER.reset(token)
    if not recorder.answers:
        raise ClientStateError(
            "with_raw_response saw no HTTP answer: pass the SDK call's coroutine itself, "
            "e.g. tk.with_raw_response(tk.campaigns.get(cid)), not a task"
        )
    last = recorder.answers[-1]
    return RawResponse(
        parsed=parsed,
        status_code=last.status_code,
        headers=last.headers,
        request_id=last.request_id,
        method=last.method,
        url=last.url,
        http_requests=len(recorder.answers),
    )
