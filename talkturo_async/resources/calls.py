"""``tk.calls``: the log of calls campaigns placed."""

from __future__ import annotations

import builtins

from .._variants import Envelope
from ..models.calls import CallLog
from ._base import Resource

CALLS = Envelope("calls")


class Calls(Resource):
    """Read the CRM call log."""

    async def list(self) -> builtins.list[CallLog]:
        """Every call the account's campaigns placed, with its outcome and duration.

        The API answers the whole log at once, without paging.

        Raises:
            AuthenticationError: the API key was refused.
        """
        return await self._request_list("crm/calls", CallLog, CALLS)
