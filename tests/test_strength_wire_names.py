# pyright: reportPrivateUsage=false
"""Field-name spelling (``camel``/``snake``) is memoised, and the memo is bounded (issue #15).

Every body and query converts its field names, so each spelling is worked out once. Names can
come from data (a mapping's keys), so the memo must stop growing, and a name past the bound must
still be spelt right.
"""

from __future__ import annotations

from talkturo_async import _wire
from talkturo_async._contact_rows import ContactInput, contact_row


def test_camel_and_snake_give_the_same_answer_from_the_memo_as_the_first_time() -> None:
    _wire._camel_names.clear()  # the first time is worked out, not found in the memo
    _wire._snake_names.clear()
    for _ in range(2):
        assert _wire.camel("from_number_ids") == "fromNumberIds"
        assert _wire.camel("address_line1") == "addressLine1"
        assert _wire.camel("plain") == "plain"
        assert _wire.snake("firstName") == "first_name"
        assert _wire.snake("first_name") == "first_name"
        assert _wire.snake("addressLine1") == "address_line1"


def test_the_memos_stop_growing_and_names_past_the_bound_are_still_spelt_right() -> None:
    names = [f"name{i}_field" for i in range(_wire._NAMES_KEPT + 500)]
    spelt = [_wire.camel(name) for name in names]
    back = [_wire.snake(name) for name in spelt]
    assert len(_wire._camel_names) <= _wire._NAMES_KEPT
    assert len(_wire._snake_names) <= _wire._NAMES_KEPT
    assert spelt[-1] == f"name{_wire._NAMES_KEPT + 499}Field"
    assert back == names
    # Past the bound, a name is worked out each time (and the answer stays right).
    assert _wire.camel(names[-1]) == spelt[-1]
    assert names[-1] not in _wire._camel_names


def test_a_contact_input_and_the_same_mapping_give_the_same_body() -> None:
    fields = {
        "team_id": "team_1",
        "company_id": "co_1",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": " ada@example.com ",
        "phone": "+1 (415) 555-0100",
        "tags": ["vip"],
        "campaign_priority": 3,
    }
    body = contact_row(ContactInput(**fields))  # type: ignore[arg-type]
    assert body == contact_row(fields)
    assert body == {
        "teamId": "team_1",
        "companyId": "co_1",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": "ada@example.com",
        "phone": "+14155550100",
        "tags": ["vip"],
        "campaignPriority": 3,
    }
