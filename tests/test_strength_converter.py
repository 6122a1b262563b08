# pyright: reportPrivateUsage=false
"""The converter's tolerances, pinned one by one (issue #17: mutation testing of _converter.py).

``structure(data, cls)`` is the pure core that turns decoded JSON into models, so it is tested
directly, with the public models as targets.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from talkturo_async import Assistant, Campaign, CampaignContact, Contact, UsageStats
from talkturo_async._converter import _MISS, _paths_of, structure
from talkturo_async.models import Model

UTC = timezone.utc


def contact(**payload: Any) -> Contact:
    """A contact from ``payload``, with an id unless the test sends its own."""
    return structure({"id": "ct_1", **payload}, Contact)


def test_both_spellings_first_non_null_wins_and_later_keys_survive() -> None:
    """With team_id and teamId both sent, the first non-null wins and the keys after it still count."""
    c = contact(team_id="first", teamId="second", email="a@example.com")
    assert (c.team_id, c.email, c.extra) == ("first", "a@example.com", {})
    c = contact(teamId="camel", team_id="snake", phone="+1555")
    assert (c.team_id, c.phone) == ("camel", "+1555")


def test_a_null_spelling_gives_way_to_a_later_value() -> None:
    """team_id: null followed by teamId: "t" reads "t"; the null never hides the value."""
    assert contact(team_id=None, teamId="t").team_id == "t"
    assert contact(teamId="t", team_id=None).team_id == "t"


def test_a_null_value_does_not_stop_the_keys_after_it() -> None:
    """A null field is None and every key after it is still read."""
    c = contact(email=None, phone="+1555", first_name="Maya")
    assert (c.email, c.phone, c.first_name) == (None, "+1555", "Maya")


def test_a_bad_value_does_not_stop_the_keys_after_it() -> None:
    """A value kept in extra (under the key as sent) leaves every later key read."""
    c = contact(doNotCall="maybe", phone="+1555", lastName="Lee")
    assert c.do_not_call is None
    assert c.extra == {"doNotCall": "maybe"}
    assert (c.phone, c.last_name) == ("+1555", "Lee")


def test_a_key_named_extra_is_data_not_the_extra_bag() -> None:
    """A response key literally called "extra" is kept inside extra, never replaces the bag."""
    c = contact(id="ct_1", extra={"a": 1}, loyalty="gold")
    assert c.extra == {"extra": {"a": 1}, "loyalty": "gold"}


def test_epoch_numbers_are_aware_utc_datetimes() -> None:
    """An epoch int or float timestamp becomes an aware UTC datetime, never a naive local one."""
    c = contact(created_at=1_700_000_000, updated_at=1_700_000_000.5)
    assert c.created_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert isinstance(c.created_at, datetime)
    assert c.created_at.utcoffset() == timedelta(0)
    assert c.updated_at == datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)


def test_a_boolean_is_not_an_epoch() -> None:
    """true sent for a timestamp is not 1970-01-01: it is kept as the string it is."""
    assert contact(created_at=True).created_at == "True"


def test_datetimes_passed_in_keep_or_gain_a_zone() -> None:
    """An aware datetime is kept as is; a naive one is taken as UTC."""
    aware = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    c = contact(created_at=aware, updated_at=datetime(2024, 1, 2, 3, 4, 5))
    assert c.created_at == aware
    assert isinstance(c.created_at, datetime)
    assert c.created_at.utcoffset() == timedelta(hours=2)
    assert c.updated_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_unparseable_timestamps_stay_as_their_text() -> None:
    """A timestamp that is not ISO-8601 is kept as its text, whatever its JSON type."""
    c = contact(created_at="soon", updated_at=["x"])
    assert c.created_at == "soon"
    assert c.updated_at == "['x']"


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        (0.0, False),
        ("true", True),
        ("false", False),
        (" TRUE ", True),
        ("False", False),
        ("1", True),
        ("0", False),
        (" 1 ", True),
    ],
)
def test_boolean_spellings(sent: object, read: bool) -> None:
    """Booleans arrive as JSON booleans, 0/1 or strings; each spelling reads the same way."""
    c = contact(do_not_call=sent)
    assert c.do_not_call is read
    assert c.extra == {}


@pytest.mark.parametrize("sent", [2, -1, 0.5, "yes", "", "2", [], {}])
def test_values_that_are_not_booleans_go_to_extra(sent: object) -> None:
    """Anything else sent for a boolean is kept in extra and the field stays None."""
    c = contact(do_not_call=sent)
    assert c.do_not_call is None
    assert c.extra == {"do_not_call": sent}


@pytest.mark.parametrize(("sent", "read"), [("x", "x"), (42, "42"), (1.5, "1.5"), ("", "")])
def test_string_fields_take_text_and_numbers(sent: object, read: str) -> None:
    """A string field takes text, and numbers (prices) as their text."""
    c = contact(phone=sent)
    assert c.phone == read
    assert c.extra == {}


@pytest.mark.parametrize("sent", [True, False, {"x": 1}, [1]])
def test_string_fields_refuse_booleans_and_containers(sent: object) -> None:
    """A boolean, object or array sent for a string field goes to extra, not str(value)."""
    c = contact(phone=sent)
    assert c.phone is None
    assert c.extra == {"phone": sent}


def test_several_bad_fields_each_go_to_extra_under_their_key() -> None:
    """Each misfit is kept under the key it came with; fitting fields are all read."""
    a = structure(
        {"id": "as_1", "recordingEnabled": "often", "inbound_enabled": 1, "name": ["n"]},
        Assistant,
    )
    assert a.id == "as_1"
    assert (a.recording_enabled, a.inbound_enabled, a.name) == (None, True, None)
    assert a.extra == {"recordingEnabled": "often", "name": ["n"]}


def test_nested_models_and_lists_of_models() -> None:
    """Nested objects become models by the same rule, inside lists too."""
    camp = structure(
        {
            "id": "camp_1",
            "campaignContacts": [
                {"id": "cc_1", "attempts": 2, "contact": {"id": "ct_1", "doNotCall": "1"}},
            ],
        },
        Campaign,
    )
    assert camp.campaign_contacts is not None
    (cc,) = camp.campaign_contacts
    assert isinstance(cc, CampaignContact)
    assert (cc.id, cc.attempts) == ("cc_1", 2)
    assert isinstance(cc.contact, Contact)
    assert (cc.contact.id, cc.contact.do_not_call) == ("ct_1", True)


def test_a_list_of_models_at_top_level() -> None:
    """A JSON array structures into a list of models, order kept."""
    got = structure([{"id": "a"}, {"id": "b", "teamId": "t"}], list[Contact])
    assert [(c.id, c.team_id) for c in got] == [("a", None), ("b", "t")]


def test_a_non_object_for_a_model_is_a_clear_error() -> None:
    """A string or array where a model is expected raises ValueError naming both types."""
    with pytest.raises(ValueError, match="expected a JSON object for Contact, got str"):
        structure("ct_1", Contact)
    with pytest.raises(ValueError, match="expected a JSON object for Contact, got list"):
        structure([], Contact)


def test_a_nested_non_object_is_kept_in_extra() -> None:
    """A nested model sent as a bare id is kept in extra; the outer model survives."""
    cc = structure({"id": "cc_1", "contact": "ct_1"}, CampaignContact)
    assert (cc.id, cc.contact) == ("cc_1", None)
    assert cc.extra == {"contact": "ct_1"}


def test_a_model_instance_passes_through_unchanged() -> None:
    """Structuring an already-built model returns that very object."""
    c = contact(id="ct_1")
    assert structure(c, Contact) is c


def test_why_a_value_went_to_extra_is_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    """Each value kept in extra leaves a DEBUG line naming the model, the key and the reason."""
    with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
        contact(doNotCall="maybe", phone={"x": 1})
    messages = [r.getMessage() for r in caplog.records if r.name == "talkturo_async"]
    assert len(messages) == 2
    assert all("Contact" in m for m in messages)
    assert "doNotCall" in messages[0] and "not a boolean: 'maybe'" in messages[0]
    assert "phone" in messages[1] and "not a string: dict" in messages[1]


# -- required ids (issue #10) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({}, "Contact record has no 'id'"),
        ({"firstName": "Maya"}, "Contact record has no 'id'"),
        ({"id": None}, "Contact record has no 'id'"),
        ({"id": None, "teamId": "t"}, "Contact record has no 'id'"),
        ({"id": ""}, "Contact record has no usable 'id' (it is empty)"),
        ({"id": 1.5}, "Contact record has no usable 'id' (expected a string, got float)"),
        ({"id": True}, "Contact record has no usable 'id' (expected a string, got bool)"),
        ({"id": ["ct_1"]}, "Contact record has no usable 'id' (expected a string, got list)"),
        ({"id": {"v": 1}}, "Contact record has no usable 'id' (expected a string, got dict)"),
    ],
)
def test_a_record_without_a_usable_id_is_refused(record: dict[str, Any], words: str) -> None:
    """An entity's id is required: missing, null, empty or not text raises naming model and key."""
    with pytest.raises(ValueError, match="Contact record has no") as info:
        structure(record, Contact)
    assert str(info.value) == words


