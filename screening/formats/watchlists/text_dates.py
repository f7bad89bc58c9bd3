"""Dates of birth as written in sanctions lists -> ISO strings (day, month or year precision)."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# A year range wider than this is not a date of birth worth expanding year by year.
MAX_RANGE_YEARS = 15

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def single_date(text: str) -> str | None:
    """'12 May 1970' -> '1970-05-12', 'Mar 1964' -> '1964-03', '1970' -> '1970'."""
    text = text.strip().rstrip(".").strip()
    m = _DAY_MONTH_YEAR.match(text)
    if m:
        month = MONTHS.get(m.group(2).lower())
        if month:
            try:
                return date(int(m.group(3)), month, int(m.group(1))).isoformat()
            except ValueError:
                return None
        return None
    m = _MONTH_YEAR.match(text)
    if m and m.group(1).lower() in MONTHS:
        return f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    m = _YEAR.match(text)
    return m.group(1) if m else None


def year_range(first: int, last: int) -> list[str] | None:
    if first > last or last - first > MAX_RANGE_YEARS:
        return None
    return [str(y) for y in range(first, last + 1)]


def parse_dob_text(text: str) -> list[str] | None:
    """One DOB statement: exact, partial, 'circa 1970', '1969 to 1971', '01 Jan 1960 to ...'.

    A range becomes one entry per year (a screening engine compares years, and a range of
    dates is only ever known to year precision). None when the text is not understood.
    """
    text = text.strip().rstrip(".").strip()
    lowered = text.lower()
    for hedge in ("circa ", "approximately ", "about ", "c. ", "ca. "):
        if lowered.startswith(hedge):
            text = text[len(hedge) :]
            lowered = text.lower()
            break
    parts = re.split(r"\s+to\s+|\s*-\s*(?=\d{4}$)|\s+-\s+", text, maxsplit=1, flags=re.I)
    if len(parts) == 2:
        a, b = single_date(parts[0]), single_date(parts[1])
        if a and b:
            return year_range(int(a[:4]), int(b[:4]))
        return None
    one = single_date(text)
    return [one] if one else None
