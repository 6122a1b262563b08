"""The ``talkturo`` subcommands. Each takes a client, the parsed arguments and a console."""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path
from typing import IO, Any

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

from .. import APIError, BulkProgress, Talkturo
from .._contact_rows import contact_row
from ._csvrows import CsvRow, read_rows


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


@attrs.define
class ImportState:
    """What an import has done so far; read by the caller after a Ctrl-C."""

    total: int = 0
    read: int = 0
    created: int = 0
    failed: int = 0
    malformed: int = 0
    failed_path: Path | None = None
    started: float = attrs.field(factory=time.perf_counter)
    last_line: int = 0

    @property
    def attempted(self) -> int:
        return self.created + self.failed + self.malformed


class FailedRows:
    """The failed-rows CSV: the input's columns plus ``line`` and ``error``, written as failures
    happen (and flushed), so nothing is lost even if the run is interrupted."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path = path
        self.columns = columns
        self._fh: IO[str] | None = None
        self._writer: Any = None

    def write(self, row: CsvRow, reason: str) -> None:
        if self._writer is None:
            self._fh = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._fh)
            self._writer.writerow([*self.columns, "line", "error"])
        values = list(row.values) + [""] * (len(self.columns) - len(row.values))
        self._writer.writerow([*values[: len(self.columns)], row.line, reason])
        assert self._fh is not None
        self._fh.flush()

    @property
    def written(self) -> bool:
        return self._writer is not None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def count_data_lines(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return max(0, sum(1 for values in csv.reader(fh) if any(v.strip() for v in values)) - 1)


async def contacts_import(
    tk: Talkturo, args: argparse.Namespace, console: Console, state: ImportState
) -> int:
    path = Path(args.file)
    state.total = count_data_lines(path)
    defaults = {"team_id": args.team_id, "company_id": args.company_id}
    failed_path = Path(args.failed_out) if args.failed_out else path.with_suffix(".failed.csv")
    # Plain file I/O: the CLI's loop serves only this import, and rows are read a line at a time.
    with path.open(newline="", encoding="utf-8-sig") as fh:  # noqa: ASYNC230
        header, rows = read_rows(fh, defaults)
        if header.custom_names:
            console.print(
                f"[dim]columns kept as custom fields: {', '.join(header.custom_names)}[/dim]"
            )
        failed = FailedRows(failed_path, header.columns)
        try:
            with progress_bar(console) as bar:
                task = bar.add_task(
                    "importing" if not args.dry_run else "checking", total=state.total, rate=0.0
                )

                def advance(row: CsvRow | None = None) -> None:
                    if row is not None:
                        state.last_line = row.line
                    elapsed = time.perf_counter() - state.started
                    bar.update(
                        task,
                        completed=state.attempted,
                        rate=state.attempted / elapsed if elapsed else 0.0,
                    )

                def fail(
                    row: CsvRow, reason: str, *, malformed: bool = False, count: int = 1
                ) -> None:
                    failed.write(row, reason)
                    if malformed:
                        state.malformed += 1
                    else:
                        state.failed += count
                    advance(row)

                if args.dry_run:
                    await _check_only(rows, args.mode, state, fail, advance)
                elif args.mode == "import":
                    await _import_mode(tk, args, rows, state, fail, advance)
                else:
                    await _create_mode(tk, args, rows, state, fail, advance)
        finally:
            failed.close()
            if failed.written:
                state.failed_path = failed_path
    print_import_summary(console, state, dry_run=args.dry_run)
    return 0 if state.failed == state.malformed == 0 else 1


async def _check_only(rows: Any, mode: str, state: ImportState, fail: Any, advance: Any) -> None:
    for row in rows:
        state.read += 1
        if row.error:
            fail(row, row.error, malformed=True)
            continue
        try:
            contact_row(row.fields or {}, require_ids=mode == "create")
        except ValueError as exc:
            fail(row, f"line {row.line}: {exc}")
            continue
        state.created += 1  # "would be created"
        advance(row)


async def _create_mode(
    tk: Talkturo, args: argparse.Namespace, rows: Any, state: ImportState, fail: Any, advance: Any
) -> None:
    in_flight: dict[int, CsvRow] = {}

    def source() -> Any:
        index = 0
        for row in rows:
            state.read += 1
            if row.error:
                fail(row, row.error, malformed=True)
                continue
            in_flight[index] = row
            index += 1
            yield row.fields

    async for result in tk.contacts.bulk_create(source(), concurrency=args.concurrency):
        row = in_flight.pop(result.index)
        if result.error is not None:
            fail(row, f"line {row.line}: {describe(result.error)}")
        else:
            state.created += 1
            advance(row)


async def _import_mode(
    tk: Talkturo, args: argparse.Namespace, rows: Any, state: ImportState, fail: Any, advance: Any
) -> None:
    good: list[CsvRow] = []
    for row in rows:
        state.read += 1
        if row.error:
            fail(row, row.error, malformed=True)
        else:
            good.append(row)
    if not good:
        return

    def on_progress(p: BulkProgress) -> None:
        state.created = p.succeeded
        advance()

    result = await tk.contacts.import_contacts(
        [row.fields or {} for row in good],
        team_id=args.team_id,
        chunk_size=args.chunk_size,
        concurrency=args.concurrency,
        on_progress=on_progress,
    )
    state.created = result.imported or 0
    errors = result.errors or []
    for error in errors:
        row = good[error["row"]] if isinstance(error.get("row"), int) else CsvRow(line=0, values=[])
        fail(row, f"line {row.line}: {error.get('error', error)}")
    unlisted = (result.failed or 0) - len(errors)
    if unlisted > 0:  # the server counted failures it did not describe
        fail(
            CsvRow(line=0, values=[]),
            f"{unlisted} rows failed on the server without a reason",
            count=unlisted,
        )


def print_import_summary(
    console: Console, state: ImportState, *, dry_run: bool = False, interrupted: bool = False
) -> None:
    elapsed = time.perf_counter() - state.started
    table = Table(
        title="dry run: nothing was sent"
        if dry_run
        else ("interrupted" if interrupted else "import summary")
    )
    table.add_column("rows")
    table.add_column("count", justify="right")
    table.add_row("in file", str(state.total))
    table.add_row("valid (would be created)" if dry_run else "created", str(state.created))
    table.add_row("failed", str(state.failed))
    table.add_row("malformed lines", str(state.malformed))
    if interrupted:
        table.add_row("not attempted", str(max(0, state.total - state.attempted)))
    table.add_row("elapsed", f"{elapsed:.2f}s")
    table.add_row("rate", f"{state.attempted / elapsed:.1f} rows/s" if elapsed else "-")
    console.print(table)
    if state.failed_path is not None:
        console.print(f"failed rows, with the reason for each: {state.failed_path}")
    if interrupted and state.last_line:
        console.print(
            f"stopped after line {state.last_line}; rows being sent when interrupted were cancelled"
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
