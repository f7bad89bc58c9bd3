"""Server processes on NATS: two producers on one stream, and kill -9 while manifests
stream through a server, many times, with nothing lost and nothing doubled."""

from __future__ import annotations

import random
import threading

import grpc

from screening.client import Client, manifest_results
from screening.followup import open_store
from tests.e2e.nats_support import (
    ServerProcess,
    copy_snapshot,
    hits_of,
    manifest,
    nats_settings,
    read_all,
    wait_until,
)


def screen(target: str, n: int, size: int = 10) -> dict[tuple[str, str], str]:
    flight, people = manifest(n, size)
    with Client(target, client_id="centre-1") as c:
        return hits_of(c.screen_all(flight, people, batch=5)[0])


def test_two_servers_publish_each_hit_once(tmp_path, snapshot_dir, nats_server):
    a_dir = copy_snapshot(snapshot_dir, tmp_path / "a")
    b_dir = copy_snapshot(snapshot_dir, tmp_path / "b")
    a = ServerProcess(nats_settings(a_dir, nats_server.url))
    b = ServerProcess(nats_settings(b_dir, nats_server.url))
    try:
        for server in (a, b):
            server.start()
        # manifest 1 goes to both replicas, as a partner retrying on another one would
        on_a = {**screen(a.target, 0), **screen(a.target, 1)}
        on_b = {**screen(b.target, 1), **screen(b.target, 2)}
        distinct = set(on_a) | set(on_b)
        assert len(on_a) == len(on_b) == 10 and len(distinct) == 15
        ops = read_all(nats_settings(a_dir, nats_server.url), "ops", recipient="ops",
                       expect=15)
    finally:
        a.stop()
        b.stop()
    keys = [d.item["idempotency_key"] for d in ops]
    assert len(ops) == len(set(keys)) == 15
    assert {(d.item["passenger"]["ref"], d.item["match"]["record_id"]) for d in ops} == distinct
    # both servers did publish manifest 1 (their outboxes are empty, their stores hold it):
    # JetStream dropped the second copy by its message id
    for folder in (a_dir, b_dir):
        store = open_store(folder)
        try:
            assert store.outbox_size() == 0
            assert sum(i.passenger.ref.startswith("1-") for i in store.list()) == 5
        finally:
            store.close()


def test_kill_9_while_manifests_stream_loses_and_doubles_nothing(tmp_path, snapshot_dir,
                                                                 nats_server):
    data = copy_snapshot(snapshot_dir, tmp_path / "data")
    settings = nats_settings(data, nats_server.url)
    manifests = [manifest(n, 20) for n in range(5)]
    total_hits = sum(len(people[::2]) for _, people in manifests)
    rng = random.Random(20261123)
    reported: dict[tuple[str, str], set[str]] = {}  # (ref, record) -> follow-up ids seen
    responses = sum(len(people) + 1 for _, people in manifests)  # results and summaries
    cut_short = 0

    def send_all(target: str, received: list[int]) -> None:
        """The partner sends every manifest, one passenger per message; every result
        that reaches it is recorded."""
        with Client(target, client_id="centre-1") as c:
            for flight, people in manifests:
                for resp in c.screen(flight, people, batch=1):
                    for key, item_id in hits_of(manifest_results(resp)).items():
                        reported.setdefault(key, set()).add(item_id)
                    received[0] += 1

    for _ in range(6):
        server = ServerProcess(settings).start()
        received = [0]
        kill_after = rng.randrange(1, responses - 5)
        failure: list[BaseException] = []

        def partner(target=server.target, received=received, failure=failure) -> None:
            try:
                send_all(target, received)
            except grpc.RpcError as exc:
                failure.append(exc)

        thread = threading.Thread(target=partner)
        thread.start()
        wait_until(lambda t=thread, r=received, k=kill_after: r[0] >= k or not t.is_alive(),
                   interval=0.001)
        server.kill()
        thread.join(30)
        assert failure or received[0] == responses  # cut short, or it had just finished
        cut_short += bool(failure)

    # after the last restart the partner re-sends everything and the outbox drains
    server = ServerProcess(settings).start()
    try:
        send_all(server.target, [0])
        ops = read_all(settings, "ops", recipient="ops", expect=total_hits)
    finally:
        server.stop()
    assert cut_short >= 3  # most kills landed mid-stream
    ids = [d.item["id"] for d in ops]
    keys = [d.item["idempotency_key"] for d in ops]
    # every hit once in the queue ...
    assert len(ops) == len(set(ids)) == len(set(keys)) == total_hits
    # ... and every result that reached the partner, in any run, points at one of them
    # (a re-sent passenger gets the item it was given before the crash)
    assert all(len(item_ids) == 1 for item_ids in reported.values())
    assert set().union(*reported.values()) == set(ids)


def test_worker_processes_share_one_outbox(tmp_path, snapshot_dir, nats_server):
    """`serve --workers 2`: the parent owns the store and its publisher; hits screened by
    either worker reach the stream once."""
    from screening.grpc.workers import Cluster

    data = copy_snapshot(snapshot_dir, tmp_path / "data")
    settings = nats_settings(data, nats_server.url)
    cluster = Cluster(settings, workers=2)
    try:
        reported: dict[tuple[str, str], str] = {}
        for n in range(6):  # a new channel per manifest: connections spread over workers
            reported.update(screen(f"127.0.0.1:{cluster.port}", n))
        assert len(reported) == 30
        ops = read_all(settings, "ops", recipient="ops", expect=30)
        wait_until(lambda: cluster.store.outbox_size() == 0)
    finally:
        cluster.stop(grace=1)
    assert sorted(d.item["id"] for d in ops) == sorted(reported.values())
