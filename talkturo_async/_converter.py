"""The one cattrs converter that turns decoded JSON into models.

One rule for every model (registered once as a hook factory): a field ``team_id`` is read from
``team_id`` or ``teamId``; unknown keys go to ``extra``; missing keys leave the field ``None``; a
value that does not fit its field's type is kept in ``extra`` instead of failing the whole answer.
ISO-8601 strings become aware datetimes; an unparseable one stays a string.
"""

from __future__ import annotations

import logging
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar, Union

import attrs
import cattrs

from ._timestamps import parse_timestamp
from ._variants import RECORD_VARIANTS
from ._wire import camel
from .models._base import Model, Timestamp

T = TypeVar("T")
logger = logging.getLogger("talkturo_async")


def _structure_timestamp(value: Any, _: Any) -> Timestamp:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    return parse_timestamp(str(value)) or str(value)


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return bool(value.strip().lower() in ("true", "1"))
    raise ValueError(f"not a boolean: {value!r}")


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)  # prices may come as numbers; they are kept as strings
    raise ValueError(f"not a string: {type(value).__name__}")


def _strip_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = tuple(a for a in typing.get_args(tp) if a is not type(None))
        if len(args) == 1:
            return args[0]
        return Union[args]  # noqa: UP007 -- built at run time from a tuple
    return tp


def _is_timestamp(tp: Any) -> bool:
    return bool(_strip_optional(tp) == Timestamp)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model)


def _model_hook(cls: type[Model]) -> Callable[[Any, Any], Model]:
    attrs.resolve_types(cls)
    lookup: dict[str, tuple[str, Callable[[Any, Any], Any], Any]] = {}
    for field in attrs.fields(cls):
        if field.name == "extra":
            continue
        tp = _strip_optional(field.type)
        hook = converter.get_structure_hook(tp)
        for key in (field.name, camel(field.name)):
            lookup.setdefault(key, (field.name, hook, tp))
    variant = RECORD_VARIANTS.get(cls)

    def structure(data: Any, _: Any) -> Model:
        if isinstance(data, Model):
            return data
        if not isinstance(data, Mapping):
            raise ValueError(
                f"expected a JSON object for {cls.__name__}, got {type(data).__name__}"
            )
        if variant is not None:
            data = variant(data)
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            entry = lookup.get(key)
            if entry is None:
                extra[key] = value
                continue
            name, hook, tp = entry
            if name in kwargs and kwargs[name] is not None:
                continue  # both spellings sent: the first non-null one wins
            if value is None:
                kwargs[name] = None
                continue
            try:
                kwargs[name] = hook(value, tp)
            except Exception as exc:  # a surprising value must not lose the whole answer
                logger.debug("kept %s.%s in extra: %s", cls.__name__, key, exc)
                extra[key] = value
        return cls(**kwargs, extra=extra)

    return structure


converter = cattrs.Converter()
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook_func(_is_timestamp, _structure_timestamp)
converter.register_structure_hook_factory(_is_model, _model_hook)


def structure(data: Any, cls: type[T]) -> T:
    """Decoded JSON → an instance of ``cls`` (a model, or a list of models)."""
    return converter.structure(data, cls)
