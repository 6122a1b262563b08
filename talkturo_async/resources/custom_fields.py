"""``tk.custom_fields``: the definitions of custom fields on CRM records."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from .._options import RequestOptions
from .._variants import Envelope
from ..models.custom_fields import CustomField, CustomFieldEntity, CustomFieldType
from ._base import Resource, not_blank, one_of, require, segment

FIELD = Envelope("field")
FIELDS = Envelope("fields")


def _path(field_id: str) -> str:
    return f"crm/custom-fields/{segment('field_id', field_id)}"


class CustomFields(Resource):
    """Define, list, rename and delete custom fields of contacts, companies and opportunities."""

    async def list(self, *, options: RequestOptions | None = None) -> builtins.list[CustomField]:
        """Every custom field definition of the account (the API does not page them).

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of custom fields.
        """
        return await self._request_list("crm/custom-fields", CustomField, FIELDS, options=options)

    async def create(
        self,
        name: str,
        type: CustomFieldType,
        entity_type: CustomFieldEntity,
        options: Sequence[str] | None = None,
        *,
        request_options: RequestOptions | None = None,
    ) -> CustomField:
        """Define a custom field.

        Args:
            name: its label (unique per entity type).
            type: ``text``, ``number``, ``date``, ``select`` or ``boolean``
                (:data:`CustomFieldType`).
            entity_type: the records it belongs to: ``contact``, ``company`` or ``opportunity``
                (:data:`CustomFieldEntity`).
            options: the choices; required for ``select`` fields, refused for the others.
            request_options: per-call settings (RequestOptions: timeout, deadline,
                max_retries, idempotency_key, extra_headers); named so because ``options`` is
                the field's choices here.

        Raises:
            ValueError: ``name``, ``type`` or ``entity_type`` is missing or empty, ``type`` or
                ``entity_type`` is not a known value (the message names the closest), or
                ``select`` without ``options``.
            BadRequestError: the server refused the definition (a name already used, ...).
            ResponseValidationError: the answer is not a custom field.
        """
        require(name=name, type=type, entity_type=entity_type)
        one_of("type", type, CustomFieldType)
        one_of("entity_type", entity_type, CustomFieldEntity)
        if isinstance(options, str):
            raise ValueError("options must be a list of choices, not one string")
        if type == "select":
            require(options=builtins.list(options or []))
        body: dict[str, Any] = {"name": name, "type": type, "entity_type": entity_type}
        if options is not None:
            body["options"] = builtins.list(options)
        return await self._request(
            "POST", "crm/custom-fields", CustomField, FIELD, json=body, options=request_options
        )

    async def get(self, field_id: str, *, options: RequestOptions | None = None) -> CustomField:
        """Fetch one custom field definition.

        Args:
            field_id: the field's UUID.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``field_id`` is empty.
            NotFoundError: no field has this id.
            ResponseValidationError: the answer is not a custom field.
        """
        return await self._request("GET", _path(field_id), CustomField, FIELD, options=options)

    async def update(
        self,
        field_id: str,
        *,
        name: str | None = None,
        options: Sequence[str] | None = None,
        request_options: RequestOptions | None = None,
    ) -> CustomField:
        """Rename a field or replace a ``select`` field's options (its type cannot change).

        Args:
            field_id: the field's UUID.
            name: a new label.
            options: the new list of choices (``select`` fields only).
            request_options: per-call settings (RequestOptions: timeout, deadline,
                max_retries, idempotency_key, extra_headers); named so because ``options`` is
                the field's choices here.

        Raises:
            ValueError: neither ``name`` nor ``options`` was given, or ``name`` is empty.
            NotFoundError: no field has this id.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not a custom field.
        """
        not_blank(name=name)
        if isinstance(options, str):
            raise ValueError("options must be a list of choices, not one string")
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if options is not None:
            body["options"] = builtins.list(options)
        if not body:
            raise ValueError("update needs name or options")
        return await self._request(
            "PATCH", _path(field_id), CustomField, FIELD, json=body, options=request_options
        )

    async def delete(self, field_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete a custom field definition.

        Args:
            field_id: the field's UUID.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``field_id`` is empty.
            NotFoundError: no field has this id.
        """
        await self._call("DELETE", _path(field_id), options=options)
