"""Per-request overhead: talkturo_async against raw aiohttp, same server, same run.

A minimal aiohttp server runs in a child process (no latency, pre-encoded answers). Each round
sends --requests requests at --concurrency (an ``asyncio.Semaphore`` around a ``gather``, for both
contenders) of:

- ``get``: one campaign. SDK: ``await tk.campaigns.get(cid)`` (a ``Campaign`` model); raw:
  ``session.get(url, headers=...)`` then ``await resp.json()``.
- ``post``: create one contact. SDK: ``await tk.contacts.create(...)`` (a ``Contact``); raw:
  ``session.post(url, json=..., headers=...)`` with an ``Idempotency-Key`` as the SDK sends, then
  ``await resp.json()``.

Contenders alternate (the order flips every round); each figure is the median of --repeats
rounds with its spread. Two clocks: wall time (requests per second, what a user sees; it also
counts the server, which shares the machine) and the client process's CPU time per request
(``time.process_time``, steadier on a shared machine: it leaves out the server and other processes).

    python benchmarks/bench_requests.py [--repeats N] [--requests N] [--concurrency N]
    python benchmarks/bench_requests.py --profile get|post   # cProfile one SDK round
    python benchmarks/bench_requests.py --budget             # each SDK step timed alone
    python benchmarks/bench_requests.py --against ../old     # also an older checkout's SDK

``--against DIR`` loads the ``talkturo_async`` package of another checkout (copied under the
name ``talkturo_async_old``) into the same process and adds its ``old get``/``old post`` as
contenders, so a change is measured against its base in the same rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import platform
import pstats
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp

from talkturo_async import Talkturo

API_KEY = "tk_test_bench"
CAMPAIGN_ID = "camp_0001"

SERVER = r"""
import json, sys
from aiohttp import web

campaign = json.loads(sys.argv[1])
contact = json.loads(sys.argv[2])
get_body = json.dumps({"success": True, "campaign": campaign}).encode()
post_body = json.dumps({"success": True, "contact": contact}).encode()

async def get_campaign(request):
    return web.Response(body=get_body, content_type="application/json")

async def create_contact(request):
    await request.read()
    return web.Response(body=post_body, content_type="application/json")

app = web.Application()
app.router.add_get("/api/crm/campaigns/{id}", get_campaign)
app.router.add_post("/api/crm/contacts", create_contact)

async def main():
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = runner.addresses[0][1]
    print(port, flush=True)
    await asyncio.Event().wait()

import asyncio
asyncio.run(main())
"""

CAMPAIGN = {
    "id": CAMPAIGN_ID,
    "team_id": "team_1",
    "assistant_id": "asst_1",
    "company_id": "co_1",
    "name": "Q4 outreach",
    "description": "Follow up on the webinar leads",
    "from_number": "+14155550100",
    "status": "running",
    "scheduled_start_at": "2026-11-25T09:00:00.000Z",
    "started_at": "2026-11-25T09:00:03.120Z",
    "completed_at": None,
    "call_window_start": "09:00",
    "call_window_end": "17:00",
    "call_window_timezone": "America/New_York",
    "max_concurrent_calls": 5,
    "max_attempts_per_contact": 3,
    "retry_delay_minutes": 60,
    "total_contacts": 120,
    "contacts_called": 40,
    "contacts_completed": 31,
    "contacts_answered": 22,
    "settings": {"voicemail": "hang_up"},
    "created_at": "2026-11-20T14:02:11.000Z",
    "updated_at": "2026-11-25T09:00:03.120Z",
}
CONTACT = {
    "id": "ct_0001",
    "team_id": "team_1",
    "company_id": "co_1",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": None,
    "phone": "+14155550187",
    "phone_secondary": None,
    "job_title": None,
    "lead_status": "new",
    "source": None,
    "timezone": None,
    "preferred_contact_method": None,
    "do_not_call": False,
    "last_contacted_at": None,
    "notes": None,
    "custom_fields": None,
    "tags": None,
    "created_at": "2026-11-25T10:20:30.123Z",
    "updated_at": "2026-11-25T10:20:30.123Z",
    "created_by": "acct_1",
    "updated_by": "acct_1",
}
ROW = {"teamId": "team_1", "companyId": "co_1", "firstName": "Ada", "lastName": "Lovelace"}


class Server:
    """The minimal server, in a child process."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, json.dumps(CAMPAIGN), json.dumps(CONTACT)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.base_url = f"http://127.0.0.1:{int(self.proc.stdout.readline())}/api"

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def load_old(checkout: str) -> Any:
    """The ``talkturo_async`` package of ``checkout``, imported as ``talkturo_async_old``."""
    import importlib
    import shutil
    import tempfile
    from pathlib import Path

    where = Path(tempfile.mkdtemp(prefix="bench-old-"))
    shutil.copytree(Path(checkout) / "talkturo_async", where / "talkturo_async_old")
    sys.path.insert(0, str(where))
    return importlib.import_module("talkturo_async_old")


