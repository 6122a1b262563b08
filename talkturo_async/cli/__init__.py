"""The ``talkturo`` command line (install with ``pip install 'talkturo-async[cli]'``).

Every user mistake ends in a one-line message and a non-zero exit, never a traceback; the API key
is never printed. Exit codes: 0 success, 1 something failed (rows, API errors), 2 usage or
configuration error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


_SECRETS: set[str] = set()  # --api-key values of this run, masked in every usage error


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error never echoes an API key.

    ``unrecognized arguments: --api-key tk_live_...`` would print it.
    """

    def error(self, message: str) -> NoReturn:
        from .._log import mask_secrets

        for secret in _SECRETS:
            message = message.replace(secret, "<redacted>")
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {mask_secrets(message)}\n")


def _remember_secrets(argv: Sequence[str]) -> None:
    for i, arg in enumerate(argv):
        if arg == "--api-key" and i + 1 < len(argv):
            _SECRETS.add(argv[i + 1])
        elif arg.startswith("--api-key="):
            _SECRETS.add(arg.partition("=")[2])
    _SECRETS.discard("")


def _global_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """Add ``--api-key``, ``--base-url`` and ``--debug`` to ``parser`` (before or after a command)."""
    parser.add_argument(
        "--api-key",
        default=default,
        help="API key (default: $TALKTURO_API_KEY, which is safer: a key on the command line is "
        "visible to other users in the process list); never printed",
    )
    parser.add_argument(
        "--base-url",
        default=default,
        help="API base, https://<your-domain>/api (default: $TALKTURO_BASE_URL)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default,
        help="show tracebacks for unexpected errors",
    )


def _version() -> str:
    from .._version import sdk_version

    return sdk_version()


class _Groups:
    """``add_subparsers`` whose every leaf command also takes the global options."""

    def __init__(self, action: Any, common: argparse.ArgumentParser) -> None:
        self._action = action
        self._common = common

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        parser = self._action.add_parser(name, parents=[self._common], **kwargs)
        real = parser.add_subparsers

        def add_subparsers(**options: Any) -> _Groups:
            return _Groups(real(**options), self._common)

        parser.add_subparsers = add_subparsers
        return parser


