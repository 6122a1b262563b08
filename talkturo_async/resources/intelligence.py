"""``tk.intelligence``: AI-generated insights over the CRM."""

from __future__ import annotations

from .._options import RequestOptions
from .._variants import BARE
from ..models.intelligence import CrmIntelligence
from ._base import Resource


class Intelligence(Resource):
    """Read the CRM's AI insights."""

    async def get(self, *, options: RequestOptions | None = None) -> CrmIntelligence:
        """The current insights (answer rates of campaigns, the pipeline's worth, ...).

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the API key was refused.
            ResponseValidationError: the answer is not a set of insights.
        """
        path = "crm/intelligence"
        return await self._request("GET", path, CrmIntelligence, BARE, options=options)
