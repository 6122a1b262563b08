"""Knowledge-base uploads: multipart streamed from a path, bytes or an async iterator, in
bounded chunks, re-sent whole on a retry, with progress, content types and size limits."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from talkturo_async import (
    MockTransport,
    Request,
    Response,
    RetryPolicy,
    ServerError,
    Talkturo,
)
from talkturo_async.testing import FakeTalkturo

NO_WAIT = RetryPolicy(wait=False)
KB_PATH = "/assistants/*/knowledge-base"
FILE_ANSWER = {"success": True, "file": {"id": "f1", "filename": "x", "size": 1}}


@pytest.fixture
async def tk(spec_fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
    """A client bound to the spec-checked fake."""
    async with Talkturo(
        api_key=spec_fake.api_key, base_url=spec_fake.base_url, retry_policy=NO_WAIT
    ) as client:
        yield client


@pytest.fixture
def bot(spec_fake: FakeTalkturo) -> str:
    """An assistant of the fake, seeded without HTTP."""
    created = spec_fake.state.create_assistant({"name": "Docs", "accountSlug": "acme"})
    return str(created["assistant"]["id"])


def _stored(fake: FakeTalkturo) -> list[dict[str, object]]:
    return list(fake.state.store.kb_files.values())


async def _chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def test_path_upload_arrives_intact_with_length_and_progress(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str, tmp_path: Path
) -> None:
    """A file is sent from its path with Content-Length, byte-exact, reporting progress."""
    data = bytes(range(256)) * 2400  # 614,400 bytes: ten chunks, CRLFs and dashes included
    path = tmp_path / "manual.pdf"
    path.write_bytes(data)
    seen: list[tuple[int, int | None]] = []
    uploaded = await tk.knowledge_base.upload(bot, path, progress=lambda s, t: seen.append((s, t)))
    assert (uploaded.filename, uploaded.type, uploaded.size) == (
        "manual.pdf",
        "application/pdf",
        len(data),
    )
    [record] = _stored(spec_fake)
    assert record["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(seen) == 10 and seen[-1] == (len(data), len(data))
    assert [s for s, _ in seen] == sorted(s for s, _ in seen)
    headers = spec_fake.requests[-1].headers
    assert headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert int(headers["Content-Length"]) > len(data)


async def test_path_upload_is_resent_whole_after_a_503(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str, tmp_path: Path
) -> None:
    """A retried upload re-opens the file: the server gets it complete, progress restarts."""
    data = b"0123456789abcdef" * 10_000
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    spec_fake.fail_next(status=503, method="POST", path=KB_PATH)
    seen: list[int] = []
    await tk.knowledge_base.upload(bot, str(path), progress=lambda s, t: seen.append(s))
    assert [r.status for r in spec_fake.requests] == [503, 200]
    [record] = _stored(spec_fake)
    assert record["sha256"] == hashlib.sha256(data).hexdigest()
    assert seen.count(len(data)) == 2  # each attempt reported the whole file
    assert seen.index(len(data)) < len(seen) - 1 and seen[seen.index(len(data)) + 1] < len(data)


async def test_bytes_upload_is_retried_from_the_start(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str
) -> None:
    """Bytes are re-sliced on each attempt, so a retry after a 502 uploads the same content."""
    data = b"x" * 200_000 + b"end"
    spec_fake.fail_next(status=502, method="POST", path=KB_PATH)
    uploaded = await tk.knowledge_base.upload(bot, data, filename="blob.bin")
    assert uploaded.size == len(data) and uploaded.type == "application/octet-stream"
    assert _stored(spec_fake)[0]["sha256"] == hashlib.sha256(data).hexdigest()


async def test_async_iterator_upload_is_streamed_chunked(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str
) -> None:
    """An async iterator is sent without Content-Length; progress has no total."""
    data = b"line of csv,1,2\r\n" * 5000
    seen: list[tuple[int, int | None]] = []
    uploaded = await tk.knowledge_base.upload(
        bot, _chunks(data, 7000), filename="rows.csv", progress=lambda s, t: seen.append((s, t))
    )
    assert uploaded.size == len(data) and uploaded.type == "text/csv"
    assert seen[-1] == (len(data), None)
    assert "Content-Length" not in spec_fake.requests[-1].headers


async def test_async_iterator_upload_is_not_retried(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str
) -> None:
    """A one-shot iterator cannot be replayed: a 503 is raised at once, after one attempt."""
    spec_fake.fail_next(status=503, method="POST", path=KB_PATH)
    with pytest.raises(ServerError):
        await tk.knowledge_base.upload(bot, _chunks(b"abc" * 100, 50), filename="a.txt")
    assert len(spec_fake.requests) == 1 and _stored(spec_fake) == []


async def test_content_type_is_guessed_or_given(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str
) -> None:
    """The part's media type comes from the filename unless content_type is given."""
    guessed = await tk.knowledge_base.upload(bot, b"# t", filename="readme.md")
    given = await tk.knowledge_base.upload(
        bot, b"{}", filename="data.weird", content_type="application/json"
    )
    assert guessed.type == "text/markdown"
    assert given.type == "application/json"


