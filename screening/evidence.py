"""Corroborating evidence beside the name: date of birth, sex, nationality, document.

Each comparison returns a `MatchDetail` (or None when one side is unknown), whose
`weight` is the amount added to (or, for a conflict, taken from) the match score.
The weights are settings-free constants here, documented in the README; [2/6]
calibrates them on the benchmark's training part.
"""

from __future__ import annotations

from screening.domain import MatchDetail

# Score contributions.
NAME_WEIGHT = 0.94          # a perfect name alone scores 0.94: enough for HIT only when exact
DOB_EXACT = 0.06
DOB_PARTIAL = 0.03          # year (and month) agree, the rest unknown on one side
DOB_SWAPPED = 0.02          # day and month swapped
DOB_YEAR_OFF_BY_ONE = 0.0
DOB_CONFLICT = -0.25
SEX_CONFLICT = -0.10
NATIONALITY_MATCH = 0.02
DOCUMENT_ON_RECORD = 0.10
DOCUMENT_ONLY_FLOOR = 0.93  # the passenger's document (number and country) is on a listed person's record: identifying


def parse_date_loose(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) with 0 for unknown parts, or None if unparseable. Records may
    hold `1970`, `1970-05`, `1970-05-12`, `1970-00-00` or `1970-XX-XX`."""
    parts = value.strip().replace("/", "-").split("-")
    if not parts or not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    out = [int(parts[0]), 0, 0]
    for i, p in enumerate(parts[1:3], start=1):
        out[i] = int(p) if p.isdigit() else 0
    return out[0], out[1], out[2]


def compare_dob(query: str, record_dobs: list[str]) -> MatchDetail | None:
    """Best agreement between the passenger's date of birth and any of the record's."""
    q = parse_date_loose(query) if query else None
    if q is None or not record_dobs:
        return None
    best: MatchDetail | None = None
    for raw in record_dobs:
        r = parse_date_loose(raw or "")
        if r is None:
            continue
        method, sim, weight = _dob_relation(q, r)
        detail = MatchDetail("date_of_birth", query, raw, method, sim, weight)
        if best is None or detail.weight > best.weight:
            best = detail
    return best


def _dob_relation(q: tuple[int, int, int], r: tuple[int, int, int]) -> tuple[str, float, float]:
    (qy, qm, qd), (ry, rm, rd) = q, r
    month_ok = not qm or not rm or qm == rm
    day_ok = not qd or not rd or qd == rd
    if qy == ry and month_ok and day_ok:
        if qm and rm and qd and rd:
            return "exact", 1.0, DOB_EXACT
        return "partial", 0.8, DOB_PARTIAL
    if qy == ry and qm and qd and rm and rd and qm == rd and qd == rm:
        return "day_month_swapped", 0.7, DOB_SWAPPED
    if abs(qy - ry) == 1 and month_ok and day_ok:
        return "year_off_by_one", 0.5, DOB_YEAR_OFF_BY_ONE
    return "conflict", 0.0, DOB_CONFLICT


def compare_sex(query: str, record: str) -> MatchDetail | None:
    if query not in ("M", "F") or record not in ("M", "F"):
        return None
    if query == record:
        return MatchDetail("sex", query, record, "exact", 1.0, 0.0)
    return MatchDetail("sex", query, record, "conflict", 0.0, SEX_CONFLICT)


def compare_nationality(query: str, record: list[str]) -> MatchDetail | None:
    if not query or not record:
        return None
    if query in record:
        return MatchDetail("nationality", query, query, "exact", 1.0, NATIONALITY_MATCH)
    # Nationalities change and dual nationals are common: no penalty, but say so.
    return MatchDetail("nationality", query, ",".join(record), "different", 0.0, 0.0)
