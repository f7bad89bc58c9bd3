"""Small, hand-written watchlists for exact assertions in service and end-to-end tests."""

from __future__ import annotations

import json
from pathlib import Path

NOMINAL = [
    {"record_id": "N-1", "list": "interpol-red", "category": "wanted",
     "names": [{"surname": "KARIMOV", "given_names": "Muhammad Yusuf"},
               {"full_name": "Мухаммад Каримов"}],
     "dates_of_birth": ["1970-05-12", "1971"], "sex": "M", "nationalities": ["UZB"],
     "documents": [{"number": "AB1234567", "issuing_country": "UZB", "type": "P"}],
     "owner": "FRA", "status": "active"},
    {"record_id": "N-2", "list": "interpol-yellow", "category": "missing",
     "names": [{"surname": "MÜLLER", "given_names": "Anna Lena"}],
     "dates_of_birth": ["2004-02-29"], "sex": "F", "nationalities": ["DEU"],
     "documents": [], "owner": "DEU", "status": "active"},
    {"record_id": "N-3", "list": "un-sc", "category": "sanctioned",
     "names": [{"surname": "AL-QADDAFI", "given_names": "Saif"},
               {"full_name": "سيف القذافي"}],
     "dates_of_birth": ["1972"], "sex": "M", "nationalities": ["LBY"],
     "documents": [{"number": "B010574", "issuing_country": "LBY", "type": "P"}],
     "owner": "LBY", "status": "active"},
    {"record_id": "N-4", "list": "interpol-red", "category": "wanted",
     "names": [{"surname": "PETROVSKY", "given_names": "Igor"}],
     "dates_of_birth": ["1965-01-01"], "sex": "M", "nationalities": ["RUS"],
     "documents": [], "owner": "POL", "status": "cancelled"},
    {"record_id": "N-5", "list": "ofac-sdn", "category": "sanctioned",
     "names": [{"surname": "WANG", "given_names": "Jianguo"}, {"full_name": "王建国"}],
     "dates_of_birth": ["1968-09-30"], "sex": "M", "nationalities": ["CHN"],
     "documents": [], "owner": "USA", "status": "active"},
]
# Noise so that blocking and ranking have something to do.
_FIRST = ["JOHN", "MARIA", "AHMED", "OLGA", "PIERRE", "CHEN", "FATIMA", "CARLOS", "YUKI", "IVAN"]
_LAST = ["SMITH", "GARCIA", "HASSAN", "IVANOVA", "DUBOIS", "LI", "OKAFOR", "SILVA", "TANAKA",
         "NOVAK", "KOWALSKI", "ROSSI", "NGUYEN", "PATEL", "SCHMIDT"]
for i in range(300):
    NOMINAL.append({
        "record_id": f"X-{i}", "list": "interpol-red", "category": "wanted",
        "names": [{"surname": _LAST[i % len(_LAST)] + ("" if i < 15 else f"{chr(65 + i % 26)}OV"),
                   "given_names": _FIRST[(i * 7) % len(_FIRST)]}],
        "dates_of_birth": [f"{1950 + i % 50}-0{1 + i % 9}-1{i % 10}"], "sex": "MF"[i % 2],
        "nationalities": ["FRA"], "documents": [], "owner": "FRA", "status": "active",
    })

DOCUMENTS = [
    {"record_id": "D-1", "number": "X1234567", "issuing_country": "FRA", "type": "P",
     "status": "STOLEN", "reported_on": "2024-01-31", "owner": "FRA"},
    {"record_id": "D-2", "number": "C0B5Z12", "issuing_country": "ITA", "type": "P",
     "status": "LOST", "reported_on": "2023-06-01", "owner": "ITA"},
    {"record_id": "D-3", "number": "998877665", "issuing_country": "USA", "type": "P",
     "status": "STOLEN_BLANK", "reported_on": "2022-11-11", "owner": "USA"},
] + [
    {"record_id": f"D-{i}", "number": f"Z{i:08d}", "issuing_country": "ESP", "type": "P",
     "status": "LOST", "reported_on": "2020-01-01", "owner": "ESP"}
    for i in range(10, 2010)
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def build_fixture_data(data_dir: Path) -> str:
    """Load the fixture watchlists into `data_dir`; returns the snapshot version."""
    from indexes.snapshot import build_snapshot
    from screening import loader

    src = data_dir / "src"
    src.mkdir(parents=True, exist_ok=True)
    nominal = loader.read_nominal(write_jsonl(src / "nominal.jsonl", NOMINAL))
    documents = loader.read_documents(write_jsonl(src / "documents.jsonl", DOCUMENTS))
    return build_snapshot(data_dir, nominal=nominal, documents=documents)
