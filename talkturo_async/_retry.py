"""Retries: the rules (:class:`RetryPolicy`) and the loop that applies them to one call.

:class:`RetryPolicy` is a small value object: which failures are retried and how long to wait.
:func:`call_with_retries` runs one call's attempts under it. The first attempt runs bare; only
after a retryable failure is a tenacity ``AsyncRetrying`` built (and tenacity imported) to drive
the rest, because its set-up costs more than the rest of a request.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

import attrs

from ._config import check_bool, check_int, check_number
from ._errors import APIConnectionError, APIError
from ._wire import parse_retry_after

if TYPE_CHECKING:
    import tenacity

__all__ = [
    "RetryPolicy",
    "call_with_retries",
    "parse_retry_after",
    "retry_after_failure",
    "should_retry",
]

T = TypeVar("T")
logger = logging.getLogger("talkturo_async")

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def _statuses(value: Iterable[int]) -> frozenset[int]:
    """``retry_statuses`` as a frozenset of HTTP statuses (100-599), each an ``int``."""
    # A named converter: mypy's attrs plugin cannot read the generic ``frozenset`` as one.
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance] - user input
        raise TypeError(
            f"retry_statuses must be a collection of HTTP statuses, got {type(value).__name__}"
        )
    statuses = frozenset(value)
    for status in statuses:
        check_int("each of retry_statuses", status, minimum=100, maximum=599)
    return statuses


def _count(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    check_int(attribute.name, value, minimum=0)


def _seconds(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    check_number(attribute.name, value, zero=True, infinite=attribute.name == "max_retry_after")


def _fraction(_: object, attribute: attrs.Attribute[float], value: object) -> None:
    check_number(attribute.name, value, zero=True, what="fraction between 0 and 1")
    if value > 1:  # type: ignore[operator]
        raise ValueError(f"{attribute.name} must be a fraction between 0 and 1, got {value!r}")


def _flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    check_bool(attribute.name, value)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a failed request is retried.

    Args:
        max_retries: retries after the first attempt (``0`` turns retrying off).
        initial_backoff: the first wait in seconds; each further wait doubles, up to ``max_backoff``.
        max_backoff: the cap on a computed wait.
        jitter: the fraction of each computed wait taken off at random (spreads retries out).
        max_retry_after: the longest ``Retry-After`` the SDK will sleep for; a longer one raises
            at once (``RateLimitError.retry_after`` tells the caller how long to wait).
        retry_statuses: HTTP statuses that are retried.
        retry_post: whether POSTs are retried. Every POST carries an ``Idempotency-Key`` that stays
            the same across its retries, but the Talkturo docs do not say the server honours it:
            set this to ``False`` where a duplicate write after a 5xx is worse than an error.
        wait: ``False`` retries without sleeping at all (for tests).

    Raises:
        TypeError: a field of the wrong type (``max_retries="3"``, ``wait=1``); the message names it.
        ValueError: a negative count or wait, a NaN or infinite wait (``max_retry_after`` may be
            ``inf``: sleep for any ``Retry-After``), ``jitter`` above 1, a status outside 100-599.
    """

    max_retries: int = attrs.field(default=2, validator=_count)
    initial_backoff: float = attrs.field(default=0.5, validator=_seconds)
    max_backoff: float = attrs.field(default=8.0, validator=_seconds)
    jitter: float = attrs.field(default=0.25, validator=_fraction)
    max_retry_after: float = attrs.field(default=60.0, validator=_seconds)
    retry_statuses: frozenset[int] = attrs.field(default=RETRYABLE_STATUSES, converter=_statuses)
    retry_post: bool = attrs.field(default=True, validator=_flag)
    wait: bool = attrs.field(default=True, validator=_flag)

    def is_retryable(self, method: str, exc: BaseException) -> bool:
        """Whether ``exc``, raised by a ``method`` request, is worth another attempt.

        Args:
            method: the request's HTTP method (POSTs only when ``retry_post``).
            exc: what the attempt raised.
        """
        if method == "POST" and not self.retry_post:
            return False
        if isinstance(exc, APIError):
            if exc.status_code not in self.retry_statuses:
                return False
            retry_after = retry_after_of(exc)
            return retry_after is None or retry_after <= self.max_retry_after
        return isinstance(exc, APIConnectionError)  # includes timeouts

    def backoff(self, attempt: int, exc: BaseException | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based) after ``exc``.

        Args:
            attempt: the retry's number, from 1.
            exc: what the failed attempt raised (its ``Retry-After`` wins, up to the cap).
        """
        if not self.wait:
            return 0.0
        retry_after = retry_after_of(exc) if exc is not None else None
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        base = min(self.max_backoff, self.initial_backoff * 2.0 ** (attempt - 1))
        return base * (1 - self.jitter * random.random())


def retry_after_of(exc: BaseException) -> float | None:
    """The server-requested wait carried by an API error, if any."""
    if isinstance(exc, APIError):
        return parse_retry_after(exc.headers)
    return None


async def call_with_retries(
    policy: RetryPolicy,
    attempt: Callable[[], Awaitable[T]],
    *,
    method: str,
    path: str,
    clock: Callable[[], float],
    ends_at: float | None = None,
) -> T:
    """Run ``attempt`` until it succeeds, a failure is not retryable, or the policy gives up.

    Args:
        policy: the retry rules.
        attempt: one try of the call (a fresh coroutine each time).
        method: the HTTP method, for the retry decision and the log line.
        path: the path called, for the log line.
        clock: the event loop's clock (``loop.time``); ``ends_at`` is on it.
        ends_at: the call's deadline; no retry is started whose wait would pass it.

    Raises:
        Exception: the last attempt's exception, as raised.
    """
    try:
        return await attempt()
    except Exception as exc:
        if not should_retry(policy, method, exc):
            raise
        failure = exc
    return await retry_after_failure(
        policy, attempt, failure, method=method, path=path, clock=clock, ends_at=ends_at
    )


def should_retry(policy: RetryPolicy, method: str, exc: BaseException) -> bool:
    """Whether the first attempt's failure ``exc`` starts the retries (``max_retries`` above 0)."""
    return policy.max_retries > 0 and policy.is_retryable(method, exc)


