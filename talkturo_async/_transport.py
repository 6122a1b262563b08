"""The transport seam: one ``send`` method between the client and the network.

The client builds a :class:`Request`, hands it to a :class:`Transport`, and decodes the
:class:`Response` it gets back. The default transport (``_aiohttp.AiohttpTransport``) is the only
code that touches aiohttp; :class:`MockTransport` answers from a Python function, for unit tests
that need no sockets.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs
from yarl import URL

__all__ = ["MockTransport", "Request", "Response", "StreamedBody", "Transport"]


@attrs.frozen(kw_only=True)
class StreamedBody:
    """A request body sent in chunks and produced afresh for every attempt (file uploads).

    ``open()`` returns a new iterator over the body's bytes each time it is called, so a retry
    sends the whole body again. ``length`` (when known) is sent as ``Content-Length``;
    ``replayable`` is ``False`` when the body comes from a one-shot source, which disables
    retries for the call.
    """

    open: Callable[[], AsyncIterator[bytes]]
    content_type: str
    length: int | None = None
    replayable: bool = True


@attrs.frozen(kw_only=True)
class Request:
    """One HTTP request, fully built: what the transport sends, byte for byte.

    ``headers`` holds the Authorization header; it is left out of ``repr``.
    ``timeout`` is the time this attempt may take, in seconds (``None``: no limit).
    ``stream`` replaces ``body`` for bodies sent in chunks (see :class:`StreamedBody`).
    """

    method: str
    url: URL
    headers: Mapping[str, str] = attrs.field(factory=dict[str, str], repr=False)
    body: bytes | None = attrs.field(default=None, repr=False)
    timeout: float | None = None
    stream: StreamedBody | None = attrs.field(default=None, repr=False)

    def json(self) -> Any:
        """The body decoded as JSON (``None`` when there is no body)."""
        return None if self.body is None else json.loads(self.body)


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


@attrs.frozen(kw_only=True)
class Response:
    """One HTTP answer. Header names are lower-cased."""

    status: int
    headers: Mapping[str, str] = attrs.field(factory=dict[str, str], converter=_lower_keys)
    body: bytes = b""

    @classmethod
    def received(cls, status: int, headers: Mapping[str, str], body: bytes) -> Response:
        """What a transport read: ``Response(status=..., headers=..., body=...)``, made faster.

        Fills the three slots without attrs' ``__init__`` (its keyword parsing and frozen
        ``setattr`` cost ~1.5 µs of every request); the header names are lower-cased as there.

        Args:
            status: the HTTP status.
            headers: the answer's headers, as received.
            body: the whole body.
        """
        response = _new(cls)
        _set_status(response, status)
        _set_headers(response, {k.lower(): v for k, v in headers.items()})
        _set_body(response, body)
        return response

    @classmethod
    def from_json(
        cls, status: int, data: Any, headers: Mapping[str, str] | None = None
    ) -> Response:
        """A JSON answer, for tests: ``Response.from_json(200, {"success": True})``.

        Args:
            status: the HTTP status.
            data: the value to encode as the JSON body.
            headers: extra headers (``Content-Type`` is ``application/json``).
        """
        hdrs = {"content-type": "application/json", **(headers or {})}
        return cls(status=status, headers=hdrs, body=json.dumps(data).encode())


@runtime_checkable
class Transport(Protocol):
    """Sends requests. Raises ``APIConnectionError`` / ``APITimeoutError`` when no answer comes."""

    async def send(self, request: Request) -> Response:
        """Send one request and return the whole answer (a ``stream`` is opened once per send).

        Args:
            request: the request, fully built.

        Raises:
            APIConnectionError: no answer (refused, reset, DNS, TLS).
            APITimeoutError: the attempt's ``timeout`` ran out.
        """
        ...

    async def aclose(self) -> None:
        """Release connections. Called once by the client that owns the transport."""
        ...


Handler = Callable[[Request], "Response | Awaitable[Response]"]


class MockTransport:
    """A transport that answers from ``handler(request)`` (a function or a coroutine function).

    The handler may raise ``APIConnectionError`` or ``APITimeoutError`` to act out network
    failures. Every request is kept in ``requests`` for assertions; a streamed body is read (one
    ``open()`` per attempt, as a real transport does) and handed over as ``body``.

    Args:
        handler: ``handler(request)`` returns (or, if a coroutine function, resolves to) the
            :class:`Response`.
    """

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self.requests: list[Request] = []
        self.closed: bool = False

    async def send(self, request: Request) -> Response:
        """Record ``request`` and answer it with the handler's response.

        Args:
            request: the request the client built.

        Raises:
            APIConnectionError: raised by the handler, to act out a network failure.
        """
        if request.stream is not None:
            chunks = [chunk async for chunk in request.stream.open()]
            request = attrs.evolve(request, body=b"".join(chunks), stream=None)
        self.requests.append(request)
        result = self._handler(request)
        if inspect.isawaitable(result):
            result = await result
        assert isinstance(result, Response), "MockTransport handlers must return a Response"
        return result

    async def aclose(self) -> None:
        self.closed = True


_new = object.__new__
_set_status, _set_headers, _set_body = (
    inspect.getattr_static(Response, name).__set__ for name in ("status", "headers", "body")
)
