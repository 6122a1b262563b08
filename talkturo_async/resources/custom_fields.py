"""``tk.custom_fields``: the definitions of custom fields on CRM records."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from .._variants import Envelope
from ..models.custom_fields import CustomField, CustomFieldEntity, CustomFieldType
from ._base import Resource, require, segment

FIELD = Envelope("field")
FIELDS = Envelope("fields")


def _path(field_id: str) -> str:
    return f"crm/custom-fields/{segment('field_id', field_id)}"


class CustomFields(Resource):
    """Define, list, rename and delete custom fields of contacts, companies and opportunities."""

    async def list(self) -> builtins.list[CustomField]:
        """Every custom field definition of the account (the API does not page them)."""
        return await self._request_list("crm/custom-fields", CustomField, FIELDS)

    async def create(
        self,
        name: str,
        type: CustomFieldType,
        entity_type: CustomFieldEntity,
        options: Sequence[str] | None = None,
    ) -> CustomField:
        """Define a custom field.

        Args:
            name: its label (unique per entity type).
            type: ``text``, ``number``, ``date``, ``select`` or ``boolean``.
            entity_type: the records it belongs to: ``contact``, ``company`` or ``opportunity``.
            options: the choices; required for ``select`` fields, refused for the others.

        Raises:
            ValueError: ``name``, ``type`` or ``entity_type`` is missing, or ``select`` without
                ``options``.
            BadRequestError: the server refused the definition (a name already used, ...).
        """
        require(name=name, type=type, entity_type=entity_type)
        if type == "select":
            require(options=builtins.list(options or []))
        body: dict[str, Any] = {"name": name, "type": type, "entity_type": entity_type}
        if options is not None:
            body["options"] = builtins.list(options)
        return await self._request("POST", "crm/custom-fields", CustomField, FIELD, json=body)

    async def get(self, field_id: str) -> CustomField:
        """Fetch one custom field definition.

        Args:
            field_id: the field's UUID.

        Raises:
            NotFoundError: no field has this id.
        """
        return await self._request("GET", _path(field_id), CustomField, FIELD)

    async def update(
        self, field_id: str, *, name: str | None = None, options: Sequence[str] | None = None
    ) -> CustomField:
        """Rename a field or replace a ``select`` field's options (its type cannot change).

        Args:
            field_id: the field's UUID.
            name: a new label.
            options: the new list of choices (``select`` fields only).

        Raises:
            ValueError: neither ``name`` nor ``options`` was given.
            NotFoundError: no field has this id.
            BadRequestError: the server refused a value.
        """
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if options is not None:
            body["options"] = builtins.list(options)
        if not body:
            raise ValueError("update needs name or options")
        return await self._request("PATCH", _path(field_id), CustomField, FIELD, json=body)

    async def delete(self, field_id: str) -> None:
        """Delete a custom field definition.

        Args:
            field_id: the field's UUID.

        Raises:
            NotFoundError: no field has this id.
        """
        await self._client._send("DELETE", _path(field_id))
