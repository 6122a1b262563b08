"""Issue #10 for telephony, flows (+ integrations, secrets), opportunities, custom fields,
credits, API keys, billing, calls and intelligence: per-call ``options``, ``Literal`` parameters
checked before sending, blank strings refused, dict arguments with known keys checked, and
docstrings naming every parameter.

Everything goes through the public API over loopback HTTP against ``FakeTalkturo``.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from talkturo_async import APIError, Talkturo
from talkturo_async.resources.api_keys import ApiKeys
from talkturo_async.resources.billing import Billing
from talkturo_async.resources.calls import Calls
from talkturo_async.resources.credits import Credits
from talkturo_async.resources.custom_fields import CustomFields
from talkturo_async.resources.flow_integrations import FlowIntegrations, FlowSecrets
from talkturo_async.resources.flows import Flows
from talkturo_async.resources.intelligence import Intelligence
from talkturo_async.resources.opportunities import Opportunities
from talkturo_async.resources.telephony import Telephony
from talkturo_async.testing import FakeTalkturo
from tests.conftest import NO_WAIT, as_dict

RESOURCES = (
    Telephony,
    Flows,
    FlowIntegrations,
    FlowSecrets,
    Opportunities,
    CustomFields,
    Credits,
    ApiKeys,
    Billing,
    Calls,
    Intelligence,
)

# custom_fields.create/update take the select choices as ``options`` (the wire name), so their
# per-call settings are ``request_options``.
OPTIONS_NAME = {
    ("CustomFields", "create"): "request_options",
    ("CustomFields", "update"): "request_options",
}

Call = Callable[[Talkturo, FakeTalkturo, Any], Awaitable[Any]]
SECRET = "s3cr3t-value"

# One call of every public method, each given ``options`` (the third argument) as a keyword.
CALLS: dict[str, Call] = {
    "Telephony.get_inbound": lambda tk, f, o: tk.telephony.get_inbound("a1", options=o),
    "Telephony.configure_inbound": lambda tk, f, o: tk.telephony.configure_inbound(
        "a1", f.account_slug, True, options=o
    ),
    "Telephony.get_outbound": lambda tk, f, o: tk.telephony.get_outbound("a1", options=o),
    "Telephony.configure_outbound": lambda tk, f, o: tk.telephony.configure_outbound(
        "a1", f.account_slug, False, options=o
    ),
    "Telephony.get_settings": lambda tk, f, o: tk.telephony.get_settings("a1", options=o),
    "Telephony.update_settings": lambda tk, f, o: tk.telephony.update_settings(
        "a1", inbound_enabled=False, options=o
    ),
    "Telephony.manage_phone_numbers": lambda tk, f, o: tk.telephony.manage_phone_numbers(
        "a1", [], options=o
    ),
    "Telephony.list_compliance_templates": lambda tk, f, o: tk.telephony.list_compliance_templates(
        "a1", options=o
    ),
    "Telephony.list_account_phone_numbers": lambda tk, f, o: (
        tk.telephony.list_account_phone_numbers(options=o)
    ),
    "Telephony.test_call": lambda tk, f, o: tk.telephony.test_call(
        "a1", f.account_slug, "+14155550101", "+14155550102", options=o
    ),
    "Flows.list": lambda tk, f, o: tk.flows.list(options=o),
    "Flows.create": lambda tk, f, o: tk.flows.create("x", options=o),
    "Flows.manifest": lambda tk, f, o: tk.flows.manifest(options=o),
    "Flows.get": lambda tk, f, o: tk.flows.get("f1", options=o),
    "Flows.update": lambda tk, f, o: tk.flows.update("f1", name="y", options=o),
    "Flows.archive": lambda tk, f, o: tk.flows.archive("f1", options=o),
    "Flows.publish": lambda tk, f, o: tk.flows.publish("f1", options=o),
    "Flows.list_runs": lambda tk, f, o: tk.flows.list_runs("f1", options=o),
    "Flows.test_run": lambda tk, f, o: tk.flows.test_run("f1", options=o),
    "Flows.test_run_node": lambda tk, f, o: tk.flows.test_run_node("f1", "n1", options=o),
    "Flows.tool_schema": lambda tk, f, o: tk.flows.tool_schema("f1", options=o),
    "Flows.trigger": lambda tk, f, o: tk.flows.trigger("f1", {}, secret=SECRET, options=o),
    "Flows.get_webhook_test": lambda tk, f, o: tk.flows.get_webhook_test("f1", options=o),
    "Flows.send_webhook_test": lambda tk, f, o: tk.flows.send_webhook_test("f1", options=o),
    "Flows.list_tools": lambda tk, f, o: tk.flows.list_tools(options=o),
    "FlowIntegrations.list": lambda tk, f, o: tk.flows.integrations.list(options=o),
    "FlowIntegrations.connect": lambda tk, f, o: tk.flows.integrations.connect(
        "slack", credentials={"api_key": "k"}, options=o
    ),
    "FlowIntegrations.disconnect": lambda tk, f, o: tk.flows.integrations.disconnect(
        "slack", options=o
    ),
    "FlowIntegrations.get": lambda tk, f, o: tk.flows.integrations.get("i1", options=o),
    "FlowIntegrations.delete": lambda tk, f, o: tk.flows.integrations.delete("i1", options=o),
    "FlowIntegrations.options": lambda tk, f, o: tk.flows.integrations.options("i1", options=o),
    "FlowIntegrations.start_oauth": lambda tk, f, o: tk.flows.integrations.start_oauth(
        "hubspot", "CRM", f.account_slug, options=o
    ),
    "FlowSecrets.list": lambda tk, f, o: tk.flows.secrets.list(options=o),
    "FlowSecrets.create": lambda tk, f, o: tk.flows.secrets.create("K", "v", options=o),
    "FlowSecrets.delete_by_name": lambda tk, f, o: tk.flows.secrets.delete_by_name("K", options=o),
    "FlowSecrets.get": lambda tk, f, o: tk.flows.secrets.get("s1", options=o),
    "FlowSecrets.delete": lambda tk, f, o: tk.flows.secrets.delete("s1", options=o),
    "FlowSecrets.list_providers": lambda tk, f, o: tk.flows.secrets.list_providers(options=o),
    "Opportunities.list": lambda tk, f, o: tk.opportunities.list(options=o).to_list(),
    "Opportunities.create": lambda tk, f, o: tk.opportunities.create("Deal", options=o),
    "Opportunities.get": lambda tk, f, o: tk.opportunities.get("o1", options=o),
    "Opportunities.update": lambda tk, f, o: tk.opportunities.update("o1", stage="won", options=o),
    "Opportunities.delete": lambda tk, f, o: tk.opportunities.delete("o1", options=o),
    "CustomFields.list": lambda tk, f, o: tk.custom_fields.list(options=o),
    "CustomFields.create": lambda tk, f, o: tk.custom_fields.create(
        "Tier", "text", "company", request_options=o
    ),
    "CustomFields.get": lambda tk, f, o: tk.custom_fields.get("cf1", options=o),
    "CustomFields.update": lambda tk, f, o: tk.custom_fields.update(
        "cf1", name="T", request_options=o
    ),
    "CustomFields.delete": lambda tk, f, o: tk.custom_fields.delete("cf1", options=o),
    "Credits.get_balance": lambda tk, f, o: tk.credits.get_balance(options=o),
    "Credits.deduct": lambda tk, f, o: tk.credits.deduct(f.account_id, 1, options=o),
    "Credits.create_checkout": lambda tk, f, o: tk.credits.create_checkout(
        f.account_id, f.account_slug, custom_amount=99, custom_credits=1000, options=o
    ),
    "Credits.get_auto_reload": lambda tk, f, o: tk.credits.get_auto_reload(options=o),
    "Credits.update_auto_reload": lambda tk, f, o: tk.credits.update_auto_reload(
        enabled=False, options=o
    ),
    "Credits.claim_grants": lambda tk, f, o: tk.credits.claim_grants(options=o),
    "Credits.list_plans": lambda tk, f, o: tk.credits.list_plans(options=o),
    "Credits.statement": lambda tk, f, o: tk.credits.statement(options=o),
    "Credits.list_transactions": lambda tk, f, o: tk.credits.list_transactions(options=o),
    "ApiKeys.list": lambda tk, f, o: tk.api_keys.list(f.account_slug, options=o),
    "ApiKeys.create": lambda tk, f, o: tk.api_keys.create(f.account_slug, "CI", options=o),
    "ApiKeys.update": lambda tk, f, o: tk.api_keys.update("k1", name="CI 2", options=o),
    "ApiKeys.revoke": lambda tk, f, o: tk.api_keys.revoke("k1", options=o),
    "Billing.list_invoices": lambda tk, f, o: tk.billing.list_invoices(options=o),
    "Calls.list": lambda tk, f, o: tk.calls.list(options=o),
    "Intelligence.get": lambda tk, f, o: tk.intelligence.get(options=o),
}


def _public_methods() -> list[tuple[str, Callable[..., Any]]]:
    found: list[tuple[str, Callable[..., Any]]] = []
    for cls in RESOURCES:
        for name, member in vars(cls).items():
            if not name.startswith("_") and inspect.isfunction(member):
                found.append((f"{cls.__name__}.{name}", member))
    return found


def test_every_public_method_takes_keyword_only_options_last() -> None:
    """Every public method ends with a keyword-only ``options`` parameter (and is in CALLS)."""
    for qualname, method in _public_methods():
        cls_name, name = qualname.split(".")
        expected = OPTIONS_NAME.get((cls_name, name), "options")
        last = list(inspect.signature(method).parameters.values())[-1]
        assert last.name == expected, qualname
        assert last.kind is inspect.Parameter.KEYWORD_ONLY and last.default is None, qualname
        assert "RequestOptions | None" in str(last.annotation), qualname
    assert sorted(CALLS) == sorted(q for q, _ in _public_methods())


def _documented(section: str, docstring: str) -> str:
    match = re.search(rf"^\s*{section}:\n(.*?)(?:^\s*\w[\w ]*:\n|\Z)", docstring, re.M | re.S)
    return match.group(1) if match else ""


def test_every_public_method_documents_each_parameter_and_what_it_raises() -> None:
    """``Args:`` names every parameter, ``Raises:`` is there, the options line is the same."""
    options_line = (
        "per-call settings (RequestOptions: timeout, deadline, max_retries, idempotency_key, "
        "extra_headers)"
    )
    for qualname, method in _public_methods():
        doc = inspect.getdoc(method) or ""
        args = _documented("Args", doc)
        named = {
            n.strip()
            for line in args.splitlines()
            if re.match(r"^\s{4}\S", line) and ":" in line
            for n in line.split(":", 1)[0].split(",")
        }
        params = [p for p in inspect.signature(method).parameters if p != "self"]
        assert set(params) <= named, f"{qualname}: {set(params) - named} not under Args:"
        assert _documented("Raises", doc).strip(), f"{qualname} has no Raises:"
        assert options_line in " ".join(doc.split()), qualname


@pytest.fixture
async def jwt_tk(fake: FakeTalkturo) -> Any:
    """A client authenticated with the fake's JWT (API-key administration needs one)."""
    async with Talkturo(jwt=fake.jwt, base_url=fake.base_url, retry_policy=NO_WAIT) as client:
        yield client


