"""``python -m talkturo_async.testing`` (or ``talkturo fake-server``): serve a FakeTalkturo.

It serves until Ctrl-C, with every knob of the in-process fake on the command line and the admin API
on the same port, so tests in another process can drive it (see :class:`FakeAdmin`).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._dialect import DIALECTS

if TYPE_CHECKING:
    from ._server import FakeTalkturo


def _share(text: str) -> float:
    """A probability between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _seconds_list(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of seconds: {text!r}"
        ) from None


def _statuses(text: str) -> tuple[int, ...]:
    try:
        statuses = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of statuses: {text!r}"
        ) from None
    if not statuses:
        raise argparse.ArgumentTypeError("at least one status is needed")
    return statuses


# Over 60 lines by design: an argparse builder, one option per knob of the fake.
def build_parser(prog: str = "python -m talkturo_async.testing") -> argparse.ArgumentParser:
    """The fake server's parser: every ``FakeTalkturo`` knob as an option, named ``prog``."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Serve a stateful fake Talkturo API for local development and out-of-process tests. "
            "The admin API (seed records, script failures, read the request log, reset) is served "
            "on the same port under /__admin/, needs no API key and answers loopback clients only."
        ),
    )
    server = parser.add_argument_group("server")
    server.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    server.add_argument(
        "--port",
        type=int,
        default=8080,
        help="port (0 picks a free one and prints it; default 8080)",
    )
    server.add_argument(
        "--seed", type=int, default=0, help="seed for ids, outcomes, faults and keys"
    )
    server.add_argument(
        "--dialect",
        choices=sorted(DIALECTS),
        default="live",
        help="how answers are spelled: live (default), repo (data/total/page/camelCase) or bare",
    )
    server.add_argument(
        "--api-key",
        default=None,
        help="the tk_test_ key to accept (default: derived from the seed)",
    )
    server.add_argument("--team-id", default="team_01fake", help="this account's team id")
    server.add_argument("--account-slug", default="acme", help="this account's slug")
    server.add_argument(
        "--seed-data",
        metavar="FILE",
        help="records to start with: JSON by kind (companies, contacts, ...) or a CSV of contacts",
    )

    faults = parser.add_argument_group("latency and faults")
    faults.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    faults.add_argument(
        "--jitter-ms", type=float, default=0.0, help="up to this much more, at random"
    )
    faults.add_argument(
        "--error-rate", type=_share, default=0.0, help="share of requests answered 5xx"
    )
    faults.add_argument(
        "--error-statuses",
        type=_statuses,
        default=(500, 502, 503, 504),
        help="the statuses --error-rate picks from (default 500,502,503,504)",
    )
    faults.add_argument(
        "--html-error-rate", type=_share, default=0.0, help="share of those errors sent as HTML"
    )
    faults.add_argument(
        "--reset-rate", type=_share, default=0.0, help="share of connections dropped unanswered"
    )
    faults.add_argument(
        "--after-commit-failure-rate",
        type=_share,
        default=0.0,
        help="share of writes applied and then answered 500",
    )
    faults.add_argument(
        "--slow-body-ms", type=float, default=0.0, help="stall this long in the middle of each body"
    )

    limits = parser.add_argument_group("rate limits and budgets")
    limits.add_argument(
        "--rate-limit",
        type=int,
        default=None,
        metavar="N",
        help="requests allowed per key per --rate-limit-window (default: no limit); then 429",
    )
    limits.add_argument(
        "--rate-limit-window", type=float, default=3600.0, help="seconds (default 3600)"
    )
    limits.add_argument(
        "--credits", type=float, default=100.0, help="account balance (default 100)"
    )
    limits.add_argument("--number-price", default="1.00", help='price of a number (default "1.00")')
    limits.add_argument("--max-page-size", type=int, default=500, help="largest page served")
    limits.add_argument("--max-import-rows", type=int, default=1000, help="rows per contact import")
    limits.add_argument(
        "--no-idempotency",
        action="store_true",
        help="ignore Idempotency-Key (shows what a retried POST does without it)",
    )

    hooks = parser.add_argument_group("webhooks")
    hooks.add_argument("--webhook-url", help="where to deliver Ed25519-signed call events")
    hooks.add_argument("--billing-webhook-url", help="where to deliver HMAC-signed billing events")
    hooks.add_argument(
        "--billing-secret", help="HMAC secret of billing events (default: derived from the seed)"
    )
    hooks.add_argument(
        "--webhook-private-key",
        metavar="BASE64",
        help="Ed25519 private key (32 raw bytes, base64) to sign call events with "
        "(default: derived from the seed)",
    )
    hooks.add_argument(
        "--webhook-timeout", type=float, default=5.0, help="seconds a receiver has to answer"
    )
    hooks.add_argument(
        "--webhook-retry-delays",
        type=_seconds_list,
        default=(0.05, 0.25, 1.0),
        help="comma-separated waits before each retry of a failed delivery",
    )
    return parser


def build_fake(args: argparse.Namespace) -> tuple[FakeTalkturo, dict[str, int]]:
    """The FakeTalkturo the arguments describe (not started), and its seeded record counts.

    It is seeded from ``--seed-data``; the counts say how many records of each kind were seeded.

    Raises:
        ValueError: the seed data or the webhook key is invalid.
        OSError: the seed data file cannot be read.
    """
    from ._seeding import apply_seed, load_seed_file
    from ._server import FakeTalkturo

    seeded: dict[str, int] = {}
    fake = FakeTalkturo(
        host=args.host,
        port=args.port,
        seed=args.seed,
        api_key=args.api_key,
        team_id=args.team_id,
        account_slug=args.account_slug,
        latency=args.latency_ms / 1000,
        jitter=args.jitter_ms / 1000,
        error_rate=args.error_rate,
        error_statuses=args.error_statuses,
        html_error_rate=args.html_error_rate,
        reset_rate=args.reset_rate,
        after_commit_failure_rate=args.after_commit_failure_rate,
        slow_body=args.slow_body_ms / 1000,
        rate_limit_per_hour=args.rate_limit,
        rate_limit_window=args.rate_limit_window,
        idempotency=not args.no_idempotency,
        credits=args.credits,
        dialect=DIALECTS[args.dialect],
        number_price=args.number_price,
        max_page_size=args.max_page_size,
        max_import_rows=args.max_import_rows,
        webhook_url=args.webhook_url,
        billing_webhook_url=args.billing_webhook_url,
        webhook_timeout=args.webhook_timeout,
        webhook_retry_delays=args.webhook_retry_delays,
    )
    if args.billing_secret:
        fake.webhooks.billing_secret = args.billing_secret
    if args.webhook_private_key:
        fake.webhooks.use_signing_key(_private_key(args.webhook_private_key))
    if args.seed_data:
        created = apply_seed(fake.state, load_seed_file(args.seed_data))
        seeded = {kind: len(records) for kind, records in created.items()}
    return fake, seeded


def _private_key(text: str) -> Any:
    from ._signing import fake_signing_key

    fake_signing_key()  # the ImportError naming the extra, if cryptography is missing
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise ValueError("--webhook-private-key must be base64 of 32 raw bytes") from None


async def serve(args: argparse.Namespace, ready: asyncio.Event | None = None) -> None:
    """Serve the fake ``args`` describe until SIGINT or SIGTERM; set ``ready`` once it listens."""
    fake, seeded = build_fake(args)
    async with fake:
        print(f"FakeTalkturo serving at {fake.base_url}", flush=True)
        print(f"  TALKTURO_BASE_URL={fake.base_url}", flush=True)
        print(
            f"  TALKTURO_API_KEY={fake.api_key}   (a fake test key; team_id={fake.team_id}, account_slug={fake.account_slug})",
            flush=True,
        )
        print(f"  port: {fake.port}", flush=True)
        print(f"  admin API (loopback only): {fake.admin_url}", flush=True)
        if args.webhook_url:
            print(
                f"  call events -> {args.webhook_url} (public key {fake.webhook_public_key})",
                flush=True,
            )
        if args.billing_webhook_url:
            print(f"  billing events -> {args.billing_webhook_url}", flush=True)
        if seeded:
            counts = ", ".join(f"{n} {kind}" for kind, n in seeded.items())
            print(f"  seeded: {counts}", flush=True)
        print("To point the talkturo command at it, paste:", flush=True)
        print(
            f"  export TALKTURO_API_KEY={fake.api_key} TALKTURO_BASE_URL={fake.base_url} "
            f"TALKTURO_TEAM_ID={fake.team_id}",
            flush=True,
        )
        print("Press Ctrl-C to stop.", flush=True)
        if ready is not None:
            ready.set()
        # Stop on SIGINT/SIGTERM through the loop, so the server closes its connections
        # gracefully instead of being unwound by KeyboardInterrupt.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    print("stopped", flush=True)


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Parse ``argv`` and serve until interrupted; return the exit code.

    The exit code is 2 for bad options or seed data, 1 when the port cannot be bound.
    """
    parser = build_parser(prog) if prog else build_parser()
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:  # where signal handlers are not available
        print("stopped", flush=True)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if args.seed_data and getattr(exc, "filename", None) is not None:
            print(f"error: cannot read {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(
            f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
