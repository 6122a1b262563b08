"""The :class:`Talkturo` client: configuration, lifecycle and the request pipeline.

A call goes: resource method → ``_call`` → ``_wire.build_request`` (pure) → retried
``Transport.send`` (tenacity, per :class:`RetryPolicy`) → ``_wire.decode_response`` (pure) →
``_converter`` (models). Nothing here knows about individual endpoints.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import platform
import uuid
import warnings
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from yarl import URL

from . import _log
from ._config import resolve_api_key, resolve_base_url
from ._errors import APIError, APITimeoutError, ClientStateError, RateLimitError
from ._pagination import AsyncPager, Page
from ._ratelimit import PauseGate, RateLimiter, pause_limiter
from ._retry import RetryPolicy
from ._transport import Transport
from ._wire import build_request, decode_response, siblings, unwrap
from .resources.assistants import Assistants
from .resources.auth import Auth
from .resources.campaigns import Campaigns
from .resources.companies import Companies
from .resources.contacts import Contacts
from .resources.phone_numbers import PhoneNumbers

if TYPE_CHECKING:
    import aiohttp

__all__ = ["Talkturo"]

T = TypeVar("T")
logger = _log.logger
_UNSET: Any = object()


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        sdk = version("talkturo-async")
    except PackageNotFoundError:
        sdk = "0+unknown"
    try:
        aio = version("aiohttp")
    except PackageNotFoundError:
        aio = "unknown"
    return f"talkturo-async/{sdk} Python/{platform.python_version()} aiohttp/{aio}"


@attrs.define
class _Shared:
    """State shared by a client and the copies ``with_options`` makes of it."""

    transport: Transport | None
    session: aiohttp.ClientSession | None
    owns_transport: bool
    connection_limit: int
    limiter: RateLimiter
    closed: bool = False
    user_agent: str | None = None


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
        _check_timeout("timeout", timeout)
        _check_timeout("deadline", deadline)
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
        self._shared = _Shared(
            transport=transport,
            session=session,
            owns_transport=session is None and transport is None,
            connection_limit=connection_limit,
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

    # -- lifecycle -----------------------------------------------------------------------------

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
        # A transport the caller passed in is theirs to close; the aiohttp transport built around a
        # caller's session only marks itself closed and leaves the session open.
        if shared.transport is not None and (shared.owns_transport or shared.session is not None):
            await shared.transport.aclose()

    @property
    def is_closed(self) -> bool:
        """Whether ``aclose()`` has been called."""
        return self._shared.closed

    def __del__(self) -> None:
        shared = getattr(self, "_shared", None)
        if shared is None or not getattr(self, "_owner", False) or not shared.owns_transport:
            return
        if getattr(shared.transport, "has_open_session", False):
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
            _check_timeout("timeout", timeout)
            clone.timeout = timeout
        if deadline is not _UNSET:
            _check_timeout("deadline", deadline)
            clone.deadline = deadline
        if retry_policy is not None:
            clone.retry_policy = retry_policy
        if max_retries is not None:
            clone.retry_policy = attrs.evolve(clone.retry_policy, max_retries=max_retries)
        if idempotency_key is not None:
            clone._idempotency_key = idempotency_key
        clone._bind_resources()
        return clone

    # -- the request pipeline ------------------------------------------------------------------

    def _get_transport(self) -> Transport:
        shared = self._shared
        if shared.closed:
            raise ClientStateError("this Talkturo client is closed; create a new one")
        if shared.transport is None:
            from ._aiohttp import AiohttpTransport

            shared.transport = AiohttpTransport(
                shared.session, connection_limit=shared.connection_limit
            )
        return shared.transport

    def _headers(self, method: str) -> dict[str, str]:
        if self._shared.user_agent is None:
            self._shared.user_agent = _user_agent()
        headers = {
            "Accept": "application/json",
            "User-Agent": self._shared.user_agent,
            **self._default_headers,
            "Authorization": f"Bearer {self._api_key}",
        }
        if method == "POST":
            headers["Idempotency-Key"] = self._idempotency_key or str(uuid.uuid4())
        return headers

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
        ``path`` is relative to ``base_url`` (no ``/api`` prefix). Raises the same errors as
        every other method.
        """
        return await self._call(method.upper(), path, params=params, json=json)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        transport = self._get_transport()
        loop = asyncio.get_running_loop()
        ends_at = None if self.deadline is None else loop.time() + self.deadline
        request = build_request(
            method,
            self.base_url,
            path,
            headers=self._headers(method),
            params=params,
            json_body=json,
        )
        policy = self.retry_policy
        url = str(request.url.with_query(None))
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s headers=%s body=%s",
                method,
                request.url,
                _log.redact_headers(dict(request.headers)),
                _log.redact_body(request.body),
            )

        limiter = self._shared.limiter

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
            logger.debug("%s %s -> %d", method, url, response.status)
            try:
                return decode_response(response, method=method, url=url)
            except RateLimitError as exc:
                if exc.retry_after:
                    await pause_limiter(limiter, min(exc.retry_after, policy.max_retry_after))
                raise

        return await _retrying(policy, method, path, ends_at, loop, attempt)

    async def _model(
        self,
        method: str,
        path: str,
        cls: type[T],
        *,
        key: str | None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        attach: tuple[str, ...] = (),
        reshape: Callable[[Any], Any] | None = None,
    ) -> T:
        """Call, unwrap the envelope at ``key``, and build ``cls``.

        ``attach`` names sibling keys of the envelope to copy into the payload
        (``campaign_enrollment``, ``eligibility``); ``reshape`` adapts a tolerated variant of the
        payload to the model before it is built (the pager's ``row`` does the same per item).
        """
        from ._converter import structure

        data = await self._call(method, path, params=params, json=json)
        payload = unwrap(data, key)
        if attach and isinstance(payload, dict) and isinstance(data, dict):
            payload = {**payload, **{k: data[k] for k in attach if k in data and k not in payload}}
        if reshape is not None:
            payload = reshape(payload)
        return structure(payload, cls)

    def _pager(
        self,
        path: str,
        cls: type[T],
        *,
        key: str,
        params: Mapping[str, Any],
        limit: int,
        offset: int,
        max_items: int | None,
        concurrency: int | None,
        alt_keys: tuple[str, ...] = (),
        row: Callable[[Any], Any] | None = None,
    ) -> AsyncPager[T]:
        """An :class:`AsyncPager` over a ``limit``/``offset`` list endpoint; ``row`` reshapes
        each raw item before it is built into ``cls``."""
        page_mode = False

        async def fetch(page_offset: int, page_limit: int) -> Page[T]:
            nonlocal page_mode
            from ._converter import structure

            query = {**params, "limit": page_limit, "offset": page_offset}
            if page_mode:
                query["page"] = page_offset // page_limit + 1
            data = await self._call("GET", path, params=query)
            raw = _find_items(data, key, alt_keys)
            if row is not None:
                raw = [row(item) for item in raw]
            items = structure(raw, list[cls])  # type: ignore[valid-type]
            if isinstance(data, dict) and "page" in data and "offset" not in data:
                page_mode = True
            return _page_from(data, items, page_limit, page_offset, key)

        return AsyncPager(
            fetch,
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=self.page_concurrency if concurrency is None else concurrency,
        )


