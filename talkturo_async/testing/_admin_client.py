"""FakeAdmin: a typed client of a running fake's admin API (``/__admin/``, see ``_admin``).

For tests whose app talks to a fake in another process.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, cast

import aiohttp

from ._admin import ADMIN_PREFIX
from ._http import LoggedRequest
from ._requestlog import assert_called, matching
from ._store import JSON, FakeHTTPError
from ._webhooks import WebhookDelivery

__all__ = ["FakeAdmin"]


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
        self.admin_url: str = root + ADMIN_PREFIX
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
            data: object = await resp.json(content_type=None)
            if resp.status >= 400:
                if isinstance(data, dict):
                    fields = cast("dict[str, Any]", data)
                    error = FakeHTTPError(resp.status, str(fields.get("error", "")))
                    error.body = fields
                    raise error
                raise FakeHTTPError(resp.status, f"{data}")
            return data

    async def info(self) -> JSON:
        """The fake's identity.

        ``base_url``, ``api_key``, ``team_id``, ``account_id``, ``account_slug``, ``billing_secret``
        and (with cryptography) ``webhook_public_key``.

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
