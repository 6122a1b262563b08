"""File uploads: a ``multipart/form-data`` body streamed from a path, bytes or an async iterator.

:func:`multipart_upload` returns a :class:`StreamedBody` whose ``open()`` produces the whole body
afresh for each attempt: a path is re-opened and read in chunks (never loaded whole), bytes are
re-sliced, so a retry never sends a half-consumed body. An async iterator can be read only once:
its body is marked not replayable, and the call that sends it is not retried.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import secrets
from collections.abc import AsyncIterable, AsyncIterator, Callable
from pathlib import Path

from ._transport import StreamedBody

__all__ = ["FileSource", "ProgressCallback", "multipart_upload"]

CHUNK_SIZE = 64 * 1024

FileSource = str | os.PathLike[str] | bytes | AsyncIterable[bytes]
"""What can be uploaded: a path, the file's bytes, or an async iterator of its chunks."""

ProgressCallback = Callable[[int, int | None], None]
"""Called as the body is sent with ``(bytes_sent, total_bytes)``; ``total_bytes`` is ``None``
when unknown (an async iterator). Starts again from 0 when an attempt is retried."""


def _quote(value: str) -> str:
    # As browsers do for form-data: the quote and line breaks percent-encoded, the rest UTF-8.
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _read_path(path: Path) -> Callable[[], AsyncIterator[bytes]]:
    async def chunks() -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        with path.open("rb") as fh:
            while chunk := await loop.run_in_executor(None, fh.read, CHUNK_SIZE):
                yield chunk

    return chunks


def _read_bytes(data: bytes) -> Callable[[], AsyncIterator[bytes]]:
    async def chunks() -> AsyncIterator[bytes]:
        view = memoryview(data)
        for start in range(0, len(view), CHUNK_SIZE):
            yield bytes(view[start : start + CHUNK_SIZE])

    return chunks


def _read_once(source: AsyncIterable[bytes]) -> Callable[[], AsyncIterator[bytes]]:
    opened = False

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal opened
        if opened:  # the call is not retried, so this means a transport opened the body twice
            raise RuntimeError("an async iterator upload can be sent only once")
        opened = True
        async for chunk in source:
            yield bytes(chunk)

    return chunks


def _reader(
    source: FileSource, filename: str | None
) -> tuple[Callable[[], AsyncIterator[bytes]], int | None, bool, str | None]:
    """How to read ``source``: its chunk reader, size, replayability and filename.

    The size is ``None`` for an async iterator, which also cannot be replayed by a retry; the
    filename is the path's name unless one is given.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        filename = path.name if filename is None else filename
        return _read_path(path), path.stat().st_size, True, filename
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return _read_bytes(data), len(data), True, filename
    return _read_once(source), None, False, filename


def multipart_upload(
    source: FileSource,
    *,
    field: str = "file",
    filename: str | None = None,
    content_type: str | None = None,
    progress: ProgressCallback | None = None,
    max_size: int | None = None,
) -> StreamedBody:
    """A ``multipart/form-data`` body with one file part, produced afresh for each attempt.

    Args:
        source: a path (read in chunks on each attempt), the file's bytes, or an async iterator
            of its chunks (read once: the call is then not retried).
        field: the form field's name.
        filename: the name sent with the file; defaults to the path's name (required for bytes
            and async iterators).
        content_type: the file's media type; guessed from ``filename``, else
            ``application/octet-stream``.
        progress: called with ``(bytes_sent, total_bytes)`` as the file's chunks are sent.
        max_size: refuse a file larger than this many bytes before sending anything.

    Raises:
        ValueError: no ``filename`` for bytes or an iterator, an empty filename, or a file larger
            than ``max_size``.
        FileNotFoundError: ``source`` is a path that does not exist.
    """
    open_file, size, replayable, filename = _reader(source, filename)
    if not filename:
        raise ValueError("filename is required when uploading bytes or an async iterator")
    if max_size is not None and size is not None and size > max_size:
        raise ValueError(f"the file is {size} bytes; the most accepted is {max_size}")
    media = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    boundary = "talkturo-" + secrets.token_hex(16)
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{_quote(field)}"; filename="{_quote(filename)}"\r\n'
        f"Content-Type: {media}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    async def body() -> AsyncIterator[bytes]:
        sent = 0
        yield head
        async for chunk in open_file():
            if max_size is not None and sent + len(chunk) > max_size:
                raise ValueError(f"the file is larger than {max_size} bytes")
            yield chunk
            sent += len(chunk)
            if progress is not None:
                progress(sent, size)
        yield tail

    length = None if size is None else len(head) + size + len(tail)
    return StreamedBody(
        open=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        length=length,
        replayable=replayable,
    )
