"""Crash-safe, resumable contact imports: a journal in SQLite and an import job over it.

Running the same import again after any interruption (Ctrl-C, ``kill -9``, a power cut, the server
going away) continues where it stopped and creates every row exactly once, against a server that
honours ``Idempotency-Key``. Two things make that true:

* every row (``create`` mode) or chunk (``import`` mode) is sent with a key derived from the
  import's identity and its position, the same on every run, so a row that was in flight at the
  crash is answered with the contact the server already created;
* the :class:`ImportJournal` records each row's state (``pending`` → ``sent`` → ``ok`` /
  ``failed`` / ``invalid``) in a SQLite file (WAL, commits batched), so a re-run sends only the
  rows without a final state. A batch lost in a crash only means those rows are asked again,
  under the same keys.

::

    from talkturo_async.journal import ContactImportJob

    job = ContactImportJob(tk, rows, journal="contacts.journal", team_id=TEAM, company_id=CO,
                           identity={"source": "crm-export-2026-11-25"})
    report = await job.run()          # run it again after a crash: it resumes
    print(report.created, report.failed, report.invalid, report.unknown)

Against a server that ignores ``Idempotency-Key`` the journal still skips every row it knows the
outcome of, but a row in flight at the crash may be created twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from ._config import check_int, check_number
from ._contact_rows import ContactInput, contact_row

if TYPE_CHECKING:
    from ._client import Talkturo

__all__ = [
    "ContactImportJob",
    "ImportJournal",
    "ImportReport",
    "JournalMismatchError",
    "RowOutcome",
    "SourceRow",
    "file_fingerprint",
]

RowState = Literal["pending", "sent", "ok", "failed", "invalid"]
FINAL: frozenset[str] = frozenset({"ok", "failed", "invalid"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    row INTEGER PRIMARY KEY,
    line INTEGER,
    state TEXT NOT NULL,
    contact_id TEXT,
    reason TEXT,
    retry INTEGER NOT NULL DEFAULT 0
);
"""


class JournalMismatchError(ValueError):
    """The journal belongs to another import (another file, team, company, mode or options)."""


