"""Models of the authentication group."""

from __future__ import annotations

import attrs

from ._base import Model


@attrs.frozen(kw_only=True)
class AuthCheck(Model):
    """The answer of ``auth.test()``: the key was accepted.

    Attributes:
        success: always ``True`` when returned (a rejected key raises ``AuthenticationError``).
        message: the server's text, e.g. ``"Authentication succeeded"``.
    """

    success: bool | None = None
    message: str | None = None
