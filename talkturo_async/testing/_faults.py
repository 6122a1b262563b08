"""FakeTalkturo's injected failures: what a fault is, the scripted queue, how each is written.

A fault is written as a JSON or proxy-HTML error, a dropped connection, or a body cut or stalled
halfway.
"""

from __future__ import annotations

import asyncio
import fnmatch
from typing import NoReturn

import attrs
from aiohttp import web

HTML_ERROR = (
    "<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}</h1>"
    "</center><hr><center>nginx</center></body></html>"
)


@attrs.define(kw_only=True)
class Fault:
    """One way to fail a request; ``remaining`` counts the requests it still applies to.

    ``method``/``path`` (a glob relative to ``/api``) limit which requests match (``None`` = any).
    By default the request fails with ``status`` before anything is written; ``after_commit``
    applies the write first, ``reset`` drops the connection before an answer, and
    ``reset_mid_body`` sends half the real answer, then drops the connection.
    """

    status: int = 503
    method: str | None = None
    path: str | None = None
    html: bool = False
    retry_after: float | None = None
    after_commit: bool = False
    reset: bool = False
    reset_mid_body: bool = False
    remaining: int = 1

    @property
    def before_write(self) -> bool:
        """Answered with ``status`` instead of running the rule."""
        return not (self.after_commit or self.reset or self.reset_mid_body)

    def describe(self) -> str:
        """One line naming what this fault matches, how it fails and how often it is left."""
        how = "reset" if self.reset else "reset mid-body" if self.reset_mid_body else self.status
        where = f"{self.method or '*'} {self.path or '*'}"
        after = " after commit" if self.after_commit else ""
        return f"{where} -> {how}{after} ({self.remaining} left)"

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to ``method`` on ``path``."""
        return (self.method is None or self.method == method) and (
            self.path is None or fnmatch.fnmatchcase(path, self.path)
        )


class ScriptedFaults:
    """The faults tests queued with ``fail_next``, taken in the order they were queued."""

    def __init__(self) -> None:
        self._queue: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue ``fault`` for its next ``fault.remaining`` matching requests."""
        self._queue.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """The first queued fault matching the request (used up after ``remaining`` requests)."""
        for fault in self._queue:
            if fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._queue.remove(fault)
                return fault
        return None

    def pending(self) -> list[Fault]:
        """The faults not used up yet, in queue order."""
        return list(self._queue)

    def clear(self) -> None:
        """Forget every queued fault."""
        self._queue.clear()


class Dropped(Exception):
    """The connection was dropped on purpose; no answer is written."""


def fault_response(fault: Fault) -> web.Response:
    """The error answer of ``fault``: a JSON error, or a proxy's HTML page if ``html``."""
    headers: dict[str, str] = {}
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


def drop_connection(request: web.Request) -> NoReturn:
    """Abort the connection under ``request``.

    Raises:
        Dropped: always, so the caller writes nothing.
    """
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise Dropped()


async def send_in_halves(
    request: web.Request, status: int, payload: bytes, *, stall: float, cut: bool
) -> web.StreamResponse:
    """Write half the answer, then drop the connection or stall.

    With ``cut`` the connection is dropped; with ``stall`` it waits that many seconds and writes the
    rest.

    Raises:
        Dropped: when ``cut``.
    """
    response = web.StreamResponse(status=status, headers={"Content-Type": "application/json"})
    response.content_length = len(payload)
    await response.prepare(request)
    half = len(payload) // 2
    await response.write(payload[:half])
    if cut:
        drop_connection(request)
    await asyncio.sleep(stall)
    await response.write(payload[half:])
    await response.write_eof()
    return response
