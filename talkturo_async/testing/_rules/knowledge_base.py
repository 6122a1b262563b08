"""FakeTalkturo's rules for knowledge bases.

Multipart uploads stored as metadata (name, media type, size, SHA-256), ``processing`` until first
listed, per-assistant lists and deletes, a billing estimate from the stored sizes, and a filename
search on ``GET /kb``.
"""

from __future__ import annotations

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso

CREDITS_PER_MB = 2.0
VIEW_FIELDS = ("id", "filename", "size", "type", "status", "created_at")


def _assistant(store: Store, assistant_id: str) -> JSON:
    return store.get_or_404(store.assistants, assistant_id, "Assistant")


def _view(record: JSON) -> JSON:
    return {k: record[k] for k in VIEW_FIELDS}


def _files_of(store: Store, assistant_id: str) -> list[JSON]:
    return [f for f in store.kb_files.values() if f["assistant_id"] == assistant_id]


def list_files(store: Store, call: Call) -> JSON:
    """The assistant's files; the ones still ``processing`` are done once listed."""
    _assistant(store, call.id)
    files = _files_of(store, call.id)
    answer = [_view(f) for f in files]
    for record in files:
        record["status"] = "processed"
    return {"success": True, "files": answer}


def upload_file(store: Store, call: Call) -> JSON:
    """Store the ``file`` part's metadata; 400 without one or for an empty file."""
    _assistant(store, call.id)
    upload = call.files.get("file")
    if upload is None:
        raise FakeHTTPError(400, "file is required (multipart/form-data field 'file')")
    if upload.size == 0:
        raise FakeHTTPError(400, "the file is empty")
    file_id = store.new_uuid()
    record: JSON = {
        "id": file_id,
        "filename": upload.filename,
        "size": upload.size,
        "type": upload.content_type,
        "status": "processing",
        "created_at": now_iso(),
        "assistant_id": call.id,
        "sha256": upload.sha256,
    }
    store.kb_files[file_id] = record
    return {"success": True, "file": _view(record)}


def delete_file(store: Store, call: Call) -> JSON:
    """Remove one of the assistant's files."""
    _assistant(store, call.id)
    record = store.kb_files.get(call.path_params["fileId"])
    if record is None or record["assistant_id"] != call.id:
        raise FakeHTTPError(404, "Knowledge base file not found")
    del store.kb_files[record["id"]]
    return {"success": True, "message": "File deleted"}


def billing_estimate(store: Store, call: Call) -> JSON:
    """Credits to process the assistant's files: ``CREDITS_PER_MB`` per MB stored."""
    _assistant(store, call.id)
    files = _files_of(store, call.id)
    total = sum(f["size"] for f in files)
    estimate = {
        "file_count": len(files),
        "total_bytes": total,
        "estimated_credits": round(total / 1_000_000 * CREDITS_PER_MB, 6),
        "credits_per_mb": CREDITS_PER_MB,
    }
    return {"success": True, "estimate": estimate}


def query(store: Store, call: Call) -> JSON:
    """Files of every assistant whose name contains ``q`` (case-insensitive)."""
    needle = call.query.get("q", "").lower()
    hits = [f for f in store.kb_files.values() if needle in f["filename"].lower()]
    return {
        "success": True,
        "query": needle,
        "results": [{**_view(f), "assistant_id": f["assistant_id"]} for f in hits],
    }