def file_fingerprint(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks.

    Args:
        path: the file.

    Raises:
        OSError: the file cannot be read.
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ImportJournal:
    """One import's row states in a SQLite file, durable across ``kill -9``.

    Writes are batched: a transaction is committed every ``commit_every`` writes or
    ``commit_seconds`` seconds, whichever comes first, and on :meth:`flush` / :meth:`close`.
    Losing the last batch in a crash is harmless: those rows are sent again under the same keys.

    Args:
        path: the journal file (created if missing).
        identity: what makes two runs the same import (a file fingerprint, team, company, mode,
            options); JSON-serialisable.
        restart: forget what an existing journal holds and start over.
        commit_every: commit after this many row writes.
        commit_seconds: commit at least this often, in seconds, while rows are written.

    Raises:
        JournalMismatchError: the file is the journal of another import (``restart`` not set).
        TypeError: ``commit_every`` is not an ``int`` or ``commit_seconds`` not a number.
        ValueError: ``commit_every`` below 1, ``commit_seconds`` negative or not finite.
    """

    def __init__(
        self,
        path: str | Path,
        identity: Mapping[str, Any],
        *,
        restart: bool = False,
        commit_every: int = 500,
        commit_seconds: float = 0.5,
    ) -> None:
        """Set up; the arguments are described on the class."""
        check_int("commit_every", commit_every, minimum=1)
        check_number("commit_seconds", commit_seconds, zero=True)
        self.path: Path = Path(path)
        self.identity: str = json.dumps(dict(identity), sort_keys=True, default=str)
        self.key_prefix: str = (
            "tk-import-" + hashlib.sha256(self.identity.encode()).hexdigest()[:24]
        )
        self._commit_every = commit_every
        self._commit_seconds = commit_seconds
        self._buffer: list[tuple[int, int | None, str, str | None, str | None, int]] = []
        self._last_commit = time.monotonic()
        if restart:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        try:
            self._open()
        except BaseException:
            self._db.close()
            raise

    def _open(self) -> None:
        db = self._db
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "PRAGMA synchronous=NORMAL"
        )  # durable at each WAL checkpoint; a lost tail is re-asked
        db.executescript(_SCHEMA)
        found = db.execute("SELECT value FROM meta WHERE key='identity'").fetchone()
        if found is None:
            db.execute("INSERT INTO meta VALUES ('identity', ?)", (self.identity,))
            db.execute("INSERT INTO meta VALUES ('created', ?)", (str(time.time()),))
        elif found[0] != self.identity:
            raise JournalMismatchError(_mismatch(self.path, json.loads(found[0]), self.identity))

    @classmethod
    def read(cls, path: str | Path) -> ImportJournal:
        """Open an existing journal to look at it (``--status``), whatever import it belongs to.

        Args:
            path: the journal file.

        Raises:
            FileNotFoundError: there is no such file.
            JournalMismatchError: the file is not an import journal.
        """
        if not Path(path).exists():
            raise FileNotFoundError(path)
        db = sqlite3.connect(path, isolation_level=None)
        try:
            found = db.execute("SELECT value FROM meta WHERE key='identity'").fetchone()
        finally:
            db.close()
        if found is None:
            raise JournalMismatchError(f"{path} is not an import journal")
        return cls(path, json.loads(found[0]))

    def stored_identity(self) -> dict[str, Any]:
        """The identity this journal was created with."""
        return dict(json.loads(self.identity))

    @property
    def resumed(self) -> bool:
        """Whether the journal already held rows when it was opened."""
        return bool(self._db.execute("SELECT 1 FROM rows LIMIT 1").fetchone())

    def states(self) -> dict[int, tuple[str, bool]]:
        """Every recorded row as ``row -> (state, retry)``.

        ``retry`` marks a failure worth sending again (a server error or a lost connection, not a
        refused row).
        """
        return {
            row: (state, bool(retry))
            for row, state, retry in self._db.execute("SELECT row, state, retry FROM rows")
        }

    def counts(self) -> dict[str, int]:
        """How many rows are in each state (``retry`` counts failures that will be re-sent)."""
        result: dict[str, int] = dict.fromkeys(
            ("pending", "sent", "ok", "failed", "invalid", "retry"), 0
        )
        for state, retry, n in self._db.execute(
            "SELECT state, retry, COUNT(*) FROM rows GROUP BY state, retry"
        ):
            result[state] += n
            if retry:
                result["retry"] += n
        return result

    def failures(self) -> list[tuple[int, int | None, str, str]]:
        """The failed and invalid rows: ``(row, line, state, reason)`` in row order."""
        return list(
            self._db.execute(
                "SELECT row, line, state, reason FROM rows WHERE state IN ('failed','invalid') "
                "ORDER BY row"
            )
        )

    def mark(
        self,
        rows: Iterable[tuple[int, int | None]],
        state: RowState,
        *,
        contact_id: str | None = None,
        reason: str | None = None,
        retry: bool = False,
    ) -> None:
        """Record ``state`` for each ``(row, line)`` (written with the next batch).

        Args:
            rows: ``(row index, line number or None)`` pairs.
            state: the state they reach.
            contact_id: the contact created (state ``ok``).
            reason: why they failed or are invalid.
            retry: a failure to send again on the next run (a 5xx, a lost connection).
        """
        self._buffer.extend(
            (row, line, state, contact_id, reason, int(retry)) for row, line in rows
        )
        if (
            len(self._buffer) >= self._commit_every
            or time.monotonic() - self._last_commit >= self._commit_seconds
        ):
            self.flush()

    def flush(self) -> None:
        """Write and commit what has been recorded (one transaction per batch)."""
        if self._buffer:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?)", self._buffer
            )
            self._db.execute("COMMIT")
            self._buffer.clear()
        self._last_commit = time.monotonic()

    def close(self) -> None:
        """Commit and close."""
        self.flush()
        self._db.close()

    def __enter__(self) -> ImportJournal:
        """Use the journal in a ``with`` block; it is closed at the end."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the journal."""
        self.close()


