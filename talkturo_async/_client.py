"""The :class:`Talkturo` client: configuration, lifecycle and the call pipeline's wiring.

A call flows through one module per stage: a resource method names the route →
``_wire.build_request`` (pure) → ``_retry.call_with_retries`` around ``Transport.send`` (the
rate limiter waits before each attempt) → ``_wire.decode_response`` (pure: JSON or the matching
error) → ``_variants.Envelope`` finds the payload → ``_converter`` builds the model. Lists go
through ``_pagination.offset_pager``. Nothing here knows about individual endpoints.
"""

from __future__ import annotations

import asyncio
import copy
import os
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs
from yarl import URL

from . import _log
from ._config import check_timeout, resolve_api_key, resolve_base_url
from ._errors import APITimeoutError, ClientStateError, RateLimitError
from ._ratelimit import PauseGate, RateLimiter
from ._retry import RetryPolicy, call_with_retries
from ._transport import Transport
from ._wire import build_request, decode_response, request_headers
from .resources.assistants import Assistants
from .resources.auth import Auth
from .resources.campaigns import Campaigns
from .resources.companies import Companies
from .resources.contacts import Contacts
from .resources.phone_numbers import PhoneNumbers

if TYPE_CHECKING:
    import aiohttp

__all__ = ["Talkturo"]

_UNSET: Any = object()


@attrs.define
class _Shared:
    """State shared by a client and the views ``with_options`` makes of it."""

    transport: Transport
    owns_transport: bool
    limiter: RateLimiter
    used: bool = False
    closed: bool = False


