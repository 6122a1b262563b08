"""Hostile review of issue #15's changes: what a user sees must not differ from before them.

Lazy API groups (``tk.flows`` built on first access), lazy model names, and the request path
that hands back the call's coroutine. Compared against e2671a7, the last commit before them.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
import typing
import warnings
from pathlib import Path

import pytest
from aiohttp import web

from talkturo_async import (
    ClientStateError,
    RateLimitError,
    Request,
    Response,
    RetryPolicy,
    Talkturo,
)
from tests.conftest import KEY, MockClient, Serve, ok

CONTACT = {"id": "ct_1", "first_name": "Ada", "last_name": "Lovelace"}


def test_get_type_hints_of_the_client_still_resolve() -> None:
    """``typing.get_type_hints(Talkturo)`` (docs tools, DI containers) must not raise NameError.

    The group annotations once named classes the module imported; lazily built groups must not
    leave annotations naming classes the module no longer has at run time.
    """
    from talkturo_async.resources.flows import Flows

    hints = typing.get_type_hints(Talkturo)
    assert hints.get("flows", Flows) is Flows  # a group's hint, if any, is its class


_TYPED_USE = """\
from talkturo_async import Talkturo
from talkturo_async.resources.contacts import Contacts


def swap(tk: Talkturo, contacts: Contacts) -> None:
    tk.contacts = contacts  # a test double, or a subclass's own group
    reveal_type(tk.flows)
    reveal_type(tk.with_options(timeout=1).contacts)
"""


def test_pyright_sees_groups_as_plain_attributes(tmp_path: Path) -> None:
    """Pyright reads ``tk.flows`` as ``Flows`` and accepts assigning a group, as before."""
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyright"
    )
    if pyright is None:  # pragma: no cover - pyright is a dev dependency
        pytest.skip("pyright is not installed")
    source = tmp_path / "use.py"
    source.write_text(_TYPED_USE)
    run = subprocess.run(
        [pyright, "--pythonpath", sys.executable, str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = run.stdout
    assert 'Type of "tk.flows" is "Flows"' in out, out
    assert 'Type of "tk.with_options(timeout=1).contacts" is "Contacts"' in out, out
    assert "0 errors" in out, out


async def test_view_groups_are_bound_to_the_view_whenever_read(mock_client: MockClient) -> None:
    """A view's group sends with the view's settings, whether the parent read it first or not."""
    keys: list[str | None] = []

    def handler(request: Request) -> Response:
        keys.append(request.headers.get("Idempotency-Key"))
        return ok({"success": True, "contact": CONTACT})

    tk, _ = mock_client(handler)
    early = tk.with_options(idempotency_key="view-early")
    assert tk.contacts is tk.contacts  # the parent builds and keeps its group
    late = tk.with_options(idempotency_key="view-late")
    for client in (early, late, tk):
        await client.contacts.create(team_id="t", company_id="c", first_name="A", last_name="L")
    assert keys[:2] == ["view-early", "view-late"]
    assert keys[2] not in ("view-early", "view-late")
    assert late.contacts is not tk.contacts and early.flows is not tk.flows


async def test_build_errors_surface_at_await_and_warn_once(mock_client: MockClient) -> None:
    """A closed client raises at ``await`` (not when the method is called); an unawaited call
    warns once, for the method itself, not for the SDK's inner coroutine."""
    tk, _ = mock_client(lambda request: ok({"success": True, "contact": CONTACT}))
    await tk.aclose()
    call = tk.contacts.get("ct_1")  # no error yet: a coroutine, as before
    with pytest.raises(ClientStateError, match="client is closed"):
        await call
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        tk.contacts.get("ct_1")  # type: ignore[unused-coroutine] # never awaited
        gc.collect()
    messages = [str(w.message) for w in seen]
    assert messages == ["coroutine 'Contacts.get' was never awaited"]


async def test_retries_after_a_first_failure_over_loopback(serve: Serve) -> None:
    """429 (Retry-After) then 503 then 200: one result, every answer counted; repeated header
    names keep their last value; a 429 past the retries keeps ``retry_after``."""
    answers: list[tuple[int, dict[str, str]]] = [
        (429, {"Retry-After": "0"}),
        (503, {}),
        (200, {}),
        (429, {"Retry-After": "7"}),
    ]

    async def handler(request: web.Request) -> web.StreamResponse:
        status, headers = answers.pop(0)
        body = {"success": status == 200, "contact": CONTACT, "error": "no"}
        response = web.json_response(body, status=status, headers=headers)
        response.headers.add("X-Twice", "first")
        response.headers.add("X-Twice", "second")
        return response

    base_url = await serve(handler)
    policy = RetryPolicy(wait=False, max_retries=2)
    async with Talkturo(KEY, base_url=base_url, retry_policy=policy) as tk:
        raw = await tk.with_raw_response(tk.contacts.get("ct_1"))
        assert raw.parsed.id == "ct_1"
        assert raw.status_code == 200
        assert raw.headers["x-twice"] == "second"
        with pytest.raises(RateLimitError) as caught:
            await tk.with_options(max_retries=0).contacts.get("ct_1")
    assert caught.value.retry_after == 7
    assert answers == []
