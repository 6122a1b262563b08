"""``python -m talkturo_async.testing``: serve a FakeTalkturo until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence

from ._dialect import DIALECTS
from ._server import FakeTalkturo


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m talkturo_async.testing",
        description="Serve a stateful fake Talkturo API on loopback for local development and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port (0 picks a free one; default 8080)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for ids, outcomes and faults")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    parser.add_argument(
        "--jitter-ms", type=float, default=0.0, help="up to this much more, at random"
    )
    parser.add_argument(
        "--error-rate", type=float, default=0.0, help="share of requests answered 5xx"
    )
    parser.add_argument(
        "--dialect",
        choices=sorted(DIALECTS),
        default="live",
        help="how answers are spelled: live (default), repo (data/total/page/camelCase) or bare",
    )
    parser.add_argument("--credits", type=float, default=100.0, help="account balance")
    parser.add_argument(
        "--api-key",
        default=None,
        help="the tk_test_ key to accept (default: derived from the seed)",
    )
    return parser


async def serve(args: argparse.Namespace, ready: asyncio.Event | None = None) -> None:
    fake = FakeTalkturo(
        host=args.host,
        port=args.port,
        seed=args.seed,
        latency=args.latency_ms / 1000,
        jitter=args.jitter_ms / 1000,
        error_rate=args.error_rate,
        credits=args.credits,
        api_key=args.api_key,
        dialect=DIALECTS[args.dialect],
    )
    async with fake:
        print(f"FakeTalkturo serving at {fake.base_url}", flush=True)
        print(f"  TALKTURO_BASE_URL={fake.base_url}", flush=True)
        print(
            f"  TALKTURO_API_KEY={fake.api_key}   (a fake test key; team_id={fake.team_id}, account_slug={fake.account_slug})",
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 0 <= args.error_rate <= 1:
        print("error: --error-rate must be between 0 and 1", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:  # where signal handlers are not available
        print("stopped", flush=True)
    except OSError as exc:
        print(
            f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
