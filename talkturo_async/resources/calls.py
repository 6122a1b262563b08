"""``tk.calls``: the log of calls campaigns placed."""

from __future__ import annotations

import builtins

from .._options import RequestOptions
from .._variants import Envelope
from ..models.calls import CallLog
from ._base import Resource

CALLS = Envelope("calls")


class Calls(Resource):
    """Read the CRM call log."""

    async def list(self, *, options: RequestOptions | None = None) -> builtins.list[CallLog]:
        """Every call the account's campaigns placed, with its outcome and duration.

        The API answers the whole log at once, without paging.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the API key was refused.
            ResponseValidationError: the answer is not a list of calls.
        """
        return await self._request_list("crm/calls", CallLog, CALLS, options=options)
