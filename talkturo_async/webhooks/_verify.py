"""Signature checks for Talkturo webhooks (REFERENCE §13.7), always on the raw body bytes.

Call events: Ed25519 (Telnyx style) over ``timestamp + b"|" + raw_body``, with a timestamp
tolerance checked in both directions. Billing events: HMAC-SHA256 of the raw body in
``X-Signature``, hex or base64, optionally prefixed ``sha256=``. Comparisons are constant-time.
Several keys or secrets may be given at once, for rotation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union, cast

from .._config import check_number
from .._errors import WebhookSignatureError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SIGNATURE_HEADER = "telnyx-signature-ed25519"
TIMESTAMP_HEADER = "telnyx-timestamp"
BILLING_SIGNATURE_HEADER = "x-signature"
DEFAULT_TOLERANCE = 300
_MAX_TIMESTAMP_DIGITS = 12  # Unix seconds have 10 digits until the year 2286

Headers = Union[Mapping[str, str], Iterable[tuple[str, str]]]  # noqa: UP007 -- a run-time alias on 3.10
PublicKey = Union[str, bytes, "Ed25519PublicKey"]


def _header(headers: Headers, name: str) -> str | None:
    items: Iterable[tuple[str, str]] = (
        cast("Mapping[str, str]", headers).items() if isinstance(headers, Mapping) else headers
    )
    for key, value in items:
        if key.lower() == name:
            return value
    return None


def _raw(raw_body: object) -> bytes:
    if isinstance(raw_body, (bytes, bytearray)):
        return bytes(raw_body)
    if isinstance(raw_body, memoryview):
        return raw_body.tobytes()
    raise TypeError(
        "pass the raw request body as bytes (e.g. 'await request.read()'); re-serialised JSON "
        f"would not match the signature (got {type(raw_body).__name__})"
    )


def _ed25519() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise ImportError(
            "verifying call webhooks needs the 'cryptography' package: "
            "pip install 'talkturo-async[webhooks]'"
        ) from None
    return ed25519


def load_public_key(key: PublicKey) -> Ed25519PublicKey:
    """An Ed25519 public key from base64 of the 32 raw bytes, the raw bytes, or a PEM block.

    Args:
        key: the key as base64 text, 32 raw bytes, PEM, or an ``Ed25519PublicKey``.

    Raises:
        ValueError: not an Ed25519 public key in any of those forms.
        ImportError: ``cryptography`` is not installed.
    """
    ed25519 = _ed25519()
    if isinstance(key, ed25519.Ed25519PublicKey):
        return cast("Ed25519PublicKey", key)
    data = key.encode() if isinstance(key, str) else bytes(key)  # type: ignore[arg-type]
    if b"-----BEGIN" in data:
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        loaded: Any = load_pem_public_key(data)
        if not isinstance(loaded, ed25519.Ed25519PublicKey):
            raise ValueError("the PEM public key is not an Ed25519 key")
        pem_key: Ed25519PublicKey = loaded
        return pem_key
    if len(data) != 32:
        try:
            data = base64.b64decode(data.strip(), validate=True)
        except binascii.Error:
            raise ValueError("the public key is neither base64 nor 32 raw bytes nor PEM") from None
    if len(data) != 32:
        raise ValueError(f"an Ed25519 public key has 32 bytes, this one has {len(data)}")
    key_obj: Ed25519PublicKey = ed25519.Ed25519PublicKey.from_public_bytes(data)
    return key_obj


def _as_list(value: object) -> list[Any]:
    if isinstance(value, (str, bytes, bytearray)) or not isinstance(value, Sequence):
        return [value]
    return list(cast("Sequence[object]", value))


def load_public_keys(keys: PublicKey | Sequence[PublicKey]) -> list[Ed25519PublicKey]:
    """One key or several (during a rotation), each loaded with :func:`load_public_key`.

    Args:
        keys: a key, or a non-empty list of keys.

    Raises:
        ValueError: the list is empty, or a key is blank or not an Ed25519 public key.
    """
    listed = _as_list(keys)
    if not listed:
        raise ValueError("no webhook public key given (an empty list)")
    return [load_public_key(k) for k in listed]


def check_secrets(secret: str | Sequence[str]) -> list[str]:
    """The billing secret(s) as a list, each a non-blank string (checked once, up front).

    Args:
        secret: a secret, or a non-empty list of them during a rotation.

    Raises:
        ValueError: the list is empty, or an entry is not a string or is blank (a blank entry in
            a rotation list, e.g. from ``"new,".split(",")``, would otherwise refuse every event).
    """
    secrets = _as_list(secret)
    if not secrets:
        raise ValueError("no webhook secret given (an empty list)")
    for i, s in enumerate(secrets):
        if not isinstance(s, str) or not s.strip():
            where = "the webhook secret" if len(secrets) == 1 else f"webhook secret #{i + 1}"
            raise ValueError(f"{where} must be a non-blank string")
    return secrets


def _checked_timestamp(timestamp: str, tolerance: float | None, now: float | None) -> str:
    """The ``Telnyx-Timestamp`` value, stripped, once it is Unix seconds within ``tolerance``."""
    timestamp = timestamp.strip()
    # ASCII digits only ('²'.isdigit() is true), and no more than a Unix time needs: int() of
    # thousands of digits is refused by Python and would otherwise surface as a ValueError (500).
    if not (
        timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= _MAX_TIMESTAMP_DIGITS
    ):
        raise WebhookSignatureError("Telnyx-Timestamp is not an integer of Unix seconds")
    if tolerance is not None:
        current = time.time() if now is None else now
        skew = current - int(timestamp)
        if abs(skew) > tolerance:
            direction = "old" if skew > 0 else "far in the future"
            raise WebhookSignatureError(
                f"timestamp is {abs(skew):.0f}s {direction} (tolerance {tolerance}s)"
            )
    return timestamp


def _decoded_signature(signature_b64: str) -> bytes:
    """The 64 signature bytes of a ``Telnyx-Signature-Ed25519`` value."""
    signature_b64 = signature_b64.strip()
    try:
        if not signature_b64.isascii():
            raise ValueError
        signature = base64.b64decode(signature_b64, validate=True)
    except ValueError:  # binascii.Error is one
        raise WebhookSignatureError("Telnyx-Signature-Ed25519 is not valid base64") from None
    if len(signature) != 64:
        raise WebhookSignatureError(f"the signature has {len(signature)} bytes, not 64")
    return signature


def verify_call_event(
    raw_body: bytes,
    headers: Headers,
    public_key: PublicKey | Sequence[PublicKey],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a call event's Ed25519 signature; raise :class:`WebhookSignatureError` if it fails.

    Args:
        raw_body: the request body exactly as received.
        headers: the request headers (any mapping, or a list of pairs; names in any case).
        public_key: the account's webhook public key (base64, raw bytes or PEM), or several
            during a rotation; any one matching is enough.
        tolerance: seconds the ``Telnyx-Timestamp`` may differ from now, either way (``None``
            skips the check).
        now: the current Unix time (default ``time.time()``), for tests.

    Raises:
        WebhookSignatureError: a header is missing, the timestamp is not ASCII digits (at most
            12) or is out of tolerance, the signature is not base64 of 64 bytes, or no key
            verifies it. Malformed headers never raise anything else.
        ValueError: no public key, or one that is not an Ed25519 key; a negative or NaN
            ``tolerance`` (a NaN would turn the check off silently).
        TypeError: ``tolerance`` is not a number (``"300"``).
        ImportError: ``cryptography`` is not installed.
    """
    check_number("tolerance", tolerance, optional=True, zero=True)
    body = _raw(raw_body)
    keys = load_public_keys(public_key)
    signature_b64 = _header(headers, SIGNATURE_HEADER)
    timestamp = _header(headers, TIMESTAMP_HEADER)
    if signature_b64 is None:
        raise WebhookSignatureError("missing Telnyx-Signature-Ed25519 header")
    if timestamp is None:
        raise WebhookSignatureError("missing Telnyx-Timestamp header")
    timestamp = _checked_timestamp(timestamp, tolerance, now)
    signature = _decoded_signature(signature_b64)
    from cryptography.exceptions import InvalidSignature

    message = timestamp.encode() + b"|" + body
    for key in keys:
        try:
            key.verify(signature, message)
            return
        except InvalidSignature:
            continue
    raise WebhookSignatureError(
        "the signature does not match the body (wrong key, or the body was changed)"
    )


