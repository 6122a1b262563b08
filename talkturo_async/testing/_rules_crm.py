"""FakeTalkturo's rules for companies and contacts (§13.4, §13.5)."""

from __future__ import annotations

import collections
from collections.abc import Mapping

from ._rules_telephony import TelephonyRules
from ._store import (
    ACTIVE_ROW_STATUSES,
    JSON,
    FakeHTTPError,
    bool_param,
    now_iso,
    paginate,
    rename_fields,
    required,
)

CONTACT_FIELDS = {
    "companyId": "company_id",
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "phone": "phone",
    "phoneSecondary": "phone_secondary",
    "jobTitle": "job_title",
    "leadStatus": "lead_status",
    "source": "source",
    "timezone": "timezone",
    "preferredContactMethod": "preferred_contact_method",
    "doNotCall": "do_not_call",
    "notes": "notes",
    "customFields": "custom_fields",
    "tags": "tags",
    "lastContactedAt": "last_contacted_at",
}

COMPANY_FIELDS = {
    "name": "name",
    "website": "website",
    "industry": "industry",
    "companySize": "company_size",
    "addressLine1": "address_line1",
    "addressLine2": "address_line2",
    "city": "city",
    "state": "state",
    "postalCode": "postal_code",
    "country": "country",
    "phone": "phone",
    "notes": "notes",
    "customFields": "custom_fields",
}


