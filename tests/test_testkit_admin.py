"""The standalone fake in another process, driven through its admin API with FakeAdmin, and every
knob on its command line (``python -m talkturo_async.testing`` / ``talkturo fake-server``)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import attrs
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from talkturo_async import APIError, RetryPolicy, Talkturo, webhooks
from talkturo_async.testing import FakeAdmin, FakeHTTPError, FakeTalkturo

BILLING_SECRET = "whsec_cli_given"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@attrs.frozen
class Standalone:
    base_url: str
    port: int
    banner: str
    billing_port: int


def start(
    args: list[str], module: str = "talkturo_async.testing"
) -> tuple[subprocess.Popen[str], str]:
    """Start the fake in a subprocess; returns it and its banner (up to "Press Ctrl-C")."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert proc.stdout is not None
    lines: list[str] = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    return proc, "".join(lines)


def stop(proc: subprocess.Popen[str]) -> str:
    """SIGINT the fake and return its stderr (it must exit 0)."""
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    return err


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standalone]:
    """One standalone fake for this module, started with seed data and many knobs set."""
    seed = tmp_path_factory.mktemp("seed") / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "companies": [{"name": "Acme"}],
                "contacts": [
                    {"first_name": "Ada", "last_name": "L", "phone": "+14155550101"},
                    {"first_name": "Bob", "last_name": "K", "phone": "+14155550102"},
                ],
                "assistants": [{"name": "Setter"}],
            }
        )
    )
    billing_port = free_port()
    proc, banner = start(
        [
            "--port=0",
            "--seed=5",
            f"--seed-data={seed}",
            "--credits=7",
            "--latency-ms=1",
            "--error-statuses=502",
            "--rate-limit-window=60",
            f"--billing-webhook-url=http://127.0.0.1:{billing_port}/billing",
            f"--billing-secret={BILLING_SECRET}",
            "--webhook-retry-delays=0.01",
        ]
    )
    try:
        base = re.search(r"TALKTURO_BASE_URL=(\S+)", banner)
        port = re.search(r"port: (\d+)", banner)
        assert base and port, banner
        yield Standalone(base.group(1), int(port.group(1)), banner, billing_port)
    finally:
        stop(proc)


@pytest.fixture
async def admin(standalone: Standalone) -> AsyncIterator[FakeAdmin]:
    """A FakeAdmin on the module's standalone fake, reset after each test."""
    async with FakeAdmin(standalone.base_url) as client:
        yield client
        await client.reset()


async def client_for(admin: FakeAdmin, **options: object) -> Talkturo:
    info = await admin.info()
    if "retry_policy" not in options:  # max_retries goes into it: both would be an error
        retries = options.pop("max_retries", 2)
        assert isinstance(retries, int)
        options["retry_policy"] = RetryPolicy(wait=False, max_retries=retries)
    return Talkturo(api_key=info["api_key"], base_url=info["base_url"], **options)  # type: ignore[arg-type]


async def test_banner_names_port_admin_and_seed(standalone: Standalone) -> None:
    """--port 0 prints the chosen port, the admin URL, what the seed data made and the export line."""
    assert standalone.base_url == f"http://127.0.0.1:{standalone.port}/api"
    assert f"admin API (loopback only): http://127.0.0.1:{standalone.port}/__admin" in (
        standalone.banner
    )
    assert "seeded: 1 companies, 1 assistants, 2 contacts" in standalone.banner
    assert "export TALKTURO_API_KEY=tk_test_" in standalone.banner
    assert f"TALKTURO_BASE_URL={standalone.base_url} TALKTURO_TEAM_ID=" in standalone.banner


async def test_seed_file_and_options_reach_the_fake(admin: FakeAdmin) -> None:
    """The seed file's records exist (contacts in the first company) and the knobs are set."""
    companies = await admin.records("companies")
    contacts = await admin.records("contacts")
    (company,) = companies.values()
    assert company["name"] == "Acme"
    assert {c["first_name"] for c in contacts.values()} == {"Ada", "Bob"}
    assert {c["company_id"] for c in contacts.values()} == {company["id"]}
    settings = await admin.configure()
    assert settings["credits"] == 7.0
    assert settings["latency"] == 0.001
    assert settings["error_statuses"] == [502]
    assert settings["rate_limit_window"] == 60.0


async def test_fail_next_and_request_log_across_processes(admin: FakeAdmin) -> None:
    """Failures scripted over HTTP hit this process's client; the log and checks come back."""
    await admin.fail_next(2, status=502, method="POST", path="/crm/companies")
    with pytest.raises(AssertionError, match="never used"):
        await admin.assert_scripts_used()
    info = await admin.info()
    async with await client_for(admin) as tk:
        await tk.companies.create(team_id=info["team_id"], name="Beta")
    await admin.assert_scripts_used()
    found = await admin.assert_called("POST", "/crm/companies", times=3, body={"name": "Beta"})
    assert [r.status for r in found] == [502, 502, 200]
    assert "authorization" not in {k.lower() for k in found[0].headers}
    assert len(await admin.received(status=502)) == 2
    with pytest.raises(AssertionError, match="expected GET /crm/contacts"):
        await admin.assert_called("GET", "/crm/contacts")
    await admin.clear_requests()
    assert await admin.requests() == []


