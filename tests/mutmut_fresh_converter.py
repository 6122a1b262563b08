# pyright: reportPrivateUsage=false
"""A pytest plugin for ``nox -s mutation -- _converter`` only (not loaded by the normal suite).

cattrs builds each model's structure hook once per process and caches it. mutmut maps a mutant
to the tests that called the mutated function while it collected its stats, so without this
only the first test to structure each model would be run against the hook factory's mutants.
Reloading the module before every test gives every test a fresh converter (and fresh hooks).
"""

from __future__ import annotations

import importlib

import pytest

import talkturo_async._converter


@pytest.fixture(autouse=True)
def _fresh_converter() -> None:
    # The fast path's "not mine" sentinel survives the reload: test modules imported it by name.
    miss = talkturo_async._converter._MISS
    importlib.reload(talkturo_async._converter)
    talkturo_async._converter._MISS = miss
