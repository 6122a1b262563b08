"""The talkturo command end to end: real processes against FakeTalkturo."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import re
import signal
import sys
from pathlib import Path

import pytest

from talkturo_async.testing import FakeTalkturo


async def talkturo(
    *args: str,
    fake: FakeTalkturo | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, str, str]:
    """Run `python -m talkturo_async.cli ARGS`; return (exit code, stdout, stderr)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TALKTURO_")}
    full_env.update({"COLUMNS": "200", "PYTHONWARNINGS": "error", "NO_COLOR": "1"})
    if fake is not None:
        full_env.update(
            TALKTURO_API_KEY=fake.api_key,
            TALKTURO_BASE_URL=fake.base_url,
            TALKTURO_TEAM_ID=fake.team_id,
        )
    full_env.update(env or {})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "talkturo_async.cli",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=full_env,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], raw_lines: list[str] | None = None
) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
        for line in raw_lines or []:
            fh.write(line + "\r\n")
    return path


async def make_company(fake: FakeTalkturo) -> str:
    import aiohttp

    async with (
        aiohttp.ClientSession() as s,
        s.post(
            fake.base_url + "/crm/companies",
            json={"teamId": fake.team_id, "name": "Acme"},
            headers={"Authorization": f"Bearer {fake.api_key}"},
        ) as r,
    ):
        return str((await r.json())["company"]["id"])


async def test_auth_test_never_prints_key(fake: FakeTalkturo) -> None:
    """`talkturo auth test` confirms the key without printing it."""
    code, out, err = await talkturo("auth", "test", fake=fake)
    assert code == 0 and "key accepted: Authentication succeeded" in out
    assert fake.api_key not in out + err


async def test_bad_key_is_a_message(fake: FakeTalkturo) -> None:
    """A refused key prints one line and exits 1, no traceback, no key."""
    code, out, err = await talkturo(
        "--api-key", "tk_test_nope_secret", "--base-url", fake.base_url, "auth", "test"
    )
    assert code == 1 and "API key was refused" in err
    assert "Traceback" not in err and "nope_secret" not in out + err


async def test_missing_key_and_bad_url_are_usage_errors() -> None:
    """No key / plain http to a remote host: exit 2 with the reason."""
    code, _, err = await talkturo("auth", "test")
    assert code == 2 and "TALKTURO_API_KEY" in err and "Traceback" not in err
    code, _, err = await talkturo(
        "--api-key", "tk_test_x", "--base-url", "http://example.com/api", "auth", "test"
    )
    assert code == 2 and "clear text" in err


async def test_help_everywhere() -> None:
    """--help works for the tool and its subcommands."""
    for args in (
        ["--help"],
        ["contacts", "import", "--help"],
        ["campaigns", "list", "--help"],
        ["demo", "--help"],
    ):
        code, out, _ = await talkturo(*args)
        assert code == 0 and "usage: talkturo" in out


async def test_usage_mistake_exit_2() -> None:
    """A bad flag value is argparse's message and exit 2."""
    code, _, err = await talkturo(
        "contacts",
        "import",
        "x.csv",
        "--team-id",
        "t",
        "--concurrency",
        "zero",
        env={"TALKTURO_API_KEY": "tk_test_x"},
    )
    assert code == 2 and "not a whole number" in err and "Traceback" not in err


