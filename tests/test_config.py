"""Client construction: API key and base URL rules (no network)."""

from __future__ import annotations

import pytest

from talkturo_async import Talkturo

KEY = "tk_live_abcdefghijklmnop"


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """TALKTURO_API_KEY and TALKTURO_BASE_URL are the defaults."""
    monkeypatch.setenv("TALKTURO_API_KEY", KEY)
    monkeypatch.setenv("TALKTURO_BASE_URL", "https://acme.talkturo.ai/api")
    tk = Talkturo()
    assert str(tk.base_url) == "https://acme.talkturo.ai/api/"


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without TALKTURO_BASE_URL the documented server is used."""
    monkeypatch.delenv("TALKTURO_BASE_URL", raising=False)
    assert str(Talkturo(KEY).base_url) == "https://api.talkturo.com/api/"


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key anywhere: the error says how to pass one."""
    monkeypatch.delenv("TALKTURO_API_KEY", raising=False)
    with pytest.raises(ValueError, match="TALKTURO_API_KEY"):
        Talkturo()


def test_wrong_prefix_refused_without_quoting_key() -> None:
    """A key that is not tk_live_/tk_test_ is refused; the message never echoes it."""
    with pytest.raises(ValueError, match="check_key_prefix=False") as info:
        Talkturo("sk-secret-value-123")
    assert "sk-secret-value-123" not in str(info.value)


def test_other_bearer_tokens_allowed_explicitly() -> None:
    """check_key_prefix=False lets a non-tk bearer token through."""
    Talkturo("eyJhbGciOiJIUzI1NiJ9.payload.sig", check_key_prefix=False)


def test_key_with_whitespace_refused() -> None:
    """A pasted key with a newline is refused before it can break a header."""
    with pytest.raises(ValueError, match="white space"):
        Talkturo(KEY + "\n")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://acme.example.com", "https://acme.example.com/api/"),
        ("https://acme.example.com/", "https://acme.example.com/api/"),
        ("https://acme.example.com/api", "https://acme.example.com/api/"),
        ("https://acme.example.com/api/", "https://acme.example.com/api/"),
        ("https://acme.example.com/proxy/api", "https://acme.example.com/proxy/api/"),
        ("http://127.0.0.1:8080/api", "http://127.0.0.1:8080/api/"),
        ("http://localhost:8080", "http://localhost:8080/api/"),
        ("http://[::1]:9000/api", "http://[::1]:9000/api/"),
    ],
)
def test_base_url_normalised(given: str, expected: str) -> None:
    """Trailing slashes and bare origins normalise to one base ending in /api/."""
    assert str(Talkturo(KEY, base_url=given).base_url) == expected


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("http://acme.example.com/api", "clear text"),
        ("ftp://acme.example.com/api", "absolute http"),
        ("acme.example.com/api", "absolute http"),
        ("https://user:pw@acme.example.com/api", "credentials"),
        ("https://acme.example.com/api?x=1", "query"),
    ],
)
def test_bad_base_urls_refused(given: str, fragment: str) -> None:
    """Plain http off loopback, non-http schemes, credentials and queries are refused."""
    with pytest.raises(ValueError, match=fragment):
        Talkturo(KEY, base_url=given)


def test_repr_hides_key() -> None:
    """repr(client) shows the base URL and nothing of the key."""
    tk = Talkturo(KEY)
    assert KEY not in repr(tk)
    assert "abcdefghijklmnop" not in repr(tk)
    assert "api.talkturo.com" in repr(tk)


@pytest.mark.parametrize("name", ["timeout", "deadline"])
def test_timeouts_must_be_positive(name: str) -> None:
    """A zero or negative timeout/deadline is a ValueError naming it."""
    with pytest.raises(ValueError, match=name):
        Talkturo(KEY, timeout=0) if name == "timeout" else Talkturo(KEY, deadline=0)


def test_session_and_transport_exclusive() -> None:
    """session= and transport= cannot both be given."""
    from talkturo_async import MockTransport, Response

    with pytest.raises(ValueError, match="session= or transport="):
        Talkturo(KEY, session=object(), transport=MockTransport(lambda r: Response(status=200)))  # type: ignore[arg-type]
