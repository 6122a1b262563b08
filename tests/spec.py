"""Talkturo's OpenAPI spec for the tests: operations by id, and answers checked against it.

``check_answers(fake)`` validates every JSON answer the fake gave (its request log) against the
response schema the spec gives that operation and status, and returns one line per mismatch,
naming the operation and the schema path. OpenAPI 3.0's ``nullable`` is read as JSON Schema's
``null`` type; ``$ref``s are resolved against the spec.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, cast

import jsonschema
import jsonschema.exceptions
import yaml
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from talkturo_async.testing import FakeTalkturo, LoggedRequest

SPEC_PATH = Path(__file__).resolve().parents[2] / "shared" / "api" / "upstream" / "openapi.yaml"
_METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def spec() -> dict[str, Any]:
    """The parsed spec (``../shared/api/upstream/openapi.yaml``)."""
    with SPEC_PATH.open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = yaml.safe_load(fh)
    return loaded


@functools.cache
def operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId → (METHOD, path template, operation object)."""
    out: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in spec()["paths"].items():
        for method in _METHODS:
            if method in item:
                op = item[method]
                out[op["operationId"]] = (method.upper(), path, op)
    return out


@functools.cache
def _matchers() -> list[tuple[str, re.Pattern[str], str]]:
    found: list[tuple[int, str, re.Pattern[str], str]] = []
    for op_id, (method, path, _) in operations().items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
        literal = path.count("{")  # literal routes win over templated ones
        found.append((literal, method, re.compile(pattern + "$"), op_id))
    found.sort(key=lambda row: row[0])
    return [(method, rx, op_id) for _, method, rx, op_id in found]


def operation_for(method: str, path: str) -> str | None:
    """The operationId of a request (``path`` relative to ``/api``), or ``None``."""
    for op_method, rx, op_id in _matchers():
        if op_method == method and rx.match(path):
            return op_id
    return None


def _resolve(node: Any, seen: frozenset[str] = frozenset()) -> Any:
    if isinstance(node, list):
        return [_resolve(item, seen) for item in cast("list[object]", node)]
    if not isinstance(node, dict):
        return node
    schema = cast("dict[str, Any]", node)
    if "$ref" in schema:
        ref: str = schema["$ref"]
        if ref in seen:
            return {}  # a recursive schema: accept the inner level as is
        target: Any = spec()
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return _resolve(target, seen | {ref})
    out: dict[str, Any] = {key: _resolve(value, seen) for key, value in schema.items()}
    if out.pop("nullable", False):
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif "type" not in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def response_schema(op_id: str, status: int) -> dict[str, Any] | None:
    """The JSON schema of ``op_id``'s answer with ``status`` (or its ``default``), if the spec has one."""
    responses = operations()[op_id][2].get("responses", {})
    answer = responses.get(str(status)) or responses.get(f"{status // 100}XX")
    answer = answer or responses.get("default")
    if not answer:
        return None
    answer = _resolve(answer)
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    return cast("dict[str, Any]", schema) if isinstance(schema, dict) else None


def _validator(schema: dict[str, Any]) -> Validator:
    """A Draft 7 validator of ``schema``, seen through jsonschema's typed protocol."""
    return jsonschema.Draft7Validator(schema)


def check_answer(logged: LoggedRequest) -> str | None:
    """A line naming what is wrong with one logged answer, or ``None`` when it conforms."""
    if logged.status == 0 or not isinstance(logged.answer, (dict, list)):
        return None
    op_id = operation_for(logged.method, logged.path)
    if op_id is None:
        return None
    schema = response_schema(op_id, logged.status)
    if schema is None:
        return None
    errors = _validator(schema).iter_errors(logged.answer)
    error = cast(
        "ValidationError | None",
        jsonschema.exceptions.best_match(  # pyright: ignore[reportUnknownMemberType] - no return hint
            errors
        ),
    )
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_schema_path)
    at = "/".join(str(p) for p in error.absolute_path)
    return (
        f"{op_id} ({logged.method} {logged.path} -> {logged.status}): {error.message} "
        f"[schema path: {where}; answer path: /{at}]"
    )


def check_answers(fake: FakeTalkturo) -> list[str]:
    """Every mismatch between the fake's logged answers and the spec."""
    return [line for line in map(check_answer, fake.requests) if line is not None]
