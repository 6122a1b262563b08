"""``talkturo doctor``: which documented variant of the API *your* deployment speaks.

Talkturo's docs and its spec disagree on points of form: where a payload sits (a resource key or
``data``), whether lists count ``count`` or ``total``, ``limit``/``offset`` or ``page`` paging, the
casing of records, and which rate-limit and request-id headers come back. :func:`run` makes a few
read-only calls with your key and reports what the server actually does, with the latency,
as a :class:`DoctorReport` whose :meth:`~DoctorReport.render` is safe to paste into a bug report:
the key is masked and no value of any record (names, emails, phones) is ever included — only
field names.

    report = await talkturo_async.doctor.run(tk, team_id="team_...")
    print(report.render())
"""

# pyright: reportPrivateUsage=false
# (the doctor reads the client's own settings and transport: the same package)
from __future__ import annotations

import json
import platform
import re
import statistics
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import JSON, TalkturoError
from ._variants import Envelope
from ._version import sdk_version
from ._wire import build_request, request_headers, snake

if TYPE_CHECKING:
    from ._client import Talkturo
    from ._transport import Response

__all__ = ["DoctorReport", "Probe", "run"]

_REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
    "x-vercel-id",
    "cf-ray",
    "x-trace-id",
)
_RATE_LIMIT_PREFIXES = ("x-ratelimit", "x-rate-limit", "ratelimit", "retry-after")
_LIST_META = frozenset({"success", "count", "total", "limit", "offset", "page", "data"})
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ().-]{6,}\d")


