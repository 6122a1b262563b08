"""talkturo_async.doctor and `talkturo doctor`: what a deployment speaks, found with read-only
calls, against the fake speaking several documented dialects; the key and PII never printed."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator

import aiohttp
import attrs
import pytest

import talkturo_async
from talkturo_async import APIConnectionError, ClientStateError, Request, Response, Talkturo
from talkturo_async.doctor import DoctorReport, Probe
from talkturo_async.testing import DIALECTS, Dialect, FakeTalkturo
from tests.conftest import NO_WAIT, MockClient, ok
from tests.test_cli import talkturo

PII = ("Maya", "Chen", "maya.chen@example.com", "+14155550187", "4155550187")
READ_ONLY = {"GET"}

REPO = DIALECTS["repo"]
BARE = Dialect(envelope="bare", count_key=None, request_id_header="X-Correlation-Id")


def seed(fake: FakeTalkturo, contacts: int = 1) -> None:
    """One company and its contacts (the first carries the PII the doctor must not print)."""
    company = fake.state.create_company({"teamId": fake.team_id, "name": "Northstar"})["company"]
    rows = [
        {
            "company_id": company["id"],
            "first_name": "Maya" if i == 0 else f"P{i}",
            "last_name": "Chen" if i == 0 else "Q",
            "email": "maya.chen@example.com" if i == 0 else None,
            "phone": "+14155550187" if i == 0 else None,
        }
        for i in range(contacts)
    ]
    fake.add_contacts(rows)


@pytest.fixture(params=["default", "repo", "bare"])
async def dialect_fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeTalkturo]:
    """A seeded fake speaking one of three dialects."""
    dialect = {"default": Dialect(), "repo": REPO, "bare": BARE}[request.param]
    async with FakeTalkturo(seed=3, dialect=dialect) as fake:
        seed(fake, contacts=5)
        yield fake


async def diagnose(fake: FakeTalkturo, team_id: str | None = None) -> DoctorReport:
    """Run the doctor with a client bound to ``fake``."""
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT) as tk:
        return await talkturo_async.doctor.run(tk, team_id=team_id)


def probe(report: DoctorReport, name: str) -> Probe:
    """The report's probe called ``name``."""
    return next(p for p in report.probes if p.name == name)


async def test_default_dialect_is_the_live_contract() -> None:
    """Against the default fake the doctor finds resource keys, count, offset and snake_case."""
    async with FakeTalkturo(seed=3) as fake:
        seed(fake)
        report = await diagnose(fake, fake.team_id)
        methods = {r.method for r in fake.requests}
    assert report.ok and report.reachable and report.authenticated
    contacts = probe(report, "contacts")
    assert (contacts.status, contacts.envelope, contacts.count_key, contacts.paging) == (
        200,
        "contacts",
        "count",
        "offset",
    )
    assert contacts.record_casing == "snake_case" and contacts.success_flag is True
    assert contacts.sdk_reads is True and contacts.unrecognised == ()
    assert probe(report, "campaigns").record_casing is None  # no campaign to look at
    assert report.request_id_header is None and report.rate_limit_headers == ()
    assert methods == READ_ONLY
    assert report.median_latency_ms is not None and report.median_latency_ms >= 0


async def test_repo_dialect_is_recognised() -> None:
    """data envelope, total, page paging, camelCase and the headers are each reported."""
    async with FakeTalkturo(seed=3, dialect=REPO) as fake:
        seed(fake)
        report = await diagnose(fake, fake.team_id)
    contacts = probe(report, "contacts")
    assert (contacts.envelope, contacts.count_key, contacts.paging) == ("data", "total", "page")
    assert contacts.record_casing == "camelCase" and contacts.success_flag is False
    assert contacts.sdk_reads is True
    assert report.request_id_header == "x-request-id" and report.request_id
    assert dict(report.rate_limit_headers) == {
        "x-ratelimit-limit": "1000",
        "x-ratelimit-remaining": "1000",
        "x-ratelimit-reset": "3600",
    }
    text = report.render()
    assert "total (as the repo spec)" in text and "page (page numbers" in text


