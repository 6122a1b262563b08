"""Client configuration rules: where the API key and base URL come from and what is accepted.

Pure functions, no I/O beyond reading the environment mapping they are given.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from typing import Literal

import attrs
from yarl import URL

DEFAULT_BASE_URL = "https://api.talkturo.com/api"
API_KEY_ENV = "TALKTURO_API_KEY"
BASE_URL_ENV = "TALKTURO_BASE_URL"
KEY_PREFIXES = ("tk_live_", "tk_test_")


def resolve_api_key(api_key: str | None, env: Mapping[str, str], *, check_prefix: bool) -> str:
    """Return the key to send, from the argument or ``TALKTURO_API_KEY``.

    Raises ``ValueError`` (never quoting the key) when there is none, when it holds white space,
    or, with ``check_prefix``, when it does not start with ``tk_live_`` / ``tk_test_``.
    """
    key = api_key if api_key is not None else env.get(API_KEY_ENV)
    if not key:
        raise ValueError(
            f"no API key: pass Talkturo(api_key=...) or set the {API_KEY_ENV} environment variable"
        )
    if any(ch.isspace() for ch in key):
        raise ValueError(
            "the API key contains white space; copy it again without spaces or newlines"
        )
    if check_prefix and not key.startswith(KEY_PREFIXES):
        raise ValueError(
            "the API key does not look like a Talkturo API key (those start with 'tk_live_' or "
            "'tk_test_'); to send another bearer token, pass Talkturo(..., check_key_prefix=False)"
        )
    return key


CredentialKind = Literal["api_key", "jwt", "session"]
SESSION_COOKIE = "sb-access-token"


@attrs.frozen
class Credential:
    """What the client authenticates with: an API key, a JWT or a web session token.

    An API key or a JWT is sent as ``Authorization: Bearer``, a web session token as the
    ``sb-access-token`` cookie. The token is never in ``repr``.
    """

    kind: CredentialKind
    token: str = attrs.field(repr=False)

    def headers(self) -> dict[str, str]:
        """The header that carries the credential."""
        if self.kind == "session":
            return {"Cookie": f"{SESSION_COOKIE}={self.token}"}
        return {"Authorization": f"Bearer {self.token}"}


def resolve_credential(
    api_key: str | None,
    jwt: str | None,
    session_token: str | None,
    env: Mapping[str, str],
    check_prefix: bool = True,
) -> Credential:
    """Return the one credential to send: ``jwt``, ``session_token`` or the API key.

    Raises ``ValueError`` (never quoting a token) when more than one is given, or when a JWT or
    session token is empty or holds white space (or, for the cookie, ``;`` or ``,``). Without
    ``jwt``/``session_token`` the API key rules of :func:`resolve_api_key` apply; the ``tk_``
    prefix check is for API keys only.
    """
    given = [
        name
        for name, v in (("api_key", api_key), ("jwt", jwt), ("session_token", session_token))
        if v is not None
    ]
    if len(given) > 1:
        raise ValueError(f"pass exactly one credential, not {' and '.join(given)}")
    if jwt is not None:
        return Credential("jwt", _checked_token("jwt", jwt, ""))
    if session_token is not None:
        return Credential("session", _checked_token("session_token", session_token, ";,"))
    return Credential("api_key", resolve_api_key(api_key, env, check_prefix=check_prefix))


def _checked_token(name: str, token: str, separators: str) -> str:
    if not token or any(ch.isspace() or ch in separators for ch in token):
        raise ValueError(f"{name} is empty or holds white space or separators; copy it again")
    return token


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine.

    That is ``localhost``, a loopback address, or a ``*.localhost`` name that actually resolves only
    to loopback addresses (resolvers may send those elsewhere).
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    if not host.endswith(".localhost"):
        return False
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def resolve_base_url(base_url: str | URL | None, env: Mapping[str, str]) -> URL:
    """Return the API base as a yarl URL whose path ends in ``/``, so relative paths join under it.

    ``https://acme.example.com`` becomes ``https://acme.example.com/api/``; ``.../api`` and
    ``.../api/`` both become ``.../api/``. Plain ``http://`` is accepted only for loopback hosts,
    so an API key is never sent in clear text over a network.
    """
    raw = base_url if base_url is not None else env.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    url = URL(str(raw).strip())
    if not url.is_absolute() or url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL such as {DEFAULT_BASE_URL!r}")
    if url.user or url.password:
        raise ValueError("base_url must not carry credentials; pass the API key as api_key")
    if url.query_string or url.fragment:
        raise ValueError("base_url must not have a query string or fragment")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise ValueError(
            "base_url uses plain http:// to a non-loopback host, which would send the API key in "
            "clear text; use https://"
        )
    path = url.path.rstrip("/")
    if not path:
        path = "/api"
    return url.with_path(path + "/")


def check_timeout(name: str, value: float | None) -> None:
    """Refuse a timeout that is not a positive number of seconds (``None`` means no limit)."""
    if value is not None and value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds or None")
