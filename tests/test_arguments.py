"""Arguments are checked at the client's boundary: a wrong one raises at once, naming it, and
nothing reaches the server (issue #10).

Every row goes through the public API against a real loopback FakeTalkturo, which records each
request it receives: a row passes only if the call raises the expected exception with the expected
words, the server saw no request, and no credential appears in the message.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from talkturo_async import RetryPolicy, Talkturo, TokenBucket, run_bulk
from talkturo_async.testing import FakeTalkturo
from talkturo_async.webhooks import MemoryDedupeStore, SQLiteDedupeStore

SECRET = "tk_test_s3cr3tvalue0123"  # a key no message may quote, not even in part
NO_RETRY = RetryPolicy(max_retries=0)
NAN, INF = math.nan, math.inf

Row = Callable[[FakeTalkturo], Awaitable[object]]


def loose(value: object) -> Any:
    """``value`` past the type checker: the rows test what happens when it is not heeded."""
    return value


async def first_call(fake: FakeTalkturo, **options: Any) -> None:
    """Build a client with ``options`` and make one GET, as a user's first call would."""
    options.setdefault("api_key", fake.api_key)
    options.setdefault("base_url", fake.base_url)
    options.setdefault("timeout", 3)
    if "max_retries" not in options:
        options.setdefault("retry_policy", NO_RETRY)
    async with Talkturo(**options) as tk:
        await tk.request("GET", "credits")


def client(**options: Any) -> Row:
    """A row: the client built with ``options`` (and then used once)."""
    return lambda fake: first_call(fake, **options)


def client_with(option: str, make: Callable[[], object]) -> Row:
    """A row: the client built with ``option=make()`` (``make`` runs inside the row)."""
    return lambda fake: first_call(fake, **{option: make()})


def view(**options: Any) -> Row:
    """A row: a view of a good client made with ``with_options(**options)``, then used once."""

    async def run(fake: FakeTalkturo) -> None:
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_RETRY, timeout=3
        ) as tk:
            await tk.with_options(**options).request("POST", "credits", json={"amount": 1})

    return run


def using(action: Callable[[Talkturo, FakeTalkturo], Awaitable[object]]) -> Row:
    """A row: ``action(tk, fake)`` on a good client."""

    async def run(fake: FakeTalkturo) -> None:
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_RETRY, timeout=3
        ) as tk:
            await action(tk, fake)

    return run


async def each(pager: Any) -> list[Any]:
    """Everything a pager yields."""
    return [item async for item in pager]


def listing(method: str, *args: Any, **kwargs: Any) -> Row:
    """A row: ``tk.<group>.<method>(*args, **kwargs)`` iterated to the end."""
    group, name = method.split(".")

    async def action(tk: Talkturo, fake: FakeTalkturo) -> object:
        team = [fake.team_id if a == "TEAM" else a for a in args]
        return await each(getattr(getattr(tk, group), name)(*team, **kwargs))

    return using(action)


def posting(body: Any) -> Row:
    """A row: ``tk.request("POST", "crm/contacts", json=body)``."""
    return using(lambda tk, fake: tk.request("POST", "crm/contacts", json=body))


async def _double(item: int) -> int:
    return item * 2


