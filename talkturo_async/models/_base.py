"""What every response model shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Union

import attrs

Timestamp = Union[datetime, str]  # noqa: UP007 -- compared at run time by the converter
"""An aware ``datetime``, or the raw string when the server sent one that is not ISO-8601."""


@attrs.frozen(kw_only=True)
class Model:
    """Base of every response model: plain attrs data, every field optional but an entity's ``id``.

    Entities (a contact, a campaign, ... anything whose ``id`` is passed back to the API) have a
    required ``id: str``: an answer whose record lacks one raises ``ResponseValidationError``
    rather than giving ``id=None``. ``extra`` keeps the response keys this SDK version does not know yet, never dropping them.
    """

    extra: dict[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
