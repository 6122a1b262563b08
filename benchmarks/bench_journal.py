"""Journal overhead: the same contact import with and without ``talkturo_async.journal``.

A standalone FakeTalkturo (its own process, 10 ms latency per answer, like ``run.py``) receives
``--rows`` contacts at concurrency 32, alternately through

- ``plain``: ``tk.contacts.bulk_create(rows, concurrency=32, idempotency_key=prefix)`` (stable
  keys, no journal), and
- ``journal``: ``ContactImportJob(tk, rows, journal=..., concurrency=32).run()`` (a fresh SQLite
  journal per round: WAL, a ``sent`` and an outcome write per row, batched commits),

and the same for ``--mode import`` (chunks of 500 through ``/crm/contacts/import``: plain
``import_contacts`` vs the job). Wall time, median of ``--repeats`` rounds; every round uses new
keys so nothing is answered from the fake's idempotency store.

Then the same create-mode pair over a ``MockTransport`` that answers at once, in CPU time of this
process (``time.process_time``): the journal's own cost with the network and the other processes
on a shared machine left out.

    python benchmarks/bench_journal.py [--rows N] [--repeats N]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from talkturo_async import MockTransport, Response, Talkturo
from talkturo_async.journal import ContactImportJob


async def start_fake() -> tuple[asyncio.subprocess.Process, str, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "talkturo_async.testing", "--port", "0", "--latency-ms", "10",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    url = key = team = ""
    while not key:
        line = (await proc.stdout.readline()).decode()
        if m := re.search(r"TALKTURO_BASE_URL=(\S+)", line):
            url = m.group(1)
        if m := re.search(r"TALKTURO_API_KEY=(\S+).*team_id=(\w+)", line):
            key, team = m.group(1), m.group(2)
    return proc, url, key, team


def rows(n: int, company: str, team: str) -> list[dict[str, Any]]:
    return [
        {"team_id": team, "company_id": company, "first_name": f"F{i}", "last_name": f"L{i}",
         "phone": f"+1415{i:07d}", "email": f"p{i}@example.com"}
        for i in range(n)
    ]  # fmt: skip


async def main(args: argparse.Namespace) -> None:
    proc, url, key, team = await start_fake()
    times: dict[str, list[float]] = {}
    try:
        async with Talkturo(api_key=key, base_url=url) as tk:
            company = (await tk.companies.create(team, "Bench")).id or ""
            data = rows(args.rows, company, team)
            with tempfile.TemporaryDirectory() as tmp:
                for n in range(args.repeats):
                    for mode in ("create", "import"):
                        for kind in ("plain", "journal") if n % 2 == 0 else ("journal", "plain"):
                            start = time.perf_counter()
                            if kind == "journal":
                                report = await ContactImportJob(
                                    tk, data, journal=Path(tmp) / f"{mode}-{n}.journal",
                                    team_id=team, company_id=company, mode=mode,  # type: ignore[arg-type]
                                    concurrency=32 if mode == "create" else 4,
                                    identity={"round": n},
                                ).run()  # fmt: skip
                                assert report.created == args.rows, report
                            elif mode == "create":
                                made = await tk.contacts.bulk_create(
                                    data, concurrency=32, idempotency_key=f"plain-{n}"
                                ).collect()
                                assert len(made.succeeded) == args.rows
                            else:
                                result = await tk.contacts.import_contacts(
                                    data, team, concurrency=4, idempotency_key=f"plain-{n}"
                                )
                                assert result.imported == args.rows
                            times.setdefault(f"{mode} {kind}", []).append(
                                time.perf_counter() - start
                            )
    finally:
        proc.send_signal(signal.SIGINT)
        await proc.communicate()
    print(f"{platform.python_version()}, {args.rows} rows, median of {args.repeats} rounds")
    for mode in ("create", "import"):
        plain = statistics.median(times[f"{mode} plain"])
        journal = statistics.median(times[f"{mode} journal"])
        spread = ", ".join(
            f"{p:.2f}/{j:.2f}"
            for p, j in zip(times[f"{mode} plain"], times[f"{mode} journal"], strict=True)
        )
        print(
            f"{mode:6}: plain {plain:.2f} s, journal {journal:.2f} s = {journal / plain:.2f}x "
            f"(rounds plain/journal: {spread})"
        )


async def cpu_overhead(n: int, repeats: int) -> None:
    body = b'{"success": true, "contact": {"id": "ct_1", "firstName": "A", "lastName": "B"}}'
    answer = Response(status=200, headers={"content-type": "application/json"}, body=body)
    data = rows(n, "comp_1", "team_1")
    times: dict[str, list[float]] = {"plain": [], "journal": []}
    async with Talkturo(api_key="tk_test_bench", transport=MockTransport(lambda r: answer)) as tk:
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(repeats):
                start = time.process_time()
                made = await tk.contacts.bulk_create(
                    data, concurrency=32, idempotency_key=f"p{r}"
                ).collect()
                assert len(made.succeeded) == n
                times["plain"].append(time.process_time() - start)
                start = time.process_time()
                report = await ContactImportJob(
                    tk, data, journal=Path(tmp) / f"{r}", team_id="team_1", company_id="comp_1",
                    concurrency=32,
                ).run()  # fmt: skip
                assert report.created == n
                times["journal"].append(time.process_time() - start)
    plain, journal = statistics.median(times["plain"]), statistics.median(times["journal"])
    print(
        f"create, MockTransport, CPU time: plain {plain:.3f} s, journal {journal:.3f} s "
        f"= {journal / plain:.2f}x"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    asyncio.run(main(options))
    asyncio.run(cpu_overhead(options.rows, max(options.repeats, 5)))