# Over 60 lines by design: an argparse builder reads best as one declaration of every option.
def build_parser() -> argparse.ArgumentParser:
    """The ``talkturo`` command's parser: global options and one subcommand per task."""
    parser = _Parser(prog="talkturo", description="Talkturo from the command line.")
    _global_options(parser, argparse.SUPPRESS)  # so a value given after the command wins
    parser.set_defaults(api_key=None, base_url=None, debug=False)
    parser.add_argument("--version", action="version", version=f"talkturo {_version()}")
    # The same options are accepted after the command (talkturo contacts list --api-key ...).
    common = _Parser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    groups = _Groups(parser.add_subparsers(dest="group", metavar="COMMAND", required=True), common)

    team_help = "team id (default: $TALKTURO_TEAM_ID)"
    team_default = os.environ.get("TALKTURO_TEAM_ID")

    auth = groups.add_parser("auth", help="check credentials").add_subparsers(
        dest="command", required=True
    )
    auth.add_parser("test", help="check that the API key is accepted")

    contacts = groups.add_parser("contacts", help="CRM contacts").add_subparsers(
        dest="command", required=True
    )
    imp = contacts.add_parser(
        "import",
        help="import contacts from a CSV file",
        description=(
            "Import contacts from a CSV. Headers are matched loosely (first_name, First Name, firstName, ...); "
            "unknown columns become custom fields. Every failed or invalid row is written, with its "
            "reason, to the failed-rows CSV. A journal beside the file (FILE.journal) records each "
            "row's outcome: running the same command again after any interruption resumes and "
            "creates every row exactly once (against a server honouring Idempotency-Key)."
        ),
    )
    imp.add_argument("file", help="the CSV file")
    imp.add_argument(
        "--team-id", default=team_default, required=team_default is None, help=team_help
    )
    imp.add_argument("--company-id", help="company for rows without a company_id column")
    imp.add_argument(
        "--concurrency", type=_positive, default=16, help="requests in flight (default 16)"
    )
    imp.add_argument(
        "--mode",
        choices=("create", "import"),
        default="create",
        help="create: one request per row (default); import: the bulk import endpoint, in chunks",
    )
    imp.add_argument(
        "--chunk-size", type=_positive, default=500, help="rows per request in --mode import"
    )
    imp.add_argument("--failed-out", help="where to write failed rows (default: FILE.failed.csv)")
    imp.add_argument("--dry-run", action="store_true", help="check every row, send nothing")
    imp.add_argument(
        "--journal",
        help="where the import's journal lives (default: FILE.journal); running the same command "
        "again resumes from it",
    )
    imp.add_argument(
        "--restart", action="store_true", help="forget the journal and start the import over"
    )
    imp.add_argument(
        "--status", action="store_true", help="show the journal's state and send nothing"
    )
    imp.add_argument(
        "--encoding",
        help="the file's text encoding (default: detected; UTF-8 with or without BOM, or cp1252)",
    )

    companies = groups.add_parser("companies", help="CRM companies").add_subparsers(
        dest="command", required=True
    )
    ccreate = companies.add_parser("create", help="create a company and print its id")
    ccreate.add_argument("name")
    ccreate.add_argument(
        "--team-id", default=team_default, required=team_default is None, help=team_help
    )
    ccreate.add_argument("--website")
    ccreate.add_argument("--industry")
    ccreate.add_argument("--json", action="store_true", help="print JSON")
    colist = companies.add_parser("list", help="list companies")
    colist.add_argument(
        "--team-id", default=team_default, required=team_default is None, help=team_help
    )
    colist.add_argument("--search")
    colist.add_argument(
        "--limit", type=_positive, default=50, help="at most this many (default 50)"
    )
    colist.add_argument("--json", action="store_true", help="print JSON")

    clist = contacts.add_parser("list", help="list contacts")
    clist.add_argument(
        "--team-id", default=team_default, required=team_default is None, help=team_help
    )
    clist.add_argument("--company-id")
    clist.add_argument("--search")
    clist.add_argument("--limit", type=_positive, default=50, help="at most this many (default 50)")
    clist.add_argument("--json", action="store_true", help="print JSON")

    campaigns = groups.add_parser("campaigns", help="campaigns").add_subparsers(
        dest="command", required=True
    )
    alist = campaigns.add_parser("list", help="list campaigns")
    alist.add_argument(
        "--team-id", default=team_default, required=team_default is None, help=team_help
    )
    alist.add_argument("--status", help="draft, scheduled, running, paused, completed or cancelled")
    alist.add_argument("--limit", type=_positive, default=50, help="at most this many (default 50)")
    alist.add_argument("--json", action="store_true", help="print JSON")
    start = campaigns.add_parser("start", help="start or resume a campaign")
    start.add_argument("campaign_id")
    start.add_argument("--max-calls", type=_positive)
    start.add_argument("--dry-run", action="store_true", help="show who would be called")

    doctor = groups.add_parser(
        "doctor",
        help="report which documented API variant your server speaks (read-only calls)",
        description=(
            "Make a few read-only calls with your key and report the server's envelope, total "
            "key, paging, record casing, rate-limit and request-id headers and latency. The key "
            "is masked and no record values are printed, so the output can go in a bug report. "
            "Exit 0 when the server answered and accepted the key, 1 otherwise."
        ),
    )
    doctor.add_argument(
        "--team-id",
        default=team_default,
        help=team_help + "; needed to sample campaigns and contacts",
    )
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")

    # Its options are python -m talkturo_async.testing's: main() hands them over unparsed.
    groups.add_parser(
        "fake-server",
        add_help=False,
        help="serve a fake Talkturo (with its admin API) until Ctrl-C; see fake-server --help",
    )

    demo = groups.add_parser("demo", help="run the whole story against an embedded fake server")
    demo.add_argument(
        "--contacts", type=_positive, default=2000, help="contacts to import (default 2000)"
    )
    demo.add_argument("--concurrency", type=_positive, default=32)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--no-faults", action="store_true", help="no injected failures")
    return parser


