"""Read-only views of a fake's records, as attributes of :class:`FakeTalkturo`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._store import JSON, Store

if TYPE_CHECKING:
    from ._webhooks import WebhookDelivery, WebhookSender


class RecordViews:
    """The fake's records and webhook state by name (``fake.contacts``, ``fake.calls``, ...)."""

    _store: Store
    webhooks: WebhookSender

    @property
    def contacts(self) -> dict[str, JSON]:
        """Contact records by id (snake_case, as answered)."""
        return self._store.contacts

    @property
    def companies(self) -> dict[str, JSON]:
        """Company records by id."""
        return self._store.companies

    @property
    def campaigns(self) -> dict[str, JSON]:
        """Campaign records by id (deleted ones stay, with ``deleted_at``)."""
        return self._store.campaigns

    @property
    def assistants(self) -> dict[str, JSON]:
        """Assistant records by id."""
        return self._store.assistants

    @property
    def phone_numbers(self) -> dict[str, JSON]:
        """Phone number records by id."""
        return self._store.phone_numbers

    @property
    def campaign_contacts(self) -> dict[str, list[JSON]]:
        """Each campaign's enrolled contacts (rows with status, priority, attempts, outcome)."""
        return self._store.campaign_contacts

    @property
    def calls(self) -> list[JSON]:
        """Every call campaign runs placed, in order."""
        return self._store.calls

    @property
    def credits(self) -> float:
        """The account balance (settable)."""
        return self._store.credits

    @credits.setter
    def credits(self, value: float) -> None:
        self._store.credits = value

    @property
    def webhook_public_key(self) -> str:
        """Base64 Ed25519 public key that verifies this fake's call events (needs cryptography)."""
        return self.webhooks.public_key

    @property
    def billing_secret(self) -> str:
        """The HMAC secret of this fake's billing events."""
        return self.webhooks.billing_secret

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook delivery so far, in the order they started."""
        return self.webhooks.deliveries
