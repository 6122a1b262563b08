"""Pure request building and response decoding (no I/O, no event loop).

``build_request`` turns a call into a :class:`Request`; ``decode_response`` turns a
:class:`Response` into the JSON body or the right :class:`APIError`; ``parse_retry_after`` reads
the server's requested wait. ``to_wire`` is the one snake_case → camelCase rule for arguments.
Where the payload sits inside a decoded body is ``_variants``' concern.
"""

from __future__ import annotations

import email.utils
import functools
import json
import math
import os
import re
import time
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from yarl import URL

from ._config import Credential
from ._errors import APIError, RateLimitError, ResponseValidationError, error_for_status
from ._log import mask_secrets
from ._transport import Request, Response, StreamedBody
from ._version import user_agent

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._errors import JSON

_MAX_TEXT = 500
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-talkturo-request-id")


# Every body and query converts its field names: the names are few and repeat, so each spelling is
# worked out once (2 µs) and then looked up (0.1 µs). The caches stop growing at _NAMES_KEPT names,
# so keys that come from data (a mapping's unknown keys) cannot grow them without bound.
_camel_names: dict[str, str] = {}
_snake_names: dict[str, str] = {}
_NAMES_KEPT = 2048


def camel(name: str) -> str:
    """``from_number_ids`` → ``fromNumberIds``; ``address_line1`` → ``addressLine1``."""
    spelt = _camel_names.get(name)
    if spelt is None:
        head, *rest = name.split("_")
        spelt = head + "".join(part[:1].upper() + part[1:] for part in rest)
        if len(_camel_names) < _NAMES_KEPT:
            _camel_names[name] = spelt
    return spelt


def snake(name: str) -> str:
    """``firstName`` → ``first_name`` (snake_case names pass unchanged)."""
    spelt = _snake_names.get(name)
    if spelt is None:
        spelt = _CAMEL_HUMP.sub(r"_\1", name).lower()
        if len(_snake_names) < _NAMES_KEPT:
            _snake_names[name] = spelt
    return spelt


def to_wire(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Snake_case keyword arguments as camelCase wire names, leaving out ``None`` values."""
    return {camel(k): v for k, v in fields.items() if v is not None}


def encode_query(params: Mapping[str, Any]) -> dict[str, str]:
    """Query values as strings: booleans as ``true``/``false``, ``None`` left out."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            out[key] = ",".join(str(v) for v in cast("Iterable[object]", value))
        else:
            out[key] = str(value)
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(cast("Iterable[object]", value))
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# One encoder for every body: json.dumps() with any non-default argument builds a new one per call.
_ENCODER = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, default=_json_default, allow_nan=False
)


def encode_json(value: Any) -> bytes:
    """A JSON body as the SDK sends it: compact, UTF-8, the same bytes for the same value.

    So a signature over these bytes matches what goes on the wire. Dates and datetimes are sent
    in ISO 8601, sets and tuples as arrays.

    Raises:
        ValueError: NaN or an infinity anywhere in ``value`` (JSON has no such numbers), or a
            container that holds itself; the message gives the path, ``json body:
            contacts[3].score is NaN``.
        TypeError: a value JSON cannot hold (``bytes``, an arbitrary object) or a dict key that
            is not a str or number; the message gives the path and the type.
    """
    try:
        text = _ENCODER.encode(value)
    except (TypeError, ValueError):
        _explain_unencodable(value, "", set())
        raise  # pragma: no cover - the walk above finds every failure json.dumps reports
    return text.encode()


def _path_to(path: str, key: Any) -> str:
    if isinstance(key, str) and key.isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def _explain_unencodable(value: Any, path: str, holding: set[int]) -> None:
    """Raise the error naming where in ``value`` JSON fails; return if nothing is wrong there."""
    where = f"json body: {path}" if path else "json body"
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError(f"{where} is NaN; JSON has no NaN (send None or leave it out)")
        if math.isinf(value):
            name = "Infinity" if value > 0 else "-Infinity"
            raise ValueError(f"{where} is {name}; JSON has no infinite numbers")
        return
    if value is None or isinstance(value, (str, int, datetime, date)):
        return
    if not isinstance(value, (dict, list, tuple, set, frozenset)):
        raise TypeError(
            f"{where} is of type {type(value).__name__}, which JSON cannot encode (send a str, "
            "number, bool, None, list or dict)"
        )
    # The containers the check above lets through (this runs only once json.dumps has failed).
    container = cast(
        "dict[object, object] | list[object] | tuple[object, ...] | set[object] | frozenset[object]",
        value,
    )
    if id(container) in holding:
        raise ValueError(f"{where} is a container that holds it (a circular reference)")
    holding.add(id(container))
    if isinstance(container, dict):
        for key, item in container.items():
            if key is not None and not isinstance(key, (str, int, float)):
                raise TypeError(f"{where} has a key of type {type(key).__name__}; use str keys")
            if isinstance(key, float) and not math.isfinite(key):
                raise ValueError(f"{where} has the key {key!r}, which JSON cannot hold")
            _explain_unencodable(item, _path_to(path, key), holding)
    else:
        for index, item in enumerate(container):
            _explain_unencodable(item, f"{path}[{index}]", holding)
    holding.discard(id(container))