async def test_import_with_bad_rows_writes_failed_csv(fake: FakeTalkturo, tmp_path: Path) -> None:
    """Good rows are created; bad and malformed rows go to the failed CSV with reasons; exit 1."""
    company = await make_company(fake)
    src = write_csv(
        tmp_path / "contacts.csv",
        ["First Name", "Last Name", "Phone", "DNC", "Favourite Colour"],
        [
            ["Maya", "Chen", "+14155550187", "no", "teal"],
            ["Omar", "", "+14155550188", "", ""],  # no last name
            ["Lin", "Okafor", "+14155550189", "maybe", ""],  # unreadable DNC
            ["Ana", "Silva", "", "yes", "red"],
        ],
        raw_lines=['Too,"Many",Fields,x,y,z', ""],
    )
    code, out, err = await talkturo(
        "contacts", "import", str(src), "--company-id", company, "--concurrency", "4", fake=fake
    )
    assert code == 1, err
    assert "Favourite Colour" in out  # reported as kept in custom fields
    names = sorted(c["first_name"] for c in fake.contacts.values())
    assert names == ["Ana", "Maya"]
    maya = next(c for c in fake.contacts.values() if c["first_name"] == "Maya")
    assert maya["custom_fields"] == {"Favourite Colour": "teal"} and maya["do_not_call"] is False
    failed = list(csv.DictReader((tmp_path / "contacts.failed.csv").read_text().splitlines()))
    by_line = {row["line"]: row["error"] for row in failed}
    assert set(by_line) == {"3", "4", "6"}
    assert "last_name is required" in by_line["3"]
    assert "do_not_call" in by_line["4"] and "maybe" in by_line["4"]
    assert "expected 5 fields, found 6" in by_line["6"]
    assert {r["line"]: r["First Name"] for r in failed}[
        "3"
    ] == "Omar"  # the original columns are kept
    assert "created" in out and "Traceback" not in err


async def test_import_all_good_exit_0_and_header_variants(
    fake: FakeTalkturo, tmp_path: Path
) -> None:
    """camelCase / snake_case headers and a company_id column work; exit 0; no failed file."""
    company = await make_company(fake)
    src = write_csv(
        tmp_path / "ok.csv",
        ["firstName", "last_name", "EMAIL", "company_id", "tags"],
        [["A", "B", "a@x.io", company, "vip;beta"]],
    )
    code, out, err = await talkturo("contacts", "import", str(src), fake=fake)
    assert code == 0, err + out
    (contact,) = fake.contacts.values()
    assert contact["email"] == "a@x.io" and contact["tags"] == ["vip", "beta"]
    assert not (tmp_path / "ok.failed.csv").exists()


async def test_import_mode_uses_chunks(fake: FakeTalkturo, tmp_path: Path) -> None:
    """--mode import sends chunks to /crm/contacts/import and maps server errors to lines."""
    company = await make_company(fake)
    rows = [[f"F{i}", "L", company] for i in range(25)]
    rows[7][2] = "comp_missing"
    src = write_csv(tmp_path / "bulk.csv", ["first_name", "last_name", "company_id"], rows)
    out_file = tmp_path / "bad.csv"
    code, _, err = await talkturo(
        "contacts",
        "import",
        str(src),
        "--mode",
        "import",
        "--chunk-size",
        "10",
        "--failed-out",
        str(out_file),
        fake=fake,
    )
    assert code == 1, err
    assert len(fake.contacts) == 24
    assert [r.path for r in fake.requests].count("/crm/contacts/import") == 3
    (failed,) = csv.DictReader(out_file.read_text().splitlines())
    assert failed["line"] == "9" and "companyId does not exist" in failed["error"]


async def test_dry_run_sends_nothing(fake: FakeTalkturo, tmp_path: Path) -> None:
    """--dry-run checks rows and sends no request."""
    src = write_csv(tmp_path / "d.csv", ["first_name", "last_name"], [["A", "B"], ["C", ""]])
    code, out, _ = await talkturo(
        "contacts", "import", str(src), "--company-id", "comp_1", "--dry-run", fake=fake
    )
    assert code == 1 and "nothing was sent" in out
    assert fake.requests == []


async def test_unusable_csv_is_a_message(fake: FakeTalkturo, tmp_path: Path) -> None:
    """A CSV without name columns, or a missing file, is a one-line error with exit 2."""
    src = write_csv(tmp_path / "x.csv", ["email"], [["a@x.io"]])
    code, _, err = await talkturo("contacts", "import", str(src), fake=fake)
    assert code == 2 and "no first and last name columns" in err and "Traceback" not in err
    code, _, err = await talkturo("contacts", "import", str(tmp_path / "missing.csv"), fake=fake)
    assert code == 2 and "cannot read" in err


