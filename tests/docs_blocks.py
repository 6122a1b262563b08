"""The ```python blocks of README.md and USAGE.md, extracted so they can be type-checked and run.

``python -m tests.docs_blocks DIR`` writes every block to its own file under ``DIR`` (what
``nox -s typing_docs`` runs ``mypy --strict`` and ``pyright`` strict on); ``tests/test_docs_blocks.py``
runs the README's blocks against a ``FakeTalkturo``.

How a block becomes a file:

- A block that compiles as a module (no ``await`` / ``async for`` / ``async with`` at its top level)
  is kept as it is. A *fragment* (one with top-level ``await``, as most examples are) is wrapped
  in ``async def example() -> None:``.
- Both start with ``from _prelude import *``: the names the examples use without defining them
  (``tk``, ``TEAM``, ``PUBLIC_KEY``, ``read_my_csv``, ...), each with its type. ``PRELUDE`` below
  is the whole list; a name missing from it is a type error in the block, on purpose.
- A block opts out only with a visible marker comment and a reason, on a line of its own:
  ``# docs: not run (<reason>)`` (still type-checked, e.g. it needs a real account) or
  ``# docs: not type-checked (<reason>)``.

USAGE.md is the users' code as they write it (it is not ours to edit): its untyped functions are
checked with mypy's ``check_untyped_defs`` rather than rejected (``USAGE_MYPY_RELAXED``), and
pyright's rules about missing annotations are off for it (``USAGE_PYRIGHT_RELAXED``); everything
else is as strict as for the README.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
USAGE = Path(__file__).resolve().parents[2] / "shared" / "USAGE.md"
USAGE_VENDORED = Path(__file__).parent / "data" / "USAGE.md"

NOT_RUN = re.compile(r"#\s*docs:\s*not run\s*\((?P<reason>[^)]+)\)")
NOT_TYPE_CHECKED = re.compile(r"#\s*docs:\s*not type-checked\s*\((?P<reason>[^)]+)\)")
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")

# The names examples use without defining them: the reader's own values and objects.
PRELUDE = '''\
"""Names the documentation's examples use without defining them (tests/docs_blocks.py)."""

from typing import Any, TypeVar

from talkturo_async import Assistant, Campaign, Company, PhoneNumber, Talkturo

_T = TypeVar("_T")

__all__ = [
    "ACCOUNT",
    "COMPANY",
    "HUBSPOT_KEY",
    "PUBLIC_KEY",
    "TEAM",
    "USER_JWT",
    "bot",
    "camp",
    "company",
    "ids",
    "my_import_job",
    "number",
    "params",
    "read_my_csv",
    "rows",
    "secret",
    "stripe_key",
    "tk",
]


def _given(kind: type[_T]) -> _T:
    raise NotImplementedError  # only type-checked, never run


tk: Talkturo = _given(Talkturo)
TEAM: str = "team_..."
COMPANY: str = "comp_..."
ACCOUNT: str = "acct_..."
PUBLIC_KEY: str = "base64 Ed25519 public key"
USER_JWT: str = "eyJ..."
HUBSPOT_KEY: str = "..."
stripe_key: str = "sk_..."
secret: str = "a published flow version's trigger_secret"
params: dict[str, Any] = {}
ids: list[str] = []
rows: list[dict[str, Any]] = []
company: Company = _given(Company)
camp: Campaign = _given(Campaign)
bot: Assistant = _given(Assistant)
number: PhoneNumber = _given(PhoneNumber)


def read_my_csv() -> list[tuple[str, str, str]]:
    """The reader's CSV rows: (first name, last name, phone)."""
    return []


async def my_import_job(tk: Talkturo, team_id: str) -> None:
    """The reader's own job, under test."""