def request_headers(
    method: str,
    credential: Credential,
    default_headers: Mapping[str, str],
    idempotency_key: str | None = None,
) -> dict[str, str]:
    """The headers of one call.

    JSON, the SDK's user agent, the caller's defaults, the credential's header (``Authorization:
    Bearer …`` or the session ``Cookie``), and for a POST an ``Idempotency-Key`` (the given one,
    else a new uuid4 kept across retries).
    """
    headers = {
        "Accept": "application/json",
        "User-Agent": user_agent(),
        **default_headers,
        **credential.headers(),
    }
    if method == "POST":
        headers["Idempotency-Key"] = idempotency_key or new_idempotency_key()
    return headers


# The version (4) and variant (RFC 4122) bits of a random UUID, as uuid.uuid4() sets them.
_V4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_V4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_idempotency_key() -> str:
    """A random (version 4) UUID as text, what ``str(uuid.uuid4())`` gives, in a third of its time.

    ``uuid.UUID`` validates its arguments in Python (~6 µs a key); this is the same 122 random
    bits from ``os.urandom`` with the version and variant bits set.
    """
    n = int.from_bytes(os.urandom(16), "big") & _V4_CLEAR | _V4_SET
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def join_under(base_url: URL, path: str) -> URL:
    """``path`` joined under ``base_url``, refusing any path that would take the key elsewhere.

    An absolute URL is accepted only on ``base_url``'s own origin; ``..`` segments may not climb
    out of the base path (``/api/``).

    Raises:
        ValueError: another origin, or a path outside the base path.
    """
    target = URL(path)
    if target.scheme or target.host:
        if target.scheme != base_url.scheme or target.origin() != base_url.origin():
            raise ValueError(
                "refusing to send the API key to another origin: pass a path relative to "
                f"base_url ({base_url.origin()}), not an absolute URL to another host"
            )
        url = target
    else:
        url = base_url.join(URL(path.lstrip("/")))
    if not url.path.startswith(base_url.path):
        raise ValueError(f"the path {path!r} leaves the API's base path {base_url.path!r}")
    return url


# Paths repeat (creates, list pages, re-reads): parsing and checking one costs 1.5-4 µs, a
# cache hit 0.5. URLs are immutable; a path that is refused raises and is not cached.
_joined = functools.lru_cache(maxsize=256)(join_under)


def build_request(
    method: str,
    base_url: URL,
    path: str,
    *,
    headers: Mapping[str, str],
    params: Mapping[str, Any] | None = None,
    json_body: Any = None,
    stream: StreamedBody | None = None,
    timeout: float | None = None,
) -> Request:
    """Join ``path`` (no leading slash, e.g. ``crm/campaigns``) under ``base_url`` and encode.

    A ``stream`` (an upload) is sent instead of a JSON body, with its content type and length.

    Raises:
        ValueError: ``path`` would leave the API (see :func:`join_under`); nothing is sent.
    """
    url = _joined(base_url, path)
    if params:
        url = url.with_query(encode_query(params))
    hdrs: Mapping[str, str] = headers  # copied only to add to them
    body = None
    if json_body is not None:
        body = encode_json(json_body)
        hdrs = {**headers, "Content-Type": "application/json"}
    elif stream is not None:
        sized = {**headers, "Content-Type": stream.content_type}
        if stream.length is not None:
            sized["Content-Length"] = str(stream.length)
        hdrs = sized
    return Request(method=method, url=url, headers=hdrs, body=body, timeout=timeout, stream=stream)


class _TooDeep(ValueError):
    """JSON nested deeper than the interpreter's recursion limit."""


def _parse_body(response: Response) -> Any:
    body = response.body
    if not body or body.isspace():  # not strip(), which copies the whole body
        return {}
    try:
        return json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return None
    except RecursionError:
        if 200 <= response.status < 300:
            raise _TooDeep("the answer is JSON nested too deeply to read") from None
        return None


