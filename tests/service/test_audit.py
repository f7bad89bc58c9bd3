"""The audit trail: one unbroken hash chain under concurrent writers, tampering of any
kind detected, SQL over it, and retention that removes old entries and keeps verifying."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest

from screening.audit import log as audit_log
from screening.audit import open_audit, verify
from screening.audit.query import query
from screening.audit.retention import cutoff_for, purge
from screening.domain import Decision, Flight, Match, Passenger, RecordKind, TravelDocument
from screening.followup import NewHit, idempotency_key, open_store
from screening.grpc.convert import passenger_to_pb


def _fill(directory, n: int = 10):
    audit = open_audit(directory)
    for i in range(n):
        audit.append("check", who=f"partner-{i % 3}", role="partner", decision="CLEAR",
                     asked=f"{i:064x}", record_ids=[])
    return audit


def _lines(directory) -> list[str]:
    return (directory / "audit.jsonl").read_text().splitlines()


def _write(directory, lines: list[str]) -> None:
    (directory / "audit.jsonl").write_text("".join(x + "\n" for x in lines))


def test_intact_chain_verifies(tmp_path):
    _fill(tmp_path, 10)
    result = verify(tmp_path)
    assert result.ok and result.entries == 10


def _run_threads(target, n: int) -> None:
    """target(k) in n threads at once, k = 0..n-1; returns when all are done."""
    threads = [threading.Thread(target=target, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_concurrent_writers_keep_one_chain(tmp_path):
    def writer(k: int) -> None:
        audit = open_audit(tmp_path)  # one AuditLog each, as separate processes would have
        for i in range(50):
            audit.append("check", who=f"w{k}", decision="CLEAR", asked=str(i))
    _run_threads(writer, 4)
    result = verify(tmp_path)
    assert result.ok, result.problems
    assert result.entries == 200
    assert [json.loads(x)["seq"] for x in _lines(tmp_path)] == list(range(1, 201))


def test_threads_sharing_one_log_are_committed_together_and_each_gets_its_entry(tmp_path):
    """32 threads on one AuditLog (a server process): entries queued while another thread
    writes go out in one group commit; the chain stays whole and every caller gets back the
    entry carrying its own fields, as written."""
    audit = open_audit(tmp_path)
    got: dict[tuple[int, int], dict] = {}
    lock = threading.Lock()

    def writer(k: int) -> None:
        for i in range(40):
            entry = audit.append("check", who=f"t{k}", decision="CLEAR", asked=f"{k}-{i}")
            with lock:
                got[(k, i)] = entry
    _run_threads(writer, 32)
    result = verify(tmp_path)
    assert result.ok, result.problems
    assert result.entries == 32 * 40
    written = {e["seq"]: e for e in map(json.loads, _lines(tmp_path))}
    assert sorted(written) == list(range(1, 32 * 40 + 1))
    for (k, i), entry in got.items():
        assert entry["who"] == f"t{k}" and entry["asked"] == f"{k}-{i}"
        assert written[entry["seq"]] == entry
    # Group commits happened: some entries share their commit's timestamp.
    assert len({e["at"] for e in written.values()}) < len(written)


def test_a_failed_write_fails_every_caller_of_its_batch_and_the_chain_goes_on(tmp_path,
                                                                            monkeypatch):
    """A write that fails raises in the caller (a check is not answered without its entry),
    never returns nothing; the next appends continue one unbroken chain."""
    audit = open_audit(tmp_path)
    audit.append("check", who="a", decision="CLEAR")
    real = audit._log_file
    broken = {"on": True}

    def log_file():
        if broken["on"]:
            raise OSError("disk full")
        return real()
    monkeypatch.setattr(audit, "_log_file", log_file)
    with pytest.raises(OSError, match="disk full"):
        audit.append("check", who="b", decision="CLEAR")
    broken["on"] = False
    # The file lock fails too: an entry another thread had queued for the same commit gets
    # the error (its caller raises it), not silence.
    queued = audit_log._Pending({"who": "q", "role": "", "action": "check"})
    audit._queue.append(queued)

    def no_lock():
        raise OSError("no lock")
    monkeypatch.setattr(audit, "_locked", no_lock)
    with pytest.raises(OSError, match="no lock"):
        audit.append("check", who="b", decision="CLEAR")
    assert queued.entry is None and isinstance(queued.error, OSError)
    monkeypatch.undo()
    entry = audit.append("check", who="c", decision="CLEAR")
    assert entry["seq"] == 2 and entry["who"] == "c"
    result = verify(tmp_path)
    assert result.ok, result.problems
    assert result.entries == 2


@pytest.mark.parametrize("lines, want", [
    ([b"short"], "short"),
    ([b"a" * 10, b"b" * 5000], "b" * 5000),  # longer than the first block read
    ([b"x" * 9000, b"last", b"", b"  "], "last"),  # trailing blank lines skipped
    ([b"only" * 3000], "only" * 3000),  # one long line, no newline before it
    ([b""], ""),
])
def test_last_line_reads_the_tail_whatever_the_line_lengths(tmp_path, lines, want):
    # Another process's append is caught up from the file's last line.
    path = tmp_path / "log"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert audit_log._last_line(path) == want


def test_changed_entry_is_detected(tmp_path):
    _fill(tmp_path)
    lines = _lines(tmp_path)
    entry = json.loads(lines[4])
    entry["decision"] = "HIT"
    lines[4] = json.dumps(entry)
    _write(tmp_path, lines)
    result = verify(tmp_path)
    assert not result.ok
    assert result.problems == ["entry 5: content changed (hash mismatch)"]


def test_changed_entry_with_recomputed_hash_breaks_the_next_link(tmp_path):
    _fill(tmp_path)
    lines = _lines(tmp_path)
    entry = json.loads(lines[4])
    entry["who"] = "someone-else"
    entry["hash"] = audit_log.entry_hash(entry)
    lines[4] = json.dumps(entry)
    _write(tmp_path, lines)
    assert verify(tmp_path).problems == ["entry 6: does not link to the entry before"]


def test_removed_entry_is_detected(tmp_path):
    _fill(tmp_path)
    lines = _lines(tmp_path)
    del lines[3]
    _write(tmp_path, lines)
    problems = verify(tmp_path).problems
    assert len(problems) == 2
    assert "expected seq 4" in problems[0] and "does not link" in problems[1]


def test_reordered_entries_are_detected(tmp_path):
    _fill(tmp_path)
    lines = _lines(tmp_path)
    lines[2], lines[3] = lines[3], lines[2]
    _write(tmp_path, lines)
    result = verify(tmp_path)
    assert not result.ok and len(result.problems) >= 2


def test_removed_tail_is_detected_by_the_head(tmp_path):
    _fill(tmp_path)
    _write(tmp_path, _lines(tmp_path)[:-2])
    problems = verify(tmp_path).problems
    assert len(problems) == 1 and "head names entry 10 but the log ends at 8" in problems[0]


def test_audit_verify_command_exit_code(tmp_path):
    _fill(tmp_path)
    cmd = [sys.executable, "-m", "screening", "audit", "verify", "--dir", str(tmp_path)]
    ok = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "10 entries checked" in ok.stdout
    lines = _lines(tmp_path)
    lines[0] = lines[0].replace('"partner-0"', '"partner-9"')
    _write(tmp_path, lines)
    bad = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "TAMPERED: entry 1: content changed" in bad.stdout


def test_trail_is_queryable_with_sql(tmp_path):
    _fill(tmp_path, 9)
    cols, rows = query(tmp_path, "SELECT who, count(*) AS n FROM audit GROUP BY who ORDER BY who")
    assert cols == ["who", "n"]
    assert rows == [("partner-0", 3), ("partner-1", 3), ("partner-2", 3)]
    _, rows = query(tmp_path, 'SELECT min("at") < max("at"), max("at") > now() - '
                    "INTERVAL 1 HOUR FROM audit")
    assert rows == [(True, True)]


def _hit(store, i: int):
    passenger = Passenger(ref=f"r{i}", surname=f"PERSON{i}")
    flight = Flight(carrier="AF", flight_number="AF1", manifest_id="m")
    match = Match(record_id=f"N-{i}", list="interpol-red", kind=RecordKind.NOMINAL,
                  score=0.95, decision=Decision.HIT, summary="", details=[])
    key = idempotency_key(passenger, flight, match.record_id, "centre")
    return store.add([NewHit(key, f"c{i}", Decision.HIT, passenger, flight, match,
                             "centre")])[0]


def test_retention_removes_old_passenger_data_and_keeps_the_chain(tmp_path, monkeypatch):
    old = datetime.now(timezone.utc) - timedelta(days=100)
    monkeypatch.setattr(audit_log, "_now", lambda: old)
    audit = _fill(tmp_path, 6)
    monkeypatch.setattr(audit_log, "_now", lambda: datetime.now(timezone.utc))
    for i in range(4):
        audit.append("check", who="recent", decision="CLEAR", asked=str(i))
    store = open_store(tmp_path)
    try:
        items = [_hit(store, i) for i in range(3)]
        # what would go, without removing anything
        dry = purge(audit, store, cutoff_for(90), who="test", dry_run=True)
        assert (dry.audit_entries, dry.hits) == (6, 0)
        assert verify(tmp_path).entries == 10
        done = purge(audit, store, cutoff_for(90), who="test")
        assert (done.audit_entries, done.hits) == (6, 0)
        assert "removed 0 follow-up item(s) and 6 audit entries" in done.describe()
        result = verify(tmp_path)
        assert result.ok, result.problems
        assert result.entries == 5  # 4 recent + the retention record
        assert [json.loads(x)["seq"] for x in _lines(tmp_path)] == [7, 8, 9, 10, 11]
        last = json.loads(_lines(tmp_path)[-1])
        assert last["action"] == "retention" and last["removed_through_seq"] == 6
        # hits older than a cutoff in the future: all of them
        later = purge(audit, store, datetime.now(timezone.utc) + timedelta(seconds=5),
                      who="test")
        assert later.hits == 3 and set(later.hit_ids) == {i.id for i in items}
        assert store.list() == []
        assert verify(tmp_path).ok
        # appending after a purge goes on with the chain
        audit.append("check", who="after", decision="CLEAR")
        assert verify(tmp_path).ok
    finally:
        store.close()


def test_retention_that_removes_everything_still_verifies(tmp_path, monkeypatch):
    old = datetime.now(timezone.utc) - timedelta(days=100)
    monkeypatch.setattr(audit_log, "_now", lambda: old)
    audit = _fill(tmp_path, 3)
    monkeypatch.setattr(audit_log, "_now", lambda: datetime.now(timezone.utc))
    assert purge(audit, None, cutoff_for(90), who="t").audit_entries == 3
    result = verify(tmp_path)
    assert result.ok and result.entries == 1
    # a purge record cannot be forged to hide the removal of recent entries
    lines = _lines(tmp_path)
    _write(tmp_path, [])
    assert lines and not verify(tmp_path).ok


@pytest.mark.parametrize("days", [30])
def test_retention_command_says_what_it_removed(tmp_path, days):
    store = open_store(tmp_path)
    _hit(store, 1)
    store.close()
    run = subprocess.run([sys.executable, "-m", "screening", "retention", "--data",
                          str(tmp_path), "--days", str(days)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert "removed 0 follow-up item(s) and 0 audit entries older than" in run.stdout
    run = subprocess.run([sys.executable, "-m", "screening", "retention", "--data",
                          str(tmp_path), "--days", "-1"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert "removed 1 follow-up item(s)" in run.stdout and "follow-up item " in run.stdout


def test_the_digest_of_a_query_is_the_same_from_its_protobuf_message():
    # The gRPC layer hashes the message it received; anyone confirming a query later holds a
    # Passenger: both must give the same digest.
    p = Passenger(ref="r1", surname=" Karimov ", given_names="Muhammad Yusuf", full_name="",
                  date_of_birth="1970-05-XX", sex="m", nationality="uzb",
                  document=TravelDocument(number="ab12", issuing_country="UZB", type="P",
                                          expiry="2030-01-01"), mrz="")
    key = b"k" * 32
    assert audit_log.asked_digest(key, passenger_to_pb(p)) == audit_log.asked_digest(key, p)
    other = Passenger(ref="r1", surname="KARIMOV", given_names="Muhammad Yusuf")
    assert audit_log.asked_digest(key, other) != audit_log.asked_digest(key, p)
