"""Models of the CRM intelligence (AI insights) group."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable

from ._base import Model, Timestamp


@attrs.frozen(kw_only=True)
class Insight(Model):
    """One AI-generated observation about the CRM.

    Attributes:
        type: what kind of insight it is (``answer_rate``, ``pipeline_value``, ...).
        title, summary: a headline and a sentence to show.
        campaign_id: the campaign it is about, if any.
        value: the figure behind it, if any.
    """

    id: str | None = None
    type: str | None = None
    title: str | None = None
    summary: str | None = None
    campaign_id: str | None = None
    value: Any = None
    created_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class CrmIntelligence(Model):
    """The answer of ``intelligence.get``: the insights, other keys kept in ``extra``."""

    insights: list[Insight] = attrs.field(factory=cast("Callable[[], list[Insight]]", list))