def _mismatch(path: Path, found: dict[str, Any], wanted: str) -> str:
    new = json.loads(wanted)
    changed = sorted(k for k in set(found) | set(new) if found.get(k) != new.get(k))
    return (
        f"the journal {path} belongs to another import ({', '.join(changed)} differ); "
        "start over with --restart (restart=True) or choose another journal with --journal"
    )


@attrs.frozen(kw_only=True)
class SourceRow:
    """An input row with its origin: the fields, or the reason the reader could not use it."""

    fields: Mapping[str, Any] | ContactInput | None = None
    error: str | None = None
    line: int | None = None
    context: Any = None
    """Anything the caller wants back in each :class:`RowOutcome` (e.g. the raw CSV values)."""


@attrs.frozen(kw_only=True)
class RowOutcome:
    """What happened to one row in this run (or, with ``earlier``, in a run before it).

    ``state`` is ``ok``, ``failed``, ``invalid`` or ``unknown`` (in flight when the run stopped).
    """

    row: int
    line: int | None
    state: str
    reason: str | None = None
    contact_id: str | None = None
    source: SourceRow | None = None
    earlier: bool = False


@attrs.define(kw_only=True)
class ImportReport:
    """Where an import stands; exact after an interruption.

    Attributes:
        total: rows in the input.
        already_done: rows with a final state in the journal when this run began.
        rechecked: rows that were in flight (``sent``) when the previous run stopped, re-sent
            with the same keys.
        remaining: rows this run had to send (including ``rechecked``).
        created, failed, invalid: rows in those states over all runs.
        unknown: rows sent whose outcome is not known (in flight at an interruption, or still
            failing with a server error); re-sent by the next run; 0 after a completed run.
        not_sent: rows not sent yet (after an interruption).
    """

    total: int = 0
    already_done: int = 0
    rechecked: int = 0
    remaining: int = 0
    created: int = 0
    failed: int = 0
    invalid: int = 0
    unknown: int = 0
    not_sent: int = 0
    elapsed: float = 0.0

    @property
    def complete(self) -> bool:
        """Every row has a final outcome (``ok``, a refused ``failed``, or ``invalid``)."""
        return self.created + self.failed + self.invalid == self.total