def _check_timeout(name: str, value: float | None) -> None:
    if value is not None and value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds or None")


def _find_items(data: Any, key: str, alt_keys: tuple[str, ...]) -> list[Any]:
    if isinstance(data, list):
        return data
    for k in (key, *alt_keys, "data"):
        if isinstance(data, dict) and isinstance(data.get(k), list):
            return list(data[k])
    raise APIError(
        f"the list answer has no {key!r} array", status_code=200, body=data, method="GET"
    )


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _page_from(data: Any, items: list[T], sent_limit: int, sent_offset: int, key: str) -> Page[T]:
    """Read ``count``/``total``, ``limit`` and ``offset``/``page`` with the §13.0 fallbacks."""
    meta = data if isinstance(data, dict) else {}
    count = _as_int(meta.get("count", meta.get("total")))
    limit = _as_int(meta.get("limit")) or sent_limit
    offset = _as_int(meta.get("offset"))
    if offset is None:
        page_no = _as_int(meta.get("page"))
        offset = (page_no - 1) * limit if page_no is not None and page_no >= 1 else sent_offset
    return Page(items=items, count=count, limit=limit, offset=offset, extra=siblings(meta, key))


async def _retrying(
    policy: RetryPolicy,
    method: str,
    path: str,
    ends_at: float | None,
    loop: asyncio.AbstractEventLoop,
    attempt: Any,
) -> Any:
    """Run ``attempt`` with retries per ``policy``; stop early when the deadline would pass.

    The first attempt runs directly: building tenacity's machinery costs more than a request's
    own overhead, so it is only built once an attempt has failed in a retryable way. Tenacity then
    starts by re-raising that first failure (no I/O), so attempt numbers, waits and logs are exact.
    """
    try:
        return await attempt()
    except Exception as exc:
        if policy.max_retries == 0 or not policy.is_retryable(method, exc):
            raise
        first_failure: list[BaseException] = [exc]

    async def attempt_after_first() -> Any:
        if first_failure:
            raise first_failure.pop()
        return await attempt()

    import tenacity

    def stop(state: tenacity.RetryCallState) -> bool:
        if state.attempt_number > policy.max_retries:
            return True
        sleep = state.upcoming_sleep or 0.0
        return ends_at is not None and loop.time() + sleep >= ends_at

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        return policy.backoff(state.attempt_number, exc)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        cause = f"HTTP {exc.status_code}" if isinstance(exc, APIError) else type(exc).__name__
        logger.info(
            "retrying %s /%s after %s (attempt %d of %d) in %.2fs",
            method,
            path.lstrip("/"),
            cause,
            state.attempt_number + 1,
            policy.max_retries + 1,
            state.upcoming_sleep,
        )

    retrying = tenacity.AsyncRetrying(
        stop=stop,
        wait=wait,
        retry=tenacity.retry_if_exception(lambda exc: policy.is_retryable(method, exc)),
        before_sleep=before_sleep,
        reraise=True,
    )
    return await retrying(attempt_after_first)
