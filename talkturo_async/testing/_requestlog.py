"""Questions about the fake's request log: which requests match, and assertions that say what came.

Shared by :class:`FakeTalkturo` (in process) and :class:`FakeAdmin` (over the admin API), so both
match the same way: ``method`` exactly (any case), ``path`` as a glob relative to ``/api``
(``/crm/campaigns/*/run``), ``query`` and ``body`` as subsets (every given key must be present
with that value; nested mappings are compared the same way), ``status`` exactly.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from ._http import LoggedRequest

if TYPE_CHECKING:
    from ._http import HttpLayer


def contains(actual: Any, expected: Any) -> bool:
    """Whether ``actual`` has everything ``expected`` has (mappings by subset, the rest by ``==``)."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return False
        have = cast("Mapping[object, object]", actual)
        return all(
            key in have and contains(have[key], value)
            for key, value in cast("Mapping[object, object]", expected).items()
        )
    return bool(actual == expected)


def matching(
    requests: Iterable[LoggedRequest],
    method: str | None = None,
    path: str | None = None,
    *,
    query: Mapping[str, Any] | None = None,
    body: Any = None,
    status: int | None = None,
) -> list[LoggedRequest]:
    """The requests that match every given filter, in the order they came."""
    wanted_method = method.upper() if method is not None else None
    found: list[LoggedRequest] = []
    for request in requests:
        if wanted_method is not None and request.method != wanted_method:
            continue
        if path is not None and not fnmatch.fnmatchcase(request.path, path):
            continue
        if query is not None and not contains(request.query, {k: str(v) for k, v in query.items()}):
            continue
        if body is not None and not contains(request.body, body):
            continue
        if status is not None and request.status != status:
            continue
        found.append(request)
    return found


def assert_called(
    requests: list[LoggedRequest],
    method: str,
    path: str,
    *,
    times: int | None = None,
    query: Mapping[str, Any] | None = None,
    body: Any = None,
    status: int | None = None,
) -> list[LoggedRequest]:
    """The matching requests; ``AssertionError`` if none came (or not exactly ``times``)."""
    found = matching(requests, method, path, query=query, body=body, status=status)
    if (times is None and found) or (times is not None and len(found) == times):
        return found
    filters = ", ".join(
        f"{name}={value!r}"
        for name, value in (("query", query), ("body", body), ("status", status))
        if value is not None
    )
    wanted = f"{method.upper()} {path}" + (f" ({filters})" if filters else "")
    expected = "at least once" if times is None else f"{times} time(s)"
    raise AssertionError(
        f"expected {wanted} {expected}, matched {len(found)}; received:\n{describe(requests)}"
    )


class RequestLogAssertions:
    """The request-log and scripted-failure questions of :class:`FakeTalkturo`."""

    requests: list[LoggedRequest]
    _http: HttpLayer

    def received(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        status: int | None = None,
    ) -> list[LoggedRequest]:
        """The logged requests matching every given filter, in order.

        ``fake.received("POST", "/crm/contacts", body={"firstName": "Ada"})``

        Args:
            method: the HTTP method (any case).
            path: a glob relative to ``/api`` (``/crm/campaigns/*/run``).
            query: query parameters that must be present with these values (compared as text).
            body: a JSON body subset: every given key present with that value, nested mappings
                compared the same way.
            status: the status answered (``0`` for a dropped connection).
        """
        return matching(self.requests, method, path, query=query, body=body, status=status)

    def assert_called(
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
            times: the exact number expected (default: at least one; ``0`` = never).
            query: query parameters that must be present with these values.
            body: a JSON body subset.
            status: the status answered.

        Raises:
            AssertionError: the count is wrong; the message lists the requests received.
        """
        return assert_called(
            self.requests, method, path, times=times, query=query, body=body, status=status
        )

    def pending_failures(self) -> list[str]:
        """One line per failure scripted with ``fail_next`` that was not used up yet."""
        return [fault.describe() for fault in self._http.faults.pending()]

    def assert_scripts_used(self) -> None:
        """Check that every failure scripted with ``fail_next`` was used.

        A script left over usually means the code under test never made the request the test
        meant to fail, so the test proved less than it claims.

        Raises:
            AssertionError: some were not used (each is named).
        """
        pending = self.pending_failures()
        if pending:
            raise AssertionError("scripted failures never used:\n  " + "\n  ".join(pending))


def describe(requests: list[LoggedRequest], limit: int = 30) -> str:
    """One line per request (the last ``limit``), for assertion messages."""
    if not requests:
        return "  (no requests)"
    lines = [
        f"  {r.method} {r.path}{_query(r.query)} -> {r.status or 'dropped'}"
        for r in requests[-limit:]
    ]
    skipped = len(requests) - limit
    return "\n".join(([f"  ... {skipped} earlier"] if skipped > 0 else []) + lines)


def _query(query: Mapping[str, str]) -> str:
    return ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
