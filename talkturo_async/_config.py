"""Client configuration rules: where the API key and base URL come from and what is accepted.

Pure functions, no I/O beyond reading the environment mapping they are given. The ``check_*``
functions are the argument checks every public constructor and ``list`` method uses: a wrong type
is a ``TypeError``, a wrong value a ``ValueError``, each naming the argument (and never quoting a
credential), raised before anything is sent.
"""

from __future__ import annotations

import ipaddress
import math
import numbers
import re
import socket
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal, cast

import attrs
from yarl import URL

DEFAULT_BASE_URL = "https://api.talkturo.com/api"
API_KEY_ENV = "TALKTURO_API_KEY"
BASE_URL_ENV = "TALKTURO_BASE_URL"
KEY_PREFIXES = ("tk_live_", "tk_test_")


def resolve_api_key(api_key: str | None, env: Mapping[str, str], *, check_prefix: bool) -> str:
    """Return the key to send, from the argument or ``TALKTURO_API_KEY``.

    Raises ``ValueError`` (never quoting the key) when there is none, when it holds a character
    that cannot be part of a key (see :func:`check_token`), or, with ``check_prefix``, when it does
    not start with ``tk_live_`` / ``tk_test_``.
    """
    name = "api_key" if api_key is not None else API_KEY_ENV
    key = api_key if api_key is not None else env.get(API_KEY_ENV)
    if not key:
        raise ValueError(
            f"no API key: pass Talkturo(api_key=...) or set the {API_KEY_ENV} environment variable"
        )
    check_token(name, key)
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

    Raises ``TypeError`` when a credential is not a ``str``, ``ValueError`` (never quoting a
    token) when more than one is given, or when a JWT or session token is empty or holds white
    space, an invisible or control character (or, for the cookie, ``;`` or ``,``). Without
    ``jwt``/``session_token`` the API key rules of :func:`resolve_api_key` apply; the ``tk_``
    prefix check is for API keys only.
    """
    for name, value in (("api_key", api_key), ("jwt", jwt), ("session_token", session_token)):
        if value is not None and not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance] - user input
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
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
    if not token:
        raise ValueError(f"{name} is empty; copy it again")
    return check_token(name, token, separators=separators)


_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NUL"}


def _char_kind(ch: str, separators: str) -> str | None:
    """What is wrong with ``ch`` inside a token, or ``None`` if it may be there."""
    if ch.isspace():
        return "white space"
    if ch in separators:
        return "a separator"
    if unicodedata.category(ch) == "Cf":  # zero-width space, joiners, BOM, soft hyphen...
        return "an invisible character"
    if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
        return "a control character"
    if not ch.isascii():
        return "a non-ASCII character"
    return None


def check_token(name: str, token: Any, *, separators: str = "") -> str:
    """Return ``token`` if it can be sent in a header as it is; the message never quotes it.

    Refused: white space, zero-width and other invisible characters (U+200B..U+200D, U+2060,
    U+FEFF, ...), NUL and other control characters, anything outside ASCII, and the given
    ``separators``. The message names the argument, the kind of character and its position.

    Raises:
        TypeError: ``token`` is not a ``str``.
        ValueError: a character that cannot be part of a token.
    """
    if not isinstance(token, str):
        raise TypeError(f"{name} must be a str, got {type(token).__name__}")
    for position, ch in enumerate(token, start=1):
        kind = _char_kind(ch, separators)
        if kind is None:
            continue
        if kind != "a non-ASCII character":  # a visible one is part of the secret: not named
            label = unicodedata.name(ch, _CONTROL_NAMES.get(ch, ""))
            kind += f" (U+{ord(ch):04X}{' ' + label if label else ''})"
        raise ValueError(
            f"{name} holds {kind} at character {position}; copy it again without spaces, "
            "newlines or invisible characters"
        )
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
    if base_url is not None and not isinstance(base_url, (str, URL)):  # pyright: ignore[reportUnnecessaryIsInstance] - user input
        raise TypeError(f"base_url must be a str or yarl.URL, got {type(base_url).__name__}")
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


def describe(value: Any) -> str:
    """``'50' (str)``: a value and its type, for an argument error (never use it on a secret)."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} ({type(value).__name__})"


