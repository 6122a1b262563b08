"""The CLI's CSV reader (pure): header mapping, value parsing, malformed lines."""

from __future__ import annotations

import io
from typing import Any

import pytest

from talkturo_async.cli._csvrows import CsvError, CsvRow, map_header, read_rows

DEFAULTS = {"team_id": "t", "company_id": "c"}


def rows_of(text: str) -> list[CsvRow]:
    _, rows = read_rows(io.StringIO(text), DEFAULTS)
    return list(rows)


def fields_of(row: CsvRow) -> dict[str, Any]:
    assert row.fields is not None, row.error
    return row.fields


@pytest.mark.parametrize(
    "header",
    [
        ["first_name", "last_name"],
        ["First Name", "Last Name"],
        ["firstName", "lastName"],
        ["FIRST-NAME", "surname"],
        ["Given Name", "Family Name"],
    ],
)
def test_header_spellings(header: list[str]) -> None:
    """Common spellings of the name columns are recognised."""
    mapping = map_header(header)
    assert sorted(mapping.fields.values()) == ["first_name", "last_name"]


def test_unknown_columns_become_custom_fields() -> None:
    """Unmapped columns go to custom_fields under their original header."""
    (row,) = rows_of("First Name,Last Name,Shoe Size,Phone Number\nMaya,Chen,38,+14155550187\n")
    assert row.fields == {
        **DEFAULTS,
        "first_name": "Maya",
        "last_name": "Chen",
        "phone": "+14155550187",
        "custom_fields": {"Shoe Size": "38"},
    }
    assert row.line == 2


def test_full_name_column_is_split() -> None:
    """A single Full Name column splits on the last space."""
    a, b = rows_of("Full Name,Email\nAna Maria Silva,a@x.io\nMadonna,m@x.io\n")
    assert (fields_of(a)["first_name"], fields_of(a)["last_name"]) == ("Ana Maria", "Silva")
    assert (fields_of(b)["first_name"], fields_of(b)["last_name"]) == ("Madonna", "")


def test_values_parsed() -> None:
    """DNC reads yes/no, tags split on ; or , and empty cells are left out."""
    a, b, c = rows_of(
        "first_name,last_name,dnc,tags,email\nA,B,yes,vip; beta,\nC,D,0,x,y\nE,F,maybe,,\n"
    )
    assert (
        fields_of(a)["do_not_call"] is True
        and fields_of(a)["tags"] == ["vip", "beta"]
        and "email" not in fields_of(a)
    )
    assert fields_of(b)["do_not_call"] is False and fields_of(b)["tags"] == ["x"]
    assert c.fields is None and c.error == "line 4: do_not_call: cannot read 'maybe' as yes/no"


def test_malformed_lines_reported_with_numbers_and_blank_lines_skipped() -> None:
    """Wrong field counts are reported with their line; blank lines are skipped; quoted newlines keep numbering."""
    text = 'first_name,last_name,notes\nA,B,ok\n\nC,D\n"E",F,"two\nlines"\nG,H,I,J\n'
    rows = rows_of(text)
    assert [(r.line, r.error) for r in rows] == [
        (2, None),
        (4, "line 4: expected 3 fields, found 2"),
        (5, None),
        (7, "line 7: expected 3 fields, found 4"),
    ]
    assert fields_of(rows[2])["notes"] == "two\nlines"


def test_company_column_overrides_default() -> None:
    """A company_id column wins over --company-id."""
    (row,) = rows_of("first_name,last_name,company id\nA,B,comp_9\n")
    assert fields_of(row)["company_id"] == "comp_9"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("email,phone\nx,y\n", "no first and last name columns"),
        ("first_name,First Name,last_name\n", "both give first_name"),
    ],
)
def test_unusable_headers(text: str, match: str) -> None:
    """Empty files, missing name columns and duplicated fields are CsvErrors saying so."""
    with pytest.raises(CsvError, match=match):
        read_rows(io.StringIO(text), DEFAULTS)
