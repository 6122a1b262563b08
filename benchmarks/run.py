"""Benchmarks: talkturo_async against raw aiohttp, same machine, same run; ratios, not absolute times.

Each scenario starts its own FakeTalkturo in a separate process (so the server does not share the
client's event loop), with 10 ms of latency per answer. Every timing is the median of --repeats
runs, SDK and raw aiohttp alternating. Run with ``nox -s bench``; record the printed table in
benchmarks/README.md.

    python benchmarks/run.py [--quick] [--repeats N] [--memory-rows N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp

from talkturo_async import Talkturo

LATENCY_MS = 10


class FakeProcess:
    """A FakeTalkturo served by ``python -m talkturo_async.testing`` in a child process."""

    def __init__(self, latency_ms: float = LATENCY_MS) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "talkturo_async.testing",
                "--port",
                "0",
                "--latency-ms",
                str(latency_ms),
                "--credits",
                "1e9",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        text = "".join(self.proc.stdout.readline() for _ in range(3))
        self.base_url = re.search(r"TALKTURO_BASE_URL=(\S+)", text).group(1)  # type: ignore[union-attr]
        self.api_key = re.search(r"TALKTURO_API_KEY=(\S+)", text).group(1)  # type: ignore[union-attr]
        self.team_id = re.search(r"team_id=(\w+)", text).group(1)  # type: ignore[union-attr]

    def __enter__(self) -> FakeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def headers(fake: FakeProcess) -> dict[str, str]:
    return {"Authorization": f"Bearer {fake.api_key}", "Accept": "application/json"}


async def raw_company(fake: FakeProcess) -> str:
    async with (
        aiohttp.ClientSession() as s,
        s.post(
            fake.base_url + "/crm/companies",
            json={"teamId": fake.team_id, "name": "Bench"},
            headers=headers(fake),
        ) as r,
    ):
        return str((await r.json())["company"]["id"])


def contact_rows(team: str, company: str, n: int, tag: str) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "team_id": team,
            "company_id": company,
            "first_name": f"{tag}{i}",
            "last_name": "Bench",
            "phone": f"+1415{i % 10_000_000:07d}",
        }


def wire(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "teamId": row["team_id"],
        "companyId": row["company_id"],
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "phone": row["phone"],
    }


async def timed(fn: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await fn()
    return time.perf_counter() - start


# -- scenario 1: bulk create ------------------------------------------------------------------


async def bench_bulk_create(
    rows: int, concurrency: int, seq_rows: int, repeats: int
) -> dict[str, Any]:
    with FakeProcess() as fake:
        company = await raw_company(fake)

        async def sdk() -> None:
            async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
                report = await tk.contacts.bulk_create(
                    contact_rows(fake.team_id, company, rows, "s"), concurrency=concurrency
                ).collect()
                assert report.ok and report.total == rows

        async def raw() -> None:
            sem = asyncio.Semaphore(concurrency)
            async with aiohttp.ClientSession() as s:

                async def post(row: dict[str, Any]) -> None:
                    async with (
                        sem,
                        s.post(
                            fake.base_url + "/crm/contacts",
                            json=wire(row),
                            headers={**headers(fake), "Idempotency-Key": str(uuid.uuid4())},
                        ) as r,
                    ):
                        assert r.status == 200
                        await r.json()

                await asyncio.gather(
                    *(post(row) for row in contact_rows(fake.team_id, company, rows, "r"))
                )

        async def sequential() -> None:
            async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
                for row in contact_rows(fake.team_id, company, seq_rows, "q"):
                    await tk.contacts.create(**row)

        sdk_t, raw_t = [], []
        for i in range(repeats):
            pair = [(sdk, sdk_t), (raw, raw_t)]
            for fn, out in pair if i % 2 == 0 else reversed(pair):
                out.append(await timed(fn))
        seq_t = await timed(sequential)
    sdk_m, raw_m = statistics.median(sdk_t), statistics.median(raw_t)
    seq_full = seq_t / seq_rows * rows
    return {
        "rows": rows,
        "concurrency": concurrency,
        "sdk_s": sdk_m,
        "raw_aiohttp_s": raw_m,
        "sdk_over_raw": sdk_m / raw_m,
        "sequential_rows_measured": seq_rows,
        "sequential_s_extrapolated": seq_full,
        "speedup_vs_sequential": seq_full / sdk_m,
        "sdk_runs": sdk_t,
        "raw_runs": raw_t,
    }


# -- scenario 2: listing ------------------------------------------------------------------------


async def bench_listing(records: int, page: int, repeats: int) -> dict[str, Any]:
    with FakeProcess() as fake:
        company = await raw_company(fake)
        async with aiohttp.ClientSession() as s:
            for start in range(0, records, 1000):
                body = {
                    "teamId": fake.team_id,
                    "contacts": [
                        {"firstName": f"L{i}", "lastName": "X", "companyId": company}
                        for i in range(start, min(records, start + 1000))
                    ],
                }
                async with s.post(
                    fake.base_url + "/crm/contacts/import", json=body, headers=headers(fake)
                ) as r:
                    assert (await r.json())["imported"] == len(body["contacts"])

        async def sdk(concurrency: int) -> None:
            async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
                n = 0
                async for _ in tk.contacts.list(
                    team_id=fake.team_id, limit=page, concurrency=concurrency
                ):
                    n += 1
                assert n == records

        async def raw_sequential() -> None:
            async with aiohttp.ClientSession() as s:
                offset, n = 0, 0
                while True:
                    params = {"teamId": fake.team_id, "limit": str(page), "offset": str(offset)}
                    async with s.get(
                        fake.base_url + "/crm/contacts", params=params, headers=headers(fake)
                    ) as r:
                        body = await r.json()
                    n += len(body["contacts"])
                    offset += len(body["contacts"])
                    if not body["contacts"] or offset >= body["count"]:
                        break
                assert n == records

        results: dict[str, list[float]] = {
            "sdk_c4": [],
            "sdk_c8": [],
            "sdk_sequential": [],
            "raw_sequential": [],
        }
        for _ in range(repeats):
            results["sdk_c4"].append(await timed(lambda: sdk(4)))
            results["sdk_c8"].append(await timed(lambda: sdk(8)))
            results["sdk_sequential"].append(await timed(lambda: sdk(1)))
            results["raw_sequential"].append(await timed(raw_sequential))
    med = {k: statistics.median(v) for k, v in results.items()}
    return {
        "records": records,
        "page": page,
        **{f"{k}_s": v for k, v in med.items()},
        "speedup_c4_vs_raw_sequential": med["raw_sequential"] / med["sdk_c4"],
        "speedup_c8_vs_raw_sequential": med["raw_sequential"] / med["sdk_c8"],
        "sdk_sequential_over_raw_sequential": med["sdk_sequential"] / med["raw_sequential"],
    }


# -- scenario 3: memory -------------------------------------------------------------------------

MEMORY_CHILD = """
import asyncio, json, resource, sys, time
from talkturo_async import Talkturo

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def current_rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20

