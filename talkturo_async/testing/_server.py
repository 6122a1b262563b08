"""FakeTalkturo: a stateful fake Talkturo API served over real HTTP on loopback.

The fake is three layers, like moto: the HTTP layer (``_http``: auth, faults, rate limit,
idempotency, the request log), the route table (``_routes``: method and path -> rule) and the
rules (``_rules/``, one module per API group) over one record store (``_store``). This module
puts them together behind the public :class:`FakeTalkturo`. Nothing here imports the SDK client,
so the fake checks the SDK rather than agreeing with it by construction.
"""

from __future__ import annotations

import base64
import copy
import json
import random
import secrets
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from aiohttp import web

from ._admin import ADMIN_PREFIX, add_admin_routes
from ._dialect import Dialect
from ._faults import Fault
from ._http import HttpLayer, LoggedRequest
from ._records import RecordViews
from ._requestlog import RequestLogAssertions
from ._routes import ALL_GROUPS
from ._routing import RouteTable
from ._state import FakeState
from ._store import JSON, Store
from ._webhooks import WebhookSender

__all__ = ["FakeTalkturo", "LoggedRequest"]


class FakeTalkturo(RecordViews, RequestLogAssertions):
    """A stateful fake Talkturo API served over real HTTP on 127.0.0.1.

    ::

        async with FakeTalkturo() as fake:
            async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
                ...
            assert len(fake.contacts) == 1

    Args:
        seed: makes ids, search results, call outcomes and every random fault repeatable.
        latency: seconds added to every answer.
        jitter: up to this many more seconds, at random.
        error_rate: probability that a request is answered with one of ``error_statuses`` before
            anything is written.
        error_statuses: the statuses ``error_rate`` picks from.
        html_error_rate: the share of those errors sent as a proxy's HTML page.
        reset_rate: probability that the connection is dropped before an answer.
        after_commit_failure_rate: probability that a write is applied and then answered ``500``.
        slow_body: seconds the server stalls in the middle of every answer body.
        rate_limit_per_hour: requests allowed per key per ``rate_limit_window`` seconds (off by
            default); past it the answer is ``429`` with ``Retry-After``.
        rate_limit_window: the window of ``rate_limit_per_hour``, in seconds.
        idempotency: honour ``Idempotency-Key`` on POSTs (a repeat replays the first answer and
            writes nothing). ``False`` shows what a retried POST does without it.
        credits: the account balance; starting a campaign needs at least 1, each call costs 0.1,
            a number costs ``number_price``.
        number_price: the price of a number, as the API writes it (``"1.00"``).
        max_page_size: the largest ``limit`` served (larger ones are clamped and echoed).
        max_import_rows: the most rows one ``POST /crm/contacts/import`` accepts.
        max_body_bytes: larger request bodies are answered ``413``.
        activation_delay: seconds a purchased number stays ``purchasing``.
        api_key: the ``tk_test_`` key to accept (default: derived from ``seed``).
        team_id: this account's team id; other teams get ``403``.
        account_id: this account's id.
        account_slug: this account's slug; other slugs get ``403``.
        webhook_url: where to deliver signed call events (``call.initiated``, ``call.answered``,
            ``call.completed`` / ``call.hangup``) for every call a campaign run places; verify
            them with ``webhook_public_key``. Needs ``cryptography``.
        billing_webhook_url: where ``send_billing_event`` delivers HMAC-signed billing events
            (secret: ``billing_secret``).
        webhook_timeout: seconds a receiver has to answer (Talkturo's limit is 5).
        webhook_retry_delays: waits before each retry of a delivery that failed (non-2xx or
            timeout); one retry per entry.
        dialect: how answers are spelled (envelope, count key, paging, record casing, rate-limit
            and request-id headers), applied to every ``GET`` answer; the default changes nothing.
        host: the address to bind.
        port: ``0`` picks a free port.

    Tests ask the request log with ``received(...)`` and ``assert_called(...)``, check scripted
    failures with ``assert_scripts_used()``, and start over with ``reset()``. The same port serves
    an admin API under ``/__admin/`` to loopback clients (see :class:`FakeAdmin`).

    Attributes:
        api_key: the accepted API key (every route but API-key administration).
        jwt: the accepted user JWT (an account owner's ``Authorization: Bearer eyJ…``): every
            route, and the only credential ``/api-keys`` accepts (others get ``401``).
        session_token: the accepted ``sb-access-token`` session cookie.
        requests: every request received, as :class:`LoggedRequest`, in order.
        state: the rules without HTTP, for seeding (``fake.state.create_company({...})``).
        webhooks: the sender of the outgoing webhooks.
    """

    # Over 60 lines by design: keyword-only knobs of the fake, each set once and documented above.
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
        dialect: Dialect | None = None,
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
        self.dialect: Dialect = dialect or Dialect()
        self.host = host
        self.port: int = port
        self.api_key: str = (
            api_key or "tk_test_fake_" + random.Random(f"key{seed}").randbytes(12).hex()
        )
        self.jwt: str = _mint_jwt(seed, account_slug)
        self.session_token: str = "sess_" + random.Random(f"session{seed}").randbytes(16).hex()
        self._store = Store(
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
        self.webhooks: WebhookSender = WebhookSender(
            seed=seed,
            call_url=webhook_url,
            billing_url=billing_webhook_url,
            timeout=webhook_timeout,
            retry_delays=webhook_retry_delays,
        )
        self._store.on_call = self.webhooks.call_events
        routes = RouteTable(ALL_GROUPS)
        self.state: FakeState = FakeState(self._store, routes)
        self._http = HttpLayer(
            knobs=self,
            store=self._store,
            routes=routes,
            seed=seed,
            api_key=self.api_key,
            jwt=self.jwt,
            session_token=self.session_token,
        )
        self.requests: list[LoggedRequest] = self._http.requests
        self._runner: web.AppRunner | None = None
        self._initial_records: dict[str, Any] | None = None

    # -- what tests look at ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/api`` (the server must be started)."""
        if self._runner is None:
            raise RuntimeError("the fake is not running: use 'async with FakeTalkturo() as fake'")
        return f"http://{self.host}:{self.port}/api"

    @property
    def team_id(self) -> str:
        """This account's team id."""
        return self._store.team_id

    @property
    def account_id(self) -> str:
        """This account's id."""
        return self._store.account_id

    @property
    def account_slug(self) -> str:
        """This account's slug."""
        return self._store.account_slug

    async def flush_webhooks(self, timeout: float = 30.0) -> None:
        """Wait until every queued webhook was delivered (or ran out of retries).

        Args:
            timeout: seconds to wait at most.

        Raises:
            asyncio.TimeoutError: still undelivered after ``timeout`` seconds.
        """
        await self.webhooks.flush(timeout)

    def send_billing_event(self, event_name: str, data: JSON | None = None) -> str:
        """Queue a signed billing event to ``billing_webhook_url``; returns its id.

        Args:
            event_name: the event (``subscription_created``).
            data: the subscription's attributes.

        Raises:
            RuntimeError: the fake was made without ``billing_webhook_url``.
        """
        return self.webhooks.billing_event(event_name, data)

    def add_contacts(self, rows: Iterable[Mapping[str, Any]]) -> list[JSON]:
        """Seed contacts straight into the state, without HTTP (fast, for large test fixtures).

        Args:
            rows: snake_case contact fields; ``company_id``, ``first_name`` and ``last_name``
                are required and the company must exist (``team_id`` defaults to this team).

        Returns the stored records.

        Raises:
            ValueError: a row breaks the rules ``POST /crm/contacts`` enforces (the row's index
                is named); nothing of that row or the ones after it is stored.
        """
        return self.state.add_contacts(rows)

    def add_api_key(self, scopes: tuple[str, ...] = ("*",), key: str | None = None) -> str:
        """Register another key and return it.

        Args:
            scopes: what the key may do: ``*``, ``<group>:*``, ``<group>:read`` or
                ``<group>:write`` (other requests get ``403``).
            key: the key to accept (default: a new random ``tk_test_scoped_`` key).
        """
        key = key or "tk_test_scoped_" + secrets.token_hex(8)
        self._http.keys[key] = tuple(scopes)
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

        Args:
            count: how many matching requests fail.
            status: the status answered (``503``).
            method: only requests with this method (``None`` = any).
            path: only paths matching this glob, relative to ``/api`` (``/crm/campaigns/*/run``).
            html: answer a proxy's HTML error page instead of JSON.
            retry_after: send this ``Retry-After`` header.
            after_commit: apply the write first, then answer ``status``.
            reset: drop the connection before an answer.
            reset_mid_body: send half the real answer, then drop the connection.
        """
        self._http.faults.add(
            Fault(
                status=status,
                method=method,
                path=path,
                html=html,
                retry_after=retry_after,
                after_commit=after_commit,
                reset=reset,
                reset_mid_body=reset_mid_body,
                remaining=count,
            )
        )

    # -- identity, admin and reset (the request-log assertions come from RequestLogAssertions) ---

    def info(self) -> dict[str, Any]:
        """This fake's identity and keys, as the admin API's ``/info`` answers it.

        ``base_url``, ``admin_url``, ``api_key``, ``team_id``, ``account_id``, ``account_slug``,
        ``billing_secret`` and ``webhook_public_key`` (``None`` without cryptography).
        """
        info: dict[str, Any] = {
            "base_url": self.base_url,
            "admin_url": self.admin_url,
            "api_key": self.api_key,
            "team_id": self.team_id,
            "account_id": self.account_id,
            "account_slug": self.account_slug,
            "billing_secret": self.billing_secret,
        }
        try:
            info["webhook_public_key"] = self.webhook_public_key
        except ImportError:  # call events need cryptography; the rest works without
            info["webhook_public_key"] = None
        return info

    @property
    def admin_url(self) -> str:
        """``http://127.0.0.1:<port>/__admin``: the admin API (see :class:`FakeAdmin`)."""
        return self.base_url[: -len("/api")] + ADMIN_PREFIX

    def reset(self) -> None:
        """Back to the records the fake had when it started.

        Also empty the request log and forget scripted failures, idempotent answers, rate-limit
        counts and webhook deliveries.

        Raises:
            RuntimeError: the fake was never started.
        """
        if self._initial_records is None:
            raise RuntimeError("the fake is not running: use 'async with FakeTalkturo() as fake'")
        vars(self._store).update(copy.deepcopy(self._initial_records))
        self._http.reset()
        self.webhooks.deliveries.clear()

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> FakeTalkturo:
        """Bind and start serving."""
        app = web.Application(client_max_size=self.max_body_bytes)
        app.router.add_route("*", "/api/{tail:.*}", self._http.handle)
        add_admin_routes(app, self)
        self._initial_records = _snapshot(self._store)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
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


def _mint_jwt(seed: int, account_slug: str) -> str:
    """A JWT-shaped token (``header.payload.signature``, base64url) for the fake's owner."""

    def part(data: JSON) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = part({"alg": "HS256", "typ": "JWT"})
    payload = part({"sub": f"user-{seed}", "role": "authenticated", "account": account_slug})
    signature = random.Random(f"jwt{seed}").randbytes(32).hex()
    return f"{header}.{payload}.{signature}"


def _snapshot(store: Store) -> dict[str, Any]:
    """A deep copy of the store's data (callbacks and the clock are kept as they are)."""
    return {k: copy.deepcopy(v) for k, v in vars(store).items() if not callable(v)}