class ContactImportJob:
    """A resumable contact import over an iterable of rows and a journal file.

    Args:
        tk: the client.
        rows: mappings of contact fields, ``ContactInput``, or :class:`SourceRow` (a row the
            reader could not use is recorded ``invalid``); the same rows in the same order on
            every run of the same import.
        journal: the journal file; a re-run with the same one resumes.
        team_id: filled into rows without one (part of the import's identity).
        company_id: filled into rows without one (part of the import's identity).
        mode: ``"create"`` (one ``POST /crm/contacts`` per row) or ``"import"`` (the chunked
            ``/crm/contacts/import``).
        identity: what else identifies the import (e.g. ``{"file": file_fingerprint(path)}``).
        concurrency: rows (create mode) or chunks (import mode) in flight at once.
        chunk_size: rows per chunk in import mode (part of the import's identity).
        restart: forget the journal and start over.
        total: how many rows ``rows`` holds, when it has no ``len()`` (a generator over a file),
            so that the report of an interrupted run counts the rows not sent.
        on_row: called with a :class:`RowOutcome` for every row that gets an outcome this run,
            every invalid row, and rows refused in earlier runs (``earlier=True``).

    Raises:
        TypeError: ``concurrency``, ``chunk_size`` or ``total`` is not an ``int`` (at once).
        ValueError: ``concurrency`` or ``chunk_size`` below 1, a negative ``total``, an unknown
            ``mode`` (at once).

    Raises (from :meth:`open` and :meth:`run`):
        JournalMismatchError: the journal belongs to another import.
    """

    def __init__(
        self,
        tk: Talkturo,
        rows: Iterable[Any] | AsyncIterable[Any],
        *,
        journal: str | Path,
        team_id: str,
        company_id: str | None = None,
        mode: Literal["create", "import"] = "create",
        identity: Mapping[str, Any] | None = None,
        concurrency: int = 16,
        chunk_size: int = 500,
        restart: bool = False,
        total: int | None = None,
        on_row: Callable[[RowOutcome], object] | None = None,
    ) -> None:
        """Set up; the arguments are described on the class."""
        check_int("concurrency", concurrency, minimum=1)
        check_int("chunk_size", chunk_size, minimum=1)
        check_int("total", total, minimum=0, optional=True)
        if total is None and isinstance(rows, Sized):
            total = len(rows)
        self._expected = total or 0
        if mode not in ("create", "import"):
            raise ValueError(f"mode must be 'create' or 'import', not {mode!r}")
        self._tk = tk
        self._rows = rows
        self._journal_path = Path(journal)
        self._mode = mode
        self._defaults = {
            k: v for k, v in (("team_id", team_id), ("company_id", company_id)) if v is not None
        }
        self._team_id = team_id
        self._concurrency = concurrency
        self._chunk_size = chunk_size
        self._restart = restart
        self.on_row = on_row
        self.identity: dict[str, object] = {
            **(identity or {}),
            "team_id": team_id,
            "company_id": company_id,
            "mode": mode,
            **({"chunk_size": chunk_size} if mode == "import" else {}),
        }
        self.report: ImportReport = ImportReport()
        self.journal: ImportJournal | None = None
        self._known: dict[int, tuple[str, bool]] = {}
        self._earlier: dict[int, tuple[str, str]] = {}

    def open(self) -> ImportReport:
        """Open (or create) the journal and count where the run starts.

        The report's ``already_done`` and ``rechecked`` can be printed before :meth:`run`.
        """
        if self.journal is None:
            self.journal = ImportJournal(self._journal_path, self.identity, restart=self._restart)
            self._known = self.journal.states()
            report = self.report
            for state, retry in self._known.values():
                if state in FINAL and not retry:
                    report.already_done += 1
                elif state == "sent":
                    report.rechecked += 1
        return self.report

    async def run(self) -> ImportReport:
        """Send every row without a final state; return the report (also in ``self.report``).

        Cancelling the task (Ctrl-C) gives the rows in flight a moment, records what is known
        and re-raises; ``self.report`` is then exact, with ``unknown`` for the rest.
        """
        self.open()
        journal = self.journal
        assert journal is not None
        start = time.perf_counter()
        self._earlier = {
            row: (state, reason or "")
            for row, _, state, reason in journal.failures()
            if not self._known[row][1]
        }
        try:
            if self._mode == "create":
                await self._create()
            else:
                await self._import()
        finally:
            self._finish(journal, start)
        return self.report

    def _finish(self, journal: ImportJournal, start: float) -> None:
        journal.flush()
        counts = journal.counts()
        report = self.report
        report.created = counts["ok"]
        report.failed = counts["failed"] - counts["retry"]
        report.invalid = counts["invalid"]
        report.total = max(report.total, self._expected)
        report.unknown = counts["sent"] + counts["retry"]
        final = report.created + report.failed + report.invalid
        report.not_sent = max(0, report.total - final - report.unknown)
        report.elapsed = time.perf_counter() - start
        journal.close()
        self.journal = None

    async def _rows_checked(self) -> AsyncIterator[tuple[int, SourceRow, Any, bool]]:
        """``(row, source, body, done)`` for every row that may be sent, in input order.

        In import mode ``body`` is the checked wire body of every valid row (done ones too: a
        chunk is re-sent whole); in create mode it is the row with the defaults filled in, checked
        once by ``bulk_create`` (a refused row comes back as a ``ValueError``). Rows unreadable or
        invalid are recorded and reported here, not yielded; so are rows of earlier runs with a
        final failure.
        """
        journal = self.journal
        assert journal is not None
        check = self._mode == "import"
        row = -1
        async for item in _aiter(self._rows):
            row += 1
            self.report.total += 1
            source = item if isinstance(item, SourceRow) else SourceRow(fields=item)
            earlier = self._earlier.get(row)
            if earlier is not None:
                if self.on_row is not None:
                    self.on_row(
                        RowOutcome(row=row, line=source.line, state=earlier[0], reason=earlier[1],
                                   source=source, earlier=True)
                    )  # fmt: skip
                if earlier[0] == "invalid":
                    continue
            reason = source.error
            body: Any = _with_defaults(source.fields, self._defaults)
            if reason is None and check:
                try:
                    body = contact_row(body, require_ids=False)
                except ValueError as exc:
                    reason = str(exc)
            if reason is not None:
                self._invalid(row, source, reason)
                continue
            known = self._known.get(row)
            done = known is not None and known[0] in FINAL and not known[1]
            if not done:
                self.report.remaining += 1
            yield row, source, body, done

    def _invalid(self, row: int, source: SourceRow, reason: str) -> None:
        journal = self.journal
        assert journal is not None
        journal.mark([(row, source.line)], "invalid", reason=reason)
        if self.on_row is not None:
            self.on_row(
                RowOutcome(row=row, line=source.line, state="invalid", reason=reason, source=source)
            )

    def _tell(self, outcome: RowOutcome) -> None:
        if self.on_row is not None:
            self.on_row(outcome)

    def _record(
        self,
        row: int,
        source: SourceRow,
        error: BaseException | None,
        contact_id: str | None = None,
    ) -> None:
        journal = self.journal
        assert journal is not None
        if isinstance(error, ValueError):
            self._invalid(row, source, str(error))  # refused by contact_row, never sent
            return
        if error is None:
            journal.mark([(row, source.line)], "ok", contact_id=contact_id)
            if self.on_row is not None:
                self.on_row(
                    RowOutcome(
                        row=row, line=source.line, state="ok", contact_id=contact_id, source=source
                    )
                )
            return
        retry = _worth_retrying(error)
        reason = _describe(error)
        journal.mark([(row, source.line)], "failed", reason=reason, retry=retry)
        state = "unknown" if retry else "failed"
        self._tell(RowOutcome(row=row, line=source.line, state=state, reason=reason, source=source))

    async def _create(self) -> None:
        """One POST per row still to do, row ``n`` keyed ``{prefix}-{n}`` on every run."""
        journal = self.journal
        assert journal is not None
        prefix = journal.key_prefix
        started: dict[int, tuple[int, SourceRow]] = {}

        async def bodies() -> AsyncIterator[Any]:
            index = 0
            async for row, source, body, done in self._rows_checked():
                if done:
                    continue
                started[index] = (row, source)
                index += 1
                journal.mark([(row, source.line)], "sent")
                yield body

        def key(index: int, body: Any) -> str:
            return f"{prefix}-{started[index][0]}"

        run = self._tk.contacts.bulk_create(
            bodies(), concurrency=self._concurrency, idempotency_key=key
        )
        try:
            async with run:
                async for result in run:
                    row, source = started.pop(result.index)
                    self._record(row, source, result.error, _contact_id(result))
        finally:
            for result in run.unreported:
                row, source = started.pop(result.index)
                if result.error is not None and _is_unknown(result.error):
                    self._tell(
                        RowOutcome(row=row, line=source.line, state="unknown", source=source)
                    )
                else:
                    self._record(row, source, result.error, _contact_id(result))

    async def _import(self) -> None:
        """Send the import in chunks whose keys are stable across runs.

        Chunk ``n`` holds the ``n``-th ``chunk_size`` valid rows of the whole input, the same rows
        on every run, so its key ``{prefix}-chunk-{n}`` is safe to reuse; a chunk with any row
        left to do is re-sent whole (the server answers the done rows from its key).
        """
        journal = self.journal
        assert journal is not None
        chunks: list[list[tuple[int, SourceRow, dict[str, Any]]]] = [[]]
        todo: list[int] = []
        async for row, source, body, done in self._rows_checked():
            if len(chunks[-1]) == self._chunk_size:
                chunks.append([])
            chunks[-1].append((row, source, body))
            if not done and (not todo or todo[-1] != len(chunks) - 1):
                todo.append(len(chunks) - 1)
        gate = asyncio.Semaphore(self._concurrency)
        in_flight: set[int] = set()

        async def send(number: int) -> None:
            members = chunks[number]
            async with gate:
                pending = [m for m in members if not self._is_done(m[0])]
                journal.mark([(row, source.line) for row, source, _ in pending], "sent")
                in_flight.add(number)
                try:
                    result = await self._send_chunk(number, [body for _, _, body in members])
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    for row, source, _ in pending:
                        self._record(row, source, exc)
                    return
                finally:
                    in_flight.discard(number)
                refused = _refused_rows(result, len(members))
                for index, (row, source, _) in enumerate(members):
                    if not self._is_done(row):
                        error = refused.get(index)
                        self._record(row, source, None if error is None else _RowError(error))

        try:
            await asyncio.gather(*(send(n) for n in todo))
        finally:
            for number in in_flight:
                for row, source, _ in chunks[number]:
                    if not self._is_done(row):
                        self._tell(
                            RowOutcome(row=row, line=source.line, state="unknown", source=source)
                        )

    def _is_done(self, row: int) -> bool:
        known = self._known.get(row)
        return known is not None and known[0] in FINAL and not known[1]

    async def _send_chunk(self, number: int, bodies: list[dict[str, Any]]) -> Any:
        from ._variants import BARE
        from ._wire import to_wire
        from .models.contacts import ImportResult

        journal = self.journal
        assert journal is not None
        body = to_wire({"team_id": self._team_id, "contacts": bodies})
        return await self._tk.contacts._request(  # pyright: ignore[reportPrivateUsage] - same package
            "POST",
            "crm/contacts/import",
            ImportResult,
            BARE,
            json=body,
            idempotency_key=f"{journal.key_prefix}-chunk-{number}",
        )


