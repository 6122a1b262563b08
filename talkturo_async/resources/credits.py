"""``tk.credits``: the account's credit balance, usage, purchases and history."""

from __future__ import annotations

from typing import Any

from .._options import RequestOptions
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.credits import (
    AutoReloadSettings,
    CreditBalance,
    CreditDeduction,
    CreditPlan,
    CreditsCheckout,
    CreditTransaction,
    GrantClaim,
    StatementPeriod,
)
from ._base import Resource, not_blank, require

CREDITS = Envelope("credits")
PLANS = Envelope("plans")
STATEMENT = Envelope("statement")
TRANSACTIONS = Envelope("transactions")
MIN_CUSTOM_AMOUNT = 99


class Credits(Resource):
    """Read the balance, record usage, buy credits and read the history."""

    async def get_balance(
        self, account_id: str | None = None, *, options: RequestOptions | None = None
    ) -> CreditBalance:
        """The credit balance and auto-reload settings.

        Args:
            account_id: the account to read (default: the authenticated one).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``account_id`` is empty.
            PermissionDeniedError: the credential may not read that account.
            ResponseValidationError: the answer is not a balance.
        """
        not_blank(account_id=account_id)
        params = to_wire({"account_id": account_id})
        return await self._request(
            "GET", "credits", CreditBalance, CREDITS, params=params, options=options
        )

    async def deduct(
        self,
        account_id: str,
        amount: float,
        *,
        description: str | None = None,
        metadata: dict[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> CreditDeduction:
        """Record usage: take ``amount`` credits from the account's balance.

        Args:
            account_id: the account to charge.
            amount: the credits to take (more than 0).
            description: what the usage was, shown in the history.
            metadata: your own key/value data kept with the transaction.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``account_id`` missing or empty, or ``amount`` not above 0.
            InsufficientCreditsError: the balance is lower than ``amount`` (nothing is taken).
            PermissionDeniedError: the credential may not charge that account.
            ResponseValidationError: the answer is not a deduction.
        """
        require(account_id=account_id)
        if not amount > 0:
            raise ValueError("amount must be more than 0")
        body = to_wire(
            {
                "account_id": account_id,
                "amount": amount,
                "description": description,
                "metadata": metadata,
            }
        )
        return await self._request(
            "POST", "credits", CreditDeduction, BARE, json=body, options=options
        )

    async def create_checkout(
        self,
        account_id: str,
        account_slug: str,
        *,
        plan_id: str | None = None,
        custom_amount: float | None = None,
        custom_credits: float | None = None,
        customer_id: str | None = None,
        customer_email: str | None = None,
        tolt_referral: str | None = None,
        options: RequestOptions | None = None,
    ) -> CreditsCheckout:
        """Start an embedded Stripe checkout to buy credits: a plan, or a custom amount.

        Args:
            account_id: the account credited.
            account_slug: that account's slug.
            plan_id: a plan from ``list_plans``; or else
            custom_amount: the price in USD (at least 99), with
            custom_credits: the credits it buys.
            customer_id: an existing Stripe customer to bill.
            customer_email: prefilled in the checkout.
            tolt_referral: a Tolt referral id to attribute the purchase to.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: neither or both of ``plan_id`` and the custom pair, only one of
                ``custom_amount``/``custom_credits``, ``custom_amount`` below 99, or an empty
                string argument.
            BadRequestError: the server refused the plan or amount.
            ResponseValidationError: the answer is not a checkout.
        """
        require(account_id=account_id, account_slug=account_slug)
        not_blank(
            plan_id=plan_id,
            customer_id=customer_id,
            customer_email=customer_email,
            tolt_referral=tolt_referral,
        )
        if plan_id is not None:
            if custom_amount is not None or custom_credits is not None:
                raise ValueError("pass plan_id or the custom_amount/custom_credits pair, not both")
        elif custom_amount is None or custom_credits is None:
            raise ValueError("pass plan_id, or both custom_amount and custom_credits")
        if custom_amount is not None and custom_amount < MIN_CUSTOM_AMOUNT:
            raise ValueError(f"custom_amount must be at least {MIN_CUSTOM_AMOUNT} (USD)")
        body = to_wire(
            {
                "account_id": account_id,
                "account_slug": account_slug,
                "plan_id": plan_id,
                "custom_amount": custom_amount,
                "custom_credits": custom_credits,
                "customer_id": customer_id,
                "customer_email": customer_email,
                "tolt_referral": tolt_referral,
            }
        )
        return await self._request(
            "POST", "credits/checkout", CreditsCheckout, BARE, json=body, options=options
        )

    async def get_auto_reload(self, *, options: RequestOptions | None = None) -> AutoReloadSettings:
        """The signed-in account's auto-reload settings.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not auto-reload settings.
        """
        path = "credits/auto-reload"
        return await self._request("GET", path, AutoReloadSettings, BARE, options=options)

    async def update_auto_reload(
        self,
        *,
        enabled: bool | None = None,
        threshold: float | None = None,
        amount_usd: float | None = None,
        options: RequestOptions | None = None,
    ) -> AutoReloadSettings:
        """Change the auto-reload settings (arguments left ``None`` stay as they are).

        Args:
            enabled: buy credits automatically when the balance falls below ``threshold``.
            threshold: the balance (credits, 0 or more) that triggers a reload.
            amount_usd: how much each reload buys, in USD (more than 0).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: no argument given.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not auto-reload settings.
        """
        fields = {
            "auto_reload_enabled": enabled,
            "auto_reload_threshold": threshold,
            "auto_reload_amount_usd": amount_usd,
        }
        body = {k: v for k, v in fields.items() if v is not None}  # snake_case on the wire
        if not body:
            raise ValueError("update_auto_reload needs at least one setting to change")
        path = "credits/auto-reload"
        return await self._request(
            "POST", path, AutoReloadSettings, BARE, json=body, options=options
        )

    async def claim_grants(self, *, options: RequestOptions | None = None) -> GrantClaim:
        """Apply the signed-in account's pending credit grants to its balance.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a grant claim.
        """
        path = "credits/claim-grants"
        return await self._request("POST", path, GrantClaim, BARE, options=options)

    async def list_plans(self, *, options: RequestOptions | None = None) -> list[CreditPlan]:
        """The credit purchase plans offered to the signed-in account.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of plans.
        """
        path = "credits/plans"
        return await self._request("GET", path, list[CreditPlan], PLANS, options=options)

    async def statement(self, *, options: RequestOptions | None = None) -> list[StatementPeriod]:
        """The signed-in account's credit statement: balances and totals per period.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a statement.
        """
        path = "credits/statement"
        return await self._request("GET", path, list[StatementPeriod], STATEMENT, options=options)

    async def list_transactions(
        self, *, options: RequestOptions | None = None
    ) -> list[CreditTransaction]:
        """Every change of the signed-in account's balance, newest first.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of transactions.
        """
        path = "credits/transactions"
        return await self._request(
            "GET", path, list[CreditTransaction], TRANSACTIONS, options=options
        )
