"""``tk.auth``: checking credentials."""

from __future__ import annotations

from .._options import RequestOptions
from .._variants import BARE
from ..models.auth import AuthCheck
from ._base import Resource


class Auth(Resource):
    """Credential checks."""

    async def test(self, *, options: RequestOptions | None = None) -> AuthCheck:
        """Check that the API key is accepted (``GET /api/test-api-key``).

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Returns:
            ``AuthCheck(success=True, message=...)``.

        Raises:
            AuthenticationError: the key is wrong, revoked or expired.
            ResponseValidationError: the answer is not an auth check.
        """
        return await self._request("GET", "test-api-key", AuthCheck, BARE, options=options)
