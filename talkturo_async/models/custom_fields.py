"""Models of the CRM custom fields group."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Model, Timestamp

CustomFieldType = Literal["text", "number", "date", "select", "boolean"]
"""The kinds of value a custom field holds."""

CustomFieldEntity = Literal["contact", "company", "opportunity"]
"""The records a custom field belongs to."""


@attrs.frozen(kw_only=True)
class CustomField(Model):
    """The definition of a custom field on contacts, companies or opportunities.

    Attributes:
        id: the field's UUID.
        name: its label.
        type: ``text``, ``number``, ``date``, ``select`` or ``boolean`` (see ``CustomFieldType``).
        entity_type: ``contact``, ``company`` or ``opportunity``.
        options: the choices of a ``select`` field.
    """

    id: str
    name: str | None = None
    type: str | None = None
    entity_type: str | None = None
    options: list[str] | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
