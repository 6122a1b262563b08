"""``tk.billing``: the account's invoices."""

from __future__ import annotations

from .._options import RequestOptions
from .._variants import Envelope
from ..models.billing import Invoice
from ._base import Resource

INVOICES = Envelope("invoices")


class Billing(Resource):
    """Read the signed-in account's invoices."""

    async def list_invoices(self, *, options: RequestOptions | None = None) -> list[Invoice]:
        """The signed-in account's invoices, newest first.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of invoices.
        """
        path = "billing/invoices"
        return await self._request("GET", path, list[Invoice], INVOICES, options=options)
