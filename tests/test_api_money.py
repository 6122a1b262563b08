"""Credits, billing, API keys and the knowledge base, through the public API against the fake
(every answer checked against openapi.yaml by ``spec_fake``); the client's credential kinds."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from talkturo_async import (
    AuthenticationError,
    BadRequestError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    Talkturo,
)
from talkturo_async.testing import FakeTalkturo

NO_WAIT = RetryPolicy(wait=False)


@pytest.fixture
async def tk(spec_fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
    """A client with the fake's API key."""
    async with Talkturo(
        api_key=spec_fake.api_key, base_url=spec_fake.base_url, retry_policy=NO_WAIT
    ) as client:
        yield client


@pytest.fixture
async def admin(spec_fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
    """A client with the fake owner's JWT."""
    async with Talkturo(
        jwt=spec_fake.jwt, base_url=spec_fake.base_url, retry_policy=NO_WAIT
    ) as client:
        yield client


def _assistant(fake: FakeTalkturo) -> str:
    created = fake.state.create_assistant({"name": "Docs bot", "accountSlug": fake.account_slug})
    return str(created["assistant"]["id"])


# -- credits ----------------------------------------------------------------------------------


async def test_balance_reads_the_account(tk: Talkturo, spec_fake: FakeTalkturo) -> None:
    """get_balance returns the account's balance and auto-reload settings."""
    spec_fake.credits = 42.5
    balance = await tk.credits.get_balance()
    assert balance.credits == 42.5
    assert balance.account_id == spec_fake.account_id
    assert balance.auto_reload_enabled is False


async def test_balance_of_another_account_is_refused(tk: Talkturo) -> None:
    """An account_id the credential may not read is a PermissionDeniedError."""
    with pytest.raises(PermissionDeniedError):
        await tk.credits.get_balance(account_id="acct_someone_else")


async def test_deduct_takes_credits_and_records_a_transaction(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """deduct lowers the balance and the usage appears in the history with its metadata."""
    result = await tk.credits.deduct(
        spec_fake.account_id, 7.5, description="call minutes", metadata={"call": "c1"}
    )
    assert result.balance == 92.5 and spec_fake.credits == 92.5
    assert result.auto_reload_triggered is False
    [tx] = await tk.credits.list_transactions()
    assert tx.id == result.transaction_id
    assert (tx.type, tx.amount, tx.balance_after) == ("usage", -7.5, 92.5)
    assert tx.metadata == {"call": "c1"} and tx.description == "call minutes"


async def test_deduct_past_the_balance_is_402_and_takes_nothing(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """More than the balance raises InsufficientCreditsError and leaves the balance alone."""
    spec_fake.credits = 3
    with pytest.raises(InsufficientCreditsError):
        await tk.credits.deduct(spec_fake.account_id, 4)
    assert spec_fake.credits == 3
    assert await tk.credits.list_transactions() == []


async def test_deduct_refuses_bad_arguments_before_sending(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """A missing account or a non-positive amount is a ValueError and nothing is sent."""
    with pytest.raises(ValueError, match="account_id"):
        await tk.credits.deduct("", 1)
    with pytest.raises(ValueError, match="amount"):
        await tk.credits.deduct(spec_fake.account_id, 0)
    assert spec_fake.requests == []


async def test_fake_answers_400_for_a_missing_amount(tk: Talkturo, spec_fake: FakeTalkturo) -> None:
    """The fake enforces the spec's required fields (raw request through the escape hatch)."""
    with pytest.raises(BadRequestError, match="amount is required"):
        await tk.request("POST", "credits", json={"accountId": spec_fake.account_id})


async def test_auto_reload_settings_round_trip_and_trigger(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """Updated settings are read back, and a deduction under the threshold reloads."""
    settings = await tk.credits.update_auto_reload(enabled=True, threshold=50, amount_usd=120)
    assert (settings.auto_reload_enabled, settings.auto_reload_threshold) == (True, 50)
    assert await tk.credits.get_auto_reload() == settings
    result = await tk.credits.deduct(spec_fake.account_id, 60)
    assert result.auto_reload_triggered is True
    assert spec_fake.credits == 40 + 120
    kinds = [tx.type for tx in await tk.credits.list_transactions()]
    assert kinds == ["auto_reload", "usage"]


async def test_auto_reload_rejects_bad_values(tk: Talkturo) -> None:
    """No setting is a ValueError; a negative threshold is refused by the server (400)."""
    with pytest.raises(ValueError, match="at least one setting"):
        await tk.credits.update_auto_reload()
    with pytest.raises(BadRequestError):
        await tk.credits.update_auto_reload(threshold=-1)


async def test_checkout_for_a_plan_then_payment_adds_credits_and_an_invoice(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """A plan checkout, once paid, adds its credits, a purchase and a paid invoice."""
    plans = await tk.credits.list_plans()
    plan = plans[0]
    checkout = await tk.credits.create_checkout(
        spec_fake.account_id, spec_fake.account_slug, plan_id=plan.id
    )
    assert (checkout.credits, checkout.amount) == (plan.credits, plan.amount_usd)
    assert checkout.checkout_token and checkout.checkout_token not in repr(checkout)
    assert await tk.billing.list_invoices() == []
    assert checkout.session_id is not None
    spec_fake.state.complete_checkout(checkout.session_id)
    [invoice] = await tk.billing.list_invoices()
    assert invoice.status == "paid" and invoice.amount_paid == (plan.amount_usd or 0) * 100
    assert spec_fake.credits == 100 + (plan.credits or 0)


async def test_custom_checkout_rules(tk: Talkturo, spec_fake: FakeTalkturo) -> None:
    """A custom checkout needs both amount and credits, at least 99 USD; a plan excludes them."""
    ids = (spec_fake.account_id, spec_fake.account_slug)
    checkout = await tk.credits.create_checkout(*ids, custom_amount=150, custom_credits=1500)
    assert checkout.credits == 1500
    with pytest.raises(ValueError, match="at least 99"):
        await tk.credits.create_checkout(*ids, custom_amount=50, custom_credits=500)
    with pytest.raises(ValueError, match="both custom_amount and custom_credits"):
        await tk.credits.create_checkout(*ids, custom_amount=150)
    with pytest.raises(ValueError, match="not both"):
        await tk.credits.create_checkout(*ids, plan_id="plan_starter", custom_amount=150)
    with pytest.raises(BadRequestError, match="unknown planId"):
        await tk.credits.create_checkout(*ids, plan_id="plan_nope")


async def test_claim_grants_applies_pending_grants_once(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """Pending grants are added to the balance once; a second claim adds nothing."""
    spec_fake.state.add_credit_grant(25, "welcome")
    spec_fake.state.add_credit_grant(5)
    claim = await tk.credits.claim_grants()
    assert (claim.claimed, claim.credits, claim.balance) == (2, 30, 130)
    again = await tk.credits.claim_grants()
    assert (again.claimed, again.balance) == (0, 130)


async def test_statement_sums_the_history_per_month(tk: Talkturo, spec_fake: FakeTalkturo) -> None:
    """The statement's period opens at the first balance and closes at the last."""
    await tk.credits.deduct(spec_fake.account_id, 10)
    spec_fake.state.add_credit_grant(4)
    await tk.credits.claim_grants()
    [period] = await tk.credits.statement()
    assert (period.opening_balance, period.closing_balance) == (100, 94)
    assert (period.credits_used, period.credits_added) == (10, 4)


# -- API keys and credentials -----------------------------------------------------------------


async def test_api_key_lifecycle_with_a_jwt(admin: Talkturo, spec_fake: FakeTalkturo) -> None:
    """A created key works until disabled, again once re-enabled, and never after revoking."""
    created = await admin.api_keys.create(
        spec_fake.account_slug, "CI", environment="test", scopes=["credits:read"]
    )
    assert created.full_key and created.full_key.startswith("tk_test_")
    assert created.full_key not in repr(created)
    assert created.permissions and created.permissions.scopes == ["credits:read"]
    [listed] = await admin.api_keys.list(spec_fake.account_slug)
    assert listed.id == created.id and "full_key" not in listed.extra
    assert listed.key_prefix and created.full_key.startswith(listed.key_prefix)

    async with Talkturo(api_key=created.full_key, base_url=spec_fake.base_url) as ci:
        assert (await ci.credits.get_balance()).credits == 100
        with pytest.raises(PermissionDeniedError):  # its scope is credits:read only
            await ci.credits.deduct(spec_fake.account_id, 1)
        assert created.id is not None
        disabled = await admin.api_keys.update(created.id, is_active=False, name="CI old")
        assert (disabled.is_active, disabled.name) == (False, "CI old")
        with pytest.raises(AuthenticationError):
            await ci.credits.get_balance()
        await admin.api_keys.update(created.id, is_active=True)
        assert (await ci.credits.get_balance()).credits == 100
        await admin.api_keys.revoke(created.id)
        with pytest.raises(AuthenticationError):
            await ci.credits.get_balance()
    assert await admin.api_keys.list(spec_fake.account_slug) == []


async def test_api_key_routes_with_an_api_key_say_a_jwt_is_needed(tk: Talkturo) -> None:
    """The 401 an API key gets on key administration says to build the client with jwt=."""
    with pytest.raises(AuthenticationError, match=r"needs a JWT.*jwt=") as info:
        await tk.api_keys.list("acme")
    assert info.value.status_code == 401


async def test_api_key_routes_refuse_a_session_cookie(spec_fake: FakeTalkturo) -> None:
    """A session token is not a JWT either: 401 with the same advice."""
    async with Talkturo(
        session_token=spec_fake.session_token, base_url=spec_fake.base_url
    ) as client:
        with pytest.raises(AuthenticationError, match="jwt="):
            await client.api_keys.create(spec_fake.account_slug, "x")


async def test_api_key_errors_with_a_jwt_keep_the_server_message(
    admin: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """Unknown ids are 404, another account 403 (server's message), bad values ValueError."""
    with pytest.raises(NotFoundError):
        await admin.api_keys.update("3f0e0f0e-0000-4000-8000-000000000000", name="x")
    with pytest.raises(NotFoundError):
        await admin.api_keys.revoke("3f0e0f0e-0000-4000-8000-000000000000")
    with pytest.raises(PermissionDeniedError, match="may not access that account"):
        await admin.api_keys.list("other-account")
    with pytest.raises(ValueError, match="at least one"):
        await admin.api_keys.update("some-id")
    with pytest.raises(ValueError, match="environment"):
        await admin.api_keys.create(spec_fake.account_slug, "x", environment="prod")  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match="environment"):
        await admin.request(
            "POST",
            "api-keys",
            json={"accountSlug": spec_fake.account_slug, "name": "x", "environment": "prod"},
        )


async def test_expired_key_no_longer_authenticates(
    admin: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """A key whose expires_at has passed is refused with 401."""
    created = await admin.api_keys.create(spec_fake.account_slug, "short", expires_in_days=1)
    assert created.expires_at is not None and created.full_key and created.id
    spec_fake.state.store.api_keys[created.id]["expires_at"] = "2000-01-01T00:00:00.000Z"
    async with Talkturo(api_key=created.full_key, base_url=spec_fake.base_url) as client:
        with pytest.raises(AuthenticationError):
            await client.credits.get_balance()


async def test_credentials_are_sent_the_spec_way(spec_fake: FakeTalkturo) -> None:
    """A JWT goes as the bearer, a session token as the sb-access-token cookie; both work."""
    async with Talkturo(jwt=spec_fake.jwt, base_url=spec_fake.base_url) as by_jwt:
        assert (await by_jwt.credits.get_balance()).credits == 100
    async with Talkturo(
        session_token=spec_fake.session_token, base_url=spec_fake.base_url
    ) as by_session:
        assert (await by_session.credits.get_balance()).credits == 100
    async with Talkturo(session_token="sess_wrong", base_url=spec_fake.base_url) as wrong:
        with pytest.raises(AuthenticationError):
            await wrong.credits.get_balance()
    logged = {name.lower() for r in spec_fake.requests for name in r.headers}
    assert "user-agent" in logged
    assert not logged & {"cookie", "authorization"}


async def test_jwt_and_session_token_stay_out_of_debug_logs(
    spec_fake: FakeTalkturo, caplog: pytest.LogCaptureFixture
) -> None:
    """At DEBUG the request log shows the headers with the JWT and the cookie redacted."""
    caplog.set_level(logging.DEBUG, logger="talkturo_async")
    async with Talkturo(jwt=spec_fake.jwt, base_url=spec_fake.base_url) as by_jwt:
        await by_jwt.credits.get_balance()
    async with Talkturo(
        session_token=spec_fake.session_token, base_url=spec_fake.base_url
    ) as by_session:
        await by_session.credits.get_balance()
    assert "GET" in caplog.text and "<redacted>" in caplog.text
    assert spec_fake.jwt not in caplog.text and spec_fake.session_token not in caplog.text


def test_exactly_one_credential_and_none_is_quoted() -> None:
    """Two credentials, or a malformed JWT/session token, are refused without quoting them."""
    with pytest.raises(ValueError, match="api_key and jwt") as info:
        Talkturo(api_key="tk_test_abc", jwt="eyJhbGciOi.x.y")
    assert "eyJhbGciOi" not in str(info.value)
    with pytest.raises(ValueError, match="jwt holds white space") as info:
        Talkturo(jwt="eyJ secret")
    assert "secret" not in str(info.value)
    with pytest.raises(ValueError, match="session_token"):
        Talkturo(session_token="a;b")
    client = Talkturo(jwt="eyJhbGciOi.payload.sig")  # no tk_ prefix check for a JWT
    assert "eyJ" not in repr(client)
    assert "eyJ" not in repr(client._auth)  # pyright: ignore[reportPrivateUsage] - the credential


def test_jwt_overrides_the_environment_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """With TALKTURO_API_KEY set, jwt= alone is not 'two credentials'."""
    monkeypatch.setenv("TALKTURO_API_KEY", "tk_test_from_env")
    client = Talkturo(jwt="eyJ.a.b")
    assert client._auth.kind == "jwt"  # pyright: ignore[reportPrivateUsage] - the credential chosen


# -- knowledge base ---------------------------------------------------------------------------


async def test_knowledge_base_upload_list_estimate_delete(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """An uploaded file is listed (processing, then processed), estimated and deleted."""
    bot = _assistant(spec_fake)
    uploaded = await tk.knowledge_base.upload(bot, b"%PDF-1.4 hello" * 1000, filename="faq.pdf")
    assert (uploaded.filename, uploaded.size, uploaded.type) == (
        "faq.pdf",
        14000,
        "application/pdf",
    )
    assert uploaded.status == "processing"
    [first] = await tk.knowledge_base.list(bot)
    assert first.id == uploaded.id
    [second] = await tk.knowledge_base.list(bot)
    assert second.status == "processed"
    estimate = await tk.knowledge_base.billing_estimate(bot)
    assert (estimate.file_count, estimate.total_bytes) == (1, 14000)
    assert estimate.estimated_credits == pytest.approx(0.028)
    assert uploaded.id is not None
    await tk.knowledge_base.delete(bot, uploaded.id)
    assert await tk.knowledge_base.list(bot) == []
    with pytest.raises(NotFoundError):
        await tk.knowledge_base.delete(bot, uploaded.id)


async def test_knowledge_base_unknown_assistant_is_404(tk: Talkturo) -> None:
    """Every knowledge-base route answers 404 for an assistant that does not exist."""
    with pytest.raises(NotFoundError):
        await tk.knowledge_base.list("asst_missing")
    with pytest.raises(NotFoundError):
        await tk.knowledge_base.upload("asst_missing", b"x", filename="a.txt")
    with pytest.raises(NotFoundError):
        await tk.knowledge_base.billing_estimate("asst_missing")


async def test_upload_without_a_file_part_is_400(tk: Talkturo, spec_fake: FakeTalkturo) -> None:
    """A POST without the multipart ``file`` field is refused."""
    bot = _assistant(spec_fake)
    with pytest.raises(BadRequestError, match="file is required"):
        await tk.request("POST", f"assistants/{bot}/knowledge-base")


async def test_knowledge_base_query_passes_parameters_through(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """query sends the deployment's parameters as given and returns the body."""
    bot = _assistant(spec_fake)
    await tk.knowledge_base.upload(bot, b"refunds within 30 days", filename="Refunds.md")
    await tk.knowledge_base.upload(bot, b"shipping", filename="shipping.md")
    answer = await tk.knowledge_base.query({"q": "refund"})
    assert [r["filename"] for r in answer["results"]] == ["Refunds.md"]
    assert spec_fake.requests[-1].query == {"q": "refund"}