@pytest.mark.parametrize("qualname", sorted(CALLS))
async def test_options_reach_the_wire_for_every_method(
    qualname: str, tk: Talkturo, fake: FakeTalkturo
) -> None:
    """``extra_headers`` of ``options`` are on the request each method sends (errors or not)."""
    before = len(fake.requests)
    trace = {"X-Trace": qualname}
    with contextlib.suppress(APIError):
        await CALLS[qualname](tk, fake, {"extra_headers": trace, "max_retries": 0})
    assert len(fake.requests) > before
    assert all(r.headers.get("X-Trace") == qualname for r in fake.requests[before:])


@pytest.mark.parametrize("qualname", sorted(CALLS))
async def test_a_misspelt_option_is_refused_before_sending(
    qualname: str, tk: Talkturo, fake: FakeTalkturo
) -> None:
    """An unknown options key raises naming the closest one, and nothing is sent."""
    before = len(fake.requests)
    with pytest.raises(TypeError, match="did you mean 'extra_headers'"):
        await CALLS[qualname](tk, fake, {"extra_header": {"X-A": "1"}})
    assert len(fake.requests) == before


async def test_options_apply_to_every_page_of_opportunities(
    tk: Talkturo, fake: FakeTalkturo
) -> None:
    """A paged list sends the per-call headers with each page request."""
    for title in ("a", "b", "c"):
        await tk.opportunities.create(title)
    before = len(fake.requests)
    deals = await tk.opportunities.list(
        limit=1, options={"extra_headers": {"X-Run": "7"}}
    ).to_list()
    assert sorted(str(d.title) for d in deals) == ["a", "b", "c"]
    pages = fake.requests[before:]
    assert len(pages) >= 3 and all(r.headers.get("X-Run") == "7" for r in pages)


