"""docs/scale-out.md's recipes, run as written: arq and taskiq workers, uvicorn --workers 2.

Each ``# scale-out recipe: NAME`` block is written to ``NAME.py`` in a temporary directory; the
only edits are the budget, the window and arq's job timeout (to keep the test short).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import importlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from talkturo_async import Talkturo
from talkturo_async.testing import FakeTalkturo
from tests.redis_server import aredis as aredis
from tests.redis_server import free_port
from tests.redis_server import redis_server as redis_server
from tests.redis_server import redis_url as redis_url

pytest.importorskip("arq")
pytest.importorskip("taskiq_redis")
pytest.importorskip("uvicorn")

TASKIQ_WORKER = ["taskiq", "worker", "taskiq_worker:broker", "--workers", "1"]
DOC = Path(__file__).resolve().parent.parent / "docs" / "scale-out.md"
# The recipes' ``import_csv(import_id, path, rows, chunk=...)``: the rows created.
ImportCsv = Callable[..., Awaitable[int]]


def recipes(replace: dict[str, str] | None = None) -> dict[str, str]:
    """The recipe blocks of docs/scale-out.md by name, with ``replace`` applied."""
    text = DOC.read_text()
    found: dict[str, str] = dict(
        re.findall(r"```python\n# scale-out recipe: (\w+)\n(.*?)```", text, re.DOTALL)
    )
    assert set(found) >= {"scale_jobs", "arq_worker", "arq_enqueue", "taskiq_worker", "web_app"}
    for old, new in (replace or {}).items():
        hits = [name for name, code in found.items() if old in code]
        assert hits, f"{old!r} is in no recipe"
        found = {name: code.replace(old, new) for name, code in found.items()}
    return found


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on sys.path for the recipe modules, forgotten afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))  # pyright: ignore[reportUnknownMemberType] - pytest's hints
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name in {"scale_jobs", "arq_worker", "arq_enqueue", "taskiq_worker", "taskiq_send"}:
            del sys.modules[name]


def write(workdir: Path, code: dict[str, str]) -> None:
    for name, text in code.items():
        (workdir / f"{name}.py").write_text(text)


def environment(fake: FakeTalkturo, redis_url: str, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TALKTURO_API_KEY=fake.api_key,
        TALKTURO_BASE_URL=fake.base_url,
        TALKTURO_TEAM_ID=fake.team_id,
        REDIS_URL=redis_url,
        PYTHONPATH=os.pathsep.join([str(workdir), env.get("PYTHONPATH", "")]),
    )
    return env


def spawn(args: list[str], env: dict[str, str], workdir: Path) -> subprocess.Popen[bytes]:
    """Start ``python -m args...`` in ``workdir``, its output in a log file there."""
    with (workdir / f"{args[0]}-{time.monotonic_ns()}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", *args],
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )


def stop(proc: subprocess.Popen[bytes], grace: float = 15) -> None:
    """SIGTERM the worker's process group; SIGKILL what is left after ``grace`` seconds."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # children too (taskiq's worker processes)
    proc.wait()


async def seed(fake: FakeTalkturo, workdir: Path, rows: int, campaigns: int) -> Path:
    """A company, ``campaigns`` campaigns, and a CSV of ``rows`` contacts to import."""
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
        company = await tk.companies.create(team_id=fake.team_id, name="Acme")
        assert company.id is not None
        bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
        assert bot.id is not None
        for i in range(campaigns):
            await tk.campaigns.create(
                team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name=f"C{i}"
            )
    path = workdir / "contacts.csv"
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["company_id", "first_name", "last_name", "phone"])
        for i in range(rows):
            out.writerow([company.id, f"F{i}", "L", f"+1415{i:07d}"])
    return path


def contact_phones(fake: FakeTalkturo) -> list[str]:
    return sorted(str(c.get("phone")) for c in fake.contacts.values())


@pytest.fixture
async def slow_fake() -> AsyncIterator[FakeTalkturo]:
    """A fake whose answers take 50 ms, so a job is still running when its worker is killed."""
    async with FakeTalkturo(seed=3, latency=0.05) as server:
        yield server


async def test_arq_job_killed_mid_import_is_retried_without_duplicates(
    slow_fake: FakeTalkturo, redis_url: str, workdir: Path
) -> None:
    """SIGKILL the arq worker mid-job; arq runs the job again; the fake holds one contact per row."""
    fake = slow_fake
    write(workdir, recipes({"job_timeout = 600": "job_timeout = 3"}))
    path = await seed(fake, workdir, rows=120, campaigns=0)
    env = environment(fake, redis_url, workdir)
    os.environ.update(REDIS_URL=redis_url)  # for the enqueueing side, in this process
    try:
        enqueue = importlib.import_module("arq_enqueue")
        first = spawn(["arq", "arq_worker.WorkerSettings"], env, workdir)
        importing = asyncio.create_task(enqueue.import_csv("imp-1", str(path), 120, chunk=120))
        deadline = time.monotonic() + 30
        while len(fake.contacts) < 20:  # mid-job: some rows created, most not yet
            assert time.monotonic() < deadline and first.poll() is None, "the worker did not start"
            await asyncio.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        created_before_kill = len(fake.contacts)
        assert created_before_kill < 120
        second = spawn(["arq", "arq_worker.WorkerSettings"], env, workdir)
        try:
            total = await asyncio.wait_for(importing, 60)
        finally:
            stop(second)
    finally:
        os.environ.pop("REDIS_URL", None)
    assert total == 120
    assert contact_phones(fake) == sorted(f"+1415{i:07d}" for i in range(120))  # once each
    replayed = [r for r in fake.requests if r.method == "POST" and r.path == "/crm/contacts"]
    assert len(replayed) > 120  # the retried job really re-sent rows, and created nothing twice