async def test_bare_dialect_is_recognised() -> None:
    """A bare array without total or paging keys is reported as such, with its request id."""
    async with FakeTalkturo(seed=3, dialect=BARE) as fake:
        seed(fake)
        report = await diagnose(fake, fake.team_id)
    contacts = probe(report, "contacts")
    assert (contacts.envelope, contacts.count_key, contacts.paging) == ("bare array", None, None)
    assert contacts.record_casing == "snake_case" and contacts.sdk_reads is True
    assert report.request_id_header == "x-correlation-id"


async def test_sdk_pages_through_every_dialect(dialect_fake: FakeTalkturo) -> None:
    """The SDK lists every contact, two per page, whichever dialect the fake speaks."""
    async with Talkturo(
        api_key=dialect_fake.api_key, base_url=dialect_fake.base_url, retry_policy=NO_WAIT
    ) as tk:
        contacts = await tk.contacts.list(dialect_fake.team_id, limit=2).to_list()
        one = await tk.contacts.get(str(contacts[0].id))
    assert len(contacts) == 5 and len({c.id for c in contacts}) == 5
    assert one.first_name == contacts[0].first_name


async def test_page_dialect_reads_a_page_parameter() -> None:
    """A page-speaking fake serves ?page=N&limit=L as offset (N-1)*L and echoes page."""
    async with FakeTalkturo(seed=3, dialect=REPO) as fake:
        seed(fake, contacts=5)
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                fake.base_url + "/crm/contacts",
                params={"teamId": fake.team_id, "limit": "2", "page": "3"},
                headers={"Authorization": f"Bearer {fake.api_key}"},
            ) as answer,
        ):
            body = await answer.json()
    assert body["page"] == 3 and body["total"] == 5 and len(body["data"]) == 1
    assert "offset" not in body and "count" not in body


async def test_unrecognised_keys_are_named_not_valued(mock_client: MockClient) -> None:
    """Unknown top-level keys and record fields are listed by name; their values never appear."""

    def handler(request: Request) -> Response:
        if request.url.path.endswith("test-api-key"):
            return ok({"success": True, "message": "ok"}, headers={"Request-Id": "r1"})
        record = {"id": "c1", "first_name": "Maya", "secret_score": "Chen-42"}
        return ok({"success": True, "contacts": [record], "count": 1, "cursor": "zz-9"})

    client, transport = mock_client(handler)
    async with client as tk:
        report = await talkturo_async.doctor.run(tk, team_id="team_1")
    contacts = probe(report, "contacts")
    assert contacts.unrecognised == ("cursor", "record.secret_score")
    assert report.request_id_header == "request-id"
    text = report.render()
    assert "cursor" in text and "Chen-42" not in text and "zz-9" not in text
    assert {r.method for r in transport.requests} == READ_ONLY


async def test_without_team_id_lists_are_skipped() -> None:
    """Without a team id only the key is checked and the lists say why they were skipped."""
    async with FakeTalkturo(seed=3) as fake:
        report = await diagnose(fake)
        paths = [r.path for r in fake.requests]
    assert report.ok and paths == ["/test-api-key"]
    assert all(p.skipped for p in report.probes[1:])
    assert "skipped, needs a team id" in report.render()


async def test_refused_key_is_reported_not_raised() -> None:
    """A refused key gives ok=False, no list calls, and a report without the key."""
    async with FakeTalkturo(seed=3) as fake:
        bad_key = "tk_test_refused_0123456789abcdef"
        async with Talkturo(api_key=bad_key, base_url=fake.base_url, retry_policy=NO_WAIT) as tk:
            report = await talkturo_async.doctor.run(tk, team_id=fake.team_id)
    assert report.reachable and not report.authenticated and not report.ok
    assert [p.name for p in report.probes] == ["auth"] and report.probes[0].status == 401
    text = report.render() + json.dumps(attrs.asdict(report))
    assert bad_key not in text and f"tk_test_… ({len(bad_key)} characters)" in report.render()


