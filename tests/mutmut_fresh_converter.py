# pyright: reportPrivateUsage=false
"""A pytest plugin for ``nox -s mutation -- _converter`` only (not loaded by the normal suite).

cattrs builds each model's structure hook once per process and caches it. mutmut maps a mutant
to the tests that called the mutated function while it collected its stats, so without this
only the first test to structure each model would be run against the hook factory's mutants.
Running the module's code again before every test gives every test a fresh converter (and fresh
hooks), as ``importlib.reload`` would.

Not ``importlib.reload`` itself: pytest marks the package for assertion rewriting (its plugin
entry point), so every reload parsed and rewrote the mutated module, thousands of lines long,
again: about a second per test, which made the run take hours. The module's code is compiled
once here and run again in the module's own namespace. mutmut's trampolines read the mutant
under test at call time, so one compiled copy serves every mutant.
"""

from __future__ import annotations

from pathlib import Path
from types import CodeType

import pytest

import talkturo_async._converter

_compiled: list[CodeType] = []


@pytest.fixture(autouse=True)
def _fresh_converter() -> None:
    module = talkturo_async._converter
    if not _compiled:
        path = str(module.__file__)
        _compiled.append(compile(Path(path).read_text(encoding="utf-8"), path, "exec"))
    # The fast path's "not mine" sentinel survives: test modules imported it by name.
    miss = module._MISS
    exec(_compiled[0], module.__dict__)  # the module's own code, run again as a reload does
    module._MISS = miss
