"""Models of the billing group."""

from __future__ import annotations

import attrs

from ._base import Model, Timestamp


@attrs.frozen(kw_only=True)
class Invoice(Model):
    """A billing invoice (amounts in the currency's smallest unit, as Stripe gives them)."""

    id: str | None = None
    status: str | None = None
    currency: str | None = None
    amount_due: float | None = None
    amount_paid: float | None = None
    created_at: Timestamp | None = None
    hosted_invoice_url: str | None = None
