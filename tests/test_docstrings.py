"""Every public method's docstring names every parameter, and methods that send requests say what they raise.

The public API walked: every class and function in ``__all__`` of ``talkturo_async``,
``talkturo_async.webhooks``, ``.testing``, ``.journal``, ``.redis`` and ``.doctor``, and every
resource group reachable from a ``Talkturo`` client (``tk.contacts``, ``tk.flows.secrets``, ...).
A class's public methods (its own and those it inherits from the package) are checked, and its
``__init__`` when written by hand (attrs-generated ones are documented as the class's fields).

``python -m tests.test_docstrings`` prints the counts and every undocumented parameter.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import talkturo_async
from talkturo_async import Talkturo
from talkturo_async.resources import ResourceGroups
from talkturo_async.resources._base import Resource

PACKAGE = Path(talkturo_async.__file__).parent
MODULES = [
    "talkturo_async",
    "talkturo_async.webhooks",
    "talkturo_async.testing",
    "talkturo_async.journal",
    "talkturo_async.redis",
    "talkturo_async.doctor",
]
_SECTION = re.compile(r"^(?P<name>[A-Z][A-Za-z ]*):\s*$")
_ARGS_SECTIONS = {"Args", "Arguments", "Keyword Args", "Keyword Arguments", "Parameters"}
_ENTRY = re.compile(r"^(?P<indent>\s+)(?P<stars>\*{0,2})(?P<name>[A-Za-z_]\w*)\s*(\([^)]*\))?\s*:")


@dataclass
class Checked:
    """One public callable: where it is, its parameters, and which of them its docstring names."""

    name: str
    file: Path
    params: list[str]
    documented: set[str]
    sends_requests: bool
    has_raises: bool
    missing: list[str] = field(default_factory=list[str])

    def __post_init__(self) -> None:
        self.missing = [p for p in self.params if p not in self.documented]


def doc_sections(doc: str | None) -> dict[str, list[str]]:
    """A Google-style docstring's sections: ``{"Args": [lines...], "Raises": [...]}``."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in inspect.cleandoc(doc or "").splitlines():
        header = _SECTION.match(line)
        if header:
            current = sections.setdefault(header["name"], [])
        elif line and not line[0].isspace():
            current = None
        elif current is not None:
            current.append(line)
    return sections


def documented_params(doc: str | None) -> set[str]:
    """The names an ``Args:`` (or ``Keyword Args:``) section describes, ``*``/``**`` dropped."""
    names: set[str] = set()
    for section, lines in doc_sections(doc).items():
        if section not in _ARGS_SECTIONS:
            continue
        indent: int | None = None
        for line in lines:
            entry = _ENTRY.match(line)
            if entry and (indent is None or len(entry["indent"]) == indent):
                indent = len(entry["indent"])
                names.add(entry["name"])
    return names


def _params(func: Callable[..., Any]) -> list[str]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return []
    return [p for p in signature.parameters if p not in {"self", "cls"}]


def _source_file(func: Any) -> Path | None:
    code = getattr(inspect.unwrap(func), "__code__", None)
    if code is None:
        return None
    path = Path(code.co_filename)
    return path if path.is_relative_to(PACKAGE) else None  # not attrs-generated, not a library's


def _check(name: str, func: Any, doc: str | None, sends: bool) -> Checked | None:
    path = _source_file(func)
    if path is None:
        return None
    return Checked(
        name,
        path,
        _params(func),
        documented_params(doc),
        sends,
        "Raises" in doc_sections(doc),
    )


def _class_members(cls: type, prefix: str, sends: bool) -> Iterator[Checked]:
    seen: set[str] = set()
    for klass in cls.__mro__:
        for attr, raw in vars(klass).items():
            if attr in seen or (attr.startswith("_") and attr != "__init__"):
                continue
            seen.add(attr)
            func: object = raw
            if isinstance(raw, (classmethod, staticmethod)):
                func = cast("classmethod[Any, ..., Any] | staticmethod[..., Any]", raw).__func__
            if not inspect.isfunction(func):
                continue
            if attr == "__init__":
                # A hand-written __init__ may be documented in the class docstring instead.
                docs = [inspect.cleandoc(d) for d in (klass.__doc__, func.__doc__) if d]
                doc = "\n\n".join(docs)
                found = _check(f"{prefix}()", func, doc, False)
            else:
                found = _check(f"{prefix}.{attr}", func, func.__doc__, sends)
            if found is not None:
                yield found