async def retry_after_failure(
    policy: RetryPolicy,
    attempt: Callable[[], Awaitable[T]],
    failure: BaseException,
    *,
    method: str,
    path: str,
    clock: Callable[[], float],
    ends_at: float | None = None,
) -> T:
    """The rest of :func:`call_with_retries` once the first attempt failed with ``failure``.

    The caller runs the first attempt itself (one coroutine less per call) and hands over a
    failure :func:`should_retry` accepts; the other arguments are :func:`call_with_retries`'s.

    Raises:
        Exception: the last attempt's exception, as raised.
    """
    first_failure: BaseException | None = failure
    import tenacity

    def stop(state: tenacity.RetryCallState) -> bool:
        if state.attempt_number > policy.max_retries:
            return True
        sleep = state.upcoming_sleep or 0.0
        return ends_at is not None and clock() + sleep >= ends_at

    retrying = tenacity.AsyncRetrying(
        stop=stop,
        wait=lambda state: policy.backoff(state.attempt_number, _failure_of(state)),
        retry=tenacity.retry_if_exception(lambda exc: policy.is_retryable(method, exc)),
        before_sleep=lambda state: _log_retry(state, policy, method, path),
        reraise=True,
    )
    async for try_ in retrying:
        with try_:
            # pyright thinks ``raise failure`` ends the loop (``__exit__`` is typed ``bool | None``),
            # but ``try_`` swallows it and tenacity runs the next attempt with ``None`` here.
            if first_failure is not None:  # pyright: ignore[reportUnnecessaryComparison]
                # Attempt 1 already ran above: hand its failure to tenacity, so attempt numbers,
                # waits, the stop rule and the log see it as tenacity's own first attempt.
                failure, first_failure = first_failure, None
                raise failure
            return await attempt()
    raise AssertionError("unreachable: tenacity returns or re-raises")  # pragma: no cover


def _failure_of(state: tenacity.RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome else None


def _log_retry(state: tenacity.RetryCallState, policy: RetryPolicy, method: str, path: str) -> None:
    exc = _failure_of(state)
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
