"""The pytest plugin's fixtures, and the TALKTURO_LOG switch."""

from __future__ import annotations

import asyncio
import os
import sys

from talkturo_async import Talkturo
from talkturo_async.testing import FakeTalkturo


async def test_plugin_fixtures(talkturo_fake: FakeTalkturo, talkturo_client: Talkturo) -> None:
    """talkturo_fake and talkturo_client come from the installed pytest plugin and work together."""
    await talkturo_client.companies.create(team_id=talkturo_fake.team_id, name="Acme")
    assert [c["name"] for c in talkturo_fake.companies.values()] == ["Acme"]


async def test_talkturo_log_env_switches_on_a_handler() -> None:
    """TALKTURO_LOG=debug prints requests to stderr, with the Authorization header redacted."""
    code = (
        "import asyncio\n"
        "from talkturo_async import Talkturo, MockTransport, Response\n"
        "async def main():\n"
        "    t = MockTransport(lambda r: Response.from_json(200, {'success': True, 'message': 'ok'}))\n"
        "    async with Talkturo('tk_test_SECRETKEY123', base_url='https://x.example/api', transport=t) as tk:\n"
        "        await tk.auth.test()\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "TALKTURO_LOG": "debug"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stderr=asyncio.subprocess.PIPE, env=env
    )
    _, err = await proc.communicate()
    text = err.decode()
    assert proc.returncode == 0
    assert "GET https://x.example/api/test-api-key" in text and "<redacted>" in text
    assert "SECRETKEY123" not in text
