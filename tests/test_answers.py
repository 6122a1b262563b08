"""Every answer is checked (issue #10): ids required, malformed answers raise, ``data`` envelopes.

Over real loopback HTTP: a small hostile ``aiohttp.web`` server answers whatever a test scripts,
and the embedded fake in its ``repo`` dialect. A malformed answer is always a
``ResponseValidationError`` (status, method, URL, bounded excerpt), never a ``ValueError``, a
cattrs error, a ``RecursionError`` or a model with ``id=None``.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from aiohttp import web

from talkturo_async import (
    AsyncPager,
    PartialFailureError,
    ResponseValidationError,
    Talkturo,
)
from talkturo_async._converter import structure
from talkturo_async._operations import OPERATIONS
from talkturo_async.models import (
    AvailableNumber,
    Campaign,
    Contact,
    Model,
    PhoneNumber,
    UsageStats,
)
from talkturo_async.testing import FakeTalkturo
from talkturo_async.testing._dialect import DIALECTS
from tests.conftest import NO_WAIT, Serve
from tests.test_converter_paths import clean_record

KEY = "tk_test_answers_0123456789"

Answer = Any  # a JSON value, bytes, or a function of the request giving (status, JSON value)


class Hostile:
    """Answers what the test scripts (one answer for all, or a function of the request)."""

    def __init__(self) -> None:
        self.answer: Answer = {"success": True}
        self.status = 200
        self.seen: list[tuple[str, str]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.method, request.path))
        await request.read()
        answer: Any = self.answer
        status = self.status
        if callable(answer):
            scripted = typing.cast("tuple[int, Any]", answer(request))
            status, answer = scripted
        if answer is None and status == 204:
            return web.Response(status=204)
        if isinstance(answer, bytes):
            return web.Response(body=answer, status=status, content_type="application/json")
        return web.json_response(answer, status=status, headers={"X-Request-Id": "req_a"})


@pytest.fixture
async def hostile(serve: Serve) -> tuple[Hostile, str]:
    server = Hostile()
    return server, await serve(server.handle)


# -- every call that returns a model reads a ``data`` envelope -------------------------------------

Call = Callable[[Talkturo], Any]  # a coroutine, or a pager

ROW = {"team_id": "t1", "company_id": "co1", "first_name": "Maya", "last_name": "Lee"}

# One call per operation, with arguments the SDK accepts (the hostile server answers anything).
CALLS: dict[str, Call] = {
    "auth.test": lambda tk: tk.auth.test(),
    "assistants.create": lambda tk: tk.assistants.create(name="n", account_slug="acme"),
    "assistants.update": lambda tk: tk.assistants.update("as1", name="n"),
    "assistants.clone": lambda tk: tk.assistants.clone("as1"),
    "assistants.usage_stats": lambda tk: tk.assistants.usage_stats("as1"),
    "assistants.list_phone_numbers": lambda tk: tk.assistants.list_phone_numbers("as1"),
    "assistants.test_webhook": lambda tk: tk.assistants.test_webhook("as1"),
    "phone_numbers.search": lambda tk: tk.phone_numbers.search(country_code="US"),
    "phone_numbers.purchase": lambda tk: tk.phone_numbers.purchase(
        phone_number="+14155550100", team_id="t1"
    ),
    "phone_numbers.get": lambda tk: tk.phone_numbers.get("pn1"),
    "contacts.list": lambda tk: tk.contacts.list(team_id="t1"),
    "contacts.create": lambda tk: tk.contacts.create("t1", "co1", "Maya", "Lee"),
    "contacts.get": lambda tk: tk.contacts.get("ct1"),
    "contacts.update": lambda tk: tk.contacts.update("ct1", first_name="M"),
    "contacts.import_contacts": lambda tk: tk.contacts.import_contacts([ROW]),
    "companies.list": lambda tk: tk.companies.list(team_id="t1"),
    "companies.create": lambda tk: tk.companies.create(team_id="t1", name="Acme"),
    "companies.get": lambda tk: tk.companies.get("co1"),
    "companies.update": lambda tk: tk.companies.update("co1", name="Acme"),
    "companies.list_contacts": lambda tk: tk.companies.list_contacts("co1"),
    "campaigns.list": lambda tk: tk.campaigns.list(team_id="t1"),
    "campaigns.create": lambda tk: tk.campaigns.create(
        team_id="t1", assistant_id="as1", company_id="co1", name="Q3"
    ),
    "campaigns.get": lambda tk: tk.campaigns.get("cmp1"),
    "campaigns.update": lambda tk: tk.campaigns.update("cmp1", name="Q4"),
    "campaigns.list_contacts": lambda tk: tk.campaigns.list_contacts("cmp1"),
    "campaigns.add_contacts": lambda tk: tk.campaigns.add_contacts("cmp1", contact_ids=["ct1"]),
    "campaigns.dashboard": lambda tk: tk.campaigns.dashboard("cmp1"),
    "campaigns.start": lambda tk: tk.campaigns.start("cmp1"),
    "campaigns.list_outbound_assistants": lambda tk: tk.campaigns.list_outbound_assistants(),
    "opportunities.list": lambda tk: tk.opportunities.list(),
    "opportunities.create": lambda tk: tk.opportunities.create(title="Deal"),
    "opportunities.get": lambda tk: tk.opportunities.get("op1"),
    "opportunities.update": lambda tk: tk.opportunities.update("op1", title="Deal 2"),
    "custom_fields.list": lambda tk: tk.custom_fields.list(),
    "custom_fields.create": lambda tk: tk.custom_fields.create(
        name="Tier", type="text", entity_type="contact"
    ),
    "custom_fields.get": lambda tk: tk.custom_fields.get("cf1"),
    "custom_fields.update": lambda tk: tk.custom_fields.update("cf1", name="Level"),
    "calls.list": lambda tk: tk.calls.list(),
    "intelligence.get": lambda tk: tk.intelligence.get(),
    "telephony.test_call": lambda tk: tk.telephony.test_call(
        assistant_id="as1", account_slug="acme", from_number="+14155550100", to_number="+1415"
    ),
    "telephony.get_inbound": lambda tk: tk.telephony.get_inbound("as1"),
    "telephony.configure_inbound": lambda tk: tk.telephony.configure_inbound(
        assistant_id="as1", account_slug="acme", enabled=True
    ),
    "telephony.get_outbound": lambda tk: tk.telephony.get_outbound("as1"),
    "telephony.configure_outbound": lambda tk: tk.telephony.configure_outbound(
        assistant_id="as1", account_slug="acme", enabled=True
    ),
    "telephony.get_settings": lambda tk: tk.telephony.get_settings("as1"),
    "telephony.update_settings": lambda tk: tk.telephony.update_settings(
        "as1", inbound_enabled=True
    ),
    "telephony.list_compliance_templates": lambda tk: tk.telephony.list_compliance_templates("as1"),
    "telephony.list_account_phone_numbers": lambda tk: tk.telephony.list_account_phone_numbers(),
    "flows.list": lambda tk: tk.flows.list(),
    "flows.create": lambda tk: tk.flows.create(name="f"),
    "flows.manifest": lambda tk: tk.flows.manifest(),
    "flows.get": lambda tk: tk.flows.get("fl1"),
    "flows.update": lambda tk: tk.flows.update("fl1", name="g"),
    "flows.archive": lambda tk: tk.flows.archive("fl1"),
    "flows.publish": lambda tk: tk.flows.publish("fl1"),
    "flows.list_runs": lambda tk: tk.flows.list_runs("fl1"),
    "flows.test_run": lambda tk: tk.flows.test_run("fl1"),
    "flows.test_run_node": lambda tk: tk.flows.test_run_node("fl1", "n1"),
    "flows.tool_schema": lambda tk: tk.flows.tool_schema("fl1"),
    "flows.trigger": lambda tk: tk.flows.trigger("fl1", {"a": 1}, secret="s3cr3t"),
    "flows.get_webhook_test": lambda tk: tk.flows.get_webhook_test("fl1"),
    "flows.send_webhook_test": lambda tk: tk.flows.send_webhook_test("fl1", {"a": 1}),
    "flows.list_tools": lambda tk: tk.flows.list_tools(),
    "flows.integrations.list": lambda tk: tk.flows.integrations.list(),
    "flows.integrations.connect": lambda tk: tk.flows.integrations.connect(
        "slack", credentials={"token": "x"}
    ),
    "flows.integrations.disconnect": lambda tk: tk.flows.integrations.disconnect("slack"),
    "flows.integrations.get": lambda tk: tk.flows.integrations.get("in1"),
    "flows.integrations.options": lambda tk: tk.flows.integrations.options("in1"),
    "flows.integrations.start_oauth": lambda tk: tk.flows.integrations.start_oauth(
        provider="hubspot", label="CRM", account_slug="acme"
    ),
    "flows.secrets.list": lambda tk: tk.flows.secrets.list(),
    "flows.secrets.create": lambda tk: tk.flows.secrets.create("API_TOKEN", "v"),
    "flows.secrets.get": lambda tk: tk.flows.secrets.get("se1"),
    "flows.secrets.list_providers": lambda tk: tk.flows.secrets.list_providers(),
    "credits.get_balance": lambda tk: tk.credits.get_balance(),
    "credits.deduct": lambda tk: tk.credits.deduct(account_id="acc1", amount=1.5),
    "credits.create_checkout": lambda tk: tk.credits.create_checkout(
        account_id="acc1", account_slug="acme", plan_id="starter"
    ),
    "credits.get_auto_reload": lambda tk: tk.credits.get_auto_reload(),
    "credits.update_auto_reload": lambda tk: tk.credits.update_auto_reload(enabled=True),
    "credits.claim_grants": lambda tk: tk.credits.claim_grants(),
    "credits.list_plans": lambda tk: tk.credits.list_plans(),
    "credits.statement": lambda tk: tk.credits.statement(),
    "credits.list_transactions": lambda tk: tk.credits.list_transactions(),
    "billing.list_invoices": lambda tk: tk.billing.list_invoices(),
    "api_keys.list": lambda tk: tk.api_keys.list("acme"),
    "api_keys.create": lambda tk: tk.api_keys.create(account_slug="acme", name="ci"),
    "api_keys.update": lambda tk: tk.api_keys.update("key1", name="ci-2"),
    "knowledge_base.list": lambda tk: tk.knowledge_base.list("as1"),
    "knowledge_base.upload": lambda tk: tk.knowledge_base.upload(
        "as1", b"%PDF-1.4", filename="a.pdf"
    ),
    "knowledge_base.billing_estimate": lambda tk: tk.knowledge_base.billing_estimate("as1"),
}


def returned(dotted: str) -> tuple[str, type[Model]] | None:
    """What a client method returns: ``("one"|"list"|"pager", model)``, or ``None``."""
    fn: Any = functools.reduce(getattr, dotted.split("."), Talkturo(KEY))
    fn = getattr(fn, "__func__", fn)
    text = inspect.signature(fn).return_annotation
    tp = eval(text, {**vars(builtins), **fn.__globals__}) if isinstance(text, str) else text
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, Model):
        return "one", tp
    if origin is list and args and issubclass(args[0], Model):
        return "list", args[0]
    if origin is AsyncPager:
        return "pager", args[0]
    return None


MODEL_CALLS = sorted(name for name in OPERATIONS.values() if returned(name) is not None)


def test_every_model_call_has_a_scripted_call() -> None:
    """The data-envelope test below covers every operation that returns a model."""
    assert sorted(CALLS) == MODEL_CALLS


async def _result(tk: Talkturo, name: str) -> Any:
    answer = CALLS[name](tk)
    if isinstance(answer, AsyncPager):
        return await typing.cast("AsyncPager[object]", answer).to_list()
    return await answer


@pytest.mark.parametrize("name", MODEL_CALLS)
async def test_every_model_call_reads_a_data_envelope(
    hostile: tuple[Hostile, str], name: str
) -> None:
    """``{"success": true, "data": <record>}`` (the API overview's envelope) is read by every call."""
    server, url = hostile
    kind, model = returned(name) or ("", Model)
    record = clean_record(model)
    if kind == "one":
        server.answer = {"success": True, "data": record}
    else:
        server.answer = {"success": True, "data": [record], "total": 1, "limit": 50, "offset": 0}
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        got: Any = await _result(tk, name)
    expected: Any = structure(record, model)
    if name == "contacts.import_contacts":  # the chunks' counts, added up
        assert (got.imported, got.failed) == (expected.imported, expected.failed)
        return
    assert got == (expected if kind == "one" else [expected])
    one = got if kind == "one" else got[0]
    assert any(getattr(one, f.name) is not None for f in attrs.fields(model) if f.name != "extra")


async def test_the_fake_in_the_repo_dialect_is_read() -> None:
    """The fake's ``repo`` dialect (``data``, camelCase, no ``success``) gives complete records."""
    async with FakeTalkturo(seed=3, dialect=DIALECTS["repo"]) as fake:
        tk = Talkturo(fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT)
        async with tk:
            company = await tk.companies.create(fake.team_id, "Acme")
            contact = await tk.contacts.create(fake.team_id, company.id, "Maya", "Lee")
            got = await tk.contacts.get(contact.id)
            listed = await tk.contacts.list(team_id=fake.team_id).to_list()
            same_company = await tk.companies.get(company.id)
    assert (got.id, got.first_name, got.team_id) == (contact.id, "Maya", fake.team_id)
    assert contact.id in [c.id for c in listed]
    assert (same_company.id, same_company.name) == (company.id, "Acme")


async def test_a_data_object_holding_the_keyed_answer_is_read(
    hostile: tuple[Hostile, str],
) -> None:
    """``{"data": {"company": {...}, "contacts": [...]}}``: the record and its siblings are read."""
    server, url = hostile
    server.answer = {
        "success": True,
        "data": {"company": {"id": "co1", "name": "Acme"}, "contacts": [{"id": "ct1"}]},
    }
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        company = await tk.companies.get("co1")
    assert (company.id, company.name) == ("co1", "Acme")
    assert [c.id for c in company.contacts or []] == ["ct1"]


# -- malformed answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"success": True, "campaign": None}, "the answer has no campaign"),
        ({"success": True}, "the answer has no campaign"),
        ({}, "the answer has no campaign"),
        ({"success": True, "message": "done"}, "the answer has no campaign"),
        ({"success": True, "data": None}, "the answer has no campaign"),
        ({"success": True, "campaign": {"name": "Q3"}}, "Campaign record has no 'id'"),
        ({"success": True, "campaign": {"id": None}}, "Campaign record has no 'id'"),
        ({"success": True, "campaign": {"id": ""}}, "Campaign record has no usable 'id'"),
        ({"success": True, "campaign": {"id": ["c1"]}}, "no usable 'id' (expected a string"),
        ({"success": True, "campaign": {"id": 1.5}}, "no usable 'id' (expected a string"),
        ({"success": True, "campaign": [{"id": "c1"}]}, "expected a JSON object for Campaign"),
        ({"success": True, "campaign": "c1"}, "expected a JSON object for Campaign, got str"),
        ([{"id": "c1"}], "expected a JSON object for Campaign, got list"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        (b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "nested too deeply"),
    ],
    ids=[
        "null-payload",
        "success-alone",
        "empty-object",
        "message-only",
        "null-data",
        "no-id",
        "null-id",
        "empty-id",
        "list-id",
        "float-id",
        "list-for-object",
        "string-for-object",
        "array-body",
        "deep-array",
        "deep-objects",
    ],
)
async def test_a_malformed_record_answer_is_a_response_validation_error(
    hostile: tuple[Hostile, str], answer: Any, words: str
) -> None:
    """Each shape raises ResponseValidationError saying why, with status, method, URL, excerpt."""
    server, url = hostile
    server.answer = answer
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(ResponseValidationError) as info:
            await tk.campaigns.get("c1")
    exc = info.value
    assert words in str(exc)
    assert (exc.status_code, exc.method, exc.url) == (200, "GET", f"{url}/crm/campaigns/c1")
    assert isinstance(exc.body, str) and len(exc.body) <= 500
    assert len(str(exc)) < 1000


