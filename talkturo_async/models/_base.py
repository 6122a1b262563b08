"""What every response model shares."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Union, cast

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable

Timestamp = Union[datetime, str]  # noqa: UP007 -- compared at run time by the converter
"""An aware ``datetime``, or the raw string when the server sent one that is not ISO-8601."""


@attrs.frozen(kw_only=True)
class Model:
    """Base of every response model: plain attrs data, every field optional but an entity's ``id``.

    Entities (a contact, a campaign, ... anything whose ``id`` is passed back to the API) have a
    required ``id: str``: an answer whose record lacks one raises ``ResponseValidationError``
    rather than giving ``id=None``. ``extra`` keeps the response keys this SDK version does not know yet, never dropping them.
    """

    # The factory is ``dict`` itself; the cast (once, at import) only says what it makes.
    extra: dict[str, Any] = attrs.field(
        factory=cast("Callable[[], dict[str, Any]]", dict), repr=False, eq=False
    )
