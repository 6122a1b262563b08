"""Project sessions: ``nox -s tests lint typing`` is what CI runs; ``nox -s demo`` the main job."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import nox


def _expose_pyenv_pythons() -> None:
    """pyenv's shims answer only for the selected versions: add every installed 3.10-3.13 after
    the selected ones, so nox finds them all. (A shim exports PYENV_VERSION into the process it
    starts, so the selection is extended, not replaced.)"""
    if shutil.which("pyenv") is None:
        return
    run = lambda *a: subprocess.run(["pyenv", *a], capture_output=True, text=True).stdout  # noqa: E731
    installed = [v for v in run("versions", "--bare").split() if re.fullmatch(r"3\.1[0-3]\.\d+", v)]
    current = (os.environ.get("PYENV_VERSION") or run("version-name").strip()).split(":")
    if installed:
        os.environ["PYENV_VERSION"] = ":".join(dict.fromkeys([*current, *installed]))


_expose_pyenv_pythons()

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
TEST_DEPS = [
    "pytest>=8",
    "pytest-asyncio>=0.24",
    "fastapi>=0.110",
    "httpx>=0.27",
    "cryptography>=42",
]
LOWEST = ["aiohttp==3.9.5", "attrs==23.2.0", "cattrs==24.1.2", "tenacity==8.4.2", "yarl==1.9.4"]

nox.options.sessions = ["tests", "lint", "typing"]
nox.options.reuse_existing_virtualenvs = True
# A Python missing from the machine is reported ("Skipping tests-3.X: ... not found") and skipped,
# not silently ignored and not fatal: CI images need not carry all four.
nox.options.error_on_missing_interpreters = False


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite (warnings are errors) on every Python 3.10-3.13 found."""
    session.install("-e", ".[cli,webhooks]", *TEST_DEPS)
    session.run("pytest", *session.posargs)


@nox.session(python="3.11")
def tests_lowest(session: nox.Session) -> None:
    """Run the suite against the lowest dependency versions pyproject.toml allows."""
    session.install("-e", ".[cli,webhooks]", *TEST_DEPS)
    session.install(*LOWEST)
    session.run("pytest", "-q", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python="3.11")
def typing(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".[cli,webhooks]", "mypy>=1.10", "pytest>=8", "pytest-asyncio>=0.24")
    session.run("mypy", "--strict", "talkturo_async")


@nox.session(python="3.11")
def demo(session: nox.Session) -> None:
    """The main job: the whole story against an embedded FakeTalkturo."""
    session.install("-e", ".[cli]")
    session.run("talkturo", "demo", *session.posargs)


BENCH_DEPS = ["pydantic>=2", "msgspec>=0.18"]  # the decoding benchmark's anchors only


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Benchmarks against their anchors, same machine, same run; figures go to benchmarks/README.md.

    ``nox -s bench`` runs all three; ``nox -s bench -- decode|requests|run [ARGS]`` runs one.
    """
    session.install("-e", ".", *BENCH_DEPS)
    scripts = {
        "run": "benchmarks/run.py",
        "decode": "benchmarks/bench_decode.py",
        "requests": "benchmarks/bench_requests.py",
    }
    args = list(session.posargs)
    chosen = [args.pop(0)] if args and args[0] in scripts else list(scripts)
    for name in chosen:
        session.run("python", scripts[name], *args, env={"PYTHONWARNINGS": "error"})