ROWS = [
    # -- credentials: str only; no white space, invisible or control characters; never quoted
    pytest.param(client(api_key=12345), TypeError, ["api_key", "str", "int"], id="key-int"),
    pytest.param(client(api_key=SECRET.encode()), TypeError, ["api_key", "bytes"], id="key-bytes"),
    pytest.param(
        client(api_key=SECRET + "\u200b"),
        ValueError,
        ["api_key", "invisible", "U+200B", "character 24"],
        id="key-zero-width-space",
    ),
    pytest.param(
        client(api_key="\ufeff" + SECRET),
        ValueError,
        ["api_key", "invisible", "U+FEFF", "character 1"],
        id="key-bom",
    ),
    pytest.param(
        client(api_key=SECRET[:8] + "\u2060" + SECRET[8:]),
        ValueError,
        ["api_key", "invisible", "U+2060"],
        id="key-word-joiner",
    ),
    pytest.param(
        client(api_key=SECRET[:8] + "\x00" + SECRET[8:]),
        ValueError,
        ["api_key", "control character", "U+0000", "character 9"],
        id="key-nul",
    ),
    pytest.param(
        client(api_key=SECRET + "\u00e9"), ValueError, ["api_key", "non-ASCII"], id="key-non-ascii"
    ),
    pytest.param(
        client(api_key=SECRET + " "), ValueError, ["api_key", "white space"], id="key-space"
    ),
    pytest.param(client(api_key=None, jwt=42), TypeError, ["jwt", "str"], id="jwt-int"),
    pytest.param(
        client(api_key=None, jwt="eyJ" + SECRET + "\u200c"),
        ValueError,
        ["jwt", "invisible", "U+200C"],
        id="jwt-zero-width-non-joiner",
    ),
    pytest.param(
        client(api_key=None, session_token=SECRET + "\u200d"),
        ValueError,
        ["session_token", "invisible", "U+200D"],
        id="session-zero-width-joiner",
    ),
    pytest.param(
        client(api_key=None, session_token=b"abc"),
        TypeError,
        ["session_token", "bytes"],
        id="session-bytes",
    ),
    pytest.param(client(check_key_prefix="no"), TypeError, ["check_key_prefix"], id="prefix-str"),
    # -- base_url
    pytest.param(client(base_url=8080), TypeError, ["base_url", "int"], id="base-url-int"),
    # -- timeouts: numbers (not bool, not str), finite, above 0, or None
    pytest.param(client(timeout="5"), TypeError, ["timeout", "'5' (str)"], id="timeout-str"),
    pytest.param(client(timeout=True), TypeError, ["timeout", "bool"], id="timeout-bool"),
    pytest.param(client(timeout=NAN), ValueError, ["timeout", "nan"], id="timeout-nan"),
    pytest.param(client(timeout=INF), ValueError, ["timeout", "finite"], id="timeout-inf"),
    pytest.param(client(timeout=0), ValueError, ["timeout", "positive"], id="timeout-zero"),
    pytest.param(client(deadline="30"), TypeError, ["deadline", "str"], id="deadline-str"),
    pytest.param(client(deadline=-1), ValueError, ["deadline", "-1"], id="deadline-negative"),
    # -- retries
    pytest.param(
        client(max_retries="3"), TypeError, ["max_retries", "'3' (str)"], id="retries-str"
    ),
    pytest.param(client(max_retries=True), TypeError, ["max_retries", "bool"], id="retries-bool"),
    pytest.param(client(max_retries=2.5), TypeError, ["max_retries", "float"], id="retries-float"),
    pytest.param(client(max_retries=-1), ValueError, ["max_retries", "-1"], id="retries-negative"),
    pytest.param(
        client(max_retries=3, retry_policy=RetryPolicy()),
        ValueError,
        ["max_retries", "retry_policy", "not both"],
        id="retries-and-policy",
    ),
    pytest.param(
        client(retry_policy="fast"), TypeError, ["retry_policy", "RetryPolicy"], id="policy-str"
    ),
    # -- pool and sizes
    pytest.param(
        client(connection_limit=-1), ValueError, ["connection_limit", "-1"], id="pool-negative"
    ),
    pytest.param(
        client(connection_limit=0),
        ValueError,
        ["connection_limit", "None for no limit"],
        id="pool-zero",
    ),
    pytest.param(
        client(connection_limit="10"), TypeError, ["connection_limit", "str"], id="pool-str"
    ),
    pytest.param(
        client(connection_limit=2.0), TypeError, ["connection_limit", "float"], id="pool-float"
    ),
    pytest.param(
        client(page_concurrency="4"), TypeError, ["page_concurrency", "str"], id="pages-str"
    ),
    pytest.param(
        client(max_response_bytes=1.5e6),
        TypeError,
        ["max_response_bytes", "float"],
        id="max-bytes-float",
    ),
    pytest.param(
        client(max_response_bytes=0), ValueError, ["max_response_bytes", "0"], id="max-bytes-zero"
    ),
    # -- default headers: str -> str, a token name, no CR/LF/NUL in a value (never quoted)
    pytest.param(
        client(default_headers={"X-Trace": "abc\r\nX-Injected: " + SECRET}),
        ValueError,
        ["default_headers", "X-Trace", "line break"],
        id="header-crlf",
    ),
    pytest.param(
        client(default_headers={"X-Trace": "abc\x00"}),
        ValueError,
        ["default_headers", "X-Trace", "U+0000"],
        id="header-nul",
    ),
    pytest.param(
        client(default_headers={"X Trace": "abc"}),
        ValueError,
        ["default_headers", "'X Trace'", "header name"],
        id="header-name-space",
    ),
    pytest.param(
        client(default_headers={"X-Count": 5}),
        TypeError,
        ["default_headers", "X-Count", "int"],
        id="header-int-value",
    ),
    pytest.param(
        client(default_headers=[("X-A", "b")]), TypeError, ["default_headers"], id="headers-list"
    ),
    pytest.param(client(rate_limit=10), TypeError, ["rate_limit", "int"], id="rate-limit-int"),
    pytest.param(client(transport=object()), TypeError, ["transport"], id="transport-object"),
    # -- with_options
    pytest.param(view(timeout="5"), TypeError, ["timeout", "str"], id="view-timeout-str"),
    pytest.param(view(deadline=NAN), ValueError, ["deadline", "nan"], id="view-deadline-nan"),
    pytest.param(view(max_retries="3"), TypeError, ["max_retries", "str"], id="view-retries-str"),
    pytest.param(
        view(max_retries=0, retry_policy=RetryPolicy(wait=False)),
        ValueError,
        ["max_retries", "retry_policy", "not both"],
        id="view-retries-and-policy",
    ),
    pytest.param(
        view(retry_policy={"max_retries": 1}),
        TypeError,
        ["retry_policy", "dict"],
        id="view-policy-dict",
    ),
    pytest.param(
        view(idempotency_key="import-1\r\nX-Evil: 1"),
        ValueError,
        ["idempotency_key", "line break"],
        id="view-idempotency-crlf",
    ),
    pytest.param(
        view(idempotency_key=17), TypeError, ["idempotency_key", "int"], id="view-idempotency-int"
    ),
    # -- RetryPolicy and TokenBucket fields
    pytest.param(
        client_with("retry_policy", lambda: RetryPolicy(max_retries=loose("3"))),
        TypeError,
        ["max_retries", "str"],
        id="policy-retries-str",
    ),
    pytest.param(
        client_with("retry_policy", lambda: RetryPolicy(initial_backoff=NAN)),
        ValueError,
        ["initial_backoff", "nan"],
        id="policy-backoff-nan",
    ),
    pytest.param(
        client_with("retry_policy", lambda: RetryPolicy(wait=loose("no"))),
        TypeError,
        ["wait", "True or False"],
        id="policy-wait-str",
    ),
    pytest.param(
        client_with("retry_policy", lambda: RetryPolicy(retry_statuses=loose([429, "503"]))),
        TypeError,
        ["retry_statuses", "'503' (str)"],
        id="policy-status-str",
    ),
    pytest.param(
        client_with("retry_policy", lambda: RetryPolicy(retry_statuses=[429, 1000])),
        ValueError,
        ["retry_statuses", "1000"],
        id="policy-status-range",
    ),
    pytest.param(
        client_with("rate_limit", lambda: TokenBucket(loose("1000"))),
        TypeError,
        ["rate", "'1000' (str)"],
        id="bucket-rate-str",
    ),
    pytest.param(
        client_with("rate_limit", lambda: TokenBucket(1000, per=NAN)),
        ValueError,
        ["per", "nan"],
        id="bucket-per-nan",
    ),
    pytest.param(
        client_with("rate_limit", lambda: TokenBucket(1000, burst=loose(2.5))),
        TypeError,
        ["burst", "float"],
        id="bucket-burst-float",
    ),
    pytest.param(
        client_with("rate_limit", lambda: TokenBucket(1000, burst=0)),
        ValueError,
        ["burst", "at least 1"],
        id="bucket-burst-zero",
    ),
    # -- paging arguments of every list method, checked in one place
    pytest.param(
        listing("campaigns.list", "TEAM", limit="50"),
        TypeError,
        ["limit must be an int, got '50' (str)"],
        id="campaigns-limit-str",
    ),
    pytest.param(
        listing("contacts.list", "TEAM", limit=2.5),
        TypeError,
        ["limit", "2.5 (float)"],
        id="contacts-limit-float",
    ),
    pytest.param(
        listing("contacts.list", "TEAM", limit=True),
        TypeError,
        ["limit", "True (bool)"],
        id="contacts-limit-bool",
    ),
    pytest.param(
        listing("contacts.list", "TEAM", offset="10"),
        TypeError,
        ["offset", "str"],
        id="contacts-offset-str",
    ),
    pytest.param(
        listing("companies.list", "TEAM", max_items=1.5),
        TypeError,
        ["max_items", "float"],
        id="companies-max-items-float",
    ),
    pytest.param(
        listing("phone_numbers.list", "TEAM", concurrency="2"),
        TypeError,
        ["concurrency", "str"],
        id="numbers-concurrency-str",
    ),
    pytest.param(
        listing("campaigns.list", "TEAM", concurrency=True),
        TypeError,
        ["concurrency", "bool"],
        id="campaigns-concurrency-bool",
    ),
    pytest.param(
        listing("opportunities.list", limit="50"),
        TypeError,
        ["limit", "str"],
        id="opportunities-limit-str",
    ),
    pytest.param(
        listing("opportunities.list", page="2"),
        TypeError,
        ["page", "str"],
        id="opportunities-page-str",
    ),
    pytest.param(
        listing("companies.list_contacts", "co_x", limit=0),
        ValueError,
        ["limit must be at least 1, got 0"],
        id="company-contacts-limit-zero",
    ),
    # -- JSON bodies: NaN/Infinity and unencodable values named by their path
    pytest.param(
        posting({"contacts": [{"score": 1}, {"score": 2}, {"score": 3}, {"score": NAN}]}),
        ValueError,
        ["json body: contacts[3].score is NaN"],
        id="body-nan",
    ),
    pytest.param(
        posting({"customFields": {"ltv": INF}}),
        ValueError,
        ["json body: customFields.ltv is Infinity"],
        id="body-infinity",
    ),
    pytest.param(
        posting({"scores": [[-INF]]}),
        ValueError,
        ["json body: scores[0][0] is -Infinity"],
        id="body-minus-infinity",
    ),
    pytest.param(
        posting({"notes": b"raw"}), TypeError, ["json body: notes", "bytes"], id="body-bytes"
    ),
    pytest.param(
        posting({"tags": {("a", "b"): 1}}),
        TypeError,
        ["json body: tags", "key of type tuple"],
        id="body-tuple-key",
    ),
    pytest.param(
        using(
            lambda tk, fake: tk.contacts.create(
                fake.team_id, "co_x", "Maya", "Chen", custom_fields={"score": NAN}
            )
        ),
        ValueError,
        ["customFields.score is NaN"],
        id="create-custom-field-nan",
    ),
    # -- bulk arguments
    pytest.param(
        using(
            lambda tk, fake: tk.contacts.import_contacts(
                [{}], fake.team_id, chunk_size=loose("500")
            )
        ),
        TypeError,
        ["chunk_size", "str"],
        id="import-chunk-size-str",
    ),
    pytest.param(
        using(
            lambda tk, fake: tk.contacts.import_contacts([{}], fake.team_id, concurrency=loose(2.0))
        ),
        TypeError,
        ["concurrency", "float"],
        id="import-concurrency-float",
    ),
    pytest.param(
        using(
            lambda tk, fake: tk.campaigns.add_contacts("camp_x", ["ct_1"], concurrency=loose("4"))
        ),
        TypeError,
        ["concurrency", "str"],
        id="enrol-concurrency-str",
    ),
    pytest.param(
        using(
            lambda tk, fake: tk.campaigns.add_contacts("camp_x", ["ct_1"], chunk_size=loose(1.5))
        ),
        TypeError,
        ["chunk_size", "float"],
        id="enrol-chunk-size-float",
    ),
    pytest.param(
        using(lambda tk, fake: tk.contacts.bulk_create([{}], concurrency=loose("16")).collect()),
        TypeError,
        ["concurrency", "str"],
        id="bulk-create-concurrency-str",
    ),
    pytest.param(
        using(lambda tk, fake: run_bulk([1], _double, concurrency=True).collect()),
        TypeError,
        ["concurrency", "bool"],
        id="run-bulk-concurrency-bool",
    ),
    pytest.param(
        using(lambda tk, fake: run_bulk([1], _double, grace=NAN).collect()),
        ValueError,
        ["grace", "nan"],
        id="run-bulk-grace-nan",
    ),
]