async def test_idempotency_key_and_headers_reach_a_post(tk: Talkturo, fake: FakeTalkturo) -> None:
    """A POST carries the given Idempotency-Key; a replay with the same key creates nothing new."""
    opts: Any = {"idempotency_key": "deal-42", "extra_headers": {"X-Source": "crm-sync"}}
    first = await tk.opportunities.create("Renewal", value=10, options=opts)
    again = await tk.opportunities.create("Renewal", value=10, options=opts)
    sent = fake.requests[-1].headers
    assert sent["Idempotency-Key"] == "deal-42" and sent["X-Source"] == "crm-sync"
    assert first.id == again.id
    assert [o.id for o in await tk.opportunities.list().to_list()] == [first.id]


async def test_options_reach_a_signed_trigger_and_a_jwt_call(
    tk: Talkturo, jwt_tk: Talkturo, fake: FakeTalkturo
) -> None:
    """The trigger keeps its signature header beside the extra ones; API-key admin too."""
    flow = await tk.flows.create("f", definition={"nodes": [], "edges": []})
    assert flow.id
    version = await tk.flows.publish(flow.id)
    secret = version.trigger_secret or ""
    run = await tk.flows.trigger(
        flow.id, {"a": 1}, secret=secret, options={"extra_headers": {"X-Trace": "t"}}
    )
    assert run.ok is True
    sent = fake.requests[-1].headers
    assert sent["X-Trace"] == "t" and sent["X-Talkturo-Secret"]
    keys = await jwt_tk.api_keys.list(fake.account_slug, options={"extra_headers": {"X-K": "1"}})
    assert keys == [] or all(k.id for k in keys)
    assert fake.requests[-1].headers["X-K"] == "1"