def test_an_integer_id_is_kept_as_text_and_a_string_id_as_sent() -> None:
    """A numeric id becomes its decimal text; a string id is the very string sent."""
    assert structure({"id": 42}, Contact).id == "42"
    assert structure({"id": 0}, Contact).id == "0"
    assert structure({"id": " ct 1 "}, Contact).id == " ct 1 "


def test_the_fast_path_leaves_a_doubtful_id_to_the_tolerant_path() -> None:
    """The generated code takes a non-empty string id; anything else goes to the tolerant path."""
    paths = _paths_of(Contact)
    assert paths.fast({"id": "ct_1", "email": "a@example.com"}).email == "a@example.com"
    assert paths.fast({"id": "ct_1", "teamId": "t"}).team_id == "t"
    for record in ({}, {"id": None}, {"id": ""}, {"id": 7}, {"teamId": "t"}, {"id": ["x"]}):
        assert paths.fast(record) is _MISS, record


def test_a_nested_entity_without_an_id_is_kept_in_extra() -> None:
    """Inside another record, an id-less entity does not sink the answer: it is kept in extra."""
    cc = structure({"id": "cc_1", "contact": {"firstName": "Maya"}}, CampaignContact)
    assert (cc.id, cc.contact) == ("cc_1", None)
    assert cc.extra == {"contact": {"firstName": "Maya"}}
    camp = structure({"id": "c1", "campaignContacts": [{"contact": {"id": None}}]}, Campaign)
    assert camp.campaign_contacts is not None
    assert camp.campaign_contacts[0].contact is None


