"""INTERPOL-style red notices as JSON, in the shape of the public notices API.

Accepts a list of notices or the API page `{"_embedded": {"notices": [...]}}`; each notice has
entity_id, name, forename, date_of_birth ("YYYY/MM/DD", "YYYY/MM" or "YYYY"), nationalities
(alpha-2), sex_id and arrest_warrants [{"issuing_country_id": "US", "charge": ...}].
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from screening.errors import DataError
from screening.formats.countries import alpha2_to_alpha3
from screening.formats.watchlists.result import ImportReport, ImportResult, add_unique, new_record

LIST_NAME = "interpol-red"
_DATE = re.compile(r"^(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?$")


def _dob(text: str) -> str | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    year, month, day = m.groups()
    if day:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if month:
        return f"{year}-{int(month):02d}"
    return year


def read_notices(json_path: str | Path) -> ImportResult:
    """Read a notices file. Raises DataError when the file is missing or not JSON."""
    path = Path(json_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read notices from {path}: {exc}", field=str(path)) from exc
    if isinstance(data, dict):
        notices = data.get("_embedded", {}).get("notices")
    else:
        notices = data
    if not isinstance(notices, list):
        raise DataError(f"{path}: expected a list of notices or an _embedded.notices page",
                        field=str(path))
    report = ImportReport()
    records: list[dict[str, Any]] = []
    for n, notice in enumerate(notices):
        report.read += 1
        where = f"{path.name} notice {n}"
        if not isinstance(notice, dict) or not notice.get("entity_id"):
            report.skip("no entity_id")
            report.warnings.append(f"{where}: no entity_id")
            continue
        record = _record(notice, where, report)
        if record is None:
            continue
        records.append(record)
    report.imported = len(records)
    return ImportResult(records, report)


def _record(notice: dict[str, Any], where: str, report: ImportReport) -> dict[str, Any] | None:
    entity_id = str(notice["entity_id"])
    surname = str(notice.get("name") or "").strip()
    forename = str(notice.get("forename") or "").strip()
    if not surname and not forename:
        report.skip("no name")
        report.warnings.append(f"{where} ({entity_id}): no name")
        return None
    warrants = notice.get("arrest_warrants") or []
    owner = ""
    if warrants and isinstance(warrants[0], dict):
        owner = alpha2_to_alpha3(str(warrants[0].get("issuing_country_id") or "")) or ""
    record = new_record(f"interpol-red-{entity_id.replace('/', '-')}", LIST_NAME, "wanted",
                        owner)
    record["names"].append({"surname": surname, "given_names": forename})
    dob = notice.get("date_of_birth")
    if dob:
        iso = _dob(str(dob))
        if iso:
            record["dates_of_birth"].append(iso)
        else:
            report.warnings.append(f"{where} ({entity_id}): date_of_birth {dob!r} not understood")
    for code in notice.get("nationalities") or []:
        alpha3 = alpha2_to_alpha3(str(code))
        if alpha3 is None:
            report.warnings.append(f"{where} ({entity_id}): nationality {code!r} unknown")
        add_unique(record["nationalities"], alpha3)
    sex = str(notice.get("sex_id") or "").upper()
    record["sex"] = sex if sex in ("M", "F") else ""
    return record
