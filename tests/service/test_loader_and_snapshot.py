"""Watchlist ETL (JSONL, CSV, Parquet) and snapshot versions (replace, keep, append)."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from indexes.snapshot import build_snapshot, current_version, list_versions, open_snapshot
from screening import loader
from screening.errors import DataError
from tests.fixtures import DOCUMENTS, NOMINAL, write_jsonl

ISSUE_NOMINAL = {"record_id": "N-1", "list": "interpol-red", "category": "wanted",
                 "names": [{"surname": "KARIMOV", "given_names": "Muhammad Yusuf"},
                           {"full_name": "Мухаммад Каримов"}],
                 "dates_of_birth": ["1970-05-12", "1971"], "sex": "M", "nationalities": ["UZB"],
                 "documents": [{"number": "AB1234567", "issuing_country": "UZB", "type": "P"}],
                 "owner": "FRA", "status": "active"}
ISSUE_DOCUMENT = {"record_id": "D-1", "number": "X1234567", "issuing_country": "FRA",
                  "type": "P", "status": "STOLEN", "reported_on": "2024-01-31", "owner": "FRA"}


def test_issue_jsonl_shapes_load_as_they_are(tmp_path):
    nominal = loader.read_nominal(write_jsonl(tmp_path / "n.jsonl",
                                              [{**ISSUE_NOMINAL, "extra_field": 1}]))
    row = nominal.to_pylist()[0]
    assert row["record_id"] == "N-1" and row["nationalities"] == ["UZB"]
    assert row["names"][1]["full_name"] == "Мухаммад Каримов"
    assert row["documents"][0]["number"] == "AB1234567"
    docs = loader.read_documents(write_jsonl(tmp_path / "d.jsonl", [ISSUE_DOCUMENT]))
    assert docs.to_pylist() == [ISSUE_DOCUMENT]


def test_defaults_fill_missing_optional_fields(tmp_path):
    t = loader.read_nominal(write_jsonl(tmp_path / "n.jsonl",
                                        [{"record_id": "A", "names": [{"full_name": "X Y"}]}]))
    row = t.to_pylist()[0]
    assert (row["status"], row["list"], row["nationalities"]) == ("active", "unknown", [])


def test_csv_and_parquet_sources(tmp_path):
    csv_path = tmp_path / "n.csv"
    csv_path.write_text(
        "record_id,list,category,surname,given_names,full_name,aliases,dates_of_birth,sex,"
        "nationalities,documents,owner,status,place_of_birth\n"
        "C-1,un-sc,sanctioned,AL-QADDAFI,Saif,,Saif al-Islam Gaddafi|سيف القذافي,1972;1973,M,"
        "LBY,B010574:LBY:P,LBY,active,Tripoli\n", encoding="utf-8")
    t = loader.read_nominal(csv_path)
    row = t.to_pylist()[0]
    assert [n["full_name"] for n in row["names"]] == [None, "Saif al-Islam Gaddafi", "سيف القذافي"]
    assert row["dates_of_birth"] == ["1972", "1973"]
    assert row["documents"] == [{"number": "B010574", "issuing_country": "LBY", "type": "P"}]
    pq.write_table(t, tmp_path / "n.parquet")
    assert loader.read_nominal(tmp_path / "n.parquet").to_pylist() == t.to_pylist()

    docs_csv = tmp_path / "d.csv"
    docs_csv.write_text("record_id,number,issuing_country,type,status,reported_on,owner\n"
                        "D-9,AA 123,fra,p,lost,2020-01-02,FRA\n")
    d = loader.read_documents(docs_csv).to_pylist()[0]
    assert (d["issuing_country"], d["type"], d["status"]) == ("FRA", "P", "LOST")


def test_bad_sources_name_the_problem(tmp_path):
    with pytest.raises(DataError) as err:
        loader.read_nominal(write_jsonl(tmp_path / "dup.jsonl", [ISSUE_NOMINAL, ISSUE_NOMINAL]))
    assert "duplicate record_id" in str(err.value)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"record_id": "A", "names": [}\n')
    with pytest.raises(DataError) as err:
        loader.read_nominal(bad)
    assert err.value.sql and "read_json" in err.value.sql
    with pytest.raises(DataError):
        loader.read_documents(tmp_path / "missing.parquet")
    with pytest.raises(DataError):
        loader.read_documents(write_jsonl(tmp_path / "d.jsonl", [{"record_id": "D"}]))


def test_versions_replace_keep_and_append(tmp_path):
    data = tmp_path / "data"
    n = loader.read_nominal(write_jsonl(tmp_path / "n.jsonl", NOMINAL))
    d = loader.read_documents(write_jsonl(tmp_path / "d.jsonl", DOCUMENTS))
    v1 = build_snapshot(data, nominal=n)
    v2 = build_snapshot(data, documents=d)          # keeps the nominal records
    snap = open_snapshot(data)
    assert (snap.version, snap.meta["nominal_records"], snap.meta["document_records"]) == (
        v2, len(NOMINAL), len(DOCUMENTS))
    # cancelled records are kept but not indexed
    assert snap.meta["names"] == sum(len(r["names"]) for r in NOMINAL if r["status"] == "active")

    extra = loader.read_nominal(write_jsonl(tmp_path / "x.jsonl", [
        {**ISSUE_NOMINAL, "record_id": "N-1", "list": "un-sc"},  # replaces N-1
        {"record_id": "NEW-1", "names": [{"full_name": "NEW PERSON"}]}]))
    merged = loader.merge_append(n, extra)
    v3 = build_snapshot(data, nominal=merged)
    snap3 = open_snapshot(data)
    assert snap3.meta["nominal_records"] == len(NOMINAL) + 1
    assert snap3.meta["document_records"] == len(DOCUMENTS)
    lists = {r["record_id"]: r["list"] for r in snap3.records.select(["record_id", "list"])
             .to_pylist()}
    assert lists["N-1"] == "un-sc" and "NEW-1" in lists

    assert list_versions(data) == [v1, v2, v3] and current_version(data) == v3
    # older versions stay intact and openable (immutable)
    old = open_snapshot(data, v1)
    assert old.meta["document_records"] == 0 and old.meta["nominal_records"] == len(NOMINAL)
    meta = json.loads((data / "versions" / v2 / "meta.json").read_text())
    assert meta["parent"] == v1 and meta["loaded"] == "documents"


def test_failed_build_leaves_current_untouched(tmp_path, monkeypatch):
    data = tmp_path / "data"
    n = loader.read_nominal(write_jsonl(tmp_path / "n.jsonl", NOMINAL[:3]))
    v1 = build_snapshot(data, nominal=n)
    import indexes.snapshot as snapshot_mod

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(snapshot_mod, "_build_documents", boom)
    with pytest.raises(RuntimeError):
        build_snapshot(data, documents=loader.read_documents(
            write_jsonl(tmp_path / "d.jsonl", DOCUMENTS[:2])))
    assert current_version(data) == v1 and list_versions(data) == [v1]
    assert not [p for p in (data / "versions").iterdir() if p.name.startswith(".build")]


def test_indexes_of_an_older_format_are_rebuilt_on_open(tmp_path):
    """A server upgraded in place opens the snapshot it has: an index written with another
    format is rebuilt from the version's own tables, once, and answers as a fresh one."""
    from indexes.document_index import FORMAT_VERSION as DOC_FORMAT
    from indexes.name_index import FORMAT_VERSION as NAME_FORMAT

    data = tmp_path / "data"
    version = build_snapshot(
        data, nominal=loader.read_nominal(write_jsonl(tmp_path / "n.jsonl", NOMINAL)),
        documents=loader.read_documents(write_jsonl(tmp_path / "d.jsonl", DOCUMENTS)))
    queries = [" ".join(n["names"][0].get(k, "") for k in ("surname", "given_names"))
               for n in NOMINAL]
    numbers = [d["number"] for d in DOCUMENTS] + ["AB1234567", "B0IO574", "NOPE"]
    countries = [d["issuing_country"] for d in DOCUMENTS] + ["UZB", "LBY", ""]

    def answers(snap) -> tuple:
        return ([[(m.record_idx, m.score) for m in found]
                 for found in snap.name_index.search(queries)],
                [x.tolist() for x in snap.document_index.lookup(numbers, countries)],
                [x.tolist() for x in snap.person_document_index.lookup(numbers, countries)])

    want = answers(open_snapshot(data))
    assert sum(map(len, want[0])) >= len(NOMINAL) // 2
    assert max(want[1][0]) >= 0 and max(want[2][0]) >= 0  # lookups that find something
    folder = data / "versions" / version
    formats = {"name_index": NAME_FORMAT, "document_index": DOC_FORMAT,
               "person_document_index": DOC_FORMAT}
    for name, current in formats.items():
        meta = folder / name / "meta.json"
        meta.write_text(json.dumps({**json.loads(meta.read_text()), "format": current - 1}))
    snap = open_snapshot(data)
    for name, current in formats.items():
        assert json.loads((folder / name / "meta.json").read_text())["format"] == current
    assert answers(snap) == want
    leftovers = sorted(p.name for p in folder.iterdir() if "index." in p.name)
    assert leftovers == [".document_index.lock", ".name_index.lock",
                         ".person_document_index.lock"]
