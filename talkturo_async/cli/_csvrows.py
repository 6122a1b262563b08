"""Reading contacts from CSV: flexible headers, per-line problems, nothing silently dropped.

Pure functions over text; no network. ``read_rows`` yields one :class:`CsvRow` per data line, with
either the contact fields or the reason the line cannot be used.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import attrs

# normalised header -> contact field. Normalising lower-cases and drops everything but letters
# and digits, so "First Name", "first_name", "firstName" and "FIRST-NAME" all read "firstname".
HEADER_ALIASES: dict[str, str] = {
    "firstname": "first_name",
    "first": "first_name",
    "givenname": "first_name",
    "lastname": "last_name",
    "last": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "email": "email",
    "emailaddress": "email",
    "phone": "phone",
    "phonenumber": "phone",
    "mobile": "phone",
    "mobilephone": "phone",
    "cell": "phone",
    "phonesecondary": "phone_secondary",
    "secondaryphone": "phone_secondary",
    "phone2": "phone_secondary",
    "jobtitle": "job_title",
    "title": "job_title",
    "leadstatus": "lead_status",
    "status": "lead_status",
    "source": "source",
    "timezone": "timezone",
    "tz": "timezone",
    "preferredcontactmethod": "preferred_contact_method",
    "donotcall": "do_not_call",
    "dnc": "do_not_call",
    "notes": "notes",
    "note": "notes",
    "tags": "tags",
    "companyid": "company_id",
    "teamid": "team_id",
}
FULL_NAME_HEADERS = frozenset({"name", "fullname", "contactname"})
_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


class CsvError(ValueError):
    """The CSV as a whole cannot be used (no header, no name columns, a field given twice)."""


def normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@attrs.frozen
class HeaderMap:
    """How each CSV column is used: as a contact field, a custom field, or a full name to split."""

    columns: list[str]
    fields: dict[int, str]
    custom: dict[int, str]
    full_name: int | None

    @property
    def custom_names(self) -> list[str]:
        return list(self.custom.values())


def _check_names(columns: Sequence[str]) -> None:
    """Refuse a header given twice, and one that looks like a misspelt known header.

    A misspelt one would otherwise become a custom field and leave the contact field empty.
    """
    seen: dict[str, int] = {}
    for i, name in enumerate(columns, 1):
        key = normalise_header(name)
        if not key:
            continue
        if name.lower() in seen:
            raise CsvError(f"column {name!r} appears twice (columns {seen[name.lower()]} and {i})")
        seen[name.lower()] = i
        if key in HEADER_ALIASES or key in FULL_NAME_HEADERS or len(key) < 4:
            continue
        close = difflib.get_close_matches(key, [*HEADER_ALIASES, *FULL_NAME_HEADERS], 1, 0.85)
        if close:
            raise CsvError(
                f"unknown column {name!r}; did you mean {HEADER_ALIASES.get(close[0], 'full_name')!r}? "
                "(rename it, or to keep it as a custom field give it a clearly different name)"
            )


def map_header(header: Sequence[str]) -> HeaderMap:
    """Map CSV columns to contact fields; unknown columns become custom fields.

    Raises:
        CsvError: no first/last name columns (nor a full-name column), a field given twice, a
            column name given twice, or a column that looks like a misspelt known header.
    """
    columns = [h.strip() for h in header]
    _check_names(columns)
    fields: dict[int, str] = {}
    custom: dict[int, str] = {}
    full_name = None
    for i, name in enumerate(columns):
        key = normalise_header(name)
        if not key:
            continue
        if key in HEADER_ALIASES:
            field = HEADER_ALIASES[key]
            if field in fields.values():
                raise CsvError(f"columns {name!r} and another both give {field}")
            fields[i] = field
        elif key in FULL_NAME_HEADERS and full_name is None:
            full_name = i
        else:
            custom[i] = name
    has_names = {"first_name", "last_name"} <= set(fields.values())
    if not has_names and full_name is None:
        raise CsvError(
            "the CSV has no first and last name columns (looked for headers such as "
            "'first_name', 'First Name', 'firstName' and 'last_name', or one 'Full Name' column); "
            f"its columns are: {', '.join(columns)}"
        )
    return HeaderMap(columns=columns, fields=fields, custom=custom, full_name=full_name)


@attrs.frozen
class CsvRow:
    """One data line of the CSV, with its fields or the error that keeps it from being sent.

    ``line`` is 1-based, as an editor shows it; ``values`` are the raw values; then either
    ``fields`` for ``contacts.create`` or the ``error``.
    """

    line: int
    values: list[str]
    fields: dict[str, Any] | None = None
    error: str | None = None


def _convert(field: str, value: str) -> Any:
    if field == "do_not_call":
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"do_not_call: cannot read {value!r} as yes/no")
    if field == "tags":
        sep = ";" if ";" in value else ","
        return [t.strip() for t in value.split(sep) if t.strip()]
    return value


def row_fields(
    values: Sequence[str], header: HeaderMap, defaults: dict[str, Any]
) -> dict[str, Any]:
    """The contact fields of one line (``ValueError`` for a value that cannot be read)."""
    fields: dict[str, Any] = {k: v for k, v in defaults.items() if v is not None}
    custom: dict[str, str] = {}
    for i, raw in enumerate(values):
        value = raw.strip()
        if i in header.fields:
            if value:
                fields[header.fields[i]] = _convert(header.fields[i], value)
        elif i in header.custom and value:
            custom[header.custom[i]] = value
        elif i == header.full_name and value:
            first, _, last = value.rpartition(" ")
            fields.setdefault("first_name", first or last)
            fields.setdefault("last_name", last if first else "")
    if custom:
        fields["custom_fields"] = custom
    return fields


def read_rows(stream: TextIO, defaults: dict[str, Any]) -> tuple[HeaderMap, Iterator[CsvRow]]:
    """Read the header now, then yield the data lines lazily.

    A line whose field count differs from the header's, or with a value that cannot be read, is
    yielded with ``error`` set (and its line number), never skipped. Blank lines are skipped.
    """
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError("the CSV is empty (no header line)") from None
    mapping = map_header(header)
    width = len(header)

    def rows() -> Iterator[CsvRow]:
        line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield CsvRow(
                    line=reader.line_num,
                    values=[],
                    error=f"line {reader.line_num}: unreadable CSV: {exc}",
                )
                line = reader.line_num
                continue
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            bad = _undecodable(values, mapping.columns)
            if bad:
                yield CsvRow(line=start, values=values, error=f"line {start}: {bad}")
                continue
            if len(values) != width:
                yield CsvRow(
                    line=start,
                    values=values,
                    error=f"line {start}: expected {width} fields, found {len(values)}",
                )
                continue
            try:
                fields = row_fields(values, mapping, defaults)
            except ValueError as exc:
                yield CsvRow(line=start, values=values, error=f"line {start}: {exc}")
                continue
            yield CsvRow(line=start, values=values, fields=fields)

    return mapping, rows()


def _undecodable(values: Sequence[str], columns: Sequence[str]) -> str | None:
    """Why a line read with ``errors="surrogateescape"`` holds bytes its encoding cannot decode."""
    for i, value in enumerate(values):
        raw = [ord(ch) - 0xDC00 for ch in value if "\udc80" <= ch <= "\udcff"]
        if raw:
            column = columns[i] if i < len(columns) else f"column {i + 1}"
            shown = " ".join(f"0x{b:02X}" for b in raw[:4])
            return (
                f"bytes that the file's encoding cannot decode ({shown}) in {column!r}; "
                "if the file is not UTF-8, give --encoding (e.g. cp1252)"
            )
    return None
