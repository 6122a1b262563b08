"""Models of the credits group."""

from __future__ import annotations

from typing import Any

import attrs

from ._base import Model, Timestamp


@attrs.frozen(kw_only=True)
class CreditBalance(Model):
    """An account's credit balance and auto-reload settings.

    Attributes:
        credits: the balance now.
        total_purchased, total_used: lifetime credits bought (grants included) and spent.
        auto_reload_threshold: the balance below which credits are bought automatically.
        auto_reload_amount_usd: how much an automatic reload buys, in USD.
    """

    id: str | None = None
    account_id: str | None = None
    credits: float | None = None
    total_purchased: float | None = None
    total_used: float | None = None
    auto_reload_enabled: bool | None = None
    auto_reload_threshold: float | None = None
    auto_reload_amount_usd: float | None = None


@attrs.frozen(kw_only=True)
class CreditDeduction(Model):
    """The result of ``credits.deduct``: the recorded transaction and the new balance."""

    success: bool | None = None
    transaction_id: str | None = None
    balance: float | None = None
    auto_reload_triggered: bool | None = None


@attrs.frozen(kw_only=True)
class CreditsCheckout(Model):
    """An embedded Stripe checkout session for buying credits.

    Attributes:
        checkout_token: the client secret the embedded checkout is mounted with.
        credits: the credits the purchase adds; ``amount`` its price in USD.
    """

    checkout_token: str | None = attrs.field(default=None, repr=False)
    session_id: str | None = None
    credits: float | None = None
    amount: float | None = None


@attrs.frozen(kw_only=True)
class AutoReloadSettings(Model):
    """Whether credits are bought automatically when the balance runs low, and how many."""

    auto_reload_enabled: bool | None = None
    auto_reload_threshold: float | None = None
    auto_reload_amount_usd: float | None = None


@attrs.frozen(kw_only=True)
class GrantClaim(Model):
    """The result of ``credits.claim_grants``: grants applied, credits they added, new balance."""

    claimed: int | None = None
    credits: float | None = None
    balance: float | None = None


@attrs.frozen(kw_only=True)
class CreditPlan(Model):
    """A credit purchase plan (pass its ``id`` as ``plan_id`` to ``credits.create_checkout``)."""

    id: str
    name: str | None = None
    credits: float | None = None
    amount_usd: float | None = None


@attrs.frozen(kw_only=True)
class CreditTransaction(Model):
    """One change of the balance.

    ``amount`` is negative for usage, positive for purchases and grants; ``balance_after`` is the
    balance it left.
    """

    id: str | None = None
    type: str | None = None
    amount: float | None = None
    description: str | None = None
    balance_after: float | None = None
    metadata: dict[str, Any] | None = None
    created_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class StatementPeriod(Model):
    """One period (a month, ``"2026-11"``) of the credit statement."""

    period: str | None = None
    opening_balance: float | None = None
    credits_added: float | None = None
    credits_used: float | None = None
    closing_balance: float | None = None