async def test_lists_and_start(fake: FakeTalkturo, tmp_path: Path) -> None:
    """contacts list, campaigns list (table and --json), campaigns start."""
    company = await make_company(fake)
    src = write_csv(
        tmp_path / "c.csv", ["first_name", "last_name", "phone"], [["Maya", "Chen", "+14155550187"]]
    )
    assert (await talkturo("contacts", "import", str(src), "--company-id", company, fake=fake))[
        0
    ] == 0
    code, out, _ = await talkturo("contacts", "list", fake=fake)
    assert code == 0 and "Maya Chen" in out
    state = fake.state
    bot = state.create_assistant({"accountSlug": fake.account_slug, "name": "B"})["assistant"]
    camp = state.create_campaign(
        {"teamId": fake.team_id, "assistantId": bot["id"], "companyId": company, "name": "Q1"}
    )["campaign"]
    state.add_campaign_contacts(camp["id"], {"contactIds": list(fake.contacts)})
    code, out, _ = await talkturo("campaigns", "list", "--json", fake=fake)
    assert code == 0 and json.loads(out)[0]["name"] == "Q1"
    code, out, _ = await talkturo("campaigns", "start", camp["id"], fake=fake)
    assert code == 0 and "started 1 calls" in out
    code, out, _ = await talkturo("campaigns", "list", "--status", "completed", fake=fake)
    assert code == 0 and "Q1" in out and "completed" in out
    code, _, err = await talkturo("campaigns", "start", "camp_missing", fake=fake)
    assert code == 1 and "404" in err


