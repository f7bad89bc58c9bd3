"""The formats of the trade end to end: real OFAC/UN lists loaded with the importers,
real PAXLST manifests screened through the server, CUSRES written and read back, MRZ."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from screening.client import result_dict
from screening.domain import Passenger, TravelDocument
from screening.formats.cusres import parse_cusres
from screening.formats.paxlst import parse_paxlst
from screening.passenger_io import read_manifest_file
from tests import trust
from tests.e2e.conftest import start
from tests.fixtures import write_jsonl
from tests.trust import connect

PAXLST_COUNTS = {"gtas_Test1.txt": 8, "gtas_Test3.txt": 260, "gtas_airline2.edi": 10,
                 "gtas_apisMessage.txt": 2, "gtas_multiple_flight_leg_apis.txt": 2}
SPECIMEN_TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def cli(*args: str) -> subprocess.CompletedProcess:
    """Run the command line; against a test server, with a centre's credential over TLS."""
    env = dict(os.environ)
    if "--server" in args:
        port = int(args[args.index("--server") + 1].rsplit(":", 1)[1])
        env.update(SCREENING_TOKEN=trust.kit(port).token("centre-cli"),
                   SCREENING_CA_CERT=str(trust.tls().ca_cert))
    return subprocess.run([sys.executable, "-m", "screening", *args], capture_output=True,
                          text=True, timeout=300, check=False, env=env)


@pytest.fixture(scope="module")
def lists_server(shared_data, tmp_path_factory):
    data = tmp_path_factory.mktemp("lists")
    ofac = shared_data / "watchlists" / "ofac"
    out = cli("load", "ofac-sdn", str(ofac / "sdn_2024-05-03.csv"), "--aliases",
              str(ofac / "alt_2026-06-02.csv"), "--data", str(data))
    assert out.returncode == 0, out.stderr
    assert "imported 6854" in out.stderr and "entities absent from the SDN file" in out.stderr
    out = cli("load", "un-consolidated",
              str(shared_data / "watchlists" / "un" / "consolidated_2025-11-20.xml"),
              "--data", str(data))
    assert out.returncode == 0, out.stderr
    # Documents: the ICAO specimen passport is reported stolen.
    docs = write_jsonl(data / "docs.jsonl", [
        {"record_id": "D-UTO", "number": "L898902C3", "issuing_country": "UTO", "type": "P",
         "status": "STOLEN", "reported_on": "2020-01-01", "owner": "UTO"}])
    assert cli("load", "documents", str(docs), "--data", str(data)).returncode == 0
    server = start(data)
    yield server
    server.stop(grace=1)


@pytest.fixture()
def lists_client(lists_server):
    with connect(lists_server.port, "centre-e2e") as c:
        yield c


def test_both_lists_are_loaded_side_by_side(lists_client):
    from screening.pb import screening_pb2 as pb

    status = lists_client.watchlists.GetStatus(pb.GetStatusRequest(), timeout=5)
    counts = {c.list: c.records for c in status.lists}
    assert counts["ofac-sdn"] == 6854 and counts["un-sc"] == 727 and counts["sltd"] == 1


def test_listed_person_is_a_hit_by_name(lists_client):
    out = result_dict(lists_client.check(Passenger(full_name="Hassan Nasrallah",
                                                   date_of_birth="1960-08-31")))
    assert out["decision"] == "HIT"
    assert out["hits"][0]["record_id"] == "ofac-sdn-2686"


def test_listed_person_is_a_hit_by_passport_from_the_remarks(lists_client):
    # OFAC remarks: "Passport 042833 (Lebanon)"
    out = result_dict(lists_client.check(Passenger(surname="UNKNOWN", document=TravelDocument(
        number="042833", issuing_country="LBN", type="P"))))
    assert out["decision"] == "HIT"
    assert out["hits"][0]["record_id"] == "ofac-sdn-2686"
    assert any(e["method"] == "on_record" for e in out["hits"][0]["explanation"])


