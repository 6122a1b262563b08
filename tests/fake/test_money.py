"""Raw-HTTP contract of the fake's credential kinds and multipart uploads."""

from __future__ import annotations

from talkturo_async.testing import FakeTalkturo
from tests.fake.conftest import Raw

BOUNDARY = "b0undary"


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        out += b"Content-Type: text/plain\r\n\r\n" + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


async def test_api_keys_route_answers_401_to_an_api_key(raw: Raw) -> None:
    """/api-keys takes a JWT only: an API key gets 401 in the spec's error envelope."""
    answer = await raw("GET", "/api-keys", params={"accountSlug": "acme"})
    assert answer.status == 401
    assert answer.body["success"] is False and "JWT" in answer.body["error"]


async def test_api_keys_route_accepts_the_jwt(raw: Raw, fake: FakeTalkturo) -> None:
    """The fake's JWT lists the (empty) key list, with no success key, as the spec shows."""
    answer = await raw("GET", "/api-keys", params={"accountSlug": "acme"}, key=fake.jwt)
    assert (answer.status, answer.body) == (200, {"apiKeys": []})


async def test_session_cookie_authenticates_and_is_not_logged(raw: Raw, fake: FakeTalkturo) -> None:
    """The sb-access-token cookie works after a failed bearer (dual auth) and is not logged."""
    answer = await raw(
        "GET", "/credits", key="none", headers={"Cookie": f"sb-access-token={fake.session_token}"}
    )
    assert answer.status == 200
    assert "cookie" not in {name.lower() for name in fake.requests[-1].headers}


async def test_multipart_upload_stores_the_file_part(raw: Raw, fake: FakeTalkturo) -> None:
    """A hand-written multipart body is parsed: the file part's name, type and size are kept."""
    bot = await raw.assistant()
    body = _multipart([("note", None, b"ignored"), ("file", "a.txt", b"line1\r\n--x\r\nline2")])
    answer = await raw(
        "POST",
        f"/assistants/{bot['id']}/knowledge-base",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert answer.status == 200
    assert (answer.body["file"]["filename"], answer.body["file"]["size"]) == ("a.txt", 17)
    assert fake.requests[-1].body == f"<multipart, {len(body)} bytes>"


async def test_multipart_without_boundary_or_file_is_400(raw: Raw) -> None:
    """A multipart body without a boundary, or without a ``file`` part, is refused."""
    bot = await raw.assistant()
    path = f"/assistants/{bot['id']}/knowledge-base"
    no_boundary = await raw(
        "POST", path, data=b"--x--\r\n", headers={"Content-Type": "multipart/form-data"}
    )
    assert no_boundary.status == 400
    no_file = await raw(
        "POST",
        path,
        data=_multipart([("other", "a.txt", b"x")]),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert (no_file.status, no_file.body["error"]) == (
        400,
        "file is required (multipart/form-data field 'file')",
    )