@attrs.frozen(kw_only=True)
class Probe:
    """One read-only call the doctor made, and what its answer showed.

    Attributes:
        name: what was checked (``auth``, ``campaigns``, ``contacts``).
        request: the call, with no parameter values (``GET /crm/campaigns?teamId&limit&offset``).
        status: the HTTP status (``None``: no answer, or the call was skipped).
        latency_ms: the time to the whole answer.
        skipped: why the call was not made, if it was not.
        error: why the call failed (no answer, not JSON), masked like the rest.
        envelope: where the payload sat: a key name, ``data``, ``bare array`` or ``bare object``.
        success_flag: whether the body had a top-level ``success``.
        count_key: ``count``, ``total``, ``count+total`` or ``None`` (no total).
        paging: ``offset``, ``page``, ``offset+page`` or ``None`` (neither echoed).
        record_casing: ``snake_case``, ``camelCase``, ``mixed``, ``single-word keys`` or ``None``
            (no record to look at).
        sdk_reads: whether this SDK finds the payload in the answer.
        unrecognised: top-level keys and record fields this SDK does not know (names only).
    """

    name: str
    request: str
    status: int | None = None
    latency_ms: float | None = None
    skipped: str | None = None
    error: str | None = None
    envelope: str | None = None
    success_flag: bool | None = None
    count_key: str | None = None
    paging: str | None = None
    record_casing: str | None = None
    sdk_reads: bool | None = None
    unrecognised: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class DoctorReport:
    """What :func:`run` found about one deployment.

    Attributes:
        base_url: the API base called (without credentials or query).
        key_hint: the key's public prefix and length only (``tk_live_… (40 characters)``).
        sdk_version: this SDK's version.
        reachable: some answer came back.
        authenticated: the key was accepted (``GET /test-api-key`` answered 2xx).
        request_id_header: the header carrying a request id, if the server sends one.
        request_id: its value on the first answer (quote it to support).
        rate_limit_headers: rate-limit headers seen (``x-ratelimit-limit``, ...) and their values.
        probes: every call made, in order.
    """

    base_url: str
    key_hint: str
    sdk_version: str
    reachable: bool
    authenticated: bool
    request_id_header: str | None = None
    request_id: str | None = None
    rate_limit_headers: tuple[tuple[str, str], ...] = ()
    probes: tuple[Probe, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the server was reachable and accepted the key."""
        return self.reachable and self.authenticated

    @property
    def median_latency_ms(self) -> float | None:
        """The median latency of the calls that got an answer."""
        times = [p.latency_ms for p in self.probes if p.latency_ms is not None]
        return statistics.median(times) if times else None

    def render(self) -> str:
        """The report as plain text for a bug report (no key, no record values)."""
        yes = {True: "yes", False: "no", None: "-"}
        median = self.median_latency_ms
        lines = [
            f"talkturo doctor (talkturo_async {self.sdk_version}, Python "
            f"{platform.python_version()})",
            f"base URL:           {self.base_url}",
            f"API key:            {self.key_hint}",
            f"reachable:          {yes[self.reachable]}",
            f"authenticated:      {yes[self.authenticated]}",
            f"request id header:  {self.request_id_header or 'none'}"
            + (f" (first: {self.request_id})" if self.request_id else ""),
            "rate-limit headers: "
            + (", ".join(f"{k}={v}" for k, v in self.rate_limit_headers) or "none"),
            "median latency:     " + ("-" if median is None else f"{median:.0f} ms"),
        ]
        for probe in self.probes:
            lines.append("")
            if probe.skipped:
                lines.append(f"{probe.request}: skipped, {probe.skipped}")
                continue
            took = "" if probe.latency_ms is None else f" in {probe.latency_ms:.0f} ms"
            lines.append(f"{probe.request} -> {probe.status or 'no answer'}{took}")
            if probe.error:
                lines.append(f"  error:          {probe.error}")
            if probe.status is None or probe.envelope is None:
                continue
            rows = [
                ("envelope", _label(probe.envelope, probe.name)),
                ("success flag", "present" if probe.success_flag else "absent"),
                ("total key", _label(probe.count_key or "none")),
                ("paging", _label(probe.paging or "none echoed")),
                ("record casing", probe.record_casing or "no records to inspect"),
                ("SDK reads it", yes[probe.sdk_reads]),
                ("unrecognised", ", ".join(probe.unrecognised) or "none"),
            ]
            if probe.name == "auth":
                rows = [rows[1], rows[6]]
            lines += [f"  {label + ':':<15} {value}" for label, value in rows]
        return "\n".join(lines) + "\n"


_VARIANTS = {
    "data": "the repo overview's generic data envelope",
    "bare array": "no envelope",
    "count": "as the live docs",
    "total": "as the repo spec",
    "none": "no total: paging stops on a short page",
    "offset": "limit/offset, as the live docs",
    "page": "page numbers, as the repo spec",
}


def _label(value: str | None, resource: str | None = None) -> str:
    """A finding with the documented variant it matches (``count (as the live docs)``)."""
    if value is None:
        return "-"
    if value == resource:
        return f"{value} (resource key, as the live docs)"
    known = _VARIANTS.get(value)
    return f"{value} ({known})" if known else value


def mask_key(api_key: str) -> str:
    """The key's public prefix (``tk_live_``/``tk_test_``) and its length, nothing more.

    Args:
        api_key: the key to describe.
    """
    match = re.match(r"tk_(live|test)_", api_key)
    prefix = match.group(0) if match else ""
    return f"{prefix}… ({len(api_key)} characters)"


def _scrub(text: str, api_key: str) -> str:
    """``text`` without the key, email addresses or phone numbers."""
    text = text.replace(api_key, "[key]") if api_key else text
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


async def _probe_auth(tk: Talkturo) -> tuple[Probe, Response | None]:
    """``GET /test-api-key``: its probe, and the response (``None`` if there was none)."""
    response, took, error = await _get(tk, "test-api-key", None)
    auth = Probe(name="auth", request="GET /test-api-key", latency_ms=took, error=error)
    if response is None:
        return auth, None
    authenticated = 200 <= response.status < 300
    body = _json(response)
    top = list(body) if isinstance(body, dict) else []
    auth = attrs.evolve(
        auth,
        status=response.status,
        envelope="bare object" if isinstance(body, dict) else None,
        success_flag="success" in top,
        unrecognised=tuple(k for k in top if k not in ("success", "message", "error")),
        error=None if authenticated else f"HTTP {response.status}",
    )
    return auth, response


async def _get(
    tk: Talkturo, path: str, params: Mapping[str, Any] | None
) -> tuple[Response | None, float, str | None]:
    """One GET straight through the client's transport: one attempt, no retries, headers kept.

    The doctor needs what the client's pipeline hides (the headers, the raw body, one timing).
    """
    headers = request_headers("GET", tk._auth, tk._default_headers)
    timeout = 15.0 if tk.timeout is None else min(tk.timeout, 15.0)
    request = build_request(
        "GET", tk.base_url, path, headers=headers, params=params, timeout=timeout
    )
    tk._shared.used = True
    started = time.perf_counter()
    try:
        response = await tk._shared.transport.send(request)
    except TalkturoError as exc:
        elapsed = (time.perf_counter() - started) * 1000
        return None, elapsed, _scrub(f"{type(exc).__name__}: {exc}", tk._auth.token)
    return response, (time.perf_counter() - started) * 1000, None


def _json(response: Response) -> JSON:
    try:
        answer: JSON = json.loads(response.body)
        return answer
    except ValueError:
        return None


def _casing(keys: Sequence[str]) -> str:
    snake_keys = any("_" in k for k in keys)
    camel_keys = any(re.search(r"[a-z][A-Z]", k) for k in keys)
    if snake_keys and camel_keys:
        return "mixed"
    if snake_keys:
        return "snake_case"
    return "camelCase" if camel_keys else "single-word keys"


def _describe_list(
    probe: Probe, body: JSON, key: str, model: type[Any], envelope: Envelope
) -> Probe:
    """What a one-item list answer shows, from key names only."""
    items: list[JSON]
    if isinstance(body, list):
        items = body
        where = "bare array"
        top: list[str] = []
    elif isinstance(body, dict):
        top = list(body)
        found = next((k for k in (key, "data") if isinstance(body.get(k), list)), None)
        found = found or next((k for k in top if isinstance(body[k], list)), None)
        listed = body.get(found) if found else None
        items = listed if isinstance(listed, list) else []
        where = found or "no array found"
    else:
        return attrs.evolve(probe, error="the answer is not JSON")
    known = {f.name for f in attrs.fields(model)}
    records = [r for r in items if isinstance(r, dict)]
    record_keys = list(records[0]) if records else []
    unrecognised = [k for k in top if k not in _LIST_META and k != key]
    unrecognised += [f"record.{k}" for k in record_keys if snake(k) not in known]
    count = "+".join(k for k in ("count", "total") if k in top) or None
    paging = "+".join(k for k in ("offset", "page") if k in top) or None
    return attrs.evolve(
        probe,
        envelope=where,
        success_flag="success" in top,
        count_key=count,
        paging=paging,
        record_casing=_casing(record_keys) if record_keys else None,
        sdk_reads=envelope.items(body) is not None,
        unrecognised=tuple(unrecognised),
    )


async def _probe_list(
    tk: Talkturo, name: str, path: str, key: str, model: type[Any], team_id: str | None
) -> Probe:
    request = f"GET /{path}?teamId&limit=1&offset=0"
    if not team_id:
        return Probe(name=name, request=request, skipped="needs a team id (--team-id)")
    params = {"teamId": team_id, "limit": 1, "offset": 0}
    response, took, error = await _get(tk, path, params)
    probe = Probe(name=name, request=request, latency_ms=took, error=error)
    if response is None:
        return probe
    probe = attrs.evolve(probe, status=response.status)
    if not 200 <= response.status < 300:
        return attrs.evolve(probe, error=f"HTTP {response.status}")
    return _describe_list(probe, _json(response), key, model, Envelope(key))


async def run(tk: Talkturo, team_id: str | None = None) -> DoctorReport:
    """Find out which documented variant of the API the client's server speaks.

    Makes only read-only calls, one attempt each: ``GET /test-api-key``, then (with ``team_id``)
    a one-item list of campaigns and one of contacts. Never raises for what the server answers:
    an unreachable server or a refused key is reported, not raised.

    Args:
        tk: the client whose key and base URL are checked (its retry settings are not used).
        team_id: the team whose lists are sampled; without it the list checks are skipped.

    Returns:
        the report; ``report.ok`` is whether the server answered and accepted the key, and
        ``report.render()`` is safe to share (masked key, field names but no record values).

    Raises:
        ClientStateError: the client is closed.
    """
    from ._errors import ClientStateError
    from .models.campaigns import Campaign  # the groups' models, imported for a run only
    from .models.contacts import Contact

    if tk.is_closed:
        raise ClientStateError("this Talkturo client is closed; create a new one")
    auth, response = await _probe_auth(tk)
    headers: Mapping[str, str] = {} if response is None else response.headers
    authenticated = response is not None and 200 <= response.status < 300
    probes = [auth]
    if authenticated:
        probes.append(
            await _probe_list(tk, "campaigns", "crm/campaigns", "campaigns", Campaign, team_id)
        )
        probes.append(
            await _probe_list(tk, "contacts", "crm/contacts", "contacts", Contact, team_id)
        )
    id_header = next((h for h in _REQUEST_ID_HEADERS if h in headers), None)
    rate_headers = tuple(
        (k, v) for k, v in sorted(headers.items()) if k.startswith(_RATE_LIMIT_PREFIXES)
    )
    url = tk.base_url.with_user(None).with_password(None).with_query(None)
    return DoctorReport(
        base_url=str(url),
        key_hint=mask_key(tk._auth.token),
        sdk_version=sdk_version(),
        reachable=response is not None,
        authenticated=authenticated,
        request_id_header=id_header,
        request_id=headers.get(id_header) if id_header else None,
        rate_limit_headers=rate_headers,
        probes=tuple(probes),
    )