async def test_arq_and_taskiq_workers_share_one_budget_and_page(
    redis_url: str, workdir: Path
) -> None:
    """Two arq workers and a taskiq worker import and page under one budget: no 429 at all."""
    async with FakeTalkturo(seed=4, rate_limit_per_hour=40, rate_limit_window=1.0) as fake:
        write(
            workdir,
            # The limiter's budget is well inside the fake's (30 per 2 s against 40 per 1 s): on a
            # loaded machine requests reach the fake late and bunched, and this test is about the
            # budget being shared, not about running at its very edge (the unit tests do that).
            recipes(
                {"BUDGET, WINDOW = 1000, 3600": "BUDGET, WINDOW = 30, 2.0", "limit=100": "limit=10"}
            ),
        )
        # Seeded with a second key: the first key's budget is all the workers'.
        key2 = fake.add_api_key()
        async with Talkturo(api_key=key2, base_url=fake.base_url) as tk:
            company = await tk.companies.create(team_id=fake.team_id, name="Acme")
            assert company.id is not None
            bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
            assert bot.id is not None
            for i in range(25):
                await tk.campaigns.create(
                    team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name=f"C{i}"
                )
        files: list[Path] = []
        for name, first, count in (("a.csv", 0, 60), ("b.csv", 60, 30)):
            files.append(workdir / name)
            with files[-1].open("w", newline="") as f:
                out = csv.writer(f)
                out.writerow(["company_id", "first_name", "last_name", "phone"])
                for i in range(first, first + count):
                    out.writerow([company.id, f"F{i}", "L", f"+1415{i:07d}"])
        env = environment(fake, redis_url, workdir)
        os.environ.update(REDIS_URL=redis_url, TALKTURO_TEAM_ID=fake.team_id)
        workers = [spawn(["arq", "arq_worker.WorkerSettings"], env, workdir) for _ in range(2)]
        workers.append(spawn(TASKIQ_WORKER, env, workdir))
        seeded = len(fake.requests)
        try:
            arq_import_csv: ImportCsv = importlib.import_module("arq_enqueue").import_csv
            taskiq_worker = importlib.import_module("taskiq_worker")
            taskiq_import_csv: ImportCsv = importlib.import_module("taskiq_send").import_csv
            await taskiq_worker.broker.startup()
            try:
                start = time.monotonic()
                task = await taskiq_worker.campaigns_total.kiq()
                imported, via_taskiq = await asyncio.wait_for(
                    asyncio.gather(
                        arq_import_csv("imp-2", str(files[0]), 60, chunk=20),
                        taskiq_import_csv("imp-3", str(files[1]), 30, chunk=15),
                    ),
                    60,
                )
                listed = (await task.wait_result(timeout=30)).return_value
                elapsed = time.monotonic() - start
            finally:
                await taskiq_worker.broker.shutdown()
        finally:
            for w in workers:
                # taskiq's worker process can sit in a blocking BRPOP for ~13 s after SIGTERM.
                stop(w, grace=2)
            for name in ("REDIS_URL", "TALKTURO_TEAM_ID"):
                os.environ.pop(name, None)
    assert imported == 60 and via_taskiq == 30 and listed == 25
    assert len(fake.contacts) == 90
    worker_requests = fake.requests[seeded:]
    assert [r.path for r in worker_requests if r.status == 429] == []
    assert len(worker_requests) >= 93  # 90 creates + 3 pages of campaigns
    assert elapsed >= 1.0  # more than 40 requests at 40 a second: the budget was the limit


async def test_fastapi_under_two_uvicorn_workers_shares_the_budget(
    redis_url: str, workdir: Path
) -> None:
    """uvicorn --workers 2 serving the recipe app: both workers answer, the fake sees no 429.

    Which worker accepts a connection is the kernel's choice, so the load phase may land on one
    of them; the warm-up waits until both have answered. (Three processes provably sharing one
    budget is the arq/taskiq test above.)
    """
    import httpx

    async with FakeTalkturo(seed=5, rate_limit_per_hour=10, rate_limit_window=1.0) as fake:
        write(
            workdir,
            {
                "web_app": recipes({"BUDGET, WINDOW = 1000, 3600": "BUDGET, WINDOW = 10, 1.5"})[
                    "web_app"
                ]
            },
        )
        port = free_port()
        env = environment(fake, redis_url, workdir)
        server = spawn(
            ["uvicorn", "web_app:app", "--workers", "2", "--port", str(port)], env, workdir
        )
        url = f"http://127.0.0.1:{port}/campaigns/count"
        try:
            limits = httpx.Limits(max_keepalive_connections=0)  # a new connection each time
            async with httpx.AsyncClient(limits=limits, timeout=30) as http:
                deadline, pids = time.monotonic() + 30, set[int]()
                while len(pids) < 2:  # until both workers answer (a request lands on either)
                    assert server.poll() is None and time.monotonic() < deadline
                    try:
                        answer = await http.get(url)
                        if answer.status_code == 200:
                            pids.add(answer.json()["worker"])
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)
                await asyncio.sleep(1.5)  # let the budget used by the warm-up pass
                start = time.monotonic()
                answers = await asyncio.gather(*(http.get(url) for _ in range(30)))
                elapsed = time.monotonic() - start
        finally:
            stop(server)
    bodies = [a.json() for a in answers]
    assert all(a.status_code == 200 for a in answers) and {b["count"] for b in bodies} == {0}
    assert len(pids | {b["worker"] for b in bodies}) == 2  # both processes served
    assert [r for r in fake.requests if r.status == 429] == []
    assert elapsed >= 1.5  # 30 requests at 10 a second: the shared budget was the limit