def test_un_listed_person_is_found(lists_client, shared_data):
    # A UN individual, by the name as the list writes it.
    import xml.etree.ElementTree as ET

    root = ET.parse(shared_data / "watchlists" / "un" / "consolidated_2025-11-20.xml").getroot()
    ind = root.find(".//INDIVIDUAL")
    parts = [ind.findtext(t) or "" for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
    name = " ".join(p for p in parts if p)
    ref = ind.findtext("REFERENCE_NUMBER").strip()
    out = result_dict(lists_client.check(Passenger(full_name=name)))
    assert out["decision"] in ("HIT", "POSSIBLE_MATCH")
    assert f"un-sc-{ref}" in [h["record_id"] for h in out["hits"]]


def test_mrz_alone_is_screened_like_typed_fields(lists_client):
    out = result_dict(lists_client.check(Passenger(mrz=SPECIMEN_TD3)))
    assert out["decision"] == "HIT" and out["hits"][0]["record_id"] == "D-UTO"
    assert out["hits"][0]["score"] == pytest.approx(0.99)


def test_wrong_mrz_check_digit_is_flagged_and_lowers_confidence(lists_client):
    bad = SPECIMEN_TD3.replace("L898902C36", "L898902C37")
    out = result_dict(lists_client.check(Passenger(mrz=bad)))
    best = out["hits"][0]
    assert best["record_id"] == "D-UTO" and best["score"] < 0.99
    assert any(e["field"] == "mrz" and e["method"] == "check_digit_failed"
               for e in best["explanation"])


@pytest.mark.parametrize("name,count", sorted(PAXLST_COUNTS.items()))
def test_real_paxlst_screens_end_to_end_with_cusres(lists_server, shared_data, tmp_path,
                                                     name, count):
    path = shared_data / "paxlst" / name
    out, cusres = tmp_path / "results.jsonl", tmp_path / "answer.edi"
    run = cli("screen", str(path), "--server", f"127.0.0.1:{lists_server.port}",
              "--out", str(out), "--cusres", str(cusres))
    assert run.returncode == 0, run.stderr
    results = [json.loads(x) for x in out.read_text().splitlines()]
    manifest = parse_paxlst(path.read_bytes())
    refs = [p.passenger.ref for p in manifest.persons]
    assert len(results) == count == len(refs)
    assert sorted(r["ref"] for r in results) == sorted(refs)
    assert all(r["decision"] in ("CLEAR", "POSSIBLE_MATCH", "HIT") for r in results)
    answer = parse_cusres(cusres.read_text())
    assert answer.message_ref == manifest.message_ref
    assert sorted(ref for ref, _ in answer.answers) == sorted(refs)
    codes = {"CLEAR": "0Z", "HIT": "1Z", "POSSIBLE_MATCH": "2Z"}
    assert dict(answer.answers) == {r["ref"]: codes[r["decision"]] for r in results}
    # the answer carries codes and references, never a passenger's name
    text = cusres.read_text()
    for person in manifest.persons:
        assert person.passenger.surname.upper() not in text.upper()


def test_paxlst_with_a_listed_passenger_is_answered_do_not_board(lists_server, tmp_path):
    msg = ("UNA:+.? '"
           "UNB+UNOA:4+AIR+GOV+261123:1200+REF1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'"
           "TDT+20+XX100+++XX'LOC+125+BEY'DTM+189:2611231300:201'LOC+87+CDG'"
           "DTM+232:2611231800:201'"
           "NAD+FL+++NASRALLAH:HASAN'ATT+2++M'DTM+329:600831'NAT+2+LBN'"
           "DOC+P:110:111+042833'DTM+36:301231'LOC+91+LBN'"
           "NAD+FL+++DUPONT:MARIE'ATT+2++F'DTM+329:900101'NAT+2+FRA'"
           "DOC+P:110:111+19FR12345'DTM+36:301231'LOC+91+FRA'"
           "CNT+42:2'UNT+20+M1'UNZ+1+REF1'")
    path = tmp_path / "m.edi"
    path.write_text(msg)
    source = read_manifest_file(path)
    assert source.format == "paxlst" and len(source.passengers) == 2
    cusres = tmp_path / "answer.edi"
    run = cli("screen", str(path), "--server", f"127.0.0.1:{lists_server.port}",
              "--out", str(tmp_path / "r.jsonl"), "--cusres", str(cusres))
    assert run.returncode == 0, run.stderr
    answers = dict(parse_cusres(cusres.read_text()).answers)
    by_surname = {p.surname: p.ref for p in source.passengers}
    assert answers[by_surname["NASRALLAH"]] == "1Z"
    assert answers[by_surname["DUPONT"]] == "0Z"
    assert "ofac" not in cusres.read_text().lower()


def test_mrz_file_is_detected_and_screened(lists_server, tmp_path):
    zones = tmp_path / "zones.txt"
    zones.write_text(SPECIMEN_TD3 + "\n\n" + SPECIMEN_TD3.replace("ERIKSSON", "ANDERSON") + "\n")
    out = tmp_path / "r.jsonl"
    run = cli("screen", str(zones), "--server", f"127.0.0.1:{lists_server.port}",
              "--out", str(out))
    assert run.returncode == 0, run.stderr
    results = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["ref"] for r in results] == ["zone-1", "zone-2"]
    assert all(r["hits"][0]["record_id"] == "D-UTO" for r in results)


def test_screen_writes_csv(lists_server, tmp_path):
    src = write_jsonl(tmp_path / "p.jsonl", [
        {"ref": "a", "full_name": "Hassan Nasrallah", "date_of_birth": "1960-08-31"},
        {"ref": "b", "surname": "NOBODY", "given_names": "ATALL"},
        {"ref": "c", "surname": "X", "nationality": "FR"}])
    out = tmp_path / "r.csv"
    run = cli("screen", str(src), "--server", f"127.0.0.1:{lists_server.port}",
              "--format", "csv", "--out", str(out))
    assert run.returncode == 0, run.stderr
    rows = out.read_text().splitlines()
    assert rows[0].startswith("ref,decision")
    decisions = {r.split(",")[0]: r.split(",")[1] for r in rows[1:]}
    assert decisions == {"a": "HIT", "b": "CLEAR", "c": "ERROR"}


def test_importer_load_keeps_other_lists(tmp_path, shared_data):
    notices = Path(__file__).resolve().parents[1] / "formats" / "fixtures" / "red_notices.json"
    data = tmp_path / "d"
    assert cli("load", "notices", str(notices), "--data", str(data)).returncode == 0
    un = shared_data / "watchlists" / "un" / "consolidated_2025-11-20.xml"
    assert cli("load", "un-consolidated", str(un), "--data", str(data)).returncode == 0
    again = cli("load", "un-consolidated", str(un), "--data", str(data))
    assert again.returncode == 0
    from indexes.snapshot import open_snapshot

    meta = open_snapshot(data).meta
    lists = {c["list"]: c["records"] for c in meta["lists"]}
    assert lists["un-sc"] == 727 and lists["interpol-red"] >= 1
