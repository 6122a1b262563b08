"""Names of a package imported on first use (PEP 562), for its ``__init__`` module.

Each lazy package declares every name for type checkers (``if TYPE_CHECKING:`` imports) and
defines its module ``__getattr__`` only when not type checking: a ``__getattr__`` they can see
makes every unknown name of the module ``Any``, so ``from talkturo_async import Contcat`` would
type-check (``tests/typing_misspelt_names.py`` pins that it does not).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def first_use(
    package: str,
    namespace: dict[str, Any],
    sources: Mapping[str, str],
    submodules: frozenset[str] = frozenset(),
) -> Callable[[str], Any]:
    """A module ``__getattr__`` importing ``package``'s names on first use.

    Args:
        package: the package's ``__name__``.
        namespace: its ``globals()``: a name read once is stored there, so the next read of it
            is a plain module attribute.
        sources: each name → the submodule (relative to ``package``) that defines it.
        submodules: names that are submodules of ``package``, imported when read.
    """

    def __getattr__(name: str) -> Any:
        source = sources.get(name)
        if source is not None:
            value = getattr(importlib.import_module(f"{package}.{source}"), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    return __getattr__