def _with_defaults(
    fields: Mapping[str, Any] | ContactInput | None, defaults: dict[str, Any]
) -> Any:
    if isinstance(fields, ContactInput):
        return fields
    if fields is None:
        return dict(defaults)
    merged = dict(fields)
    for name, value in defaults.items():
        camel_name = "teamId" if name == "team_id" else "companyId"
        if merged.get(name) in (None, "") and merged.get(camel_name) in (None, ""):
            merged.pop(camel_name, None)
            merged[name] = value
    return merged


def _contact_id(result: Any) -> str | None:
    contact = result.contact
    return None if contact is None else contact.id


def _refused_rows(result: Any, size: int) -> dict[int, Mapping[str, Any]]:
    """The rows of one chunk the server refused, by position in the chunk."""
    refused: dict[int, Mapping[str, Any]] = {}
    errors: list[Any] = result.errors or []
    for item in errors:
        if isinstance(item, Mapping):
            error = cast("Mapping[str, Any]", item)
            index = error.get("row", error.get("index"))
            if isinstance(index, int) and 0 <= index < size:
                refused[index] = error
    return refused


class _RowError(Exception):
    """A row the import endpoint refused (or left out after its retries)."""

    def __init__(self, error: Mapping[str, Any]) -> None:
        """Set up; the arguments are described on the class."""
        super().__init__(str(error.get("error", error)))
        self.error = error


def _is_unknown(error: BaseException) -> bool:
    from ._errors import OutcomeUnknownError

    return isinstance(error, OutcomeUnknownError)


def _worth_retrying(error: BaseException) -> bool:
    """Whether a re-run should send a failed row again.

    Yes for a server error, a lost connection or an unknown outcome; no for a row the server
    refused (4xx) or one refused before sending.
    """
    from ._errors import APIError, TalkturoError

    if isinstance(error, APIError):
        return error.status_code >= 500 or error.status_code == 429
    if isinstance(error, _RowError):
        return bool(error.error.get("retry"))
    return isinstance(error, TalkturoError)


def _describe(error: BaseException) -> str:
    from ._errors import APIError

    if isinstance(error, APIError):
        return f"{error.status_code} {error.message}"
    return str(error) or type(error).__name__


async def _aiter(source: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[Any]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item