def resource_groups() -> Iterator[tuple[str, Resource]]:
    """Every resource group reachable from a client: ``("tk.flows.secrets", <FlowSecrets>)``."""
    client = Talkturo(api_key="tk_test_docstrings_0000", base_url="https://example.com/api")
    for name in dir(ResourceGroups):  # the client builds a group on first access
        if not name.startswith("_"):
            getattr(client, name)
    pending: list[tuple[str, object]] = [("tk", client)]
    while pending:
        path, obj = pending.pop()
        for attr, value in sorted(vars(obj).items()):
            if isinstance(value, Resource) and not attr.startswith("_"):
                yield f"{path}.{attr}", value
                pending.append((f"{path}.{attr}", value))


def public_api() -> list[Checked]:
    """Every public method and function of the walked API, each once."""
    found: dict[str, Checked] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            label = f"{module_name}.{name}"
            if inspect.isclass(obj):
                for checked in _class_members(obj, label, False):
                    found.setdefault(checked.name, checked)
            elif inspect.isfunction(obj):
                checked_fn = _check(label, obj, obj.__doc__, False)
                if checked_fn is not None:
                    found.setdefault(label, checked_fn)
    request = _check("Talkturo.request", Talkturo.request, Talkturo.request.__doc__, True)
    assert request is not None
    found["talkturo_async.Talkturo.request"] = request
    for path, group in resource_groups():
        for checked in _class_members(type(group), path, True):
            if not checked.name.endswith("()"):  # groups are built by the client, not by users
                found[checked.name] = checked
    return sorted(found.values(), key=lambda c: c.name)


RESOURCES = PACKAGE / "resources"


def _report(checked: list[Checked]) -> list[str]:
    lines = [f"{c.name}: {', '.join(c.missing)}" for c in checked if c.missing]
    lines += [
        f"{c.name}: no Raises section" for c in checked if c.sends_requests and not c.has_raises
    ]
    return lines


def _outside_resources() -> list[Checked]:
    return [c for c in public_api() if not c.file.is_relative_to(RESOURCES)]


def _in_resources() -> list[Checked]:
    return [c for c in public_api() if c.file.is_relative_to(RESOURCES)]


def test_walk_finds_the_public_api() -> None:
    """The walk reaches the client's groups, nested groups and the testing/webhooks surface."""
    names = {c.name for c in public_api()}
    assert {
        "tk.contacts.bulk_create",
        "tk.flows.secrets.create",
        "talkturo_async.Talkturo()",
        "talkturo_async.webhooks.call_event_handler",
        "talkturo_async.testing.FakeTalkturo.fail_next",
        "talkturo_async.journal.ContactImportJob.run",
    } <= names


def test_args_section_parser() -> None:
    """Entries of Args/Keyword Args count, nested lines and other sections do not."""
    doc = """Summary.

    Args:
        first: text
            continued: not an entry
        second (int): typed
        *rest: varargs
        **extra: keywords

    Returns:
        other: not a parameter
    """
    assert documented_params(doc) == {"first", "second", "rest", "extra"}


def test_every_parameter_documented_outside_resources() -> None:
    """Outside resources/, every public parameter is in its docstring's Args, and senders list Raises."""
    problems = _report(_outside_resources())
    assert not problems, "\n".join(problems)


def test_every_parameter_documented_in_resources() -> None:
    """Every resource method documents each parameter and what it raises."""
    problems = _report(_in_resources())
    assert not problems, "\n".join(problems)


def counts() -> tuple[int, int, int, int]:
    """(parameters documented, undocumented, request methods with Raises, without)."""
    checked = public_api()
    documented = sum(len(c.params) - len(c.missing) for c in checked)
    missing = sum(len(c.missing) for c in checked)
    senders = [c for c in checked if c.sends_requests]
    with_raises = sum(c.has_raises for c in senders)
    return documented, missing, with_raises, len(senders) - with_raises


if __name__ == "__main__":
    for line in _report(public_api()):
        print(line)
    documented, missing, raises, no_raises = counts()
    print(f"{len(public_api())} public callables")
    print(f"parameters documented: {documented}, undocumented: {missing}")
    print(f"request methods with Raises: {raises}, without: {no_raises}")
