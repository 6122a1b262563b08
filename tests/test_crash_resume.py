"""The import guarantee end to end: real `talkturo contacts import` processes killed (SIGKILL) or
interrupted (SIGINT) at several points against a standalone fake with faults on, re-run until
complete; the fake then holds exactly one contact per valid row and the summary is exact."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from talkturo_async.testing import FakeAdmin

ROWS = 2000
INVALID = (17, 640, 1333)  # rows with no last name: never sent


@pytest.fixture
async def server() -> AsyncIterator[dict[str, str]]:
    """A standalone fake (its own process) with 5xx, after-commit failures and resets on."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "talkturo_async.testing", "--port", "0", "--seed", "11",
        "--error-rate", "0.04", "--after-commit-failure-rate", "0.04", "--reset-rate", "0.01",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    found: dict[str, str] = {}
    while "key" not in found:
        line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        assert line, "the fake server did not start"
        if m := re.search(r"TALKTURO_BASE_URL=(\S+)", line):
            found["url"] = m.group(1)
        if m := re.search(r"TALKTURO_API_KEY=(\S+).*team_id=(\w+)", line):
            found["key"], found["team"] = m.group(1), m.group(2)
    try:
        yield found
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.communicate(), 30)


def write_file(path: Path) -> Path:
    """A UTF-8 CSV, written as bytes, with a few invalid rows among the valid ones."""
    lines = [b"First Name,Last Name,Phone,Email"]
    for i in range(ROWS):
        last = b"" if i in INVALID else f"M\u00fcller{i}".encode()
        lines.append(b"P%d,%s,+1 415 %07d,p%d@example.com" % (i, last, i, i))
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


async def start(server: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALKTURO_")}
    env.update(
        COLUMNS="200",
        NO_COLOR="1",
        TALKTURO_API_KEY=server["key"],
        TALKTURO_BASE_URL=server["url"],
        TALKTURO_TEAM_ID=server["team"],
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "talkturo_async.cli", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip


async def contacts(admin: FakeAdmin) -> list[dict[str, str]]:
    records: dict[str, dict[str, str]] | list[dict[str, str]] = await admin.records("contacts")
    return list(records.values() if isinstance(records, dict) else records)


def journaled(path: Path) -> int:
    """Rows the journal has committed as created (read while the import runs; WAL allows it)."""
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as db:
        try:
            return int(db.execute("SELECT COUNT(*) FROM rows WHERE state='ok'").fetchone()[0])
        except sqlite3.OperationalError:  # not created yet
            return 0


def tally(out: str) -> dict[str, int]:
    """The summary table's rows (``created``, ``failed``, ...) as numbers."""
    return {
        m.group(1).strip(): int(m.group(2))
        for m in re.finditer(r"│ ([a-z ()]+?)\s+│\s+(\d+) │", out)
    }


@pytest.mark.parametrize("mode", ["create", "import"])
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
async def test_interrupted_imports_resume_to_exactly_one_contact_per_row(
    server: dict[str, str], tmp_path: Path, mode: str, how: signal.Signals
) -> None:
    """Stopped at three random points and re-run until done: one contact per valid row, exact summary."""
    path = write_file(tmp_path / "people.csv")
    async with FakeAdmin(server["url"]) as admin:
        company = await start(server, "companies", "create", "Acme", "--json")
        out, _ = await company.communicate()
        company_id = re.search(rb'"id": "(\w+)"', out).group(1).decode()  # type: ignore[union-attr]
        # import mode is fast: small chunks, two at a time, so the stop points fall inside the runs
        pace = (
            ("--chunk-size", "50", "--concurrency", "2")
            if mode == "import"
            else ("--concurrency", "16")
        )
        command = ("contacts", "import", str(path), "--company-id", company_id, "--mode", mode, *pace)  # fmt: skip
        rng = random.Random(f"{mode}{how}")
        points = sorted(rng.sample(range(200, ROWS - 200), 3))
        stopped = 0
        for point in points:
            proc = await start(server, *command)
            journal = tmp_path / "people.csv.journal"
            while proc.returncode is None:
                if journaled(journal) >= point:
                    break
                await asyncio.sleep(0.02)
            if proc.returncode is None:
                proc.send_signal(how)
            out_b, err_b = await asyncio.wait_for(proc.communicate(), 60)
            stopped += proc.returncode in (-signal.SIGKILL, 130)
            if how == signal.SIGINT and proc.returncode == 130:
                assert (
                    "interrupted" in out_b.decode()
                    and "run the same command again" in out_b.decode()
                )
        assert stopped >= 1  # a stop point fell inside a run (not after it finished)
        for _ in range(10):  # re-run until complete (faults can leave rows unconfirmed)
            proc = await start(server, *command)
            out_b, err_b = await asyncio.wait_for(proc.communicate(), 120)
            summary = tally(out_b.decode())
            if summary.get("unknown outcome") == 0 and summary.get("not sent yet") == 0:
                break
        else:
            pytest.fail("the import never completed in 10 runs")
        assert proc.returncode == 1, err_b.decode()  # 1: the invalid rows
        assert summary["created"] == ROWS - len(INVALID)
        assert summary["invalid (not sent)"] == len(INVALID)
        assert summary["failed"] == 0 and summary["in file"] == ROWS
        made = Counter(c.get("phone") for c in await contacts(admin))
        assert len(made) == ROWS - len(INVALID) and set(made.values()) == {1}
        failed_rows = (tmp_path / "people.failed.csv").read_text().splitlines()
        assert len(failed_rows) == 1 + len(INVALID)
