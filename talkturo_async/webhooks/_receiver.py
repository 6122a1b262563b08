"""An aiohttp.web handler that verifies, parses, answers 200 at once and runs the user's coroutine."""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from aiohttp import web

from ._events import WebhookPayloadError
from ._verify import Headers, WebhookSignatureError

E = TypeVar("E")
logger = logging.getLogger("talkturo_async")


class WebhookReceiver(Generic[E]):
    """Receives one webhook kind in an ``aiohttp.web`` app (build it with ``call_event_handler``
    or ``billing_event_handler``, mount ``receiver.handle``).

    ``handle`` reads the raw body, verifies and parses it, answers at once (``200``, or ``400`` for a bad
    signature or body) and runs ``on_event(event)`` in a background task, so a slow handler never
    makes Talkturo wait past its 5 s limit. Events whose id was seen among the last ``dedupe``
    are acknowledged and not run again (deliveries can be retried). Failures of ``on_event`` are
    logged, not answered. Call ``await receiver.drain()`` on shutdown to let running handlers finish.
    """

    def __init__(
        self,
        construct: Callable[[bytes, Headers], E],
        on_event: Callable[[E], Awaitable[Any]],
        *,
        event_key: Callable[[E], Any],
        dedupe: int = 10_000,
    ) -> None:
        self._construct = construct
        self._on_event = on_event
        self._event_key = event_key
        self._seen: collections.OrderedDict[Any, None] = collections.OrderedDict()
        self._dedupe = dedupe
        self._tasks: set[asyncio.Task[None]] = set()
        self.accepted = 0
        self.rejected = 0

    async def handle(self, request: web.Request) -> web.Response:
        """The aiohttp.web handler: ``app.router.add_post("/talkturo/calls", receiver.handle)``."""
        raw = await request.read()
        try:
            event = self._construct(raw, request.headers)
        except (WebhookSignatureError, WebhookPayloadError) as exc:
            self.rejected += 1
            logger.warning("rejected a webhook from %s: %s", request.remote, exc)
            return web.Response(status=400, text="invalid webhook")
        key = self._event_key(event)
        if self._dedupe and key is not None:
            if key in self._seen:
                logger.info("acknowledged a repeated webhook delivery (%s)", key)
                return web.Response(status=200, text="ok (repeat)")
            self._seen[key] = None
            if len(self._seen) > self._dedupe:
                self._seen.popitem(last=False)
        self.accepted += 1
        task = asyncio.create_task(self._run(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(status=200, text="ok")

    async def _run(self, event: E) -> None:
        try:
            await self._on_event(event)
        except Exception:
            logger.exception("the webhook handler failed for event %s", self._event_key(event))

    async def drain(self) -> None:
        """Wait for the handlers still running."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
