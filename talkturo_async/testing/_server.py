"""FakeTalkturo: a real HTTP server on loopback that speaks the Talkturo contract (§13).

The HTTP layer lives here (routing, auth, body rules, fault knobs, rate limiting, idempotency,
the request log); the resources and their rules live in ``_state``. Nothing here imports the SDK
client, so the fake can check the SDK rather than agree with it by construction.
"""

from __future__ import annotations

import asyncio
import collections
import fnmatch
import hashlib
import json
import math
import random
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any

import attrs
from aiohttp import web

from ._state import JSON, FakeHTTPError, FakeState
from ._webhooks import WebhookDelivery, WebhookSender

__all__ = ["FakeTalkturo", "LoggedRequest"]

HTML_ERROR = (
    "<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}</h1>"
    "</center><hr><center>nginx</center></body></html>"
)
BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})

Handler = Callable[[FakeState, Mapping[str, str], Mapping[str, str], JSON], JSON]


@attrs.frozen(kw_only=True)
class LoggedRequest:
    """One request the fake received. ``path`` is relative to ``/api`` (``/crm/contacts``);
    ``headers`` never include ``Authorization``; ``body`` is the decoded JSON (or ``None``)."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    status: int


@attrs.define
class _Fault:
    status: int
    method: str | None
    path: str | None
    html: bool
    retry_after: float | None
    after_commit: bool
    reset: bool
    reset_mid_body: bool
    remaining: int

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or fnmatch.fnmatchcase(path, self.path)
        )


@attrs.define
class _Route:
    method: str
    pattern: str
    group: str
    handler: Handler


def _routes() -> list[_Route]:
    S = FakeState

    def r(method: str, pattern: str, group: str, handler: Handler) -> _Route:
        return _Route(method, pattern, group, handler)

    return [
        r("GET", "/test-api-key", "auth", lambda s, m, q, b: S.test_api_key(s)),
        r("POST", "/assistants", "assistants", lambda s, m, q, b: s.create_assistant(b)),
        r("GET", "/assistants/{id}", "assistants", lambda s, m, q, b: s.get_assistant(m["id"])),
        r(
            "PATCH",
            "/assistants/{id}",
            "assistants",
            lambda s, m, q, b: s.update_assistant(m["id"], b),
        ),
        r(
            "PUT",
            "/assistants/{id}",
            "assistants",
            lambda s, m, q, b: s.update_assistant(m["id"], b),
        ),
        r(
            "DELETE",
            "/assistants/{id}",
            "assistants",
            lambda s, m, q, b: s.delete_assistant(m["id"]),
        ),
        r(
            "POST",
            "/assistants/{id}/clone",
            "assistants",
            lambda s, m, q, b: s.clone_assistant(m["id"], b),
        ),
        r(
            "GET",
            "/assistants/{id}/usage-stats",
            "assistants",
            lambda s, m, q, b: s.usage_stats(m["id"], q),
        ),
        r(
            "POST",
            "/assistants/{id}/telephony/assign-phone-numbers",
            "assistants",
            lambda s, m, q, b: s.assign_phone_numbers(m["id"], b),
        ),
        r(
            "GET",
            "/assistants/{id}/telephony/phone-numbers",
            "assistants",
            lambda s, m, q, b: s.list_assistant_numbers(m["id"], q),
        ),
        r("GET", "/crm/campaigns", "campaigns", lambda s, m, q, b: s.list_campaigns(q)),
        r("POST", "/crm/campaigns", "campaigns", lambda s, m, q, b: s.create_campaign(b)),
        r("GET", "/crm/campaigns/{id}", "campaigns", lambda s, m, q, b: s.get_campaign(m["id"])),
        r(
            "PATCH",
            "/crm/campaigns/{id}",
            "campaigns",
            lambda s, m, q, b: s.update_campaign(m["id"], b),
        ),
        r(
            "PUT",
            "/crm/campaigns/{id}",
            "campaigns",
            lambda s, m, q, b: s.update_campaign(m["id"], b),
        ),
        r(
            "DELETE",
            "/crm/campaigns/{id}",
            "campaigns",
            lambda s, m, q, b: s.delete_campaign(m["id"]),
        ),
        r(
            "GET",
            "/crm/campaigns/{id}/contacts",
            "campaigns",
            lambda s, m, q, b: s.list_campaign_contacts(m["id"], q),
        ),
        r(
            "POST",
            "/crm/campaigns/{id}/contacts",
            "campaigns",
            lambda s, m, q, b: s.add_campaign_contacts(m["id"], b),
        ),
        r(
            "GET",
            "/crm/campaigns/{id}/dashboard",
            "campaigns",
            lambda s, m, q, b: s.dashboard(m["id"], q),
        ),
        r(
            "POST",
            "/crm/campaigns/{id}/run",
            "campaigns",
            lambda s, m, q, b: s.run_campaign(m["id"], b),
        ),
        r("GET", "/crm/contacts", "contacts", lambda s, m, q, b: s.list_contacts(q)),
        r("POST", "/crm/contacts", "contacts", lambda s, m, q, b: s.create_contact(b)),
        r("POST", "/crm/contacts/import", "contacts", lambda s, m, q, b: s.import_contacts(b)),
        r("GET", "/crm/contacts/{id}", "contacts", lambda s, m, q, b: s.get_contact(m["id"])),
        r(
            "PATCH",
            "/crm/contacts/{id}",
            "contacts",
            lambda s, m, q, b: s.update_contact(m["id"], b),
        ),
        r("PUT", "/crm/contacts/{id}", "contacts", lambda s, m, q, b: s.update_contact(m["id"], b)),
        r("DELETE", "/crm/contacts/{id}", "contacts", lambda s, m, q, b: s.delete_contact(m["id"])),
        r("GET", "/crm/companies", "companies", lambda s, m, q, b: s.list_companies(q)),
        r("POST", "/crm/companies", "companies", lambda s, m, q, b: s.create_company(b)),
        r("GET", "/crm/companies/{id}", "companies", lambda s, m, q, b: s.get_company(m["id"])),
        r(
            "PATCH",
            "/crm/companies/{id}",
            "companies",
            lambda s, m, q, b: s.update_company(m["id"], b),
        ),
        r(
            "PUT",
            "/crm/companies/{id}",
            "companies",
            lambda s, m, q, b: s.update_company(m["id"], b),
        ),
        r(
            "DELETE",
            "/crm/companies/{id}",
            "companies",
            lambda s, m, q, b: s.delete_company(m["id"]),
        ),
        r(
            "GET",
            "/crm/companies/{id}/contacts",
            "companies",
            lambda s, m, q, b: s.list_company_contacts(m["id"], q),
        ),
        r("POST", "/phone-numbers/search", "phone_numbers", lambda s, m, q, b: s.search_numbers(b)),
        r(
            "POST",
            "/phone-numbers/purchase",
            "phone_numbers",
            lambda s, m, q, b: s.purchase_number(b),
        ),
        r("GET", "/phone-numbers/purchase", "phone_numbers", lambda s, m, q, b: s.list_numbers(q)),
        r("GET", "/phone-numbers/{id}", "phone_numbers", lambda s, m, q, b: s.get_number(m["id"])),
        r(
            "DELETE",
            "/phone-numbers/{id}",
            "phone_numbers",
            lambda s, m, q, b: s.release_number(m["id"], q),
        ),
    ]


class FakeTalkturo:
    """A stateful fake Talkturo API served over real HTTP on 127.0.0.1.

    ::

        async with FakeTalkturo() as fake:
            async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
                ...
            assert len(fake.contacts) == 1

    Args:
        seed: makes ids, search results, call outcomes and every random fault repeatable.
        latency: seconds added to every answer; ``jitter`` adds up to that many more at random.
        error_rate: probability that a request is answered with one of ``error_statuses`` before
            anything is written; ``html_error_rate`` is the share of those sent as a proxy's HTML.
        reset_rate: probability that the connection is dropped before an answer.
        after_commit_failure_rate: probability that a write is applied and then answered ``500``.
        slow_body: seconds the server stalls in the middle of every answer body.
        rate_limit_per_hour: requests allowed per key per ``rate_limit_window`` seconds (off by
            default); past it the answer is ``429`` with ``Retry-After``.
        idempotency: honour ``Idempotency-Key`` on POSTs (a repeat replays the first answer and
            writes nothing). ``False`` shows what a retried POST does without it.
        credits: the account balance; starting a campaign needs at least 1, each call costs 0.1,
            a number costs ``number_price``.
        max_page_size: the largest ``limit`` served (larger ones are clamped and echoed).
        max_body_bytes: larger request bodies are answered ``413``.
        activation_delay: seconds a purchased number stays ``purchasing``.
        webhook_url: where to deliver signed call events (``call.initiated``, ``call.answered``,
            ``call.completed`` / ``call.hangup``) for every call a campaign run places; verify
            them with ``webhook_public_key``. Needs ``cryptography``.
        billing_webhook_url: where ``send_billing_event`` delivers HMAC-signed billing events
            (secret: ``billing_secret``).
        webhook_timeout: seconds a receiver has to answer (Talkturo's limit is 5).
        webhook_retry_delays: waits before each retry of a delivery that failed (non-2xx or
            timeout); one retry per entry.
        port: ``0`` picks a free port.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        latency: float = 0.0,
        jitter: float = 0.0,
        error_rate: float = 0.0,
        error_statuses: tuple[int, ...] = (500, 502, 503, 504),
        html_error_rate: float = 0.0,
        reset_rate: float = 0.0,
        after_commit_failure_rate: float = 0.0,
        slow_body: float = 0.0,
        rate_limit_per_hour: int | None = None,
        rate_limit_window: float = 3600.0,
        idempotency: bool = True,
        credits: float = 100.0,
        number_price: str = "1.00",
        max_page_size: int = 500,
        max_import_rows: int = 1000,
        max_body_bytes: int = 1024 * 1024,
        activation_delay: float = 0.0,
        api_key: str | None = None,
        team_id: str = "team_01fake",
        account_id: str = "acct_01fake",
        account_slug: str = "acme",
        webhook_url: str | None = None,
        billing_webhook_url: str | None = None,
        webhook_timeout: float = 5.0,
        webhook_retry_delays: tuple[float, ...] = (0.05, 0.25, 1.0),
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.seed = seed
        self.latency = latency
        self.jitter = jitter
        self.error_rate = error_rate
        self.error_statuses = error_statuses
        self.html_error_rate = html_error_rate
        self.reset_rate = reset_rate
        self.after_commit_failure_rate = after_commit_failure_rate
        self.slow_body = slow_body
        self.rate_limit_per_hour = rate_limit_per_hour
        self.rate_limit_window = rate_limit_window
        self.idempotency = idempotency
        self.max_body_bytes = max_body_bytes
        self.host = host
        self.port = port
        self._rng = random.Random(seed)
        self.api_key = api_key or "tk_test_fake_" + random.Random(f"key{seed}").randbytes(12).hex()
        self.state = FakeState(
            seed=seed,
            team_id=team_id,
            account_id=account_id,
            account_slug=account_slug,
            credits=credits,
            number_price=number_price,
            max_page_size=max_page_size,
            max_import_rows=max_import_rows,
            activation_delay=activation_delay,
        )
        self.webhooks = WebhookSender(
            seed=seed,
            call_url=webhook_url,
            billing_url=billing_webhook_url,
            timeout=webhook_timeout,
            retry_delays=webhook_retry_delays,
        )
        self.state.on_call = self.webhooks.call_events
        self.requests: list[LoggedRequest] = []
        self._keys: dict[str, tuple[str, ...]] = {self.api_key: ("*",)}
        self._faults: list[_Fault] = []
        self._hits: dict[str, collections.deque[float]] = {}
        self._idem: dict[tuple[str, str], tuple[str, int, bytes]] = {}
        self._runner: web.AppRunner | None = None
        self._routes = _routes()

    # -- what tests look at ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/api`` (the server must be started)."""
        if self._runner is None:
            raise RuntimeError("the fake is not running: use 'async with FakeTalkturo() as fake'")
        return f"http://{self.host}:{self.port}/api"

    @property
    def team_id(self) -> str:
        return self.state.team_id

    @property
    def account_id(self) -> str:
        return self.state.account_id

    @property
    def account_slug(self) -> str:
        return self.state.account_slug

    @property
    def contacts(self) -> dict[str, JSON]:
        return self.state.contacts

    @property
    def companies(self) -> dict[str, JSON]:
        return self.state.companies

    @property
    def campaigns(self) -> dict[str, JSON]:
        return self.state.campaigns

    @property
    def assistants(self) -> dict[str, JSON]:
        return self.state.assistants

    @property
    def phone_numbers(self) -> dict[str, JSON]:
        return self.state.phone_numbers

    @property
    def campaign_contacts(self) -> dict[str, list[JSON]]:
        return self.state.campaign_contacts

    @property
    def calls(self) -> list[JSON]:
        return self.state.calls

    @property
    def credits(self) -> float:
        return self.state.credits

    @credits.setter
    def credits(self, value: float) -> None:
        self.state.credits = value

    @property
    def webhook_public_key(self) -> str:
        """Base64 Ed25519 public key that verifies this fake's call events (needs cryptography)."""
        return self.webhooks.public_key

    @property
    def billing_secret(self) -> str:
        """The HMAC secret of this fake's billing events."""
        return self.webhooks.billing_secret

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook delivery so far, in the order they started."""
        return self.webhooks.deliveries

    async def flush_webhooks(self, timeout: float = 30.0) -> None:
        """Wait until every queued webhook was delivered (or ran out of retries)."""
        await self.webhooks.flush(timeout)

    def send_billing_event(self, event_name: str, data: JSON | None = None) -> str:
        """Queue a signed billing event to ``billing_webhook_url``; returns its id."""
        return self.webhooks.billing_event(event_name, data)

    def add_contacts(self, rows: Iterable[Mapping[str, Any]]) -> list[JSON]:
        """Seed contacts straight into the state, without HTTP (fast, for large test fixtures).

        Each row holds snake_case contact fields; ``company_id``, ``first_name`` and
        ``last_name`` are required and the company must exist. Returns the stored records.

        Raises:
            ValueError: a row breaks the rules ``POST /crm/contacts`` enforces (the row's index
                is named); nothing of that row or the ones after it is stored.
        """
        stored = []
        for index, row in enumerate(rows):
            fields = dict(row)
            team_id = fields.pop("team_id", self.team_id)
            try:
                for name in ("company_id", "first_name", "last_name"):
                    if not fields.get(name):
                        raise FakeHTTPError(400, f"{name} is required")
                self.state.check_contact_values(fields)
            except FakeHTTPError as exc:
                raise ValueError(f"row {index}: {exc.body['error']}") from None
            stored.append(self.state.new_contact(team_id, fields))
        return stored

    def add_api_key(self, scopes: tuple[str, ...] = ("*",), key: str | None = None) -> str:
        """Register another key with scopes (``*``, ``contacts:*``, ``campaigns:read``); returns it."""
        key = key or "tk_test_scoped_" + secrets.token_hex(8)
        self._keys[key] = tuple(scopes)
        return key

    def fail_next(
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

        ``path`` is relative to ``/api`` and may use ``*`` (``/crm/campaigns/*/run``).
        ``after_commit`` applies the write first; ``reset`` drops the connection before an answer;
        ``reset_mid_body`` sends half the real answer, then drops the connection.
        """
        self._faults.append(
            _Fault(
                status, method, path, html, retry_after, after_commit, reset, reset_mid_body, count
            )
        )

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> FakeTalkturo:
        """Bind and start serving."""
        app = web.Application(client_max_size=self.max_body_bytes)
        app.router.add_route("*", "/api/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        await self.webhooks.start()
        return self

    async def stop(self) -> None:
        """Stop serving and close open connections (webhooks still queued are dropped)."""
        await self.webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTalkturo:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- request handling ------------------------------------------------------------------------

    def _match(self, method: str, path: str) -> tuple[_Route | None, dict[str, str], bool]:
        parts = path.strip("/").split("/")
        path_known = False
        for route in self._routes:
            pattern = route.pattern.strip("/").split("/")
            if len(pattern) != len(parts):
                continue
            params: dict[str, str] = {}
            for want, got in zip(pattern, parts, strict=True):
                if want.startswith("{"):
                    if not got:
                        break
                    params[want[1:-1]] = got
                elif want != got:
                    break
            else:
                path_known = True
                if route.method == method:
                    return route, params, True
        return None, {}, path_known

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        method = request.method
        path = "/" + request.match_info["tail"]
        query = dict(request.query)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        body_bytes = b""
        logged_body: Any = None
        status = 500
        try:
            try:
                body_bytes = await request.read()
            except web.HTTPRequestEntityTooLarge:
                raise FakeHTTPError(
                    413, f"request body larger than {self.max_body_bytes} bytes"
                ) from None
            if body_bytes:
                try:
                    logged_body = json.loads(body_bytes)
                except ValueError:
                    logged_body = body_bytes.decode("utf-8", "replace")
            delay = self.latency + (self._rng.uniform(0, self.jitter) if self.jitter else 0.0)
            if delay:
                await asyncio.sleep(delay)
            response, status = await self._answer(request, method, path, query, body_bytes)
            return response
        except FakeHTTPError as exc:
            status = exc.status
            extra = {"Retry-After": str(exc.retry_after)} if isinstance(exc, _RateLimited) else None
            return web.json_response(exc.body, status=exc.status, headers=extra)
        except _Dropped:
            status = 0
            return web.Response(status=500)  # never reaches the client: the transport is gone
        finally:
            self.requests.append(
                LoggedRequest(
                    method=method,
                    path=path,
                    query=query,
                    body=logged_body,
                    headers=headers,
                    status=status,
                )
            )

    async def _answer(
        self, request: web.Request, method: str, path: str, query: dict[str, str], body_bytes: bytes
    ) -> tuple[web.StreamResponse, int]:
        key = self._authenticate(request)
        route, params, path_known = self._match(method, path)
        if route is None:
            if path_known:
                raise FakeHTTPError(405, f"{method} is not allowed on {path}")
            raise FakeHTTPError(404, f"no route {method} /api{path}")
        self._authorize(key, route.group, method)
        self._rate_limit(key)

        fault = self._take_fault(method, path)
        if fault is None and self.reset_rate and self._rng.random() < self.reset_rate:
            fault = _Fault(0, None, None, False, None, False, True, False, 1)
        if fault is None and self.error_rate and self._rng.random() < self.error_rate:
            html = bool(self.html_error_rate) and self._rng.random() < self.html_error_rate
            status = self._rng.choice(self.error_statuses)
            fault = _Fault(status, None, None, html, None, False, False, False, 1)
        if fault is not None and fault.reset:
            return await self._reset(request), 0
        if fault is not None and not fault.after_commit and not fault.reset_mid_body:
            return self._fault_response(fault), fault.status

        body = self._parse_body(request, method, body_bytes)
        idem_key = (
            request.headers.get("Idempotency-Key")
            if method == "POST" and self.idempotency
            else None
        )
        slot = (key, idem_key) if idem_key else None
        fingerprint = hashlib.sha256(f"{method} {path} ".encode() + body_bytes).hexdigest()
        if slot is not None:
            stored = self._idem.get(slot)
            if stored is not None:
                if stored[0] != fingerprint:
                    raise FakeHTTPError(
                        422, "Idempotency-Key was already used for a different request"
                    )
                replay = web.Response(
                    status=stored[1],
                    body=stored[2],
                    content_type="application/json",
                    headers={"Idempotent-Replayed": "true"},
                )
                return replay, stored[1]

        try:
            answer = route.handler(self.state, params, query, body)
            status = 200
            payload = json.dumps(answer).encode()
        except FakeHTTPError as exc:
            status, payload = exc.status, json.dumps(exc.body).encode()
        if slot is not None and status < 500:
            self._idem[slot] = (fingerprint, status, payload)

        after_commit = fault is not None and fault.after_commit
        if not after_commit and method in BODY_METHODS | {"DELETE"} and status < 400:
            rate = self.after_commit_failure_rate
            after_commit = bool(rate) and self._rng.random() < rate
        if after_commit:
            failure = (
                fault
                if fault is not None and fault.after_commit
                else _Fault(500, None, None, False, None, True, False, False, 1)
            )
            return self._fault_response(failure), failure.status
        if (fault is not None and fault.reset_mid_body) or self.slow_body:
            return await self._stream(
                request, status, payload, cut=fault is not None and fault.reset_mid_body
            ), status
        return web.Response(status=status, body=payload, content_type="application/json"), status

    def _authenticate(self, request: web.Request) -> str:
        auth = request.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or token not in self._keys:
            raise _Unauthorized()
        return token

    def _authorize(self, key: str, group: str, method: str) -> None:
        scopes = self._keys[key]
        wanted = f"{group}:{'read' if method == 'GET' else 'write'}"
        if not any(
            s == "*" or s == wanted or (s.endswith(":*") and s[:-2] == group) for s in scopes
        ):
            raise FakeHTTPError(403, f"this API key lacks the scope {wanted}")

    def _rate_limit(self, key: str) -> None:
        if self.rate_limit_per_hour is None:
            return
        now = time.monotonic()
        hits = self._hits.setdefault(key, collections.deque())
        while hits and hits[0] <= now - self.rate_limit_window:
            hits.popleft()
        if len(hits) >= self.rate_limit_per_hour:
            wait = max(1, math.ceil(hits[0] + self.rate_limit_window - now))
            raise _RateLimited(wait)
        hits.append(now)

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _parse_body(self, request: web.Request, method: str, body_bytes: bytes) -> JSON:
        if method not in BODY_METHODS:
            return {}
        if not body_bytes:
            if method == "POST":
                return {}
            raise FakeHTTPError(400, "a JSON body is required")
        if request.content_type != "application/json":
            raise FakeHTTPError(415, "Content-Type must be application/json")
        try:
            body = json.loads(body_bytes)
        except ValueError as exc:
            raise FakeHTTPError(400, f"malformed JSON body: {exc}") from None
        if not isinstance(body, dict):
            raise FakeHTTPError(400, "the JSON body must be an object")
        return body

    def _fault_response(self, fault: _Fault) -> web.Response:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        if fault.html:
            reason = web.Response(status=fault.status).reason
            return web.Response(
                status=fault.status,
                text=HTML_ERROR.format(status=fault.status, reason=reason),
                content_type="text/html",
                headers=headers,
            )
        body = {"success": False, "error": f"injected failure ({fault.status})"}
        return web.json_response(body, status=fault.status, headers=headers)

    async def _reset(self, request: web.Request) -> web.StreamResponse:
        transport = request.transport
        if transport is not None:
            transport.abort()
        raise _Dropped()

    async def _stream(
        self, request: web.Request, status: int, payload: bytes, *, cut: bool
    ) -> web.StreamResponse:
        response = web.StreamResponse(status=status, headers={"Content-Type": "application/json"})
        response.content_length = len(payload)
        await response.prepare(request)
        half = len(payload) // 2
        await response.write(payload[:half])
        if cut:
            await self._reset(request)
        await asyncio.sleep(self.slow_body)
        await response.write(payload[half:])
        await response.write_eof()
        return response


class _Unauthorized(FakeHTTPError):
    def __init__(self) -> None:
        super().__init__(401, "Unauthorized")
        self.body = {"error": "Unauthorized"}


class _RateLimited(FakeHTTPError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(429, "Rate limit exceeded")
        self.retry_after = retry_after


class _Dropped(Exception):
    """The connection was dropped on purpose; no answer is written."""
