"""Which operation of Talkturo's OpenAPI spec each client method calls, and which are left out.

``OPERATIONS`` maps an ``operationId`` of the spec to the dotted name of the client method that
calls it (``"contacts.list"`` is ``tk.contacts.list``). ``NOT_COVERED`` gives every operation the
SDK deliberately has no method for, with the reason. A test checks that every operation of the
spec is in exactly one of the two and that every mapped name resolves on a client; the README's
coverage table is generated from here (``python -m talkturo_async._operations``).
"""

from __future__ import annotations

__all__ = ["NOT_COVERED", "OPERATIONS", "coverage_table"]

OPERATIONS: dict[str, str] = {
    # Authentication
    "testApiKey": "auth.test",
    # Assistants
    "createAssistant": "assistants.create",
    "updateAssistant": "assistants.update",
    "deleteAssistant": "assistants.delete",
    "cloneAssistant": "assistants.clone",
    "getAssistantUsageStats": "assistants.usage_stats",
    "listAssistantTelephonyPhoneNumbers": "assistants.list_phone_numbers",
    "assignAssistantPhoneNumbers": "assistants.assign_phone_numbers",
    # Phone numbers
    "searchPhoneNumbers": "phone_numbers.search",
    "purchasePhoneNumber": "phone_numbers.purchase",
    "getPhoneNumber": "phone_numbers.get",
    "releasePhoneNumber": "phone_numbers.release",
    # CRM contacts
    "listCrmContacts": "contacts.list",
    "createCrmContact": "contacts.create",
    "getCrmContact": "contacts.get",
    "updateCrmContact": "contacts.update",
    "deleteCrmContact": "contacts.delete",
    "importCrmContacts": "contacts.import_contacts",
    # CRM companies
    "listCrmCompanies": "companies.list",
    "createCrmCompany": "companies.create",
    "getCrmCompany": "companies.get",
    "updateCrmCompany": "companies.update",
    "deleteCrmCompany": "companies.delete",
    "listCrmCompanyContacts": "companies.list_contacts",
    # CRM campaigns
    "listCrmCampaigns": "campaigns.list",
    "createCrmCampaign": "campaigns.create",
    "getCrmCampaign": "campaigns.get",
    "updateCrmCampaign": "campaigns.update",
    "deleteCrmCampaign": "campaigns.delete",
    "listCrmCampaignContacts": "campaigns.list_contacts",
    "addCrmCampaignContacts": "campaigns.add_contacts",
    "getCrmCampaignDashboard": "campaigns.dashboard",
    "runCrmCampaign": "campaigns.start",
    # CRM opportunities, custom fields, call log and insights
    "listCrmOpportunities": "opportunities.list",
    "createCrmOpportunity": "opportunities.create",
    "getCrmOpportunity": "opportunities.get",
    "updateCrmOpportunity": "opportunities.update",
    "deleteCrmOpportunity": "opportunities.delete",
    "listCrmCustomFields": "custom_fields.list",
    "createCrmCustomField": "custom_fields.create",
    "getCrmCustomField": "custom_fields.get",
    "updateCrmCustomField": "custom_fields.update",
    "deleteCrmCustomField": "custom_fields.delete",
    "listCrmOutboundAssistants": "campaigns.list_outbound_assistants",
    "listCrmCalls": "calls.list",
    "getCrmIntelligence": "intelligence.get",
    # Telephony and assistant webhooks
    "testAssistantWebhook": "assistants.test_webhook",
    "startTelephonyTestCall": "telephony.test_call",
    "getInboundTelephony": "telephony.get_inbound",
    "configureInboundTelephony": "telephony.configure_inbound",
    "getOutboundTelephony": "telephony.get_outbound",
    "configureOutboundTelephony": "telephony.configure_outbound",
    "getTelephonySettings": "telephony.get_settings",
    "updateTelephonySettings": "telephony.update_settings",
    "manageAssistantTelephonyPhoneNumbers": "telephony.manage_phone_numbers",
    "listTelephonyComplianceTemplates": "telephony.list_compliance_templates",
    "listAccountAssistantPhoneNumbers": "telephony.list_account_phone_numbers",
    # TurboFlow
    "listFlows": "flows.list",
    "createFlow": "flows.create",
    "getFlowManifest": "flows.manifest",
    "getFlow": "flows.get",
    "updateFlow": "flows.update",
    "archiveFlow": "flows.archive",
    "publishFlow": "flows.publish",
    "listFlowRuns": "flows.list_runs",
    "testRunFlow": "flows.test_run",
    "testRunFlowNode": "flows.test_run_node",
    "getFlowToolSchema": "flows.tool_schema",
    "triggerFlow": "flows.trigger",
    "getFlowWebhookTest": "flows.get_webhook_test",
    "sendFlowWebhookTest": "flows.send_webhook_test",
    "listFlowTools": "flows.list_tools",
    "listFlowIntegrations": "flows.integrations.list",
    "connectFlowIntegration": "flows.integrations.connect",
    "disconnectFlowIntegration": "flows.integrations.disconnect",
    "getFlowIntegration": "flows.integrations.get",
    "deleteFlowIntegration": "flows.integrations.delete",
    "getFlowIntegrationOptions": "flows.integrations.options",
    "startFlowIntegrationOAuth": "flows.integrations.start_oauth",
    "listFlowSecrets": "flows.secrets.list",
    "createFlowSecret": "flows.secrets.create",
    "deleteFlowSecret": "flows.secrets.delete_by_name",
    "getFlowSecret": "flows.secrets.get",
    "deleteFlowSecretById": "flows.secrets.delete",
    "listFlowSecretProviders": "flows.secrets.list_providers",
    # Credits, billing, API keys and knowledge base
    "getCredits": "credits.get_balance",
    "deductCredits": "credits.deduct",
    "createCreditsCheckout": "credits.create_checkout",
    "getCreditsAutoReload": "credits.get_auto_reload",
    "updateCreditsAutoReload": "credits.update_auto_reload",
    "claimCreditGrants": "credits.claim_grants",
    "listCreditPlans": "credits.list_plans",
    "getCreditsStatement": "credits.statement",
    "getCreditsTransactions": "credits.list_transactions",
    "listBillingInvoices": "billing.list_invoices",
    "listApiKeys": "api_keys.list",
    "createApiKey": "api_keys.create",
    "updateApiKey": "api_keys.update",
    "revokeApiKey": "api_keys.revoke",
    "listKnowledgeBaseFiles": "knowledge_base.list",
    "uploadKnowledgeBaseFile": "knowledge_base.upload",
    "deleteKnowledgeBaseFile": "knowledge_base.delete",
    "getKnowledgeBaseBillingEstimate": "knowledge_base.billing_estimate",
    "queryKnowledgeBase": "knowledge_base.query",
}