async def test_unreachable_server_is_reported(mock_client: MockClient) -> None:
    """No answer at all gives reachable=False with the reason, masked."""

    def handler(request: Request) -> Response:
        raise APIConnectionError("connection refused by maya.chen@example.com")

    client, _ = mock_client(handler)
    async with client as tk:
        report = await talkturo_async.doctor.run(tk, team_id="team_1")
    assert not report.reachable and not report.ok
    assert report.probes[0].error is not None and "[email]" in report.probes[0].error
    assert "maya.chen" not in report.render()


async def test_closed_client_is_refused(fake: FakeTalkturo) -> None:
    """A closed client raises ClientStateError instead of probing."""
    tk = Talkturo(api_key=fake.api_key, base_url=fake.base_url)
    await tk.aclose()
    with pytest.raises(ClientStateError):
        await talkturo_async.doctor.run(tk)


async def test_report_never_contains_key_or_pii(dialect_fake: FakeTalkturo) -> None:
    """Neither the rendered nor the JSON report holds the key or any sample record value."""
    report = await diagnose(dialect_fake, dialect_fake.team_id)
    text = report.render() + json.dumps(attrs.asdict(report))
    assert dialect_fake.api_key not in text
    assert not [value for value in PII if value in text]
    assert probe(report, "contacts").record_casing is not None  # a record was looked at


async def test_cli_doctor_reports_and_exits_0() -> None:
    """`talkturo doctor` prints the report for a repo-dialect server and exits 0, no PII."""
    async with FakeTalkturo(seed=3, dialect=REPO) as fake:
        seed(fake)
        code, out, err = await talkturo("doctor", fake=fake)
    assert code == 0, err
    assert "authenticated:      yes" in out and "x-request-id" in out
    assert "envelope:       data" in out and "record casing:  camelCase" in out
    assert fake.api_key not in out + err and not [v for v in PII if v in out + err]


async def test_cli_doctor_json() -> None:
    """`talkturo doctor --json` prints the report as JSON."""
    async with FakeTalkturo(seed=3) as fake:
        code, out, _ = await talkturo("doctor", "--json", fake=fake)
    data = json.loads(out)
    assert code == 0 and data["authenticated"] is True
    assert [p["envelope"] for p in data["probes"]] == ["bare object", "campaigns", "contacts"]


async def test_cli_doctor_refused_key_exits_1() -> None:
    """A refused key exits 1 with the report, no traceback and no key."""
    async with FakeTalkturo(seed=3) as fake:
        bad = "tk_test_wrong_0123456789abcdef"
        code, out, err = await talkturo("doctor", fake=fake, env={"TALKTURO_API_KEY": bad})
    assert code == 1 and "authenticated:      no" in out
    assert "Traceback" not in err and bad not in out + err


async def test_cli_doctor_unreachable_exits_1() -> None:
    """A server that is not there exits 1 with 'reachable: no', no traceback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        "TALKTURO_API_KEY": "tk_test_nobody_0123456789",
        "TALKTURO_BASE_URL": f"http://127.0.0.1:{port}/api",
    }
    code, out, err = await talkturo("doctor", env=env)
    assert code == 1 and "reachable:          no" in out
    assert "Traceback" not in err


async def test_cli_doctor_against_standalone_fake() -> None:
    """`talkturo doctor` against `python -m talkturo_async.testing --dialect repo` finds it."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "talkturo_async.testing",
        "--port",
        "0",
        "--dialect",
        "repo",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert proc.stdout is not None
    try:
        lines = [(await asyncio.wait_for(proc.stdout.readline(), 20)).decode() for _ in range(3)]
        base = re.search(r"TALKTURO_BASE_URL=(\S+)", "".join(lines))
        key = re.search(r"TALKTURO_API_KEY=(\S+)", "".join(lines))
        team = re.search(r"team_id=([^,\s]+)", "".join(lines))
        assert base and key and team
        env = {
            "TALKTURO_API_KEY": key.group(1),
            "TALKTURO_BASE_URL": base.group(1),
            "TALKTURO_TEAM_ID": team.group(1),
        }
        code, out, err = await talkturo("doctor", env=env)
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.communicate(), 20)
    assert code == 0, err
    assert "total key:      total (as the repo spec)" in out
    assert "x-ratelimit-limit=1000" in out and key.group(1) not in out + err
