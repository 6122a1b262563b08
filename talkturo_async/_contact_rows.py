"""Contact rows: the one validator behind every contact import, and ``bulk_create``'s row result.

The validator is behind ``contacts.create``, ``bulk_create``, ``import_contacts`` and the CLI's CSV
import; the per-row result is ``bulk_create``'s.

A row is a :class:`ContactInput` or a mapping with the same field names, in snake_case or
camelCase. :func:`contact_row` checks it and returns its wire body, or raises ``ValueError``
naming the field (and the closest known name, for a typo). Nothing that fails here is sent.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._bulk import BulkResult
from ._contact_checks import check_values
from ._wire import camel, snake

if TYPE_CHECKING:  # a name only: importing the contact models waits for the first contact call
    from .models.contacts import Contact

__all__ = ["ContactInput", "ContactResult", "contact_row", "fields_body"]


@attrs.frozen(kw_only=True)
class ContactInput:
    """A contact to create, for ``contacts.bulk_create`` (plain dicts with the same keys work too).

    The fields are the keyword arguments of ``contacts.create``.
    """

    team_id: str
    company_id: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    phone_secondary: str | None = None
    job_title: str | None = None
    lead_status: str | None = None
    source: str | None = None
    timezone: str | None = None
    preferred_contact_method: str | None = None
    do_not_call: bool | None = None
    notes: str | None = None
    custom_fields: dict[str, Any] | None = None
    tags: list[str] | None = None
    campaign_id: str | None = None
    campaign_priority: int | None = None


FIELDS = tuple(f.name for f in attrs.fields(ContactInput))
"""Every field a contact row may have, in snake_case."""

_values_of = operator.attrgetter(*FIELDS)  # a ContactInput's values, in FIELDS' order

_NAMES = ("first_name", "last_name")
_IDS = ("team_id", "company_id")


def contact_row(
    row: Mapping[str, Any] | ContactInput, *, require_ids: bool = True
) -> dict[str, Any]:
    """Check one contact row and return its body as camelCase wire fields (``None`` left out).

    Args:
        row: a :class:`ContactInput`, or a mapping of its fields in snake_case or camelCase.
        require_ids: whether ``team_id`` and ``company_id`` are required (they are for
            ``contacts.create``; an import takes the team from its own argument).

    Raises:
        ValueError: not a mapping; an unknown field (naming the closest known one); a field given
            in both spellings; a missing or empty first name, last name or required id; a phone
            that is not E.164 once spaces, dashes, dots and parentheses are dropped (and a
            leading ``00`` read as ``+``; the normalised form is sent); an e-mail that is not an
            address; a value longer than its limit (``_contact_checks.MAX_LENGTH``).
    """
    if isinstance(row, ContactInput):
        fields = dict(zip(FIELDS, _values_of(row), strict=True))  # attrs.asdict, 5x faster
    elif isinstance(row, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance] - user input
        fields = {}
        for key, value in row.items():
            name = snake(key) if isinstance(key, str) else key  # pyright: ignore[reportUnnecessaryIsInstance] - user input
            if name not in FIELDS:
                raise ValueError(_unknown(key))
            if name in fields:
                raise ValueError(f"field {name!r} is given twice (as {name!r} and {camel(name)!r})")
            fields[name] = value
    else:
        raise ValueError(f"expected a mapping of contact fields, got {type(row).__name__}")
    return fields_body(fields, require_ids=require_ids)


def fields_body(fields: dict[str, Any], *, require_ids: bool = True) -> dict[str, Any]:
    """:func:`contact_row` for ``fields`` already under their snake_case names (``FIELDS``).

    ``contacts.create`` passes its arguments here as they are, without the round trip through
    a :class:`ContactInput`. Raises as :func:`contact_row` does for a value.
    """
    required = (*_IDS, *_NAMES) if require_ids else _NAMES
    missing = [name for name in required if fields.get(name) in (None, "")]
    if missing:
        verb = " is" if len(missing) == 1 else " are"
        raise ValueError(" and ".join(missing) + verb + " required")
    fields = check_values(fields)
    return {camel(k): v for k, v in fields.items() if v is not None}


def _unknown(key: object) -> str:
    message = f"unknown field {key!r}"
    close = difflib.get_close_matches(snake(str(key)), FIELDS, n=1)
    return (
        f"{message}; did you mean {close[0]!r}?"
        if close
        else f"{message} (known: {', '.join(FIELDS)})"
    )


@attrs.frozen(kw_only=True)
class ContactResult(BulkResult[Any, "Contact"]):
    """One row of ``contacts.bulk_create``.

    A :class:`BulkResult` whose ``result`` is the created contact, also reachable as ``contact``.

    Attributes:
        index: the row's position in the input (0-based).
        input: the row as given.
        contact: the created contact, when it worked.
        error: why it did not (``ValueError`` for a row refused before sending, else the API error).
    """

    @property
    def contact(self) -> Contact | None:
        """The created contact, or ``None`` when the row failed."""
        return self.result