async def test_a_number_record_needs_its_phone_number(hostile: tuple[Hostile, str]) -> None:
    """An owned or available number without ``phone_number`` is refused, not a model with None."""
    server, url = hostile
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        server.answer = {"success": True, "phoneNumber": {"id": "pn1", "status": "active"}}
        with pytest.raises(ResponseValidationError, match="PhoneNumber record has no"):
            await tk.phone_numbers.get("pn1")
        server.answer = {"success": True, "numbers": [{"phoneNumber": "+14155550100"}, {}]}
        with pytest.raises(ResponseValidationError, match="AvailableNumber record has no"):
            await tk.phone_numbers.search(country_code="US")


async def test_a_numeric_id_is_read_as_text(hostile: tuple[Hostile, str]) -> None:
    """An integer id (some databases number their rows) is kept, as a string."""
    server, url = hostile
    server.answer = {"success": True, "campaign": {"id": 42, "name": "Q3"}}
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        campaign = await tk.campaigns.get("42")
    assert campaign.id == "42"


async def test_an_empty_204_on_a_call_that_returns_a_model_raises(
    hostile: tuple[Hostile, str],
) -> None:
    """204 with no body: the create has no campaign to return; a delete is fine with it."""
    server, url = hostile
    server.status, server.answer = 204, None
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(ResponseValidationError, match="the answer has no campaign") as info:
            await tk.campaigns.create(team_id="t", assistant_id="a", company_id="c", name="Q")
        assert info.value.status_code == 204 and info.value.method == "POST"
        await tk.campaigns.delete("c1")  # nothing to return: no error
        await tk.contacts.delete("ct1")


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({"success": True, "runs": "r"}, "the answer has no 'runs' array"),
        ({"success": True}, "the answer has no 'runs' array"),
        ({"success": True, "runs": [{"id": "r1"}, "r2"]}, "runs[1]: expected a JSON object"),
    ],
)
async def test_a_malformed_list_answer_is_a_response_validation_error(
    hostile: tuple[Hostile, str], answer: Any, words: str
) -> None:
    """A one-piece list without its array, or with an item that is not a record, raises."""
    server, url = hostile
    server.answer = answer
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(ResponseValidationError, match=words.replace("[", r"\[")) as info:
            await tk.flows.list_runs("fl1")
    assert info.value.url == f"{url}/flow/fl1/runs"


