"""Models of the knowledge base group."""

from __future__ import annotations

from typing import Any

import attrs

from ._base import Model, Timestamp


@attrs.frozen(kw_only=True)
class KnowledgeBaseFile(Model):
    """A file in an assistant's knowledge base.

    Attributes:
        size: in bytes.
        type: the media type (``application/pdf``).
        status: processing state, ``processing`` then ``processed``.
    """

    id: str
    filename: str | None = None
    size: int | None = None
    type: str | None = None
    status: str | None = None
    created_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class KnowledgeBaseEstimate(Model):
    """What processing an assistant's knowledge base costs.

    Fields vary by deployment; the ones not named here are in ``extra``.
    """

    file_count: int | None = None
    total_bytes: int | None = None
    estimated_credits: float | None = None
    details: dict[str, Any] | None = None
