"""Several worker processes on one port share one follow-up queue: every hit once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from screening.client import result_dict
from screening.domain import Flight, Passenger, TravelDocument
from screening.grpc.workers import Cluster
from tests import trust
from tests.fixtures import build_fixture_data
from tests.trust import connect


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    data = tmp_path_factory.mktemp("cluster")
    build_fixture_data(data)
    settings = trust.settings_for(data)
    c = Cluster(settings, workers=2)
    trust.register(c.port, settings)
    yield c
    c.stop(grace=1)


def manifest(i: int) -> tuple[Flight, list[Passenger]]:
    flight = Flight(carrier="AF", flight_number=f"AF{i:03d}", manifest_id=f"m-{i}")
    return flight, [
        Passenger(ref="a", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
                  date_of_birth="1970-05-12"),
        Passenger(ref="b", surname="CLEAN", given_names="PERSON"),
        Passenger(ref="c", surname="ROE", document=TravelDocument(number="X1234567",
                                                                issuing_country="FRA")),
    ]


def send(port: int, i: int) -> list[dict]:
    # a new channel per call: SO_REUSEPORT spreads connections, not calls
    flight, passengers = manifest(i)
    with connect(port, "centre") as c:
        return [result_dict(r) for r in c.screen_all(flight, passengers)[0]]


def test_every_hit_is_queued_exactly_once_across_workers(cluster):
    rounds = [i % 20 for i in range(60)]  # 20 manifests, each sent 3 times, concurrently
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda i: send(cluster.port, i), rounds))
    ids_by_manifest: dict[int, set[str]] = {}
    for i, res in zip(rounds, results, strict=True):
        ids = {h["follow_up_id"] for r in res for h in r["hits"]}
        assert len(ids) == 2  # KARIMOV and the stolen document
        ids_by_manifest.setdefault(i, set()).update(ids)
    # re-sends returned the same items
    assert all(len(ids) == 2 for ids in ids_by_manifest.values())
    with connect(cluster.port, "operator") as c:
        items = c.list_hits()
    assert len(items) == 40
    assert {i.id for i in items} == set().union(*ids_by_manifest.values())
    assert len({i.position for i in items}) == 40


def test_follow_up_errors_cross_the_process_boundary(cluster):
    import grpc

    from screening.pb import screening_pb2 as pb

    with connect(cluster.port, "operator") as c:
        with pytest.raises(grpc.RpcError) as err:
            c.followup.GetHit(pb.GetHitRequest(id="missing"), timeout=5)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
        assert err.value.details().startswith("id:")


def test_a_large_manifest_part_split_with_an_idle_worker_answers_every_passenger(cluster):
    # 90 passengers in one message (over PEER_MIN_BATCH): the worker that receives it sends
    # half to the idle one (screening.peer_screening); the answer is the same, in order,
    # and the hits are queued once, by the receiving worker.
    from dataclasses import replace

    flight = Flight(carrier="AF", flight_number="AF900", manifest_id="m-large")
    passengers = [replace(p, ref=f"{p.ref}{k}") for k in range(30) for p in manifest(0)[1]]
    with connect(cluster.port, "centre") as c:
        results = [result_dict(r) for r in c.screen_all(flight, passengers, batch=90)[0]]
    assert [r["ref"] for r in results] == [p.ref for p in passengers]
    for r in results:
        assert r["decision"] == ("CLEAR" if r["ref"].startswith("b") else "HIT"), r
    ids = [h["follow_up_id"] for r in results for h in r["hits"]]
    assert len(ids) == 60 and len(set(ids)) == 60
    with connect(cluster.port, "operator") as c:
        queued = {i.id for i in c.list_hits()}
    assert set(ids) <= queued
