"""The ``talkturo_async`` logger and its opt-in handler.

Above DEBUG nothing logged carries a key, a body, a query string or personal data; retries log the
method and path only. ``TALKTURO_LOG=debug|info`` attaches a stderr handler once.
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """A copy of ``headers`` safe to log: credentials replaced by ``<redacted>``."""
    secret = {"authorization", "cookie", "x-api-key", "x-talkturo-secret"}
    return {k: ("<redacted>" if k.lower() in secret else v) for k, v in headers.items()}


_SECRET_KEY = re.compile(r"secret|password|token|api_?key", re.IGNORECASE)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "<redacted>" if _SECRET_KEY.search(k) else _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def redact_body(body: bytes | None, limit: int = 1000) -> str:
    """A request body safe for DEBUG logs: secret-like keys (``webhookSecret``) redacted."""
    if not body:
        return ""
    try:
        text = json.dumps(_scrub(json.loads(body)), ensure_ascii=False)
    except ValueError:
        text = body.decode("utf-8", "replace")
    return text[:limit]


# Bodies sent to these paths are secret as a whole (a flow secret's ``value``).
_SECRET_PATHS = ("/flow/secrets",)


def log_request(request: Request) -> None:
    """At DEBUG, log a request about to be sent, with its credentials and secrets masked."""
    if logger.isEnabledFor(logging.DEBUG):
        secret_body = request.body and request.url.path.endswith(_SECRET_PATHS)
        logger.debug(
            "%s %s headers=%s body=%s",
            request.method,
            request.url,
            redact_headers(dict(request.headers)),
            "<redacted>" if secret_body else redact_body(request.body),
        )
