"""FakeTalkturo's route table: which rule answers which method and path (relative to ``/api``).

One :class:`RouteGroup` per API group; its ``scope`` is the API-key scope the routes need. To add a
group: write its rules module in ``_rules/`` and list its routes here.
"""

from __future__ import annotations

from ._routing import Route, RouteGroup
from ._rules import (
    account,
    api_keys,
    assistants,
    campaigns,
    companies,
    contacts,
    credits,
    enrolment,
    knowledge_base,
    phone_numbers,
)

AUTH = RouteGroup(
    scope="auth",
    routes=(Route("GET", "/test-api-key", account.test_api_key),),
)

ASSISTANTS = RouteGroup(
    scope="assistants",
    routes=(
        Route("POST", "/assistants", assistants.create_assistant),
        Route("GET", "/assistants/{id}", assistants.get_assistant),
        Route("PATCH", "/assistants/{id}", assistants.update_assistant),
        Route("PUT", "/assistants/{id}", assistants.update_assistant),
        Route("DELETE", "/assistants/{id}", assistants.delete_assistant),
        Route("POST", "/assistants/{id}/clone", assistants.clone_assistant),
        Route("GET", "/assistants/{id}/usage-stats", assistants.usage_stats),
        Route(
            "POST",
            "/assistants/{id}/telephony/assign-phone-numbers",
            assistants.assign_phone_numbers,
        ),
        Route("GET", "/assistants/{id}/telephony/phone-numbers", assistants.list_assistant_numbers),
    ),
)

CAMPAIGNS = RouteGroup(
    scope="campaigns",
    routes=(
        Route("GET", "/crm/campaigns", campaigns.list_campaigns),
        Route("POST", "/crm/campaigns", campaigns.create_campaign),
        Route("GET", "/crm/campaigns/{id}", campaigns.get_campaign),
        Route("PATCH", "/crm/campaigns/{id}", campaigns.update_campaign),
        Route("PUT", "/crm/campaigns/{id}", campaigns.update_campaign),
        Route("DELETE", "/crm/campaigns/{id}", campaigns.delete_campaign),
        Route("GET", "/crm/campaigns/{id}/contacts", enrolment.list_campaign_contacts),
        Route("POST", "/crm/campaigns/{id}/contacts", enrolment.add_campaign_contacts),
        Route("GET", "/crm/campaigns/{id}/dashboard", campaigns.dashboard),
        Route("POST", "/crm/campaigns/{id}/run", campaigns.run_campaign),
    ),
)

CONTACTS = RouteGroup(
    scope="contacts",
    routes=(
        Route("GET", "/crm/contacts", contacts.list_contacts),
        Route("POST", "/crm/contacts", contacts.create_contact),
        Route("POST", "/crm/contacts/import", contacts.import_contacts),
        Route("GET", "/crm/contacts/{id}", contacts.get_contact),
        Route("PATCH", "/crm/contacts/{id}", contacts.update_contact),
        Route("PUT", "/crm/contacts/{id}", contacts.update_contact),
        Route("DELETE", "/crm/contacts/{id}", contacts.delete_contact),
    ),
)

COMPANIES = RouteGroup(
    scope="companies",
    routes=(
        Route("GET", "/crm/companies", companies.list_companies),
        Route("POST", "/crm/companies", companies.create_company),
        Route("GET", "/crm/companies/{id}", companies.get_company),
        Route("PATCH", "/crm/companies/{id}", companies.update_company),
        Route("PUT", "/crm/companies/{id}", companies.update_company),
        Route("DELETE", "/crm/companies/{id}", companies.delete_company),
        Route("GET", "/crm/companies/{id}/contacts", companies.list_company_contacts),
    ),
)

PHONE_NUMBERS = RouteGroup(
    scope="phone_numbers",
    routes=(
        Route("POST", "/phone-numbers/search", phone_numbers.search_numbers),
        Route("POST", "/phone-numbers/purchase", phone_numbers.purchase_number),
        Route("GET", "/phone-numbers/purchase", phone_numbers.list_numbers),
        Route("GET", "/phone-numbers/{id}", phone_numbers.get_number),
        Route("DELETE", "/phone-numbers/{id}", phone_numbers.release_number),
    ),
)

CREDITS = RouteGroup(
    scope="credits",
    routes=(
        Route("GET", "/credits", credits.get_credits),
        Route("POST", "/credits", credits.deduct_credits),
        Route("POST", "/credits/checkout", credits.create_checkout),
        Route("GET", "/credits/auto-reload", credits.get_auto_reload),
        Route("POST", "/credits/auto-reload", credits.update_auto_reload),
        Route("POST", "/credits/claim-grants", credits.claim_grants),
        Route("GET", "/credits/plans", credits.list_plans),
        Route("GET", "/credits/statement", credits.statement),
        Route("GET", "/credits/transactions", credits.list_transactions),
    ),
)

BILLING = RouteGroup(
    scope="billing",
    routes=(Route("GET", "/billing/invoices", credits.list_invoices),),
)

API_KEYS = RouteGroup(  # API-key administration takes a user's JWT, never an API key
    scope="api_keys",
    credentials=("jwt",),
    routes=(
        Route("GET", "/api-keys", api_keys.list_api_keys),
        Route("POST", "/api-keys", api_keys.create_api_key),
        Route("PATCH", "/api-keys/{id}", api_keys.update_api_key),
        Route("DELETE", "/api-keys/{id}", api_keys.revoke_api_key),
    ),
)

KNOWLEDGE_BASE = RouteGroup(
    scope="knowledge_base",
    routes=(
        Route("GET", "/assistants/{id}/knowledge-base", knowledge_base.list_files),
        Route("POST", "/assistants/{id}/knowledge-base", knowledge_base.upload_file),
        Route("DELETE", "/assistants/{id}/knowledge-base/{fileId}", knowledge_base.delete_file),
        Route("GET", "/assistants/{id}/billing/estimate", knowledge_base.billing_estimate),
        Route("GET", "/kb", knowledge_base.query),
    ),
)

ALL_GROUPS = (
    AUTH,
    ASSISTANTS,
    CAMPAIGNS,
    CONTACTS,
    COMPANIES,
    PHONE_NUMBERS,
    CREDITS,
    BILLING,
    API_KEYS,
    KNOWLEDGE_BASE,
)
