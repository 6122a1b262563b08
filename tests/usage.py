"""Run the snippets of USAGE.md as written: each is wrapped in an ``async def`` and executed.

Only user-specific placeholders are replaced (the ``tk_live_...`` key and the account's base URL),
so that a snippet talks to the FakeTalkturo of the test.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

VENDORED = Path(__file__).parent / "data" / "USAGE.md"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "USAGE.md"


def usage_text() -> str:
    """USAGE.md as the team shares it, or the vendored copy when shared/ is not beside the repo."""
    return (SHARED if SHARED.exists() else VENDORED).read_text()


def snippet(section: int) -> str:
    """The first ```python block of section ``## <section>.``."""
    text = usage_text()
    start = re.search(rf"^## {section}\. ", text, re.MULTILINE)
    assert start, f"USAGE.md has no section {section}"
    rest = text[start.end() :]
    block = re.search(r"```python\n(.*?)```", rest, re.DOTALL)
    assert block, f"section {section} has no python block"
    return block.group(1)


async def run_snippet(
    code: str, namespace: dict[str, Any], replace: dict[str, str] | None = None
) -> dict[str, Any]:
    """Execute ``code`` inside an async function; return its local variables."""
    for old, new in (replace or {}).items():
        assert old in code, f"placeholder {old!r} not in snippet"
        code = code.replace(old, new)
    source = (
        "async def __snippet__():\n" + textwrap.indent(code, "    ") + "\n    return locals()\n"
    )
    exec(compile(source, "<USAGE.md>", "exec"), namespace)
    result: dict[str, Any] = await namespace["__snippet__"]()
    return result
