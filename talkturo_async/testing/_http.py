"""FakeTalkturo's thin HTTP layer: everything between the socket and the rules.

Every request under ``/api`` goes through the same named steps: read the body (413 past
``max_body_bytes``) → latency → authenticate: API key or JWT bearer, else session cookie (401)
→ route (404/405), whose group may take only some credentials (401) → authorize the key's scope
(403) → rate limit (429) → pick a fault → parse the JSON or multipart body (400/415) → replay an
``Idempotency-Key`` → run the rule → fail after commit → write the answer → log the request.
The rules themselves know nothing of HTTP.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import json
import math
import random
import time
from typing import Any, Protocol, cast

import attrs
from aiohttp import web

from .._errors import JSON as ErrorJSON
from ._dialect import Dialect
from ._faults import Dropped, Fault, ScriptedFaults, drop_connection, fault_response, send_in_halves
from ._multipart import UploadedFile, parse_multipart
from ._routing import Answer, Call, RouteTable, Rule
from ._store import JSON, FakeHTTPError, Store

BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})
_CREDENTIAL_NAMES = {"api_key": "an API key", "jwt": "a user's JWT", "session": "a session cookie"}
WRITE_METHODS = BODY_METHODS | {"DELETE"}


@attrs.frozen(kw_only=True)
class LoggedRequest:
    """One request the fake received.

    ``path`` is relative to ``/api`` (``/crm/contacts``); ``headers`` never include
    ``Authorization``; ``body`` is the decoded JSON (or ``None``); ``status`` is the answer's (``0``
    if the connection was dropped); ``answer`` is the decoded JSON the fake answered with (``None``
    for a non-JSON or dropped answer).
    """

    method: str
    path: str
    query: dict[str, str]
    body: ErrorJSON
    headers: dict[str, str]
    status: int
    answer: ErrorJSON = attrs.field(default=None, repr=False, eq=False)


class Knobs(Protocol):
    """The settings the HTTP layer reads on every request.

    They are ``FakeTalkturo``'s attributes, which tests may change while the fake runs.
    """

    latency: float
    jitter: float
    error_rate: float
    error_statuses: tuple[int, ...]
    html_error_rate: float
    reset_rate: float
    after_commit_failure_rate: float
    slow_body: float
    rate_limit_per_hour: int | None
    rate_limit_window: float
    idempotency: bool
    max_body_bytes: int
    dialect: Dialect


class HttpLayer:
    """Serves the rules in ``routes`` over HTTP, with auth, faults, idempotency and a log.

    Args:
        knobs: latency, fault, rate-limit and idempotency settings, read on every request.
        store: the records the rules change.
        routes: the route table.
        seed: makes latency jitter and random faults repeatable.
        api_key: the first accepted key (with every scope).
        jwt: the accepted user JWT (bearer), an account owner's: every route and scope.
        session_token: the accepted ``sb-access-token`` session cookie (every route but the
            JWT-only ones).
    """

    def __init__(
        self,
        *,
        knobs: Knobs,
        store: Store,
        routes: RouteTable,
        seed: int,
        api_key: str,
        jwt: str,
        session_token: str,
    ) -> None:
        self.knobs = knobs
        self.store = store
        self.routes = routes
        self.keys: dict[str, tuple[str, ...]] = {api_key: ("*",)}
        self.jwt = jwt
        self.session_token = session_token
        self.faults = ScriptedFaults()
        self.requests: list[LoggedRequest] = []
        self._rng = random.Random(seed)
        self._hits: dict[str, collections.deque[float]] = {}
        # (key, Idempotency-Key) -> (request fingerprint, status, answer body)
        self._replies: dict[tuple[str, str], tuple[str, int, bytes]] = {}

    def reset(self) -> None:
        """Forget the request log, scripted faults, stored idempotent answers and rate-limit hits."""
        self.requests.clear()
        self.faults.clear()
        self._hits.clear()
        self._replies.clear()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler of every ``/api/{tail}`` request; logs it whatever happens."""
        method = request.method
        path = "/" + request.match_info["tail"]
        query = dict(request.query)
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in ("authorization", "cookie")
        }
        logged_body: Any = None
        answer: Any = None
        status = 500
        try:
            raw_body = await self._read_body(request)
            multipart = request.content_type == "multipart/form-data"
            logged_body = f"<multipart, {len(raw_body)} bytes>" if multipart else None
            logged_body = logged_body or _decode_for_log(raw_body)
            await self._delay()
            response, status = await self._answer(request, method, path, query, raw_body)
            if isinstance(response, web.Response) and isinstance(response.body, bytes):
                answer = _decode_for_log(response.body)
            if not response.prepared:
                response.headers.update(self._dialect_headers(request))
            return response
        except FakeHTTPError as exc:
            status = exc.status
            answer = exc.body
            extra = {"Retry-After": str(exc.retry_after)} if isinstance(exc, _RateLimited) else {}
            extra.update(self._dialect_headers(request))
            return web.json_response(exc.body, status=exc.status, headers=extra)
        except Dropped:
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
                    answer=answer,
                )
            )

    async def _answer(
        self, request: web.Request, method: str, path: str, query: dict[str, str], raw_body: bytes
    ) -> tuple[web.StreamResponse, int]:
        """The steps in order; each raises ``FakeHTTPError`` (or ``Dropped``) to stop there."""
        kind, key = self._authenticate(request)
        route, path_params = self.routes.match(method, path)
        if kind not in route.credentials:
            needed = " or ".join(_CREDENTIAL_NAMES[c] for c in route.credentials)
            raise FakeHTTPError(401, f"this route takes {needed}, not {_CREDENTIAL_NAMES[kind]}")
        self._authorize(kind, key, route.scope, method)
        self._rate_limit(key)
        fault = self._pick_fault(method, path)
        if fault is not None and fault.reset:
            drop_connection(request)
        if fault is not None and fault.before_write:
            return fault_response(fault), fault.status
        body, files = _parse_body(request, method, raw_body)
        slot = self._idempotency_slot(request, method, key)
        fingerprint = ""
        if slot is not None:
            fingerprint = hashlib.sha256(f"{method} {path} ".encode() + raw_body).hexdigest()
            replay = self._replay(slot, fingerprint)
            if replay is not None:
                return replay, replay.status
        dialect = self.knobs.dialect
        query = dialect.read_query(query)
        status, payload = _run(
            route.rule,
            self.store,
            Call(
                path_params=path_params,
                query=query,
                body=body,
                files=files,
                headers=request.headers,
                raw_body=raw_body,
            ),
        )
        if method == "GET" and status == 200:
            payload = dialect.rewrite(payload)
        if slot is not None and status < 500:
            self._replies[slot] = (fingerprint, status, payload)
        failure = self._after_commit_fault(fault, method, status)
        if failure is not None:
            return fault_response(failure), failure.status
        return await self._write(request, status, payload, fault), status

    def _dialect_headers(self, request: web.Request) -> dict[str, str]:
        """The rate-limit and request-id headers the dialect sends (none by default)."""
        dialect, headers = self.knobs.dialect, dict[str, str]()
        if dialect.request_id_header:
            headers[dialect.request_id_header] = f"req_{len(self.requests) + 1:08d}"
        if dialect.rate_limit_headers:
            limit = self.knobs.rate_limit_per_hour or 1000
            token = request.headers.get("Authorization", "").partition(" ")[2]
            used = len(self._hits.get(token, ()))
            headers["X-RateLimit-Limit"] = str(limit)
            headers["X-RateLimit-Remaining"] = str(max(limit - used, 0))
            headers["X-RateLimit-Reset"] = str(int(self.knobs.rate_limit_window))
        return headers

    async def _read_body(self, request: web.Request) -> bytes:
        try:
            return await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise FakeHTTPError(
                413, f"request body larger than {self.knobs.max_body_bytes} bytes"
            ) from None

    async def _delay(self) -> None:
        knobs = self.knobs
        delay = knobs.latency + (self._rng.uniform(0, knobs.jitter) if knobs.jitter else 0.0)
        if delay:
            await asyncio.sleep(delay)

    def _authenticate(self, request: web.Request) -> tuple[str, str]:
        """The kind of credential (``api_key``, ``jwt``, ``session``) and its token; 401 if none."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            if token == self.jwt:
                return "jwt", token
            if token in self.keys or self.store.use_api_key(token) is not None:
                return "api_key", token
        if request.cookies.get("sb-access-token") == self.session_token:  # dual auth: then cookie
            return "session", self.session_token
        raise _Unauthorized()

    def _authorize(self, kind: str, key: str, scope: str, method: str) -> None:
        if kind != "api_key":
            return  # a signed-in owner may do everything
        wanted = f"{scope}:{'read' if method == 'GET' else 'write'}"
        scopes = self.keys.get(key) or self.store.use_api_key(key) or ()
        if not any(
            s == "*" or s == wanted or (s.endswith(":*") and s[:-2] == scope) for s in scopes
        ):
            raise FakeHTTPError(403, f"this API key lacks the scope {wanted}")

    def _rate_limit(self, key: str) -> None:
        """At most ``rate_limit_per_hour`` requests per key in any ``rate_limit_window``."""
        limit, window = self.knobs.rate_limit_per_hour, self.knobs.rate_limit_window
        if limit is None:
            return
        now = time.monotonic()
        hits = self._hits.setdefault(key, collections.deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= limit:
            raise _RateLimited(max(1, math.ceil(hits[0] + window - now)))
        hits.append(now)

    def _pick_fault(self, method: str, path: str) -> Fault | None:
        """A scripted fault first; else a dropped connection or an error, at their rates."""
        fault = self.faults.take(method, path)
        if fault is not None:
            return fault
        knobs = self.knobs
        if knobs.reset_rate and self._rng.random() < knobs.reset_rate:
            return Fault(status=0, reset=True)
        if knobs.error_rate and self._rng.random() < knobs.error_rate:
            html = bool(knobs.html_error_rate) and self._rng.random() < knobs.html_error_rate
            return Fault(status=self._rng.choice(knobs.error_statuses), html=html)
        return None

    def _idempotency_slot(
        self, request: web.Request, method: str, key: str
    ) -> tuple[str, str] | None:
        if method != "POST" or not self.knobs.idempotency:
            return None
        idempotency_key = request.headers.get("Idempotency-Key")
        return (key, idempotency_key) if idempotency_key else None

    def _replay(self, slot: tuple[str, str], fingerprint: str) -> web.Response | None:
        """The first answer under this key again (422 if the key came with another request)."""
        stored = self._replies.get(slot)
        if stored is None:
            return None
        if stored[0] != fingerprint:
            raise FakeHTTPError(422, "Idempotency-Key was already used for a different request")
        return web.Response(
            status=stored[1],
            body=stored[2],
            content_type="application/json",
            headers={"Idempotent-Replayed": "true"},
        )

    def _after_commit_fault(self, fault: Fault | None, method: str, status: int) -> Fault | None:
        """A scripted after-commit fault, or a 500 at ``after_commit_failure_rate`` on writes."""
        if fault is not None and fault.after_commit:
            return fault
        rate = self.knobs.after_commit_failure_rate
        if rate and method in WRITE_METHODS and status < 400 and self._rng.random() < rate:
            return Fault(status=500, after_commit=True)
        return None

    async def _write(
        self, request: web.Request, status: int, payload: bytes, fault: Fault | None
    ) -> web.StreamResponse:
        cut = fault is not None and fault.reset_mid_body
        if cut or self.knobs.slow_body:
            return await send_in_halves(
                request, status, payload, stall=self.knobs.slow_body, cut=cut
            )
        return web.Response(status=status, body=payload, content_type="application/json")


def _decode_for_log(raw_body: bytes) -> Any:
    if not raw_body:
        return None
    try:
        return json.loads(raw_body)
    except ValueError:
        return raw_body.decode("utf-8", "replace")


def _parse_body(
    request: web.Request, method: str, raw_body: bytes
) -> tuple[JSON, dict[str, UploadedFile]]:
    """The JSON object body, or the fields and files of a ``multipart/form-data`` body.

    The JSON body is ``{}`` for methods without one and for an empty POST.
    """
    if method not in BODY_METHODS:
        return {}, {}
    if not raw_body:
        if method == "POST":
            return {}, {}
        raise FakeHTTPError(400, "a JSON body is required")
    if request.content_type == "multipart/form-data":
        fields, files = parse_multipart(request.headers["Content-Type"], raw_body)
        return dict(fields), files
    if request.content_type != "application/json":
        raise FakeHTTPError(415, "Content-Type must be application/json")
    try:
        body = json.loads(raw_body)
    except ValueError as exc:
        raise FakeHTTPError(400, f"malformed JSON body: {exc}") from None
    if not isinstance(body, dict):
        raise FakeHTTPError(400, "the JSON body must be an object")
    return cast("dict[str, Any]", body), {}


def _run(rule: Rule, store: Store, call: Call) -> tuple[int, bytes]:
    """The rule's answer as (status, JSON bytes); a rule's error is an answer too."""
    try:
        answer = rule(store, call)
    except FakeHTTPError as exc:
        return exc.status, json.dumps(exc.body).encode()
    if isinstance(answer, Answer):
        return answer.status, json.dumps(answer.body).encode()
    return 200, json.dumps(answer).encode()


class _Unauthorized(FakeHTTPError):
    def __init__(self) -> None:
        super().__init__(401, "Unauthorized")
        self.body = {"error": "Unauthorized"}


class _RateLimited(FakeHTTPError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(429, "Rate limit exceeded")
        self.retry_after = retry_after
