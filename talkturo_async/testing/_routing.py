"""FakeTalkturo's routing: routes as data, the call a rule receives, and the path matcher.

A rule is a plain function ``rule(store, call) -> JSON`` (or raising ``FakeHTTPError``). Each API
group lists its routes as a :class:`RouteGroup` in ``_routes.py``; :class:`RouteTable` compiles
them once, so a request costs one dictionary lookup plus a scan of the routes with as many path
segments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ._multipart import UploadedFile
from ._store import JSON, FakeHTTPError, Store

Credential = str  # "api_key", "jwt" (a user's bearer token) or "session" (the web cookie)
EVERY_CREDENTIAL: tuple[Credential, ...] = ("api_key", "jwt", "session")


@attrs.frozen(kw_only=True)
class Call:
    """What a rule gets from a request: ``{name}`` path parameters, query and JSON body.

    ``body`` is ``{}`` for methods without one; the HTTP layer has already checked it is an object.
    A ``multipart/form-data`` request has its text fields in ``body`` and its files in ``files``.
    """

    path_params: Mapping[str, str] = attrs.field(factory=dict[str, str])
    query: Mapping[str, str] = attrs.field(factory=dict[str, str])
    body: JSON = attrs.field(factory=dict[str, Any])
    # for rules that verify a signature over the exact bytes (flow triggers)
    headers: Mapping[str, str] = attrs.field(factory=dict[str, str], repr=False)
    raw_body: bytes = attrs.field(default=b"", repr=False)
    files: Mapping[str, UploadedFile] = attrs.field(factory=dict[str, UploadedFile])

    @property
    def id(self) -> str:
        """The ``{id}`` path parameter."""
        return self.path_params["id"]


@attrs.frozen
class Answer:
    """A rule's answer with a status other than 200 (``201`` created, ``202`` accepted)."""

    status: int
    body: JSON


Rule = Callable[[Store, Call], "JSON | Answer"]


@attrs.frozen
class Route:
    """One operation: ``method`` on ``pattern`` (``/crm/campaigns/{id}/run``) runs ``rule``."""

    method: str
    pattern: str
    rule: Rule


@attrs.frozen
class RouteGroup:
    """An API group's routes, with the scope and credentials they need.

    ``scope`` is the API-key scope they need (``<scope>:read``/``:write``); ``credentials`` the
    kinds of credential they accept (others get 401).
    """

    scope: str
    routes: tuple[Route, ...]
    credentials: tuple[Credential, ...] = EVERY_CREDENTIAL


@attrs.frozen
class MatchedRoute:
    """A route ready to match: its pattern split into segments (``None`` = a parameter)."""

    method: str
    scope: str
    rule: Rule
    segments: tuple[str | None, ...]
    names: tuple[str, ...]  # the parameter names, in path order
    credentials: tuple[Credential, ...] = EVERY_CREDENTIAL

    def bind(self, parts: list[str]) -> dict[str, str] | None:
        """The path parameters if ``parts`` fits the pattern (parameters are never empty)."""
        params: dict[str, str] = {}
        names = iter(self.names)
        for want, got in zip(self.segments, parts, strict=True):
            if want is None:
                if not got:
                    return None
                params[next(names)] = got
            elif want != got:
                return None
        return params


class RouteTable:
    """Every route of every group, matched by path; literal segments beat parameters.

    Args:
        groups: the API groups served, each with its scope and routes.

    Raises:
        ValueError: two routes share a method and pattern.
    """

    def __init__(self, groups: Iterable[RouteGroup]) -> None:
        self._by_length: dict[int, list[MatchedRoute]] = {}
        seen: set[tuple[str, str]] = set()
        for group in groups:
            for route in group.routes:
                if (route.method, route.pattern) in seen:
                    raise ValueError(f"route {route.method} {route.pattern} is defined twice")
                seen.add((route.method, route.pattern))
                raw = route.pattern.strip("/").split("/")
                segments = tuple(None if s.startswith("{") else s for s in raw)
                names = tuple(s[1:-1] for s in raw if s.startswith("{"))
                matched = MatchedRoute(
                    route.method, group.scope, route.rule, segments, names, group.credentials
                )
                self._by_length.setdefault(len(segments), []).append(matched)
        for (
            routes
        ) in self._by_length.values():  # /phone-numbers/purchase before /phone-numbers/{id}
            routes.sort(key=lambda r: tuple(s is None for s in r.segments))

    def match(self, method: str, path: str) -> tuple[MatchedRoute, dict[str, str]]:
        """The route for ``method`` on ``path`` (relative to ``/api``) and its path parameters.

        Raises:
            FakeHTTPError: 405 if the path exists with other methods only, else 404.
        """
        parts = path.strip("/").split("/")
        path_known = False
        for route in self._by_length.get(len(parts), ()):
            params = route.bind(parts)
            if params is None:
                continue
            if route.method == method:
                return route, params
            path_known = True
        if path_known:
            raise FakeHTTPError(405, f"{method} is not allowed on {path}")
        raise FakeHTTPError(404, f"no route {method} /api{path}")