def _command_index(argv: list[str]) -> int | None:
    """Where the command (the first positional argument) is in ``argv``."""
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in ("--api-key", "--base-url"):
            skip = True
        elif not arg.startswith("-"):
            return index
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``talkturo`` command."""
    try:
        from rich.console import Console
    except ImportError:
        print(
            "error: the talkturo command needs the cli extra: pip install 'talkturo-async[cli]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    _remember_secrets(sys.argv[1:] if argv is None else argv)
    argv = list(sys.argv[1:] if argv is None else argv)
    at = _command_index(argv)
    if at is not None and argv[at] == "fake-server":
        build_parser().parse_args(argv[: at + 1])  # the options before it are checked as usual
        from ..testing.__main__ import main as serve

        return serve(argv[at + 1 :], prog="talkturo fake-server")
    args = build_parser().parse_args(argv)
    console = Console()
    errors = Console(stderr=True)

    from . import _import

    state = _import.ImportSession()
    try:
        code = asyncio.run(_interruptible(args, console, state))
    except KeyboardInterrupt:  # where the loop could not take over SIGINT
        code = None
    except (_UsageError, _import.ImportUsageError) as exc:
        errors.print(f"error: {exc}", markup=False, highlight=False)
        return EXIT_USAGE
    except Exception as exc:
        return _report(exc, args, errors)
    if code is None:
        if args.group == "contacts" and args.command == "import":
            _import.print_summary(console, state, interrupted=True)
        errors.print("interrupted")
        return EXIT_INTERRUPTED
    return code


def _report(exc: Exception, args: argparse.Namespace, errors: Any) -> int:
    """One line for an error that ended the command (a traceback only with --debug)."""
    from .. import APIError, AuthenticationError, TalkturoError

    if isinstance(exc, AuthenticationError):
        errors.print(
            "error: the API key was refused (401); check --api-key or TALKTURO_API_KEY",
            markup=False,
        )
    elif isinstance(exc, APIError):
        errors.print(f"error: {exc.status_code} {exc.message}", markup=False, highlight=False)
    elif isinstance(exc, TalkturoError):
        errors.print(f"error: {exc}", markup=False, highlight=False)
    elif args.debug:
        raise exc
    else:
        errors.print(
            f"unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
            markup=False,
        )
    return EXIT_FAILED


async def _interruptible(args: argparse.Namespace, console: Any, state: Any) -> int | None:
    """Run the command; ``None`` means it was interrupted.

    Ctrl-C cancels it inside the running loop, so requests in flight are cancelled and the client
    closes cleanly on every Python version.
    """
    task = asyncio.current_task()
    assert task is not None
    with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, task.cancel)
    try:
        return await _run(args, console, state)
    except asyncio.CancelledError:
        return None


_HINTS = (
    ("pass Talkturo(api_key=...)", "pass --api-key"),
    ("pass Talkturo(..., check_key_prefix=False)", "check --api-key / TALKTURO_API_KEY"),
    ("pass the API key as api_key", "give the key with --api-key or TALKTURO_API_KEY"),
    ("base_url", "--base-url"),
)


def _cli_hint(message: str) -> str:
    """A client error's hint in terms of the command's flags instead of Python arguments."""
    for python, flag in _HINTS:
        message = message.replace(python, flag)
    return message


class _UsageError(Exception):
    """A mistake in the command line or configuration; printed as one line, exit 2."""


async def _run(args: argparse.Namespace, console: Any, state: Any) -> int:
    from ..journal import JournalMismatchError
    from . import _commands
    from ._csvrows import CsvError

    if args.group == "demo":
        from ._demo import demo

        return await demo(args, console)

    from .. import Talkturo
    from . import _import

    importing = (args.group, getattr(args, "command", None)) == ("contacts", "import")
    if importing and args.status:
        return _import.status(args, console)
    try:
        client = Talkturo(api_key=args.api_key, base_url=args.base_url)
    except ValueError as exc:
        raise _UsageError(_cli_hint(str(exc))) from None
    commands: dict[tuple[str, str], Callable[..., Awaitable[int]]] = {
        ("auth", "test"): _commands.auth_test,
        ("companies", "create"): _commands.companies_create,
        ("companies", "list"): _commands.companies_list,
        ("contacts", "list"): _commands.contacts_list,
        ("campaigns", "list"): _commands.campaigns_list,
        ("campaigns", "start"): _commands.campaigns_start,
    }
    async with client as tk:
        if args.group == "doctor":
            return await _commands.doctor(tk, args, console)
        if importing:
            try:
                if args.dry_run:
                    return _import.dry_run(args, console)
                return await _import.contacts_import(tk, args, console, state)
            except JournalMismatchError as exc:
                raise _UsageError(str(exc)) from None
            except OSError as exc:
                raise _UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
            except CsvError as exc:
                raise _UsageError(f"{args.file}: {exc}") from None
        return await commands[(args.group, args.command)](tk, args, console)