class Talkturo:
    """Async client for the Talkturo REST API.

    Use one client per application (it holds a connection pool), inside the event loop that uses it::

        async with Talkturo() as tk:
            campaign = await tk.campaigns.get("camp_123")

    Args:
        api_key: a ``tk_live_…`` / ``tk_test_…`` key; defaults to ``TALKTURO_API_KEY``.
        base_url: the API base, ``https://<your-domain>/api``; defaults to ``TALKTURO_BASE_URL``,
            then ``https://api.talkturo.com/api``. A bare origin gets ``/api`` appended; plain
            ``http://`` is accepted for loopback hosts only.
        timeout: seconds one attempt of a request may take (``None``: no limit).
        deadline: seconds a whole call may take, all retries and waits included (``None``: no limit).
        max_retries: retries after the first attempt; shorthand for ``RetryPolicy(max_retries=...)``.
        retry_policy: the full retry rules (see :class:`RetryPolicy`).
        session: an ``aiohttp.ClientSession`` to send through; it is used as is and never closed by
            the client. By default the client creates its own on first use and closes it in
            ``aclose()``.
        transport: any object with ``send``/``aclose`` (see :class:`Transport`), e.g. a
            :class:`MockTransport` in unit tests. Excludes ``session``.
        check_key_prefix: set ``False`` to send a bearer token that is not a ``tk_`` API key.
        page_concurrency: default number of pages a list fetches at once after the first.
        connection_limit: size of the connection pool the client's own session uses.
        rate_limit: a client-side :class:`RateLimiter` every request waits on, e.g.
            ``TokenBucket(1000, per=3600)``. With or without one, a ``429`` carrying
            ``Retry-After`` pauses every request of the client for that long.
        default_headers: extra headers sent on every request.

    Raises:
        ValueError: no key, a malformed key, or an unacceptable ``base_url`` (the message says
            which, and never quotes the key).
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | URL | None = None,
        timeout: float | None = 60.0,
        deadline: float | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        session: aiohttp.ClientSession | None = None,
        transport: Transport | None = None,
        check_key_prefix: bool = True,
        page_concurrency: int = 4,
        connection_limit: int = 100,
        rate_limit: RateLimiter | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        _log.setup_from_env()
        self._api_key = resolve_api_key(api_key, os.environ, check_prefix=check_key_prefix)
        self.base_url: URL = resolve_base_url(base_url, os.environ)
        if session is not None and transport is not None:
            raise ValueError("pass either session= or transport=, not both")
        check_timeout("timeout", timeout)
        check_timeout("deadline", deadline)
        if page_concurrency < 1:
            raise ValueError("page_concurrency must be at least 1")
        policy = retry_policy or RetryPolicy()
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        self.timeout = timeout
        self.deadline = deadline
        self.retry_policy: RetryPolicy = policy
        self.page_concurrency = page_concurrency
        self._default_headers = dict(default_headers or {})
        self._idempotency_key: str | None = None
        owns_transport = transport is None
        if transport is None:
            from ._aiohttp import AiohttpTransport

            transport = AiohttpTransport(session, connection_limit=connection_limit)
        self._shared = _Shared(
            transport=transport,
            owns_transport=owns_transport,
            limiter=rate_limit if rate_limit is not None else PauseGate(),
        )
        self._owner = True
        self._bind_resources()

    def _bind_resources(self) -> None:
        self.auth = Auth(self)
        self.assistants = Assistants(self)
        self.campaigns = Campaigns(self)
        self.contacts = Contacts(self)
        self.companies = Companies(self)
        self.phone_numbers = PhoneNumbers(self)

    async def __aenter__(self) -> Talkturo:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections the client opened. Idempotent; a passed-in session stays open.

        On a view made by ``with_options`` this does nothing: the original client owns the pool.
        """
        shared = self._shared
        if shared.closed or not self._owner:
            return
        shared.closed = True
        # A transport the caller passed in is theirs to close. The one built here closes only a
        # session it created itself, never one the caller passed as ``session=``.
        if shared.owns_transport:
            await shared.transport.aclose()

    @property
    def is_closed(self) -> bool:
        """Whether ``aclose()`` has been called."""
        return self._shared.closed

    def __del__(self) -> None:
        # Only our own state is read: at garbage collection the transport's objects may already
        # have been finalised. An owned transport that sent something must have been closed.
        shared = getattr(self, "_shared", None)
        if shared is None or not getattr(self, "_owner", False):
            return
        if shared.owns_transport and shared.used and not shared.closed:
            warnings.warn(
                f"unclosed {self!r}: use 'async with Talkturo(...)' or 'await client.aclose()'",
                ResourceWarning,
                source=self,
                stacklevel=1,
            )

    def __repr__(self) -> str:
        return f"Talkturo(base_url={str(self.base_url)!r})"

    def with_options(
        self,
        *,
        timeout: float | None = _UNSET,
        deadline: float | None = _UNSET,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        idempotency_key: str | None = None,
    ) -> Talkturo:
        """A view of this client with other per-call settings, sharing its connection pool.

        ``tk.with_options(timeout=5, max_retries=0).campaigns.get(cid)``. ``idempotency_key`` sets
        the ``Idempotency-Key`` of the POSTs made through the view (otherwise each POST gets a new
        uuid4, kept across its retries). One key stands for one operation: a server honouring it
        answers every POST with that key with the first one's result, so make a new view per POST
        (``await tk.with_options(idempotency_key=f"import-{row_id}").contacts.create(...)``).
        Closing a view does nothing; close the original client.
        """
        clone = copy.copy(self)
        clone._owner = False
        if timeout is not _UNSET:
            check_timeout("timeout", timeout)
            clone.timeout = timeout
        if deadline is not _UNSET:
            check_timeout("deadline", deadline)
            clone.deadline = deadline
        if retry_policy is not None:
            clone.retry_policy = retry_policy
        if max_retries is not None:
            clone.retry_policy = attrs.evolve(clone.retry_policy, max_retries=max_retries)
        if idempotency_key is not None:
            clone._idempotency_key = idempotency_key
        clone._bind_resources()
        return clone

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Send one request with the client's auth, retries and error mapping; return the JSON.

        For endpoints this SDK has no method for yet: ``await tk.request("GET", "credits")``.

        Args:
            method: the HTTP method (any case).
            path: relative to ``base_url`` (no ``/api`` prefix), e.g. ``"credits/balance"``.
            params: query parameters (``None`` values are left out, booleans sent as ``true``).
            json: a JSON-serialisable body.

        Raises:
            APIError: the server answered with an error (the subclass for its status).
            APIConnectionError: no answer after the retries.
        """
        return await self._send(method.upper(), path, params=params, json=json)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """The pipeline: build, then send under the limiter and retries, then decode to JSON."""
        shared = self._shared
        if shared.closed:
            raise ClientStateError("this Talkturo client is closed; create a new one")
        shared.used = True
        transport, limiter = shared.transport, shared.limiter
        loop = asyncio.get_running_loop()
        ends_at = None if self.deadline is None else loop.time() + self.deadline
        headers = request_headers(
            method, self._api_key, self._default_headers, self._idempotency_key
        )
        request = build_request(
            method, self.base_url, path, headers=headers, params=params, json_body=json
        )
        url = str(request.url.with_query(None))
        _log.log_request(request)
        max_pause = self.retry_policy.max_retry_after

        async def attempt() -> Any:
            await limiter.acquire()
            timeout = self.timeout
            if ends_at is not None:
                left = ends_at - loop.time()
                if left <= 0:
                    raise APITimeoutError(
                        f"the call's deadline of {self.deadline}s ran out", method=method, url=url
                    )
                timeout = left if timeout is None else min(timeout, left)
            response = await transport.send(attrs.evolve(request, timeout=timeout))
            _log.logger.debug("%s %s -> %d", method, url, response.status)
            try:
                return decode_response(response, method=method, url=url)
            except RateLimitError as exc:
                if exc.retry_after and self.retry_policy.wait:  # wait=False: tests never sleep
                    limiter.pause(min(exc.retry_after, max_pause))
                raise

        return await call_with_retries(
            self.retry_policy, attempt, method=method, path=path, clock=loop.time, ends_at=ends_at
        )
