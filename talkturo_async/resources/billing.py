"""``tk.billing``: the account's invoices."""

from __future__ import annotations

from .._variants import Envelope
from ..models.billing import Invoice
from ._base import Resource

INVOICES = Envelope("invoices")


class Billing(Resource):
    """Read the signed-in account's invoices."""

    async def list_invoices(self) -> list[Invoice]:
        """The signed-in account's invoices, newest first."""
        return await self._request("GET", "billing/invoices", list[Invoice], INVOICES)
