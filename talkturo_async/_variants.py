"""Every tolerated variant of the API's answers, in one place.

Talkturo deployments answer the same call in slightly different shapes. The SDK reads them with two
mechanisms, and only these two:

1. **Envelope** (where the payload sits in the body). An :class:`Envelope` names the key that holds
   the payload (``contact``, ``campaigns``, ...), other keys that may hold it instead, and sibling
   keys beside it that belong to the record (``campaign_enrollment`` next to ``contact``). A body
   with no such key falls back to ``data`` (``{"success": true, "data": {...}}``), then to the bare
   body less ``success``; a call whose payload is the whole body (:data:`BARE`) also reads a
   ``data`` object. Resources declare one envelope per call; the client and the pager read every
   answer through it. :meth:`Envelope.record` refuses an answer that holds no record at all.
2. **Record** (how one record is spelled). :data:`RECORD_VARIANTS` maps a model to a function that
   rewrites a tolerated record shape into the model's own, before the converter builds it. The
   converter applies it wherever that model appears: a top-level answer, a list item or a nested
   field. Spelling differences that are only snake_case vs camelCase need no entry: the converter
   reads both.

Models stay plain data; nothing else in the SDK adapts answers.
"""

from __future__ import annotations

import re
import sys
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._wire import camel
from .models._base import Model

if TYPE_CHECKING:
    from ._errors import JSON

__all__ = ["BARE", "RECORD_VARIANTS", "Envelope"]

Variant = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""A function that rewrites a tolerated record shape into its model's own."""


_LIST_META = frozenset({"success", "count", "total", "limit", "offset", "page"})


@attrs.frozen(cache_hash=True)  # a key of the resources' parser cache, on every call
class Envelope:
    """Where a call's payload sits in the answer body.

    Attributes:
        key: the key holding the payload (``None``: the body itself is the payload).
        also: other keys that may hold it on some servers (``phoneNumbers`` for ``numbers``).
        attach: sibling keys copied into the payload when present beside it.
    """

    key: str | None
    also: tuple[str, ...] = ()
    attach: tuple[str, ...] = ()

    def payload(self, body: Any) -> Any:
        """The record in ``body``: under ``key`` (or ``also``), else ``data``, else the bare body.

        A ``data`` object that holds the keyed answer (``{"data": {"company": {...}}}``) is read
        as that answer, its siblings included.

        Args:
            body: the decoded answer.
        """
        answer: JSON = body  # decoded JSON: the annotation types the lookups below, at no cost
        if not isinstance(answer, dict):
            return answer
        if self.key is None:  # the whole body, or a ``data`` object when it is all there is
            data = answer.get("data")
            if isinstance(data, dict) and answer.keys() <= _DATA_ONLY:
                return data
            return answer
        for key in (self.key, *self.also, "data"):
            if key in answer:
                payload = answer[key]
                break
        else:
            return {k: v for k, v in answer.items() if k != "success"}
        if key == "data" and isinstance(payload, dict):
            # ``data`` may hold the keyed answer itself: {"data": {"company": {...}, ...}}
            inner = next(
                (k for k in (self.key, *self.also) if isinstance(payload.get(k), dict)), None
            )
            if inner is not None:
                answer, payload = payload, payload[inner]
        if self.attach and isinstance(payload, dict):
            extra = {k: answer[k] for k in self.attach if k in answer and k not in payload}
            if extra:
                payload = {**payload, **extra}
        return payload

    def record(self, body: Any, model: type[Any]) -> Any:
        """The payload of a call that must answer one ``model``, refusing an answer without one.

        Args:
            body: the decoded answer.
            model: what the call returns (a :class:`Model` subclass or a list of one is checked;
                other types are returned as found).

        Raises:
            ValueError: the payload is ``null``, or an object with no key that ``model`` knows
                (``{"success": true}`` alone, an empty 204, a bare ``message``): "the answer has
                no campaign"; for a list, the answer has no array where the envelope says.
        """
        # type(), not .__class__: on Python 3.10 list[X].__class__ is the origin's class (type).
        if type(model) is not type and typing.get_origin(model) is list:  # a model: 1 µs less
            items = self.items(body)
            if items is None:
                raise ValueError(f"the answer has no {self.key!r} array")
            return items
        payload: JSON = self.payload(body)
        # A generic alias (``dict[str, Any]``) passes as a ``type[Any]`` but is not a class.
        if not (isinstance(model, type) and issubclass(model, Model)):  # pyright: ignore[reportUnnecessaryIsInstance]
            return payload
        if payload is None or (isinstance(payload, Mapping) and not _known(model, payload)):
            raise ValueError(f"the answer has no {self._noun(model)}")
        return payload

    def _noun(self, model: type[Any]) -> str:
        name = self.key or model.__name__
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()

    def items(self, body: Any) -> list[Any] | None:
        """The array of a list answer (a bare array, or under ``key``/``also``/``data``).

        Args:
            body: the decoded answer.
        """
        answer: JSON = body
        if isinstance(answer, list):
            return answer
        if isinstance(answer, dict):
            for key in (self.key, *self.also, "data"):
                value = answer.get(key) if key is not None else None
                if isinstance(value, list):
                    return value
            data = answer.get("data")
            if isinstance(data, dict) and self.key is not None:  # {"data": {"runs": [...]}}
                return self.items({k: v for k, v in data.items() if k != "data"})
        return None

    def siblings(self, body: Any) -> dict[str, Any]:
        """Keys beside a list's array other than paging metadata (``statusCounts``, ...)."""
        answer: JSON = body
        if not isinstance(answer, dict):
            return {}
        skip = {self.key, *self.also, "data"}
        return {k: v for k, v in answer.items() if k not in _LIST_META and k not in skip}


