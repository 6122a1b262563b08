"""Request building and response decoding pinned at their edges (issue #17: _wire.py).

These are the pure functions of the SDK's core, so they are tested directly; one test goes
through the client to show the query a list call really sends.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from yarl import URL

from talkturo_async import (
    APIError,
    BadRequestError,
    RateLimitError,
    Request,
    Response,
    ResponseValidationError,
    ServerError,
)
from talkturo_async._variants import Envelope
from talkturo_async._wire import (
    build_request,
    camel,
    decode_response,
    encode_query,
    to_wire,
)
from tests.conftest import MockClient, ok

BASE = URL("https://acme.example.com/api/")


def decode(status: int, body: bytes | object, headers: dict[str, str] | None = None) -> object:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return decode_response(
        Response(status=status, headers=headers or {}, body=raw), method="GET", url="u"
    )


def error(status: int, body: bytes | object, headers: dict[str, str] | None = None) -> APIError:
    with pytest.raises(APIError) as info:
        decode(status, body, headers)
    return info.value


# -- names and query ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "wire"),
    [("team_id", "teamId"), ("a_bc_de", "aBcDe"), ("id", "id"), ("x_y", "xY"), ("a__b", "aB")],
)
def test_camel(name: str, wire: str) -> None:
    """Each underscore-separated part after the first is capitalised, the rest kept."""
    assert camel(name) == wire


def test_to_wire_keeps_falsy_values() -> None:
    """Only None is left out: False, 0 and "" are sent."""
    assert to_wire({"do_not_call": False, "limit": 0, "search": "", "x": None}) == {
        "doNotCall": False,
        "limit": 0,
        "search": "",
    }


def test_a_none_parameter_leaves_the_others() -> None:
    """A None query value is left out and every parameter after it is still sent."""
    assert encode_query({"a": "1", "b": None, "c": 2, "d": None, "e": False}) == {
        "a": "1",
        "c": "2",
        "e": "false",
    }


def test_query_values_as_text() -> None:
    """Numbers as text, lists and tuples comma-joined, booleans as true/false."""
    assert encode_query({"n": 5, "f": 1.5, "ids": ["a", "b"], "t": (1, 2), "y": True}) == {
        "n": "5",
        "f": "1.5",
        "ids": "a,b",
        "t": "1,2",
        "y": "true",
    }
    assert encode_query({"empty": []}) == {"empty": ""}


async def test_list_call_sends_every_filter(mock_client: MockClient) -> None:
    """A list call with some filters unset sends the set ones, after the unset ones too."""
    seen: list[Request] = []

    def handler(r: Request) -> Response:
        seen.append(r)
        return ok({"success": True, "contacts": [], "count": 0})

    tk, _ = mock_client(handler)
    async with tk:
        await tk.contacts.list(
            team_id="t", search=None, lead_status="new", has_phone=False
        ).to_list()
    assert dict(seen[0].url.query) == {
        "teamId": "t",
        "leadStatus": "new",
        "hasPhone": "false",
        "limit": "50",
        "offset": "0",
    }


# -- requests -----------------------------------------------------------------------------------


def test_a_request_carries_method_headers_timeout_and_a_compact_body() -> None:
    """The request keeps method, headers and timeout; the body is compact UTF-8 JSON."""
    headers = {"Authorization": "Bearer k"}
    req = build_request(
        "PATCH",
        BASE,
        "crm/contacts/ct_1",
        headers=headers,
        params={"x": 1},
        json_body={"name": "Ünï", "tags": ["a", "b"]},
        timeout=7.5,
    )
    assert req.method == "PATCH"
    assert req.timeout == 7.5
    assert str(req.url) == "https://acme.example.com/api/crm/contacts/ct_1?x=1"
    assert req.body == '{"name":"Ünï","tags":["a","b"]}'.encode()
    assert req.headers["Authorization"] == "Bearer k"
    assert req.headers["Content-Type"] == "application/json"
    assert headers == {"Authorization": "Bearer k"}  # the caller's headers are not changed


def test_an_empty_json_body_is_still_sent() -> None:
    """{} and [] are bodies (only None means no body)."""
    assert build_request("POST", BASE, "x", headers={}, json_body={}).body == b"{}"
    assert build_request("POST", BASE, "x", headers={}, json_body=[]).body == b"[]"


def test_dates_sets_and_tuples_encode() -> None:
    """Datetimes and dates go as ISO-8601; sets, frozensets and tuples as arrays."""
    body = {
        "at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "on": date(2024, 1, 2),
        "s": {1},
        "f": frozenset({"x"}),
        "t": (1, 2),
    }
    req = build_request("POST", BASE, "x", headers={}, json_body=body)
    assert json.loads(req.body or b"") == {
        "at": "2024-01-02T03:04:05+00:00",
        "on": "2024-01-02",
        "s": [1],
        "f": ["x"],
        "t": [1, 2],
    }


def test_an_unencodable_body_names_the_type() -> None:
    """A value JSON cannot hold is a TypeError naming its type."""
    with pytest.raises(
        TypeError, match=r"^json body: o is of type object, which JSON cannot encode "
    ):
        build_request("POST", BASE, "x", headers={}, json_body={"o": object()})


# -- responses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 204, 299])
def test_every_2xx_is_success(status: int) -> None:
    """Any 2xx with a JSON object or array is data."""
    assert decode(status, {"id": "x"}) == {"id": "x"}
    assert decode(status, [1, 2]) == [1, 2]


@pytest.mark.parametrize("status", [100, 199, 300, 304, 399])
def test_statuses_outside_2xx_raise(status: int) -> None:
    """A 1xx or 3xx answer is an APIError, never treated as success."""
    err = error(status, {"id": "x"})
    assert type(err) is APIError
    assert err.status_code == status
    expected = f"HTTP {status}"
    if 300 <= status < 400:  # a redirect also says where it points (nowhere, here)
        expected += " redirect to nowhere; the SDK does not follow redirects (check base_url)"
    assert err.message == expected


def test_a_2xx_scalar_is_an_error() -> None:
    """A 2xx whose JSON is neither an object nor an array is an APIError keeping the value."""
    err = error(200, 5)
    assert (err.status_code, err.body, err.message) == (200, 5, "HTTP 200")


def test_success_true_or_missing_is_data() -> None:
    """success: true, or no success key, is data; only false is an error."""
    assert decode(200, {"success": True, "a": 1}) == {"success": True, "a": 1}
    assert decode(200, {"success": None}) == {"success": None}


def test_white_space_body_is_an_empty_object() -> None:
    """A 2xx body of only white space decodes to {}."""
    assert decode(200, b" \r\n\t ") == {}


def test_an_error_body_that_is_not_utf8() -> None:
    """Bytes that are not UTF-8 in an error body become replacement characters, not a crash."""
    err = error(500, b"\xff\xfe<h1>Bad\xc3 Gateway</h1>")
    assert type(err) is ServerError
    assert isinstance(err.body, str)
    assert "Bad" in err.body and "\ufffd" in err.body
    assert err.message.startswith("non-JSON answer: ")


def test_a_2xx_body_that_is_not_json_or_utf8() -> None:
    """A 2xx of non-UTF-8 bytes is a ResponseValidationError saying the body is not JSON."""
    err = error(200, b"\xff\xfe\xfd")
    assert type(err) is ResponseValidationError
    assert err.message == "the server answered with a body that is not JSON"
    assert err.body == "\ufffd\ufffd\ufffd"


def test_non_json_error_text_is_collapsed_and_cut() -> None:
    """White space in a non-JSON error collapses to single spaces; the message keeps 200 chars."""
    text = b"<p>\n  Service   Unavailable \t</p>" + b"y" * 1000
    err = error(503, text)
    expected = " ".join(text.decode().split())[:200]
    assert err.message == "non-JSON answer: " + expected
    assert err.body == text[:500].decode()
    assert isinstance(err.body, str) and len(err.body) == 500


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": {"message": "nested"}, "message": "top"}, "nested"),
        ({"error": {"message": 5}, "message": "top"}, "top"),
        ({"error": {"code": "x"}}, "HTTP 400"),
        ({"error": "", "message": "second"}, "second"),
        ({"error": "first", "message": "second"}, "first"),
        ({"message": ""}, "HTTP 400"),
        ({"message": 3}, "HTTP 400"),
        ([1, 2], "HTTP 400"),
    ],
)
def test_error_message_precedence(body: object, message: str) -> None:
    """error.message, then a non-empty error, then a non-empty message, else HTTP <status>."""
    err = error(400, body)
    assert type(err) is BadRequestError
    assert err.message == message


@pytest.mark.parametrize("header", ["x-request-id", "request-id", "x-talkturo-request-id"])
def test_each_request_id_header_is_read(header: str) -> None:
    """Any of the three request-id headers fills request_id."""
    assert error(404, {"error": "gone"}, {header: "req_9"}).request_id == "req_9"


def test_the_first_request_id_header_wins() -> None:
    """With several request-id headers, x-request-id is preferred; none gives None."""
    headers = {"x-talkturo-request-id": "c", "request-id": "b", "x-request-id": "a"}
    assert error(404, {}, headers).request_id == "a"
    assert error(404, {}, {"request-id": "b", "x-talkturo-request-id": "c"}).request_id == "b"
    assert error(404, {}).request_id is None


def test_an_error_carries_the_request_and_headers() -> None:
    """method, url and headers of the failed call are on the error (429 included)."""
    response = Response(status=429, headers={"retry-after": "2", "x-a": "b"}, body=b"{}")
    with pytest.raises(RateLimitError) as info:
        decode_response(response, method="POST", url="https://x/api/crm")
    err = info.value
    assert (err.method, err.url, err.retry_after, err.message) == (
        "POST",
        "https://x/api/crm",
        2.0,
        "HTTP 429",
    )
    assert err.headers["x-a"] == "b"
    assert err.body == {}


def test_a_429_without_retry_after() -> None:
    """A 429 without Retry-After has retry_after None."""
    err = error(429, {"error": "slow"})
    assert isinstance(err, RateLimitError)
    assert err.retry_after is None


# -- envelopes ----------------------------------------------------------------------------------


def test_unwrap_edges() -> None:
    """No key or a non-object gives the body back; the named key beats data; data beats bare."""
    body = {"success": True, "campaign": {"id": "c"}, "data": {"id": "d"}}
    campaign = Envelope("campaign")
    assert Envelope(None).payload(body) is body
    assert campaign.payload([1]) == [1]
    assert campaign.payload(body) == {"id": "c"}
    assert campaign.payload({"success": True, "data": None}) is None
    assert campaign.payload({"success": False, "count": 2, "id": "x"}) == {"count": 2, "id": "x"}


async def test_page_extra_holds_only_the_keys_beside_the_payload(mock_client: MockClient) -> None:
    """A page's extra keeps sibling keys, never the envelope's paging keys, the array or data."""
    body = {
        "success": True,
        "campaigns": [{"id": "c1"}],
        "count": 1,
        "total": 1,
        "limit": 50,
        "offset": 0,
        "page": 1,
        "data": [{"id": "ignored"}],
        "statusCounts": {"running": 1},
        "note": "kept",
    }
    tk, _ = mock_client(lambda r: ok(body))
    async with tk:
        pages = [p async for p in tk.campaigns.list(team_id="t").pages()]
    assert [c.id for c in pages[0].items] == ["c1"]
    assert pages[0].extra == {"statusCounts": {"running": 1}, "note": "kept"}
    assert pages[0].status_counts == {"running": 1}
