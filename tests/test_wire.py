"""Pure request building and response decoding: envelopes, errors, status mapping."""

from __future__ import annotations

import json

import pytest
from yarl import URL

from talkturo_async import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Response,
    ServerError,
)
from talkturo_async._retry import parse_retry_after
from talkturo_async._variants import Envelope
from talkturo_async._wire import build_request, decode_response, to_wire
from tests.conftest import as_dict

BASE = URL("https://acme.example.com/api/")


def decode(status: int, body: bytes | object, headers: dict[str, str] | None = None) -> object:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return decode_response(
        Response(status=status, headers=headers or {}, body=raw), method="GET", url="u"
    )


def test_paths_join_under_api_without_duplication() -> None:
    """crm/campaigns joins under .../api/ once; a leading slash is tolerated."""
    for path in ("crm/campaigns", "/crm/campaigns"):
        req = build_request("GET", BASE, path, headers={})
        assert str(req.url) == "https://acme.example.com/api/crm/campaigns"


def test_query_encoding() -> None:
    """Booleans go as true/false and None is left out."""
    req = build_request(
        "GET",
        BASE,
        "crm/contacts",
        headers={},
        params={"doNotCall": False, "hasPhone": True, "search": None},
    )
    assert dict(req.url.query) == {"doNotCall": "false", "hasPhone": "true"}


def test_body_encoding_sets_content_type() -> None:
    """A JSON body brings Content-Type; a GET without body has none."""
    post = build_request("POST", BASE, "crm/companies", headers={}, json_body={"name": "Ünï"})
    assert post.headers["Content-Type"] == "application/json"
    assert post.json() == {"name": "Ünï"}
    get = build_request("GET", BASE, "crm/companies", headers={})
    assert "Content-Type" not in get.headers
    assert get.body is None


def test_to_wire_camel_cases_and_drops_none() -> None:
    """Snake_case arguments become camelCase wire names; None is not sent."""
    assert to_wire({"from_number_ids": ["a"], "address_line1": "x", "description": None}) == {
        "fromNumberIds": ["a"],
        "addressLine1": "x",
    }


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (422, BadRequestError),
        (401, AuthenticationError),
        (402, InsufficientCreditsError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (418, APIError),
    ],
)
def test_status_to_exception(status: int, cls: type[APIError]) -> None:
    """Each status maps to its class and carries status_code, message and body."""
    with pytest.raises(cls) as info:
        decode(status, {"success": False, "error": "nope"})
    assert type(info.value) is cls
    assert info.value.status_code == status
    assert info.value.message == "nope"
    assert info.value.body == {"success": False, "error": "nope"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "Unauthorized"}, "Unauthorized"),
        ({"message": "bad thing"}, "bad thing"),
        ({"error": {"message": "nested"}}, "nested"),
        ({"success": False}, "HTTP 400"),
    ],
)
def test_error_message_variants(body: object, message: str) -> None:
    """The message is read from error, message or error.message."""
    with pytest.raises(BadRequestError) as info:
        decode(400, body)
    assert info.value.message == message


def test_html_502_becomes_server_error_not_json_error() -> None:
    """A proxy's HTML 502 is a ServerError with truncated text, never a JSONDecodeError."""
    html = b"<html><body><h1>502 Bad Gateway</h1>" + b"x" * 2000 + b"</body></html>"
    with pytest.raises(ServerError) as info:
        decode(502, html, {"content-type": "text/html"})
    assert info.value.status_code == 502
    assert isinstance(info.value.body, str)
    assert len(info.value.body) <= 500
    assert "502 Bad Gateway" in info.value.message


def test_success_false_on_2xx_raises() -> None:
    """A 200 that says success: false is an APIError, not data."""
    with pytest.raises(APIError) as info:
        decode(200, {"success": False, "error": "quota"})
    assert info.value.status_code == 200
    assert info.value.message == "quota"


def test_non_json_2xx_raises_api_error() -> None:
    """A 200 with an HTML body is an APIError saying so."""
    with pytest.raises(APIError, match="not JSON"):
        decode(200, b"<html>oops</html>")


def test_empty_2xx_is_empty_object() -> None:
    """An empty 204/200 body decodes to {} (DELETE answers without a body)."""
    assert decode(204, b"") == {}


def test_bad_request_keeps_issues() -> None:
    """BadRequestError.issues exposes the body's issues list."""
    with pytest.raises(BadRequestError) as info:
        decode(
            400, {"success": False, "error": "invalid_voice_options", "issues": [{"path": "voice"}]}
        )
    assert info.value.issues == [{"path": "voice"}]


def test_extra_error_keys_reachable_through_body() -> None:
    """402 extras like balance/required stay in body."""
    with pytest.raises(InsufficientCreditsError) as info:
        decode(
            402, {"success": False, "error": "Insufficient balance", "balance": 0.5, "required": 1}
        )
    assert as_dict(info.value.body)["balance"] == 0.5


def test_request_id_and_rate_limit_retry_after() -> None:
    """A request id header is kept; 429 carries retry_after from Retry-After."""
    with pytest.raises(RateLimitError) as info:
        decode(429, {"error": "slow down"}, {"x-request-id": "req_1", "retry-after": "7"})
    assert info.value.request_id == "req_1"
    assert info.value.retry_after == 7.0


def test_parse_retry_after_forms() -> None:
    """Retry-After as seconds, HTTP date, and retry-after-ms."""
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "1500"}) == 1.5
    assert (
        parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0)
        == 10.0
    )
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_unwrap_envelope_variants() -> None:
    """The payload is found under its key, under data, or as the bare body."""
    campaign = Envelope("campaign")
    assert campaign.payload({"success": True, "campaign": {"id": "c"}}) == {"id": "c"}
    assert campaign.payload({"success": True, "data": {"id": "c"}}) == {"id": "c"}
    assert Envelope("assistant").payload({"id": "a", "name": "bare"}) == {"id": "a", "name": "bare"}
    assert Envelope("stats").payload({"success": True, "totalCalls": 3}) == {"totalCalls": 3}


def test_api_error_str_names_request() -> None:
    """str(APIError) has status, message, method and URL (never headers)."""
    err = APIError("boom", status_code=500, method="GET", url="https://x/api/crm")
    assert str(err) == "500: boom (GET https://x/api/crm)"
