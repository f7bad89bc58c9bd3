"""Live watchlist changes: a cancel stops matching within a second without a rebuild,
adds and updates answer at once, `load --delta` from another process, compaction into a
new version, rollback; every answer says which version produced it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import grpc
import pytest

from screening.domain import Passenger, TravelDocument
from screening.pb import screening_pb2 as pb
from tests import trust
from tests.e2e.conftest import start
from tests.fixtures import build_fixture_data
from tests.trust import connect

KARIMOV = Passenger(ref="k", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
                    date_of_birth="1970-05-12", nationality="UZB")
STOLEN = Passenger(ref="s", surname="ROE", document=TravelDocument(number="X1234567",
                                                                  issuing_country="FRA"))
NEWCOMER = Passenger(ref="n", surname="ZABOROWSKI", given_names="TEODOR",
                     date_of_birth="1981-03-04", nationality="POL")
NEW_RECORD = {"record_id": "N-NEW", "list": "interpol-red", "category": "wanted",
              "names": [{"surname": "ZABOROWSKI", "given_names": "Teodor"}],
              "dates_of_birth": ["1981-03-04"], "sex": "M", "nationalities": ["POL"],
              "documents": [], "owner": "POL", "status": "active"}


def change(op: int, record_id: str = "", record: dict | None = None,
           kind: int = pb.NOMINAL) -> pb.WatchlistChange:
    return pb.WatchlistChange(op=op, kind=kind, record_id=record_id,
                              record_json=json.dumps(record) if record else "")


def ids(resp) -> list[str]:
    return [m.record_id for m in resp.matches]


@pytest.fixture()
def live(tmp_path):
    build_fixture_data(tmp_path)
    running = start(tmp_path, delta_poll_s=0.1, reload_interval_s=0.2, compact_after_s=0)
    yield running, tmp_path
    running.stop(grace=1)


def test_cancel_stops_matching_within_a_second(live):
    server, _ = live
    with connect(server.port, "admin-live") as admin, connect(server.port, "centre-l") as c:
        before = c.check(KARIMOV)
        assert "N-1" in ids(before) and before.decision == pb.HIT
        assert before.snapshot_version == "v000001"
        t0 = time.monotonic()
        resp = admin.watchlists.ApplyChanges(iter([change(pb.WatchlistChange.CANCEL, "N-1")]),
                                             timeout=10)
        after = c.check(KARIMOV)
        elapsed = time.monotonic() - t0
    assert (resp.added, resp.updated, resp.cancelled) == (0, 0, 1)
    assert resp.version == "v000001+d000001"
    assert "N-1" not in ids(after) and after.decision != pb.HIT
    assert after.snapshot_version == "v000001+d000001"
    assert elapsed < 1.0


def test_add_update_and_cancel_a_document_live(live):
    server, data = live
    with connect(server.port, "admin-live") as admin, connect(server.port, "centre-l") as c:
        assert c.check(NEWCOMER).decision == pb.CLEAR
        assert c.check(STOLEN).decision == pb.HIT
        resp = admin.watchlists.ApplyChanges(iter([
            change(pb.WatchlistChange.ADD, record=NEW_RECORD),
            change(pb.WatchlistChange.CANCEL, "D-1", kind=pb.TRAVEL_DOCUMENT),
        ]), timeout=10)
        assert (resp.added, resp.cancelled) == (1, 1)
        found = c.check(NEWCOMER)
        assert ids(found) == ["N-NEW"] and found.decision == pb.HIT
        assert c.check(STOLEN).decision == pb.CLEAR
        # an update replaces the record: the corrected name matches, the old one no more
        renamed = dict(NEW_RECORD, names=[{"surname": "KOWALCZYK", "given_names": "Teodor"}])
        admin.watchlists.ApplyChanges(iter([change(pb.WatchlistChange.UPDATE,
                                                   record=renamed)]), timeout=10)
        old_name = c.check(NEWCOMER)
        assert old_name.snapshot_version == "v000001+d000002"
        assert old_name.decision == pb.CLEAR
        new_name = c.check(Passenger(surname="KOWALCZYK", given_names="TEODOR",
                                     date_of_birth="1981-03-04"))
        assert ids(new_name) == ["N-NEW"] and new_name.decision == pb.HIT
        # a record updated as expired stops matching like a cancelled one
        muller = Passenger(surname="MÜLLER", given_names="ANNA LENA", date_of_birth="2004-02-29")
        assert "N-2" in ids(c.check(muller))
        expired = {"record_id": "N-2", "list": "interpol-yellow", "category": "missing",
                   "names": [{"surname": "MÜLLER", "given_names": "Anna Lena"}],
                   "dates_of_birth": ["2004-02-29"], "status": "expired"}
        resp = admin.watchlists.ApplyChanges(iter([change(pb.WatchlistChange.UPDATE,
                                                          record=expired)]), timeout=10)
        assert resp.updated == 1 and "N-2" not in ids(c.check(muller))
        # the batches are immutable files, replayed by a restart
        assert sorted(os.listdir(data / "deltas" / "v000001")) == [
            "d000001.jsonl", "d000002.jsonl", "d000003.jsonl"]


def test_bad_change_is_invalid_argument_and_nothing_is_applied(live):
    server, data = live
    with connect(server.port, "admin-live") as admin:
        with pytest.raises(grpc.RpcError) as err:
            admin.watchlists.ApplyChanges(iter([
                change(pb.WatchlistChange.CANCEL, "N-2"),
                change(pb.WatchlistChange.ADD, record={"list": "x"})]), timeout=10)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "change 2" in err.value.details()
    assert not (data / "deltas" / "v000001").exists()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screening", *args], capture_output=True,
                          text=True, timeout=300)


def test_load_delta_from_another_process_is_live_within_a_second(live):
    server, data = live
    changes = data / "changes.jsonl"
    changes.write_text(json.dumps({"op": "cancel", "record_id": "N-1"}) + "\n"
                       + json.dumps({"op": "add", "record": NEW_RECORD}) + "\n")
    run = _cli("load", "--delta", str(changes), "--data", str(data))
    assert run.returncode == 0, run.stderr
    assert "2 change(s)" in run.stdout
    t0 = time.monotonic()
    with connect(server.port, "centre-l") as c:
        while "N-1" in ids(c.check(KARIMOV)):
            assert time.monotonic() - t0 < 1.0
            time.sleep(0.02)
        assert ids(c.check(NEWCOMER)) == ["N-NEW"]
    entries = [json.loads(x) for x in (data / "audit" / "audit.jsonl").read_text().splitlines()]
    assert any(e["action"] == "watchlist_change" and e["record_ids"] == ["N-1", "N-NEW"]
               for e in entries)


def test_compaction_folds_changes_into_a_new_version(live):
    server, data = live
    with connect(server.port, "admin-live") as admin, connect(server.port, "centre-l") as c:
        admin.watchlists.ApplyChanges(iter([
            change(pb.WatchlistChange.CANCEL, "N-1"),
            change(pb.WatchlistChange.ADD, record=NEW_RECORD)]), timeout=10)
        assert server.service.live.compact() == "v000002"
        assert server.service.engine.version == "v000002"
        k, n = c.check(KARIMOV), c.check(NEWCOMER)
        assert "N-1" not in ids(k) and ids(n) == ["N-NEW"]
        assert k.snapshot_version == n.snapshot_version == "v000002"
        status = admin.watchlists.GetStatus(pb.GetStatusRequest(), timeout=5)
        assert status.version == "v000002" and status.nominal_records == 306


def test_rollback_serves_the_previous_version(live):
    server, data = live
    from indexes.snapshot import build_snapshot
    from screening import loader
    from tests.fixtures import NOMINAL, write_jsonl

    src = write_jsonl(data / "v2.jsonl", NOMINAL + [NEW_RECORD])
    assert build_snapshot(data, nominal=loader.read_nominal(src)) == "v000002"
    with connect(server.port, "centre-l") as c:
        deadline = time.monotonic() + 10
        while c.check(NEWCOMER).snapshot_version != "v000002":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert ids(c.check(NEWCOMER)) == ["N-NEW"]
        run = _cli("rollback", "--data", str(data))
        assert run.returncode == 0, run.stderr
        assert "CURRENT is now v000001 (was v000002)" in run.stdout
        deadline = time.monotonic() + 10
        while (back := c.check(NEWCOMER)).snapshot_version != "v000001":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert back.decision == pb.CLEAR


def test_admin_only(live):
    server, _ = live
    for who in ("partner-x", "centre-x", "operator-x"):
        with connect(server.port, who) as c:
            with pytest.raises(grpc.RpcError) as err:
                c.watchlists.ApplyChanges(iter([change(pb.WatchlistChange.CANCEL, "N-1")]),
                                          timeout=5)
            assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert trust.kit(server.port).path.exists()


def test_full_load_and_rollback_are_audited(tmp_path):
    from tests.fixtures import NOMINAL, write_jsonl

    src = write_jsonl(tmp_path / "n.jsonl", NOMINAL)
    for _ in range(2):
        run = _cli("load", "nominal", str(src), "--data", str(tmp_path))
        assert run.returncode == 0, run.stderr
    assert _cli("rollback", "--data", str(tmp_path)).returncode == 0
    entries = [json.loads(x) for x in
               (tmp_path / "audit" / "audit.jsonl").read_text().splitlines()]
    assert [(e["action"], e["version"]) for e in entries] == [
        ("watchlist_load", "v000001"), ("watchlist_load", "v000002"),
        ("watchlist_rollback", "v000001")]
    assert entries[1]["previous"] == "v000001" and entries[0]["source"] == "n.jsonl"
    assert all(e["who"].startswith("cli:") and e["role"] == "admin" for e in entries)


def test_a_version_is_compacted_once(live):
    server, data = live
    with connect(server.port, "admin-live") as admin:
        admin.watchlists.ApplyChanges(iter([change(pb.WatchlistChange.CANCEL, "N-1")]),
                                      timeout=10)
    live_before = server.service.engine
    assert server.service.live.compact() == "v000002"
    # another worker still on v000001 + d000001 must not fold it a second time
    server.service.swap_engine(live_before)
    assert server.service.live.compact() is None
    from indexes.snapshot import list_versions

    assert list_versions(data) == ["v000001", "v000002"]