@pytest.mark.parametrize(
    ("items", "words"),
    [
        (
            [{"id": "ct1"}, {"id": "ct2"}, {"id": "ct3"}, "ct4"],
            "contacts[3]: expected a JSON object",
        ),
        ([{"id": "ct1"}, {"firstName": "Maya"}], "contacts[1]: Contact record has no 'id'"),
        ([{"id": "ct1"}, None], "contacts[1]: expected a JSON object for Contact, got NoneType"),
    ],
)
async def test_a_bad_item_in_a_page_names_its_place(
    hostile: tuple[Hostile, str], items: list[Any], words: str
) -> None:
    """A page item that is not a usable record: ResponseValidationError naming contacts[i]."""
    server, url = hostile
    server.answer = {"success": True, "contacts": items, "count": len(items)}
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(ResponseValidationError) as info:
            await tk.contacts.list(team_id="t1").to_list()
    assert words in str(info.value)
    assert info.value.url == f"{url}/crm/contacts" and info.value.method == "GET"


async def test_a_page_without_its_array_carries_the_url(hostile: tuple[Hostile, str]) -> None:
    """A list answer with no array is a ResponseValidationError with the page's URL."""
    server, url = hostile
    server.answer = {"success": True, "count": 3}
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(ResponseValidationError, match="no 'contacts' array") as info:
            await tk.contacts.list(team_id="t1").to_list()
    assert info.value.url == f"{url}/crm/contacts"


