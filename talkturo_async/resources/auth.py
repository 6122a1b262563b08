"""``tk.auth``: checking credentials (§13.1)."""

from __future__ import annotations

import attrs

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
        check = await self._client._model("GET", "test-api-key", AuthCheck, key=None)
        return check if check.success is not None else attrs.evolve(check, success=True)