@pytest.mark.parametrize(("row", "exception", "words"), ROWS)
async def test_a_bad_argument_raises_at_once_naming_it_and_nothing_is_sent(
    fake: FakeTalkturo, row: Row, exception: type[Exception], words: list[str]
) -> None:
    """The call raises the right exception naming the argument; the server saw no request."""
    with pytest.raises(exception) as info:
        await row(fake)
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert fake.requests == []
    for secret in (SECRET, SECRET[8:], fake.api_key):
        assert secret not in message


async def test_a_key_from_the_environment_is_named_as_the_variable(
    fake: FakeTalkturo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zero-width space in TALKTURO_API_KEY: the message names the variable, not api_key."""
    monkeypatch.setenv("TALKTURO_API_KEY", fake.api_key + "\u200b")
    with pytest.raises(ValueError, match=r"^TALKTURO_API_KEY holds an invisible character") as info:
        Talkturo(base_url=fake.base_url)
    assert fake.api_key not in str(info.value)


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": 0.5, "deadline": 10, "max_retries": 0},
        {"timeout": None, "deadline": None, "connection_limit": None},
        {"timeout": 5, "page_concurrency": 1, "connection_limit": 1, "max_response_bytes": 4096},
        {"default_headers": {"X-Trace": "a\tb"}, "check_key_prefix": False},
    ],
)
async def test_good_arguments_still_work(fake: FakeTalkturo, options: dict[str, Any]) -> None:
    """The edges of every range are accepted, and the client then talks to the server."""
    await first_call(fake, **options)
    assert [r.path for r in fake.requests] == ["/credits"]


async def test_a_rate_below_one_gets_a_burst_of_one(fake: FakeTalkturo) -> None:
    """TokenBucket(0.5, per=1) used to refuse its own default burst (min(rate, 10) = 0.5)."""
    bucket = TokenBucket(0.5, per=1)
    assert repr(bucket) == "TokenBucket(1800/hour, burst=1)"
    await first_call(fake, rate_limit=bucket)
    assert len(fake.requests) == 1


async def test_a_pager_with_good_arguments_sends_them(fake: FakeTalkturo, tk: Talkturo) -> None:
    """limit/offset that pass the check are sent as given."""
    await each(tk.campaigns.list(fake.team_id, limit=7, offset=0, max_items=0, concurrency=1))
    assert fake.requests == []  # max_items=0 asks for nothing
    await each(tk.campaigns.list(fake.team_id, limit=7, offset=3))
    assert fake.requests[0].query["limit"] == "7"
    assert fake.requests[0].query["offset"] == "3"


# -- siblings: other public constructors that take numbers at the boundary ---------------------


def _signed(body: bytes, ts: int) -> tuple[str, dict[str, str]]:
    """A fresh Ed25519 key (base64) and the headers of ``body`` signed at Unix time ``ts``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signature = base64.b64encode(private.sign(str(ts).encode() + b"|" + body)).decode()
    headers = {"Telnyx-Signature-Ed25519": signature, "Telnyx-Timestamp": str(ts)}
    return base64.b64encode(raw).decode(), headers


def test_a_nan_webhook_tolerance_is_refused_not_a_silent_off_switch() -> None:
    """tolerance=NaN made every timestamp 'within tolerance' (a week-old replay passed)."""
    from talkturo_async import webhooks

    body = b'{"data": {"event_type": "call.initiated"}}'
    now = 1_750_000_000
    key, headers = _signed(body, now - 7 * 24 * 3600)
    with pytest.raises(webhooks.WebhookSignatureError, match="old"):
        webhooks.verify_call_event(body, headers, key, tolerance=300, now=now)
    with pytest.raises(ValueError, match=r"^tolerance must be a non-negative, finite"):
        webhooks.verify_call_event(body, headers, key, tolerance=NAN, now=now)


@pytest.mark.parametrize(
    ("options", "exception", "words"),
    [
        ({"tolerance": "300"}, TypeError, ["tolerance", "'300' (str)"]),
        ({"tolerance": -1}, ValueError, ["tolerance", "-1"]),
        ({"dedupe": True}, TypeError, ["dedupe", "bool"]),
        ({"dedupe": -5}, ValueError, ["dedupe", "-5"]),
        ({"dedupe": "memory"}, TypeError, ["dedupe", "str"]),
    ],
)
def test_webhook_receiver_arguments_are_checked_at_start_up(
    options: dict[str, Any], exception: type[Exception], words: list[str]
) -> None:
    """A bad tolerance or dedupe fails when the receiver is built, not on the first event."""
    from talkturo_async import webhooks

    async def on_event(event: object) -> None:
        return None

    key, _ = _signed(b"{}", 0)
    with pytest.raises(exception) as info:
        webhooks.call_event_handler(on_event, key, **options)
    assert all(word in str(info.value) for word in words), str(info.value)


@pytest.mark.parametrize(
    ("make", "exception", "words"),
    [
        (lambda: MemoryDedupeStore(size=loose("100")), TypeError, ["size", "str"]),
        (lambda: MemoryDedupeStore(size=True), TypeError, ["size", "bool"]),
        (lambda: SQLiteDedupeStore(":memory:", ttl=NAN), ValueError, ["ttl", "nan"]),
        (lambda: SQLiteDedupeStore(":memory:", lease=loose("60")), TypeError, ["lease", "str"]),
    ],
)
def test_dedupe_store_arguments_are_checked(
    make: Callable[[], object], exception: type[Exception], words: list[str]
) -> None:
    """The webhook dedupe stores name a bad argument at construction."""
    with pytest.raises(exception) as info:
        make()
    assert all(word in str(info.value) for word in words), str(info.value)


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "exception", "words"),
    [
        ("RedisDedupeStore", (), {"ttl": NAN}, ValueError, ["ttl", "nan"]),
        ("RedisRateLimiter", ("1000",), {}, TypeError, ["limit", "'1000' (str)"]),
        ("RedisRateLimiter", (True,), {}, TypeError, ["limit", "bool"]),
        ("RedisRateLimiter", (10, NAN), {}, ValueError, ["window", "nan"]),
        ("RedisRateLimiter", (10,), {"margin": "1"}, TypeError, ["margin", "str"]),
    ],
)
def test_redis_helper_arguments_are_checked_before_redis_is_used(
    name: str,
    args: tuple[object, ...],
    kwargs: dict[str, Any],
    exception: type[Exception],
    words: list[str],
) -> None:
    """The Redis limiter and dedupe store name a bad argument before touching Redis."""
    pytest.importorskip("redis")
    import talkturo_async.redis

    with pytest.raises(exception) as info:
        getattr(talkturo_async.redis, name)(_no_redis(), *args, **kwargs)
    assert all(word in str(info.value) for word in words), str(info.value)


