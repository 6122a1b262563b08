"""The README's python blocks run as written against a FakeTalkturo; its imports all resolve.

Each block gets the names it uses without defining them (``tk``, ``TEAM``, ``PUBLIC_KEY``, ...;
the same list ``tests/docs_blocks.py`` type-checks them with) bound to the fake's records, and the
environment (``TALKTURO_API_KEY``/``TALKTURO_BASE_URL``) pointing at the fake. Only the reader's
placeholders are replaced: the ``tk_live_...`` key, the account's base URL and team id.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from talkturo_async import Talkturo
from talkturo_async.testing import FakeTalkturo
from tests.conftest import NO_WAIT
from tests.docs_blocks import (
    README,
    DocBlock,
    fenced_blocks,
    python_blocks,
    unique_slugs,
    usage_path,
)
from tests.redis_server import redis_server as redis_server  # a fixture
from tests.redis_server import redis_url as redis_url  # a fixture

BLOCKS = python_blocks(README)
SLUGS = unique_slugs(BLOCKS)
PLACEHOLDERS = {
    '"tk_live_..."': "fake.api_key",
    '"https://acme.talkturo.ai/api"': "fake.base_url",
    '"team_123"': "fake.team_id",
    '"redis://localhost:6379/0"': "redis_url",  # a redis-server of the tests' own (redis_server.py)
}
# Blocks that cannot pass until another part of issue #10 lands (the lead removes these at merge).
PENDING: dict[str, str] = {}


def _params() -> list[Any]:
    params: list[Any] = []
    for slug, block in zip(SLUGS, BLOCKS, strict=True):
        marks: list[Any] = []
        if block.not_run:
            marks.append(pytest.mark.skip(reason=f"marked in the README: {block.not_run}"))
        elif slug in PENDING:
            marks.append(pytest.mark.xfail(strict=True, reason=PENDING[slug]))
        params.append(pytest.param(block, id=slug, marks=marks))
    return params


async def _given(fake: FakeTalkturo, tk: Talkturo, cwd: Path) -> dict[str, Any]:
    """The names the README's examples take as given, bound to records in ``fake``."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
    found = await tk.phone_numbers.search(country_code="US", limit=1)
    number = await tk.phone_numbers.purchase(
        phone_number=found.numbers[0].phone_number or "", team_id=fake.team_id
    )
    camp = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id or "", company_id=company.id or "", name="Docs"
    )
    rows = [
        {"first_name": f"F{i}", "last_name": "L", "phone": f"+1415555{i:04d}"} for i in range(20)
    ]
    fake.add_contacts({**row, "company_id": company.id} for row in rows)
    (cwd / "docs").mkdir()
    (cwd / "docs" / "faq.pdf").write_bytes(b"%PDF-1.4 a small document\n")
    (cwd / "contacts.csv").write_text("first_name,last_name\nMaya,Chen\n")

    def read_my_csv() -> list[tuple[str, str, str]]:
        return [(f"First{i}", f"Last{i}", f"+1415666{i:04d}") for i in range(10)]

    return {
        "tk": tk,
        "TEAM": fake.team_id,
        "COMPANY": company.id,
        "ACCOUNT": fake.account_id,
        "PUBLIC_KEY": fake.webhook_public_key,
        "USER_JWT": fake.jwt,
        "HUBSPOT_KEY": "hubspot-docs-key",
        "stripe_key": "sk_test_docs",
        "params": {"email": "maya@example.com"},
        "ids": list(fake.contacts),
        "rows": rows,
        "company": company,
        "camp": camp,
        "bot": bot,
        "number": number,
        "read_my_csv": read_my_csv,
    }


async def _run(block: DocBlock, namespace: dict[str, Any]) -> dict[str, Any]:
    """Execute a block (wrapped in ``async def`` if a fragment); return its names."""
    code = block.code
    for old, new in PLACEHOLDERS.items():
        code = code.replace(old, repr(eval(new, {}, namespace)))
    if block.is_module:
        compiled = compile(code, f"README.md:{block.line}", "exec")
        if "asyncio.run(" in code:  # its own event loop: in a thread, while the fake serves
            await asyncio.to_thread(exec, compiled, namespace)
        else:
            exec(compiled, namespace)
        return namespace
    source = "async def __block__():\n" + textwrap.indent(code, "    ") + "\n    return locals()\n"
    exec(compile(source, f"README.md:{block.line}", "exec"), namespace)
    result: dict[str, Any] = await namespace["__block__"]()
    return result