def _error_message(data: JSON, response: Response) -> str:
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            return str(err["message"])
        for key in ("error", "message"):
            if isinstance(data.get(key), str) and data[key]:
                return str(data[key])
    if data is None:
        text = response.body.decode("utf-8", "replace").strip()
        if text:
            return "non-JSON answer: " + " ".join(text.split())[:200]
    return f"HTTP {response.status}"


def decode_response(response: Response, *, method: str, url: str | URL) -> Any:
    """Return the decoded JSON body of a success, or raise the matching :class:`APIError`.

    Raises on any non-2xx status and on a 2xx whose body says ``"success": false``. A body that
    is not JSON (a proxy's HTML page) never surfaces as a ``JSONDecodeError``: on an error status
    it becomes the error's ``body`` (truncated text), on a 2xx an ``APIError``. ``url`` names the
    request in errors; a :class:`URL` is turned into text (without its query) only for an error.
    """
    try:
        data: JSON = _parse_body(response)
    except _TooDeep as exc:
        raise invalid_answer(response, exc, method=method, url=url_text(url)) from None
    ok = 200 <= response.status < 300
    if ok and isinstance(data, dict) and not _says_failure(data.get("success")):
        return data
    if ok and isinstance(data, list):
        return data
    url = url_text(url)
    status = response.status
    message = _error_message(data, response)
    if ok and data is None:
        message = "the server answered with a body that is not JSON"
    elif 300 <= status < 400:
        where = response.headers.get("location", "nowhere")
        message = (
            f"HTTP {status} redirect to {mask_secrets(where)[:200]}; the SDK does not follow "
            "redirects (check base_url)"
        )
    message = mask_secrets(message)
    if len(message) > _MAX_TEXT:
        message = message[:_MAX_TEXT] + "…"
    raw = response.body[:_MAX_TEXT].decode("utf-8", "replace")
    body: Any = _mask_json(data) if data is not None else mask_secrets(raw)
    request_id = request_id_of(response)
    if not ok:
        cls = error_for_status(status)
    elif isinstance(data, dict):  # "success": false on a 2xx: the server reports a failure
        cls = APIError
    else:  # a 2xx that is not JSON, or a bare JSON scalar: not what any call returns
        cls = ResponseValidationError
    kwargs: dict[str, Any] = {
        "status_code": status,
        "body": body,
        "headers": response.headers,
        "method": method,
        "url": url,
        "request_id": request_id,
    }
    if cls is RateLimitError:
        raise RateLimitError(message, retry_after=parse_retry_after(response.headers), **kwargs)
    raise cls(message, **kwargs)


def url_text(url: str | URL) -> str:
    """``url`` as errors and logs name it: text, without the query (which may hold personal data)."""
    return url if isinstance(url, str) else str(url.with_query(None))


def request_id_of(response: Response) -> str | None:
    """The server's request id header (``X-Request-Id`` or a known variant), if it sent one."""
    return next((response.headers[h] for h in _REQUEST_ID_HEADERS if h in response.headers), None)


def invalid_answer(
    response: Response, problem: BaseException, *, method: str, url: str
) -> ResponseValidationError:
    """A :class:`ResponseValidationError` for a 2xx answer the call cannot use.

    The message says what was wrong (bounded, credentials masked); ``body`` is a bounded, masked
    excerpt of the answer's text, never the whole of a large body.
    """
    if isinstance(problem, RecursionError):
        reason = "the answer is nested too deeply"
    else:
        reason = str(problem) or type(problem).__name__
    reason = mask_secrets(reason)
    if len(reason) > 300:
        reason = reason[:300] + "…"
    excerpt = mask_secrets(response.body[:_MAX_TEXT].decode("utf-8", "replace"))
    return ResponseValidationError(
        f"unexpected answer: {reason}",
        status_code=response.status,
        body=excerpt,
        headers=response.headers,
        method=method,
        url=url,
        request_id=request_id_of(response),
    )


def _says_failure(success: Any) -> bool:
    """``"success": false``, also spelled as a string (``"false"``) by some servers."""
    if success is False:
        return True
    return isinstance(success, str) and success.strip().lower() == "false"


def _mask_json(value: JSON) -> JSON:
    """Decoded JSON with every credential in its strings masked (an error body may echo one)."""
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: _mask_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_json(v) for v in value]
    return value


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Read ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date) as seconds ≥ 0.

    ``headers`` must have lower-case names (as :class:`Response` gives them). Returns ``None``
    when neither header is present or parseable.
    """
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