def test_models_without_an_entity_id_stay_all_optional() -> None:
    """A model that is not an entity (usage stats, a campaign enrolment) needs no id."""
    assert structure({}, CampaignContact).id is None
    assert structure({"totalCalls": 3}, UsageStats).total_calls == 3.0


# -- whole numbers are never truncated -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "read"),
    [(3, 3), (0, 0), (-2, -2), (7.0, 7), ("12", 12), (" 12 ", 12)],
)
def test_whole_numbers_are_read(sent: object, read: int) -> None:
    """An int field takes ints, whole floats and numeric text, as ints."""
    c = structure({"id": "cc_1", "attempts": sent}, CampaignContact)
    assert c.attempts == read and type(c.attempts) is int
    assert c.extra == {}


@pytest.mark.parametrize("sent", [12.7, -0.5, True, False, "12.7", "x", [1], {"n": 1}])
def test_a_fraction_or_a_boolean_is_not_a_whole_number(sent: object) -> None:
    """12.7 is never truncated to 12, nor True read as 1: the value is kept in extra as sent."""
    c = structure({"id": "cc_1", "attempts": sent}, CampaignContact)
    assert c.attempts is None
    assert c.extra == {"attempts": sent}


def test_total_calls_is_a_number() -> None:
    """UsageStats.total_calls keeps a fraction (the spec says number)."""
    assert structure({"totalCalls": 12.7}, UsageStats).total_calls == 12.7


