"""Project sessions: ``nox -s tests lint typing typing_docs`` is what CI runs; ``nox -s demo`` the main job."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

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
    "pyyaml>=6",
    "jsonschema>=4.18",
    # docs/scale-out.md's recipes, run by tests/test_redis_recipes.py (arq caps redis below 6;
    # taskiq-redis 1.0 needs taskiq below 0.13).
    "arq>=0.26",
    "taskiq>=0.11.12,<0.13",
    "taskiq-redis>=1.0,<1.1",
    "uvicorn>=0.29",
]
LOWEST = [
    "aiohttp==3.14.3",
    "attrs==23.2.0",
    "cattrs==24.1.2",
    "tenacity==8.3.0",
    "yarl==1.17.0",
    "redis==5.0.1",
]

nox.options.sessions = ["tests", "lint", "typing", "typing_docs"]
nox.options.reuse_existing_virtualenvs = True
# A Python missing from the machine is reported ("Skipping tests-3.X: ... not found") and skipped,
# not silently ignored and not fatal: CI images need not carry all four.
nox.options.error_on_missing_interpreters = False


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite (warnings are errors) on every Python 3.10-3.13 found."""
    session.install("-e", ".[cli,webhooks,redis]", *TEST_DEPS)
    session.run("pytest", *session.posargs)


