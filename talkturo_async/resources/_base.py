"""What every resource shares: the client it calls through, and argument checks."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from .._options import RequestOptions, check_options
from .._pagination import AsyncPager, Paging, offset_pager
from .._wire import camel

if TYPE_CHECKING:
    from .._client import Talkturo
    from .._variants import Envelope

T = TypeVar("T")


class Resource:
    """A group of API methods bound to one client."""

    def __init__(self, client: Talkturo) -> None:
        self._client = client

    async def _request(
        self,
        method: str,
        path: str,
        model: type[T],
        envelope: Envelope,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        options: RequestOptions | None = None,
    ) -> T:
        """Send through the client, find the payload through ``envelope``, build ``model``.

        A payload that cannot be a ``model`` (or no payload at all) raises
        :class:`ResponseValidationError`.
        """
        from .._converter import structure

        def parse(body: Any) -> T:
            return structure(envelope.record(body, model), model, path=envelope.key or "")

        result: T = await self._client._send(
            method,
            path,
            params=params,
            json=json,
            idempotency_key=idempotency_key,
            options=checked(options),
            parse=parse,
        )
        return result

    async def _request_list(
        self,
        path: str,
        model: type[T],
        envelope: Envelope,
        *,
        params: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> list[T]:
        """GET a list the API answers in one piece (no paging): the array under ``envelope``."""
        from .._converter import structure

        def parse(body: Any) -> list[T]:
            items = envelope.items(body)
            if items is None:
                raise ValueError(f"the answer has no {envelope.key!r} array")
            return structure(items, list[model], path=envelope.key or "")  # type: ignore[valid-type]

        result: list[T] = await self._client._send(
            "GET", path, params=params, options=checked(options), parse=parse
        )
        return result

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """Send through the client and return the decoded JSON (for calls that return no model)."""
        return await self._client._send(
            method,
            path,
            params=params,
            json=json,
            idempotency_key=idempotency_key,
            options=checked(options),
        )

    def _paginate(
        self,
        path: str,
        model: type[T],
        envelope: Envelope,
        params: Mapping[str, Any],
        paging: Paging,
        options: RequestOptions | None = None,
    ) -> AsyncPager[T]:
        """An :class:`AsyncPager` over a ``limit``/``offset`` list endpoint."""
        concurrency = self._client.page_concurrency
        send = self._client._send
        if options:
            send = functools.partial(send, options=checked(options))
        return offset_pager(
            send, path, model, envelope, params, paging, default_concurrency=concurrency
        )


def checked(options: RequestOptions | None) -> RequestOptions | None:
    """``options`` checked once, at the call (an unknown key raises before anything is sent)."""
    return None if options is None else check_options(options)


def require(**arguments: Any) -> None:
    """Raise ``ValueError('<name> is required')`` for each argument left ``None`` or empty."""
    for name, value in arguments.items():
        if value is None or (isinstance(value, (str, list, tuple, dict)) and not value):
            raise ValueError(f"{name} is required")


def segment(name: str, value: str) -> str:
    """An id as one path segment: required, and escaped so it cannot change the route.

    Raises:
        ValueError: the id is missing, empty, not a string, or ``.``/``..`` (which a URL would
            resolve into another route).
    """
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {type(value).__name__}")
    require(**{name: value})
    if value.strip() in (".", ".."):
        raise ValueError(f"{name} {value!r} is not an id (it would change the route)")
    return quote(value, safe="")


def update_body(fields: Mapping[str, Any], *, wire_case: bool) -> dict[str, Any]:
    """The body of an ``update``: the fields as given (``None`` is sent, to clear a field).

    With ``wire_case`` snake_case names become camelCase (camelCase names pass unchanged).
    """
    if not fields:
        raise ValueError("update needs at least one field to change")
    return {camel(k) if wire_case else k: v for k, v in fields.items()}


def present(**fields: Any) -> dict[str, Any]:
    """The fields given (not ``None``), under their own names.

    For routes whose wire names are snake_case already (TurboFlow).
    """
    return {k: v for k, v in fields.items() if v is not None}
