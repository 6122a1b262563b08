"""``talkturo demo``: the whole story against an embedded FakeTalkturo with latency and faults."""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.table import Table

from .. import Assistant, Campaign, Company, ContactResult, PhoneNumber, RetryPolicy, Talkturo
from ..testing import FakeTalkturo
from ._commands import describe, progress_bar

FIRST = ["Maya", "Omar", "Lin", "Ana", "Ravi", "Zoe", "Kofi", "Ines", "Theo", "Mira", "Jon", "Sara"]
LAST = ["Chen", "Ali", "Okafor", "Silva", "Patel", "Novak", "Mensah", "Rossi", "Berg", "Kaur"]


def _fake(args: argparse.Namespace) -> FakeTalkturo:
    """The embedded fake: realistic latency, and faults unless ``--no-faults``."""
    faults = not args.no_faults
    return FakeTalkturo(
        seed=args.seed,
        latency=0.015,
        jitter=0.02,
        error_rate=0.02 if faults else 0.0,
        html_error_rate=0.5,
        after_commit_failure_rate=0.01 if faults else 0.0,
        activation_delay=0.2,
        credits=10_000.0,
    )


async def _create_contacts(
    tk: Talkturo,
    console: Console,
    args: argparse.Namespace,
    team: str,
    company: Company,
    started: float,
) -> tuple[list[ContactResult], list[ContactResult]]:
    """Step 3: bulk-create the contacts (one bad row among them); the created and failed rows."""
    rows = [
        {
            "team_id": team,
            "company_id": company.id,
            "first_name": FIRST[i % len(FIRST)],
            "last_name": LAST[(i * 7) % len(LAST)],
            "phone": f"+1415{i:07d}",
            "do_not_call": i % 97 == 0,
        }
        for i in range(args.contacts)
    ]
    rows[17] = {**rows[17], "first_name": ""}  # one bad row: reported, not sent
    created: list[ContactResult] = []
    failed: list[ContactResult] = []
    with progress_bar(console) as bar:
        task = bar.add_task("3. bulk_create", total=len(rows), rate=0.0)
        async for r in tk.contacts.bulk_create(rows, concurrency=args.concurrency):
            (failed if r.error else created).append(r)
            bar.update(
                task,
                advance=1,
                rate=len(created + failed) / max(1e-9, time.perf_counter() - started),
            )
    console.print(
        f"   {len(created)} contacts created, {len(failed)} failed"
        + "".join(f"\n   row {r.index}: {describe(r.error)}" for r in failed[:3] if r.error)
    )
    return created, failed


async def _assistant_with_number(
    tk: Talkturo, console: Console, team: str, slug: str
) -> tuple[Assistant, PhoneNumber]:
    """Steps 4 and 5: an outbound assistant, and a number bought, activated and assigned to it."""
    bot = await tk.assistants.create(
        account_slug=slug, name="Setter", template_id="outbound-setter"
    )
    bot = await tk.assistants.update(bot.id or "", first_message="Hi, this is Alex from Northstar.")
    console.print(f"4. assistant {bot.name} ({bot.id}): {bot.first_message!r}")

    found = await tk.phone_numbers.search(country_code="US", area_code="415", limit=3)
    number = await tk.phone_numbers.purchase(
        phone_number=found.numbers[0].phone_number or "", team_id=team
    )
    while number.status != "active":
        number = await tk.phone_numbers.get(number.id or "")
    await tk.assistants.assign_phone_numbers(bot.id or "", [number.id or ""], account_slug=slug)
    console.print(
        f"5. number {number.phone_number} bought ({number.status}) and assigned to {bot.name}"
    )
    return bot, number


