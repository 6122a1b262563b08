"""Import cost: ``import talkturo_async`` (and making a client) against ``import aiohttp``.

Each contender is a whole new interpreter (``python -c ...``), so nothing is cached between
runs; the three commands alternate, the order rotating every round. Two clocks per process: its
CPU time (user + system, from the kernel's accounting of the finished child: what the import
costs, whatever else runs on the machine) and its wall time (what a user waits, load included).
Medians of --repeats rounds with min-max, and the ratio to ``import aiohttp`` (median of the
per-round ratios, with their range). Issue #15's line: at most 0.8x.

    python benchmarks/bench_import.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": "pass",
    "import aiohttp": "import aiohttp",
    "import talkturo_async + client": (
        "import talkturo_async; talkturo_async.Talkturo('tk_test_x', base_url='http://127.0.0.1:1')"
    ),
}


def run_once(code: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one ``python -c code`` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{code!r} failed with {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    names = list(COMMANDS)
    for code in COMMANDS.values():  # warm the file system cache and the bytecode
        run_once(code)
    cpu: dict[str, list[float]] = {name: [] for name in names}
    wall: dict[str, list[float]] = {name: [] for name in names}
    for r in range(args.repeats):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            c, w = run_once(COMMANDS[name])
            cpu[name].append(c)
            wall[name].append(w)
    print(f"Python {platform.python_version()}; medians of {args.repeats} processes each")
    for clock, times in (("CPU", cpu), ("wall", wall)):
        anchor = times["import aiohttp"]
        for name, ts in times.items():
            ratios = [t / a for t, a in zip(ts, anchor, strict=True)]
            print(
                f"{clock:<4} {name:<32} {statistics.median(ts) * 1e3:7.1f} ms "
                f"({min(ts) * 1e3:.0f}-{max(ts) * 1e3:.0f})  "
                f"{statistics.median(ratios):.2f}x aiohttp ({min(ratios):.2f}-{max(ratios):.2f})"
            )


if __name__ == "__main__":
    main()
