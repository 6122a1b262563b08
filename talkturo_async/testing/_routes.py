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
    calls,
    campaign_runs,
    campaigns,
    companies,
    contacts,
    credits,
    custom_fields,
    enrolment,
    flow_integrations,
    flows,
    knowledge_base,
    opportunities,
    phone_numbers,
    telephony,
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
        Route("POST", "/crm/campaigns/{id}/run", campaign_runs.run_campaign),
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

TELEPHONY = RouteGroup(
    scope="telephony",
    routes=(
        Route("POST", "/assistants/{id}/webhooks/test", telephony.test_webhook),
        Route("POST", "/assistants/{id}/telephony/test-call", telephony.start_test_call),
        Route("GET", "/assistants/{id}/telephony/inbound", telephony.get_inbound),
        Route("POST", "/assistants/{id}/telephony/inbound", telephony.configure_inbound),
        Route("GET", "/assistants/{id}/telephony/outbound", telephony.get_outbound),
        Route("POST", "/assistants/{id}/telephony/outbound", telephony.configure_outbound),
        Route("GET", "/assistants/{id}/telephony/settings", telephony.get_settings),
        Route("PATCH", "/assistants/{id}/telephony/settings", telephony.update_settings),
        Route("POST", "/assistants/{id}/telephony/settings", telephony.update_settings),
        Route("POST", "/assistants/{id}/telephony/phone-numbers", telephony.manage_phone_numbers),
        Route("PATCH", "/assistants/{id}/telephony/phone-numbers", telephony.manage_phone_numbers),
        Route(
            "GET",
            "/assistants/{id}/telephony/compliance-templates",
            telephony.list_compliance_templates,
        ),
        Route("GET", "/assistant-phone-numbers", telephony.list_account_phone_numbers),
    ),
)

FLOWS = RouteGroup(
    scope="flows",
    routes=(
        Route("GET", "/flow", flows.list_flows),
        Route("POST", "/flow", flows.create_flow),
        Route("GET", "/flow/manifest", flows.manifest),
        Route("GET", "/flow/tools", flows.list_tools),
        Route("GET", "/flow/{id}", flows.get_flow),
        Route("PATCH", "/flow/{id}", flows.update_flow),
        Route("DELETE", "/flow/{id}", flows.archive_flow),
        Route("POST", "/flow/{id}/publish", flows.publish_flow),
        Route("GET", "/flow/{id}/runs", flows.list_runs),
        Route("POST", "/flow/{id}/test-run", flows.run_draft),
        Route("POST", "/flow/{id}/test-run/node", flows.run_draft_node),
        Route("GET", "/flow/{id}/tool-schema", flows.tool_schema),
        Route("POST", "/flow/{id}/trigger", flows.trigger_flow),
        Route("GET", "/flow/{id}/webhook-test", flows.get_webhook_test),
        Route("POST", "/flow/{id}/webhook-test", flows.send_webhook_test),
        Route("GET", "/flow/integrations", flow_integrations.list_integrations),
        Route("POST", "/flow/integrations", flow_integrations.connect_integration),
        Route("DELETE", "/flow/integrations", flow_integrations.disconnect_integration),
        Route("POST", "/flow/integrations/oauth/authorize", flow_integrations.start_oauth),
        Route("GET", "/flow/integrations/{id}", flow_integrations.get_integration),
        Route("DELETE", "/flow/integrations/{id}", flow_integrations.delete_integration),
        Route("GET", "/flow/integrations/{id}/options", flow_integrations.integration_options),
        Route("GET", "/flow/secrets", flow_integrations.list_secrets),
        Route("POST", "/flow/secrets", flow_integrations.create_secret),
        Route("DELETE", "/flow/secrets", flow_integrations.delete_secret_by_name),
        Route("GET", "/flow/secrets/providers", flow_integrations.list_secret_providers),
        Route("GET", "/flow/secrets/{id}", flow_integrations.get_secret),
        Route("DELETE", "/flow/secrets/{id}", flow_integrations.delete_secret),
    ),
)

OPPORTUNITIES = RouteGroup(
    scope="opportunities",
    routes=(
        Route("GET", "/crm/opportunities", opportunities.list_opportunities),
        Route("POST", "/crm/opportunities", opportunities.create_opportunity),
        Route("GET", "/crm/opportunities/{id}", opportunities.get_opportunity),
        Route("PATCH", "/crm/opportunities/{id}", opportunities.update_opportunity),
        Route("DELETE", "/crm/opportunities/{id}", opportunities.delete_opportunity),
    ),
)

CUSTOM_FIELDS = RouteGroup(
    scope="custom_fields",
    routes=(
        Route("GET", "/crm/custom-fields", custom_fields.list_fields),
        Route("POST", "/crm/custom-fields", custom_fields.create_field),
        Route("GET", "/crm/custom-fields/{id}", custom_fields.get_field),
        Route("PATCH", "/crm/custom-fields/{id}", custom_fields.update_field),
        Route("DELETE", "/crm/custom-fields/{id}", custom_fields.delete_field),
    ),
)

# The campaign-side reads share the campaigns scope (the spec tags them "CRM Campaigns").
CRM_CAMPAIGN_READS = RouteGroup(
    scope="campaigns",
    routes=(
        Route("GET", "/crm/outbound-assistants", calls.list_outbound_assistants),
        Route("GET", "/crm/calls", calls.list_calls),
        Route("GET", "/crm/intelligence", calls.intelligence),
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

ALL_GROUPS: tuple[RouteGroup, ...] = (
    AUTH,
    ASSISTANTS,
    CAMPAIGNS,
    CONTACTS,
    COMPANIES,
    PHONE_NUMBERS,
    TELEPHONY,
    FLOWS,
    OPPORTUNITIES,
    CUSTOM_FIELDS,
    CRM_CAMPAIGN_READS,
    CREDITS,
    BILLING,
    API_KEYS,
    KNOWLEDGE_BASE,
)
