"""The one cattrs converter that turns decoded JSON into models.

One rule for every model (registered once as a hook factory): a field ``team_id`` is read from
``team_id`` or ``teamId`` (both sent: the first non-null one wins); unknown keys go to ``extra``;
missing keys leave the field at its default; a value that does not fit its field's type is kept in
``extra`` instead of failing the whole answer. A required field (an entity's ``id``: no default)
is the exception: a record without a usable one raises ``ValueError`` ("Contact record has no
'id'"), as does a record that is not a JSON object; a list item's error names its index.
Timestamps (ISO-8601 strings or epoch numbers) become aware datetimes; an unparseable string
stays a string; a whole-number field never truncates a fraction (``12.7`` is kept in ``extra``).

Two paths give the same models. The **tolerant path** (``_tolerant_hook``) interprets each key
of the answer through a lookup table and the per-type hooks below; it handles everything. The
**fast path** is a function generated once per model (``_generate``, registered in ``linecache``
so tracebacks and profilers show its source): straight-line code that reads every field by name
and accepts a value only when it already has the right JSON type. On anything else (both
spellings of a key, a value of another type, a field it cannot default) it returns ``_MISS`` and
the record is redone by the tolerant path, so the fast path never decides anything the tolerant
path would decide differently. ``tests/test_converter_paths.py`` pins that equality.
"""

from __future__ import annotations

import inspect
import linecache
import logging
import textwrap
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

_MISS: Any = object()  # the fast path's "not mine: use the tolerant path"


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