_RECEIVER = "a receiver Talkturo's own servers are called on, not a call an integration makes"
_SIGN_IN = "an interactive browser/desktop sign-in flow; integrations use an API key or a JWT"
_EDITOR_AI = "the TurboFlow editor's AI helper, driven by the dashboard's flow editor"

NOT_COVERED: dict[str, str] = {
    "telnyxPhoneNumberWebhook": _RECEIVER + " (Telnyx number events)",
    "twilioPhoneNumberWebhook": _RECEIVER + " (Twilio number events)",
    "stripeBillingWebhook": _RECEIVER + " (Stripe billing events)",
    "receiveFlowProviderWebhook": _RECEIVER + " (integration providers' events)",
    "verifyMetaWebhook": _RECEIVER + " (Meta's subscription check)",
    "receiveMetaWebhook": _RECEIVER + " (Meta events)",
    "zapierIntegration": _RECEIVER + " (Zapier's calls)",
    "completeFlowIntegrationOAuth": "the OAuth provider's browser redirect back to Talkturo",
    "debugBilling": "an internal debug route",
    "authSignIn": _SIGN_IN,
    "authSignUp": _SIGN_IN,
    "authSignOut": _SIGN_IN,
    "authRefresh": _SIGN_IN,
    "authCallback": _SIGN_IN,
    "authConfirm": _SIGN_IN,
    "getLiveKitToken": "a browser voice-session token for the web widget, not a REST integration",
    "openFlowAiRobertStream": _EDITOR_AI,
    "sendFlowAiRobertRequest": _EDITOR_AI,
    "sendFlowAiRobertBatch": _EDITOR_AI,
    "describeFlowParameter": _EDITOR_AI,
    "describeFlowTool": _EDITOR_AI,
}


def coverage_table() -> str:
    """The README's coverage table, as Markdown: one row per covered method, then the rest."""
    rows = ["| operationId | method |", "|---|---|"]
    rows += [f"| `{op}` | `tk.{name}` |" for op, name in OPERATIONS.items()]
    rows += [f"| `{op}` | not covered: {why} |" for op, why in NOT_COVERED.items()]
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(coverage_table())
