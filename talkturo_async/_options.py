"""Per-call request options: ``options={"timeout": 5, "extra_headers": {...}}`` on any method.

:class:`RequestOptions` is a ``TypedDict``, so a misspelt key is a type error; at run time
:func:`check_options` refuses unknown keys (naming the closest one) and values of the wrong type
before anything is sent.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

import attrs

from ._config import check_header_value, check_headers, check_int, check_timeout

if TYPE_CHECKING:
    from ._retry import RetryPolicy

__all__ = ["RequestOptions", "check_options", "override"]


class RequestOptions(TypedDict, total=False):
    """Settings for one call, overriding the client's (every key is optional).

    Attributes:
        timeout: seconds each HTTP attempt may take (``None``: no per-attempt limit).
        deadline: seconds the whole call may take, retries and waits included.
        max_retries: retries after the first attempt (``0``: none).
        idempotency_key: the ``Idempotency-Key`` of a POST (one key stands for one operation).
        extra_headers: headers added to this call's request (they cannot replace the
            ``Authorization`` header).
    """

    timeout: float | None
    deadline: float | None
    max_retries: int
    idempotency_key: str
    extra_headers: Mapping[str, str]


_KEYS = tuple(RequestOptions.__annotations__)
_PROTECTED_HEADERS = frozenset({"authorization", "host", "content-length"})


def check_options(options: Mapping[str, Any]) -> RequestOptions:
    """Return ``options`` checked, or raise naming the key at fault (nothing is sent).

    Raises:
        TypeError: ``options`` is not a mapping, has an unknown key (the message names the
            closest known one) or a value of the wrong type.
        ValueError: a value out of range (a negative timeout, a header with a line break).
    """
    if not isinstance(options, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance] - user input
        raise TypeError(f"options must be a dict of RequestOptions, got {type(options).__name__}")
    for key in options:
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key), _KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(_KEYS)})"
            raise TypeError(f"unknown request option {key!r}{hint}")
    # The same checks as the client's own arguments (one place: ``_config``), named as options.
    for name in ("timeout", "deadline"):
        if name in options:
            check_timeout(f"options[{name!r}]", options[name])
    if "max_retries" in options:
        check_int("options['max_retries']", options["max_retries"], minimum=0)
    if "idempotency_key" in options:
        key = options["idempotency_key"]
        if not isinstance(key, str) or not key.strip():
            raise TypeError("options['idempotency_key'] must be a non-empty string")
        check_header_value("options['idempotency_key']", key)
    if "extra_headers" in options:
        headers = check_headers("options['extra_headers']", options["extra_headers"])
        for name in headers:
            if name.strip().lower() in _PROTECTED_HEADERS:
                raise ValueError(f"options['extra_headers'] cannot set {name!r}")
    return options  # type: ignore[return-value]


def override(
    options: RequestOptions,
    policy: RetryPolicy,
    timeout: float | None,
    deadline: float | None,
    idempotency_key: str | None,
) -> tuple[RetryPolicy, float | None, float | None, str | None, Mapping[str, str]]:
    """The client's settings for one call with ``options`` (already checked) applied."""
    if "max_retries" in options:
        policy = attrs.evolve(policy, max_retries=options["max_retries"])
    return (
        policy,
        options.get("timeout", timeout),
        options.get("deadline", deadline),
        options.get("idempotency_key", idempotency_key),
        options.get("extra_headers", {}),
    )
