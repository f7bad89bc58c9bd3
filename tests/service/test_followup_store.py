"""The embedded DuckDB follow-up store: idempotency, workflow, durability, waiting."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, replace
from datetime import datetime, timezone

import pytest

from screening.domain import (
    Decision,
    Flight,
    HitStatus,
    Match,
    MatchDetail,
    Passenger,
    RecordKind,
    TravelDocument,
)
from screening.errors import FailedPrecondition, InvalidArgument, NotFound
from screening.followup import ALLOWED_TRANSITIONS, NewHit, idempotency_key, open_store
from screening.followup.codec import dumps, json_default
from screening.followup.model import Recipient
from screening.followup.shared import RemoteHitStore, serve_store

FLIGHT = Flight(carrier="AF", flight_number="AF1", departure_airport="CDG", arrival_airport="JFK",
                departure_time=datetime(2026, 11, 23, 10, tzinfo=timezone.utc), manifest_id="M1")


def hit(ref: str, record: str = "N-1", flight: Flight = FLIGHT, requester: str = "c1") -> NewHit:
    p = Passenger(ref=ref, surname="KARIMOV", given_names="MUHAMMAD",
                  document=TravelDocument(number="AB1", issuing_country="UZB"))
    m = Match(record, "interpol-red", RecordKind.NOMINAL, 0.93, Decision.HIT, "name 0.99",
              [MatchDetail("name", "KARIMOV", "KARIMOV", "exact", 1.0, 0.0)])
    return NewHit(idempotency_key(p, flight, record, requester), "chk", Decision.HIT, p, flight,
                  m, requester)


@pytest.fixture()
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


def test_round_trip_keeps_every_field(store):
    item = store.add([hit("1A")])[0]
    got = store.get(item.id)
    assert got.passenger.document.number == "AB1" and got.flight == FLIGHT
    assert got.match.details[0].method == "exact" and got.match.kind is RecordKind.NOMINAL
    assert got.status is HitStatus.NEW and got.position == 1 and got.requester == "c1"


def test_same_passenger_same_manifest_is_one_item(store):
    a = store.add([hit("1A"), hit("2B")])
    b = store.add([hit("2B"), hit("1A"), hit("1A", record="N-2")])
    assert [x.id for x in b[:2]] == [a[1].id, a[0].id]
    assert len(store.list()) == 3
    # another manifest, another requester or another record is another item
    other = replace(FLIGHT, manifest_id="M2")
    assert store.add([hit("1A", flight=other)])[0].id != a[0].id
    assert store.add([hit("1A", requester="c2")])[0].id != a[0].id


def test_a_resent_batch_leaves_the_store_ready_for_the_next(store):
    # All known: the plain insert fails on the unique key and is rolled back, the retry
    # skips the known hits; the next batch of new hits goes in as usual.
    a = store.add([hit("1A"), hit("2B")])
    assert [x.id for x in store.add([hit("2B"), hit("1A")])] == [a[1].id, a[0].id]
    b = store.add([hit("3C")])
    assert b[0].id not in {x.id for x in a} and b[0].position > a[1].position
    assert sorted(x.id for x in store.list()) == sorted([a[0].id, a[1].id, b[0].id])


def test_items_survive_reopening(tmp_path):
    s = open_store(tmp_path)
    first = s.add([hit("1A")])[0]
    s.update(first.id, HitStatus.ACKNOWLEDGED, by="op", note="on it")
    s.close()
    s = open_store(tmp_path)
    again = s.add([hit("1A")])[0]
    assert again.id == first.id and again.status is HitStatus.ACKNOWLEDGED
    assert len(s.get(first.id).history) == 1
    assert s.add([hit("9Z")])[0].position > first.position
    s.close()



def test_positions_stay_ascending_after_a_crash(tmp_path):
    # Positions are drawn from the sequence in blocks, ahead of need: a process killed
    # with some of its block unused must not see them handed out again after a restart
    # (a reader past position p would miss a later hit placed at p).
    import subprocess
    import sys
    code = ("import sys; from pathlib import Path; sys.path.insert(0, {root!r}); "
            "sys.path.insert(0, {tests!r}); "
            "from test_followup_store import hit; from screening.followup import open_store; "
            "s = open_store(Path({path!r})); print(s.add([hit('1A')])[0].position); "
            "import os; os._exit(0)")
    root = str(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    out = subprocess.run([sys.executable, "-c", code.format(
        root=root, tests=os.path.dirname(os.path.abspath(__file__)), path=str(tmp_path))],
        capture_output=True, text=True, check=True).stdout
    first = int(out.strip())
    s = open_store(tmp_path)
    try:
        later = [s.add([hit(f"{k}B")])[0].position for k in range(3)]
        assert first < later[0] < later[1] < later[2]
        assert [i.position for i in s.list()] == [first, *later]
    finally:
        s.close()

@pytest.mark.parametrize("start", list(HitStatus))
def test_every_transition_follows_the_table(tmp_path, start):
    for target in HitStatus:
        s = open_store(tmp_path / f"{start.name}-{target.name}")
        item = s.add([hit("1A")])[0]
        path = {HitStatus.NEW: [], HitStatus.ACKNOWLEDGED: [HitStatus.ACKNOWLEDGED],
                HitStatus.CONFIRMED: [HitStatus.ACKNOWLEDGED, HitStatus.CONFIRMED],
                HitStatus.FALSE_POSITIVE: [HitStatus.ACKNOWLEDGED, HitStatus.FALSE_POSITIVE],
                HitStatus.ACTION_TAKEN: [HitStatus.ACKNOWLEDGED, HitStatus.ACTION_TAKEN]}[start]
        for step in path:
            s.update(item.id, step, by="op")
        if target in ALLOWED_TRANSITIONS[start]:
            assert s.update(item.id, target, by="op").status is target
        else:
            with pytest.raises(FailedPrecondition):
                s.update(item.id, target, by="op")
            assert s.get(item.id).status is start
        s.close()


def test_errors_name_the_field(store):
    with pytest.raises(NotFound):
        store.get("missing")
    item = store.add([hit("1A")])[0]
    with pytest.raises(InvalidArgument) as err:
        store.update(item.id, HitStatus.ACKNOWLEDGED, by=" ")
    assert err.value.field == "by"
    with pytest.raises(InvalidArgument):
        store.list(limit=0)


def test_wait_for_new_wakes_on_add(store):
    assert not store.wait_for_new(0, timeout=0.05)
    timer = threading.Timer(0.1, lambda: store.add([hit("1A")]))
    timer.start()
    assert store.wait_for_new(0, timeout=5)
    timer.join()


def test_sql_reports(store):
    store.add([hit("1A"), hit("2B", record="N-2")])
    cols, rows = store.query("SELECT list, count(*) AS n FROM hits GROUP BY list")
    assert cols == ["list", "n"] and rows == [("interpol-red", 2)]


def routed_hit(ref: str, priority: int, *recipients: str) -> NewHit:
    from screening.followup import Recipient

    h = hit(ref)
    h.priority, h.priority_reason = priority, f"rule P{priority}"
    h.recipients = tuple(Recipient(r, ("arrival",)) for r in recipients)
    return h


def test_routing_priority_and_filters(store):
    store.add([routed_hit("1A", 1, "ncb-USA", "ops"), routed_hit("2B", 3, "ncb-FRA", "ops"),
               routed_hit("3C", 2, "ncb-USA", "ncb-DEU", "ops")])
    got = store.list(recipient="ncb-USA")
    assert [i.passenger.ref for i in got] == ["1A", "3C"]
    assert got[1].recipient_ids == ("ncb-USA", "ncb-DEU", "ops")
    assert got[0].priority == 1 and got[0].priority_reason == "rule P1"
    assert [i.passenger.ref for i in store.list(max_priority=2)] == ["1A", "3C"]
    assert [i.passenger.ref for i in store.list(recipient="ops", max_priority=1)] == ["1A"]
    assert [i.passenger.ref for i in store.list(recipient="ops", after_position=1)] == [
        "2B", "3C"]
    assert store.list(recipient="ncb-GBR") == []
    with pytest.raises(InvalidArgument) as err:
        store.list(max_priority=5)
    assert err.value.field == "max_priority"


def test_time_to_acknowledge_is_the_first_acknowledgement(store):
    item = store.add([hit("1A")])[0]
    assert item.acknowledged_at is None and item.seconds_to_acknowledge is None
    acked = store.update(item.id, HitStatus.ACKNOWLEDGED, by="op1", note="seen")
    assert acked.acknowledged_at is not None and acked.seconds_to_acknowledge >= 0
    done = store.update(item.id, HitStatus.CONFIRMED, by="op2", note="same man")
    assert done.acknowledged_at == acked.acknowledged_at
    assert [(c.by, c.note) for c in done.history] == [("op1", "seen"), ("op2", "same man")]


def test_outbox_rows_only_for_new_hits_in_order(tmp_path):
    s = open_store(tmp_path, "nats", outbox_prefix="screening.hits")
    try:
        s.add([routed_hit("1A", 1, "ncb-USA", "ops"), routed_hit("2B", 3, "ops")])
        s.add([routed_hit("1A", 1, "ncb-USA", "ops")])  # re-sent: nothing new to publish
        assert s.outbox_signal.is_set()
        rows = s.outbox_batch()
        assert [(subject, msg_id.rsplit(".", 1)[1]) for _, subject, msg_id, _ in rows] == [
            ("screening.hits.ncb-USA.p1", "ncb-USA"), ("screening.hits.ops.p1", "ops"),
            ("screening.hits.ops.p3", "ops")]
        assert rows[0][2] == f"{hit('1A').idempotency_key}.ncb-USA"
        s.outbox_done(rows[0][0])
        assert s.outbox_size() == 2 and s.outbox_batch(1)[0][0] == rows[1][0]
    finally:
        s.close()
    # the plain DuckDB backend keeps no outbox
    plain = open_store(tmp_path / "plain")
    plain.add([routed_hit("1A", 1, "ops")])
    assert plain.outbox_size() == 0
    plain.close()


def test_store_made_before_routing_is_upgraded_in_place(tmp_path):
    import duckdb

    con = duckdb.connect(str(tmp_path / "followup.duckdb"))
    con.execute("CREATE SEQUENCE hit_position START 1")
    con.execute("""CREATE TABLE hits (id VARCHAR PRIMARY KEY, position BIGINT NOT NULL UNIQUE,
        idempotency_key VARCHAR NOT NULL UNIQUE, check_id VARCHAR NOT NULL,
        decision VARCHAR NOT NULL, status VARCHAR NOT NULL, record_id VARCHAR NOT NULL,
        list VARCHAR NOT NULL, kind VARCHAR NOT NULL, score DOUBLE NOT NULL,
        passenger JSON NOT NULL, flight JSON NOT NULL, match JSON NOT NULL,
        requester VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL, updated_by VARCHAR NOT NULL DEFAULT '',
        note VARCHAR NOT NULL DEFAULT '')""")
    con.close()
    s = open_store(tmp_path)
    assert s.add([routed_hit("1A", 2, "ops")])[0].priority == 2
    s.close()


def test_status_changes_are_queued_as_they_were(tmp_path):
    import json

    s = open_store(tmp_path, "nats", outbox_prefix="screening.hits",
                   status_prefix="screening.status")
    try:
        item = s.add([routed_hit("1A", 2, "ncb-USA", "ops")])[0]
        s.update(item.id, HitStatus.ACKNOWLEDGED, by="op1", note="seen")
        s.update(item.id, HitStatus.FALSE_POSITIVE, by="op2", note="other man")
        rows = s.outbox_batch()
        # both changes queued before any publishing: each message keeps its own moment
        got = [(subject, json.loads(payload)["status"], len(json.loads(payload)["history"]))
               for _, subject, _, payload in rows]
        assert got == [("screening.hits.ncb-USA.p2", "NEW", 0), ("screening.hits.ops.p2", "NEW", 0),
                       ("screening.status.ncb-USA.p2", "ACKNOWLEDGED", 1),
                       ("screening.status.ops.p2", "ACKNOWLEDGED", 1),
                       ("screening.status.ncb-USA.p2", "FALSE_POSITIVE", 2),
                       ("screening.status.ops.p2", "FALSE_POSITIVE", 2)]
        assert rows[-1][2] == f"{item.idempotency_key}.ops.FALSE_POSITIVE"
    finally:
        s.close()


def test_concurrent_adds_each_caller_gets_its_own_items(store) -> None:
    # Eight callers at once (concurrent manifests), overlapping keys among them: every hit is
    # stored once, and each caller gets back the items of its own hits, in its order.
    batches = [[hit(f"p{(k * 3 + j) % 20}") for j in range(5)] for k in range(8)]
    got: dict[int, list] = {}
    start = threading.Barrier(len(batches))

    def add(k: int) -> None:
        start.wait()
        got[k] = store.add(batches[k])

    threads = [threading.Thread(target=add, args=(k,)) for k in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    by_key: dict[str, str] = {}
    for k, hits in enumerate(batches):
        assert [i.idempotency_key for i in got[k]] == [h.idempotency_key for h in hits]
        for i in got[k]:
            assert by_key.setdefault(i.idempotency_key, i.id) == i.id  # one item per key
    assert len(store.list(limit=1000)) == len(by_key) == 20


def test_stored_json_is_what_asdict_gives() -> None:
    # codec.plain stands in for dataclasses.asdict (without its deep copies): the same JSON
    # for every part of a hit, nested details, datetimes and tuples included.
    h = hit("J1")
    h = replace(h, flight=replace(h.flight, route=("CDG", "KEF", "JFK")),
                recipients=(Recipient("FR", ("ncb",)), Recipient("US", ("ncb", "ops"))))
    for part in (h.passenger, h.flight, h.match, *h.recipients):
        assert dumps(part) == json.dumps(asdict(part), default=json_default, ensure_ascii=False)
    assert json.loads(dumps(h.match))["details"][0]["method"] == "exact"


def _queued_behind_the_writer(store, batches: list[list[NewHit]]) -> tuple[dict, int]:
    """Each batch added by its own thread while the writer lock is held, so that all of
    them queue first: (per batch its item ids or the TypeError raised, COMMITs run)."""
    got: dict[int, object] = {}
    commits = []
    real = store._con

    class Counting:  # the real connection, counting its COMMITs
        def execute(self, sql, *args):
            if sql == "COMMIT":
                commits.append(sql)
            return real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(real, name)

    def add(k: int) -> None:
        try:
            got[k] = store.add_ids(batches[k])
        except TypeError as exc:
            got[k] = exc

    threads = [threading.Thread(target=add, args=(k,)) for k in range(len(batches))]
    with store._lock:
        store._con = Counting()
        for t in threads:
            t.start()
        while len(store._queued) < len(batches):
            threading.Event().wait(0.005)
    for t in threads:
        t.join()
    store._con = real
    return got, len(commits)


def test_callers_queued_behind_the_writer_are_committed_together(store) -> None:
    # Group commit: whichever queued caller takes the writer lock writes every queued
    # request in one transaction, and each caller gets the ids of its own hits.
    batches = [[hit(f"g{k}{j}") for j in range(3)] for k in range(4)]
    got, commits = _queued_behind_the_writer(store, batches)
    assert commits == 1
    for k, hits in enumerate(batches):
        assert [store.get(i).idempotency_key for i in got[k]] == [
            h.idempotency_key for h in hits]
    assert len(store.list(limit=1000)) == 12


def test_a_bad_request_in_a_group_fails_alone(store) -> None:
    # One queued caller carries a hit the store cannot encode: the group's transaction
    # fails, each request is then written alone, and only that caller gets the error.
    batches = [[hit(f"g{k}{j}") for j in range(3)] for k in range(4)]
    bad = hit("bad")
    batches.insert(2, [replace(bad, passenger=replace(bad.passenger, surname=object()))])
    got, commits = _queued_behind_the_writer(store, batches)
    assert isinstance(got[2], TypeError) and commits == 4
    for k, hits in enumerate(batches):
        if k != 2:
            assert [store.get(i).idempotency_key for i in got[k]] == [
                h.idempotency_key for h in hits]
    assert len(store.list(limit=1000)) == 12


def test_a_worker_adds_through_the_parents_store_and_gets_the_item_ids(tmp_path) -> None:
    # Workers reach the parent's store over an authenticated Unix socket: add_ids stores
    # the hits and returns their item ids in order, the existing id for a re-sent hit.
    owner = open_store(tmp_path)
    key = os.urandom(32)
    server = serve_store(owner, tmp_path / "store.sock", key)
    try:
        remote = RemoteHitStore(tmp_path / "store.sock", key)
        hits = [hit("w1"), hit("w2")]
        ids = remote.add_ids(hits)
        assert ids == [owner.get(i).id for i in ids] and len(set(ids)) == 2
        assert [owner.get(i).idempotency_key for i in ids] == [h.idempotency_key for h in hits]
        assert remote.add_ids([hit("w2"), hit("w3")])[0] == ids[1]  # re-sent: the same item
        assert remote.add_ids([]) == []
    finally:
        server.stop()
        owner.close()
