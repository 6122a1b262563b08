"""FakeTalkturo's state: every group's rules over one store (REFERENCE.md §13.1-13.6).

Each endpoint is a method taking the decoded query and body and returning the JSON answer, or
raising :class:`FakeHTTPError`. The rules live in ``_rules_*`` modules, one per API group.
"""

from __future__ import annotations

from ._rules_campaigns import CampaignRules
from ._store import JSON, FakeHTTPError, paginate, required

__all__ = ["JSON", "FakeHTTPError", "FakeState", "paginate", "required"]


class FakeState(CampaignRules):
    """Everything the fake stores, and the rules that change it."""
