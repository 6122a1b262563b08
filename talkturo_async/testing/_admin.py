"""The fake's admin API (``/__admin/...`` on the fake's own port) and :class:`FakeAdmin`, its client.

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
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs
from aiohttp import web

from ._http import LoggedRequest
from ._requestlog import assert_called, matching
from ._seeding import apply_seed
from ._store import JSON, FakeHTTPError
from ._webhooks import WebhookDelivery

if TYPE_CHECKING:
    from ._server import FakeTalkturo

__all__ = ["ADMIN_PREFIX", "FakeAdmin", "add_admin_routes"]

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

Handler = Callable[[web.Request], Awaitable[Any]]


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


def add_admin_routes(app: web.Application, fake: FakeTalkturo) -> None:
    """Serve the admin API of ``fake`` on ``app`` under ``/__admin``."""

    def endpoint(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            if not _is_loopback(request.remote):
                return web.json_response(
                    {"error": "the admin API answers loopback clients only"}, status=403
                )
            try:
                return web.json_response(await handler(request))
            except FakeHTTPError as exc:
                return web.json_response(exc.body, status=exc.status)
            except (ValueError, TypeError, KeyError) as exc:
                return web.json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)

        return wrapped

    async def body_of(request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        data = await request.json()
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data

    async def info(request: web.Request) -> JSON:
        return fake.describe()

    async def seed(request: web.Request) -> JSON:
        return {"created": apply_seed(fake.state, await body_of(request))}

    async def call(request: web.Request) -> JSON:
        data = await body_of(request)
        answer = fake.state.call(
            str(data["method"]).upper(),
            str(data["path"]),
            query=data.get("query"),
            body=data.get("body"),
        )
        return {"answer": answer}

    async def fail_next(request: web.Request) -> JSON:
        data = await body_of(request)
        unknown = set(data) - set(FAIL_NEXT_FIELDS)
        if unknown:
            raise ValueError(f"unknown fail_next fields: {', '.join(sorted(unknown))}")
        fake.fail_next(**data)
        return {"pending": fake.pending_failures()}

    async def scripts(request: web.Request) -> JSON:
        return {"pending": fake.pending_failures()}

    async def requests(request: web.Request) -> JSON:
        return {"requests": [_logged_to_json(r) for r in fake.requests]}

    async def clear_requests(request: web.Request) -> JSON:
        fake.requests.clear()
        return {}

    async def records(request: web.Request) -> JSON:
        kind = request.match_info["kind"]
        table = getattr(fake.state.store, kind, None) if not kind.startswith("_") else None
        if not isinstance(table, (dict, list)):
            raise FakeHTTPError(404, f"no records of kind {kind!r}")
        return {"records": table}

    async def settings(request: web.Request) -> JSON:
        if request.method == "PATCH":
            data = await body_of(request)
            unknown = set(data) - set(SETTINGS)
            if unknown:
                raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
            for name, value in data.items():
                setattr(fake, name, SETTINGS[name](value))
        return {name: getattr(fake, name) for name in SETTINGS}

    async def reset(request: web.Request) -> JSON:
        fake.reset()
        return {}

    async def webhooks(request: web.Request) -> JSON:
        return {"deliveries": [attrs.asdict(d) for d in fake.webhook_deliveries]}

    async def flush(request: web.Request) -> JSON:
        data = await body_of(request)
        try:
            await fake.flush_webhooks(float(data.get("timeout", 30.0)))
        except asyncio.TimeoutError:
            raise FakeHTTPError(504, "webhooks still undelivered at the timeout") from None
        return {}

    async def billing_events(request: web.Request) -> JSON:
        data = await body_of(request)
        try:
            ident = fake.send_billing_event(str(data["event_name"]), data.get("data"))
        except RuntimeError as exc:
            raise FakeHTTPError(409, str(exc)) from None
        return {"id": ident}

    table: list[tuple[str, str, Handler]] = [
        ("GET", "/info", info),
        ("POST", "/seed", seed),
        ("POST", "/call", call),
        ("POST", "/fail_next", fail_next),
        ("GET", "/scripts", scripts),
        ("GET", "/requests", requests),
        ("DELETE", "/requests", clear_requests),
        ("GET", "/records/{kind}", records),
        ("GET", "/settings", settings),
        ("PATCH", "/settings", settings),
        ("POST", "/reset", reset),
        ("GET", "/webhooks", webhooks),
        ("POST", "/webhooks/flush", flush),
        ("POST", "/billing_events", billing_events),
    ]
    for method, path, handler in table:
        app.router.add_route(method, ADMIN_PREFIX + path, endpoint(handler))


class FakeAdmin:
    """A client of a running fake's admin API, for tests that drive a fake in another process.

    ::

        async with FakeAdmin("http://127.0.0.1:8080/api") as admin:
            await admin.seed({"companies": [{"name": "Acme"}]})
            await admin.fail_next(2, status=502, path="/crm/contacts")
            ...  # the app under test talks to the fake
            await admin.assert_called("POST", "/crm/contacts", times=3)
            await admin.assert_scripts_used()

    Args:
        base_url: the fake's base URL (``http://127.0.0.1:<port>/api``) or its root.
        session: an aiohttp session to use (default: one of its own, closed by ``aclose``).
        timeout: seconds each admin request may take.
    """

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: float = 30.0,
    ) -> None:
        root = base_url.rstrip("/")
        if root.endswith("/api"):
            root = root[: -len("/api")]
        self.admin_url = root + ADMIN_PREFIX
        self._session = session
        self._owns_session = session is None
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def __aenter__(self) -> FakeAdmin:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the session this client made (a session passed in is left open)."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def _request(self, method: str, path: str, body: Any = None) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.request(
            method, self.admin_url + path, json=body, timeout=self._timeout
        ) as resp:
            data = await resp.json(content_type=None)
            if resp.status >= 400:
                message = data.get("error", "") if isinstance(data, dict) else str(data)
                error = FakeHTTPError(resp.status, message)
                if isinstance(data, dict):
                    error.body = data
                raise error
            return data

    async def info(self) -> JSON:
        """The fake's identity: ``base_url``, ``api_key``, ``team_id``, ``account_id``,
        ``account_slug``, ``billing_secret`` and (with cryptography) ``webhook_public_key``.

        Raises:
            FakeHTTPError: the admin API refused the request (403 from a non-loopback address).
        """
        result: JSON = await self._request("GET", "/info")
        return result

    async def seed(self, data: Mapping[str, Any]) -> dict[str, list[JSON]]:
        """Store records through the fake's rules; returns the records made, by kind.

        Args:
            data: ``{"companies": [...], "assistants": [...], "phone_numbers": [...],
                "contacts": [...], "campaigns": [...], "requests": [...], "credits": n}``
                (request bodies of each ``POST`` route; contacts as snake_case rows).

        Raises:
            FakeHTTPError: ``400`` naming the kind and index of a record the rules refused.
        """
        result = await self._request("POST", "/seed", dict(data))
        created: dict[str, list[JSON]] = result["created"]
        return created

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: JSON | None = None,
    ) -> JSON:
        """Run the rule behind ``method`` ``path`` (relative to ``/api``) without HTTP faults.

        Args:
            method: ``GET``, ``POST``, ...
            path: a concrete path such as ``/crm/campaigns/camp_000001/run``.
            query: the query parameters.
            body: the JSON body.

        Raises:
            FakeHTTPError: no such route, or the rule refused (its status and body).
        """
        payload = {"method": method, "path": path, "query": query, "body": body}
        answer: JSON = (await self._request("POST", "/call", payload))["answer"]
        return answer

    async def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 503,
        method: str | None = None,
        path: str | None = None,
        html: bool = False,
        retry_after: float | None = None,
        after_commit: bool = False,
        reset: bool = False,
        reset_mid_body: bool = False,
    ) -> None:
        """Script failures: the next ``count`` matching requests fail this way.

        Args:
            count: how many matching requests fail.
            status: the status answered.
            method: only requests with this method (``None`` = any).
            path: only paths matching this glob, relative to ``/api``.
            html: answer a proxy's HTML error page instead of JSON.
            retry_after: send this ``Retry-After`` header.
            after_commit: apply the write first, then answer ``status``.
            reset: drop the connection before an answer.
            reset_mid_body: send half the real answer, then drop the connection.

        Raises:
            FakeHTTPError: the admin API refused the script.
        """
        await self._request(
            "POST",
            "/fail_next",
            {
                "count": count,
                "status": status,
                "method": method,
                "path": path,
                "html": html,
                "retry_after": retry_after,
                "after_commit": after_commit,
                "reset": reset,
                "reset_mid_body": reset_mid_body,
            },
        )

    async def pending_failures(self) -> list[str]:
        """One line per scripted failure not used up yet."""
        pending: list[str] = (await self._request("GET", "/scripts"))["pending"]
        return pending

    async def assert_scripts_used(self) -> None:
        """Check that every scripted failure was used.

        Raises:
            AssertionError: some were not (each is named).
        """
        pending = await self.pending_failures()
        if pending:
            raise AssertionError("scripted failures never used:\n  " + "\n  ".join(pending))

    async def requests(self) -> list[LoggedRequest]:
        """Every request the fake received, in order."""
        rows = (await self._request("GET", "/requests"))["requests"]
        return [LoggedRequest(**row) for row in rows]

    async def received(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        status: int | None = None,
    ) -> list[LoggedRequest]:
        """The logged requests matching every given filter, in order.

        Args:
            method: the HTTP method.
            path: a glob relative to ``/api`` (``/crm/campaigns/*/run``).
            query: query parameters that must be present with these values.
            body: a JSON body subset (every given key present with that value).
            status: the status answered (``0`` for a dropped connection).
        """
        return matching(await self.requests(), method, path, query=query, body=body, status=status)

    async def assert_called(
        self,
        method: str,
        path: str,
        *,
        times: int | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        status: int | None = None,
    ) -> list[LoggedRequest]:
        """Check that matching requests came (exactly ``times`` if given); returns them.

        Args:
            method: the HTTP method.
            path: a glob relative to ``/api``.
            times: the exact number expected (default: at least one).
            query: query parameters that must be present with these values.
            body: a JSON body subset.
            status: the status answered.

        Raises:
            AssertionError: the count is wrong; the message lists what was received.
        """
        return assert_called(
            await self.requests(),
            method,
            path,
            times=times,
            query=query,
            body=body,
            status=status,
        )

    async def clear_requests(self) -> None:
        """Empty the request log."""
        await self._request("DELETE", "/requests")

    async def records(self, kind: str) -> Any:
        """The fake's records of ``kind`` (``contacts``, ``companies``, ``campaigns``, ``calls``, ...).

        Args:
            kind: the record table's name, as ``FakeTalkturo`` names its attribute.

        Raises:
            FakeHTTPError: ``404`` for an unknown kind.
        """
        return (await self._request("GET", f"/records/{kind}"))["records"]

    async def configure(self, **settings: Any) -> JSON:
        """Change knobs while the fake runs; returns them all.

        Args:
            **settings: any of ``latency``, ``jitter``, ``error_rate``, ``error_statuses``,
                ``html_error_rate``, ``reset_rate``, ``after_commit_failure_rate``,
                ``slow_body``, ``rate_limit_per_hour``, ``rate_limit_window``, ``idempotency``,
                ``credits``.

        Raises:
            FakeHTTPError: ``400`` for an unknown setting.
        """
        result: JSON = await self._request("PATCH", "/settings", settings)
        return result

    async def reset(self) -> None:
        """Back to the records the fake started with; empty log; no scripts or deliveries."""
        await self._request("POST", "/reset")

    async def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook delivery so far, in the order they started."""
        rows = (await self._request("GET", "/webhooks"))["deliveries"]
        return [WebhookDelivery(**row) for row in rows]

    async def flush_webhooks(self, timeout: float = 30.0) -> None:
        """Wait until every queued webhook was delivered (or ran out of retries).

        Args:
            timeout: seconds to wait.

        Raises:
            FakeHTTPError: ``504`` if some are still undelivered after ``timeout``.
        """
        await self._request("POST", "/webhooks/flush", {"timeout": timeout})

    async def send_billing_event(self, event_name: str, data: JSON | None = None) -> str:
        """Have the fake send a signed billing event; returns its id.

        Args:
            event_name: the event (``subscription_created``).
            data: the subscription's attributes.

        Raises:
            FakeHTTPError: ``409`` if the fake has no billing webhook URL.
        """
        payload = {"event_name": event_name, "data": data}
        ident: str = (await self._request("POST", "/billing_events", payload))["id"]
        return ident
