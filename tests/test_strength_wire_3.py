"""What the wire layer says when a body cannot be sent or an answer cannot be used (issue #17).

``encode_json`` names the place in a body that JSON cannot hold; ``invalid_answer`` turns a 2xx
answer the call cannot use into a bounded ``ResponseValidationError``. Both were added in wave 2
and were reached by no test in ``_wire``'s mutation selection; these pin their messages and what
the error carries.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from yarl import URL

from talkturo_async import APIError, Response, ResponseValidationError
from talkturo_async._wire import decode_response, encode_json, invalid_answer, join_under

NAN = float("nan")
INF = float("inf")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (NAN, "json body is NaN; JSON has no NaN (send None or leave it out)"),
        ({"a": NAN}, "json body: a is NaN; JSON has no NaN (send None or leave it out)"),
        ({"x": INF}, "json body: x is Infinity; JSON has no infinite numbers"),
        ({"x": [1, -INF]}, "json body: x[1] is -Infinity; JSON has no infinite numbers"),
        ({1: NAN}, "json body: [1] is NaN; JSON has no NaN (send None or leave it out)"),
        ({"a b": NAN}, "json body: ['a b'] is NaN; JSON has no NaN (send None or leave it out)"),
        ({1.5: NAN}, "json body: [1.5] is NaN; JSON has no NaN (send None or leave it out)"),
        ({NAN: 1}, "json body has the key nan, which JSON cannot hold"),
        ({"k": {INF: 1}}, "json body: k has the key inf, which JSON cannot hold"),
    ],
)
def test_a_number_json_cannot_hold_is_named_by_its_place(body: Any, message: str) -> None:
    with pytest.raises(ValueError, match="json body") as caught:
        encode_json(body)
    assert str(caught.value) == message


def test_a_container_that_holds_itself_is_named() -> None:
    looped: dict[str, Any] = {"name": "x"}
    looped["self"] = looped
    with pytest.raises(ValueError, match="circular") as caught:
        encode_json({"outer": looped})
    assert str(caught.value) == (
        "json body: outer.self is a container that holds it (a circular reference)"
    )


def test_a_container_met_twice_is_not_a_loop() -> None:
    """The same list under two keys is fine; the walk goes on to the real fault after them."""
    shared = [1, 2]
    with pytest.raises(ValueError, match="NaN") as caught:
        encode_json({"a": shared, "b": shared, "c": {"d": shared, "e": NAN}})
    assert str(caught.value).startswith("json body: c.e is NaN")
    assert encode_json({"a": shared, "b": shared}) == b'{"a":[1,2],"b":[1,2]}'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"b": b"x"},
            "json body: b is of type bytes, which JSON cannot encode (send a str, number, bool, "
            "None, list or dict)",
        ),
        ({(1, 2): 1}, "json body has a key of type tuple; use str keys"),
    ],
)
def test_a_value_or_key_json_cannot_hold_is_named(body: Any, message: str) -> None:
    with pytest.raises(TypeError, match="json body") as caught:
        encode_json(body)
    assert str(caught.value) == message


def test_dates_sets_and_tuples_are_sent_as_json_has_them() -> None:
    body = {
        "d": date(2025, 1, 2),
        "t": datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "s": {3},
        "f": frozenset({4}),
        "p": (1, "2"),
    }
    assert encode_json(body) == (
        b'{"d":"2025-01-02","t":"2025-01-02T03:04:05+00:00","s":[3],"f":[4],"p":[1,"2"]}'
    )
    assert encode_json({"name": "Zoë"}) == '{"name":"Zoë"}'.encode()  # UTF-8, not \\u escapes


def _answer(body: bytes, **headers: str) -> Response:
    return Response(status=200, headers={"content-type": "application/json", **headers}, body=body)


def _invalid(response: Response, problem: BaseException) -> ResponseValidationError:
    return invalid_answer(response, problem, method="GET", url="https://api.example/x")


def test_an_unusable_answer_says_why_and_carries_the_call() -> None:
    err = _invalid(_answer(b'{"ok": 1}', **{"x-request-id": "req_7"}), ValueError("no id"))
    assert err.message == "unexpected answer: no id"
    assert (err.status_code, err.method, err.url) == (200, "GET", "https://api.example/x")
    assert err.request_id == "req_7"
    assert err.headers is not None and err.headers["x-request-id"] == "req_7"
    assert err.body == '{"ok": 1}'


def test_the_reason_of_a_nested_or_a_silent_failure() -> None:
    deep = _invalid(_answer(b"[[[[]]]]"), RecursionError("maximum recursion depth exceeded"))
    assert deep.message == "unexpected answer: the answer is nested too deeply"
    silent = _invalid(_answer(b"{}"), KeyError())
    assert silent.message == "unexpected answer: KeyError"


def test_a_long_reason_is_cut_at_300_characters() -> None:
    cut = _invalid(_answer(b"{}"), ValueError("r" * 301))
    assert cut.message == "unexpected answer: " + "r" * 300 + "…"
    whole = _invalid(_answer(b"{}"), ValueError("w" * 300))
    assert whole.message == "unexpected answer: " + "w" * 300


def test_the_excerpt_of_a_body_that_is_not_utf8_is_readable() -> None:
    err = _invalid(_answer(b'\xff\xfe{"a": 1}'), ValueError("bad"))
    assert err.body == '\ufffd\ufffd{"a": 1}'


def test_an_answer_nested_too_deeply_is_refused_on_a_success_only() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(ResponseValidationError) as caught:
        decode_response(Response(status=200, headers={}, body=deep), method="GET", url="u")
    assert caught.value.message == (
        "unexpected answer: the answer is JSON nested too deeply to read"
    )
    # A 300 is not a success: its body is only read for a message, so depth is no error there.
    with pytest.raises(APIError) as redirect:
        decode_response(Response(status=300, headers={}, body=deep), method="GET", url="u")
    assert not isinstance(redirect.value, ResponseValidationError)
    assert redirect.value.status_code == 300


def test_a_path_is_joined_under_a_base_path_with_or_without_its_slash() -> None:
    base = URL("https://api.example/api/v1/")
    for path in ("/campaigns/c1", "campaigns/c1"):
        assert str(join_under(base, path)) == "https://api.example/api/v1/campaigns/c1"
    assert str(join_under(base, "/")) == "https://api.example/api/v1/"
