"""OFAC Specially Designated Nationals list, legacy CSV format (sdn.csv + alt.csv).

The legacy files have no header, use CRLF, write `-0-` for an empty field and end with a ^Z
byte. Everything useful about a person besides the name is prose in the Remarks column
("DOB 12 May 1970; POB Tashkent, Uzbekistan; nationality Uzbekistan; Passport AB123 (Uzbekistan);
Gender Male."), so the remarks are split on ';' and each statement is recognised by its lead.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from screening.errors import DataError
from screening.formats.countries import country_alpha3
from screening.formats.watchlists.result import ImportReport, ImportResult, add_unique, new_record
from screening.formats.watchlists.text_dates import parse_dob_text

LIST_NAME = "ofac-sdn"
SDN_COLUMNS = ("ent_num", "name", "type", "program", "title", "call_sign", "vess_type",
               "tonnage", "grt", "vess_flag", "vess_owner", "remarks")

_DOCUMENT = re.compile(
    r"^(?P<kind>[A-Za-z. ]*?(?:Passport|National ID No\.|Identification Number|Cedula No\.|"
    r"Travel Document Number|Personal ID Card))\s+(?P<rest>.+)$"
)
# The issuing country is the first "(...)" after a space: Hong Kong ID numbers carry their
# own check digit in brackets without a space ("D489833(9) (Hong Kong)").
_DOC_COUNTRY = re.compile(r"\s\(([^()]*)\)")
_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+['\"]?(?P<name>.+?)['\"]?$")


def _read_text(path: Path) -> str:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc}", field=str(path)) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cleaned fields) for every data row; `-0-` becomes ''. ^Z is dropped."""
    text = _read_text(path).replace("\x1a", "")
    out = []
    for n, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        fields = [("" if f.strip() == "-0-" else f.strip()) for f in row]
        if any(fields):
            out.append((n, fields))
    return out


def name_entry(text: str) -> dict[str, str]:
    """'KARIMOV, Muhammad Yusuf' -> surname/given_names; anything else -> full_name."""
    surname, comma, given = text.partition(",")
    if comma and surname.strip() and given.strip():
        return {"surname": surname.strip(), "given_names": given.strip()}
    return {"full_name": text.strip()}


class _Countries:
    """Country-name lookup that reports each unknown name once."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.unknown: dict[str, int] = {}

    def __call__(self, name: str, where: str) -> str:
        code = country_alpha3(name)
        if code is None and name:
            if name not in self.unknown:
                self.report.warnings.append(f"{where}: country {name!r} not recognised")
            self.unknown[name] = self.unknown.get(name, 0) + 1
        return code or ""


def _parse_remarks(remarks: str, record: dict[str, Any], countries: _Countries,
                   where: str, report: ImportReport) -> None:
    for raw in remarks.split(";"):
        item = raw.strip().rstrip(".").strip()
        if item.startswith("alt. "):
            item = item[5:].strip()
        if not item:
            continue
        lead = item.split(" ", 1)[0]
        rest = item[len(lead):].strip()
        if lead == "DOB":
            dates = parse_dob_text(rest)
            if dates is None:
                report.warnings.append(f"{where}: DOB {rest!r} not understood")
            else:
                for d in dates:
                    add_unique(record["dates_of_birth"], d)
        elif lead == "POB":
            record["place_of_birth"] = record["place_of_birth"] or rest
        elif lead in ("nationality", "citizen"):
            add_unique(record["nationalities"], countries(rest, where))
        elif lead == "Gender":
            sex = {"male": "M", "female": "F"}.get(rest.lower(), "")
            record["sex"] = record["sex"] or sex
        elif _ALIAS.match(item):
            add_unique(record["names"], {"full_name": _ALIAS.match(item).group("name")})
        else:
            m = _DOCUMENT.match(item)
            if m:
                rest = m.group("rest")
                cm = _DOC_COUNTRY.search(rest)
                number = rest[: cm.start()].strip() if cm else rest.split(" ")[0]
                country = cm.group(1) if cm else ""
                kind = m.group("kind")
                record["documents"].append({
                    "number": number,
                    "issuing_country": countries(country, where) if country else "",
                    "type": "P" if "Passport" in kind else "I",
                })


def read_ofac_sdn(sdn_csv: str | Path, aliases_csv: str | Path | None = None, *,
                  individuals_only: bool = True) -> ImportResult:
    """Read sdn.csv (+ alt.csv). Raises DataError only when a file cannot be read at all."""
    report = ImportReport()
    countries = _Countries(report)
    records: dict[str, dict[str, Any]] = {}
    known_entities: set[str] = set()
    for line, fields in _rows(Path(sdn_csv)):
        report.read += 1
        where = f"{Path(sdn_csv).name} line {line}"
        if len(fields) < 4 or not fields[0].strip().isdigit():
            report.skip("malformed row")
            report.warnings.append(f"{where}: malformed row ({len(fields)} fields)")
            continue
        fields += [""] * (len(SDN_COLUMNS) - len(fields))
        ent_num, name, sdn_type = fields[0], fields[1], fields[2].lower()
        known_entities.add(ent_num)
        if individuals_only and sdn_type != "individual":
            report.skip("not an individual")
            continue
        if not name:
            report.skip("no name")
            report.warnings.append(f"{where}: no name")
            continue
        record = new_record(f"ofac-sdn-{ent_num}", LIST_NAME, "sanctioned", "USA")
        record["names"].append(name_entry(name))
        if fields[11]:
            _parse_remarks(fields[11], record, countries, where, report)
        records[ent_num] = record
    if aliases_csv is not None:
        _read_aliases(Path(aliases_csv), records, known_entities, report)
    report.imported = len(records)
    return ImportResult(list(records.values()), report)


def _read_aliases(path: Path, records: dict[str, dict[str, Any]], known: set[str],
                  report: ImportReport) -> None:
    unknown = 0
    for line, fields in _rows(path):
        if len(fields) < 4 or not fields[0].isdigit():
            report.skip("malformed alias row")
            report.warnings.append(f"{path.name} line {line}: malformed alias row")
            continue
        ent_num, alt_name = fields[0], fields[3]
        if ent_num not in known:
            # The alias file is often newer than the SDN file it is read with.
            unknown += 1
            continue
        record = records.get(ent_num)
        if record is None:
            report.skip("alias of an entry not imported")
            continue
        if not alt_name:
            report.skip("alias without a name")
            continue
        # alt_type (aka/fka/nka) is not kept: a former name screens like a current one.
        add_unique(record["names"], name_entry(alt_name))
    if unknown:
        report.skip("alias for an entity not in the SDN file", unknown)
        report.warnings.append(
            f"{path.name}: {unknown} alias rows refer to entities absent from the SDN file")