async def test_a_malformed_upload_or_trigger_answer_is_a_response_validation_error(
    hostile: tuple[Hostile, str],
) -> None:
    """The calls that read their answer themselves check it the same way."""
    server, url = hostile
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        server.answer = {"success": True, "file": {"filename": "a.pdf"}}
        with pytest.raises(ResponseValidationError, match="KnowledgeBaseFile record has no 'id'"):
            await tk.knowledge_base.upload("as1", b"%PDF", filename="a.pdf")
        server.answer = [1, 2]
        with pytest.raises(ResponseValidationError, match="FlowTriggerResult"):
            await tk.flows.trigger("fl1", {"a": 1}, secret="s3cr3t")
        server.answer = {"success": True}
        with pytest.raises(ResponseValidationError, match="the answer has no flow trigger result"):
            await tk.flows.trigger("fl1", {"a": 1}, secret="s3cr3t")


# -- bulk paths count a malformed answer as failed -------------------------------------------------


async def test_bulk_create_reports_a_malformed_answer_as_failed(
    hostile: tuple[Hostile, str],
) -> None:
    """A row answered without a contact id fails with the ResponseValidationError."""
    server, url = hostile

    def answer(request: web.Request) -> tuple[int, Any]:
        key = request.headers["Idempotency-Key"]
        row = int(key.rsplit("-", 1)[1])
        shapes: list[Any] = [
            {"success": True, "contact": {"id": f"ct{row}", "firstName": "M"}},
            {"success": True, "contact": {"firstName": "M"}},
            {"success": True},
            {"success": True, "contact": None},
            {"success": True, "contact": [1]},
        ]
        return 201, shapes[row % len(shapes)]

    server.answer = answer
    rows = [dict(ROW, first_name=f"M{i}") for i in range(10)]
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        report = await tk.contacts.bulk_create(rows, idempotency_key="imp").collect()
    assert [r.index for r in report.succeeded] == [0, 5]
    assert [r.contact.id for r in report.succeeded if r.contact] == ["ct0", "ct5"]
    assert [r.index for r in report.failed] == [1, 2, 3, 4, 6, 7, 8, 9]
    assert all(isinstance(r.error, ResponseValidationError) for r in report.failed)
    assert all(r.contact is None for r in report.failed)


