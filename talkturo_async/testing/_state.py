"""FakeTalkturo's records and rules without HTTP (``fake.state``), for seeding tests fast."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._routing import Answer, Call, RouteTable
from ._rules import (
    assistants,
    campaign_runs,
    campaigns,
    companies,
    contacts,
    credits,
    enrolment,
    phone_numbers,
)
from ._store import JSON, Store


class FakeState:
    """The fake's rules, callable directly.

    No authentication, faults, rate limit, idempotency or request log.

    ``call(method, path, ...)`` runs the rule behind any route; the named methods are shortcuts
    for the writes tests seed with, each taking the request body the route takes. The records
    are in ``store``. Every method raises ``FakeHTTPError`` where the route would answer an error.

    Args:
        store: the records the rules change.
        routes: the route table ``call`` looks paths up in.
    """

    def __init__(self, store: Store, routes: RouteTable) -> None:
        self.store = store
        self.routes = routes

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: JSON | None = None,
    ) -> JSON:
        """Run the rule of ``method`` on ``path`` (relative to ``/api``); returns the answer body.

        Args:
            method: ``GET``, ``POST``, ...
            path: a concrete path such as ``/crm/campaigns/camp_000001/run``.
            query: the query parameters.
            body: the JSON body.

        Raises:
            FakeHTTPError: no such route (404/405), or the rule refused the call.
        """
        route, path_params = self.routes.match(method, path)
        answer = route.rule(
            self.store, Call(path_params=path_params, query=query or {}, body=body or {})
        )
        return answer.body if isinstance(answer, Answer) else answer

    def create_company(self, body: JSON) -> JSON:
        """``POST /crm/companies``, straight through the fake's rules (no HTTP).

        Args:
            body: the request's JSON body (camelCase or snake_case, as the API takes it).

        Raises:
            FakeHTTPError: the rule refused it (the status and message the API would answer).
        """
        return companies.create_company(self.store, Call(body=body))

    def create_contact(self, body: JSON) -> JSON:
        """``POST /crm/contacts``, straight through the fake's rules (no HTTP).

        Args:
            body: the request's JSON body (camelCase or snake_case, as the API takes it).

        Raises:
            FakeHTTPError: the rule refused it (the status and message the API would answer).
        """
        return contacts.create_contact(self.store, Call(body=body))

    def import_contacts(self, body: JSON) -> JSON:
        """``POST /crm/contacts/import``, straight through the fake's rules (no HTTP).

        Args:
            body: the request's JSON body (camelCase or snake_case, as the API takes it).

        Raises:
            FakeHTTPError: the rule refused it (the status and message the API would answer).
        """
        return contacts.import_contacts(self.store, Call(body=body))

    def create_assistant(self, body: JSON) -> JSON:
        """``POST /assistants``, straight through the fake's rules (no HTTP).

        Args:
            body: the request's JSON body (camelCase or snake_case, as the API takes it).

        Raises:
            FakeHTTPError: the rule refused it (the status and message the API would answer).
        """
        return assistants.create_assistant(self.store, Call(body=body))

    def purchase_number(self, body: JSON) -> JSON:
        """``POST /phone-numbers/purchase``, straight through the fake's rules (no HTTP).

        Args:
            body: the request's JSON body (camelCase or snake_case, as the API takes it).

        Raises:
            FakeHTTPError: the rule refused it (the status and message the API would answer).
        """
        return phone_numbers.purchase_number(self.store, Call(body=body))

    def create_campaign(self, body: JSON) -> JSON:
        """``POST /crm/campaigns``, straight through the fake's rules (no HTTP).

        Args:
            body: the request's JSON body (camelCase or snake_case, as the API takes it).

        Raises:
            FakeHTTPError: the rule refused it (the status and message the API would answer).
        """
        return campaigns.create_campaign(self.store, Call(body=body))

    def add_campaign_contacts(self, campaign_id: str, body: JSON) -> JSON:
        """``POST /crm/campaigns/{campaign_id}/contacts``, straight through the fake's rules.

        Args:
            campaign_id: the campaign.
            body: the request's JSON body (``contactIds``, ``priority``, ``audience``).

        Raises:
            FakeHTTPError: the rule refused it.
        """
        call = Call(path_params={"id": campaign_id}, body=body)
        return enrolment.add_campaign_contacts(self.store, call)

    def run_campaign(self, campaign_id: str, body: JSON) -> JSON:
        """``POST /crm/campaigns/{campaign_id}/run``: places the calls at once.

        ``action`` defaults to ``start``.

        Args:
            campaign_id: the campaign.
            body: the request's JSON body (``maxCalls``, ``dryRun``, ...).

        Raises:
            FakeHTTPError: the rule refused it (e.g. 402 without credit, 409 in the wrong state).
        """
        call = Call(path_params={"id": campaign_id}, body={"action": "start", **body})
        return campaign_runs.run_campaign(self.store, call)

    def add_contacts(self, rows: Iterable[Mapping[str, Any]]) -> list[JSON]:
        """Store contacts from snake_case rows; see ``FakeTalkturo.add_contacts``.

        Args:
            rows: contact fields; ``company_id``, ``first_name`` and ``last_name`` are required.

        Raises:
            ValueError: a row breaks a rule of ``POST /crm/contacts`` (its index is named).
        """
        return contacts.seed_contacts(self.store, rows)

    def complete_checkout(self, session_id: str) -> JSON:
        """Pay an open checkout (what Stripe does) and return the invoice.

        Its credits are added to the balance, a ``purchase`` transaction and a paid invoice are
        recorded.

        Args:
            session_id: the ``session_id`` ``POST /credits/checkout`` answered.
        """
        return credits.complete_checkout(self.store, session_id)

    def add_credit_grant(self, amount: float, reason: str = "promotional grant") -> None:
        """Queue a grant that ``POST /credits/claim-grants`` applies.

        Args:
            amount: the credits granted.
            reason: the transaction's description.
        """
        self.store.credit_grants.append({"credits": amount, "reason": reason})
