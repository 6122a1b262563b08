"""Models of the phone-numbers group."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal, cast

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable

from ._base import Model, Timestamp

PhoneNumberStatus = Literal["purchasing", "active", "suspended", "error"]
"""Known statuses of an owned number; others are kept as they are."""

NUMBER_PURCHASING: Final = "purchasing"
NUMBER_ACTIVE: Final = "active"
NUMBER_SUSPENDED: Final = "suspended"
NUMBER_ERROR: Final = "error"

NumberType = Literal["local", "toll-free"]
"""Kinds of number ``phone_numbers.search`` finds (server default ``local``)."""


@attrs.frozen(kw_only=True)
class PhoneNumber(Model):
    """A number owned by a team.

    Attributes:
        id: the record id (pass it to ``assistants.assign_phone_numbers``).
        phone_number: the number itself, E.164 (required: a record without it is refused).
        status: ``purchasing`` → ``active`` normally (open string).
        is_trial, trial_expires_at: free accounts' five-day trial number.
        eligibility: plan limits, on the ``purchase`` answer only.
    """

    id: str
    phone_number: str
    status: str | None = None
    team_id: str | None = None
    account_slug: str | None = None
    assistant_id: str | None = None
    assistant_name: str | None = None
    provider: str | None = None
    ownership_type: str | None = None
    provider_account_id: str | None = None
    features: list[str] | None = None
    country_code: str | None = None
    is_trial: bool | None = None
    trial_expires_at: Timestamp | None = None
    message: str | None = None
    created_by_user_id: str | None = None
    created_by_email: str | None = None
    created_by_name: str | None = None
    created_at: Timestamp | None = None
    eligibility: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class AvailableNumber(Model):
    """A number that can be bought. Prices are USD decimal strings (``"1.00"``).

    ``monthly_price`` / ``setup_price`` are read from ``pricing`` when the server nests them there;
    ``cost`` is the price as the spec's ``AvailablePhoneNumber`` names it.
    """

    phone_number: str
    monthly_price: str | None = None
    setup_price: str | None = None
    features: list[str] | None = None
    country: str | None = None
    type: str | None = None
    pricing: dict[str, Any] | None = None
    billing: Any = None
    cost: str | None = None


@attrs.frozen(kw_only=True)
class NumberSearchResult(Model):
    """The answer of ``phone_numbers.search``: ``numbers``, the ``provider``, and ``count`` returned."""

    numbers: list[AvailableNumber] = attrs.field(
        factory=cast("Callable[[], list[AvailableNumber]]", list)
    )
    provider: str | None = None
    count: int | None = None