@pytest.mark.parametrize(
    "answer",
    [{"success": True}, {"success": True, "failed": 0}, {"success": True, "data": None}, []],
    ids=["success-alone", "no-imported-count", "null-data", "array"],
)
async def test_import_reports_a_chunk_with_a_malformed_answer_as_failed(
    hostile: tuple[Hostile, str], answer: Any
) -> None:
    """A chunk whose answer does not say what was imported: its rows fail, none vanish."""
    server, url = hostile
    server.answer = answer
    rows = [dict(ROW, first_name=f"M{i}") for i in range(3)]
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        result = await tk.contacts.import_contacts(rows, chunk_size=2)
    assert (result.imported, result.failed) == (0, 3)
    assert [e["row"] for e in result.errors or []] == [0, 1, 2]


async def test_add_contacts_reports_a_chunk_with_a_malformed_answer_as_failed(
    hostile: tuple[Hostile, str],
) -> None:
    """A chunk answered with nothing counted is a failed chunk (PartialFailureError)."""
    server, url = hostile

    def answer(request: web.Request) -> tuple[int, Any]:
        if request.headers["Idempotency-Key"].endswith("-chunk-0"):
            return 200, {"success": True, "added": 2, "skipped": 0, "invalid": 0}
        return 200, {"success": True}

    server.answer = answer
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(PartialFailureError) as info:
            await tk.campaigns.add_contacts(
                "cmp1", contact_ids=["a", "b", "c"], chunk_size=2, idempotency_key="enrol"
            )
    assert info.value.result.added == 2


