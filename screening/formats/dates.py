"""Date helpers shared by the EDIFACT and MRZ parsers.

Travel data still carries two-digit years. The century is chosen from what the date means:
a birth date lies in the past, an expiry date may lie up to ~20 years ahead (a passport is
valid for at most ten years, visas and residence cards a bit longer), a flight is near now.
"""

from __future__ import annotations

from datetime import date, datetime

EXPIRY_YEARS_AHEAD = 20
FLIGHT_YEARS_AHEAD = 50


def birth_year(yy: int, today: date) -> int:
    """A birth year is never in the future: 2000+yy unless that is after this year."""
    year = 2000 + yy
    return year if year <= today.year else year - 100


def expiry_year(yy: int, today: date) -> int:
    """Expiry up to EXPIRY_YEARS_AHEAD years from now, otherwise in the previous century."""
    year = 2000 + yy
    return year if year <= today.year + EXPIRY_YEARS_AHEAD else year - 100


def flight_year(yy: int, today: date) -> int:
    year = 2000 + yy
    return year if year <= today.year + FLIGHT_YEARS_AHEAD else year - 100


def yymmdd_to_iso(text: str, kind: str, today: date) -> str:
    """'740812' -> '1974-08-12'. kind is 'birth' or 'expiry'. Raises ValueError when invalid.

    An 8-digit CCYYMMDD value is accepted too (EDIFACT format 102).
    """
    if not text.isascii():
        raise ValueError(f"{text!r} is not a date")
    if len(text) == 8 and text.isdigit():
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])).isoformat()
    if len(text) != 6 or not text.isdigit():
        raise ValueError(f"expected YYMMDD, got {text!r}")
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
    year = birth_year(yy, today) if kind == "birth" else expiry_year(yy, today)
    return date(year, mm, dd).isoformat()


def edifact_datetime(text: str, fmt: str, today: date) -> datetime:
    """DTM value in format 201 (YYMMDDHHMM), 203 (CCYYMMDDHHMM), 102 or 101 (dates).

    The format code is a hint only: real senders mislabel it, so the digit count decides.
    """
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"date/time {text!r} is not numeric")
    if len(text) == 12:
        return datetime(int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]),
                        int(text[10:12]))
    if len(text) == 10:
        year = flight_year(int(text[:2]), today)
        return datetime(year, int(text[2:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]))
    if len(text) == 8:
        return datetime(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if len(text) == 6:
        return datetime(flight_year(int(text[:2]), today), int(text[2:4]), int(text[4:6]))
    raise ValueError(f"date/time {text!r} (format {fmt or '?'}) has an unexpected length")
