"""Four worker processes sharing one API key's budget: Redis limiter vs per-process split vs none.

The fake Talkturo (in this process) allows ``--limit`` requests per ``--window`` seconds per key
(a sliding window, ``429`` with ``Retry-After`` beyond it). Each mode starts a fresh fake and
``--workers`` worker processes that all start at the same instant and call ``auth.test()`` as fast
as they can (``--concurrency`` tasks each) for ``--duration`` seconds, on one key:

- ``redis``: ``RedisRateLimiter(limit, window)`` shared by all workers;
- ``split``: ``TokenBucket(limit / workers, per=window, burst=1)`` in each worker;
- ``none``: the default client (it only honours ``Retry-After`` pauses).

With ``--uneven``, every second worker runs out of work after a third of the run (the case where
a per-process split leaves budget idle).

Reported per mode: requests the fake answered ``200``, ``429``s, utilisation (answered / the most
the budget allows in the run: ``limit * ceil(duration / window)``) and the spread between workers.
Needs ``redis-server`` on PATH (or ``--redis-url``)::

    python benchmarks/bench_shared_budget.py [--duration 30] [--limit 300] [--window 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

from talkturo_async import RateLimitError, RetryPolicy, Talkturo, TokenBucket
from talkturo_async.testing import FakeTalkturo

MODES = ("redis", "split", "none")


async def worker(args: argparse.Namespace) -> None:
    """One worker process: hammer the fake until the deadline, print counts as JSON."""
    limiter: Any = None
    if args.mode == "redis":
        from talkturo_async.redis import RedisRateLimiter

        limiter = RedisRateLimiter.from_url(
            args.redis_url, args.limit, args.window, name="bench-key"
        )
    elif args.mode == "split":
        limiter = TokenBucket(args.limit / args.workers, per=args.window, burst=1)
    ok = limited = 0
    # No retries: every attempt is counted here, and a 429's Retry-After still pauses the client.
    async with Talkturo(
        api_key=args.api_key,
        base_url=args.base_url,
        rate_limit=limiter,
        retry_policy=RetryPolicy(max_retries=0),
    ) as tk:
        await asyncio.sleep(max(0.0, args.start - time.time()))
        end = args.start + args.duration
        if args.uneven and args.index % 2:
            end = args.start + args.duration / 3  # this worker runs out of work early

        async def loop() -> None:
            nonlocal ok, limited
            while time.time() < end:
                try:
                    await tk.auth.test()
                except RateLimitError:
                    limited += 1
                else:
                    ok += 1 if time.time() <= end else 0

        await asyncio.gather(*(loop() for _ in range(args.concurrency)))
    if limiter is not None and hasattr(limiter, "aclose"):
        await limiter.aclose()
    print(json.dumps({"ok": ok, "limited": limited}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_redis() -> tuple[subprocess.Popen[bytes], str, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not on PATH (apt-get install redis-server), or pass --redis-url")
    port, workdir = free_port(), tempfile.mkdtemp(prefix="bench-redis-")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", workdir],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(8).startswith(b"+PONG"):
                    return proc, f"redis://127.0.0.1:{port}/0", workdir
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("redis-server did not start")


async def run_mode(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    async with FakeTalkturo(
        seed=1, rate_limit_per_hour=args.limit, rate_limit_window=args.window
    ) as fake:
        start = time.time() + 3.0  # every worker imported and connected by then
        common = [
            "--mode", mode, "--api-key", fake.api_key, "--base-url", fake.base_url,
            "--redis-url", args.redis_url, "--start", str(start), "--duration", str(args.duration),
            "--limit", str(args.limit), "--window", str(args.window),
            "--workers", str(args.workers), "--concurrency", str(args.concurrency),
        ]  # fmt: skip
        if args.uneven:
            common.append("--uneven")
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--worker",
                "--index",
                str(i),
                *common,
                stdout=asyncio.subprocess.PIPE,
            )
            for i in range(args.workers)
        ]
        outputs = [json.loads((await p.communicate())[0]) for p in procs]
        statuses = [r.status for r in fake.requests]
    allowed = args.limit * math.ceil(args.duration / args.window)
    per_worker = [o["ok"] for o in outputs]
    return {
        "mode": mode,
        "answered": sum(per_worker),
        "server_200": statuses.count(200),
        "server_429": statuses.count(429),
        "workers_429": sum(o["limited"] for o in outputs),
        "utilisation": sum(per_worker) / allowed,
        "per_worker": per_worker,
        "spread": (max(per_worker) - min(per_worker)) / max(1, max(per_worker)),
    }


async def main(args: argparse.Namespace) -> list[dict[str, Any]]:
    redis_proc = None
    if args.redis_url is None:
        redis_proc, args.redis_url, _ = start_redis()
    try:
        load = os.getloadavg()
        results = [await run_mode(mode, args) for mode in args.modes]
    finally:
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait()
    allowed = args.limit * math.ceil(args.duration / args.window)
    print(
        f"\n{args.workers} workers x {args.concurrency} tasks, {args.duration:g} s, budget "
        f"{args.limit} per {args.window:g} s (at most {allowed} answered)"
        f"{', every second worker idle after a third' if args.uneven else ''}; "
        f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} CPUs\n"
    )
    print("| Mode | Answered 200 | 429s | Utilisation | Per worker | Spread |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['mode']} | {r['answered']} | {r['server_429']} | {r['utilisation']:.1%} | "
            f"{' / '.join(map(str, r['per_worker']))} | {r['spread']:.1%} |"
        )
    return results


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8, help="tasks per worker")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--redis-url", help="use this Redis instead of starting redis-server")
    parser.add_argument("--uneven", action="store_true", help="half the workers stop early")
    parser.add_argument("--json", help="also write the results here")
    # Internal: the worker processes.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--api-key", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse()
    if arguments.worker:
        asyncio.run(worker(arguments))
    else:
        figures = asyncio.run(main(arguments))
        if arguments.json:
            with open(arguments.json, "w") as f:
                json.dump(figures, f, indent=2)
