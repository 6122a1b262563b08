"""What every resource shares: the client it calls through, and argument checks."""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union, get_args, get_origin
from urllib.parse import quote

from .._options import RequestOptions, check_options
from .._pagination import AsyncPager, Paging, offset_pager
from .._wire import camel, snake

if TYPE_CHECKING:
    from .._client import Talkturo
    from .._variants import Envelope

T = TypeVar("T")


class Resource:
    """A group of API methods bound to one client."""

    def __init__(self, client: Talkturo) -> None:
        self._client = client

    def _request(
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
    ) -> Coroutine[Any, Any, T]:
        """Send through the client, find the payload through ``envelope``, build ``model``.

        A payload that cannot be a ``model`` (or no payload at all) raises
        :class:`ResponseValidationError`. Returns the call's coroutine for the resource method
        to await (no coroutine of its own: see ``Talkturo._send``).
        """
        return self._client._send(  # pyright: ignore[reportPrivateUsage] - same package
            method,
            path,
            params=params,
            json=json,
            idempotency_key=idempotency_key,
            options=checked(options),
            parse=_parser(envelope, model),
        )

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

        result: list[T] = await self._client._send(  # pyright: ignore[reportPrivateUsage] - same package
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
        return await self._client._send(  # pyright: ignore[reportPrivateUsage] - same package
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
        send = self._client._send  # pyright: ignore[reportPrivateUsage] - same package
        if options:
            send = functools.partial(send, options=checked(options))
        return offset_pager(
            send, path, model, envelope, params, paging, default_concurrency=concurrency
        )


def _parser(envelope: Envelope, model: type[Any]) -> Callable[[Any], Any]:
    """The parse step of :meth:`Resource._request` for one (envelope, model), made once.

    A closure and the converter's import made per request cost ~3 µs of the ~40 µs the SDK
    spends on one. Envelopes and models are module constants, so the cache stays small.
    """
    parse = _PARSERS.get((envelope, model))
    if parse is None:
        from .._converter import structure

        parse = functools.partial(_parse, structure, envelope, model)
        _PARSERS[envelope, model] = parse
    return parse


def _parse(structure: Callable[..., Any], envelope: Envelope, model: type[Any], body: Any) -> Any:
    return structure(envelope.record(body, model), model, path=envelope.key or "")


_PARSERS: dict[tuple[Envelope, type[Any]], Callable[[Any], Any]] = {}


def checked(options: RequestOptions | None) -> RequestOptions | None:
    """``options`` checked once, at the call (an unknown key raises before anything is sent)."""
    return None if options is None else check_options(options)


def _blank(value: Any) -> bool:
    """``None``, an empty or whitespace-only string, or an empty list/tuple/dict."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, (list, tuple, dict)) and not value)


def require(**arguments: Any) -> None:
    """Raise ``ValueError('<name> is required')`` for an argument left ``None``, empty or blank.

    A whitespace-only string counts as missing.
    """
    for name, value in arguments.items():
        if _blank(value):
            raise ValueError(f"{name} is required")


def not_blank(**arguments: Any) -> None:
    """Raise ``ValueError`` for an optional string argument given as ``""`` or whitespace.

    ``None`` (not given) passes; a blank id would be sent as a filter or scope matching nothing.
    """
    for name, value in arguments.items():
        if isinstance(value, str) and not value.strip():
            raise ValueError(f"{name} must not be empty (leave it out instead)")


def exactly_one(**arguments: Any) -> None:
    """Raise ``ValueError`` unless exactly one argument is given; a blank one is refused by name.

    Example: ``exactly_one(team_id=team_id, account_slug=account_slug)``.
    """
    names = " or ".join(arguments)
    for name, value in arguments.items():
        if value is not None and _blank(value):
            raise ValueError(f"{name} must not be empty (pass exactly one of {names})")
    if sum(value is not None for value in arguments.values()) != 1:
        raise ValueError(f"pass exactly one of {names}")


def literal_values(hint: Any) -> tuple[Any, ...]:
    """The values of every ``Literal`` in a type hint (``LeadStatus | None`` included)."""
    if get_origin(hint) is Literal:
        return get_args(hint)
    if get_origin(hint) in (Union, types.UnionType):
        return tuple(v for arg in get_args(hint) for v in literal_values(arg))
    return ()


def one_of(name: str, value: Any, alias: Any) -> None:
    """Raise ``ValueError`` unless ``value`` is ``None`` or one of the ``Literal`` alias's values.

    The message names the argument, lists the valid values and the closest one:
    ``status='runnning' is not one of 'draft', 'running', ...; did you mean 'running'?``.
    """
    if value is None:
        return
    allowed = literal_values(alias)
    if isinstance(value, str) and value in allowed:
        return
    listed = ", ".join(repr(v) for v in allowed)
    close = difflib.get_close_matches(str(value), [str(v) for v in allowed], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"{name}={value!r} is not one of {listed}{hint}")


@functools.cache
def _field_hints(spec: type) -> dict[str, Any]:
    return typing.get_type_hints(spec)


def typed_fields(fields: Mapping[str, Any], spec: type, *, what: str = "update") -> dict[str, Any]:
    """``fields`` checked against the ``TypedDict`` ``spec``, under their snake_case names.

    camelCase names of known fields are accepted; values of ``Literal``-typed fields are checked
    with :func:`one_of`.

    Raises:
        TypeError: not a mapping; an unknown name (``unknown field 'job_tilte'; did you mean
            'job_title'?``); one field in both spellings (``first_name`` and ``firstName``).
        ValueError: no fields at all, or a value outside its ``Literal``.
    """
    prefix = "" if what == "update" else f"{what}: "
    if not isinstance(fields, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance] - user input
        raise TypeError(f"{what} must be a dict of fields, got {type(fields).__name__}")
    if not fields:
        raise ValueError(f"{what} needs at least one field")
    hints = _field_hints(spec)
    given: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, value in fields.items():
        name = key if key in hints else snake(str(key))
        if name not in hints:
            raise TypeError(prefix + unknown_field(key, tuple(hints)))
        if name in given:
            raise TypeError(
                f"{prefix}field {name!r} is given twice (as {given[name]!r} and {key!r})"
            )
        given[name] = key
        if literal_values(hints[name]):
            one_of(name, value, hints[name])
        out[name] = value
    return out


def unknown_field(key: object, known: tuple[str, ...]) -> str:
    """``unknown field 'x'; did you mean 'y'?`` (or the known names, when none is close)."""
    close = difflib.get_close_matches(snake(str(key)), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
    return f"unknown field {key!r}{hint}"


def wire_fields(fields: Mapping[str, Any], *, wire_case: bool) -> dict[str, Any]:
    """snake_case fields under their wire names: camelCase when ``wire_case``; ``None`` kept."""
    return {camel(k) if wire_case else k: v for k, v in fields.items()}


def update_body(fields: Mapping[str, Any], spec: type, *, wire_case: bool) -> dict[str, Any]:
    """The body of an ``update``: :func:`typed_fields`, then :func:`wire_fields`.

    ``None`` is sent, to clear a field.
    """
    return wire_fields(typed_fields(fields, spec), wire_case=wire_case)


def split_idempotency_key(
    idempotency_key: str | None, options: RequestOptions | None
) -> tuple[str | None, RequestOptions | None]:
    """For chunked calls: the key their chunks' keys derive from, and the options without it.

    ``options["idempotency_key"]`` acts like the ``idempotency_key`` argument (one key per chunk
    would otherwise make a server answer every chunk with the first one's result).

    Raises:
        ValueError: both are given and differ.
    """
    options = checked(options)
    if options is None or "idempotency_key" not in options:
        return idempotency_key, options
    key = options["idempotency_key"]
    if idempotency_key is not None and idempotency_key != key:
        raise ValueError("idempotency_key and options['idempotency_key'] differ; pass one of them")
    rest = typing.cast(RequestOptions, {k: v for k, v in options.items() if k != "idempotency_key"})
    return key, rest


# What ``quote(value, safe="")`` leaves as it is, minus ``.`` (``.``/``..`` change the route).
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_~-]+").fullmatch


def segment(name: str, value: str) -> str:
    """An id as one path segment: required, and escaped so it cannot change the route.

    Raises:
        ValueError: the id is missing, empty, not a string, or ``.``/``..`` (which a URL would
            resolve into another route).
    """
    if value.__class__ is str and _PLAIN_SEGMENT(value):
        return value  # the common id (letters, digits, ``-_~``): nothing to check or escape
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance] - user input
        raise ValueError(f"{name} must be a string, got {type(value).__name__}")
    require(**{name: value})
    if value.strip() in (".", ".."):
        raise ValueError(f"{name} {value!r} is not an id (it would change the route)")
    return quote(value, safe="")


def present(**fields: Any) -> dict[str, Any]:
    """The fields given (not ``None``), under their own names.

    For routes whose wire names are snake_case already (TurboFlow).
    """
    return {k: v for k, v in fields.items() if v is not None}