def check_int(
    name: str,
    value: Any,
    *,
    minimum: int,
    maximum: int | None = None,
    optional: bool = False,
    none_means: str = "",
) -> None:
    """Refuse anything but an ``int`` in ``minimum..maximum`` (a ``bool`` is refused too).

    ``optional`` lets ``None`` through; ``none_means`` does too, and says what it means in the
    messages (``"no limit"``).

    Raises:
        TypeError: not an ``int`` (a ``bool``, ``float`` or ``str`` is refused).
        ValueError: out of range.
    """
    if value is None and (optional or none_means):
        return
    alternative = f" (or None for {none_means})" if none_means else " or None" if optional else ""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int{alternative}, got {describe(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        if maximum is not None:
            bounds = f"be between {minimum} and {maximum}"
        else:
            bounds = "not be negative" if minimum == 0 else f"be at least {minimum}"
        raise ValueError(f"{name} must {bounds}{alternative if none_means else ''}, got {value}")


def check_number(
    name: str,
    value: Any,
    *,
    optional: bool = False,
    zero: bool = False,
    infinite: bool = False,
    what: str = "number of seconds",
) -> None:
    """Refuse anything but a real number (not ``bool``, not ``str``) above 0.

    ``zero`` lets 0 through, ``infinite`` lets ``inf`` through, ``optional`` lets ``None``
    through; NaN is always refused.

    Raises:
        TypeError: not a real number.
        ValueError: NaN, infinite, negative, or 0 without ``zero``.
    """
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = f"a {what}" + (" or None" if optional else "")
        raise TypeError(f"{name} must be {kind}, got {describe(value)}")
    number = float(value)
    bad_inf = math.isinf(number) and not infinite
    if math.isnan(number) or bad_inf or number < 0 or (number == 0 and not zero):
        sign = "a non-negative" if zero else "a positive"
        finite = "" if infinite else ", finite"
        none = " or None" if optional else ""
        raise ValueError(f"{name} must be {sign}{finite} {what}{none}, got {value!r}")


def check_bool(name: str, value: Any) -> None:
    """Refuse anything but ``True``/``False`` (``1``, ``"yes"``...).

    Raises:
        TypeError: not a ``bool``.
    """
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")


def check_timeout(name: str, value: Any) -> None:
    """Refuse a timeout that is not a positive, finite number of seconds (``None``: no limit).

    Raises:
        TypeError: not a number (a ``str`` or ``bool`` included).
        ValueError: zero, negative, NaN or infinite.
    """
    check_number(name, value, optional=True)


def check_header_value(name: str, value: Any) -> None:
    """Refuse a header value that is not a ``str`` or holds CR, LF, NUL or another control character.

    Such a value could split or end the header. The message names the argument, never the value
    (it may be a secret).

    Raises:
        TypeError: not a ``str``.
        ValueError: a control character other than a tab.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    bad = next((ch for ch in value if ch != "\t" and unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        kind = "a line break" if bad in "\r\n" else f"a control character (U+{ord(bad):04X})"
        raise ValueError(f"{name} holds {kind}, which would break the request")


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def check_headers(name: str, headers: Any) -> dict[str, str]:
    """Return ``headers`` as a dict once every name is an HTTP token and every value a clean str.

    A value with CR, LF, NUL or another control character is refused (see
    :func:`check_header_value`); the message names the header, never the value.

    Raises:
        TypeError: not a mapping, or a name or value that is not a ``str``.
        ValueError: a malformed header name or a value with a control character.
    """
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise TypeError(f"{name} must be a mapping of str to str, got {type(headers).__name__}")
    out: dict[str, str] = {}
    for key, value in cast("Mapping[object, Any]", headers).items():
        if not isinstance(key, str):
            raise TypeError(f"{name}: header names must be str, got {describe(key)}")
        if not _HEADER_NAME.fullmatch(key):
            raise ValueError(f"{name}: {key!r} is not a valid header name")
        check_header_value(f"{name}[{key!r}]", value)
        out[key] = value
    return out