_DATA_ONLY = frozenset({"success", "data"})
_known_keys: dict[type[Any], tuple[frozenset[str], Variant | None]] = {}


def _known(model: type[Any], payload: Mapping[str, Any]) -> bool:
    """Whether ``payload`` (after the model's record variant) has any key the model reads."""
    known = _known_keys.get(model)
    if known is None:  # once per model: its keys in both spellings, and its variant
        fields = [f.name for f in attrs.fields(model) if f.name != "extra"]
        keys = frozenset(fields) | frozenset(camel(f) for f in fields)
        known = _known_keys[model] = (keys, RECORD_VARIANTS.get(model))
    keys, variant = known
    if variant is not None:
        payload = variant(payload)
    return not keys.isdisjoint(payload.keys())


BARE = Envelope(None)
"""The whole body is the payload (top-level counts such as ``imported``/``failed``)."""


def _auth_check(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # A 2xx without "success" is a success ("success": false was already raised as an error).
    return record if "success" in record else {"success": True, **record}


def _available_number(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # Newer servers nest prices under "pricing" ({"monthlyUsd", "upfrontUsd"}).
    pricing: JSON = record.get("pricing")
    if not isinstance(pricing, dict):
        return record
    flat = dict(record)
    for field, source in (("monthly_price", "monthlyUsd"), ("setup_price", "upfrontUsd")):
        if flat.get(field) is None and pricing.get(source) is not None:
            flat[field] = str(pricing[source])
    return flat


def _campaign_contact(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # Some servers list plain contacts instead of enrolment rows: wrap them.
    if "contact" not in record and ("first_name" in record or "firstName" in record):
        return {"contact": record}
    return record


def _add_contacts_result(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # Some servers list the enrolled contacts instead of counting them.
    if "added" not in record and isinstance(record.get("contacts"), list):
        return {**record, "added": len(record["contacts"])}
    return record


class ModelVariants:
    """Model → its :data:`Variant`, naming each model by module and class name.

    Naming, not importing, the models keeps ``_variants`` (loaded with the first resource module)
    from importing the groups those models belong to. A model is matched by identity on its first
    lookup; every later lookup of it is one dict hit.
    """

    def __init__(self, variants: Mapping[str, Variant]) -> None:
        """Build the table.

        Args:
            variants: ``"<module>.<class>"`` (a model of ``talkturo_async.models``) → its variant.
        """
        self._by_name = dict(variants)
        self._by_model: dict[type[Any], Variant | None] = {}

    def get(self, model: type[Any]) -> Variant | None:
        """The variant of ``model``, or ``None`` when its records need no rewriting.

        Args:
            model: a model class (any other class has no variant).
        """
        try:
            return self._by_model[model]
        except KeyError:  # the model's first lookup
            pass
        module, name = model.__module__, model.__qualname__
        variant = self._by_name.get(f"{module}.{name}")
        if variant is not None and getattr(sys.modules.get(module), name, None) is not model:
            variant = None  # a class of the same name, not the model (a reloaded module)
        self._by_model[model] = variant
        return variant

    def names(self) -> frozenset[str]:
        """The ``"<module>.<class>"`` of every model with a variant."""
        return frozenset(self._by_name)


_MODELS = __name__.rpartition(".")[0] + ".models"  # talkturo_async.models

RECORD_VARIANTS = ModelVariants(
    {
        f"{_MODELS}.auth.AuthCheck": _auth_check,
        f"{_MODELS}.phone_numbers.AvailableNumber": _available_number,
        f"{_MODELS}.campaigns.CampaignContact": _campaign_contact,
        f"{_MODELS}.campaigns.AddContactsResult": _add_contacts_result,
    }
)
"""Model → the function that rewrites a tolerated record shape into the model's own."""
