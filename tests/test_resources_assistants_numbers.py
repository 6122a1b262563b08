"""tk.auth, tk.assistants and tk.phone_numbers against FakeTalkturo over loopback."""

from __future__ import annotations

import pytest

from talkturo_async import (
    Assistant,
    AuthCheck,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    NumberSearchResult,
    PhoneNumber,
    Talkturo,
    UsageStats,
)
from talkturo_async.testing import FakeTalkturo
from tests.conftest import as_dict


async def test_auth_test(fake: FakeTalkturo, tk: Talkturo) -> None:
    """auth.test() returns AuthCheck; a bad key raises AuthenticationError."""
    check = await tk.auth.test()
    assert (
        isinstance(check, AuthCheck)
        and check.success is True
        and check.message == "Authentication succeeded"
    )
    async with Talkturo(api_key="tk_test_wrong", base_url=fake.base_url) as bad:
        with pytest.raises(AuthenticationError):
            await bad.auth.test()


async def test_assistant_lifecycle(fake: FakeTalkturo, tk: Talkturo) -> None:
    """create, get, update (snake_case fields), clone, usage_stats, delete."""
    bot = await tk.assistants.create(
        name="Setter", account_slug=fake.account_slug, template_id="outbound-setter"
    )
    assert (
        isinstance(bot, Assistant) and bot.type == "outbound-setter" and bot.id in fake.assistants
    )
    assert fake.requests[-1].body == {
        "accountSlug": fake.account_slug,
        "name": "Setter",
        "templateId": "outbound-setter",
    }
    assert (await tk.assistants.get(bot.id)).name == "Setter"
    updated = await tk.assistants.update(
        bot.id, first_message="Hi, this is Alex from Acme.", voice_id="v9"
    )
    assert updated.first_message == "Hi, this is Alex from Acme." and updated.voice_id == "v9"
    assert fake.requests[-1].body == {
        "first_message": "Hi, this is Alex from Acme.",
        "voice_id": "v9",
    }
    await tk.assistants.update(bot.id, account_slug=fake.account_slug, temperature=0.3)
    assert fake.requests[-1].body == {"temperature": 0.3, "accountSlug": fake.account_slug}
    with pytest.raises(BadRequestError) as info:
        await tk.assistants.update(bot.id, transcriptor_options={"provider": "nobody"})
    assert info.value.message == "invalid_transcriptor_options" and info.value.issues
    copy = await tk.assistants.clone(bot.id, new_name="Setter B")
    assert copy.name == "Setter B" and copy.id != bot.id
    assert fake.requests[-1].body == {"newName": "Setter B"}
    await tk.assistants.clone(bot.id)
    assert fake.requests[-1].body == {}
    stats = await tk.assistants.usage_stats(bot.id, account_id=fake.account_id, period=7)
    assert isinstance(stats, UsageStats) and stats.total_calls == 0
    assert fake.requests[-1].query == {"accountId": fake.account_id, "period": "7"}
    await tk.assistants.delete(bot.id)
    with pytest.raises(NotFoundError):
        await tk.assistants.get(bot.id)


async def test_numbers_search_purchase_assign(fake: FakeTalkturo, tk: Talkturo) -> None:
    """search → purchase → get (active) → list → assign → list_phone_numbers → release."""
    found = await tk.phone_numbers.search(country_code="US", area_code="415", limit=5)
    assert isinstance(found, NumberSearchResult) and found.count == 5 and found.provider == "telnyx"
    assert found.numbers[0].phone_number and found.numbers[0].phone_number.startswith("+1415")
    assert found.numbers[0].monthly_price == "1.00"
    assert fake.requests[-1].body == {
        "filters": {"countryCode": "US", "areaCode": "415", "limit": 5}
    }
    number = await tk.phone_numbers.purchase(
        phone_number=found.numbers[0].phone_number, team_id=fake.team_id
    )
    assert number.id is not None and number.phone_number is not None
    assert isinstance(number, PhoneNumber) and number.status == "purchasing"
    assert number.eligibility is not None and "maxAllowed" in number.eligibility
    assert (await tk.phone_numbers.get(number.id)).status == "active"
    assert [n.id async for n in tk.phone_numbers.list(team_id=fake.team_id)] == [number.id]
    with pytest.raises(ConflictError):
        await tk.phone_numbers.purchase(phone_number=number.phone_number, team_id=fake.team_id)

    bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
    assert bot.id is not None
    await tk.assistants.assign_phone_numbers(bot.id, [number.id], account_slug=fake.account_slug)
    assert fake.phone_numbers[number.id]["assistant_id"] == bot.id
    usable = await tk.assistants.list_phone_numbers(
        bot.id, account_slug=fake.account_slug
    ).to_list()
    assert [n.id for n in usable] == [number.id]
    with pytest.raises(ValueError, match="phone_number_ids is required"):
        await tk.assistants.assign_phone_numbers(bot.id, [], account_slug=fake.account_slug)
    await tk.phone_numbers.release(number.id, account_slug=fake.account_slug)
    assert fake.requests[-1].query == {"account": fake.account_slug}
    assert fake.phone_numbers == {}


async def test_purchase_without_balance(fake: FakeTalkturo, tk: Talkturo) -> None:
    """A 402 purchase raises InsufficientCreditsError with balance/required in body."""
    fake.credits = 0.2
    with pytest.raises(InsufficientCreditsError) as info:
        await tk.phone_numbers.purchase(phone_number="+14155550101", team_id=fake.team_id)
    assert as_dict(info.value.body)["required"] == 1.0


async def test_release_without_slug_sends_no_query(fake: FakeTalkturo, tk: Talkturo) -> None:
    """release() without account_slug sends no query string."""
    found = await tk.phone_numbers.search(country_code="US", limit=1)
    number = await tk.phone_numbers.purchase(
        phone_number=found.numbers[0].phone_number or "", team_id=fake.team_id
    )
    await tk.phone_numbers.release(number.id or "")
    assert fake.requests[-1].query == {}
