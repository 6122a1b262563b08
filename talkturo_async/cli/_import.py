"""``talkturo contacts import``: a journaled, resumable import of a CSV file.

Everything that can be checked is checked before the first row is sent (the file, its encoding
and header, where the failed rows and the journal go, the team and the company). The rows then go
through :class:`talkturo_async.journal.ContactImportJob`, whose journal lives beside the file, so
running the same command again after any interruption resumes.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

import attrs
from rich.console import Console
from rich.table import Table

from .. import NotFoundError, PermissionDeniedError, Talkturo
from ..journal import ContactImportJob, ImportJournal, ImportReport, RowOutcome, SourceRow
from ..journal import file_fingerprint as fingerprint
from ._csvrows import CsvRow, HeaderMap, read_rows
from ._encoding import check_encoding, detect_encoding


class ImportUsageError(Exception):
    """Something found before the first row is sent; printed as one line, exit 2."""


@attrs.define
class ImportSession:
    """What the running import has done; read by ``main`` to print the summary after Ctrl-C."""

    file: Path | None = None
    journal: Path | None = None
    job: ContactImportJob | None = None
    failed_path: Path | None = None
    started: float = attrs.field(factory=time.perf_counter)

    @property
    def report(self) -> ImportReport | None:
        return None if self.job is None else self.job.report


def journal_path(args: argparse.Namespace) -> Path:
    return Path(args.journal) if args.journal else Path(str(args.file) + ".journal")


def _writable(path: Path, flag: str) -> None:
    """Refuse a path a file cannot be written to, before anything is sent."""
    if path.is_dir():
        raise ImportUsageError(f"{flag} {path} is a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ImportUsageError(f"{flag} {path}: the directory {parent} does not exist")
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK):
        raise ImportUsageError(f"{flag} {path}: not writable")


def _encoding(args: argparse.Namespace, path: Path) -> str:
    if args.encoding:
        try:
            return check_encoding(args.encoding)
        except ValueError as exc:
            raise ImportUsageError(str(exc)) from None
    return detect_encoding(path)


def _open(path: Path, encoding: str) -> TextIO:
    # surrogateescape: an undecodable byte marks its line invalid instead of ending the import
    return path.open(newline="", encoding=encoding, errors="surrogateescape")


def _count_rows(path: Path, encoding: str) -> int:
    with _open(path, encoding) as fh:
        reader = csv.reader(fh)
        count = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error:
                count += 1
                continue
            count += any(v.strip() for v in values)
    return max(0, count - 1)


def status(args: argparse.Namespace, console: Console) -> int:
    """Print what a journal holds, sending nothing."""
    path = journal_path(args)
    if not path.exists():
        console.print(f"no journal at {path}: this import has not been started")
        return 0
    try:
        with ImportJournal.read(path) as journal:
            counts = journal.counts()
            identity = journal.stored_identity()
    except (sqlite3.DatabaseError, ValueError) as exc:
        raise ImportUsageError(f"{path} cannot be read as an import journal: {exc}") from None
    table = Table(title=f"journal {path}")
    table.add_column("rows")
    table.add_column("count", justify="right")
    table.add_row("created", str(counts["ok"]))
    table.add_row("failed (refused by the server)", str(counts["failed"] - counts["retry"]))
    table.add_row("invalid (not sent)", str(counts["invalid"]))
    table.add_row("unknown outcome (re-sent on resume)", str(counts["sent"] + counts["retry"]))
    console.print(table)
    shown = {k: v for k, v in identity.items() if k != "file"}
    console.print(f"import of {args.file}: " + ", ".join(f"{k}={v}" for k, v in shown.items()))
    return 0


async def _check_ids(tk: Talkturo, args: argparse.Namespace) -> None:
    """The team and company exist and belong together (one or two read-only calls)."""
    try:
        await tk.companies.list(team_id=args.team_id, max_items=1).to_list()
    except (NotFoundError, PermissionDeniedError) as exc:
        raise ImportUsageError(
            f"--team-id {args.team_id}: {exc.status_code} {exc.message} "
            "(TALKTURO_TEAM_ID sets the default)"
        ) from None
    if not args.company_id:
        return
    try:
        company = await tk.companies.get(args.company_id)
    except (NotFoundError, PermissionDeniedError) as exc:
        raise ImportUsageError(
            f"--company-id {args.company_id}: {exc.status_code} {exc.message} "
            "(`talkturo companies list` shows yours, `talkturo companies create` makes one)"
        ) from None
    if company.team_id and company.team_id != args.team_id:
        raise ImportUsageError(
            f"--company-id {args.company_id} belongs to team {company.team_id}, "
            f"not --team-id {args.team_id}"
        )


class _FailedRows:
    """The failed-rows CSV of this run: the input's columns plus ``line`` and ``error``.

    It holds every refused, invalid or still-unknown row, is rewritten on each run, and is
    flushed as rows fail.
    """

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path = path
        self.columns = columns
        self._fh: IO[str] | None = None
        self._writer: Any = None

    def write(self, outcome: RowOutcome) -> None:
        if self._writer is None:
            self._fh = self.path.open("w", newline="", encoding="utf-8", errors="replace")
            self._writer = csv.writer(self._fh)
            self._writer.writerow([*self.columns, "line", "error"])
        values: list[str] = []
        if outcome.source is not None and isinstance(outcome.source.context, CsvRow):
            values = list(outcome.source.context.values)
        values = [*values, *[""] * (len(self.columns) - len(values))][: len(self.columns)]
        reason = outcome.reason or "outcome unknown (in flight when the run stopped)"
        if outcome.state == "unknown":
            reason = f"not confirmed yet, re-sent on the next run: {reason}"
        self._writer.writerow([*values, outcome.line or "", reason])
        assert self._fh is not None
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    @property
    def written(self) -> bool:
        return self._writer is not None


def _source_rows(rows: Iterator[CsvRow]) -> Iterator[SourceRow]:
    for row in rows:
        yield SourceRow(fields=row.fields, error=row.error, line=row.line, context=row)


async def contacts_import(
    tk: Talkturo, args: argparse.Namespace, console: Console, session: ImportSession
) -> int:
    """Check everything, then run (or resume) the journaled import and print its summary.

    Returns the exit code: 0 when every row was created, 1 when some failed, were invalid or are
    unconfirmed.
    """
    from ._commands import progress_bar

    path = Path(args.file)
    session.file = path
    encoding = _encoding(args, path)
    failed_path = Path(args.failed_out) if args.failed_out else path.with_suffix(".failed.csv")
    journal = journal_path(args)
    _writable(failed_path, "--failed-out")
    _writable(journal, "--journal")
    total = _count_rows(path, encoding)
    defaults = {"team_id": args.team_id, "company_id": args.company_id}
    # Plain file I/O: the CLI's loop serves only this import, and rows are read a line at a time.
    with _open(path, encoding) as fh:
        header, rows = read_rows(fh, defaults)
        await _check_ids(tk, args)
        _announce(console, header, encoding)
        failed = _FailedRows(failed_path, header.columns)
        job = ContactImportJob(
            tk,
            _source_rows(rows),
            journal=journal,
            team_id=args.team_id,
            company_id=args.company_id,
            mode=args.mode,
            identity={"file": fingerprint(path), "encoding": encoding},
            concurrency=args.concurrency,
            chunk_size=args.chunk_size,
            restart=args.restart,
            total=total,
        )
        session.job, session.journal = job, journal
        start = job.open()
        if start.already_done or start.rechecked:
            console.print(
                f"resuming: {start.already_done} rows already done, {start.rechecked} being "
                f"re-checked (in flight when the last run stopped), "
                f"{total - start.already_done - start.rechecked} remaining"
            )
        try:
            with progress_bar(console) as bar:
                task = bar.add_task("importing", total=total, rate=0.0)
                bar.update(task, completed=start.already_done)
                done = start.already_done

                def on_row(outcome: RowOutcome) -> None:
                    nonlocal done
                    if outcome.state != "ok" or outcome.earlier:
                        failed.write(outcome)
                    if not outcome.earlier and outcome.state != "unknown":
                        done += 1
                    elapsed = time.perf_counter() - session.started
                    bar.update(task, completed=done, rate=done / elapsed if elapsed else 0.0)

                job.on_row = on_row
                report = await job.run()
        finally:
            failed.close()
            session.failed_path = failed_path if failed.written else None
    print_summary(console, session)
    return 0 if report.complete and not (report.failed or report.invalid) else 1


def _announce(console: Console, header: HeaderMap, encoding: str) -> None:
    if encoding not in ("utf-8", "utf-8-sig"):
        console.print(f"[dim]reading the file as {encoding}[/dim]")
    if header.custom_names:
        console.print(f"[dim]columns kept as custom fields: {', '.join(header.custom_names)}[/dim]")


def print_summary(console: Console, session: ImportSession, *, interrupted: bool = False) -> None:
    """The exact tally over all runs of this import, and what to do next."""
    report = session.report
    if report is None:
        return
    table = Table(title="interrupted" if interrupted else "import summary")
    table.add_column("rows")
    table.add_column("count", justify="right")
    table.add_row("in file", str(report.total))
    table.add_row("created", str(report.created))
    table.add_row("failed", str(report.failed))
    table.add_row("invalid (not sent)", str(report.invalid))
    table.add_row("unknown outcome", str(report.unknown))
    table.add_row("not sent yet", str(report.not_sent))
    if report.already_done:
        table.add_row("done before this run", str(report.already_done))
    table.add_row("elapsed", f"{report.elapsed:.2f}s")
    console.print(table)
    if session.failed_path is not None:
        console.print(f"failed rows, with the reason for each: {session.failed_path}")
    if not report.complete:
        console.print(
            f"run the same command again to resume (journal: {session.journal}); rows already "
            "sent are re-sent with the same Idempotency-Key and are not created twice"
        )


def dry_run(args: argparse.Namespace, console: Console) -> int:
    """Read and check every row as the import would, send nothing; 1 if any row is invalid."""
    from .._contact_rows import contact_row

    path = Path(args.file)
    encoding = _encoding(args, path)
    failed_path = Path(args.failed_out) if args.failed_out else path.with_suffix(".failed.csv")
    _writable(failed_path, "--failed-out")
    defaults = {"team_id": args.team_id, "company_id": args.company_id}
    valid = invalid = 0
    with _open(path, encoding) as fh:
        header, rows = read_rows(fh, defaults)
        _announce(console, header, encoding)
        failed = _FailedRows(failed_path, header.columns)
        try:
            for row in rows:
                reason = row.error
                if reason is None:
                    try:
                        contact_row(row.fields or {}, require_ids=args.mode == "create")
                    except ValueError as exc:
                        reason = str(exc)
                if reason is None:
                    valid += 1
                    continue
                invalid += 1
                source = SourceRow(error=reason, line=row.line, context=row)
                failed.write(
                    RowOutcome(row=0, line=row.line, state="invalid", reason=reason, source=source)
                )
        finally:
            failed.close()
    table = Table(title="dry run: nothing was sent")
    table.add_column("rows")
    table.add_column("count", justify="right")
    table.add_row("in file", str(valid + invalid))
    table.add_row("valid (would be sent)", str(valid))
    table.add_row("invalid", str(invalid))
    console.print(table)
    if failed.written:
        console.print(f"invalid rows, with the reason for each: {failed_path}")
    return 1 if invalid else 0
