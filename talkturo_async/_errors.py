"""Exceptions raised by talkturo_async.

Every exception the SDK raises on purpose derives from :class:`TalkturoError`::

    TalkturoError
    ├── APIConnectionError          the request never got an HTTP answer
    │   └── APITimeoutError         ... because a timeout or the call's deadline ran out
    ├── APIError                    the server answered with an error (status_code, message, body)
    │   ├── BadRequestError         400, 422 (``issues`` when the server lists them)
    │   ├── AuthenticationError     401
    │   ├── InsufficientCreditsError 402
    │   ├── PermissionDeniedError   403
    │   ├── NotFoundError           404
    │   ├── ConflictError           409
    │   ├── RateLimitError          429 (``retry_after`` in seconds when the server sent one)
    │   ├── ServerError             5xx
    │   ├── ResponseTooLargeError   the answer is larger than the client's ``max_response_bytes``
    │   └── ResponseValidationError a 2xx answer that cannot be what the call returns
    │       └── PaginationError     list pages that loop, repeat, skip or contradict each other
    ├── ClientStateError            the client was used wrongly (closed, another event loop)
    ├── OutcomeUnknownError         a bulk row cancelled in flight: it may exist on the server
    ├── PartialFailureError         a chunked call where some chunks failed (``result``, ``failures``)
    ├── RateLimiterUnavailableError a shared rate limiter cannot reach its store (Redis, fail closed)
    ├── WebhookSignatureError       a received webhook is not authentic (answer it 400)
    └── WebhookPayloadError         an authentic webhook body of no known shape (also a ValueError)

Invalid arguments raise the built-in :class:`ValueError` before anything is sent.

:func:`error_for_status` holds the one status → class table and is the only place that picks
an exception class for an HTTP status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

__all__ = [
    "JSON",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientStateError",
    "ConflictError",
    "InsufficientCreditsError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PartialFailureError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RateLimiterUnavailableError",
    "ServerError",
    "TalkturoError",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "error_for_status",
]

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
"""A decoded JSON value (what ``json.loads`` returns): ``APIError.body``, the fake's request log."""


class TalkturoError(Exception):
    """Base class of every exception talkturo_async raises on purpose."""


class ClientStateError(TalkturoError):
    """The client was used in a state where it cannot work (closed, or another event loop)."""


class OutcomeUnknownError(TalkturoError):
    """A bulk row was in flight when its run stopped early and was cancelled after a grace period.

    It may or may not exist on the server. Re-send it with the same idempotency key (see
    ``bulk_create(idempotency_key=...)``) against a server that honours the key to be sure.
    """


class RateLimiterUnavailableError(TalkturoError):
    """A shared rate limiter could not reach its store (Redis) and was built to fail closed.

    The request was not sent. ``RedisRateLimiter(fail_open=True)``, the default, sends it instead.
    """


class WebhookSignatureError(TalkturoError):
    """The webhook is not authentic: answer it ``400`` and drop it.

    Also raised when it is too old or too new, or its headers are malformed.

    The message says what failed (missing or malformed header, bad timestamp, no key matched)
    and never contains a key, a secret or the body.
    """


class WebhookPayloadError(TalkturoError, ValueError):
    """The webhook body is not a JSON object of a known event shape."""


class PartialFailureError(TalkturoError):
    """Some chunks of a chunked call failed after retries; the others were applied.

    Attributes:
        result: the merged result of the chunks that succeeded.
        failures: ``(chunk, exception)`` for every chunk that failed, the chunk as sent.

    Args:
        message: what failed, in a sentence.
        result: the merged result of the chunks that succeeded.
        failures: ``(chunk, exception)`` for every chunk that failed.
    """

    def __init__(
        self, message: str, *, result: Any, failures: list[tuple[Any, BaseException]]
    ) -> None:
        super().__init__(message)
        self.result = result
        self.failures = failures


class APIConnectionError(TalkturoError):
    """No HTTP answer was received: DNS, refused or reset connection, TLS failure.

    Args:
        message: what failed (credentials masked).
        method: the HTTP method requested.
        url: the URL requested.
    """

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None):
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APITimeoutError(APIConnectionError):
    """The request (or the call's overall deadline, which covers its retries) timed out."""


class APIError(TalkturoError):
    """The server answered with an error status, or with ``"success": false``.

    Attributes:
        status_code: the HTTP status.
        message: the error text the server gave (or a generic one).
        body: the decoded JSON body (a dict) or, for non-JSON answers, the truncated text
            (a :data:`JSON` value: narrow it, e.g. ``if isinstance(err.body, dict)``).
        headers: the response headers.
        method: the HTTP method requested.
        url: the URL requested (it never carries credentials).
        request_id: the server's request id header, when it sent one.

    Args:
        message: the error text (credentials masked).
        status_code: the HTTP status.
        body: the decoded JSON body, or the truncated text of a non-JSON answer.
        headers: the response headers.
        method: the HTTP method requested.
        url: the URL requested.
        request_id: the server's request id header, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: JSON = None,
        headers: Mapping[str, str] | None = None,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body: JSON = body
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.method = method
        self.url = url
        self.request_id = request_id

    def __str__(self) -> str:
        where = f" ({self.method} {self.url})" if self.method and self.url else ""
        return f"{self.status_code}: {self.message}{where}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r})"


class BadRequestError(APIError):
    """400 or 422: the request was invalid. ``issues`` lists field problems when sent."""

    @property
    def issues(self) -> list[Any] | None:
        """The ``issues`` array of the error body, if the server sent one."""
        issues = self.body.get("issues") if isinstance(self.body, dict) else None
        return issues if isinstance(issues, list) else None


class AuthenticationError(APIError):
    """401: the API key is missing, wrong, revoked or expired."""


class InsufficientCreditsError(APIError):
    """402: the account has no credit for this (starting a campaign, buying a number)."""


class PermissionDeniedError(APIError):
    """403: the key is valid but may not do this (scope, another account, KYC)."""


class NotFoundError(APIError):
    """404: no such resource (or not visible to this key)."""


class ConflictError(APIError):
    """409: the request conflicts with the current state (already owned, running campaign)."""


class RateLimitError(APIError):
    """429 after the SDK's own retries, or a ``Retry-After`` longer than the policy allows.

    ``retry_after`` is the wait in seconds the server asked for, or ``None``.

    Args:
        message: the error text.
        retry_after: the wait in seconds the server asked for, if any.
        **kwargs: the other :class:`APIError` arguments (``status_code``, ``body``, ...).
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    """A 5xx answer that was still failing after the SDK's retries."""


class ResponseTooLargeError(APIError):
    """The answer's body (after decompression) exceeded the client's ``max_response_bytes``.

    The rest of the body is not read and the connection is closed.
    """


class ResponseValidationError(APIError):
    """A success answer that cannot be what the call returns (wrong shape, missing records)."""


class PaginationError(ResponseValidationError):
    """List pages that contradict each other.

    A page repeated, an offset other than the one asked for, or fewer items than the server's own
    ``count`` said. Rather than return a silently short list, the listing stops with this error;
    items already yielded were correct.
    """


_STATUS_TO_ERROR: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitError,
}


def error_for_status(status_code: int) -> type[APIError]:
    """The exception class for an HTTP status.

    The table above, ``ServerError`` for 5xx, ``APIError`` for anything else (including a 2xx answer
    with ``"success": false``).
    """
    if status_code in _STATUS_TO_ERROR:
        return _STATUS_TO_ERROR[status_code]
    if status_code >= 500:
        return ServerError
    return APIError
