"""Retry rules: which failures are retried, how long to wait, and how ``Retry-After`` is read.

:class:`RetryPolicy` is a small value object; the client turns it into a tenacity
``AsyncRetrying`` for each call (tenacity is imported only then, to keep imports light).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

import attrs

from ._errors import APIConnectionError, APIError

__all__ = ["RetryPolicy", "parse_retry_after"]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


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
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_backoff: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    jitter: float = attrs.field(
        default=0.25, validator=[attrs.validators.ge(0), attrs.validators.le(1)]
    )
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    retry_statuses: frozenset[int] = attrs.field(default=RETRYABLE_STATUSES, converter=frozenset)
    retry_post: bool = True
    wait: bool = True

    def is_retryable(self, method: str, exc: BaseException) -> bool:
        """Whether ``exc``, raised by a ``method`` request, is worth another attempt."""
        if method == "POST" and not self.retry_post:
            return False
        if isinstance(exc, APIError):
            if exc.status_code not in self.retry_statuses:
                return False
            retry_after = retry_after_of(exc)
            return retry_after is None or retry_after <= self.max_retry_after
        return isinstance(exc, APIConnectionError)  # includes timeouts

    def backoff(self, attempt: int, exc: BaseException | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based) after ``exc``."""
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


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Read ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date) as seconds ≥ 0.

    ``headers`` must have lower-case names (as :class:`Response` gives them). Returns ``None``
    when neither header is present or parseable.
    """
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
