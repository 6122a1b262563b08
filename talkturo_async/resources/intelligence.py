"""``tk.intelligence``: AI-generated insights over the CRM."""

from __future__ import annotations

from .._variants import BARE
from ..models.intelligence import CrmIntelligence
from ._base import Resource


class Intelligence(Resource):
    """Read the CRM's AI insights."""

    async def get(self) -> CrmIntelligence:
        """The current insights (answer rates of campaigns, the pipeline's worth, ...).

        Raises:
            AuthenticationError: the API key was refused.
        """
        return await self._request("GET", "crm/intelligence", CrmIntelligence, BARE)
