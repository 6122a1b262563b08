"""docs/testing.md runs as written: each ```python block is a test module a user would write,
run by pytest (with pytest-asyncio in auto mode and --strict-markers) in a fresh directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ("pytester",)

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "testing.md"
BLOCKS = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), re.DOTALL)


def test_guide_has_an_example_per_topic() -> None:
    """The guide keeps its five examples (unit, fixtures, retries, admin API, webhooks)."""
    assert len(BLOCKS) == 5


def test_readme_links_the_guide() -> None:
    """The README's testing section points to the guide."""
    readme = (GUIDE.parents[1] / "README.md").read_text()
    assert "(docs/testing.md)" in readme


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_guide_example_passes(pytester: pytest.Pytester, index: int) -> None:
    """The example passes under pytest, every test in it."""
    code = BLOCKS[index]
    tests = len(re.findall(r"^(?:async )?def test_", code, re.MULTILINE))
    assert tests, "an example without tests proves nothing"
    pytester.makeini(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "filterwarnings = error\n"
    )
    pytester.makepyfile(**{f"test_guide_{index}": code})
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=tests)