def billing_signature(raw_body: bytes, secret: str) -> str:
    """The hex HMAC-SHA256 a billing webhook carries in ``X-Signature`` (for tests and fakes).

    Args:
        raw_body: the body bytes to sign.
        secret: the signing secret.

    Raises:
        TypeError: ``raw_body`` is not bytes.
    """
    return hmac.new(secret.encode("utf-8"), _raw(raw_body), hashlib.sha256).hexdigest()


def verify_billing_event(raw_body: bytes, headers: Headers, secret: str | Sequence[str]) -> None:
    """Check a billing event's ``X-Signature`` (HMAC-SHA256 of the raw body, hex or base64).

    A leading ``sha256=`` is accepted; hex compares case-insensitively; comparison is
    constant-time. There is no timestamp, so no replay window: de-duplicate on the event id.

    Args:
        raw_body: the request body exactly as received.
        headers: the request headers.
        secret: the signing secret, or several during a rotation.

    Raises:
        WebhookSignatureError: the header is missing, malformed or matches none of the secrets.
        ValueError: ``secret`` is empty or has a blank entry (see :func:`check_secrets`).
    """
    body = _raw(raw_body)
    secrets = check_secrets(secret)
    value = _header(headers, BILLING_SIGNATURE_HEADER)
    if value is None:
        raise WebhookSignatureError("missing X-Signature header")
    value = value.strip()
    if not value.isascii():
        raise WebhookSignatureError("X-Signature is not hex or base64")
    if value[:7].lower() == "sha256=":
        value = value[7:].strip()
    for s in secrets:
        digest = hmac.new(s.encode("utf-8"), body, hashlib.sha256).digest()
        hex_ok = hmac.compare_digest(value.lower().encode(), digest.hex().encode())
        b64_ok = hmac.compare_digest(value.encode(), base64.b64encode(digest))
        if hex_ok or b64_ok:
            return
    raise WebhookSignatureError(
        "X-Signature does not match the body (wrong secret, or the body was changed)"
    )
