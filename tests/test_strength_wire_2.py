"""``_wire.py`` after the architecture step: request headers and bounded error messages (issue #17).

``request_headers`` moved here from the client, so its headers are pinned directly; the error
message bounds (500 characters, 200 for a redirect's location) are pinned at their edges.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import pytest
from yarl import URL

from talkturo_async import APIError, Response
from talkturo_async._config import Credential
from talkturo_async._transport import StreamedBody
from talkturo_async._version import user_agent
from talkturo_async._wire import build_request, decode_response, join_under, request_headers, snake

KEY = Credential(kind="api_key", token="tk_test_abc")
BASE = URL("https://acme.example.com/api/")


def error(status: int, body: object, headers: dict[str, str] | None = None) -> APIError:
    raw = json.dumps(body).encode()
    with pytest.raises(APIError) as info:
        decode_response(
            Response(status=status, headers=headers or {}, body=raw), method="GET", url="u"
        )
    return info.value


# -- request_headers ------------------------------------------------------------------------------


def test_a_get_sends_accept_user_agent_and_the_credential_only() -> None:
    """A GET's headers are exactly Accept, User-Agent and the credential's header."""
    assert request_headers("GET", KEY, {}) == {
        "Accept": "application/json",
        "User-Agent": user_agent(),
        "Authorization": "Bearer tk_test_abc",
    }


def test_a_session_credential_sends_its_cookie() -> None:
    """A session credential is sent as the cookie, with no Authorization header."""
    headers = request_headers("GET", Credential(kind="session", token="s1"), {})
    assert headers["Cookie"] == "sb-access-token=s1"
    assert "Authorization" not in headers


def test_defaults_are_added_and_cannot_replace_the_credential() -> None:
    """The caller's defaults are added and may override Accept, but the credential wins."""
    headers = request_headers(
        "GET", KEY, {"X-Team": "t1", "Accept": "text/csv", "Authorization": "Bearer other"}
    )
    assert headers["X-Team"] == "t1"
    assert headers["Accept"] == "text/csv"
    assert headers["Authorization"] == "Bearer tk_test_abc"


def test_a_post_carries_the_given_idempotency_key() -> None:
    """A POST sends the idempotency key it is given."""
    headers = request_headers("POST", KEY, {}, "key-1")
    assert headers["Idempotency-Key"] == "key-1"


def test_a_post_without_a_key_gets_a_fresh_uuid4() -> None:
    """A POST without a key gets a new uuid4 each time."""
    first = request_headers("POST", KEY, {})["Idempotency-Key"]
    second = request_headers("POST", KEY, {})["Idempotency-Key"]
    assert uuid.UUID(first).version == 4
    assert first != second


@pytest.mark.parametrize("method", ["GET", "PATCH", "PUT", "DELETE"])
def test_only_a_post_carries_an_idempotency_key(method: str) -> None:
    """Other methods never carry an Idempotency-Key, even when one is given."""
    assert "Idempotency-Key" not in request_headers(method, KEY, {}, "key-1")


# -- bounded messages -----------------------------------------------------------------------------


def test_a_message_of_exactly_the_limit_is_kept_whole() -> None:
    """A 500-character message is not truncated; 501 characters are cut to 500 plus an ellipsis."""
    assert error(400, {"message": "a" * 500}).message == "a" * 500
    long = error(400, {"message": "b" * 501})
    assert long.message == "b" * 500 + "…"


def test_a_redirect_location_is_cut_at_200_characters() -> None:
    """A redirect's location is quoted up to 200 characters, no more."""
    where = "https://elsewhere.example.com/" + "p" * 300
    exc = error(302, {}, {"location": where})
    assert f"redirect to {where[:200]};" in exc.message
    assert where[:201] not in exc.message


# -- join_under -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["//evil.example.com/api/x", "http://acme.example.com/api/x"])
def test_a_host_or_scheme_alone_is_another_origin(path: str) -> None:
    """A scheme-relative URL (host, no scheme) or another scheme is refused as another origin."""
    with pytest.raises(ValueError, match=r"^refusing to send the API key to another origin: pass"):
        join_under(URL("https://acme.example.com/api/"), path)


# -- streamed bodies ------------------------------------------------------------------------------


async def _chunks() -> AsyncIterator[bytes]:
    yield b"abc"


def test_a_stream_sends_its_content_type_and_length_as_text() -> None:
    """An upload's headers carry its content type and its length as a decimal string."""
    stream = StreamedBody(open=_chunks, content_type="text/csv", length=3)
    request = build_request("POST", BASE, "kb/files", headers={}, stream=stream)
    assert request.headers == {"Content-Type": "text/csv", "Content-Length": "3"}
    assert request.body is None
    assert request.stream is stream


def test_a_stream_of_unknown_length_sends_no_content_length() -> None:
    """An upload of unknown length sends its content type and no Content-Length."""
    stream = StreamedBody(open=_chunks, content_type="text/csv")
    request = build_request("POST", BASE, "kb/files", headers={}, stream=stream)
    assert request.headers == {"Content-Type": "text/csv"}


@pytest.mark.parametrize(
    ("wire", "name"), [("firstName", "first_name"), ("addressLine1", "address_line1"), ("id", "id")]
)
def test_snake(wire: str, name: str) -> None:
    """A camelCase name becomes snake_case; a lower-case one is unchanged."""
    assert snake(wire) == name
