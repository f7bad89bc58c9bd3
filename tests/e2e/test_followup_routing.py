"""Routing, priority, flight context, filters and resumption over real gRPC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import grpc
import pytest

from screening.domain import Flight, Passenger, TravelDocument
from screening.pb import screening_pb2 as pb
from tests.trust import connect

NOW = datetime.now(timezone.utc).replace(microsecond=0)
# Paris -> Dubai -> Singapore -> Sydney, landing in ten hours: no time promotion.
LONG_HAUL = Flight(carrier="AF", flight_number="AF1234", departure_airport="CDG",
                   arrival_airport="SYD", route=("CDG", "DXB", "SIN", "SYD"),
                   departure_time=NOW, arrival_time=NOW + timedelta(hours=10),
                   manifest_id="AF1234-routing")
# Rome -> New York landing in 20 minutes: everything is two levels more urgent.
IMMINENT = Flight(carrier="AZ", flight_number="AZ610", departure_airport="FCO",
                  arrival_airport="JFK", arrival_time=NOW + timedelta(minutes=20),
                  manifest_id="AZ610-routing")
PASSENGERS = [
    Passenger(ref="1A", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
              date_of_birth="1970-05-12"),                                  # wanted, FRA
    Passenger(ref="3C", surname="ROE", document=TravelDocument(number="X1234567",
                                                             issuing_country="FRA")),
    Passenger(ref="4D", surname="MUELLER", given_names="ANNA LENA",
              date_of_birth="2004-02-29"),                                  # missing, DEU
    Passenger(ref="5E", surname="LOST", document=TravelDocument(number="Z00000077",
                                                              issuing_country="ESP")),
    Passenger(ref="6F", surname="MILLER", given_names="JOHN"),              # clear
]


@pytest.fixture(scope="module")
def items(server) -> dict[tuple[str, str], pb.FollowUpItem]:
    """Both manifests screened once; items by (flight, passenger ref)."""
    with connect(server.port, "centre-routing") as c:
        for flight in (LONG_HAUL, IMMINENT):
            c.screen_all(flight, PASSENGERS, batch=2)
        return {(i.flight.flight_number, i.passenger.ref): i for i in c.list_hits()}


def test_each_item_names_its_recipients_and_roles(items):
    got = {key: {r.id: tuple(r.roles) for r in i.recipients} for key, i in items.items()}
    assert len(items) == 8  # four hits on each flight, none for the clear passenger
    assert got[("AF1234", "1A")] == {
        "ncb-FRA": ("record_owner",), "ncb-AUS": ("arrival",), "ncb-ARE": ("transit",),
        "ncb-SGP": ("transit",), "ops": ("operations",)}
    assert got[("AF1234", "4D")] == {
        "ncb-DEU": ("record_owner",), "ncb-AUS": ("arrival",), "ncb-ARE": ("transit",),
        "ncb-SGP": ("transit",), "ops": ("operations",)}
    assert got[("AZ610", "5E")] == {"ncb-ESP": ("record_owner",), "ncb-USA": ("arrival",),
                                    "ops": ("operations",)}
    # every item reaches the operations centre
    assert all("ops" in r for r in got.values())


def test_priority_from_kind_score_and_time_left(items):
    levels = {key: i.priority for key, i in items.items()}
    assert levels == {
        ("AF1234", "1A"): 1, ("AF1234", "4D"): 2, ("AF1234", "3C"): 3, ("AF1234", "5E"): 4,
        # landing in 20 minutes: two levels more urgent, never above 1
        ("AZ610", "1A"): 1, ("AZ610", "4D"): 1, ("AZ610", "3C"): 1, ("AZ610", "5E"): 2,
    }
    reason = items[("AZ610", "5E")].priority_reason
    assert "lost document" in reason and "arrives in" in reason and reason.endswith("P2")
    assert items[("AF1234", "1A")].record_category == "wanted"
    assert items[("AF1234", "3C")].record_category == "stolen_document"
    assert items[("AF1234", "4D")].record_owner == "DEU"


def test_flight_context_travels_with_the_item(items):
    f = items[("AF1234", "3C")].flight
    assert (f.carrier, f.flight_number, list(f.route)) == ("AF", "AF1234",
                                                           ["CDG", "DXB", "SIN", "SYD"])
    assert f.arrival_time.ToDatetime(tzinfo=timezone.utc) == LONG_HAUL.arrival_time


def test_list_filters_by_recipient_and_priority(server, items):
    with connect(server.port) as c:
        def refs(**kw) -> set[tuple[str, str]]:
            resp = c.followup.ListHits(pb.ListHitsRequest(limit=1000, **kw), timeout=5)
            return {(i.flight.flight_number, i.passenger.ref) for i in resp.items}

        assert refs(recipient="ncb-SGP") == {k for k in items if k[0] == "AF1234"}
        assert refs(recipient="ncb-USA") == {k for k in items if k[0] == "AZ610"}
        assert refs(recipient="ncb-DEU") == {("AF1234", "4D"), ("AZ610", "4D")}
        assert refs(max_priority=1) == {k for k, i in items.items() if i.priority == 1}
        assert refs(recipient="ncb-USA", max_priority=1) == {
            ("AZ610", "1A"), ("AZ610", "4D"), ("AZ610", "3C")}
        with pytest.raises(grpc.RpcError) as err:
            c.followup.ListHits(pb.ListHitsRequest(max_priority=7), timeout=5)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_filtered_stream_resumes_without_gaps_or_repeats(server, items):
    want = sorted(i.position for i in items.values()
                  if "ncb-AUS" in [r.id for r in i.recipients] or i.priority == 1)
    with connect(server.port) as c:
        # a bureau reads its P1..P2 items two at a time, disconnecting after each pair
        def stream(after: int, **kw):
            return c.followup.StreamHits(pb.StreamHitsRequest(after_position=after, **kw),
                                         timeout=10)

        seen, after = [], 0
        while True:
            call = stream(after, recipient="ncb-AUS", max_priority=2)
            got = [i.position for _, i in zip(range(2), call, strict=False)]
            call.cancel()
            if not got:
                break
            seen += got
            after = got[-1]
        expected = sorted(i.position for i in items.values()
                          if "ncb-AUS" in [r.id for r in i.recipients] and i.priority <= 2)
        assert seen == expected and len(seen) == 2
        everything = [i.position for i in stream(0, max_priority=1)]
        assert everything == sorted(i.position for i in items.values() if i.priority == 1)
        assert set(everything) <= set(want)


def test_time_to_acknowledge_is_measured(server, items):
    item = items[("AZ610", "3C")]
    with connect(server.port, "bureau-usa", role="operator") as c:
        acked = c.followup.UpdateHit(pb.UpdateHitRequest(id=item.id, status=pb.ACKNOWLEDGED,
                                                         note="officer at gate 4"),
                                     metadata=c.metadata, timeout=5)
        assert acked.HasField("acknowledged_at") and acked.seconds_to_acknowledge > 0
        assert acked.history[0].by == "bureau-usa" and acked.history[0].note == "officer at gate 4"
        shown = c.followup.GetHit(pb.GetHitRequest(id=item.id), timeout=5)
        assert shown.seconds_to_acknowledge == acked.seconds_to_acknowledge
        with pytest.raises(grpc.RpcError) as err:
            c.followup.UpdateHit(pb.UpdateHitRequest(id=item.id, status=pb.ACKNOWLEDGED,
                                                     by="x"), timeout=5)
        assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_a_bad_route_is_refused_naming_the_field(server):
    bad = Flight(carrier="AF", flight_number="AF1", route=("CDG", "not an airport", "SYD"))
    with connect(server.port, "centre-routing") as c:
        with pytest.raises(grpc.RpcError) as err:
            c.screen_all(bad, PASSENGERS[:1])
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "flight.route[1]" in err.value.details()
        with pytest.raises(grpc.RpcError) as err:
            c.check(PASSENGERS[0], Flight(route=("CDG",) * 17))
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "flight.route" in err.value.details()


def test_cli_lists_a_recipients_items_over_grpc(server, items, capsys):
    from screening.cli import main
    from tests import trust

    assert main(["hits", "list", "--server", f"127.0.0.1:{server.port}", "--recipient",
                 "ncb-DEU", "--json", "--token", trust.kit(server.port).token("operator"),
                 "--ca", str(trust.tls().ca_cert)]) == 0
    import json

    got = json.loads(capsys.readouterr().out)
    assert sorted(i["passenger"]["ref"] for i in got) == ["4D", "4D"]
    assert all("ncb-DEU" in i["recipients"] for i in got)


def test_following_a_recipient_skips_other_recipients_new_hits(server, items):
    import threading

    last = max(i.position for i in items.values())
    with connect(server.port) as c, connect(server.port, "centre-routing") as centre:
        stream = c.followup.StreamHits(pb.StreamHitsRequest(
            after_position=last, follow=True, recipient="ncb-ITA"), timeout=20)
        got: list[pb.FollowUpItem] = []
        reader = threading.Thread(target=lambda: got.append(next(stream)))
        reader.start()
        # a Spanish lost passport (not Italy's) first, then the Italian lost one
        for number, country in (("Z00000099", "ESP"), ("C0B5Z12", "ITA")):
            centre.check(Passenger(surname="FOLLOW", document=TravelDocument(
                number=number, issuing_country=country)), Flight(arrival_airport="LHR"))
        reader.join(timeout=15)
        stream.cancel()
    assert len(got) == 1 and got[0].match.record_id == "D-2"
    assert {r.id: tuple(r.roles) for r in got[0].recipients} == {
        "ncb-ITA": ("record_owner",), "ncb-GBR": ("arrival",), "ops": ("operations",)}
