# pyright: reportPrivateUsage=false
"""The converter's generated fast path on models unlike the API's (issue #17, second pass).

The fast path never decides anything the tolerant path would decide differently: whatever goes
wrong in it sends the record to the tolerant path. So a fault in how the fast path is generated
rarely changes a model; it only makes every record slow, or skips what attrs' ``__init__`` would
have done. These tests pin both: for each kind of model the fast path *takes* a clean record
(``fast(record)`` is not ``_MISS``) and builds what ``__init__`` would, defaults, hooks and all.
"""

from __future__ import annotations

import linecache
import logging
from typing import Any, ClassVar

import attrs
import pytest

from talkturo_async._converter import _MISS, _paths_of, structure
from talkturo_async.models import Contact, Model, NumberSearchResult


@attrs.frozen(kw_only=True)
class _Defaults(Model):
    """Plain defaults: a value and a factory (the fast path fills both itself)."""

    n: int = 5
    tags: list[str] = attrs.field(factory=lambda: ["new"])


@attrs.frozen(kw_only=True)
class _SelfDefault(Model):
    """A default computed from another field (``takes_self``): left to the tolerant path."""

    n: int | None = None
    label: str = attrs.field(default=attrs.Factory(lambda self: f"n={self.n}", takes_self=True))


def _upper(value: str | None) -> str | None:
    return value.upper() if value else value


@attrs.frozen(kw_only=True)
class _Converted(Model):
    """A converter: attrs' ``__init__`` must run it."""

    code: str | None = attrs.field(default=None, converter=_upper)


@attrs.frozen(kw_only=True)
class _PreInit(Model):
    calls: ClassVar[list[str]] = []
    name: str | None = None

    def __attrs_pre_init__(self) -> None:
        type(self).calls.append("pre")


@attrs.frozen(kw_only=True)
class _PostInit(Model):
    calls: ClassVar[list[str]] = []
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        type(self).calls.append(f"post {self.name}")


@attrs.frozen(kw_only=True, init=False)
class _OwnInit(Model):
    calls: ClassVar[list[str]] = []
    name: str | None = None

    def __init__(self, **kwargs: Any) -> None:
        type(self).calls.append("own")
        self.__attrs_init__(**kwargs)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


@attrs.frozen(kw_only=True, cache_hash=True)
class _CachedHash(Model):
    name: str | None = None


@attrs.frozen(kw_only=True, slots=False)
class _Unslotted(Model):
    name: str | None = None


@attrs.frozen(kw_only=True)
class _Private(Model):
    """A field whose ``__init__`` argument drops the underscore (attrs' alias)."""

    _secret: str | None = None


@attrs.frozen(kw_only=True)
class _Node(Model):
    """A model nested in itself."""

    name: str | None = None
    child: _Node | None = None


def _taken(cls: type[Model], record: dict[str, Any]) -> Any:
    """The fast path's model for ``record``, checked equal to the tolerant path's."""
    paths = _paths_of(cls)
    fast = paths.fast(dict(record))
    assert fast is not _MISS, f"the fast path left a clean {cls.__name__} record"
    assert fast == paths.tolerant(dict(record))
    return fast


def test_plain_defaults_are_filled_by_the_fast_path() -> None:
    built = _taken(_Defaults, {})
    assert (built.n, built.tags) == (5, ["new"])
    assert _taken(_Defaults, {"n": 7, "tags": ["a"]}) == _Defaults(n=7, tags=["a"])
    assert _taken(_Defaults, {"n": None}).n is None  # null is a value, not a missing key


def test_a_default_that_takes_self_is_left_to_the_tolerant_path() -> None:
    paths = _paths_of(_SelfDefault)
    assert paths.fast({"n": 3}) is _MISS
    assert structure({"n": 3}, _SelfDefault).label == "n=3"
    assert _taken(_SelfDefault, {"n": 3, "label": "given"}).label == "given"


