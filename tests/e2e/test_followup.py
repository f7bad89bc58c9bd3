"""The follow-up queue over real gRPC: persisted before answering, idempotent across a
restart, a workflow with history, and a resumable stream."""

from __future__ import annotations

import shutil
import sys
import threading
import time

import grpc
import pytest

from screening.client import result_dict
from screening.domain import Flight, Passenger, TravelDocument
from screening.pb import screening_pb2 as pb
from tests.e2e.conftest import start
from tests.fixtures import build_fixture_data
from tests.trust import connect

FLIGHT = Flight(carrier="LH", flight_number="LH400", departure_airport="FRA",
                arrival_airport="JFK", manifest_id="LH400-2026-11-23")
MANIFEST = [
    Passenger(ref="1A", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
              date_of_birth="1970-05-12"),
    Passenger(ref="2B", surname="MILLER", given_names="JOHN"),
    Passenger(ref="3C", surname="ROE", document=TravelDocument(number="X1234567",
                                                             issuing_country="FRA")),
    Passenger(ref="4D", surname="MUELLER", given_names="ANNA LENA", date_of_birth="2004-02-29"),
]


@pytest.fixture()
def fresh_data(tmp_path):
    build_fixture_data(tmp_path)
    return tmp_path


def screen(port: int, client_id: str = "centre-1") -> list[dict]:
    with connect(port, client_id) as c:
        return [result_dict(r) for r in c.screen_all(FLIGHT, MANIFEST, batch=2)[0]]


def queue(port: int) -> list[pb.FollowUpItem]:
    with connect(port, "operator") as c:
        return c.list_hits()


def test_hits_persist_across_restart_without_duplicates(fresh_data):
    server = start(fresh_data)
    try:
        first = screen(server.port)
        items = queue(server.port)
    finally:
        server.stop(grace=1)
    reported = {(r["ref"], h["record_id"]): h["follow_up_id"]
                for r in first for h in r["hits"]}
    # every reported match has its item, and nothing else is queued
    assert {(i.passenger.ref, i.match.record_id) for i in items} == set(reported)
    assert {i.id for i in items} == set(reported.values())
    assert {"1A", "3C", "4D"} <= {ref for ref, _ in reported}

    server = start(fresh_data)
    try:
        again = screen(server.port)
        after = queue(server.port)
    finally:
        server.stop(grace=1)
    assert len(after) == len(items)
    assert [i.id for i in after] == [i.id for i in items]
    # the re-sent manifest's results point at the same items
    assert {(r["ref"], h["record_id"]): h["follow_up_id"] for r in again
            for h in r["hits"]} == reported


def test_item_carries_passenger_flight_match_and_requester(server):
    first = screen(server.port, client_id="centre-details")
    hit_ref = next(r for r in first if r["ref"] == "3C")
    item_id = hit_ref["hits"][0]["follow_up_id"]
    with connect(server.port, "operator") as c:
        item = c.followup.GetHit(pb.GetHitRequest(id=item_id), timeout=5)
    assert item.passenger.ref == "3C" and item.passenger.document.number == "X1234567"
    assert item.flight.flight_number == "LH400" and item.flight.arrival_airport == "JFK"
    assert item.match.record_id == "D-1" and item.match.score > 0.9
    assert item.requester == "centre-details"
    assert item.status == pb.NEW and item.decision == pb.HIT


def test_workflow_and_history(server):
    # the author of each change is the authenticated operator, whatever `by` says
    with connect(server.port, "centre-wf") as centre:
        out = result_dict(centre.check(Passenger(surname="Q", document=TravelDocument(
            number="998877665", issuing_country="USA"))))
    item_id = out["hits"][0]["follow_up_id"]
    with connect(server.port, "operator-1") as op1, connect(server.port, "operator-2") as op2:
        with pytest.raises(grpc.RpcError) as err:
            op1.followup.UpdateHit(pb.UpdateHitRequest(id=item_id, status=pb.CONFIRMED),
                                   timeout=5)
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        op1.followup.UpdateHit(pb.UpdateHitRequest(id=item_id, status=pb.ACKNOWLEDGED,
                                                   note="looking", by="spoofed"), timeout=5)
        item = op2.followup.UpdateHit(pb.UpdateHitRequest(
            id=item_id, status=pb.FALSE_POSITIVE, note="different person"), timeout=5)
        assert item.status == pb.FALSE_POSITIVE and item.updated_by == "operator-2"
        assert [(h.from_status, h.to_status, h.by) for h in item.history] == [
            (pb.NEW, pb.ACKNOWLEDGED, "operator-1"),
            (pb.ACKNOWLEDGED, pb.FALSE_POSITIVE, "operator-2")]
        with pytest.raises(grpc.RpcError) as err:
            op1.followup.UpdateHit(pb.UpdateHitRequest(id=item_id, status=pb.ACTION_TAKEN),
                                   timeout=5)
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        with pytest.raises(grpc.RpcError) as err:
            op1.followup.GetHit(pb.GetHitRequest(id="nope"), timeout=5)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND


def test_stream_hits_resumes_from_a_position(server):
    with connect(server.port, "operator") as c:
        screen(server.port, client_id="centre-stream")
        existing = c.list_hits()
        assert len(existing) >= 2
        middle = existing[len(existing) // 2 - 1].position
        resumed = list(c.followup.StreamHits(pb.StreamHitsRequest(after_position=middle),
                                             timeout=10))
        assert [i.position for i in resumed] == [i.position for i in existing
                                                 if i.position > middle]

        # follow mode: a new hit arrives on an open stream
        last = existing[-1].position
        stream = c.followup.StreamHits(pb.StreamHitsRequest(after_position=last, follow=True),
                                       timeout=20)
        got = []
        reader = threading.Thread(target=lambda: got.append(next(stream)))
        reader.start()
        with connect(server.port, "centre-stream") as centre:
            centre.check(Passenger(surname="NEW", document=TravelDocument(
                number="Z00000042", issuing_country="ESP")))
        reader.join(timeout=15)
        stream.cancel()
        assert got and got[0].position > last and got[0].match.record_id == "D-42"


def test_server_refuses_to_serve_without_data(tmp_path):
    from indexes.snapshot import current_version

    empty = tmp_path / "empty"
    empty.mkdir()
    assert current_version(empty) is None
    with pytest.raises(FileNotFoundError):
        start(empty)
    shutil.rmtree(empty)


def test_server_swaps_in_a_newer_version_while_serving(fresh_data):
    import time

    from screening import loader
    from screening.pb import screening_pb2 as pb
    from tests.fixtures import DOCUMENTS, write_jsonl

    server = start(fresh_data, reload_interval_s=0.2)
    try:
        with connect(server.port, "centre-swap") as c:
            before = c.watchlists.GetStatus(pb.GetStatusRequest(), timeout=5).version
            extra = write_jsonl(fresh_data / "more.jsonl", DOCUMENTS + [
                {"record_id": "D-NEW", "number": "NEW00001", "issuing_country": "GBR",
                 "type": "P", "status": "STOLEN", "reported_on": "2026-11-23", "owner": "GBR"}])
            from indexes.snapshot import build_snapshot

            after = build_snapshot(fresh_data, documents=loader.read_documents(extra))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if c.watchlists.GetStatus(pb.GetStatusRequest(), timeout=5).version == after:
                    break
                time.sleep(0.1)
            assert after != before
            out = result_dict(c.check(Passenger(surname="X", document=TravelDocument(
                number="NEW00001", issuing_country="GBR"))))
            assert out["decision"] == "HIT" and out["hits"][0]["record_id"] == "D-NEW"
    finally:
        server.stop(grace=1)


def test_streams_their_clients_abandon_end_with_their_calls(data_dir):
    """A follower, a manifest and a stream of watchlist changes whose clients go away end on
    the server too: its handler threads are free again and it stops at once. (A grpc.aio
    server tried in development left plain streaming handlers on its pool blocked when their
    clients went: bench/results/targets.md.)"""
    from screening.grpc import convert

    running = start(data_dir)
    release = threading.Event()
    try:
        with connect(running.port, "centre-gone") as c:
            follow = c.followup.StreamHits(pb.StreamHitsRequest(follow=True), timeout=60)
            first = []
            reader = threading.Thread(target=lambda: first.append(next(follow)), daemon=True)
            reader.start()  # the first item (the manifest's hit below); then it waits

            def parts():
                yield pb.ManifestRequest(flight=pb.Flight(carrier="AF", flight_number="AF9",
                                                          manifest_id="gone"))
                yield pb.ManifestRequest(passenger=convert.passenger_to_pb(Passenger(
                    ref="p1", surname="GONE", document=TravelDocument(
                        number="Z00000042", issuing_country="ESP"))))
                release.wait(60)  # the rest never comes

            manifest = c.screening.ScreenManifest(parts(), timeout=60)
            assert next(manifest).result.ref == "p1"
            reader.join(10)
            assert first

            def changes():  # a plain handler on the pool reads these: one, then nothing
                yield pb.WatchlistChange(op=pb.WatchlistChange.CANCEL, kind=pb.NOMINAL,
                                         record_id="N-1")
                release.wait(60)

            with connect(running.port, "admin-gone") as admin:
                applying = admin.watchlists.ApplyChanges.future(changes(), timeout=60)
                time.sleep(0.5)
                applying.cancel()
            assert _busy_handlers()  # the follower, at least, holds a handler thread
            follow.cancel()
            manifest.cancel()
        # A follower looks for new items every 0.5 s: wait for the threads to come free (a
        # deadline, not a fixed sleep, so that a busy box does not fail it).
        deadline = time.monotonic() + 10
        while _busy_handlers() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _busy_handlers() == []
        t0 = time.monotonic()
    finally:
        release.set()
        running.stop(grace=1)
    assert time.monotonic() - t0 < 5


def _busy_handlers() -> list[str]:
    """The server's handler threads (its pool's, named grpc_N) that are inside a call."""
    return [t.name for t in threading.enumerate()
            if t.name.startswith("grpc_") and _running_a_call(t)]


def _running_a_call(thread: threading.Thread) -> bool:
    """Whether a pool thread is inside a handler (not waiting for work)."""
    frame = sys._current_frames().get(thread.ident)
    while frame is not None:
        if frame.f_code.co_filename.endswith(("servicers.py", "service.py")):
            return True
        frame = frame.f_back
    return False