'''

# USAGE.md's functions are written without annotations (FastAPI infers nothing from them).
USAGE_MYPY_RELAXED = "# mypy: allow-untyped-defs, allow-incomplete-defs, check-untyped-defs\n"
USAGE_PYRIGHT_RELAXED = (
    "# pyright: reportMissingParameterType=false, reportUnknownParameterType=false, "
    "reportUnknownMemberType=false, reportUnknownArgumentType=false, "
    "reportUnknownVariableType=false\n"
)
# Examples show the values a call returns and the names a reader may import, without using them.
PYRIGHT_CONFIG = {
    "typeCheckingMode": "strict",
    "reportUnusedVariable": False,
    "reportUnusedImport": False,
    "reportWildcardImportFromLibrary": False,
    "pythonVersion": "3.10",
}


@dataclass(frozen=True)
class DocBlock:
    """One ```python block: where it is, what it says, and how it is checked."""

    doc: str
    line: int  # the line of the opening fence, 1-based
    heading: str
    code: str

    @property
    def name(self) -> str:
        """A file/test name: ``readme_L41``."""
        return f"{Path(self.doc).stem.lower()}_L{self.line}"

    @property
    def slug(self) -> str:
        """A stable test id from the document and section: ``readme-quick-start``."""
        words = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")
        return f"{Path(self.doc).stem.lower()}-{words or 'top'}"

    @property
    def is_module(self) -> bool:
        """Compiles as a module (no top-level await)."""
        try:
            compile(self.code, self.name, "exec", dont_inherit=True)
        except SyntaxError:
            return False
        return True

    @property
    def not_run(self) -> str | None:
        """The reason given by a ``# docs: not run (...)`` marker, if any."""
        match = NOT_RUN.search(self.code)
        return match["reason"] if match else None

    @property
    def not_type_checked(self) -> str | None:
        """The reason given by a ``# docs: not type-checked (...)`` marker, if any."""
        match = NOT_TYPE_CHECKED.search(self.code)
        return match["reason"] if match else None

    def source(self) -> str:
        """The block as a checkable file: prelude import, then the block (wrapped if a fragment)."""
        head = USAGE_MYPY_RELAXED + USAGE_PYRIGHT_RELAXED if self.doc == "USAGE.md" else ""
        head += f"# {self.doc}, line {self.line} ({self.heading})\n"
        head += "from _prelude import *  # noqa: F403\n\n"
        if self.is_module:
            return head + self.code
        return head + "\n\nasync def example() -> None:\n" + textwrap.indent(self.code, "    ")


def fenced_blocks(text: str) -> list[tuple[int, str, str, str]]:
    """Every fenced block of a Markdown text: (line, info string, heading, content).

    Fences are matched as CommonMark does: a closing fence has no info string and at least the
    opening fence's length, so a stray fence cannot silently swallow the blocks after it.
    """
    found: list[tuple[int, str, str, str]] = []
    heading = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        opened = _FENCE.match(line)
        if not opened:
            i += 1
            continue
        fence, info = opened["fence"], opened["info"]
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = lines[j].strip()
            if closing.startswith(fence[0] * len(fence)) and not closing.strip(fence[0]):
                break
            body.append(lines[j])
            j += 1
        found.append((i + 1, info, heading, "\n".join(body) + "\n"))
        i = j + 1
    return found


def python_blocks(path: Path, doc: str | None = None) -> list[DocBlock]:
    """The ```python blocks of the Markdown file at ``path``."""
    text = path.read_text(encoding="utf-8")
    return [
        DocBlock(doc or path.name, line, heading, code)
        for line, info, heading, code in fenced_blocks(text)
        if info == "python"
    ]


def unique_slugs(blocks: list[DocBlock]) -> list[str]:
    """Each block's slug, with ``-2``, ``-3``... for later blocks of the same section."""
    seen: dict[str, int] = {}
    slugs: list[str] = []
    for block in blocks:
        seen[block.slug] = seen.get(block.slug, 0) + 1
        count = seen[block.slug]
        slugs.append(block.slug if count == 1 else f"{block.slug}-{count}")
    return slugs


def usage_path() -> Path:
    """USAGE.md beside the repository, or the vendored copy when shared/ is not there."""
    return USAGE if USAGE.exists() else USAGE_VENDORED


def all_blocks() -> list[DocBlock]:
    """README.md's python blocks, then USAGE.md's."""
    return python_blocks(README) + python_blocks(usage_path(), "USAGE.md")


def write_blocks(out: Path, blocks: list[DocBlock] | None = None) -> list[Path]:
    """Write the prelude, a pyright config and one file per type-checked block under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.py"):
        old.unlink()
    (out / "_prelude.py").write_text(PRELUDE)
    (out / "pyrightconfig.json").write_text(json.dumps(PYRIGHT_CONFIG, indent=2) + "\n")
    written: list[Path] = []
    for block in all_blocks() if blocks is None else blocks:
        if block.not_type_checked:
            continue
        path = out / f"{block.name}.py"
        path.write_text(block.source())
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "docs-blocks")
    for written in write_blocks(target):
        print(written)