class CrmRules(TelephonyRules):
    """Companies, contacts and the contact import."""

    def create_company(self, body: JSON) -> JSON:
        required(body, "teamId", "name")
        self._team(body["teamId"])
        ts = now_iso()
        company = {
            "id": self.new_id("comp"),
            "team_id": body["teamId"],
            **dict.fromkeys(COMPANY_FIELDS.values()),
            **rename_fields(body, COMPANY_FIELDS),
            "created_at": ts,
            "updated_at": ts,
            "created_by": self.account_id,
            "updated_by": self.account_id,
        }
        self.companies[company["id"]] = company
        return {"success": True, "company": self._company_view(company)}

    def _company_view(self, company: JSON, counts: Mapping[str, int] | None = None) -> JSON:
        if counts is None:
            counts = self._contact_counts()
        return {**company, "contact_count": counts.get(company["id"], 0)}

    def _contact_counts(self) -> collections.Counter[str]:
        return collections.Counter(c["company_id"] for c in self.contacts.values())

    def list_companies(self, query: Mapping[str, str]) -> JSON:
        team, slug = query.get("teamId"), query.get("accountSlug")
        if bool(team) == bool(slug):
            raise FakeHTTPError(400, "exactly one of teamId or accountSlug is required")
        if team:
            self._team(team)
        elif slug != self.account_slug:
            raise FakeHTTPError(403, "this key may not access that account")
        search = (query.get("search") or "").lower()
        industry = query.get("industry")
        rows = [
            c
            for c in self.companies.values()
            if (
                not search
                or search in (c["name"] or "").lower()
                or search in (c["website"] or "").lower()
            )
            and (not industry or c["industry"] == industry)
        ]
        counts = self._contact_counts()
        return paginate(
            rows, query, "companies", self.max_page_size, lambda c: self._company_view(c, counts)
        )

    def get_company(self, company_id: str) -> JSON:
        company = self._get(self.companies, company_id, "Company")
        contacts = [c for c in self.contacts.values() if c["company_id"] == company_id]
        recent = [
            {
                k: c[k]
                for k in (
                    "id",
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "job_title",
                    "lead_status",
                )
            }
            for c in contacts[-100:]
        ]
        return {
            "success": True,
            "company": self._company_view(company),
            "contacts": recent,
            "opportunities": [],
        }

    def update_company(self, company_id: str, body: JSON) -> JSON:
        company = self._get(self.companies, company_id, "Company")
        changes = rename_fields(body, COMPANY_FIELDS)
        if not changes:
            raise FakeHTTPError(400, "at least one field to update is required")
        if "name" in changes and not changes["name"]:
            raise FakeHTTPError(400, "name must not be empty")
        if isinstance(changes.get("custom_fields"), dict):
            changes["custom_fields"] = {
                **(company["custom_fields"] or {}),
                **changes["custom_fields"],
            }
        company.update(changes, updated_at=now_iso())
        return {"success": True, "company": self._company_view(company)}

    def delete_company(self, company_id: str) -> JSON:
        self._get(self.companies, company_id, "Company")
        if any(c["company_id"] == company_id for c in self.contacts.values()):
            raise FakeHTTPError(400, "Cannot delete company: contacts are still attached")
        del self.companies[company_id]
        return {"success": True, "message": "Company deleted"}

    def list_company_contacts(self, company_id: str, query: Mapping[str, str]) -> JSON:
        self._get(self.companies, company_id, "Company")
        rows = [c for c in self.contacts.values() if c["company_id"] == company_id]
        return paginate(rows, query, "contacts", self.max_page_size, self._contact_view)

    def _contact_view(self, contact: JSON) -> JSON:
        company = self.companies.get(contact["company_id"])
        return {
            **contact,
            "company": {"id": company["id"], "name": company["name"]} if company else None,
        }

    def check_contact_values(self, fields: JSON, where: str = "") -> None:
        if "company_id" in fields:
            if not fields["company_id"]:
                raise FakeHTTPError(400, f"{where}companyId must not be empty")
            if fields["company_id"] not in self.companies:
                raise FakeHTTPError(400, f"{where}companyId does not exist")
        if "do_not_call" in fields and not isinstance(fields["do_not_call"], bool):
            raise FakeHTTPError(400, f"{where}doNotCall must be a boolean")
        if "tags" in fields and fields["tags"] is not None and not isinstance(fields["tags"], list):
            raise FakeHTTPError(400, f"{where}tags must be an array of strings")

    def new_contact(self, team_id: str, fields: JSON, source: str | None = None) -> JSON:
        ts = now_iso()
        contact = {
            "id": self.new_id("ct"),
            "team_id": team_id,
            **dict.fromkeys(CONTACT_FIELDS.values()),
            "lead_status": "new",
            "do_not_call": False,
            "source": source,
            **{k: v for k, v in fields.items() if v is not None},
            "created_at": ts,
            "updated_at": ts,
            "created_by": self.account_id,
            "updated_by": self.account_id,
        }
        self.contacts[contact["id"]] = contact
        return contact

    def create_contact(self, body: JSON) -> JSON:
        required(body, "teamId", "companyId", "firstName", "lastName")
        self._team(body["teamId"])
        fields = rename_fields(body, CONTACT_FIELDS)
        fields.pop("last_contacted_at", None)
        self.check_contact_values(fields)
        campaign = None
        if body.get("campaignId"):
            campaign = self._get(self.campaigns, body["campaignId"], "Campaign")
            if campaign["status"] not in ("draft", "scheduled", "paused", "running"):
                raise FakeHTTPError(
                    409, f"cannot enrol contacts in a {campaign['status']} campaign"
                )
        contact = self.new_contact(body["teamId"], fields)
        answer: JSON = {"success": True, "contact": self._contact_view(contact)}
        if campaign is not None:
            row = self._enrol(campaign, contact, int(body.get("campaignPriority") or 0))
            answer["campaign_enrollment"] = {
                "campaign_contact_id": row["id"],
                "status": row["status"],
            }
        return answer

    def list_contacts(self, query: Mapping[str, str]) -> JSON:
        required(query, "teamId")
        self._team(query["teamId"])
        company_id = query.get("companyId")
        search = (query.get("search") or "").lower()
        lead = query.get("leadStatus")
        dnc = bool_param(query, "doNotCall")
        has_phone = bool_param(query, "hasPhone")

        def match(c: JSON) -> bool:
            if company_id and c["company_id"] != company_id:
                return False
            if lead and c["lead_status"] != lead:
                return False
            if dnc is not None and bool(c["do_not_call"]) != dnc:
                return False
            if has_phone is not None and bool(c["phone"]) != has_phone:
                return False
            if search:
                hay = " ".join(
                    str(c[k] or "") for k in ("first_name", "last_name", "email", "phone")
                )
                return search in hay.lower()
            return True

        filtered = company_id or search or lead or dnc is not None or has_phone is not None
        rows = (
            [c for c in self.contacts.values() if match(c)]
            if filtered
            else list(self.contacts.values())
        )
        return paginate(rows, query, "contacts", self.max_page_size, self._contact_view)

    def get_contact(self, contact_id: str) -> JSON:
        contact = self._get(self.contacts, contact_id, "Contact")
        history = [
            {
                "campaign_id": cid,
                "campaign_contact_id": r["id"],
                "status": r["status"],
                "outcome": r["outcome"],
            }
            for cid, rows in self.campaign_contacts.items()
            for r in rows
            if r["contact_id"] == contact_id
        ]
        view = {
            **self._contact_view(contact),
            "activities": [],
            "opportunities": [],
            "campaign_history": history,
        }
        return {"success": True, "contact": view}

    def update_contact(self, contact_id: str, body: JSON) -> JSON:
        contact = self._get(self.contacts, contact_id, "Contact")
        changes = rename_fields(body, CONTACT_FIELDS)
        if not changes:
            raise FakeHTTPError(400, "at least one field to update is required")
        for name in ("first_name", "last_name"):
            if name in changes and not changes[name]:
                raise FakeHTTPError(400, f"{name} must not be empty")
        self.check_contact_values(changes)
        contact.update(changes, updated_at=now_iso())
        return {"success": True, "contact": self._contact_view(contact)}

    def delete_contact(self, contact_id: str) -> JSON:
        self._get(self.contacts, contact_id, "Contact")
        for cid, rows in self.campaign_contacts.items():
            campaign = self.campaigns[cid]
            if campaign["status"] in ("completed", "cancelled") or campaign.get("deleted_at"):
                continue
            if any(
                r["contact_id"] == contact_id and r["status"] in ACTIVE_ROW_STATUSES for r in rows
            ):
                raise FakeHTTPError(
                    400, "Cannot delete contact: currently enrolled in active campaigns"
                )
        del self.contacts[contact_id]
        return {"success": True, "message": "Contact deleted successfully"}

    def import_contacts(self, body: JSON) -> JSON:
        rows = body.get("contacts")
        if not isinstance(rows, list) or not rows:
            raise FakeHTTPError(400, "contacts is required")
        if len(rows) > self.max_import_rows:
            raise FakeHTTPError(400, f"at most {self.max_import_rows} contacts per import")
        team_id = body.get("teamId") or self.team_id
        self._team(team_id)
        imported, errors = 0, []
        for index, row in enumerate(rows):
            try:
                if not isinstance(row, dict):
                    raise FakeHTTPError(400, "row must be an object")
                required(row, "firstName", "lastName")
                fields = rename_fields(row, CONTACT_FIELDS)
                fields.pop("last_contacted_at", None)
                self.check_contact_values(fields)
            except FakeHTTPError as exc:
                errors.append({"row": index, "error": exc.body["error"]})
                continue
            self.new_contact(team_id, fields, source=fields.get("source") or "import")
            imported += 1
        return {"success": True, "imported": imported, "failed": len(errors), "errors": errors}