def contenders(
    base_url: str, n: int, concurrency: int, old: Any = None
) -> dict[str, Callable[[], Coroutine[Any, Any, Any]]]:
    auth = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}

    async def fan_out(one: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        sem = asyncio.Semaphore(concurrency)

        async def guarded() -> None:
            async with sem:
                await one()

        await asyncio.gather(*(guarded() for _ in range(n)))

    async def raw_get() -> None:
        async with aiohttp.ClientSession() as s:

            async def one() -> None:
                async with s.get(f"{base_url}/crm/campaigns/{CAMPAIGN_ID}", headers=auth) as r:
                    assert r.status == 200
                    await r.json()

            await fan_out(one)

    async def sdk_get(client: type[Talkturo] = Talkturo) -> None:
        async with client(API_KEY, base_url=base_url) as tk:

            async def one() -> None:
                await tk.campaigns.get(CAMPAIGN_ID)

            await fan_out(one)

    async def raw_post() -> None:
        async with aiohttp.ClientSession() as s:

            async def one() -> None:
                headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
                async with s.post(f"{base_url}/crm/contacts", json=ROW, headers=headers) as r:
                    assert r.status == 200
                    await r.json()

            await fan_out(one)

    async def sdk_post(client: type[Talkturo] = Talkturo) -> None:
        async with client(API_KEY, base_url=base_url) as tk:

            async def one() -> None:
                await tk.contacts.create(
                    team_id="team_1", company_id="co_1", first_name="Ada", last_name="Lovelace"
                )

            await fan_out(one)

    fns: dict[str, Callable[[], Coroutine[Any, Any, Any]]] = {
        "raw get": raw_get,
        "sdk get": sdk_get,
        "raw post": raw_post,
        "sdk post": sdk_post,
    }
    if old is not None:
        fns["old get"] = lambda: sdk_get(old.Talkturo)
        fns["old post"] = lambda: sdk_post(old.Talkturo)
    return fns


async def measure(
    fns: dict[str, Callable[[], Coroutine[Any, Any, Any]]], repeats: int
) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for fn in fns.values():  # warm up: imports, hooks, connections to the server
        await fn()
    for r in range(repeats):
        for kind in ("get", "post"):
            group = [name for name in fns if name.endswith(kind)]
            shift = r % len(group)  # the order rotates every round
            for name in group[shift:] + group[:shift]:
                wall, cpu = time.perf_counter(), time.process_time()
                await fns[name]()
                out[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return out


def report(times: dict[str, list[tuple[float, float]]], n: int) -> None:
    """Medians (min-max) per contender, and its ratios to raw aiohttp.

    ``x raw`` is the ratio of the medians; ``per round`` is the median (min-max) of the ratios
    within each round, where the contenders ran back to back (steadier under a changing load).
    """
    print(
        f"{'contender':<9} {'req/s median (min-max)':>24} {'x raw time':>10} "
        f"{'per round':>17} {'CPU us/req median (min-max)':>28} {'x raw CPU':>9} {'per round':>17}"
    )
    for name, runs in times.items():
        raw = times["raw " + name.split()[1]]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        wall_ratios = [w / rw for (w, _), (rw, _) in zip(runs, raw, strict=True)]
        cpu_ratios = [c / rc for (_, c), (_, rc) in zip(runs, raw, strict=True)]
        raw_wall = statistics.median(w for w, _ in raw)
        raw_cpu = statistics.median(c for _, c in raw)
        rps = f"{n / statistics.median(walls):,.0f} ({n / max(walls):,.0f}-{n / min(walls):,.0f})"
        us = f"{statistics.median(cpus) / n * 1e6:.0f} ({min(cpus) / n * 1e6:.0f}-{max(cpus) / n * 1e6:.0f})"
        print(
            f"{name:<9} {rps:>24} {statistics.median(walls) / raw_wall:9.2f}x "
            f"{_spread(wall_ratios):>17} {us:>28} {statistics.median(cpus) / raw_cpu:8.2f}x "
            f"{_spread(cpu_ratios):>17}"
        )


def _spread(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"


def budget(number: int = 20_000) -> None:
    """Where the SDK's own microseconds go per request: each pipeline step timed alone."""
    import timeit

    import attrs
    from yarl import URL

    from talkturo_async import MockTransport, Response
    from talkturo_async._converter import structure
    from talkturo_async._ratelimit import PauseGate, passes_at_once
    from talkturo_async._variants import Envelope
    from talkturo_async._wire import (
        build_request,
        decode_response,
        new_idempotency_key,
        request_headers,
        url_text,
    )
    from talkturo_async.models import Campaign

    base = URL("http://127.0.0.1:8080/api/")
    body = json.dumps({"success": True, "campaign": CAMPAIGN}).encode()
    hdrs = {"Content-Type": "application/json; charset=utf-8", "Content-Length": str(len(body))}
    response = Response(status=200, headers=hdrs, body=body)
    data = json.loads(body)
    request = build_request("GET", base, f"crm/campaigns/{CAMPAIGN_ID}", headers=dict(hdrs))
    tk = Talkturo(API_KEY, base_url=str(base), transport=MockTransport(lambda r: response))
    url = str(base) + f"crm/campaigns/{CAMPAIGN_ID}"
    campaign = Envelope("campaign")
    gate = PauseGate()
    steps: dict[str, Callable[[], Any]] = {
        "request_headers (GET)": lambda: request_headers("GET", tk._auth, {}, None),
        "request_headers + new key (POST)": lambda: request_headers("POST", tk._auth, {}, None),
        "  str(uuid.uuid4()) (before #15)": lambda: str(uuid.uuid4()),
        "  new_idempotency_key()": new_idempotency_key,
        "build_request: URL join (GET)": lambda: build_request(
            "GET", base, f"crm/campaigns/{CAMPAIGN_ID}", headers=hdrs
        ),
        "build_request + json body (POST)": lambda: build_request(
            "POST", base, "crm/contacts", headers=hdrs, json_body=ROW
        ),
        "url_text(url) (errors/logs/raw only)": lambda: url_text(request.url),
        "attrs.evolve(request, timeout=) (deadline)": lambda: attrs.evolve(request, timeout=60.0),
        "aiohttp.ClientTimeout(total=) (new value)": lambda: aiohttp.ClientTimeout(total=60.0),
        "passes_at_once(PauseGate())": lambda: passes_at_once(gate),
        "Response(...) (lower-cases headers)": lambda: Response(
            status=200, headers=hdrs, body=body
        ),
        "decode_response (json.loads)": lambda: decode_response(response, method="GET", url=url),
        "json.loads alone": lambda: json.loads(body),
        "Envelope.payload + structure(Campaign)": lambda: structure(
            campaign.payload(data), Campaign
        ),
        "raw aiohttp: URL(str) parse": lambda: URL(url),
    }
    print(f"{'step':<42} {'us':>6}")
    for name, fn in steps.items():
        best = min(timeit.repeat(fn, number=number // 10, repeat=5)) / (number // 10)
        print(f"{name:<42} {best * 1e6:6.2f}")

    async def whole(n: int) -> float:
        start = time.process_time()
        for _ in range(n):
            await tk.campaigns.get(CAMPAIGN_ID)
        return (time.process_time() - start) / n

    async def runs() -> list[float]:
        return [await whole(number // 10) for _ in range(5)]

    print(
        f"{'whole tk.campaigns.get over MockTransport':<42} {min(asyncio.run(runs())) * 1e6:6.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--profile", choices=["get", "post"], help="cProfile one SDK round")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--against", metavar="DIR", help="also time another checkout's SDK")
    parser.add_argument(
        "--budget", action="store_true", help="time each SDK pipeline step alone (no server)"
    )
    args = parser.parse_args()
    if args.budget:
        budget()
        return
    print(
        f"{args.requests} requests at concurrency {args.concurrency}; Python "
        f"{platform.python_version()}, aiohttp {aiohttp.__version__}; medians of {args.repeats}",
        flush=True,
    )
    with Server() as server:
        old = load_old(args.against) if args.against else None
        fns = contenders(server.base_url, args.requests, args.concurrency, old)
        if args.profile:
            fn = fns[f"sdk {args.profile}"]
            asyncio.run(fn())
            prof = cProfile.Profile()
            prof.enable()
            asyncio.run(fn())
            prof.disable()
            text = io.StringIO()
            pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(args.top)
            print(text.getvalue())
            return
        report(asyncio.run(measure(fns, args.repeats)), args.requests)


if __name__ == "__main__":
    main()