def _no_redis() -> Any:
    """A stand-in Redis client that fails if the constructor gets as far as using it."""

    class NoRedis:
        def register_script(self, script: str) -> object:
            raise AssertionError("the arguments should have been refused first")

    return NoRedis()


@pytest.mark.parametrize(
    ("options", "exception", "words"),
    [
        ({"concurrency": "16"}, TypeError, ["concurrency", "str"]),
        ({"chunk_size": 0}, ValueError, ["chunk_size", "at least 1"]),
        ({"total": 2.5}, TypeError, ["total", "float"]),
    ],
)
async def test_import_job_arguments_are_checked_before_the_journal_is_made(
    fake: FakeTalkturo,
    tmp_path: Path,
    options: dict[str, Any],
    exception: type[Exception],
    words: list[str],
) -> None:
    """ContactImportJob refuses a bad count at construction: no journal file, no request."""
    from talkturo_async.journal import ContactImportJob

    journal = tmp_path / "import.sqlite"
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
        with pytest.raises(exception) as info:
            ContactImportJob(
                tk,
                [{"first_name": "A", "last_name": "B"}],
                journal=journal,
                team_id=fake.team_id,
                **options,
            )
    assert all(word in str(info.value) for word in words), str(info.value)
    assert not journal.exists()
    assert fake.requests == []


def test_journal_batching_arguments_are_checked(tmp_path: Path) -> None:
    """ImportJournal names a bad commit_every / commit_seconds before creating its file."""
    from talkturo_async.journal import ImportJournal

    with pytest.raises(TypeError, match="commit_every must be an int, got '500'"):
        ImportJournal(tmp_path / "j.sqlite", {"f": 1}, commit_every=loose("500"))
    with pytest.raises(ValueError, match="commit_seconds must be a non-negative, finite"):
        ImportJournal(tmp_path / "j.sqlite", {"f": 1}, commit_seconds=NAN)
    assert not (tmp_path / "j.sqlite").exists()