async def test_seed_call_configure_and_reset(admin: FakeAdmin) -> None:
    """seed() and call() store records; configure() changes knobs live; reset() undoes all."""
    created = await admin.seed({"companies": [{"name": "Gamma"}], "credits": 0})
    (gamma,) = created["companies"]
    fetched = await admin.call("GET", f"/crm/companies/{gamma['id']}")
    assert fetched["company"]["name"] == "Gamma"
    with pytest.raises(FakeHTTPError) as info:
        await admin.call("GET", "/crm/companies/comp_missing")
    assert info.value.status == 404
    with pytest.raises(FakeHTTPError, match=r"companies\[0\]: name is required"):
        await admin.seed({"companies": [{}]})
    await admin.configure(rate_limit_per_hour=1)
    async with await client_for(admin, max_retries=0) as tk:
        await tk.auth.test()
        with pytest.raises(APIError) as limited:
            await tk.auth.test()
        assert limited.value.status_code == 429
    with pytest.raises(FakeHTTPError) as bad:
        await admin.configure(no_such_knob=1)
    assert bad.value.status == 400
    await admin.reset()
    assert len(await admin.records("companies")) == 1  # back to the seed file's records
    assert (await admin.configure())["credits"] == 7.0
    assert await admin.requests() == []


async def test_billing_webhook_delivered_and_listed(
    admin: FakeAdmin, standalone: Standalone
) -> None:
    """send_billing_event reaches a receiver here, verified with --billing-secret; deliveries
    and flush work over the admin API."""
    received: list[webhooks.BillingEvent] = []

    async def on_event(event: webhooks.BillingEvent) -> None:
        received.append(event)

    receiver = webhooks.billing_event_handler(on_event, BILLING_SECRET)
    app = web.Application()
    app.router.add_post("/billing", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", standalone.billing_port).start()
    try:
        ident = await admin.send_billing_event("subscription_created", {"status": "active"})
        await admin.flush_webhooks(10)
        await receiver.drain()
    finally:
        await runner.cleanup()
    (delivery,) = await admin.webhook_deliveries()
    assert (delivery.event_id, delivery.delivered, delivery.status) == (ident, True, 200)
    assert [e.event_name for e in received] == ["subscription_created"]


async def test_admin_refuses_non_loopback_clients() -> None:
    """A fake bound to every address answers its admin API 403 to a non-loopback client."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # no packet is sent; picks the outward interface
        address = s.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("this machine has no non-loopback address")
    async with FakeTalkturo(host="0.0.0.0") as fake, aiohttp.ClientSession() as session:
        async with session.get(f"http://{address}:{fake.port}/__admin/info") as resp:
            assert resp.status == 403
            assert "loopback" in (await resp.json())["error"]
        async with session.get(f"http://127.0.0.1:{fake.port}/__admin/info") as resp:
            assert resp.status == 200


def test_talkturo_fake_server_forwards_every_option(tmp_path: Path) -> None:
    """`talkturo fake-server` takes the module's options: a CSV of contacts, --rate-limit, ..."""
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_text("first_name,last_name,phone\nAda,L,+14155550101\n")
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    proc, banner = start(
        [
            "fake-server",
            "--port",
            "0",
            "--seed-data",
            str(csv_file),
            "--rate-limit",
            "5",
            "--webhook-url",
            "http://127.0.0.1:9/calls",
            "--webhook-private-key",
            base64.b64encode(raw).decode(),
        ],
        module="talkturo_async.cli",
    )
    try:
        assert "seeded: 1 companies, 1 contacts" in banner, banner
        assert f"call events -> http://127.0.0.1:9/calls (public key {public.decode()})" in banner

        async def check() -> tuple[dict[str, object], dict[str, object]]:
            base = re.search(r"TALKTURO_BASE_URL=(\S+)", banner)
            assert base
            async with FakeAdmin(base.group(1)) as admin:
                return await admin.configure(), await admin.info()

        settings, info = asyncio.run(check())
        assert settings["rate_limit_per_hour"] == 5
        assert info["webhook_public_key"] == public.decode()
    finally:
        stop(proc)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--error-rate", "1.5"], "must be between 0 and 1"),
        (["--seed-data", "/nonexistent/seed.json"], "cannot read /nonexistent/seed.json"),
        (["--webhook-private-key", "not base64!"], "base64 of 32 raw bytes"),
    ],
)
def test_bad_options_are_one_line_errors(args: list[str], message: str) -> None:
    """A bad option or seed file exits 2 with a message, not a traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "talkturo_async.testing", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
