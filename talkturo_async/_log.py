"""The ``talkturo_async`` logger and its opt-in handler.

Above DEBUG nothing logged carries a key, a body, a query string or personal data; retries log the
method and path only. ``TALKTURO_LOG=debug|info`` attaches a stderr handler once.
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from yarl import URL

    from ._transport import Request

logger = logging.getLogger("talkturo_async")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_handler: logging.Handler | None = None


def setup_from_env() -> None:
    """Attach a stderr handler when ``TALKTURO_LOG`` asks for one (idempotent)."""
    global _handler
    level = _LEVELS.get(os.environ.get("TALKTURO_LOG", "").strip().lower())
    if level is None or _handler is not None:
        return
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(level)


_SECRET_KEY = re.compile(r"secret|password|token|api_?key|signature|credential", re.IGNORECASE)
_SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "proxy-authorization"})
# A Talkturo key or any bearer token inside free text (a server echoing the request, say).
_SECRET_TEXT = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+|\btk_(?:live|test)_[A-Za-z0-9_\-]+")


def mask_secrets(text: str) -> str:
    """``text`` with every API key (``tk_live_…``/``tk_test_…``) and bearer token masked."""
    return _SECRET_TEXT.sub(lambda m: (m.group(1) or "") + "<redacted>", text)


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """A copy of ``headers`` safe to log: credentials and secret-like headers ``<redacted>``."""
    return {
        k: "<redacted>" if k.lower() in _SECRET_HEADERS or _SECRET_KEY.search(k) else v
        for k, v in headers.items()
    }


def redact_url(url: URL) -> str:
    """``url`` safe to log: query parameters with secret-like names (``api_key``) ``<redacted>``."""
    if not url.query_string:
        return str(url)
    query = [(k, "<redacted>" if _SECRET_KEY.search(k) else v) for k, v in url.query.items()]
    return mask_secrets(str(url.with_query(query)))


def _scrub(value: object) -> object:
    if isinstance(value, dict):
        fields = cast("dict[str, object]", value)
        return {k: "<redacted>" if _SECRET_KEY.search(k) else _scrub(v) for k, v in fields.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in cast("list[object]", value)]
    return value


def redact_body(body: bytes | None, limit: int = 1000) -> str:
    """A request body safe for DEBUG logs: secret-like keys (``webhookSecret``) redacted."""
    if not body:
        return ""
    try:
        text = json.dumps(_scrub(json.loads(body)), ensure_ascii=False)
    except ValueError:
        text = body.decode("utf-8", "replace")
    return mask_secrets(text)[:limit]


# Bodies sent to these paths are secret as a whole (a flow secret's ``value``).
_SECRET_PATHS = ("/flow/secrets",)


def log_request(request: Request) -> None:
    """At DEBUG, log a request about to be sent, with its credentials and secrets masked."""
    if logger.isEnabledFor(logging.DEBUG):
        secret_body = request.body and request.url.path.endswith(_SECRET_PATHS)
        logger.debug(
            "%s %s headers=%s body=%s",
            request.method,
            redact_url(request.url),
            redact_headers(dict(request.headers)),
            "<redacted>" if secret_body else redact_body(request.body),
        )
