"""``tk.auth``: checking credentials (§13.1)."""

from __future__ import annotations

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
        # A 2xx without "success" is a success ("success": false was already raised).
        return await self._client._model(
            "GET", "test-api-key", AuthCheck, key=None, reshape=_success_by_default
        )


def _success_by_default(data: object) -> object:
    return {"success": True, **data} if isinstance(data, dict) else data