# --- Literal parameters ---------------------------------------------------------------------


async def _refused(
    fake: FakeTalkturo, error: type[Exception], pattern: str, call: Awaitable[Any]
) -> None:
    before = len(fake.requests)
    with pytest.raises(error, match=pattern):
        await call
    assert len(fake.requests) == before, "a refused call sent a request"


async def test_custom_field_type_and_entity_are_checked(tk: Talkturo, fake: FakeTalkturo) -> None:
    """``type``/``entity_type`` outside their Literal raise naming the closest value."""
    bad: Any = "selct"
    await _refused(
        fake,
        ValueError,
        r"type='selct' is not one of 'text', 'number', .*; did you mean 'select'\?",
        tk.custom_fields.create("Tier", bad, "company", options=["a"]),
    )
    bad = "contacts"
    await _refused(
        fake,
        ValueError,
        r"entity_type='contacts' is not one of .*did you mean 'contact'\?",
        tk.custom_fields.create("Tier", "text", bad),
    )


async def test_api_key_environment_is_checked(jwt_tk: Talkturo, fake: FakeTalkturo) -> None:
    """``environment='tset'`` names ``'test'``; nothing is sent."""
    bad: Any = "tset"
    await _refused(
        fake,
        ValueError,
        r"environment='tset' is not one of 'live', 'test'; did you mean 'test'\?",
        jwt_tk.api_keys.create(fake.account_slug, "CI", environment=bad),
    )


