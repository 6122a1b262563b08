"""The installed package's version, read once and only when asked (``importlib.metadata`` is slow)."""

from __future__ import annotations

import functools
import platform


@functools.cache
def sdk_version() -> str:
    """``talkturo-async``'s installed version, or ``0+unknown`` when run from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("talkturo-async")
    except PackageNotFoundError:
        return "0+unknown"


@functools.cache
def user_agent() -> str:
    """The ``User-Agent`` the client sends: the SDK, Python and aiohttp versions."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        aio = version("aiohttp")
    except PackageNotFoundError:
        aio = "unknown"
    return f"talkturo-async/{sdk_version()} Python/{platform.python_version()} aiohttp/{aio}"
