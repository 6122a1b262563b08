"""The :class:`Talkturo` client: configuration, lifecycle and the call pipeline's wiring.

One module per stage of a call: a resource names the route → ``_wire.build_request`` (pure) →
``_retry``'s retries around ``Transport.send`` (after the rate limiter) →
``_wire.decode_response`` (pure) → ``_variants.Envelope`` → ``_converter`` builds the model (lists:
``_pagination.offset_pager``). Nothing here knows about individual endpoints.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from yarl import URL

from . import _log
from ._config import (
    check_bool,
    check_header_value,
    check_headers,
    check_int,
    check_timeout,
    resolve_base_url,
    resolve_credential,
)
from ._errors import APITimeoutError, ClientStateError, RateLimitError, TalkturoError
from ._options import RequestOptions, check_options, override
from ._ratelimit import (
    PauseGate,
    RateLimiter,
    acquire_within,
    passes_at_once,
    pause_limiter,
)
from ._raw import RECORDER, RawResponse, record
from ._retry import RetryPolicy, retry_after_failure, should_retry
from ._transport import Request, StreamedBody, Transport
from ._wire import (
    build_request,
    decode_response,
    invalid_answer,
    request_headers,
    url_text,
)
from .resources import ResourceGroups

if TYPE_CHECKING:
    import aiohttp

__all__ = ["Talkturo"]

_UNSET: Any = object()
T = TypeVar("T")


@attrs.define
class _Shared:
    """State shared by a client and the views ``with_options`` makes of it."""

    transport: Transport
    owns_transport: bool
    limiter: RateLimiter
    used: bool = False
    closed: bool = False


def _policy(max_retries: Any, retry_policy: Any, base: RetryPolicy) -> RetryPolicy:
    """The retry policy from ``max_retries`` *or* ``retry_policy`` (both is an error), else ``base``."""
    if max_retries is not None and retry_policy is not None:
        raise ValueError(
            "pass max_retries or retry_policy, not both: put the count in the policy, "
            "RetryPolicy(max_retries=..., ...)"
        )
    if retry_policy is not None:
        if not isinstance(retry_policy, RetryPolicy):
            raise TypeError(
                f"retry_policy must be a RetryPolicy, got {type(retry_policy).__name__}"
            )
        return retry_policy
    if max_retries is not None:
        check_int("max_retries", max_retries, minimum=0)
        return attrs.evolve(base, max_retries=max_retries)
    return base


def _check_plugins(transport: Any, rate_limit: Any) -> None:
    """Refuse a ``transport`` or ``rate_limit`` that lacks the methods the client calls."""
    if transport is not None and not all(
        callable(getattr(transport, name, None)) for name in ("send", "aclose")
    ):
        raise TypeError(
            f"transport must have send() and aclose() methods, got {type(transport).__name__}"
        )
    if rate_limit is not None and not isinstance(rate_limit, RateLimiter):
        raise TypeError(
            "rate_limit must be a RateLimiter (with acquire() and pause() methods, e.g. "
            f"TokenBucket(1000, per=3600)), got {type(rate_limit).__name__}"
        )


class Talkturo(ResourceGroups):
    """Async client for the Talkturo REST API.

    Use one client per application (it holds a connection pool), inside the event loop that uses it::

        async with Talkturo() as tk:
            campaign = await tk.campaigns.get("camp_123")

    Args:
        api_key: a ``tk_live_…`` / ``tk_test_…`` key; defaults to ``TALKTURO_API_KEY``.
        jwt: instead of a key, a Supabase user JWT, sent as the bearer (``tk.api_keys`` needs
            it). Pass one credential.
        session_token: instead of a key, a web session's ``sb-access-token``, sent as that
            cookie.
        base_url: the API base, ``https://<your-domain>/api``; defaults to ``TALKTURO_BASE_URL``,
            then ``https://api.talkturo.com/api``. A bare origin gets ``/api`` appended; plain
            ``http://`` is accepted for loopback hosts only.
        timeout: seconds one attempt of a request may take (``None``: no limit).
        deadline: seconds a whole call may take, all retries and waits included (``None``: no limit).
        max_retries: retries after the first attempt; shorthand for ``RetryPolicy(max_retries=...)``
            (so not together with ``retry_policy``).
        retry_policy: the full retry rules (see :class:`RetryPolicy`).
        session: an ``aiohttp.ClientSession`` to send through; it is used as is and never closed by
            the client. By default the client creates its own on first use and closes it in
            ``aclose()``.
        transport: any object with ``send``/``aclose`` (see :class:`Transport`), e.g. a
            :class:`MockTransport` in unit tests. Excludes ``session``.
        check_key_prefix: set ``False`` to send a bearer token that is not a ``tk_`` API key.
        page_concurrency: default number of pages a list fetches at once after the first.
        connection_limit: size of the connection pool the client's own session uses (at least 1;
            ``None`` for no limit, which aiohttp spells ``0``).
        max_response_bytes: the largest answer body read, after decompression; a larger one
            raises :class:`ResponseTooLargeError` without being read further (default 32 MiB).
        rate_limit: a client-side :class:`RateLimiter` every request waits on, e.g.
            ``TokenBucket(1000, per=3600)``. With or without one, a ``429`` carrying
            ``Retry-After`` pauses every request of the client for that long.
        default_headers: extra headers sent on every request.

    Every argument is checked here, before anything is sent; the message names the argument and
    never quotes a credential.

    Raises:
        TypeError: an argument of the wrong type: a credential that is not a ``str``, a ``str`` or
            ``bool`` for a number (``timeout="5"``, ``max_retries="3"``), a ``float`` for a count.
        ValueError: no credential or two, a malformed one (white space, invisible or control
            characters), an unacceptable ``base_url``, a number out of range (``timeout`` not
            above 0, ``connection_limit=-1``), a header value with a line break, or both
            ``max_retries`` and ``retry_policy``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        jwt: str | None = None,
        session_token: str | None = None,
        base_url: str | URL | None = None,
        timeout: float | None = 60.0,
        deadline: float | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        session: aiohttp.ClientSession | None = None,
        transport: Transport | None = None,
        check_key_prefix: bool = True,
        page_concurrency: int = 4,
        connection_limit: int | None = 100,
        max_response_bytes: int = 32 * 1024 * 1024,
        rate_limit: RateLimiter | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        _log.setup_from_env()
        check_bool("check_key_prefix", check_key_prefix)
        self._auth = resolve_credential(api_key, jwt, session_token, os.environ, check_key_prefix)
        self.base_url: URL = resolve_base_url(base_url, os.environ)
        if session is not None and transport is not None:
            raise ValueError("pass either session= or transport=, not both")
        check_timeout("timeout", timeout)
        check_timeout("deadline", deadline)
        check_int("page_concurrency", page_concurrency, minimum=1)
        check_int("max_response_bytes", max_response_bytes, minimum=1)
        # None, not aiohttp's 0, means no limit: a 0 or -1 is more likely a mistake than a wish.
        check_int("connection_limit", connection_limit, minimum=1, none_means="no limit")
        _check_plugins(transport, rate_limit)
        self.timeout = timeout
        self.deadline = deadline
        self.retry_policy: RetryPolicy = _policy(max_retries, retry_policy, RetryPolicy())
        self.page_concurrency = page_concurrency
        self._default_headers = check_headers("default_headers", default_headers)
        self._idempotency_key: str | None = None
        owns_transport = transport is None
        if transport is None:
            from ._aiohttp import AiohttpTransport

            transport = AiohttpTransport(
                session,
                connection_limit=0 if connection_limit is None else connection_limit,
                max_response_bytes=max_response_bytes,
            )
        self._shared = _Shared(
            transport=transport,
            owns_transport=owns_transport,
            limiter=rate_limit if rate_limit is not None else PauseGate(),
        )
        self._owner = True  # the API groups (tk.flows, ...) are built on first access

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

        On a view made by ``with_options`` this does nothing: the original owns the pool.
        """
        shared = self._shared
        if shared.closed or not self._owner:
            return
        shared.closed = True
        # A passed-in transport is the caller's; ours closes only a session it created itself.
        if shared.owns_transport:
            await shared.transport.aclose()

    @property
    def is_closed(self) -> bool:
        """Whether ``aclose()`` has been called."""
        return self._shared.closed

    def __del__(self) -> None:
        # Reads only our own state (the transport may be finalised already at garbage collection).
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

        Args:
            timeout: seconds one attempt may take (``None``: no limit); default: the client's.
            deadline: seconds a whole call may take (``None``: no limit); default: the client's.
            max_retries: retries after the first attempt, on top of the client's policy.
            retry_policy: the full retry rules instead of the client's (not with ``max_retries``).
            idempotency_key: the ``Idempotency-Key`` of the view's POSTs.

        Raises:
            TypeError: an argument of the wrong type (the message names it).
            ValueError: a value out of range, a key with a line break, or both ``max_retries``
                and ``retry_policy``.
        """
        if timeout is not _UNSET:
            check_timeout("timeout", timeout)
        if deadline is not _UNSET:
            check_timeout("deadline", deadline)
        policy = _policy(max_retries, retry_policy, self.retry_policy)
        if idempotency_key is not None:
            check_header_value("idempotency_key", idempotency_key)
            if not idempotency_key.strip():
                raise ValueError("idempotency_key must not be empty")
        clone = copy.copy(self)
        clone._owner = False
        if timeout is not _UNSET:
            clone.timeout = timeout
        if deadline is not _UNSET:
            clone.deadline = deadline
        clone.retry_policy = policy
        if idempotency_key is not None:
            clone._idempotency_key = idempotency_key
        clone._bind_resources()  # the copied groups are bound to self: the view builds its own
        return clone

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """Send one request with the client's auth, retries and error mapping; return the JSON.

        For endpoints this SDK has no method for yet: ``await tk.request("GET", "credits")``.

        Args:
            method: the HTTP method (any case).
            path: relative to ``base_url`` (no ``/api`` prefix), e.g. ``"credits/balance"``.
            params: query parameters (``None`` values are left out, booleans sent as ``true``).
            json: a JSON-serialisable body.
            options: per-call settings (:class:`RequestOptions`: ``timeout``, ``deadline``,
                ``max_retries``, ``idempotency_key``, ``extra_headers``).

        Raises:
            TypeError: an unknown or mistyped ``options`` key (nothing is sent).
            APIError: the server answered with an error (the subclass for its status).
            APIConnectionError: no answer after the retries.
        """
        checked = None if options is None else check_options(options)
        return await self._send(method.upper(), path, params=params, json=json, options=checked)

    async def with_raw_response(self, call: Awaitable[T]) -> RawResponse[T]:
        """Run one call and return its result together with its HTTP answer.

        ``raw = await tk.with_raw_response(tk.campaigns.get(cid))`` gives ``raw.parsed`` (the
        ``Campaign``), ``raw.status_code``, ``raw.headers`` and ``raw.request_id``. Pass the
        coroutine itself: a task started elsewhere runs in its own context, and its answers
        cannot be seen here.

        Args:
            call: the coroutine of one SDK method (not yet awaited).

        Raises:
            ClientStateError: the call made no HTTP request this client could see (a task, or
                an awaitable that is not an SDK call).
            TalkturoError: whatever the call itself raises.
        """
        return await record(call)

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        stream: StreamedBody | None = None,
        options: RequestOptions | None = None,
        parse: Callable[[Any], Any] | None = None,
    ) -> Coroutine[Any, Any, Any]:
        """The pipeline: build, send under the limiter and retries, decode to JSON.

        Not a coroutine itself: it checks and builds the request at once (a closed client or a
        bad argument raises here, inside the awaiting caller) and returns the call's coroutine,
        so a request runs in one coroutine of the SDK's own, not three (each is garbage-collector
        and resumption work on every request in flight).

        ``idempotency_key`` (a POST's) wins over the view's; ``headers`` are added to the defaults
        for this call only. ``options`` (checked already) override the client's settings for this
        call. ``parse`` turns the decoded body into the call's result; anything it raises other
        than a :class:`TalkturoError` becomes a :class:`ResponseValidationError` carrying the
        answer's status, URL and a bounded excerpt of its body.
        """
        shared = self._shared
        if shared.closed:
            raise ClientStateError("this Talkturo client is closed; create a new one")
        shared.used = True
        policy, per_attempt, deadline = self.retry_policy, self.timeout, self.deadline
        extra = self._default_headers
        if options:
            policy, per_attempt, deadline, idempotency_key, extra_headers = override(
                options, policy, per_attempt, deadline, idempotency_key
            )
            extra = {**extra, **(headers or {}), **extra_headers}
        elif headers:
            extra = {**extra, **headers}
        loop = asyncio.get_running_loop()
        ends_at = None if deadline is None else loop.time() + deadline
        key = idempotency_key or self._idempotency_key
        request = build_request(
            method,
            self.base_url,
            path,
            headers=request_headers(method, self._auth, extra, key),
            params=params,
            json_body=json,
            stream=stream,
            timeout=per_attempt,
        )
        _log.log_request(request)
        return _Call(request, shared, policy, loop, deadline, ends_at, parse, path).attempt(True)


