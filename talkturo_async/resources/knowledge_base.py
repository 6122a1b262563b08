"""``tk.knowledge_base``: the files an assistant answers from, uploaded as multipart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._variants import BARE, Envelope
from ..models.knowledge_base import KnowledgeBaseEstimate, KnowledgeBaseFile
from ._base import Resource, segment

if TYPE_CHECKING:
    from .._upload import FileSource, ProgressCallback

FILE = Envelope("file")
FILES = Envelope("files")
ESTIMATE = Envelope("estimate")


def _path(assistant_id: str, tail: str = "/knowledge-base") -> str:
    return f"assistants/{segment('assistant_id', assistant_id)}{tail}"


class KnowledgeBase(Resource):
    """List, upload and delete an assistant's knowledge-base files; estimate and query."""

    async def list(self, assistant_id: str) -> list[KnowledgeBaseFile]:
        """The files attached to an assistant.

        Args:
            assistant_id: the assistant.

        Raises:
            NotFoundError: no such assistant.
        """
        return await self._request("GET", _path(assistant_id), list[KnowledgeBaseFile], FILES)

    async def upload(
        self,
        assistant_id: str,
        file: FileSource,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        progress: ProgressCallback | None = None,
        max_size: int | None = None,
    ) -> KnowledgeBaseFile:
        """Upload a file (``multipart/form-data``, field ``file``); processing continues after.

        The file is streamed in chunks, never loaded whole. A path or bytes is sent afresh on
        each attempt, so the upload is retried like any call; an async iterator can be read only
        once, so an upload from one is not retried.

        Args:
            assistant_id: the assistant.
            file: a path, the file's bytes, or an async iterator of its chunks.
            filename: the name sent (default: the path's name; required for bytes/iterators).
            content_type: the media type (default: guessed from the filename).
            progress: called with ``(bytes_sent, total_bytes)`` as chunks go out
                (``total_bytes`` is ``None`` for an iterator); restarts from 0 on a retry.
            max_size: refuse a larger file (bytes) before sending. The API states no limit;
                servers may answer 413 (``APIError``) to a body they find too large.

        Returns:
            the new file, usually with ``status="processing"``.

        Raises:
            ValueError: no filename for bytes/iterators, or the file exceeds ``max_size``.
            FileNotFoundError: the path does not exist.
            NotFoundError: no such assistant.
            BadRequestError: the server refused the file.
        """
        from .._upload import multipart_upload

        body = multipart_upload(
            file,
            filename=filename,
            content_type=content_type,
            progress=progress,
            max_size=max_size,
        )
        from .._converter import structure

        client = self._client if body.replayable else self._client.with_options(max_retries=0)

        def parse(answer: Any) -> KnowledgeBaseFile:
            return structure(FILE.record(answer, KnowledgeBaseFile), KnowledgeBaseFile)

        uploaded: KnowledgeBaseFile = await client._send(
            "POST", _path(assistant_id), stream=body, parse=parse
        )
        return uploaded

    async def delete(self, assistant_id: str, file_id: str) -> None:
        """Remove a file from an assistant's knowledge base.

        Args:
            assistant_id: the assistant.
            file_id: the file's ``id``.

        Raises:
            NotFoundError: no such assistant or file.
        """
        path = _path(assistant_id, f"/knowledge-base/{segment('file_id', file_id)}")
        await self._client._send("DELETE", path)

    async def billing_estimate(self, assistant_id: str) -> KnowledgeBaseEstimate:
        """What processing the assistant's knowledge base costs.

        Args:
            assistant_id: the assistant.

        Raises:
            NotFoundError: no such assistant.
        """
        path = _path(assistant_id, "/billing/estimate")
        return await self._request("GET", path, KnowledgeBaseEstimate, ESTIMATE)

    async def query(self, params: Mapping[str, str | int | bool] | None = None) -> dict[str, Any]:
        """Query the standalone knowledge base, where a deployment enables it (``GET /kb``).

        Its parameters and answer are deployment-specific, so both are passed through as is.

        Args:
            params: the query parameters your deployment takes (e.g. ``{"q": "refund policy"}``).

        Returns:
            the answer body as decoded JSON.

        Raises:
            NotFoundError: the deployment has no standalone knowledge base.
        """
        return await self._request("GET", "kb", dict[str, Any], BARE, params=params)
