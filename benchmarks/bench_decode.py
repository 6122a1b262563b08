"""Decoding benchmark: 20,000 contacts in 200 pre-encoded pages of 100, on the path a user takes.

Contenders, alternated within one run (the order rotates every round), each timed over all
200 page bodies (``bytes``), in CPU time of the process (``time.process_time``: the machines are
shared, and CPU time leaves out the time other processes held the core), median of --repeats
rounds with the spread (min-max):

- ``json.loads``: the floor, decoding the bytes only.
- ``msgspec``: ``msgspec.json.decode(body, type=PageStruct)`` with a ``Contact`` Struct
  (timestamps as ``datetime``).
- ``pydantic``: ``json.loads`` + ``TypeAdapter(list[ContactModel]).validate_python(body["contacts"])``
  (pydantic v2, unknown keys allowed, timestamps as ``datetime``): the anchor of the goal.
- ``sdk list``: ``await tk.contacts.list(team_id=..., limit=100).to_list()`` with a
  ``MockTransport`` answering the pre-encoded bodies, so per-page overhead counts.
- ``sdk converter``: ``json.loads`` + ``structure(body["contacts"], list[Contact])``, the
  converter alone (the difference to ``sdk list`` is the per-page overhead).
- ``floor``: ``json.loads`` + a reader written for ``Contact`` that checks nothing: it reads
  every field by name and fills the slotted, frozen attrs model the way the converter's fast
  path does (``object.__new__`` and each slot's setter; ``datetime.fromisoformat`` for the
  timestamps). No tolerance at all, so it is not a usable
  decoder: it is the least pure Python pays for these models, and what the converter's checks
  and tolerance cost is the distance to it.

    python benchmarks/bench_decode.py [--repeats N] [--records N] [--profile]

Needs ``pydantic`` and ``msgspec`` (installed by ``nox -s bench``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import inspect
import io
import json
import platform
import pstats
import statistics
import sys
import time
import typing
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import msgspec
import pydantic

from talkturo_async import MockTransport, Response, Talkturo
from talkturo_async._converter import structure
from talkturo_async._timestamps import parse_timestamp
from talkturo_async.models import Contact

PAGE = 100
# CPU time of this process: everything measured here is CPU-bound in one thread, and on a shared
# machine CPU time does not count the time another process held the core (wall time does).
CLOCK = time.process_time
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)
TEAM = "team_bench"


def iso(n: int) -> str:
    """A distinct millisecond timestamp per ``n``, in the API's form."""
    moment = EPOCH + timedelta(seconds=n * 97, milliseconds=n % 1000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def contact_record(i: int) -> dict[str, Any]:
    """A contact as the API sends it on a list page (snake_case, every key present).

    Every record has its own timestamps; ``updated_at`` equals ``created_at`` on two records in
    three (never updated), as the API and the fake server answer.
    """
    created = iso(i)
    return {
        "id": f"ct_{i:08x}",
        "team_id": TEAM,
        "company_id": f"co_{i % 50:04d}",
        "first_name": f"First{i}",
        "last_name": "Bench",
        "email": f"user{i}@example.com",
        "phone": f"+1415{i % 10_000_000:07d}",
        "phone_secondary": None,
        "job_title": "Buyer" if i % 3 else None,
        "lead_status": "new",
        "source": "import",
        "timezone": "America/New_York",
        "preferred_contact_method": None,
        "do_not_call": i % 10 == 0,
        "last_contacted_at": iso(i + 500_000) if i % 2 else None,
        "notes": None,
        "custom_fields": {"score": i % 100, "plan": "pro"},
        "tags": ["lead", "q4"] if i % 4 else [],
        "created_at": created,
        "updated_at": created if i % 3 else iso(i + 1_000_000),
        "created_by": "acct_1",
        "updated_by": "acct_1",
        "company": {"id": f"co_{i % 50:04d}", "name": f"Company {i % 50}"},
    }


def page_bodies(records: int) -> list[bytes]:
    return [
        json.dumps(
            {
                "success": True,
                "contacts": [contact_record(i) for i in range(start, min(records, start + PAGE))],
                "count": records,
                "limit": PAGE,
                "offset": start,
            }
        ).encode()
        for start in range(0, records, PAGE)
    ]


# -- the anchors' models: the same fields, optional, unknown keys kept ---------------------------


class ContactModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    id: str | None = None
    team_id: str | None = None
    company_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_secondary: str | None = None
    job_title: str | None = None
    lead_status: str | None = None
    source: str | None = None
    timezone: str | None = None
    preferred_contact_method: str | None = None
    do_not_call: bool | None = None
    last_contacted_at: datetime | None = None
    notes: str | None = None
    custom_fields: dict[str, Any] | None = None
    tags: list[str] | None = None
    company: dict[str, Any] | None = None
    activities: list[Any] | None = None
    opportunities: list[Any] | None = None
    campaign_history: list[Any] | None = None
    campaign_enrollment: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None


class ContactStruct(msgspec.Struct):
    id: str | None = None
    team_id: str | None = None
    company_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_secondary: str | None = None
    job_title: str | None = None
    lead_status: str | None = None
    source: str | None = None
    timezone: str | None = None
    preferred_contact_method: str | None = None
    do_not_call: bool | None = None
    last_contacted_at: datetime | None = None
    notes: str | None = None
    custom_fields: dict[str, Any] | None = None
    tags: list[str] | None = None
    company: dict[str, Any] | None = None
    activities: list[Any] | None = None
    opportunities: list[Any] | None = None
    campaign_history: list[Any] | None = None
    campaign_enrollment: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None


class PageStruct(msgspec.Struct):
    contacts: list[ContactStruct]
    count: int
    limit: int
    offset: int
    success: bool = True


# -- the floor: no checks, no tolerance ----------------------------------------------------------

TIMESTAMPS = ("created_at", "updated_at", "last_contacted_at")


def unchecked_reader(
    model: type[Any], nested: dict[str, Callable[[Any], Any]]
) -> Callable[..., Any]:
    """A reader for ``model`` that only copies: ``object.__new__`` and one slot setter per field.

    ``nested`` maps a field to the reader of its (non-null) value; timestamps go through
    ``datetime.fromisoformat`` (``parse_timestamp`` on Python 3.10, which rejects ``Z``).
    """
    names = [f.name for f in attrs.fields(model)]
    parse = datetime.fromisoformat if sys.version_info >= (3, 11) else parse_timestamp
    env: dict[str, Any] = {"new": object.__new__, "model": model, "parse": parse, **nested}
    lines = ["def read(d):", "    g = d.get", "    o = new(model)"]
    for i, name in enumerate(names):
        env[f"set_{i}"] = inspect.getattr_static(model, name).__set__
        if name == "extra":
            lines.append(f"    set_{i}(o, {{}})")
        elif name in TIMESTAMPS or name in nested:
            how = "parse" if name in TIMESTAMPS else name
            lines += [f"    v = g({name!r})", f"    set_{i}(o, None if v is None else {how}(v))"]
        else:
            lines.append(f"    set_{i}(o, g({name!r}))")
    lines.append("    return o")
    exec("\n".join(lines), env)  # benchmark-only code, built from the model's own fields
    return typing.cast("Callable[..., Any]", env["read"])


# -- contenders ---------------------------------------------------------------------------------


def contenders(pages: list[bytes], records: int) -> dict[str, Callable[[], int]]:
    adapter = pydantic.TypeAdapter(list[ContactModel])
    decoder = msgspec.json.Decoder(PageStruct)
    responses = [
        Response(status=200, headers={"content-type": "application/json"}, body=b) for b in pages
    ]

    def handler(request: Any) -> Response:
        # Not request.url.query: yarl's query parsing would cost more than the SDK's page path.
        qs = request.url.raw_query_string
        return responses[int(qs[qs.index("offset=") + 7 :].partition("&")[0]) // PAGE]

    # Every contender keeps all it decoded until the end, as ``to_list()`` does: the garbage
    # collector's work grows with what is kept alive, and it is part of the cost.
    def json_only() -> int:
        return len([c for b in pages for c in json.loads(b)["contacts"]])

    def msgspec_decode() -> int:
        return len([c for b in pages for c in decoder.decode(b).contacts])

    def pydantic_validate() -> int:
        return len([c for b in pages for c in adapter.validate_python(json.loads(b)["contacts"])])

    def sdk_converter() -> int:
        return len([c for b in pages for c in structure(json.loads(b)["contacts"], list[Contact])])

    floor_reader = unchecked_reader(Contact, {})
    first = json.loads(pages[0])["contacts"]
    assert [floor_reader(c) for c in first] == structure(first, list[Contact]), "not like for like"

    def floor() -> int:
        return len([floor_reader(c) for b in pages for c in json.loads(b)["contacts"]])

    def sdk_list() -> int:
        async def run() -> int:
            tk = Talkturo(
                "tk_test_bench", base_url="http://127.0.0.1:1", transport=MockTransport(handler)
            )
            async with tk:
                return len(await tk.contacts.list(team_id=TEAM, limit=PAGE).to_list())

        return asyncio.run(run())

    return {
        "json.loads": json_only,
        "msgspec": msgspec_decode,
        "pydantic": pydantic_validate,
        "sdk list": sdk_list,
        "sdk converter": sdk_converter,
        "floor": floor,
    }


def measure(
    fns: dict[str, Callable[[], int]], records: int, repeats: int
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in fns}
    names = list(fns)
    for fn in fns.values():  # warm up: build hooks, fill caches
        assert fn() == records
    for r in range(repeats):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            gc.collect()
            start = CLOCK()
            n = fns[name]()
            times[name].append(CLOCK() - start)
            assert n == records, (name, n)
    return times


def report(times: dict[str, list[float]]) -> None:
    """Median, min-max, and the ratio to pydantic (median, and min-max of the per-round ratios)."""
    anchor = statistics.median(times["pydantic"])
    print(f"{'contender':<15} {'median':>9} {'min-max':>15} {'x pydantic':>11} {'per round':>12}")
    for name, ts in times.items():
        med = statistics.median(ts)
        ratios = [t / p for t, p in zip(ts, times["pydantic"], strict=True)]
        spread = f"{min(ts) * 1e3:.0f}-{max(ts) * 1e3:.0f} ms"
        print(
            f"{name:<15} {med * 1e3:6.1f} ms {spread:>15} {med / anchor:10.2f}x "
            f"{min(ratios):5.2f}-{max(ratios):.2f}x"
        )


def profile(fn: Callable[[], int], top: int) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the sdk list path")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    pages = page_bodies(args.records)
    fns = contenders(pages, args.records)
    print(
        f"{args.records} contacts in {len(pages)} pages of {PAGE}; Python {platform.python_version()}, "
        f"pydantic {pydantic.VERSION}, msgspec {msgspec.__version__}; medians of {args.repeats}",
        flush=True,
    )
    if args.profile:
        fns["sdk list"]()
        profile(fns["sdk list"], args.top)
        return
    report(measure(fns, args.records, args.repeats))


if __name__ == "__main__":
    sys.exit(main())