class _Call:
    """One call's state across its attempts.

    A plain object rather than closures: at 64 calls in flight, a dozen closure cells each are
    garbage-collector work on every request.
    """

    __slots__ = (
        "deadline",
        "ends_at",
        "limiter",
        "loop",
        "parse",
        "path",
        "policy",
        "recorder",
        "request",
        "shared",
    )

    def __init__(
        self,
        request: Request,
        shared: _Shared,
        policy: RetryPolicy,
        loop: asyncio.AbstractEventLoop,
        deadline: float | None,
        ends_at: float | None,
        parse: Callable[[Any], Any] | None,
        path: str,
    ) -> None:
        self.request = request
        self.shared = shared
        self.limiter = shared.limiter
        self.policy = policy
        self.loop = loop
        self.deadline = deadline
        self.ends_at = ends_at
        self.parse = parse
        self.path = path
        self.recorder = RECORDER.get()

    def url(self) -> str:
        """The URL without its query (which may hold personal data), for errors and logs."""
        return url_text(self.request.url)

    def deadline_passed(self, waiting: str) -> APITimeoutError:
        method, url = self.request.method, self.url()
        message = f"{method} {url}: the call's deadline of {self.deadline:g}s ran out{waiting}"
        return APITimeoutError(message, method=method, url=url)

    async def attempt(self, first: bool = False) -> Any:
        """One attempt: wait for the limiter, send, decode, parse.

        With ``first`` it is the whole call: a failure the policy retries goes on to the retry
        machinery (set up only then), whose attempts are this method again. The first attempt
        runs here rather than in a coroutine of its own: one coroutine per call in flight.
        """
        request, limiter, ends_at = self.request, self.limiter, self.ends_at
        method = request.method
        try:
            if ends_at is None and passes_at_once(limiter):
                left = None
            else:
                left = await acquire_within(limiter, ends_at, self.loop.time, self.deadline_passed)
            if left is not None and (request.timeout is None or left < request.timeout):
                request = attrs.evolve(request, timeout=left)  # the deadline shortens the attempt
            response = await self.shared.transport.send(request)
            if _log.logger.isEnabledFor(logging.DEBUG):
                _log.logger.debug("%s %s -> %d", method, self.url(), response.status)
            try:
                body = decode_response(response, method=method, url=request.url)
            except RateLimitError as exc:
                # A wait beyond the policy's cap is not slept: the call fails with retry_after set.
                policy = self.policy
                if exc.retry_after and exc.retry_after <= policy.max_retry_after and policy.wait:
                    await pause_limiter(limiter, exc.retry_after)
                raise
            if self.recorder is not None:
                self.recorder.note(response, method, self.url())
            if self.parse is None:
                return body
            try:
                return self.parse(body)
            except TalkturoError:
                raise
            except Exception as exc:  # the parser's own failure: the answer is malformed
                raise invalid_answer(response, exc, method=method, url=self.url()) from exc
        except Exception as exc:
            if not first or not should_retry(self.policy, method, exc):
                raise
            failure = exc
        return await retry_after_failure(
            self.policy,
            self.attempt,
            failure,
            method=method,
            path=self.path,
            clock=self.loop.time,
            ends_at=ends_at,
        )
