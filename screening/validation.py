"""Input validation: bad input gets an `InvalidArgument` that names the field."""

from __future__ import annotations

import re
from dataclasses import replace

from screening.domain import Passenger, TravelDocument
from screening.errors import InvalidArgument
from screening.mrz_input import apply_mrz

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?$", re.IGNORECASE)
# Control characters other than the tab (one regex: a generator over every character cost
# a sixth of validating a passenger).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f]")
_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_SEXES = {"", "M", "F", "X", "U"}
# ICAO 9303 writes Germany as "D" padded with fillers; accept it as DEU.
_COUNTRY_ALIASES = {"D": "DEU", "D<<": "DEU"}


def parse_partial_date(value: str, *, field: str) -> tuple[int, int, int]:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with `00` or `XX` for an unknown part.
    Returns (year, month, day) with 0 for unknown parts."""
    m = _DATE.match(value.strip())
    if not m:
        raise InvalidArgument(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", field=field)
    year = int(m.group(1))
    month = 0 if m.group(2) in (None, "XX", "xx") else int(m.group(2))
    day = 0 if m.group(3) in (None, "XX", "xx") else int(m.group(3))
    if not 1800 <= year <= 2200:
        raise InvalidArgument(f"year {year} out of range", field=field)
    if not 0 <= month <= 12:
        raise InvalidArgument(f"month {month} out of range", field=field)
    if not 0 <= day <= 31:
        raise InvalidArgument(f"day {day} out of range", field=field)
    if month and day:
        days_in_month = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                         31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        if day > days_in_month:
            raise InvalidArgument(f"day {day} does not exist in {year}-{month:02d}", field=field)
    return year, month, day


def _country(value: str, field: str) -> str:
    code = value.strip().upper()
    code = _COUNTRY_ALIASES.get(code, code)
    if code and not _COUNTRY.match(code):
        raise InvalidArgument(f"{value!r} is not an ISO 3166 alpha-3 country code", field=field)
    return code


def _check_lengths(p: Passenger, max_len: int) -> None:
    fields = {
        "ref": p.ref, "surname": p.surname, "given_names": p.given_names,
        "full_name": p.full_name, "date_of_birth": p.date_of_birth, "sex": p.sex,
        "nationality": p.nationality, "document.number": p.document.number,
        "document.issuing_country": p.document.issuing_country,
        "document.type": p.document.type, "document.expiry": p.document.expiry,
    }
    for name, value in fields.items():
        if len(value) > max_len:
            raise InvalidArgument(f"longer than {max_len} characters ({len(value)})", field=name)
    # An MRZ is at most 3 lines of 44 characters; allow separators.
    if len(p.mrz) > max(max_len, 200):
        raise InvalidArgument(f"longer than {max(max_len, 200)} characters", field="mrz")


def validate_passenger(p: Passenger, *, max_field_length: int = 256) -> Passenger:
    """Check a passenger and return a cleaned copy (trimmed, codes upper-cased), with
    empty fields filled from its MRZ when it has one."""
    _check_lengths(p, max_field_length)
    p = apply_mrz(p)
    for name, value in (("surname", p.surname), ("given_names", p.given_names),
                        ("full_name", p.full_name), ("document.number", p.document.number)):
        if _CONTROL.search(value):
            raise InvalidArgument("contains control characters", field=name)
    has_name = any(s.strip() for s in (p.surname, p.given_names, p.full_name))
    if not has_name and not p.document.number.strip() and not p.mrz.strip():
        raise InvalidArgument("needs a name or a document number", field="passenger")
    if p.date_of_birth.strip():
        parse_partial_date(p.date_of_birth, field="date_of_birth")
    if p.document.expiry.strip():
        if not _FULL_DATE.match(p.document.expiry.strip()):
            raise InvalidArgument(f"{p.document.expiry!r} is not a date (YYYY-MM-DD)",
                                  field="document.expiry")
        parse_partial_date(p.document.expiry, field="document.expiry")
    sex = p.sex.strip().upper()
    if sex not in _SEXES:
        raise InvalidArgument(f"{p.sex!r} is not one of M, F, X", field="sex")
    doc = TravelDocument(
        number=p.document.number.strip(),
        issuing_country=_country(p.document.issuing_country, "document.issuing_country"),
        type=p.document.type.strip().upper(),
        expiry=p.document.expiry.strip(),
    )
    return replace(
        p,
        surname=p.surname.strip(),
        given_names=p.given_names.strip(),
        full_name=p.full_name.strip(),
        date_of_birth=p.date_of_birth.strip(),
        sex=sex,
        nationality=_country(p.nationality, "nationality"),
        document=doc,
    )


_AIRPORT = re.compile(r"^[A-Z0-9]{3,4}$")
MAX_ROUTE_AIRPORTS = 16


def validate_route(route: tuple[str, ...]) -> None:
    """A multi-leg route: IATA (or ICAO) airport codes, a bounded number of them. The
    follow-up routing reads transit countries from it."""
    if len(route) > MAX_ROUTE_AIRPORTS:
        raise InvalidArgument(f"more than {MAX_ROUTE_AIRPORTS} airports", field="flight.route")
    for i, code in enumerate(route):
        if not _AIRPORT.match(code):
            raise InvalidArgument(f"{code[:8]!r} is not an airport code",
                                  field=f"flight.route[{i}]")