async def test_destination_country_is_checked(tk: Talkturo, fake: FakeTalkturo) -> None:
    """An unknown or upper-case country is refused naming the closest code; nothing is sent."""
    bad: Any = "usa"
    await _refused(
        fake,
        ValueError,
        r"destination_country='usa' is not one of 'ae', .*; did you mean 'us'\?",
        tk.telephony.update_settings("a1", destination_country=bad),
    )
    bad = "US"
    await _refused(
        fake,
        ValueError,
        r"destination_country='US' is not one of",
        tk.telephony.update_settings("a1", destination_country=bad),
    )


# --- dict arguments with known keys ---------------------------------------------------------


def _assistant(fake: FakeTalkturo) -> str:
    answer = fake.state.create_assistant({"accountSlug": fake.account_slug, "name": "Desk"})
    return str(answer["assistant"]["id"])


async def test_voicemail_and_compliance_round_trip_in_snake_case(
    tk: Talkturo, fake: FakeTalkturo
) -> None:
    """snake_case keys are sent as the wire's camelCase; camelCase keys still work."""
    bot = _assistant(fake)
    await tk.telephony.update_settings(
        bot,
        voicemail={"detection_enabled": True, "message": "Call back later"},
        compliance={"enabled": True, "fallback_policy": "block", "ack_timeout_seconds": 10},
    )
    body = as_dict(fake.requests[-1].body)
    assert body["voicemail"] == {"detectionEnabled": True, "message": "Call back later"}
    assert body["compliance"] == {
        "enabled": True,
        "fallbackPolicy": "block",
        "ackTimeoutSeconds": 10,
    }
    camel_case: Any = {"requireAck": True}
    await tk.telephony.update_settings(bot, compliance=camel_case)
    settings = await tk.telephony.get_settings(bot)
    assert settings.voicemail is not None and settings.compliance is not None
    voicemail: Any = settings.voicemail
    compliance: Any = settings.compliance
    assert voicemail["detectionEnabled"] is True and voicemail["message"] == "Call back later"
    assert compliance["fallbackPolicy"] == "block" and compliance["requireAck"] is True


@pytest.mark.parametrize(
    ("voicemail", "compliance", "error", "pattern"),
    [
        ({"detection_enable": True}, None, TypeError, r"'detection_enable'.*'detection_enabled'"),
        ({"detectionEnable": True}, None, TypeError, r"did you mean 'detection_enabled'\?"),
        (
            {"detection_enabled": True, "detectionEnabled": False},
            None,
            TypeError,
            r"voicemail: .*'detection_enabled' and 'detectionEnabled'",
        ),
        (None, {"fallback_policy": "retyr"}, ValueError, r"fallback_policy.*'retry'\?"),
        (None, {"fallbackPolicy": "stop"}, ValueError, r"fallback_policy='stop' is not one of"),
        (None, {"template": "t1"}, TypeError, r"compliance.*did you mean 'template_id'\?"),
        (None, ["enabled"], TypeError, r"compliance must be a dict"),
    ],
)
async def test_bad_voicemail_or_compliance_keys_are_refused(
    tk: Talkturo,
    fake: FakeTalkturo,
    voicemail: Any,
    compliance: Any,
    error: type[Exception],
    pattern: str,
) -> None:
    """Unknown keys (with the closest), a key in both spellings, a bad policy: nothing sent."""
    await _refused(
        fake,
        error,
        pattern,
        tk.telephony.update_settings("a1", voicemail=voicemail, compliance=compliance),
    )


async def test_opportunity_extra_fields_cannot_shadow_a_named_field(
    tk: Talkturo, fake: FakeTalkturo
) -> None:
    """An extra key that is a named field (either spelling) is refused; others are sent."""
    await _refused(
        fake,
        TypeError,
        r"extra_fields\['contactId'\] is the contact_id argument",
        tk.opportunities.create("Deal", extra_fields={"contactId": "c1"}),
    )
    await _refused(
        fake,
        TypeError,
        r"extra_fields\['title'\] is the title argument",
        tk.opportunities.update("o1", stage="won", extra_fields={"title": "x"}),
    )
    deal = await tk.opportunities.create("Deal", extra_fields={"source": "web"})
    assert fake.requests[-1].body == {"title": "Deal", "source": "web"}
    assert deal.title == "Deal"


# --- blank strings --------------------------------------------------------------------------


