"""The lowest-versions CI session installs exactly the floors pyproject.toml declares."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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
    tomllib = pytest.importorskip(
        "tomllib", reason="tomllib is Python 3.11+; the other Pythons run the same check"
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors: dict[str, str] = {}
    for spec in project["dependencies"] + project["optional-dependencies"]["redis"]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", spec)
        assert match, spec
        floors[match[1]] = match[2]
    assert _lowest_pins() == floors