def _structure_int(value: Any, _: Any) -> int:
    """A whole number: never a truncated one (``12.7`` does not fit; it is kept in ``extra``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value.strip())  # "12" → 12; "12.7" raises
    raise ValueError(f"not a whole number: {value!r}")


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)  # prices may come as numbers; they are kept as strings
    raise ValueError(f"not a string: {type(value).__name__}")


def _structure_id(value: Any, _: Any) -> str:
    """A required id: a non-empty string, or an integer (numeric ids are kept as text)."""
    if isinstance(value, str):
        if value:
            return value
        raise ValueError("it is empty")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"expected a string, got {type(value).__name__}")


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


@attrs.frozen
class _Field:
    """What both paths need to know about one model field."""

    name: str
    arg: str  # the ``__init__`` argument (attrs' alias)
    keys: tuple[str, ...]  # the spellings read from an answer: snake_case, then camelCase
    tp: Any  # the field's type without ``| None``
    default: Any  # attrs' default: a value, an ``attrs.Factory`` or ``attrs.NOTHING``

    @property
    def required(self) -> bool:
        """No default: an answer must carry it (the tolerant path's ``cls(**kwargs)`` says so)."""
        return self.default is attrs.NOTHING


def _fields(cls: type[Model]) -> list[_Field]:
    attrs.resolve_types(cls)
    return [
        _Field(
            name=f.name,
            arg=f.alias or f.name,
            keys=tuple(dict.fromkeys((f.name, camel(f.name)))),
            tp=_strip_optional(f.type),
            default=f.default,
        )
        for f in attrs.fields(cls)
        if f.name != "extra"
    ]


# -- the tolerant path ----------------------------------------------------------------------------


def _tolerant_hook(cls: type[Model], fields: list[_Field]) -> Callable[[Any], Model]:
    """Key by key through a lookup table: handles every answer, slowly."""
    lookup: dict[str, tuple[str, Callable[[Any, Any], Any], Any]] = {}
    required = [f for f in fields if f.required]
    required_args = frozenset(f.arg for f in required)
    # A list of records is data the caller iterates: an item that cannot be a record (an entity
    # without its id) fails the answer rather than leave the list empty and the items in extra.
    record_lists = {f.arg: sub for f in fields if (sub := _list_of_model(f.tp)) is not None}
    for field in fields:
        if field.required and field.tp is str:
            hook: Callable[[Any, Any], Any] = _structure_id
        else:
            hook = converter.get_structure_hook(field.tp)
        for key in field.keys:
            lookup.setdefault(key, (field.arg, hook, field.tp))

    def structure(data: Any) -> Model:
        if isinstance(data, Model):
            return data
        if not isinstance(data, Mapping):
            raise ValueError(
                f"expected a JSON object for {cls.__name__}, got {type(data).__name__}"
            )
        record = typing.cast("Mapping[str, Any]", data)  # decoded JSON: its keys are strings
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in record.items():
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
                if name in required_args:  # ... unless the answer is unusable without it
                    raise ValueError(
                        f"{cls.__name__} record has no usable {key!r} ({exc})"
                    ) from None
                if name in record_lists:
                    raise _bad_item(key, value, record_lists[name]) or ValueError(
                        f"{cls.__name__}.{key}: {exc}"
                    ) from None
                logger.debug("kept %s.%s in extra: %s", cls.__name__, key, exc)
                extra[key] = value
        for field in required:
            if kwargs.get(field.arg) is None:
                raise ValueError(f"{cls.__name__} record has no {field.name!r}")
        return cls(**kwargs, extra=extra)

    return structure


def _bad_item(key: str, items: Any, model: type[Model]) -> ValueError | None:
    """``key[i]: why`` for the first item of ``items`` that cannot be a ``model``.

    Or ``key: expected an array ...`` when ``items`` is not a JSON array at all.
    """
    if items.__class__ is not list:  # decoded JSON: an array is a list
        return ValueError(
            f"{key}: expected an array of {model.__name__} records, got {type(items).__name__}"
        )
    for i, item in enumerate(items):
        try:
            _structure_fn(model)(item)
        except Exception as exc:
            return ValueError(f"{key}[{i}]: {exc}")
    return None


# -- the fast path: one generated function per model ----------------------------------------------

# How the fast path reads a value ``v`` (already known not to be None) of a type: a statement that
# leaves the field's value in ``v`` or returns ``_MISS``. ``{h}`` names the field's cattrs hook and
# ``{t}`` its type, for types without a shortcut (the hook's own result, or any error, decides).
_READ: dict[Any, str] = {
    str: "if v.__class__ is not str: return _MISS",
    int: "if v.__class__ is not int: return _MISS",
    bool: "if v is not True and v is not False: return _MISS",
    float: (
        "if v.__class__ is not float:\n"
        "    if v.__class__ is not int: return _MISS\n"
        "    v = float(v)"
    ),
    Any: "pass",
    Timestamp: (
        "if v.__class__ is not str: return _MISS\n"
        "t = _timestamps.get(v)\n"
        "v = _timestamp(v) if t is None else t"
    ),
    # Containers are kept as decoded, not copied as the tolerant path does (equal values; the
    # copies cost a third of the fast path). JSON object keys are strings; join() raises on any
    # other key, sending the record to the tolerant path, whose str hook would convert them.
    dict[str, Any]: "if v.__class__ is not dict: return _MISS\n''.join(v)",
    list[Any]: "if v.__class__ is not list: return _MISS",
    list[str]: (
        "if v.__class__ is not list: return _MISS\n"
        "for e in v:\n"
        "    if e.__class__ is not str: return _MISS"
    ),
}
# The most common fields, a default of None and a value taken as it is, in one line.
_CHECK: dict[Any, str] = {
    str: "{v}.__class__ is not str",
    int: "{v}.__class__ is not int",
    bool: "{v} is not True and {v} is not False",
}
_OTHER = "v = {h}(v, {t})"
_MODEL = "if v.__class__ is not dict: return _MISS\nv = {s}(v)"
_MODEL_LIST = "if v.__class__ is not list: return _MISS\nv = [{s}(e) for e in v]"

# Parsed timestamps by their text: an answer repeats them (``created_at`` = ``updated_at``, a
# batch created at once), and datetimes are immutable, so one parse serves them all.
_timestamps: dict[str, Timestamp] = {}
_TIMESTAMPS_KEPT = 4096


def _timestamp(text: str) -> Timestamp:
    value = parse_timestamp(text) or text
    if len(_timestamps) >= _TIMESTAMPS_KEPT:
        _timestamps.clear()
    _timestamps[text] = value
    return value


def _list_of_model(tp: Any) -> type[Model] | None:
    if typing.get_origin(tp) is list:
        (arg,) = typing.get_args(tp) or (None,)
        if _is_model(arg):
            return typing.cast("type[Model]", arg)
    return None


def _fast_source(
    cls: type[Model], fields: list[_Field], spelling: int, globs: dict[str, Any]
) -> str:
    """The body reading ``data`` with keys of one spelling (0: snake_case, 1: camelCase)."""
    lines = [f"def fast_{spelling}(data, extra):", "    get = data.get"]
    args: list[str] = []
    for i, field in enumerate(fields):
        key = field.keys[min(spelling, len(field.keys) - 1)]
        var = f"f{i}"
        args.append(f"{field.arg}={var}")
        if field.required and field.tp is str:  # an id: one check, the tolerant path explains
            lines.append(f"    {var} = get({key!r})")
            lines.append(f"    if {var}.__class__ is not str or not {var}: return _MISS")
            continue
        if field.default is None and field.tp in _CHECK:
            lines.append(f"    {var} = get({key!r})")
            check = _CHECK[field.tp].format(v=var)
            lines.append(f"    if {check} and {var} is not None: return _MISS")
            continue
        if field.default is None or field.required:
            lines.append(f"    v = get({key!r})")
            if field.required:  # missing or null: the tolerant path raises
                lines.append("    if v is None: return _MISS")
            lines.append("    if v is not None:")
        else:
            lines.append(f"    v = get({key!r}, _MISS)")
            if isinstance(field.default, attrs.Factory) and not field.default.takes_self:  # type: ignore[arg-type]
                globs[f"default_{i}"] = field.default.factory
                lines.append(f"    if v is _MISS: v = default_{i}()")
            elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                lines.append("    if v is _MISS: return _MISS")  # the tolerant path decides
            else:
                globs[f"default_{i}"] = field.default
                lines.append(f"    if v is _MISS: v = default_{i}")
            lines.append("    elif v is not None:")
        sub = field.tp if _is_model(field.tp) else _list_of_model(field.tp)
        if sub is not None:
            globs[f"sub_{i}"] = _structure_fn(sub)
            template = _MODEL if sub is field.tp else _MODEL_LIST
            read = template.format(s=f"sub_{i}")
        elif field.tp in _READ:
            read = _READ[field.tp]
        else:
            globs[f"hook_{i}"] = converter.get_structure_hook(field.tp)
            globs[f"type_{i}"] = field.tp
            read = _OTHER.format(h=f"hook_{i}", t=f"type_{i}")
        lines.extend("        " + line for line in read.splitlines())
        lines.append(f"    {var} = v")
    slots = _plain_slots(cls)
    if slots is None:
        lines.append(f"    return cls({', '.join([*args, 'extra=extra'])})")
    else:
        # What attrs' __init__ would do, without its argument parsing and per-field lookups.
        lines.append("    obj = _new(cls)")
        for i, (name, setter) in enumerate(slots.items()):
            globs[f"set_{i}"] = setter
            value = "extra" if name == "extra" else f"f{[f.name for f in fields].index(name)}"
            lines.append(f"    set_{i}(obj, {value})")
        lines.append("    return obj")
    return "\n".join(lines)


def _plain_slots(cls: type[Model]) -> dict[str, Callable[[Any, Any], None]] | None:
    """Each field's slot setter, when attrs' ``__init__`` would only set the fields.

    That is: slotted, no validators, converters, init hooks or cached hash. ``None``: call
    ``cls(...)``.
    """
    fields = attrs.fields(cls)
    if any(f.validator or f.converter or not f.init for f in fields) or any(
        hasattr(cls, name)
        for name in ("__attrs_pre_init__", "__attrs_post_init__", "__attrs_init__")
    ):
        return None
    slots = {f.name: inspect.getattr_static(cls, f.name, None) for f in fields}
    if not all(type(d) is types.MemberDescriptorType for d in slots.values()):
        return None  # not slotted
    if any("_attrs_cached_hash" in getattr(c, "__slots__", ()) for c in cls.__mro__):
        return None
    return {name: d.__set__ for name, d in slots.items()}


def _generate(cls: type[Model]) -> _Paths:
    """Compile the fast path of ``cls``, falling back to its tolerant path."""
    fields = _fields(cls)
    snake = frozenset(f.keys[0] for f in fields)
    camel_keys = frozenset(f.keys[-1] for f in fields)
    globs: dict[str, Any] = {
        "cls": cls,
        "_MISS": _MISS,
        "_new": object.__new__,
        "_timestamps": _timestamps,
        "_timestamp": _timestamp,
        "SNAKE": snake,
        "CAMEL": camel_keys,
        "KNOWN": snake | camel_keys,
    }
    globs["tolerant"] = _tolerant_hook(cls, fields)
    body = "\n\n".join(_fast_source(cls, fields, s, globs) for s in (0, 1))
    # ``structure_X`` is what every caller uses; ``fast_X`` (the same choice, without the
    # fallback) lets tests check that both paths give the same models.
    choose = """
    keys = data.keys()
    try:
        if keys <= SNAKE:
            obj = fast_0(data, {})
        elif keys <= CAMEL:
            obj = fast_1(data, {})
        else:
            extra = {k: v for k, v in data.items() if k not in KNOWN}
            known = keys - extra.keys()
            if known <= SNAKE:
                obj = fast_0(data, extra)
            elif known <= CAMEL:
                obj = fast_1(data, extra)
            else:  # both spellings of a key
                obj = _MISS
    except Exception:  # e.g. an epoch out of range: the tolerant path keeps it in extra
        obj = _MISS"""
    dispatch = f"""
def structure(data, _=None):
    if data.__class__ is dict:{textwrap.indent(choose, "    ")}
        if obj is not _MISS:
            return obj
    return tolerant(data)


def fast(data):
    if data.__class__ is not dict:
        return _MISS{choose}
    return obj
"""
    source = body + "\n" + dispatch
    filename = f"<talkturo_async structure {cls.__module__}.{cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), globs)  # our own generated code
    return _Paths(structure=globs["structure"], fast=globs["fast"], tolerant=globs["tolerant"])


@attrs.frozen
class _Paths:
    """The generated functions of one model."""

    structure: Callable[[Any], Model]  # the fast path, else the tolerant one
    fast: Callable[[Any], Any]  # the model, or ``_MISS`` where the tolerant path must decide
    tolerant: Callable[[Any], Model]


_model_fns: dict[type[Model], Callable[[Any], Model]] = {}
_paths: dict[type[Model], _Paths] = {}


def _structure_fn(cls: type[Model]) -> Callable[[Any], Model]:
    fn = _model_fns.get(cls)
    if fn is None:
        # A placeholder first, so a model nested in itself resolves to its own function.
        _model_fns[cls] = lambda data: _model_fns[cls](data)
        try:
            paths = _paths[cls] = _generate(cls)
        except BaseException:
            del _model_fns[cls]
            raise
        fn = paths.structure
        variant = RECORD_VARIANTS.get(cls)
        if variant is not None:  # a tolerated record shape is rewritten before either path
            fn = _rewritten_first(variant, fn)
        _model_fns[cls] = fn
    return fn


def _rewritten_first(
    variant: Callable[[Mapping[str, Any]], Mapping[str, Any]], fn: Callable[[Any], Model]
) -> Callable[[Any], Model]:
    def structure(data: Any) -> Model:
        if isinstance(data, Mapping):
            return fn(variant(typing.cast("Mapping[str, Any]", data)))
        return fn(data)

    return structure


def _paths_of(cls: type[Model]) -> _Paths:  # pyright: ignore[reportUnusedFunction]
    """Both paths of a model (for tests: they must give equal models)."""
    _structure_fn(cls)
    return _paths[cls]


def _model_hook(cls: type[Model]) -> Callable[[Any, Any], Model]:
    fn = _structure_fn(cls)
    return lambda data, _: fn(data)


converter = cattrs.Converter()
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook_func(_is_timestamp, _structure_timestamp)
converter.register_structure_hook_factory(_is_model, _model_hook)


_list_items: dict[Any, type[Model] | None] = {}  # list[Model] → Model, other types → None


def structure(data: Any, cls: type[T], *, path: str = "") -> T:
    """Decoded JSON → an instance of ``cls`` (a model, or a list of models).

    Args:
        data: the decoded JSON.
        cls: a model class, ``list[Model]``, or any type cattrs structures.
        path: where ``data`` sits in the answer (``"contacts"``), to name a bad list item.

    Raises:
        ValueError: ``data`` cannot be a ``cls``: not a JSON object where a record is expected, a
            record without its required ``id``, a list item of either kind (named
            ``contacts[3]: ...``), or not an array where a list is expected.
    """
    fn = _model_fns.get(cls)  # type: ignore[arg-type]
    if fn is not None:
        return typing.cast(T, fn(data))
    if _is_model(cls):
        return typing.cast(T, _structure_fn(cls)(data))  # type: ignore[arg-type]
    try:
        item = _list_items[cls]
    except KeyError:
        item = _list_items[cls] = _list_of_model(cls)
    except TypeError:  # not hashable
        item = None
    if item is None:
        return converter.structure(data, cls)
    if data.__class__ is not list:
        raise ValueError(
            f"{path or 'the answer'}: expected an array of {item.__name__} records, "
            f"got {type(data).__name__}"
        )
    fn = _structure_fn(item)
    try:
        return typing.cast(T, [fn(e) for e in data])
    except Exception:
        pass
    items: list[Any] = []
    for index, element in enumerate(data):  # again, item by item, to name the one that fails
        try:
            items.append(fn(element))
        except Exception as exc:
            raise ValueError(f"{path}[{index}]: {exc}") from None
    return typing.cast(T, items)