def test_a_converter_runs() -> None:
    assert structure({"code": "ab"}, _Converted).code == "AB"
    assert _taken(_Converted, {"code": "cd"}).code == "CD"


@pytest.mark.parametrize(
    ("cls", "seen"), [(_PreInit, ["pre"]), (_PostInit, ["post x"]), (_OwnInit, ["own"])]
)
def test_init_hooks_and_an_own_init_run(cls: Any, seen: list[str]) -> None:
    cls.calls.clear()
    assert _taken(cls, {"name": "x"}).name == "x"
    # _taken builds it twice (fast, then tolerant): the hook ran for each.
    assert cls.calls == seen * 2


def test_a_cached_hash_model_is_built_through_its_init() -> None:
    built = _taken(_CachedHash, {"name": "x"})
    assert hash(built) == hash(_CachedHash(name="x"))


def test_an_unslotted_model_is_built_through_its_init() -> None:
    built = _taken(_Unslotted, {"name": "x"})
    assert built.name == "x"
    assert vars(built)["name"] == "x"


def test_a_field_whose_argument_is_its_alias() -> None:
    assert _taken(_Private, {"_secret": "s"})._secret == "s"
    assert _paths_of(_Private).tolerant({"_secret": "s", "other": 1}).extra == {"other": 1}


def test_a_model_nested_in_itself() -> None:
    built = _taken(_Node, {"name": "a", "child": {"name": "b", "child": {"name": "c"}}})
    assert built.child is not None and built.child.child is not None
    assert (built.name, built.child.name, built.child.child.name) == ("a", "b", "c")
    assert isinstance(built.child.child, _Node) and built.child.child.child is None


def test_the_generated_readers_are_readable_source() -> None:
    """Tracebacks and profilers show the generated code: it is in ``linecache``, line by line."""
    code = _paths_of(Contact).fast.__code__
    lines = linecache.getlines(code.co_filename)
    assert lines[0] == "def fast_0(data, extra):\n"
    assert all(line.endswith("\n") for line in lines[:-1])
    assert "def fast(data):\n" in lines


def _source(cls: type[Model]) -> str:
    return "".join(linecache.getlines(_paths_of(cls).fast.__code__.co_filename))


def test_a_plain_slotted_model_fills_its_slots_without_init() -> None:
    """The speed of the fast path: no ``__init__`` where it would only set the fields."""
    assert "obj = _new(cls)" in _source(Contact)
    assert "return cls(" not in _source(Contact)
    for cls in (_Converted, _PreInit, _PostInit, _OwnInit, _CachedHash, _Unslotted):
        assert "return cls(" in _source(cls) and "_new(cls)" not in _source(cls), cls


def test_nested_models_are_read_by_their_own_generated_reader() -> None:
    assert "v = [sub_0(e) for e in v]" in _source(NumberSearchResult)
    assert "v = sub_1(v)" in _source(_Node)


def test_a_record_list_that_is_not_an_array_fails_the_record() -> None:
    """``numbers`` as an object: the record fails naming the field, as a bad item would."""
    with pytest.raises(ValueError, match=r"^numbers: expected an array") as caught:
        structure({"numbers": {"phone_number": "+14155550100"}}, NumberSearchResult)
    assert str(caught.value) == "numbers: expected an array of AvailableNumber records, got dict"


def test_the_debug_line_for_a_kept_value_reads_as_it_should(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
        structure({"id": "ct_1", "doNotCall": "maybe"}, Contact)
    assert [r.getMessage() for r in caplog.records] == [
        "kept Contact.doNotCall in extra: not a boolean: 'maybe'"
    ]


@pytest.mark.parametrize(
    ("data", "cls", "built"),
    [("12", int, 12), ({"a": 1}, dict[str, Any], {"a": 1}), ([1, "2"], list[int], [1, 2])],
)
def test_types_other_than_models_go_to_cattrs(data: Any, cls: Any, built: Any) -> None:
    assert structure(data, cls) == built
