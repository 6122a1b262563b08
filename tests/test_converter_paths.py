# pyright: reportPrivateUsage=false
"""The converter's generated fast path and its tolerant path build equal models from odd answers.

Every response model is fed a clean record (which the fast path must take) and variants of it:
each field given, in each spelling, values of the wrong type, nulls, both spellings at once,
epoch/ISO/garbage timestamps, nested models and lists of models gone wrong, unknown keys. The
model ``structure`` returns (fast path, falling back) must equal what the tolerant path alone
builds, ``extra`` and value types included.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import pytest

from talkturo_async import models
from talkturo_async._converter import _MISS, _paths_of, _strip_optional, converter, structure
from talkturo_async._timestamps import parse_timestamp
from talkturo_async._variants import RECORD_VARIANTS
from talkturo_async._wire import camel
from talkturo_async.models import Contact, Model, Timestamp

MODELS = [
    cls
    for name in models.__all__
    if isinstance(cls := getattr(models, name), type)
    and issubclass(cls, Model)
    and cls is not Model
]

ODD: list[Any] = [
    None,
    "",
    "12",
    "1.5",
    "abc",
    "true",
    " FALSE ",
    "0",
    0,
    1,
    2,
    -3,
    True,
    False,
    1.5,
    7.0,
    1_700_000_000,
    1_700_000_000.25,
    1e300,
    "2026-11-25T10:20:30Z",
    "2026-11-25T10:20:30.1+05:30",
    "2026-11-25T10:20:30.123456-08:00",
    "2026-11-25 10:20",
    "2026-11-25",
    " 2026-11-25T10:20:30.1234567+0530 ",
    "2026-13-45T10:20:30Z",
    "2026-W48-3T10:00:00Z",
    "\u0662\u0660\u0662\u0666-01-01T00:00:00Z",
    "garbage",
    [],
    ["a", "b"],
    ["a", 1],
    [1, 2],
    [{"id": "x"}],
    [{"id": "x"}, "bad"],
    [{"id": 5, "team_id": True}],
    {},
    {"a": 1},
    {"a": "b", "c": None},
    {1: "x"},
    {"id": "x", "teamId": "t", "unknown": 1},
    {"id": None, "status": 3, "created_at": 12},
]


def clean_value(tp: Any, depth: int = 0) -> Any:
    """A value of the right JSON type for a field of type ``tp``."""
    tp = _strip_optional(tp)
    if tp is str:
        return "s"
    if tp is int:
        return 7
    if tp is float:
        return 1.5
    if tp is bool:
        return True
    if tp == Timestamp:
        return "2026-11-25T10:20:30.123Z"
    if tp is Any:
        return {"free": [1, "form"]}
    if isinstance(tp, type) and issubclass(tp, Model):
        return clean_record(tp, depth + 1) if depth < 2 else required_only(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        return [clean_value(args[0], depth)] if args and args[0] is not Any else [1, "x"]
    if origin is dict:
        return {"k": clean_value(args[1], depth)} if args[1] is not Any else {"k": [1]}
    raise AssertionError(f"no clean value for {tp!r}")


def required_only(cls: type[Model]) -> dict[str, Any]:
    """The smallest record a model accepts: its required fields (an entity's ``id``)."""
    return {f.name: "s" for f in attrs.fields(cls) if f.default is attrs.NOTHING}


def clean_record(cls: type[Model], depth: int = 0, spell: Any = str) -> dict[str, Any]:
    attrs.resolve_types(cls)
    return {
        spell(f.name): clean_value(f.type, depth) for f in attrs.fields(cls) if f.name != "extra"
    }


def snapshot(value: Any) -> Any:
    """Equality that also tells 1 from True from 1.0, and time zones apart."""
    if isinstance(value, Model):
        return (
            type(value).__name__,
            tuple((f.name, snapshot(getattr(value, f.name))) for f in attrs.fields(type(value))),
        )
    if isinstance(value, list):
        return [snapshot(v) for v in typing.cast("list[object]", value)]
    if isinstance(value, dict):
        return {
            snapshot(k): snapshot(v) for k, v in typing.cast("dict[object, object]", value).items()
        }
    if isinstance(value, datetime):
        return ("datetime", value.isoformat())
    return (type(value).__name__, repr(value))


def outcome(fn: Callable[[Any], object], data: Any) -> Any:
    try:
        return snapshot(fn(data))
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


def variants(cls: type[Model]) -> list[tuple[str, Any]]:
    """Odd records for ``cls``: each field in each spelling with each odd value, and more."""
    snake, camel_rec = clean_record(cls), clean_record(cls, spell=camel)
    out: list[tuple[str, Any]] = [
        ("clean snake", snake),
        ("clean camel", camel_rec),
        ("unknown keys", {**snake, "brandNew": 1, "extra": {"x": 1}}),
        ("mixed spellings", dict(list(snake.items())[::2] + list(camel_rec.items())[1::2])),
        ("empty", {}),
        ("not an object", ["a"]),
        ("a string", "text"),
        ("a read-only mapping", types.MappingProxyType(snake)),
        ("already a model", cls(**required_only(cls))),
        ("required fields only", required_only(cls)),
    ]
    for f in attrs.fields(cls):
        if f.name == "extra":
            continue
        key, wire = f.name, camel(f.name)
        for odd in ODD:
            out.append((f"{key}={odd!r}", {**snake, key: odd}))
            if wire != key:
                out.append((f"{wire}={odd!r}", {**camel_rec, wire: odd}))
                out.append((f"both, {key}={odd!r} first", {**snake, key: odd, wire: snake[key]}))
                out.append((f"both, {wire}={odd!r} first", {wire: odd, **snake}))
    return out


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_fast_path_takes_clean_records(cls: type[Model]) -> None:
    """A clean record in either spelling, with unknown keys or not, takes the fast path."""
    paths = _paths_of(cls)
    for record in (
        clean_record(cls),
        clean_record(cls, spell=camel),
        {**clean_record(cls), "brandNew": 1},
    ):
        assert paths.fast(record) is not _MISS, record


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_fast_and_tolerant_paths_build_equal_models(cls: type[Model]) -> None:
    """Over the corpus of odd records, structure() equals the tolerant path, extra included."""
    paths = _paths_of(cls)
    taken = 0
    for label, record in variants(cls):
        fast = paths.fast(record)
        taken += fast is not _MISS
        if fast is not _MISS:
            assert snapshot(fast) == outcome(paths.tolerant, record), label
        # structure() first rewrites a tolerated record shape (RECORD_VARIANTS), as both paths see
        variant = RECORD_VARIANTS.get(cls)
        if variant is not None and isinstance(record, dict):
            seen = variant(typing.cast("dict[str, Any]", record))
        else:
            seen = record
        assert outcome(lambda d: structure(d, cls), record) == outcome(paths.tolerant, seen), label
    assert taken > 0


def test_lists_of_models_match_the_cattrs_list_path() -> None:
    """structure(list, list[Model]) equals cattrs' list hook on good items; a bad one is named."""
    good = [clean_record(Contact), {"id": "x", "teamId": 3}, {"id": 4}]
    assert snapshot(structure(good, list[Contact])) == snapshot(
        converter.structure(good, list[Contact])
    )
    bad = [clean_record(Contact), "not an object"]
    assert outcome(lambda d: structure(d, list[Contact], path="contacts"), bad) == (
        "raised",
        "ValueError",
        "contacts[1]: expected a JSON object for Contact, got str",
    )
    no_id = [clean_record(Contact), {"id": "b"}, {"firstName": "Maya"}]
    assert outcome(lambda d: structure(d, list[Contact]), no_id) == (
        "raised",
        "ValueError",
        "[2]: Contact record has no 'id'",
    )
    assert outcome(lambda d: structure(d, list[Contact], path="contacts"), {"a": 1}) == (
        "raised",
        "ValueError",
        "contacts: expected an array of Contact records, got dict",
    )
    assert outcome(lambda d: structure(d, list[Contact]), None) == (
        "raised",
        "ValueError",
        "the answer: expected an array of Contact records, got NoneType",
    )


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-25T10:20:30Z",
        "2026-11-25T10:20:30.1Z",
        "2026-11-25T10:20:30.123Z",
        "2026-11-25T10:20:30.123456Z",
        "2026-11-25T10:20:30.12+05:30",
        "2026-11-25T10:20:30-00:00",
        "2026-02-30T10:20:30Z",
        "2026-11-25T25:20:30Z",
    ],
)
def test_canonical_timestamps_parse_as_the_general_path_does(text: str) -> None:
    """The shortcut for the common timestamp shape agrees with the general parser."""
    # A leading space keeps the string off the shortcut (the general path strips it).
    fast, general = parse_timestamp(text), parse_timestamp(" " + text)
    assert snapshot(fast) == snapshot(general)


@attrs.frozen(kw_only=True)
class _Checked(Model):
    """A model whose __init__ does more than set fields (a validator)."""

    n: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.le(10))
    )


def test_models_with_validators_are_built_through_their_init() -> None:
    """The fast path fills slots directly only where attrs' __init__ would do nothing more."""
    assert structure({"n": 3}, _Checked).n == 3
    with pytest.raises(ValueError, match="n"):
        structure({"n": 11}, _Checked)
