"""The fake's admin API (``/__admin/...`` on the fake's own port); its client is ``FakeAdmin``.

A test in one process drives a fake that an app in another process talks to: seed records, script
failures, read the request log and webhook deliveries, change knobs, reset. The admin API needs no
API key and answers only requests from a loopback address (``127.0.0.0/8``, ``::1``); from anywhere
else it answers ``403``, even when the fake is bound to a public address.

=========  ==============================  =====================================================
Method     Path (under ``/__admin``)       Does
=========  ==============================  =====================================================
GET        ``/info``                       base URL, API key, team id, account slug, keys
POST       ``/seed``                       store seed data (see ``_seeding``); the records made
POST       ``/call``                       run one route's rule without HTTP (``fake.state.call``)
POST       ``/fail_next``                  script failures (the arguments of ``fail_next``)
GET        ``/scripts``                    scripted failures not used up yet
GET/DELETE ``/requests``                   the request log / clear it
GET        ``/records/{kind}``             ``contacts``, ``companies``, ``calls``, ...
GET/PATCH  ``/settings``                   latency, faults, rate limit, idempotency, credits
POST       ``/reset``                      back to the state at start, empty log, no scripts
GET        ``/webhooks``                   webhook deliveries so far
POST       ``/webhooks/flush``             wait until queued webhooks are delivered
POST       ``/billing_events``             send a signed billing event
=========  ==============================  =====================================================
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import attrs
from aiohttp import web

from ._http import LoggedRequest
from ._seeding import apply_seed
from ._store import JSON, FakeHTTPError

if TYPE_CHECKING:
    from ._server import FakeTalkturo

__all__ = ["ADMIN_PREFIX", "add_admin_routes"]

ADMIN_PREFIX = "/__admin"

#: The knobs ``PATCH /__admin/settings`` may change while the fake runs, with their types.
SETTINGS: dict[str, Callable[[Any], Any]] = {
    "latency": float,
    "jitter": float,
    "error_rate": float,
    "error_statuses": lambda v: tuple(int(s) for s in v),
    "html_error_rate": float,
    "reset_rate": float,
    "after_commit_failure_rate": float,
    "slow_body": float,
    "rate_limit_per_hour": lambda v: None if v is None else int(v),
    "rate_limit_window": float,
    "idempotency": bool,
    "credits": float,
}

FAIL_NEXT_FIELDS = (
    "count",
    "status",
    "method",
    "path",
    "html",
    "retry_after",
    "after_commit",
    "reset",
    "reset_mid_body",
)

Handler = Callable[["FakeTalkturo", web.Request], Awaitable[Any]]


def _is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote.split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _logged_to_json(request: LoggedRequest) -> JSON:
    return attrs.asdict(request)


async def _body_of(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    data = await request.json()
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return cast("dict[str, Any]", data)


async def _info(fake: FakeTalkturo, request: web.Request) -> JSON:
    return fake.info()


async def _seed(fake: FakeTalkturo, request: web.Request) -> JSON:
    return {"created": apply_seed(fake.state, await _body_of(request))}


async def _call(fake: FakeTalkturo, request: web.Request) -> JSON:
    data = await _body_of(request)
    answer = fake.state.call(
        str(data["method"]).upper(),
        str(data["path"]),
        query=data.get("query"),
        body=data.get("body"),
    )
    return {"answer": answer}


async def _fail_next(fake: FakeTalkturo, request: web.Request) -> JSON:
    data = await _body_of(request)
    unknown = set(data) - set(FAIL_NEXT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fail_next fields: {', '.join(sorted(unknown))}")
    fake.fail_next(**data)
    return {"pending": fake.pending_failures()}


async def _scripts(fake: FakeTalkturo, request: web.Request) -> JSON:
    return {"pending": fake.pending_failures()}


async def _requests(fake: FakeTalkturo, request: web.Request) -> JSON:
    return {"requests": [_logged_to_json(r) for r in fake.requests]}


async def _clear_requests(fake: FakeTalkturo, request: web.Request) -> JSON:
    fake.requests.clear()
    return {}


async def _records(fake: FakeTalkturo, request: web.Request) -> JSON:
    kind = request.match_info["kind"]
    table = getattr(fake.state.store, kind, None) if not kind.startswith("_") else None
    if not isinstance(table, (dict, list)):
        raise FakeHTTPError(404, f"no records of kind {kind!r}")
    return {"records": table}


async def _settings(fake: FakeTalkturo, request: web.Request) -> JSON:
    if request.method == "PATCH":
        data = await _body_of(request)
        unknown = set(data) - set(SETTINGS)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        for name, value in data.items():
            setattr(fake, name, SETTINGS[name](value))
    return {name: getattr(fake, name) for name in SETTINGS}


async def _reset(fake: FakeTalkturo, request: web.Request) -> JSON:
    fake.reset()
    return {}


async def _webhooks(fake: FakeTalkturo, request: web.Request) -> JSON:
    return {"deliveries": [attrs.asdict(d) for d in fake.webhook_deliveries]}


async def _flush(fake: FakeTalkturo, request: web.Request) -> JSON:
    data = await _body_of(request)
    try:
        await fake.flush_webhooks(float(data.get("timeout", 30.0)))
    except asyncio.TimeoutError:
        raise FakeHTTPError(504, "webhooks still undelivered at the timeout") from None
    return {}


async def _billing_events(fake: FakeTalkturo, request: web.Request) -> JSON:
    data = await _body_of(request)
    try:
        ident = fake.send_billing_event(str(data["event_name"]), data.get("data"))
    except RuntimeError as exc:
        raise FakeHTTPError(409, str(exc)) from None
    return {"id": ident}


#: The admin API as data: method, path under ``ADMIN_PREFIX``, handler.
ADMIN_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/info", _info),
    ("POST", "/seed", _seed),
    ("POST", "/call", _call),
    ("POST", "/fail_next", _fail_next),
    ("GET", "/scripts", _scripts),
    ("GET", "/requests", _requests),
    ("DELETE", "/requests", _clear_requests),
    ("GET", "/records/{kind}", _records),
    ("GET", "/settings", _settings),
    ("PATCH", "/settings", _settings),
    ("POST", "/reset", _reset),
    ("GET", "/webhooks", _webhooks),
    ("POST", "/webhooks/flush", _flush),
    ("POST", "/billing_events", _billing_events),
]


def _endpoint(
    fake: FakeTalkturo, handler: Handler
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """``handler`` for loopback clients only, its answer or error as JSON."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        if not _is_loopback(request.remote):
            return web.json_response(
                {"error": "the admin API answers loopback clients only"}, status=403
            )
        try:
            return web.json_response(await handler(fake, request))
        except FakeHTTPError as exc:
            return web.json_response(exc.body, status=exc.status)
        except (ValueError, TypeError, KeyError) as exc:
            return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)

    return wrapped


def add_admin_routes(app: web.Application, fake: FakeTalkturo) -> None:
    """Serve the admin API of ``fake`` on ``app`` under ``/__admin``."""
    for method, path, handler in ADMIN_ROUTES:
        app.router.add_route(method, ADMIN_PREFIX + path, _endpoint(fake, handler))
