"""File formats: EDIFACT PAXLST/CUSRES, MRZ, watchlist files; and format sniffing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from screening.errors import InvalidArgument

FORMATS = ("paxlst", "jsonl", "csv", "mrz", "parquet")
_MRZ_LINE = re.compile(r"^[A-Z0-9<]{30}$|^[A-Z0-9<]{36}$|^[A-Z0-9<]{44}$")
_SNIFF_BYTES = 64 * 1024


def detect_format(path: Path) -> str:
    """'paxlst', 'jsonl', 'csv', 'mrz' or 'parquet', decided by content (extension as tiebreak).

    Raises InvalidArgument (field = the path) when the file is unreadable or none of these.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InvalidArgument(f"cannot read file: {exc}", field=str(path)) from exc
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text[:3] in ("UNA", "UNB", "UNH"):
        return "paxlst"
    lines = [ln.strip() for ln in text.splitlines()]
    non_empty = [ln for ln in lines if ln]
    if not non_empty:
        raise InvalidArgument("file is empty", field=str(path))
    if non_empty[0].startswith("{"):
        try:
            json.loads(non_empty[0])
            return "jsonl"
        except json.JSONDecodeError:
            pass
    complete = non_empty if len(head) < _SNIFF_BYTES else non_empty[:-1]
    if complete and all(_MRZ_LINE.match(ln) for ln in complete):
        return "mrz"
    if "," in non_empty[0] or ";" in non_empty[0] or "\t" in non_empty[0]:
        return "csv"
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("edi", "edifact", "paxlst"):
        return "paxlst"
    if suffix in FORMATS:
        return suffix
    raise InvalidArgument("format not recognised (paxlst, jsonl, csv, mrz, parquet)",
                          field=str(path))
