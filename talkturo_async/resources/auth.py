"""``tk.auth``: checking credentials."""

from __future__ import annotations

from .._variants import BARE
from ..models.auth import AuthCheck
from ._base import Resource


class Auth(Resource):
    """Credential checks."""

    async def test(self) -> AuthCheck:
        """Check that the API key is accepted (``GET /api/test-api-key``).

        Returns:
            ``AuthCheck(success=True, message=...)``.

        Raises:
            AuthenticationError: the key is wrong, revoked or expired.
        """
        return await self._request("GET", "test-api-key", AuthCheck, BARE)
