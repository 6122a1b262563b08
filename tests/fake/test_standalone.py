"""``python -m talkturo_async.testing`` serves a fake until interrupted."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys

import aiohttp


async def test_standalone_server_prints_url_and_serves() -> None:
    """The module prints the base URL and key, answers requests, and stops cleanly on SIGINT."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "talkturo_async.testing",
        "--port",
        "0",
        "--seed",
        "3",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert proc.stdout is not None
    lines = [(await asyncio.wait_for(proc.stdout.readline(), 20)).decode() for _ in range(3)]
    base = re.search(r"TALKTURO_BASE_URL=(\S+)", "".join(lines))
    key = re.search(r"TALKTURO_API_KEY=(\S+)", "".join(lines))
    assert base and key and key.group(1).startswith("tk_test_")
    async with (
        aiohttp.ClientSession() as s,
        s.get(
            base.group(1) + "/test-api-key", headers={"Authorization": f"Bearer {key.group(1)}"}
        ) as r,
    ):
        assert r.status == 200
    proc.send_signal(signal.SIGINT)
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err


async def test_standalone_port_in_use_is_a_message() -> None:
    """A busy port prints an error line, not a traceback, and exits non-zero."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "talkturo_async.testing",
            "--port",
            str(port),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 1
    assert b"cannot serve" in err and b"Traceback" not in err
