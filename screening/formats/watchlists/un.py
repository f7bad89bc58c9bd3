"""UN Security Council consolidated sanctions list (XML, sc-sanctions.xsd)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from screening.errors import DataError
from screening.formats.countries import country_alpha3
from screening.formats.watchlists.result import ImportReport, ImportResult, add_unique, new_record
from screening.formats.watchlists.text_dates import parse_dob_text, single_date, year_range

LIST_NAME = "un-sc"
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_DOC_TYPES = {"passport": "P", "numéro de passeport": "P", "número de pasaporte": "P"}


def _text(el: ET.Element | None, tag: str) -> str:
    if el is None:
        return ""
    found = el.find(tag)
    return " ".join((found.text or "").split()) if found is not None else ""


def read_un_consolidated(xml_path: str | Path) -> ImportResult:
    """Individuals of the consolidated list. Raises DataError for a missing or broken file."""
    path = Path(xml_path)
    report = ImportReport()
    records: list[dict[str, Any]] = []
    unknown_countries: set[str] = set()
    try:
        for _, el in ET.iterparse(path, events=("end",)):
            if el.tag != "INDIVIDUAL":
                continue
            report.read += 1
            record = _individual(el, report, unknown_countries)
            if record is not None:
                records.append(record)
            el.clear()  # keep memory flat on the full list
    except (OSError, ET.ParseError) as exc:
        raise DataError(f"cannot read UN list {path}: {exc}", field=str(path)) from exc
    report.imported = len(records)
    return ImportResult(records, report)


def _country(name: str, where: str, report: ImportReport, unknown: set[str]) -> str:
    code = country_alpha3(name)
    if code is None and name and name.lower() not in ("na", "n/a", "unknown"):
        if name not in unknown:
            unknown.add(name)
            report.warnings.append(f"{where}: country {name!r} not recognised")
    return code or ""


def _individual(el: ET.Element, report: ImportReport, unknown: set[str]) -> dict | None:
    ref = _text(el, "REFERENCE_NUMBER")
    where = f"INDIVIDUAL {ref or _text(el, 'DATAID')}"
    if not ref:
        report.skip("no REFERENCE_NUMBER")
        report.warnings.append(f"{where}: no REFERENCE_NUMBER")
        return None
    record = new_record(f"un-sc-{ref}", LIST_NAME, "sanctioned", "UN")
    record["owner"] = "UN"
    parts = [_text(el, tag) for tag in _NAME_PARTS]
    full = " ".join(p for p in parts if p)
    if not full:
        report.skip("no name")
        report.warnings.append(f"{where}: no name")
        return None
    # The UN list does not say which part is the family name (FIRST_NAME is often a family
    # name for Arabic and Korean names), so the name is kept whole.
    record["names"].append({"full_name": full})
    original = _text(el, "NAME_ORIGINAL_SCRIPT")
    if original:
        record["names"].append({"full_name": original})
    for alias in el.findall("INDIVIDUAL_ALIAS"):
        name = _text(alias, "ALIAS_NAME")
        if name:
            add_unique(record["names"], {"full_name": name,
                                         "quality": _text(alias, "QUALITY") or "a.k.a."})
    for dob in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        for d in _dates(dob, where, report):
            add_unique(record["dates_of_birth"], d)
    for nat in el.findall("NATIONALITY/VALUE"):
        add_unique(record["nationalities"], _country(" ".join((nat.text or "").split()),
                                                     where, report, unknown))
    for doc in el.findall("INDIVIDUAL_DOCUMENT"):
        number = _text(doc, "NUMBER")
        if not number:
            continue
        country = _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE")
        kind = _text(doc, "TYPE_OF_DOCUMENT")
        record["documents"].append({
            "number": number,
            "issuing_country": _country(country, where, report, unknown) if country else "",
            "type": _DOC_TYPES.get(kind.lower(), "I" if "identi" in kind.lower() else kind),
        })
    gender = _text(el, "GENDER").lower()
    record["sex"] = {"male": "M", "female": "F"}.get(gender, "")
    pob = el.find("INDIVIDUAL_PLACE_OF_BIRTH")
    if pob is not None:
        record["place_of_birth"] = ", ".join(
            p for p in (_text(pob, "CITY"), _text(pob, "STATE_PROVINCE"), _text(pob, "COUNTRY"))
            if p)
    return record


def _dates(dob: ET.Element, where: str, report: ImportReport) -> list[str]:
    kind = _text(dob, "TYPE_OF_DATE").upper()
    exact, year = _text(dob, "DATE"), _text(dob, "YEAR")
    first, last = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
    if kind == "BETWEEN" or (first and last):
        if first.isdigit() and last.isdigit():
            years = year_range(int(first), int(last))
            if years:
                return years
        report.warnings.append(f"{where}: DOB range {first!r}..{last!r} not usable")
        return []
    if exact:
        one = single_date(exact[:10])
        if one:
            return [one]
    if year:
        return parse_dob_text(year) or []
    if exact or kind:
        if exact:
            report.warnings.append(f"{where}: DOB {exact!r} not understood")
    return []
