"""The API groups, one module each; :class:`ResourceGroups` puts them on the client."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from .api_keys import ApiKeys
from .assistants import Assistants
from .auth import Auth
from .billing import Billing
from .calls import Calls
from .campaigns import Campaigns
from .companies import Companies
from .contacts import Contacts
from .credits import Credits
from .custom_fields import CustomFields
from .flows import Flows
from .intelligence import Intelligence
from .knowledge_base import KnowledgeBase
from .opportunities import Opportunities
from .phone_numbers import PhoneNumbers
from .telephony import Telephony

if TYPE_CHECKING:
    from .._client import Talkturo

__all__ = ["ResourceGroups"]


class ResourceGroups:
    """Every API group as an attribute of the client: ``tk.contacts``, ``tk.flows``, ...

    Adding a group is one attribute and one line in ``_bind_resources``.
    """

    auth: Auth
    assistants: Assistants
    campaigns: Campaigns
    contacts: Contacts
    companies: Companies
    phone_numbers: PhoneNumbers
    telephony: Telephony
    flows: Flows
    opportunities: Opportunities
    custom_fields: CustomFields
    calls: Calls
    intelligence: Intelligence
    credits: Credits
    billing: Billing
    api_keys: ApiKeys
    knowledge_base: KnowledgeBase

    def _bind_resources(self) -> None:
        client = cast("Talkturo", self)
        self.auth = Auth(client)
        self.assistants = Assistants(client)
        self.campaigns = Campaigns(client)
        self.contacts = Contacts(client)
        self.companies = Companies(client)
        self.phone_numbers = PhoneNumbers(client)
        self.telephony = Telephony(client)
        self.flows = Flows(client)
        self.opportunities = Opportunities(client)
        self.custom_fields = CustomFields(client)
        self.calls = Calls(client)
        self.intelligence = Intelligence(client)
        self.credits = Credits(client)
        self.billing = Billing(client)
        self.api_keys = ApiKeys(client)
        self.knowledge_base = KnowledgeBase(client)
