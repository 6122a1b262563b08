"""``tk.knowledge_base``: the files an assistant answers from, uploaded as multipart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._options import RequestOptions
from .._variants import BARE, Envelope
from ..models.knowledge_base import KnowledgeBaseEstimate, KnowledgeBaseFile
from ._base import Resource, checked, segment

if TYPE_CHECKING:
    from .._upload import FileSource, ProgressCallback

FILE = Envelope("file")
FILES = Envelope("files")
ESTIMATE = Envelope("estimate")


def _path(assistant_id: str, tail: str = "/knowledge-base") -> str:
    return f"assistants/{segment('assistant_id', assistant_id)}{tail}"


class KnowledgeBase(Resource):
    """List, upload and delete an assistant's knowledge-base files; estimate and query."""

    async def list(
        self, assistant_id: str, *, options: RequestOptions | None = None
    ) -> list[KnowledgeBaseFile]:
        """The files attached to an assistant.

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` missing or not an id.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not a list of files.
        """
        path = _path(assistant_id)
        return await self._request("GET", path, list[KnowledgeBaseFile], FILES, options=options)

    async def upload(
        self,
        assistant_id: str,
        file: FileSource,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        progress: ProgressCallback | None = None,
        max_size: int | None = None,
        options: RequestOptions | None = None,
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
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers); ``max_retries`` cannot make an upload from an
                iterator retry.

        Returns:
            the new file, usually with ``status="processing"``.

        Raises:
            ValueError: no filename for bytes/iterators, or the file exceeds ``max_size``.
            FileNotFoundError: the path does not exist.
            NotFoundError: no such assistant.
            BadRequestError: the server refused the file.
            ResponseValidationError: the answer is not a file.
        """
        from .._converter import structure
        from .._upload import multipart_upload

        path = _path(assistant_id)
        settings: RequestOptions = {**(checked(options) or {})}

        body = multipart_upload(
            file,
            filename=filename,
            content_type=content_type,
            progress=progress,
            max_size=max_size,
        )
        if not body.replayable:
            settings["max_retries"] = 0  # an iterator can be read only once

        def parse(answer: Any) -> KnowledgeBaseFile:
            return structure(FILE.record(answer, KnowledgeBaseFile), KnowledgeBaseFile)

        result: KnowledgeBaseFile = await self._client._send(  # pyright: ignore[reportPrivateUsage] - same package
            "POST", path, stream=body, options=settings or None, parse=parse
        )
        return result

    async def delete(
        self, assistant_id: str, file_id: str, *, options: RequestOptions | None = None
    ) -> None:
        """Remove a file from an assistant's knowledge base.

        Args:
            assistant_id: the assistant.
            file_id: the file's ``id``.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` or ``file_id`` missing or not an id.
            NotFoundError: no such assistant or file.
        """
        path = _path(assistant_id, f"/knowledge-base/{segment('file_id', file_id)}")
        await self._call("DELETE", path, options=options)

    async def billing_estimate(
        self, assistant_id: str, *, options: RequestOptions | None = None
    ) -> KnowledgeBaseEstimate:
        """What processing the assistant's knowledge base costs.

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` missing or not an id.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an estimate.
        """
        path = _path(assistant_id, "/billing/estimate")
        return await self._request("GET", path, KnowledgeBaseEstimate, ESTIMATE, options=options)

    async def query(
        self,
        params: Mapping[str, str | int | bool] | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> dict[str, Any]:
        """Query the standalone knowledge base, where a deployment enables it (``GET /kb``).

        Its parameters and answer are deployment-specific, so both are passed through as is.

        Args:
            params: the query parameters your deployment takes (e.g. ``{"q": "refund policy"}``).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Returns:
            the answer body as decoded JSON.

        Raises:
            NotFoundError: the deployment has no standalone knowledge base.
            ResponseValidationError: the answer is not a JSON object.
        """
        return await self._request(
            "GET", "kb", dict[str, Any], BARE, params=params, options=options
        )
