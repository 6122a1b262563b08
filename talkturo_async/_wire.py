"""Pure request building and response decoding (no I/O, no event loop).

``build_request`` turns a call into a :class:`Request`; ``decode_response`` turns a
:class:`Response` into the JSON body or the right :class:`APIError`; ``parse_retry_after`` reads
the server's requested wait. ``to_wire`` is the one snake_case → camelCase rule for arguments.
Where the payload sits inside a decoded body is ``_variants``' concern.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from yarl import URL

from ._config import Credential
from ._errors import APIError, RateLimitError, error_for_status
from ._transport import Request, Response, StreamedBody
from ._version import user_agent

_MAX_TEXT = 500
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-talkturo-request-id")


def camel(name: str) -> str:
    """``from_number_ids`` → ``fromNumberIds``; ``address_line1`` → ``addressLine1``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    """``firstName`` → ``first_name`` (snake_case names pass unchanged)."""
    return _CAMEL_HUMP.sub(r"_\1", name).lower()


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
            out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = str(value)
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def request_headers(
    method: str,
    credential: Credential,
    default_headers: Mapping[str, str],
    idempotency_key: str | None = None,
) -> dict[str, str]:
    """The headers of one call: JSON, the SDK's user agent, the caller's defaults, the credential's
    header (``Authorization: Bearer …`` or the session ``Cookie``), and for a POST an
    ``Idempotency-Key`` (the given one, else a new uuid4 kept across retries)."""
    headers = {
        "Accept": "application/json",
        "User-Agent": user_agent(),
        **default_headers,
        **credential.headers(),
    }
    if method == "POST":
        headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
    return headers


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
    """
    url = base_url.join(URL(path.lstrip("/")))
    if params:
        url = url.with_query(encode_query(params))
    hdrs = dict(headers)
    body = None
    if json_body is not None:
        body = json.dumps(
            json_body, separators=(",", ":"), ensure_ascii=False, default=_json_default
        ).encode()
        hdrs["Content-Type"] = "application/json"
    elif stream is not None:
        hdrs["Content-Type"] = stream.content_type
        if stream.length is not None:
            hdrs["Content-Length"] = str(stream.length)
    return Request(method=method, url=url, headers=hdrs, body=body, timeout=timeout, stream=stream)


def _parse_body(response: Response) -> Any:
    if not response.body.strip():
        return {}
    try:
        return json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return None


def _error_message(data: Any, response: Response) -> str:
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


def decode_response(response: Response, *, method: str, url: str) -> Any:
    """Return the decoded JSON body of a success, or raise the matching :class:`APIError`.

    Raises on any non-2xx status and on a 2xx whose body says ``"success": false``. A body that
    is not JSON (a proxy's HTML page) never surfaces as a ``JSONDecodeError``: on an error status
    it becomes the error's ``body`` (truncated text), on a 2xx an ``APIError``.
    """
    data = _parse_body(response)
    ok = 200 <= response.status < 300
    if ok and isinstance(data, dict) and data.get("success") is not False:
        return data
    if ok and isinstance(data, list):
        return data
    status = response.status
    message = _error_message(data, response)
    if ok and data is None:
        message = "the server answered with a body that is not JSON"
    body: Any = data if data is not None else response.body[:_MAX_TEXT].decode("utf-8", "replace")
    request_id = next(
        (response.headers[h] for h in _REQUEST_ID_HEADERS if h in response.headers), None
    )
    cls = error_for_status(status) if not ok else APIError
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
