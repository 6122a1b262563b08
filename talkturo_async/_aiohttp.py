"""The aiohttp transport: the only module that talks to ``aiohttp.ClientSession``.

The client builds one at construction; aiohttp itself is imported on the first request, so
``import talkturo_async`` and ``Talkturo()`` stay cheap.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ._errors import APIConnectionError, APITimeoutError, ClientStateError, ResponseTooLargeError
from ._transport import Request, Response
from ._wire import url_text

if TYPE_CHECKING:
    import aiohttp

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024


class AiohttpTransport:
    """Sends requests through one ``aiohttp.ClientSession``.

    The session is created lazily, inside the running event loop, on the first request. A session
    passed in by the caller is used as is and never closed here. The transport remembers the loop
    it first ran in and refuses another one with a clear error (aiohttp sessions are bound to a loop).
    """

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        connection_limit: int = 100,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._max_body = max_response_bytes
        self._session = session
        self._owns_session = session is None
        self._connection_limit = connection_limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        # ClientTimeout is immutable: one per distinct per-attempt timeout.
        self._timeouts: dict[float | None, aiohttp.ClientTimeout] = {}
        self._aiohttp: Any = None  # the module, imported by the first request

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise ClientStateError("this Talkturo client is closed; create a new one")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise ClientStateError(
                "this Talkturo client was first used in another event loop; aiohttp sessions are "
                "bound to one loop, so create the client inside the loop that uses it (for example "
                "in FastAPI's lifespan) or create one client per loop"
            )
        import aiohttp  # once, here: an import statement on every request costs ~1-2 us

        self._aiohttp = aiohttp
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._connection_limit)
            # No session-level timeout: every request carries its own.
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=None)
            )
        return self._session

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole answer.

        Raises:
            APITimeoutError: the attempt's timeout ran out.
            APIConnectionError: no answer (refused, reset, DNS, TLS).
            ClientStateError: the transport is closed or used from another event loop.
        """
        session = self._session
        if session is None or self._closed or asyncio.get_running_loop() is not self._loop:
            session = self._get_session()  # the first request, or one that must fail
        aiohttp = self._aiohttp
        timeout = self._timeouts.get(request.timeout)
        if timeout is None:
            timeout = aiohttp.ClientTimeout(total=request.timeout)
            if len(self._timeouts) < 8:  # a deadline makes every value differ: keep a few
                self._timeouts[request.timeout] = timeout
        try:
            async with session.request(
                request.method,
                request.url,
                headers=request.headers,  # aiohttp copies them into its own CIMultiDict
                data=request.body if request.stream is None else request.stream.open(),
                timeout=timeout,
                allow_redirects=False,
            ) as resp:
                declared = resp.content_length
                if (
                    declared is not None
                    and declared <= self._max_body
                    and "content-encoding" not in resp.headers
                ):
                    body = await resp.read()  # the common case: known and small enough
                else:
                    body = await self._read_bounded(resp, request)
                return Response.received(resp.status, resp.headers, body)
        except asyncio.TimeoutError as exc:  # includes aiohttp's ServerTimeoutError
            url = url_text(request.url)
            after = "" if request.timeout is None else f" after {request.timeout:.3g}s"
            raise APITimeoutError(
                f"{request.method} {url} timed out{after}",
                method=request.method,
                url=url,
            ) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                f"connection error: {type(exc).__name__}: {exc}",
                method=request.method,
                url=url_text(request.url),
            ) from exc
        except OSError as exc:
            raise APIConnectionError(
                f"connection error: {exc}", method=request.method, url=url_text(request.url)
            ) from exc

    async def _read_bounded(self, resp: aiohttp.ClientResponse, request: Request) -> bytes:
        """The whole body, decompressed, refused past ``max_response_bytes`` while reading.

        ``send`` reads a body of a known, small enough length itself; this is the chunked way.
        """
        limit = self._max_body
        body = bytearray()
        async for chunk in resp.content.iter_chunked(1 << 16):
            body += chunk
            if len(body) > limit:
                resp.close()  # never read the rest; the connection is not reused
                raise ResponseTooLargeError(
                    f"the answer is larger than max_response_bytes={limit}",
                    status_code=resp.status,
                    headers=resp.headers,
                    method=request.method,
                    url=url_text(request.url),
                )
        return bytes(body)

    async def aclose(self) -> None:
        """Close the session this transport created (a caller's session stays open)."""
        self._closed = True
        if self._owns_session and self._session is not None and not self._session.closed:
            await self._session.close()