async def _run_campaign(
    tk: Talkturo,
    console: Console,
    team: str,
    company: Company,
    bot: Assistant,
    number: PhoneNumber,
    created: list[ContactResult],
) -> Campaign:
    """Step 6: a campaign with the created contacts enrolled, started."""
    camp = await tk.campaigns.create(
        team_id=team,
        assistant_id=bot.id or "",
        company_id=company.id or "",
        name="Q1 Outreach",
        from_number_ids=[number.id or ""],
    )
    added = await tk.campaigns.add_contacts(
        camp.id or "",
        contact_ids=[r.contact.id for r in created if r.contact and r.contact.id],
        chunk_size=500,
    )
    run = await tk.campaigns.start(camp.id or "")
    console.print(
        f"6. campaign {camp.name}: {added.added} enrolled, {added.skipped} skipped (do-not-call); {run.started} calls placed"
    )
    return camp


async def _show_campaigns(tk: Talkturo, console: Console, team: str, camp: Campaign) -> None:
    """The team's campaigns as a table, then step 7: the campaign's dashboard."""
    table = Table(title="campaigns")
    for column in ("name", "status", "contacts", "called", "answered"):
        table.add_column(column)
    async for c in tk.campaigns.list(team_id=team):
        table.add_row(
            c.name or "",
            c.status or "",
            str(c.total_contacts),
            str(c.contacts_called),
            str(c.contacts_answered),
        )
    console.print(table)
    board = await tk.campaigns.dashboard(camp.id or "")
    if board.counts is not None:
        console.print(
            f"7. dashboard: {board.counts.total} contacts, {board.counts.answered} answered; outcomes {board.counts.by_outcome}"
        )


def _summary(
    fake: FakeTalkturo,
    created: list[ContactResult],
    failed: list[ContactResult],
    elapsed: float,
) -> Table:
    """What the run did: rows created and failed, faults retried through, requests and speed."""
    requests = len(fake.requests)
    retried = sum(1 for r in fake.requests if r.status in (0, 429) or r.status >= 500)
    summary = Table(title="summary")
    summary.add_column("")
    summary.add_column("", justify="right")
    summary.add_row("contacts created", str(len(created)))
    summary.add_row("rows failed (reported, not lost)", str(len(failed)))
    summary.add_row("faulty answers retried through", str(retried))
    summary.add_row("contacts in the fake (no duplicates)", str(len(fake.contacts)))
    summary.add_row("requests", str(requests))
    summary.add_row("elapsed", f"{elapsed:.2f}s")
    summary.add_row("requests/s", f"{requests / elapsed:.0f}")
    return summary


async def demo(args: argparse.Namespace, console: Console) -> int:
    """Run the whole story against an embedded fake; 1 if any contact was created twice."""
    started = time.perf_counter()
    fake = _fake(args)
    # Snappy retries for a demo; the defaults back off from 0.5 s.
    policy = RetryPolicy(max_retries=4, initial_backoff=0.05, max_backoff=0.5)
    async with fake:
        if not args.no_faults:
            fake.fail_next(3, status=429, method="POST", path="/crm/contacts", retry_after=0.25)
        console.print(
            f"[bold]talkturo demo[/bold]: a fake Talkturo at {fake.base_url} (15-35 ms latency"
            + (
                ", ~2% injected 5xx, HTML 502s, after-commit failures and a burst of 429s)"
                if not args.no_faults
                else ")"
            )
        )
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=policy
        ) as tk:
            team, slug = fake.team_id, fake.account_slug
            check = await tk.auth.test()
            console.print(f"1. auth.test(): {check.message}")

            company = await tk.companies.create(
                team_id=team, name="Northstar Health", industry="Healthcare", country="US"
            )
            console.print(f"2. company {company.name} ({company.id})")
            created, failed = await _create_contacts(tk, console, args, team, company, started)
            bot, number = await _assistant_with_number(tk, console, team, slug)
            camp = await _run_campaign(tk, console, team, company, bot, number, created)
            await _show_campaigns(tk, console, team, camp)
        elapsed = time.perf_counter() - started
        summary = _summary(fake, created, failed, elapsed)
    console.print(summary)
    duplicates = len(fake.contacts) - len(created)
    if duplicates:
        console.print(f"[red]{duplicates} duplicate contacts[/red]")
        return 1
    return 0