async def main(base_url, key, team, company, rows, concurrency):
    def gen():
        for i in range(rows):
            yield {"team_id": team, "company_id": company, "first_name": f"M{i}", "last_name": "Mem", "phone": f"+1415{i % 10_000_000:07d}"}
    async with Talkturo(api_key=key, base_url=base_url) as tk:
        await tk.auth.test()
        baseline = current_rss_mb()
        start = time.perf_counter()
        ok = failed = 0
        sampled = baseline
        async for r in tk.contacts.bulk_create(gen(), concurrency=concurrency):
            if r.error is None:
                ok += 1
            else:
                failed += 1
            if (ok + failed) % 1000 == 0:
                sampled = max(sampled, current_rss_mb())
        elapsed = time.perf_counter() - start
    print(json.dumps({"baseline_mb": baseline, "peak_mb": max(sampled, current_rss_mb()), "maxrss_mb": rss_mb(), "ok": ok, "failed": failed, "elapsed_s": elapsed}))

asyncio.run(main(*sys.argv[1:5], int(sys.argv[5]), int(sys.argv[6])))
"""


async def bench_memory(rows: int, concurrency: int) -> dict[str, Any]:
    with FakeProcess(latency_ms=0) as fake:
        company = await raw_company(fake)
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            MEMORY_CHILD,
            fake.base_url,
            fake.api_key,
            fake.team_id,
            company,
            str(rows),
            str(concurrency),
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await proc.communicate()
    data: dict[str, Any] = json.loads(out)
    data["growth_mb"] = data["peak_mb"] - data["baseline_mb"]
    data["rows"] = rows
    assert data["ok"] == rows, data
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, to check the script runs"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-rows", type=int, default=200_000)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    rows, seq_rows, records, mem_rows = (5000, 300, 20_000, args.memory_rows)
    if args.quick:
        rows, seq_rows, records, mem_rows = 500, 50, 2000, 5000

    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
    }
    print(f"latency {LATENCY_MS} ms per answer; medians of {args.repeats} runs", flush=True)
    results["bulk_create"] = b = asyncio.run(bench_bulk_create(rows, 32, seq_rows, args.repeats))
    print(
        f"bulk_create {rows} rows @32: sdk {b['sdk_s']:.2f}s, raw aiohttp {b['raw_aiohttp_s']:.2f}s -> {b['sdk_over_raw']:.2f}x raw; "
        f"sequential ~{b['sequential_s_extrapolated']:.1f}s -> {b['speedup_vs_sequential']:.1f}x faster",
        flush=True,
    )
    results["listing"] = lst = asyncio.run(bench_listing(records, 100, args.repeats))
    print(
        f"list {records} in pages of 100: sdk c=4 {lst['sdk_c4_s']:.2f}s, c=8 {lst['sdk_c8_s']:.2f}s, sdk sequential {lst['sdk_sequential_s']:.2f}s, "
        f"raw sequential {lst['raw_sequential_s']:.2f}s -> {lst['speedup_c4_vs_raw_sequential']:.1f}x / {lst['speedup_c8_vs_raw_sequential']:.1f}x",
        flush=True,
    )
    results["memory"] = m = asyncio.run(bench_memory(mem_rows, 32))
    print(
        f"bulk_create over a {mem_rows}-row generator: RSS {m['baseline_mb']:.1f} MB after start-up, "
        f"peak {m['peak_mb']:.1f} MB (+{m['growth_mb']:.1f} MB; process high-water mark {m['maxrss_mb']:.1f} MB); "
        f"{m['elapsed_s']:.1f}s, {m['ok'] / m['elapsed_s']:.0f} rows/s",
        flush=True,
    )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096)) if resource.getrlimit(
        resource.RLIMIT_NOFILE
    )[0] < 4096 else None
    main()