# -- spec fields -----------------------------------------------------------------------------------


async def test_spec_fields_are_read(hostile: tuple[Hostile, str]) -> None:
    """cost, lead_source, account_slug, schedule land in fields; total_calls keeps 12.7."""
    server, url = hostile
    answers = {
        "/api/phone-numbers/search": {
            "success": True,
            "numbers": [{"phoneNumber": "+14155550100", "cost": "1.15"}],
        },
        "/api/crm/contacts/ct1": {"success": True, "contact": {"id": "ct1", "lead_source": "web"}},
        "/api/phone-numbers/pn1": {
            "success": True,
            "phoneNumber": {"id": "pn1", "phoneNumber": "+14155550100", "accountSlug": "acme"},
        },
        "/api/crm/campaigns/c1": {
            "success": True,
            "campaign": {"id": "c1", "schedule": {"days": ["mon"]}},
        },
        "/api/assistants/as1/usage-stats": {
            "success": True,
            "stats": {"totalCalls": 12.7, "completedCallsWithDuration": 3.5},
        },
    }

    def by_path(request: web.Request) -> tuple[int, Any]:
        return 200, answers[request.path]

    server.answer = by_path
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        found = await tk.phone_numbers.search(country_code="US")
        contact = await tk.contacts.get("ct1")
        number = await tk.phone_numbers.get("pn1")
        campaign = await tk.campaigns.get("c1")
        stats = await tk.assistants.usage_stats("as1")
    assert isinstance(found.numbers[0], AvailableNumber) and found.numbers[0].cost == "1.15"
    assert isinstance(contact, Contact) and contact.lead_source == "web"
    assert isinstance(number, PhoneNumber) and number.account_slug == "acme"
    assert isinstance(campaign, Campaign) and campaign.schedule == {"days": ["mon"]}
    assert isinstance(stats, UsageStats) and stats.total_calls == 12.7
    # a whole-number field is never truncated: 3.5 is kept as sent, in extra
    assert stats.completed_calls_with_duration is None
    assert stats.extra == {"completedCallsWithDuration": 3.5}


def test_an_entity_needs_its_id() -> None:
    """Entities are built with an id; a model without entity id stays all-optional."""
    with pytest.raises(TypeError, match="id"):
        Contact()  # type: ignore[call-arg]
    assert Contact(id="ct1").id == "ct1"
    assert UsageStats().total_calls is None