async def test_refusals_happen_before_sending(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str, tmp_path: Path
) -> None:
    """No filename for bytes, a file over max_size, or a missing path: nothing is sent."""
    with pytest.raises(ValueError, match="filename"):
        await tk.knowledge_base.upload(bot, b"data")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(ValueError, match="2048 bytes"):
        await tk.knowledge_base.upload(bot, big, max_size=1024)
    with pytest.raises(FileNotFoundError):
        await tk.knowledge_base.upload(bot, tmp_path / "missing.pdf")
    assert spec_fake.requests == []


async def test_a_filename_cannot_inject_headers(
    tk: Talkturo, spec_fake: FakeTalkturo, bot: str
) -> None:
    """Quotes and line breaks in a filename are escaped: the part stays one file field."""
    uploaded = await tk.knowledge_base.upload(bot, b"x", filename='a".txt\r\nX-Evil: 1')
    assert uploaded.filename is not None
    assert "\r" not in uploaded.filename and '"' not in uploaded.filename
    assert len(_stored(spec_fake)) == 1


async def test_mock_transport_sees_the_whole_body_on_each_attempt() -> None:
    """MockTransport opens the body per attempt: a retried upload carries identical bytes."""
    answers = [Response.from_json(503, {"error": "busy"}), Response.from_json(200, FILE_ANSWER)]

    def handler(request: Request) -> Response:
        return answers.pop(0)

    transport = MockTransport(handler)
    async with Talkturo(api_key="tk_test_unit", transport=transport, retry_policy=NO_WAIT) as tk:
        await tk.knowledge_base.upload("a1", b"hello world", filename="h.txt")
    first, second = transport.requests
    assert first.body == second.body and first.body is not None
    assert b'name="file"; filename="h.txt"' in first.body
    assert b"Content-Type: text/plain\r\n\r\nhello world\r\n--" in first.body
    assert first.headers["Content-Length"] == str(len(first.body))
    assert first.url.path == "/api/assistants/a1/knowledge-base"


class _CountingTransport:
    """Reads a streamed body chunk by chunk, keeping only sizes (as a socket writer would)."""

    def __init__(self) -> None:
        self.largest = 0
        self.total = 0

    async def send(self, request: Request) -> Response:
        assert request.stream is not None
        async for chunk in request.stream.open():
            self.largest = max(self.largest, len(chunk))
            self.total += len(chunk)
        return Response.from_json(200, FILE_ANSWER)

    async def aclose(self) -> None:
        return None


async def test_a_large_file_is_never_loaded_into_memory(tmp_path: Path) -> None:
    """A 24 MB file goes out in chunks of at most 64 KiB, with Python memory staying far lower."""
    path = tmp_path / "large.bin"
    with path.open("wb") as fh:
        for _ in range(24):
            fh.write(b"z" * 1_000_000)
    transport = _CountingTransport()
    async with Talkturo(api_key="tk_test_unit", transport=transport) as tk:
        tracemalloc.start()
        try:
            await tk.knowledge_base.upload("a1", path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert transport.total > 24_000_000
    assert transport.largest <= 64 * 1024
    assert peak < 2_000_000
