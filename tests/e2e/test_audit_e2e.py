"""Every check, manifest and hit update served is in the audit trail: who, when, a keyed
hash of what was asked (no personal data), the decision and the record ids."""

from __future__ import annotations

import json
import subprocess
import sys

from screening.audit import asked_digest, open_audit, verify
from screening.audit.query import query
from screening.domain import Flight, Passenger, TravelDocument
from screening.pb import screening_pb2 as pb
from tests.trust import connect

KARIMOV = Passenger(ref="k", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
                    date_of_birth="1970-05-12",
                    document=TravelDocument(number="AB1234567", issuing_country="UZB"))
STOLEN = Passenger(ref="s", surname="ROE", document=TravelDocument(number="X1234567",
                                                                  issuing_country="FRA"))
CLEAN = Passenger(ref="c", surname="NOBODY", given_names="ATALL")


def test_served_calls_are_audited_without_personal_data(server, data_dir):
    audit_dir = data_dir / "audit"
    with connect(server.port, "partner-audit") as partner:
        check = partner.check(KARIMOV)
    with connect(server.port, "centre-audit") as centre:
        results, _ = centre.screen_all(Flight(carrier="AF", flight_number="AF5",
                                              manifest_id="audit-m"), [STOLEN, CLEAN])
    item_id = next(m.follow_up_id for r in results for m in r.matches)
    with connect(server.port, "operator-audit") as op:
        op.followup.UpdateHit(pb.UpdateHitRequest(id=item_id, status=pb.ACKNOWLEDGED),
                              timeout=5)

    _, rows = query(audit_dir, "SELECT action, who, role, decision FROM audit WHERE who IN "
                    "('partner-audit', 'centre-audit', 'operator-audit') ORDER BY seq")
    assert rows == [("check", "partner-audit", "partner", "HIT"),
                    ("manifest_batch", "centre-audit", "centre", None),
                    ("manifest", "centre-audit", "centre", None),
                    ("hit_update", "operator-audit", "operator", "ACKNOWLEDGED")]
    entries = [json.loads(x) for x in (audit_dir / "audit.jsonl").read_text().splitlines()]
    by_action = {e["action"]: e for e in entries if e["who"].endswith("-audit")}
    key = open_audit(audit_dir).key
    # what was asked can be confirmed later by whoever holds the key and the data...
    assert by_action["check"]["asked"] == asked_digest(key, KARIMOV)
    assert by_action["check"]["check_id"] == check.check_id
    assert by_action["check"]["record_ids"] == ["N-1"]
    batch = by_action["manifest_batch"]["results"]
    assert [r["asked"] for r in batch] == [asked_digest(key, STOLEN), asked_digest(key, CLEAN)]
    assert [r["decision"] for r in batch] == ["HIT", "CLEAR"]
    assert batch[0]["record_ids"] == ["D-1"] and batch[1]["record_ids"] == []
    assert by_action["manifest"]["passengers"] == 2 and by_action["manifest"]["hits"] == 1
    assert by_action["hit_update"]["record_ids"] == ["D-1"]
    # ...but the trail itself holds no name, date of birth or document number
    text = (audit_dir / "audit.jsonl").read_text()
    for personal in ("KARIMOV", "MUHAMMAD", "1970-05-12", "AB1234567", "X1234567", "NOBODY"):
        assert personal not in text
    assert verify(audit_dir).ok

    # holding the key, the data asked about finds its checks again
    def find(*flags: str) -> list[dict]:
        run = subprocess.run([sys.executable, "-m", "screening", "audit", "find", "--dir",
                              str(audit_dir), *flags], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)
    found = find("--surname", "KARIMOV", "--given-names", "MUHAMMAD YUSUF", "--dob",
                 "1970-05-12", "--doc-number", "AB1234567", "--doc-country", "UZB")
    assert [(f["who"], f["action"], f["decision"], f["record_ids"]) for f in found] == [
        ("partner-audit", "check", "HIT", ["N-1"])]
    found = find("--surname", "ROE", "--doc-number", "X1234567", "--doc-country", "FRA")
    assert [(f["who"], f["action"], f["decision"]) for f in found] == [
        ("centre-audit", "manifest_batch", "HIT")]
    assert find("--surname", "KARIMOV") == []  # not what was asked


def test_server_applies_retention_itself(tmp_path):
    import time

    from tests.e2e.conftest import start
    from tests.fixtures import build_fixture_data

    build_fixture_data(tmp_path)
    # keep passenger data ~1 second, purge every 0.2 s
    running = start(tmp_path, retention_days=1.5 / 86400, retention_interval_s=0.2)
    try:
        with connect(running.port, "centre-ret") as c:
            c.check(STOLEN)
            assert len(running.service.store.list()) == 1
            deadline = time.monotonic() + 10
            while running.service.store.list():
                assert time.monotonic() < deadline, "the hit was not purged"
                time.sleep(0.1)
    finally:
        running.stop(grace=1)
    _, rows = query(tmp_path / "audit", "SELECT sum(hits_removed) FROM audit "
                    "WHERE action = 'retention'")
    assert rows == [(1,)]
    assert verify(tmp_path / "audit").ok
