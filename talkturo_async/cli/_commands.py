"""The ``talkturo`` subcommands. Each takes a client, the parsed arguments and a console."""

from __future__ import annotations

import argparse
import json
from typing import Any

import attrs
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from .. import APIError, Talkturo


def describe(error: BaseException) -> str:
    """A one-line reason for a failed row, without the request URL."""
    if isinstance(error, APIError):
        return f"{error.status_code} {error.message}"
    return str(error) or type(error).__name__


def progress_bar(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>7.1f} rows/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
    )


async def auth_test(tk: Talkturo, args: argparse.Namespace, console: Console) -> int:
    check = await tk.auth.test()
    console.print(f"key accepted: {check.message or 'ok'}")
    return 0


def _json_default(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _print_json(console: Console, items: list[Any]) -> None:
    data = [attrs.asdict(item) for item in items]
    console.print_json(json.dumps(data, default=_json_default))


async def contacts_list(tk: Talkturo, args: argparse.Namespace, console: Console) -> int:
    pager = tk.contacts.list(
        team_id=args.team_id, company_id=args.company_id, search=args.search, max_items=args.limit
    )
    items = await pager.to_list()
    if args.json:
        _print_json(console, items)
        return 0
    table = Table(title=f"{len(items)} contacts")
    for column in ("id", "name", "phone", "email", "lead status"):
        table.add_column(column)
    for c in items:
        table.add_row(
            c.id or "",
            f"{c.first_name or ''} {c.last_name or ''}".strip(),
            c.phone or "",
            c.email or "",
            c.lead_status or "",
        )
    console.print(table)
    return 0


async def campaigns_list(tk: Talkturo, args: argparse.Namespace, console: Console) -> int:
    items = await tk.campaigns.list(
        team_id=args.team_id, status=args.status, max_items=args.limit
    ).to_list()
    if args.json:
        _print_json(console, items)
        return 0
    table = Table(title=f"{len(items)} campaigns")
    for column in ("id", "name", "status", "contacts", "called", "answered"):
        table.add_column(
            column, justify="right" if column in ("contacts", "called", "answered") else "left"
        )
    for c in items:
        table.add_row(
            c.id or "",
            c.name or "",
            c.status or "",
            str(c.total_contacts or 0),
            str(c.contacts_called or 0),
            str(c.contacts_answered or 0),
        )
    console.print(table)
    return 0


async def campaigns_start(tk: Talkturo, args: argparse.Namespace, console: Console) -> int:
    result = await tk.campaigns.start(
        args.campaign_id, max_calls=args.max_calls, dry_run=args.dry_run or None
    )
    if result.dry_run:
        console.print(f"dry run: {len(result.picks or [])} contacts would be called")
    else:
        console.print(
            f"started {result.started or 0} calls, {result.failed or 0} failed"
            + (f" ({result.status})" if result.status else "")
        )
    for error in result.errors or []:
        console.print(f"  [yellow]{error}[/yellow]")
    return 0


async def doctor(tk: Talkturo, args: argparse.Namespace, console: Console) -> int:
    """Print the doctor's report (masked, no record values); 0 if reachable and authenticated."""
    from .. import doctor as diagnose

    report = await diagnose.run(tk, team_id=args.team_id)
    if args.json:
        console.print_json(json.dumps(attrs.asdict(report)))
    else:
        console.print(report.render(), markup=False, highlight=False, soft_wrap=True, end="")
    return 0 if report.ok else 1


async def companies_create(tk: Talkturo, args: argparse.Namespace, console: Console) -> int:
    """Create a company; print its id (the ``--company-id`` of an import)."""
    company = await tk.companies.create(
        args.team_id, args.name, website=args.website, industry=args.industry
    )
    if args.json:
        _print_json(console, [company])
    else:
        console.print(f"created company {company.name}: {company.id}")
        console.print(
            f"import into it with: talkturo contacts import FILE --company-id {company.id}"
        )
    return 0


async def companies_list(tk: Talkturo, args: argparse.Namespace, console: Console) -> int:
    items = await tk.companies.list(
        team_id=args.team_id, search=args.search, max_items=args.limit
    ).to_list()
    if args.json:
        _print_json(console, items)
        return 0
    table = Table(title=f"{len(items)} companies")
    for column in ("id", "name", "industry", "website"):
        table.add_column(column)
    for c in items:
        table.add_row(c.id or "", c.name or "", c.industry or "", c.website or "")
    console.print(table)
    return 0
