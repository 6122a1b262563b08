"""Webhook signature checks pinned at their edges (issue #17: mutation testing of _verify.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from talkturo_async import webhooks
from tests.test_webhooks import BODY, NOW, Keys

SECRET = "whsec_test_secret"
BILLING = b'{"meta":{"event_name":"order_created"},"data":{"id":"1"}}'


def hexdigest(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.mark.parametrize("skew", [300, -300])
def test_a_skew_exactly_the_tolerance_passes(keys: Keys, skew: int) -> None:
    """A timestamp exactly 300 s old or ahead is still inside the default tolerance."""
    webhooks.verify_call_event(BODY, keys.headers(ts=NOW + skew), keys.b64, now=NOW)


def test_a_custom_tolerance_is_inclusive_too(keys: Keys) -> None:
    """tolerance=10 accepts a 10 s skew and refuses 11 s."""
    webhooks.verify_call_event(BODY, keys.headers(ts=NOW - 10), keys.b64, now=NOW, tolerance=10)
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_call_event(BODY, keys.headers(ts=NOW - 11), keys.b64, now=NOW, tolerance=10)


def test_the_skew_message_says_which_way(keys: Keys) -> None:
    """A stale timestamp is called old, a future one far in the future, with both figures."""
    with pytest.raises(
        webhooks.WebhookSignatureError, match=r"^timestamp is 400s old \(tolerance 300s\)$"
    ):
        webhooks.verify_call_event(BODY, keys.headers(ts=NOW - 400), keys.b64, now=NOW)
    with pytest.raises(
        webhooks.WebhookSignatureError,
        match=r"^timestamp is 400s far in the future \(tolerance 300s\)$",
    ):
        webhooks.verify_call_event(BODY, keys.headers(ts=NOW + 400), keys.b64, now=NOW)


def test_a_stale_timestamp_fails_even_with_a_valid_signature(keys: Keys) -> None:
    """The timestamp check is not skipped when the signature itself is good."""
    with pytest.raises(webhooks.WebhookSignatureError, match="timestamp"):
        webhooks.verify_call_event(BODY, keys.headers(ts=NOW - 10_000), keys.b64, now=NOW)


def test_headers_with_surrounding_white_space_verify(keys: Keys) -> None:
    """White space around the timestamp and the signature is ignored, not fatal."""
    headers = {k: f"  {v} \t" for k, v in keys.headers().items()}
    webhooks.verify_call_event(BODY, headers, keys.b64, now=NOW)


@pytest.mark.parametrize("junk", ["*", "!", " x ", "-_"])
def test_junk_inside_the_signature_is_refused(keys: Keys, junk: str) -> None:
    """A signature with junk characters inside is refused, not decoded leniently around them."""
    headers = keys.headers()
    sig = headers["Telnyx-Signature-Ed25519"]
    headers["Telnyx-Signature-Ed25519"] = sig[:20] + junk + sig[20:]
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_call_event(BODY, headers, keys.b64, now=NOW)


def test_a_signature_from_another_timestamp_is_refused(keys: Keys) -> None:
    """The timestamp is part of the signed message: a signature made for another one fails."""
    headers = keys.headers(ts=NOW)
    headers["Telnyx-Timestamp"] = str(NOW + 1)
    with pytest.raises(webhooks.WebhookSignatureError, match="does not match"):
        webhooks.verify_call_event(BODY, headers, keys.b64, now=NOW)


@pytest.mark.parametrize("wrap", [bytearray, memoryview])
def test_bytes_like_bodies_verify(keys: Keys, wrap: type) -> None:
    """A bytearray or memoryview body is the raw bytes, verified like bytes."""
    webhooks.verify_call_event(wrap(BODY), keys.headers(), keys.b64, now=NOW)
    with pytest.raises(webhooks.WebhookSignatureError, match="does not match"):
        webhooks.verify_call_event(wrap(BODY + b" "), keys.headers(), keys.b64, now=NOW)


@pytest.mark.parametrize("form", ["object", "bytearray", "tuple", "b64_padded"])
def test_more_public_key_forms(keys: Keys, form: str) -> None:
    """A loaded key object, a bytearray, a tuple of keys and base64 with white space all work."""
    key = {
        "object": webhooks.load_public_key(keys.b64),
        "bytearray": bytearray(keys.raw),
        "tuple": (Keys().b64, keys.pem),
        "b64_padded": f"\n  {keys.b64}  \n",
    }[form]
    webhooks.verify_call_event(BODY, keys.headers(), key, now=NOW)  # type: ignore[arg-type]


def test_a_loaded_key_is_returned_as_is(keys: Keys) -> None:
    """load_public_key hands back an Ed25519 key object unchanged."""
    loaded = webhooks.load_public_key(keys.b64)
    assert webhooks.load_public_key(loaded) is loaded
    assert webhooks.load_public_keys(loaded) == [loaded]
    assert len(webhooks.load_public_keys([keys.b64, keys.raw, keys.pem])) == 3


def test_a_pem_key_of_another_kind_is_refused() -> None:
    """A PEM public key that is not Ed25519 (here EC P-256) is a ValueError saying so."""
    pem = (
        generate_private_key(SECP256R1())
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ValueError, match=r"^the PEM public key is not an Ed25519 key$"):
        webhooks.load_public_key(pem)


def test_a_key_with_junk_is_not_decoded_leniently(keys: Keys) -> None:
    """Base64 with junk characters is refused rather than decoded around them."""
    with pytest.raises(ValueError, match="neither base64 nor 32 raw bytes nor PEM"):
        webhooks.load_public_key(keys.b64[:10] + "*" + keys.b64[10:])


def test_a_key_of_the_wrong_length_names_its_length() -> None:
    """Base64 of 5 bytes is refused with the count."""
    with pytest.raises(ValueError, match=r"^an Ed25519 public key has 32 bytes, this one has 5$"):
        webhooks.load_public_key(base64.b64encode(b"short"))


# -- billing ------------------------------------------------------------------------------------


def test_billing_signature_is_the_hex_hmac_of_the_body() -> None:
    """billing_signature gives the lower-case hex HMAC-SHA256 that verify_billing_event accepts."""
    value = webhooks.billing_signature(BILLING, SECRET)
    assert value == hexdigest(BILLING, SECRET)
    webhooks.verify_billing_event(BILLING, {"X-Signature": value}, SECRET)
    # bytearray is accepted at run time though the annotation says bytes: that is the point here.
    assert webhooks.billing_signature(bytearray(BILLING), SECRET) == value  # type: ignore[arg-type]


def test_billing_signature_wants_the_raw_bytes() -> None:
    """billing_signature refuses decoded text, like the verifiers."""
    with pytest.raises(TypeError, match="raw request body"):
        webhooks.billing_signature(BILLING.decode(), SECRET)  # type: ignore[arg-type]


def test_non_ascii_secrets_are_utf8() -> None:
    """A secret with non-ASCII characters is encoded as UTF-8 on both sides."""
    secret = "s\u00e9cret-\u2603"
    expected = hmac.new(secret.encode("utf-8"), BILLING, hashlib.sha256).hexdigest()
    assert webhooks.billing_signature(BILLING, secret) == expected
    webhooks.verify_billing_event(BILLING, {"x-signature": expected}, secret)


def test_white_space_after_the_prefix_is_ignored() -> None:
    """'sha256= <hex>' (a space after the prefix) is accepted."""
    value = "sha256= " + hexdigest(BILLING, SECRET)
    webhooks.verify_billing_event(BILLING, {"x-signature": value}, SECRET)


def test_base64_billing_signature_is_case_sensitive() -> None:
    """Base64 is compared exactly: only hex is case-insensitive."""
    digest = hmac.new(SECRET.encode(), BILLING, hashlib.sha256).digest()
    b64 = base64.b64encode(digest).decode()
    assert b64 != b64.swapcase()
    webhooks.verify_billing_event(BILLING, {"x-signature": b64}, SECRET)
    with pytest.raises(webhooks.WebhookSignatureError, match="does not match"):
        webhooks.verify_billing_event(BILLING, {"x-signature": b64.swapcase()}, SECRET)


def test_billing_rotation_tries_every_secret() -> None:
    """With several secrets, a match on the last one is enough; none matching fails."""
    value = hexdigest(BILLING, SECRET)
    webhooks.verify_billing_event(BILLING, {"x-signature": value}, ("a", "b", SECRET))
    with pytest.raises(webhooks.WebhookSignatureError, match="does not match"):
        webhooks.verify_billing_event(BILLING, {"x-signature": value}, ["a", "b"])


@pytest.mark.parametrize("secret", ["", [], [SECRET, ""], [SECRET, 5], None])
def test_an_empty_or_non_string_secret_is_a_value_error(secret: object) -> None:
    """An empty secret, an empty list, or a non-string among them is a ValueError."""
    value = hexdigest(BILLING, SECRET)
    with pytest.raises(ValueError, match="webhook secret"):
        webhooks.verify_billing_event(BILLING, {"x-signature": value}, secret)  # type: ignore[arg-type]


def test_billing_body_as_bytearray() -> None:
    """A bytearray billing body verifies like bytes."""
    value = hexdigest(BILLING, SECRET)
    body = bytearray(BILLING)  # accepted at run time though the annotation says bytes
    webhooks.verify_billing_event(body, {"x-signature": value}, SECRET)  # type: ignore[arg-type]


def test_one_second_of_skew_is_called_old_with_zero_tolerance(keys: Keys) -> None:
    """tolerance=0 allows no skew; a timestamp 1 s back is reported as old."""
    webhooks.verify_call_event(BODY, keys.headers(ts=NOW), keys.b64, now=NOW, tolerance=0)
    with pytest.raises(
        webhooks.WebhookSignatureError, match=r"^timestamp is 1s old \(tolerance 0s\)$"
    ):
        webhooks.verify_call_event(BODY, keys.headers(ts=NOW - 1), keys.b64, now=NOW, tolerance=0)


def test_failure_messages_in_full(keys: Keys) -> None:
    """The messages a user sees for a wrong key, a wrong secret or a missing billing header."""
    with pytest.raises(webhooks.WebhookSignatureError) as call:
        webhooks.verify_call_event(BODY, keys.headers(), Keys().b64, now=NOW)
    assert str(call.value) == (
        "the signature does not match the body (wrong key, or the body was changed)"
    )
    value = hexdigest(BILLING, SECRET)
    with pytest.raises(webhooks.WebhookSignatureError) as billing:
        webhooks.verify_billing_event(BILLING, {"x-signature": value}, "other")
    assert str(billing.value) == (
        "X-Signature does not match the body (wrong secret, or the body was changed)"
    )
    with pytest.raises(webhooks.WebhookSignatureError) as missing:
        webhooks.verify_billing_event(BILLING, {}, SECRET)
    assert str(missing.value) == "missing X-Signature header"
    with pytest.raises(ValueError, match=r"^the webhook secret must be a non-blank string$"):
        webhooks.verify_billing_event(BILLING, {"x-signature": value}, "")


def test_text_instead_of_bytes_message_in_full(keys: Keys) -> None:
    """Passing decoded text names the fix and the type that was passed."""
    with pytest.raises(TypeError) as info:
        webhooks.verify_call_event(BODY.decode(), keys.headers(), keys.b64, now=NOW)  # type: ignore[arg-type]
    assert str(info.value) == (
        "pass the raw request body as bytes (e.g. 'await request.read()'); re-serialised JSON "
        "would not match the signature (got str)"
    )


def test_bad_key_message_in_full(keys: Keys) -> None:
    """A key that is no key at all says which forms are accepted."""
    with pytest.raises(
        ValueError, match=r"^the public key is neither base64 nor 32 raw bytes nor PEM$"
    ):
        webhooks.load_public_key("not a key!")


def test_missing_cryptography_message_in_full(keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without cryptography the ImportError says what needs it and the command to install it."""
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
    with pytest.raises(ImportError) as info:
        webhooks.verify_call_event(BODY, keys.headers(), keys.b64, now=NOW)
    assert str(info.value) == (
        "verifying call webhooks needs the 'cryptography' package: "
        "pip install 'talkturo-async[webhooks]'"
    )