async def test_ctrl_c_stops_cleanly_and_reports(tmp_path: Path) -> None:
    """SIGINT mid-import: exit 130, an exact summary (created = what the server holds), the
    resume hint, no traceback."""
    async with FakeTalkturo(latency=0.05) as fake:
        company = await make_company(fake)
        src = write_csv(
            tmp_path / "big.csv", ["first_name", "last_name"], [[f"F{i}", "L"] for i in range(3000)]
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALKTURO_")}
        env.update(
            TALKTURO_API_KEY=fake.api_key,
            TALKTURO_BASE_URL=fake.base_url,
            TALKTURO_TEAM_ID=fake.team_id,
            COLUMNS="200",
            NO_COLOR="1",
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "talkturo_async.cli",
            "contacts",
            "import",
            str(src),
            "--company-id",
            company,
            "--concurrency",
            "8",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        while len(fake.contacts) < 50:  # noqa: ASYNC110 -- polling the fake's state
            await asyncio.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out_b, err_b = await asyncio.wait_for(proc.communicate(), 30)
        out, err = out_b.decode(), err_b.decode()
        created = len(fake.contacts)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert "not sent yet" in out and "run the same command again to resume" in out
    summary = re.search(r"│ created\s+│\s+(\d+) │", out)
    assert summary is not None and int(summary.group(1)) == created  # rows in flight included
    assert 50 <= created < 3000


@pytest.mark.timeout_sensitive
async def test_demo_runs_and_reports(tmp_path: Path) -> None:
    """`talkturo demo` runs the whole story with faults, ends with a summary and exit 0."""
    code, out, err = await talkturo("demo", "--contacts", "300", timeout=120)
    assert code == 0, err
    for text in (
        "bulk_create",
        "assistant",
        "campaign Q1 Outreach",
        "summary",
        "requests/s",
        "faulty answers retried",
    ):
        assert text in out
    assert "duplicate contacts" not in out


async def test_global_options_after_the_command_and_version(fake: FakeTalkturo) -> None:
    """--api-key/--base-url work after the subcommand too; --version prints the version."""
    code, out, err = await talkturo(
        "auth", "test", "--api-key", fake.api_key, "--base-url", fake.base_url
    )
    assert code == 0 and "key accepted" in out and fake.api_key not in out + err
    code, out, _ = await talkturo("--version")
    assert code == 0 and out.startswith("talkturo ")


async def test_missing_key_hint_names_the_flag() -> None:
    """Without a key the hint names --api-key and TALKTURO_API_KEY, not a Python argument."""
    code, _, err = await talkturo("auth", "test")
    assert code == 2 and "--api-key" in err and "Talkturo(" not in err


async def test_companies_create_then_list_then_import(fake: FakeTalkturo, tmp_path: Path) -> None:
    """From an empty account to an imported list without Python: create, list, import."""
    code, out, _ = await talkturo("companies", "create", "Acme", "--json", fake=fake)
    assert code == 0
    company = json.loads(out)[0]["id"]
    code, out, _ = await talkturo("companies", "list", fake=fake)
    assert code == 0 and company in out and "Acme" in out
    src = write_csv(tmp_path / "c.csv", ["first_name", "last_name"], [["Maya", "Chen"]])
    code, out, err = await talkturo(
        "contacts", "import", str(src), "--company-id", company, fake=fake
    )
    assert code == 0, err
    assert len(fake.contacts) == 1


async def test_bad_failed_out_company_and_team_are_found_before_sending(
    fake: FakeTalkturo, tmp_path: Path
) -> None:
    """A bad --failed-out, --company-id or --team-id stops the import before any row is sent."""
    company = await make_company(fake)
    src = write_csv(tmp_path / "c.csv", ["first_name", "last_name"], [["A", "B"]] * 5)
    cases = [
        (["--company-id", company, "--failed-out", str(tmp_path / "no" / "f.csv")], "--failed-out"),
        (["--company-id", "comp_missing"], "--company-id comp_missing"),
        (["--company-id", company, "--team-id", "team_other"], "--team-id team_other"),
    ]
    for extra, named in cases:
        code, _, err = await talkturo("contacts", "import", str(src), *extra, fake=fake)
        assert code == 2 and named in err and "Traceback" not in err, err
    assert len(fake.contacts) == 0


async def test_rerun_resumes_and_status_reads_the_journal(
    fake: FakeTalkturo, tmp_path: Path
) -> None:
    """A second run sends nothing new and says so; --status reports the journal; --restart redoes."""
    company = await make_company(fake)
    src = write_csv(
        tmp_path / "c.csv", ["first_name", "last_name"], [["A", f"B{i}"] for i in range(20)]
    )
    args = ("contacts", "import", str(src), "--company-id", company)
    assert (await talkturo(*args, fake=fake))[0] == 0
    sent = len(fake.requests)
    code, out, _ = await talkturo(*args, fake=fake)
    assert code == 0 and "resuming: 20 rows already done, 0 being re-checked" in out
    assert len(fake.requests) == sent + 2  # only the team and company checks
    code, out, _ = await talkturo("contacts", "import", "--status", str(src), fake=fake)
    assert code == 0 and re.search(r"│ created\s+│\s+20 │", out)
    code, out, _ = await talkturo(*args, "--restart", fake=fake)
    assert code == 0 and "resuming" not in out
    assert len(fake.contacts) == 20  # the same keys: the server answered from them
    code, _, err = await talkturo(*args, "--mode", "import", fake=fake)
    assert code == 2 and "belongs to another import" in err and "--restart" in err


def _encoded_csv(path: Path, body: bytes) -> Path:
    path.write_bytes(body)
    return path


async def test_csv_files_as_they_come(fake: FakeTalkturo, tmp_path: Path) -> None:
    """BOM, cp1252, a stray bad byte, an oversized field, ragged and empty lines, quoted newlines:
    each bad line is an invalid row with its line number; the good rows are created."""
    company = await make_company(fake)
    cases: dict[str, tuple[bytes, int, list[str]]] = {
        "bom": (b"\xef\xbb\xbffirst_name,last_name\r\nJos\xc3\xa9,M\xc3\xbcller\r\n", 1, []),
        "cp1252": (b"first_name,last_name\r\nJos\xe9,M\xfcller\r\nAna,Silva\r\n", 2, []),
        "stray byte": (
            "first_name,last_name\nJosé,Müller\n".encode() + b"Bad,By\xfbte\nAna,Silva\n",
            2,
            ["3"],
        ),
        "oversized": (
            b"first_name,last_name\nA,B\nC," + b"x" * 200_000 + b"\nE,F\n",
            2,
            ["3"],
        ),
        "ragged, empty, quoted newline": (
            b'first_name,last_name,notes\nA,B,x\n\nC,D\n"E",F,"two\nlines"\nG,H,ok\n',
            3,
            ["4"],
        ),
    }
    for name, (body, created, bad_lines) in cases.items():
        src = _encoded_csv(tmp_path / f"{name}.csv", body)
        before = len(fake.contacts)
        code, out, err = await talkturo(
            "contacts", "import", str(src), "--company-id", company, fake=fake
        )
        assert "Traceback" not in err and code == (1 if bad_lines else 0), (name, err)
        assert len(fake.contacts) - before == created, (name, out)
        failed = tmp_path / f"{name}.failed.csv"
        lines = (
            [row[-2] for row in csv.reader(failed.read_text(encoding="utf-8").splitlines())][1:]
            if bad_lines
            else []
        )
        assert lines == bad_lines, (name, lines)
    assert {"José"} & {
        c["firstName"] if "firstName" in c else c.get("first_name") for c in fake.contacts.values()
    }


async def test_unknown_and_duplicate_columns_are_refused_up_front(
    fake: FakeTalkturo, tmp_path: Path
) -> None:
    """A misspelt column names the closest known one; a column given twice is named; nothing sent."""
    company = await make_company(fake)
    for header, named in (
        (b"Frist Name,last_name\n", "first_name"),
        (b"first_name,last_name,Region,region\n", "appears twice"),
    ):
        src = _encoded_csv(
            tmp_path / "h.csv", header + b"A,B" + (b",x,y" if b"Region" in header else b"") + b"\n"
        )
        code, _, err = await talkturo(
            "contacts", "import", str(src), "--company-id", company, fake=fake
        )
        assert code == 2 and named in err, err
    assert len(fake.contacts) == 0


async def test_invalid_values_are_not_sent(fake: FakeTalkturo, tmp_path: Path) -> None:
    """A non-E.164 phone, a bad e-mail and an over-long name are invalid rows with reasons."""
    company = await make_company(fake)
    src = write_csv(
        tmp_path / "v.csv",
        ["first_name", "last_name", "phone", "email"],
        [
            ["Ok", "Row", "+1 (415) 555-0100", "ok@example.com"],
            ["No", "Country", "415 555 0100", ""],
            ["Bad", "Mail", "", "not-an-address"],
            ["x" * 101, "Long", "", ""],
        ],
    )
    code, _, _ = await talkturo("contacts", "import", str(src), "--company-id", company, fake=fake)
    assert code == 1 and len(fake.contacts) == 1
    reasons = [row[-1] for row in csv.reader((tmp_path / "v.failed.csv").read_text().splitlines())][
        1:
    ]
    assert [
        ("country code" in reasons[0]),
        ("e-mail" in reasons[1]),
        ("at most 100" in reasons[2]),
    ] == [True] * 3
    assert next(iter(fake.contacts.values()))["phone"] == "+14155550100"


async def test_encoding_option(fake: FakeTalkturo, tmp_path: Path) -> None:
    """--encoding latin-1 reads such a file; an unknown encoding is a usage error before sending."""
    company = await make_company(fake)
    src = _encoded_csv(tmp_path / "l.csv", "first_name,last_name\nJosé,Núñez\n".encode("latin-1"))
    args = ("contacts", "import", str(src), "--company-id", company)
    code, _, err = await talkturo(*args, "--encoding", "nope", fake=fake)
    assert code == 2 and "--encoding 'nope'" in err and len(fake.contacts) == 0
    code, out, err = await talkturo(*args, "--encoding", "latin-1", fake=fake)
    assert code == 0, out + err
    assert [c.get("lastName", c.get("last_name")) for c in fake.contacts.values()] == ["Núñez"]