@nox.session(python="3.11")
def tests_lowest(session: nox.Session) -> None:
    """Run the suite against the lowest dependency versions pyproject.toml allows."""
    session.install("-e", ".[cli,webhooks,redis]", *TEST_DEPS)
    session.install(*LOWEST)
    session.run("pytest", "-q", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


TYPING_DEPS = ["mypy>=1.10", "pyright>=1.1.400", "types-PyYAML", "types-jsonschema"]
# `pyright --verifytypes talkturo_async --ignoreexternal` must reach this (issue #10): every public
# symbol's type is known.
VERIFYTYPES_MIN = 100.0


@nox.session(python="3.11")
def typing(session: nox.Session) -> None:
    """mypy --strict and pyright on the package and tests; type completeness of the public API."""
    session.install("-e", ".[cli,webhooks,redis]", *TEST_DEPS, *TYPING_DEPS)
    session.run("mypy", "--strict", "talkturo_async", "tests")
    session.run("pyright")  # [tool.pyright]: standard everywhere, strict on the listed paths
    # verifytypes resolves the installed package: run it outside the checkout.
    with session.chdir(session.create_tmp()):
        out = session.run(
            "pyright",
            "--verifytypes",
            "talkturo_async",
            "--ignoreexternal",
            "--outputjson",
            silent=True,
            success_codes=[0, 1],
        )
    text = str(out)  # stderr is mixed in: pyright may first say it is fetching node
    score = 100 * json.loads(text[text.index("{") :])["typeCompleteness"]["completenessScore"]
    session.log(f"pyright --verifytypes: {score:.1f}% (minimum {VERIFYTYPES_MIN}%)")
    if score < VERIFYTYPES_MIN:
        session.error(
            f"type completeness {score:.1f}% < {VERIFYTYPES_MIN}%: run pyright --verifytypes"
        )


@nox.session(python="3.11")
def typing_docs(session: nox.Session) -> None:
    """mypy --strict and pyright strict on every python block of README.md and ../shared/USAGE.md.

    Each block is written to build/docs-blocks/ by tests/docs_blocks.py (a fragment wrapped in an
    ``async def``, the names it takes as given declared in a typed prelude).
    """
    # What the examples import: the package with its extras, FastAPI, pytest (the testing one).
    session.install("-e", ".[cli,webhooks,redis]", "fastapi>=0.110", "pytest>=8", *TYPING_DEPS)
    out = Path("build/docs-blocks").resolve()
    session.run("python", "-m", "tests.docs_blocks", str(out), silent=True)
    with session.chdir(out):
        session.run("mypy", "--strict", "--no-incremental", "--python-version", "3.10", ".")
        session.run("pyright", "-p", "pyrightconfig.json")


@nox.session(python="3.11")
def demo(session: nox.Session) -> None:
    """The main job: the whole story against an embedded FakeTalkturo."""
    session.install("-e", ".[cli]")
    session.run("talkturo", "demo", *session.posargs)


BENCH_DEPS = ["pydantic>=2", "msgspec>=0.18"]  # the decoding benchmark's anchors only


@nox.session(python="3.11")
def bench_shared_budget(session: nox.Session) -> None:
    """4 worker processes on one key: Redis limiter vs per-process TokenBucket vs none (needs
    redis-server; about 2 minutes); figures go to benchmarks/README.md."""
    session.install("-e", ".[redis]")
    session.run("python", "benchmarks/bench_shared_budget.py", *session.posargs)


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Benchmarks against their anchors, same machine, same run; figures go to benchmarks/README.md.

    ``nox -s bench`` runs all four; ``nox -s bench -- decode|requests|import|run [ARGS]`` runs one.
    """
    session.install("-e", ".", *BENCH_DEPS)
    scripts = {
        "run": "benchmarks/run.py",
        "decode": "benchmarks/bench_decode.py",
        "requests": "benchmarks/bench_requests.py",
        "import": "benchmarks/bench_import.py",
    }
    args = list(session.posargs)
    chosen = [args.pop(0)] if args and args[0] in scripts else list(scripts)
    for name in chosen:
        session.run("python", scripts[name], *args, env={"PYTHONWARNINGS": "error"})


# Mutation testing, one core module at a time against its own tests (issue #17). Each entry:
# the module, the tests that own it, mutmut's process isolation and extra pytest arguments.
# The converter runs in "forkserver" isolation with a plugin that rebuilds it before each test:
# cattrs caches structure hooks per process, so in a forked worker (or a later test) the
# unmutated hooks would be reused and mutants reported as survivors that were never run.
MUTATION_TARGETS: dict[str, tuple[str, list[str], str, list[str]]] = {
    "_retry": (
        "_retry.py",
        [
            "test_retry.py",
            "test_strength_retry.py",
            "test_hardening.py",
            "test_strength_retry_2.py",
        ],
        "fork",
        [],
    ),
    "_pagination": (
        "_pagination.py",
        [
            "test_pagination.py",
            "test_strength_pagination.py",
            "test_hardening.py",
            "test_strength_wire.py",
            "test_strength_pagination_2.py",
        ],
        "fork",
        [],
    ),
    "_wire": (
        "_wire.py",
        [
            "test_wire.py",
            "test_strength_wire.py",
            "test_strength_retry.py",
            "test_hardening.py",
            "test_strength_wire_2.py",
            "test_strength_wire_names.py",
            "test_arguments.py",
            "test_answers.py",
            "test_strength_wire_3.py",
        ],
        "fork",
        [],
    ),
    "_bulk": (
        "_bulk.py",
        ["test_bulk.py", "test_strength_bulk.py", "test_hardening.py", "test_strength_bulk_2.py"],
        "fork",
        [],
    ),
    "_verify": (
        "webhooks/_verify.py",
        ["test_webhooks.py", "test_strength_verify.py", "test_webhooks_hardening.py"],
        "fork",
        [],
    ),
    "_converter": (
        "_converter.py",
        [
            "test_models.py",
            "test_tolerance.py",
            "test_strength_converter.py",
            "test_converter_paths.py",
            "test_strength_converter_2.py",
        ],
        "forkserver",
        ["-p", "tests.mutmut_fresh_converter"],
    ),
}


@nox.session(python="3.11", default=False)
def mutation(session: nox.Session) -> None:
    """Mutation testing (mutmut 3) of one module with its own tests: ``nox -s mutation -- _wire``.

    mutmut reads its settings only from ``pyproject.toml``, so each module runs in its own scratch
    copy under ``.mutation/<module>/`` whose ``[tool.mutmut]`` is the project's plus the module and
    its tests. Each run starts afresh; its results stay there until the next one (``mutmut results``
    and ``mutmut show <mutant>`` work inside that directory).
    """
    if len(session.posargs) != 1 or session.posargs[0] not in MUTATION_TARGETS:
        session.error(f"name one module: nox -s mutation -- {{{','.join(MUTATION_TARGETS)}}}")
    name = session.posargs[0]
    module, test_files, isolation, pytest_args = MUTATION_TARGETS[name]
    session.install("-e", ".[cli,webhooks]", *TEST_DEPS, "mutmut>=3.3,<4")

    root = Path(__file__).parent
    work = root / ".mutation" / name
    work.mkdir(parents=True, exist_ok=True)
    # A fresh copy and no cached verdicts: mutmut keeps a survivor's verdict when tests are added.
    for tree in ("talkturo_async", "tests", "mutants"):
        shutil.rmtree(work / tree, ignore_errors=True)
    for tree in ("talkturo_async", "tests"):
        shutil.copytree(root / tree, work / tree, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(root / "README.md", work / "README.md")  # a test runs the README's recipe
    text = (root / "pyproject.toml").read_text()
    shared = re.search(r"^\[tool\.mutmut\]\n(?:(?!\[).*\n?)*", text, re.MULTILINE)
    settings: dict[str, Any] = {}
    if shared:
        try:
            import tomllib
        except ImportError:  # Python 3.10: nox itself depends on tomli there
            import tomli as tomllib

        settings = tomllib.loads(shared.group(0))["tool"]["mutmut"]
        text = text.replace(shared.group(0), "")
    settings |= {
        "only_mutate": [f"talkturo_async/{module}"],
        "pytest_add_cli_args_test_selection": [f"tests/{t}" for t in test_files],
        "process_isolation": isolation,
    }
    if pytest_args:
        settings["pytest_add_cli_args"] = [*settings.get("pytest_add_cli_args", []), *pytest_args]
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    (work / "pyproject.toml").write_text(
        text.rstrip() + "\n\n[tool.mutmut]\n" + "\n".join(lines) + "\n"
    )
    with session.chdir(work):
        session.run("mutmut", "run", "--max-children", "2")
        session.run("mutmut", "results")  # the survivors; `mutmut show <name>` prints one's diff
        session.run("mutmut", "export-cicd-stats")
        stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
        tested = stats["total"] - stats["skipped"]
        score = 100 * (stats["killed"] + stats["timeout"]) / max(tested, 1)
        session.log(f"{name}: {stats} -> score {score:.1f}%")
