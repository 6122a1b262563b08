"""The coverage map: every operation of openapi.yaml is covered by a method or listed as not covered."""

from __future__ import annotations

import functools

from talkturo_async import MockTransport, Response, Talkturo
from talkturo_async._operations import NOT_COVERED, OPERATIONS, coverage_table
from tests.spec import operations


def _resolve(client: Talkturo, dotted: str) -> object:
    return functools.reduce(getattr, dotted.split("."), client)


def test_every_spec_operation_is_mapped_exactly_once() -> None:
    """Each operationId of the spec is in exactly one of OPERATIONS and NOT_COVERED."""
    spec_ids = set(operations())
    listed = [*OPERATIONS, *NOT_COVERED]
    assert len(listed) == len(set(listed)), "an operation is listed twice"
    assert set(listed) - spec_ids == set(), "listed operations that the spec does not have"
    assert spec_ids - set(listed) == set(), "spec operations that are neither covered nor excused"


async def test_every_mapped_method_resolves_on_a_client() -> None:
    """Each mapped name is a callable of a client, and no two operations share a method."""
    transport = MockTransport(lambda request: Response.from_json(200, {}))
    async with Talkturo(api_key="tk_test_x", transport=transport) as tk:
        for op_id, name in OPERATIONS.items():
            assert callable(_resolve(tk, name)), f"{op_id} -> tk.{name} is not a method"
    assert len(set(OPERATIONS.values())) == len(OPERATIONS)


def test_not_covered_reasons_are_given() -> None:
    """Every operation left out says why in a sentence."""
    assert all(len(reason) > 15 for reason in NOT_COVERED.values())


def test_coverage_table_lists_every_row() -> None:
    """The README's table has a row per covered and per excused operation."""
    table = coverage_table().splitlines()
    assert len(table) == 2 + len(OPERATIONS) + len(NOT_COVERED)
    assert "| `listCrmContacts` | `tk.contacts.list` |" in table


def test_readme_coverage_table_is_the_generated_one() -> None:
    """README's coverage table is exactly what _operations.coverage_table() generates today."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- coverage:start -->\n") + len("<!-- coverage:start -->\n")
    end = readme.index("\n<!-- coverage:end -->")
    assert readme[start:end] == coverage_table()