# -- lists name the item that fails ----------------------------------------------------------------


def test_a_list_names_the_item_that_fails() -> None:
    """The first item that cannot be a record is named by its index, after the given path."""
    good = {"id": "a"}
    with pytest.raises(ValueError, match="contacts") as info:
        structure([good, good, good, "ct_4", {}], list[Contact], path="contacts")
    assert str(info.value) == "contacts[3]: expected a JSON object for Contact, got str"
    with pytest.raises(ValueError, match="contacts") as info:
        structure([good, {"id": None}], list[Contact], path="contacts")
    assert str(info.value) == "contacts[1]: Contact record has no 'id'"
    with pytest.raises(ValueError, match="no 'id'") as info:
        structure([{}], list[Contact])
    assert str(info.value) == "[0]: Contact record has no 'id'"


@pytest.mark.parametrize(("sent", "kind"), [({"a": 1}, "dict"), ("x", "str"), (None, "NoneType")])
def test_a_list_type_needs_an_array(sent: object, kind: str) -> None:
    """Something other than an array where a list of records is expected raises, naming both."""
    with pytest.raises(ValueError, match="expected an array") as info:
        structure(sent, list[Contact], path="contacts")
    assert str(info.value) == f"contacts: expected an array of Contact records, got {kind}"


def test_a_good_list_keeps_its_order_and_types() -> None:
    """Every item becomes its model, in order; an empty array is an empty list."""
    got = structure([{"id": "a"}, {"id": 2, "teamId": "t"}], list[Contact], path="contacts")
    assert [(c.id, c.team_id) for c in got] == [("a", None), ("2", "t")]
    assert structure([], list[Contact]) == []


@attrs.frozen(kw_only=True)
class _Numbered(Model):
    """A model with a required field that is not a string id."""

    n: int
    label: str | None = None


def test_a_required_field_of_another_type_is_checked_on_both_paths() -> None:
    """A required int is read when present, refused when missing, null or not a whole number."""
    assert (
        structure({"n": 3, "label": "x"}, _Numbered).n,
        _paths_of(_Numbered).fast({"n": 3}).n,
    ) == (3, 3)
    assert structure({"n": 4.0}, _Numbered).n == 4
    for record in ({}, {"n": None}, {"label": "x"}):
        assert _paths_of(_Numbered).fast(record) is _MISS
        with pytest.raises(ValueError, match=r"^_Numbered record has no 'n'$"):
            structure(record, _Numbered)
    with pytest.raises(ValueError, match=r"^_Numbered record has no usable 'n' \(not a whole"):
        structure({"n": 1.5}, _Numbered)


@pytest.mark.parametrize(
    ("numbers", "words"),
    [
        ([{"phone_number": "+14155550100"}, {}], "numbers[1]: AvailableNumber record has no"),
        ([{}, {"phone_number": "+14155550100"}], "numbers[0]: AvailableNumber record has no"),
        ([{"phoneNumber": "+1"}, "x"], "numbers[1]: expected a JSON object for AvailableNumber"),
    ],
)
def test_a_bad_item_in_a_list_of_records_fails_the_record_naming_it(
    numbers: list[Any], words: str
) -> None:
    """Not an empty list with the items in ``extra``: the answer fails, naming the first bad item."""
    from talkturo_async.models import NumberSearchResult

    with pytest.raises(ValueError, match="^" + re.escape(words)):
        structure({"numbers": numbers, "provider": "telnyx"}, NumberSearchResult)


def test_a_good_list_of_records_is_kept_whole() -> None:
    """Every item of a good list of records is built, in order."""
    from talkturo_async.models import NumberSearchResult

    found = structure(
        {"numbers": [{"phone_number": "+1415555010" + str(i)} for i in range(3)]},
        NumberSearchResult,
    )
    assert [n.phone_number for n in found.numbers] == [
        "+14155550100",
        "+14155550101",
        "+14155550102",
    ]
    assert found.extra == {}
