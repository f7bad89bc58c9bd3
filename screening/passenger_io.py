"""Passenger files (JSONL and CSV) in, result lines (JSONL and CSV) out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from screening.domain import Flight, Passenger, TravelDocument
from screening.errors import InvalidArgument
from screening.formats import detect_format
from screening.formats.paxlst import PaxlstManifest, parse_paxlst

PASSENGER_FIELDS = ("ref", "surname", "given_names", "full_name", "date_of_birth", "sex",
                    "nationality", "mrz")
CSV_DOCUMENT_FIELDS = {"document_number": "number", "document_issuing_country": "issuing_country",
                       "document_type": "type", "document_expiry": "expiry"}


def passenger_from_dict(d: dict, *, where: str = "") -> Passenger:
    """A passenger from the JSONL shape (document nested) or the flat CSV shape."""
    if not isinstance(d, dict):
        raise InvalidArgument("a passenger must be a JSON object", field=where or "passenger")
    doc = d.get("document") or {}
    if not isinstance(doc, dict):
        raise InvalidArgument("must be an object", field=f"{where}document".lstrip("."))
    for flat, key in CSV_DOCUMENT_FIELDS.items():
        if d.get(flat):
            doc = {**doc, key: d[flat]}
    values = {k: "" if d.get(k) is None else str(d.get(k)) for k in PASSENGER_FIELDS}
    return Passenger(**values, document=TravelDocument(
        number=str(doc.get("number") or ""), issuing_country=str(doc.get("issuing_country") or ""),
        type=str(doc.get("type") or ""), expiry=str(doc.get("expiry") or "")))


def read_passengers(path: Path, *, csv_format: bool | None = None
                    ) -> Iterator[Passenger | InvalidArgument]:
    """Yield a passenger per line/row, or an `InvalidArgument` for an unreadable one (the
    caller reports it and goes on). Refs default to the line number."""
    path = Path(path)
    if csv_format is None:
        csv_format = path.suffix.lower() == ".csv"
    if csv_format:
        with path.open(newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                p = passenger_from_dict(row)
                p.ref = p.ref or f"line-{n}"
                yield p
        return
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                p = passenger_from_dict(json.loads(line), where=f"line {n}: ")
            except json.JSONDecodeError as exc:
                yield InvalidArgument(f"not JSON: {exc.msg}", field=f"line-{n}")
                continue
            except InvalidArgument as exc:
                yield InvalidArgument(exc.message, field=f"line-{n}")
                continue
            p.ref = p.ref or f"line-{n}"
            yield p


def result_to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)


def results_to_csv(results: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ref", "decision", "best_record_id", "best_list", "best_score", "hits",
                     "error"])
    for r in results:
        best = r["hits"][0] if r["hits"] else {}
        writer.writerow([r["ref"], r["decision"], best.get("record_id", ""),
                         best.get("list", ""), best.get("score", ""), len(r["hits"]),
                         r.get("error", "")])
    return out.getvalue()


@dataclass
class ManifestInput:
    """What `screening screen FILE` read: the flight, the passengers, unreadable entries
    (as `InvalidArgument`s naming where), and the PAXLST message when it was one."""

    format: str
    flight: Flight
    passengers: list[Passenger]
    errors: list[InvalidArgument] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    paxlst: PaxlstManifest | None = None


def _mrz_zones(text: str) -> list[str]:
    zones, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            zones.append("\n".join(current))
            current = []
    if current:
        zones.append("\n".join(current))
    return zones


def read_manifest_file(path: Path, flight: Flight | None = None) -> ManifestInput:
    """Read a PAXLST message, a JSONL or CSV passenger file, or a file of MRZ zones
    (separated by blank lines), detected by content."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "paxlst":
        manifest = parse_paxlst(path.read_bytes())
        errors = [InvalidArgument(e.message, field=f"segment {e.segment_index} {e.tag}")
                  for e in manifest.errors]
        warnings = [f"segment {w.segment_index} {w.tag}: {w.message}" for w in manifest.warnings]
        return ManifestInput(fmt, flight or manifest.flight(), manifest.passengers(), errors,
                             warnings, manifest)
    if fmt == "mrz":
        zones = _mrz_zones(path.read_text(encoding="utf-8"))
        passengers = [Passenger(ref=f"zone-{n}", mrz=z) for n, z in enumerate(zones, start=1)]
        return ManifestInput(fmt, flight or Flight(manifest_id=path.stem), passengers)
    if fmt not in ("jsonl", "csv"):
        raise InvalidArgument(f"cannot screen a {fmt} file (paxlst, jsonl, csv, mrz)",
                              field=str(path))
    passengers, errors = [], []
    reader = read_passengers(path, csv_format=fmt == "csv")
    for item in reader:
        (errors if isinstance(item, InvalidArgument) else passengers).append(item)
    return ManifestInput(fmt, flight or Flight(manifest_id=path.stem), passengers, errors)
