"""The aiohttp transport: the only module that talks to ``aiohttp.ClientSession``.

The client builds one at construction; aiohttp itself is imported on the first request, so
``import talkturo_async`` and ``Talkturo()`` stay cheap.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ._errors import APIConnectionError, APITimeoutError, ClientStateError
from ._transport import Request, Response

if TYPE_CHECKING:
    import aiohttp


class AiohttpTransport:
    """Sends requests through one ``aiohttp.ClientSession``.

    The session is created lazily, inside the running event loop, on the first request. A session
    passed in by the caller is used as is and never closed here. The transport remembers the loop
    it first ran in and refuses another one with a clear error (aiohttp sessions are bound to a loop).
    """

    def __init__(
        self, session: aiohttp.ClientSession | None = None, *, connection_limit: int = 100
    ) -> None:
        self._session = session
        self._owns_session = session is None
        self._connection_limit = connection_limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

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
        if self._session is None:
            import aiohttp

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
        session = self._get_session()
        import aiohttp

        timeout = aiohttp.ClientTimeout(total=request.timeout)
        url = str(request.url)
        try:
            async with session.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=request.body if request.stream is None else request.stream.open(),
                timeout=timeout,
                allow_redirects=False,
            ) as resp:
                body = await resp.read()
                return Response(status=resp.status, headers=resp.headers, body=body)
        except asyncio.TimeoutError as exc:  # includes aiohttp's ServerTimeoutError
            raise APITimeoutError(
                f"request timed out after {request.timeout}s", method=request.method, url=url
            ) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                f"connection error: {type(exc).__name__}: {exc}", method=request.method, url=url
            ) from exc
        except OSError as exc:
            raise APIConnectionError(
                f"connection error: {exc}", method=request.method, url=url
            ) from exc

    async def aclose(self) -> None:
        """Close the session this transport created (a caller's session stays open)."""
        self._closed = True
        if self._owns_session and self._session is not None and not self._session.closed:
            await self._session.close()
