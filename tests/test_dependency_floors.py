"""The lowest-versions CI session installs exactly the floors pyproject.toml declares."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None

ROOT = Path(__file__).resolve().parents[1]


def _lowest_pins() -> dict[str, str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "LOWEST":
            pins = ast.literal_eval(node.value)
            return dict(pin.split("==") for pin in pins)
    raise AssertionError("noxfile.py has no LOWEST list")


def test_tests_lowest_pins_every_declared_floor() -> None:
    """Each runtime dependency's >= floor is pinned in LOWEST, so tests_lowest proves the floors."""
    if tomllib is None:
        pytest.skip("tomllib is Python 3.11+; the other Pythons run the same check")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = {}
    for spec in project["dependencies"] + project["optional-dependencies"]["redis"]:
        name, floor = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", spec).groups()  # type: ignore[union-attr]
        floors[name] = floor
    assert _lowest_pins() == floors
