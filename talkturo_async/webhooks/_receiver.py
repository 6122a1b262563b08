"""An aiohttp.web handler that verifies, parses, answers 200 at once and runs the user's coroutine."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from aiohttp import web

from .._errors import WebhookPayloadError, WebhookSignatureError
from ._dedupe import DedupeStore, MemoryDedupeStore
from ._verify import Headers

E = TypeVar("E")
logger = logging.getLogger("talkturo_async")


def _check_dedupe(dedupe: object) -> None:
    """A store, a store size (an ``int``, 0 for none), or ``None``; refused now, not per event."""
    wanted = "a DedupeStore, a memory store size (an int), or 0/None"
    if isinstance(dedupe, bool) or not (dedupe is None or isinstance(dedupe, (int, DedupeStore))):
        raise TypeError(f"dedupe must be {wanted}, got {type(dedupe).__name__}")
    if isinstance(dedupe, int) and dedupe < 0:
        raise ValueError(f"dedupe must be {wanted}, got {dedupe}")


class WebhookReceiver(Generic[E]):
    """Receives one webhook kind in an ``aiohttp.web`` app.

    Build it with ``call_event_handler`` or ``billing_event_handler`` and mount ``receiver.handle``.

    ``handle`` reads the raw body, verifies and parses it, answers at once (``200``, or ``400``
    for a bad signature, malformed headers or a bad body) and runs ``on_event(event)`` in a
    background task, so a slow handler never makes Talkturo wait past its 5 s limit.

    De-duplication is per event: the key is the event's id (``event_key``), or, for an event
    without an id, a SHA-256 of its exact body bytes (so only a byte-identical redelivery is
    recognised). An event is marked handled only after ``on_event`` returned; while it runs, a
    redelivery is acknowledged (``200``) and not run; if it raised (logged, not answered), a
    redelivery runs it again. If the store fails, the event is run anyway (at least once) and a
    WARNING is logged. Call ``await receiver.drain()`` on shutdown to let running handlers finish.

    Args:
        construct: verifies and parses ``(raw_body, headers)`` into an event.
        on_event: the user's coroutine.
        event_key: the event's own id (``None`` when it has none).
        dedupe: a :class:`DedupeStore`, the size of a per-process :class:`MemoryDedupeStore`
            (default 10,000 events), or ``0``/``None`` to run every delivery.

    Raises:
        TypeError: ``dedupe`` is neither a store, an ``int`` nor ``None`` (``True`` included).
        ValueError: ``dedupe`` is a negative size.
    """

    def __init__(
        self,
        construct: Callable[[bytes, Headers], E],
        on_event: Callable[[E], Awaitable[Any]],
        *,
        event_key: Callable[[E], str | None],
        dedupe: int | DedupeStore | None = 10_000,
    ) -> None:
        _check_dedupe(dedupe)
        self._construct = construct
        self._on_event = on_event
        self._event_key = event_key
        self.store: DedupeStore | None = (
            MemoryDedupeStore(dedupe) if isinstance(dedupe, int) and dedupe else dedupe or None
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self.accepted: int = 0
        self.rejected: int = 0

    def _key(self, event: E, raw: bytes) -> str:
        ident = self._event_key(event)
        if ident is not None:
            return f"id:{ident}"
        return "sha256:" + hashlib.sha256(raw).hexdigest()

    async def _claim(self, key: str) -> bool:
        assert self.store is not None
        try:
            return await self.store.claim(key)
        except Exception as exc:  # a store outage must not lose events: run it (at least once)
            logger.warning("webhook de-duplication store failed (%s); running the event", exc)
            return True

    async def handle(self, request: web.Request) -> web.Response:
        """The aiohttp.web handler: ``app.router.add_post("/talkturo/calls", receiver.handle)``.

        Answers ``200`` at once (the event runs in the background), ``400`` to a webhook that is
        not authentic or not a known shape; never raises for what it receives.

        Args:
            request: the incoming webhook request.
        """
        raw = await request.read()
        try:
            event = self._construct(raw, request.headers)
        except (WebhookSignatureError, WebhookPayloadError) as exc:
            self.rejected += 1
            logger.warning("rejected a webhook from %s: %s", request.remote, exc)
            return web.Response(status=400, text="invalid webhook")
        key = self._key(event, raw)
        if self.store is not None and not await self._claim(key):
            logger.info("acknowledged a repeated webhook delivery (%s)", key)
            return web.Response(status=200, text="ok (repeat)")
        self.accepted += 1
        task = asyncio.create_task(self._run(event, key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(status=200, text="ok")

    async def _run(self, event: E, key: str) -> None:
        try:
            await self._on_event(event)
        except Exception:
            logger.exception("the webhook handler failed for event %s", key)
            await self._settle(key, succeeded=False)
        else:
            await self._settle(key, succeeded=True)

    async def _settle(self, key: str, *, succeeded: bool) -> None:
        if self.store is None:
            return
        try:
            await (self.store.done(key) if succeeded else self.store.release(key))
        except Exception as exc:
            logger.warning("webhook de-duplication store failed for %s: %s", key, exc)

    async def drain(self) -> None:
        """Wait for the handlers still running."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
