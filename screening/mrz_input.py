"""A passenger's raw MRZ feeds the same matching as typed fields.

Fields the caller left empty are filled from the zone; fields the caller gave win (the
airline may have corrected an OCR error). Failed check digits are kept as flags: they
lower confidence in the document number and are explained, never a crash.
"""

from __future__ import annotations

from dataclasses import replace

from screening.domain import Passenger, TravelDocument
from screening.errors import InvalidArgument
from screening.formats.mrz import MrzError, parse_mrz


def apply_mrz(p: Passenger) -> Passenger:
    if not p.mrz.strip():
        return p
    try:
        zone = parse_mrz(p.mrz.replace("\\n", "\n"))
    except MrzError as exc:
        raise InvalidArgument(f"not a machine-readable zone: {exc.message}", field="mrz") from exc
    has_name = any(x.strip() for x in (p.surname, p.given_names, p.full_name))
    doc = p.document
    flags = tuple(sorted(name for name, ok in zone.checks.items() if not ok))
    if zone.name_truncated:
        flags += ("name_truncated",)
    return replace(
        p,
        surname=p.surname if has_name else zone.surname,
        given_names=p.given_names if has_name else zone.given_names,
        date_of_birth=p.date_of_birth or zone.date_of_birth,
        sex=p.sex or (zone.sex if zone.sex in ("M", "F") else ""),
        nationality=p.nationality or zone.nationality,
        document=TravelDocument(
            number=doc.number or zone.document_number,
            issuing_country=doc.issuing_country or zone.issuing_state,
            type=doc.type or zone.document_code[:1],
            expiry=doc.expiry or zone.expiry,
        ),
        mrz_flags=flags,
    )
