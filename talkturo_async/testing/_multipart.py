"""Reading a ``multipart/form-data`` request body in the fake (knowledge-base uploads)."""

from __future__ import annotations

import hashlib
from email.message import Message

import attrs

from ._store import FakeHTTPError


@attrs.frozen(kw_only=True)
class UploadedFile:
    """One file part of a multipart body: its name, media type, size and SHA-256 (hex)."""

    filename: str
    content_type: str
    size: int
    sha256: str


def parse_multipart(
    content_type: str, raw: bytes
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """The text fields and the file parts of a ``multipart/form-data`` body.

    Raises:
        FakeHTTPError: 400 when the boundary is missing or the body is not well formed.
    """
    header = Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise FakeHTTPError(400, "multipart body without a boundary")
    delimiter = b"\r\n--" + boundary.encode()
    pieces = (b"\r\n" + raw).split(delimiter)
    if len(pieces) < 2 or not pieces[-1].startswith(b"--"):
        raise FakeHTTPError(400, "malformed multipart body")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for piece in pieces[1:-1]:
        head, sep, content = piece.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise FakeHTTPError(400, "malformed multipart part")
        part = Message()
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            part[name.strip()] = value.strip()
        field = part.get_param("name", header="content-disposition")
        filename = part.get_param("filename", header="content-disposition")
        if not isinstance(field, str):
            raise FakeHTTPError(400, "multipart part without a name")
        if isinstance(filename, str):
            files[field] = UploadedFile(
                filename=filename,
                content_type=part.get_content_type(),
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        else:
            fields[field] = content.decode("utf-8", "replace")
    return fields, files