@pytest.mark.parametrize("block", _params())
async def test_readme_block_runs(
    block: DocBlock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """The README block runs as written against the fake; every client it makes is closed."""
    redis = request.getfixturevalue("redis_url") if "redis://" in block.code else None
    monkeypatch.chdir(tmp_path)
    async with FakeTalkturo(seed=7) as fake:
        monkeypatch.setenv("TALKTURO_API_KEY", fake.api_key)
        monkeypatch.setenv("TALKTURO_BASE_URL", fake.base_url)
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT
        ) as tk:
            namespace = await _given(fake, tk, tmp_path)
            namespace["fake"] = fake
            namespace["redis_url"] = redis
            before = len(fake.requests)
            names = await _run(block, namespace)
            opened = [v for v in names.values() if isinstance(v, Talkturo) and v is not tk]
            if "async with" in block.code and opened:  # a client the block opened, it closed
                assert all(client.is_closed for client in opened)
            for client in opened:
                await client.aclose()
        calls = "asyncio.run(" if block.is_module else "await "  # how a block reaches the API
        if calls in block.code:
            assert len(fake.requests) > before  # it called the API: the fake saw it


def test_readme_fences_are_well_formed() -> None:
    """Every ``` fence in the README opens a block with a language, so no example is swallowed."""
    text = README.read_text(encoding="utf-8")
    blocks = fenced_blocks(text)
    assert all(info for _, info, _, _ in blocks), [line for line, info, _, _ in blocks if not info]
    assert len([b for b in blocks if b[1] == "python"]) == text.count("```python\n")


def test_readme_testing_example_in_a_fresh_project(tmp_path: Path) -> None:
    """The 'Testing your code' example passes in a new project: no configuration, strict mode.

    pytest-asyncio's default (strict) mode, no configuration file, the plugin loaded by its entry
    point; a test using the plugin's fixtures runs beside it.
    """
    (block,) = [b for b in BLOCKS if b.heading == "Testing your code"]
    job = textwrap.dedent(
        """
        async def my_import_job(tk, team_id):
            company = await tk.companies.create(team_id=team_id, name="Acme")
            rows = [
                {"first_name": f"F{i}", "last_name": "L", "company_id": company.id}
                for i in range(1000)
            ]
            await tk.contacts.import_contacts(rows, team_id=team_id)
        """
    )
    fixtures = textwrap.dedent(
        """
        @pytest.mark.asyncio
        async def test_with_fixtures(talkturo_fake, talkturo_client) -> None:
            await talkturo_client.companies.create(team_id=talkturo_fake.team_id, name="Acme")
            assert len(talkturo_fake.companies) == 1
        """
    )
    (tmp_path / "test_app.py").write_text(block.code + job + fixtures)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "TALKTURO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def _doc_imports() -> list[tuple[str, str, str]]:
    """Every ``from talkturo_async... import ...`` / ``import talkturo_async...`` in the docs."""
    docs = [README, usage_path(), *sorted((README.parent / "docs").glob("*.md"))]
    found: list[tuple[str, str, str]] = []
    for doc in docs:
        for _, info, _, code in fenced_blocks(doc.read_text(encoding="utf-8")):
            if info != "python":
                continue
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "talkturo_async"
                ):
                    found += [(doc.name, node.module or "", a.name) for a in node.names]
                elif isinstance(node, ast.Import):
                    found += [
                        (doc.name, a.name, "")
                        for a in node.names
                        if a.name.startswith("talkturo_async")
                    ]
    return found


def test_every_documented_import_resolves() -> None:
    """Every name the docs tell users to import is importable from the place they name."""
    imports = _doc_imports()
    assert ("README.md", "talkturo_async.redis", "RedisRateLimiter") in imports
    missing: list[str] = []
    for doc, module_name, name in imports:
        module = importlib.import_module(module_name)
        if name and inspect.ismodule(getattr(module, name, None)):
            continue  # a submodule: `from talkturo_async import webhooks`
        if name and not hasattr(module, name):
            missing.append(f"{doc}: from {module_name} import {name}")
        elif name and name not in getattr(module, "__all__", [name]):
            missing.append(f"{doc}: {module_name}.{name} is not in __all__")
    assert not missing, missing


def _resolve(dotted: str) -> object:
    """The object a dotted name like ``talkturo_async.journal.ContactImportJob`` names."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def test_names_the_docs_mention_resolve() -> None:
    """Every `talkturo_async....` / `webhooks.X` name in the docs' text exists where it says."""
    docs = [README, usage_path(), *sorted((README.parent / "docs").glob("*.md"))]
    text = "\n".join(doc.read_text(encoding="utf-8") for doc in docs)
    names = set(re.findall(r"`(talkturo_async(?:\.\w+)*)`", text))
    names |= {f"talkturo_async.{n}" for n in re.findall(r"`(webhooks\.\w+)`", text)}
    assert "talkturo_async.journal.ContactImportJob" in names
    for name in sorted(names):
        _resolve(name)  # raises AttributeError / ImportError naming what is missing
