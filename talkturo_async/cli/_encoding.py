"""Which text encoding a CSV file is in: UTF-8 (with or without a BOM) or a cp1252 export.

Excel on Windows saves "CSV" in the machine's code page (cp1252 in Western Europe and the US);
one such byte used to end an import. The file is read with ``errors="surrogateescape"``, so a line
with bytes its encoding cannot decode becomes an invalid row, not the end of the import.
"""

from __future__ import annotations

import codecs
from pathlib import Path

SAMPLE_BYTES = 1 << 20


def detect_encoding(path: Path, sample: int = SAMPLE_BYTES) -> str:
    """``utf-8-sig`` (a BOM), ``utf-8``, or ``cp1252``, judged from the first ``sample`` bytes.

    A file whose non-ASCII bytes are all valid UTF-8 is UTF-8; one with at least one valid UTF-8
    multi-byte sequence is UTF-8 with some bad lines; one with none is a single-byte export.
    """
    with path.open("rb") as fh:
        data = fh.read(sample)
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    text = data.decode("utf-8", errors="surrogateescape")
    if len(data) == sample:  # a multi-byte character may be cut at the end of the sample
        text = text[:-4]
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    if not bad:
        return "utf-8"
    decoded = sum(1 for ch in text if ord(ch) > 0x7F and not "\udc80" <= ch <= "\udcff")
    return "utf-8" if decoded else "cp1252"


def check_encoding(name: str) -> str:
    """``name`` if Python knows the codec (``ValueError`` naming it otherwise)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"--encoding {name!r} is not an encoding Python knows") from None
