"""The embedded DuckDB follow-up store: idempotency, workflow, durability, waiting."""

from __future__ import annotations

import threading
from dataclasses import replace
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