async def _list_opportunities(tk: Talkturo, **filters: Any) -> Any:
    return await tk.opportunities.list(**filters).to_list()


BLANK_CALLS: list[tuple[str, Callable[[Talkturo, FakeTalkturo, str], Awaitable[Any]]]] = [
    (
        "plan_id",
        lambda tk, f, s: tk.credits.create_checkout(f.account_id, f.account_slug, plan_id=s),
    ),
    ("account_id", lambda tk, f, s: tk.credits.get_balance(account_id=s)),
    ("account_id", lambda tk, f, s: tk.credits.deduct(s, 5)),
    ("account_slug", lambda tk, f, s: tk.credits.create_checkout(f.account_id, s, plan_id="p")),
    (
        "customer_email",
        lambda tk, f, s: tk.credits.create_checkout(
            f.account_id, f.account_slug, plan_id="p", customer_email=s
        ),
    ),
    ("account_slug", lambda tk, f, s: tk.telephony.configure_inbound("a1", s, True)),
    ("account_slug", lambda tk, f, s: tk.telephony.update_settings("a1", s, inbound_enabled=True)),
    (
        "telnyx_connection_id",
        lambda tk, f, s: tk.telephony.update_settings("a1", telnyx_connection_id=s),
    ),
    ("account_slug", lambda tk, f, s: tk.telephony.manage_phone_numbers("a1", [], s)),
    ("phone_number_ids", lambda tk, f, s: tk.telephony.manage_phone_numbers("a1", ["n1", s])),
    ("from_number", lambda tk, f, s: tk.telephony.test_call("a1", "acme", s, "+14155550102")),
    ("secret", lambda tk, f, s: tk.flows.trigger("f1", {}, secret=s)),
    ("name", lambda tk, f, s: tk.flows.create(s)),
    ("node_id", lambda tk, f, s: tk.flows.test_run_node("f1", s)),
    ("provider", lambda tk, f, s: tk.flows.integrations.connect(s)),
    ("label", lambda tk, f, s: tk.flows.integrations.connect("slack", label=s)),
    ("provider", lambda tk, f, s: tk.flows.integrations.disconnect(s)),
    ("account_slug", lambda tk, f, s: tk.flows.integrations.start_oauth("hubspot", "x", s)),
    ("value", lambda tk, f, s: tk.flows.secrets.create("K", s)),
    ("provider", lambda tk, f, s: tk.flows.secrets.create("K", "v", provider=s)),
    ("name", lambda tk, f, s: tk.flows.secrets.delete_by_name(s)),
    ("title", lambda tk, f, s: tk.opportunities.create(s)),
    ("company_id", lambda tk, f, s: tk.opportunities.create("Deal", company_id=s)),
    ("contact_id", lambda tk, f, s: _list_opportunities(tk, contact_id=s)),
    ("name", lambda tk, f, s: tk.custom_fields.create(s, "text", "contact")),
    ("name", lambda tk, f, s: tk.custom_fields.update("cf1", name=s)),
    ("account_slug", lambda tk, f, s: tk.api_keys.list(s)),
    ("name", lambda tk, f, s: tk.api_keys.update("k1", name=s)),
]


@pytest.mark.parametrize("blank", ["", "   "])
@pytest.mark.parametrize(("argument", "call"), BLANK_CALLS, ids=[a for a, _ in BLANK_CALLS])
async def test_blank_strings_are_refused_naming_the_argument(
    tk: Talkturo,
    fake: FakeTalkturo,
    argument: str,
    call: Callable[[Talkturo, FakeTalkturo, str], Awaitable[Any]],
    blank: str,
) -> None:
    """An empty or whitespace-only string is refused like a missing one; nothing is sent."""
    await _refused(fake, ValueError, rf"\b{argument}\b", call(tk, fake, blank))


async def test_checkout_with_a_plan_or_a_custom_pair_still_works(
    tk: Talkturo, fake: FakeTalkturo
) -> None:
    """The exactly-one-of check lets a real plan id through."""
    plans = await tk.credits.list_plans()
    checkout = await tk.credits.create_checkout(
        fake.account_id, fake.account_slug, plan_id=plans[0].id
    )
    assert checkout.session_id
