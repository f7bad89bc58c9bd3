"""CheckPassenger and ScreenManifest over real gRPC against fixture watchlists."""

from __future__ import annotations

import grpc
import pytest

from screening.client import manifest_results, result_dict
from screening.domain import Flight, Passenger, TravelDocument
from screening.pb import screening_pb2 as pb


def check(client, **kw) -> dict:
    doc = kw.pop("document", None) or {}
    p = Passenger(**kw, document=TravelDocument(**doc))
    return result_dict(client.check(p))


def test_stolen_document_is_a_hit(client):
    out = check(client, surname="DOE", given_names="JANE",
                document={"number": "x 123-4567", "issuing_country": "FRA", "type": "P"})
    assert out["decision"] == "HIT"
    best = out["hits"][0]
    assert (best["record_id"], best["list"], best["kind"]) == ("D-1", "sltd", "TRAVEL_DOCUMENT")
    assert best["follow_up_id"]
    assert any(e["field"] == "document.number" and e["method"] == "exact"
               for e in best["explanation"])
    assert "stolen" in best["summary"]


def test_document_from_another_country_is_not_a_hit(client):
    out = check(client, surname="DOE",
                document={"number": "X1234567", "issuing_country": "DEU", "type": "P"})
    assert out["decision"] == "CLEAR"


def test_look_alike_document_number_is_a_possible_match(client):
    # Listed C0B5Z12 (zero); the passenger's document reads COB5Z12 (letter O).
    out = check(client, surname="ROE",
                document={"number": "COB5Z12", "issuing_country": "ITA", "type": "P"})
    assert out["decision"] == "POSSIBLE_MATCH"
    assert out["hits"][0]["record_id"] == "D-2"
    assert out["hits"][0]["explanation"][0]["method"] == "confusable"


def test_transliterated_and_reordered_name_is_found(client):
    out = check(client, full_name="Mohamed Youssef Karimov", date_of_birth="1970-05-12",
                sex="M", nationality="UZB")
    assert out["decision"] in ("HIT", "POSSIBLE_MATCH")
    best = out["hits"][0]
    assert best["record_id"] == "N-1"
    fields = {e["field"] for e in best["explanation"]}
    assert {"name", "date_of_birth"} <= fields
    # graded, explained, not a bare 1.0
    assert 0.8 <= best["score"] < 1.0


def test_cyrillic_name_finds_latin_record(client):
    out = check(client, full_name="Каримов Мухаммад Юсуф", date_of_birth="1970")
    assert out["hits"] and out["hits"][0]["record_id"] == "N-1"


def test_exact_name_and_date_of_birth_is_a_hit(client):
    out = check(client, surname="Karimov", given_names="Muhammad Yusuf",
                date_of_birth="1970-05-12")
    assert out["decision"] == "HIT"
    assert out["hits"][0]["record_id"] == "N-1"


def test_document_on_a_wanted_persons_record_is_found(client):
    out = check(client, surname="SOMEONE", given_names="ELSE",
                document={"number": "AB1234567", "issuing_country": "UZB"})
    assert out["decision"] in ("HIT", "POSSIBLE_MATCH")
    assert out["hits"][0]["record_id"] == "N-1"


def test_conflicting_date_of_birth_lowers_the_score(client):
    same = check(client, surname="Karimov", given_names="Muhammad Yusuf",
                 date_of_birth="1970-05-12")
    other = check(client, surname="Karimov", given_names="Muhammad Yusuf",
                  date_of_birth="1990-01-01")
    s_same = same["hits"][0]["score"]
    s_other = other["hits"][0]["score"] if other["hits"] else 0.0
    assert s_other < s_same - 0.2


def test_clean_passenger_is_clear(client):
    out = check(client, surname="BERNARDI", given_names="Lucia", date_of_birth="1988-03-03",
                nationality="ITA",
                document={"number": "YA9988776", "issuing_country": "ITA", "type": "P"})
    assert out == {**out, "decision": "CLEAR", "hits": []}


def test_cancelled_record_does_not_match(client):
    out = check(client, surname="PETROVSKY", given_names="Igor", date_of_birth="1965-01-01")
    assert all(h["record_id"] != "N-4" for h in out["hits"])


def test_manifest_streams_a_result_per_passenger_with_its_ref(client):
    flight = Flight(carrier="AF", flight_number="AF001", departure_airport="CDG",
                    arrival_airport="JFK", manifest_id="m-stream-1")
    passengers = [
        Passenger(ref="p1", surname="KARIMOV", given_names="MUHAMMAD YUSUF",
                  date_of_birth="1970-05-12"),
        Passenger(ref="p2", surname="BERNARDI", given_names="LUCIA"),
        Passenger(ref="p3", surname="ROE", document=TravelDocument(
            number="998877665", issuing_country="USA")),
        Passenger(ref="p4", surname="X", nationality="FRANCE"),  # bad: not alpha-3
        Passenger(ref="p5", full_name="سيف القذافي", date_of_birth="1972"),
    ]
    responses = list(client.screen(flight, passengers, batch=2))
    results = [result_dict(r) for resp in responses for r in manifest_results(resp)]
    # batches are answered with one message each, in the batch's order
    assert [resp.WhichOneof("item") for resp in responses] == ["results"] * 3 + ["summary"]
    summary = responses[-1].summary
    assert [r["ref"] for r in results] == ["p1", "p2", "p3", "p4", "p5"]
    by_ref = {r["ref"]: r for r in results}
    assert by_ref["p1"]["decision"] == "HIT"
    assert by_ref["p2"]["decision"] == "CLEAR"
    assert by_ref["p3"]["decision"] == "HIT"
    assert by_ref["p4"]["decision"] == "ERROR" and "nationality" in by_ref["p4"]["error"]
    assert by_ref["p5"]["hits"] and by_ref["p5"]["hits"][0]["record_id"] == "N-3"
    assert (summary.passengers, summary.errors) == (5, 1)
    assert summary.hits + summary.possible_matches + summary.clear == 4


def test_manifest_must_start_with_the_flight(client):
    def requests():
        yield pb.ManifestRequest(passenger=pb.Passenger(ref="a", surname="X"))
    with pytest.raises(grpc.RpcError) as err:
        list(client.screening.ScreenManifest(requests(), timeout=10))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "flight" in err.value.details()


def test_manifest_over_the_size_limit_is_refused(client):
    # The module's server allows 50 passengers per manifest.
    flight = Flight(carrier="AF", flight_number="AF002", manifest_id="m-big")
    passengers = [Passenger(ref=f"p{i}", surname=f"TRAVELLER{i}") for i in range(60)]
    with pytest.raises(grpc.RpcError) as err:
        list(client.screen(flight, passengers, batch=20))
    assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "50" in err.value.details()


def test_status_reports_version_and_counts(client):
    s = client.watchlists.GetStatus(pb.GetStatusRequest(), timeout=5)
    assert s.version.startswith("v")
    assert s.nominal_records == 305
    assert s.document_records == 2003
    lists = {c.list: c.records for c in s.lists}
    assert lists["sltd"] == 2003 and lists["interpol-red"] == 302


def test_health_is_serving_and_reflection_lists_services(client, server):
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    assert client.is_serving()
    stub = reflection_pb2_grpc.ServerReflectionStub(client.channel)
    reqs = iter([reflection_pb2.ServerReflectionRequest(list_services="")])
    resp = next(stub.ServerReflectionInfo(reqs, timeout=5))
    names = {s.name for s in resp.list_services_response.service}
    assert {"screening.v1.Screening", "screening.v1.FollowUp", "screening.v1.Watchlists",
            "grpc.health.v1.Health"} <= names


def test_arabic_script_name_finds_latin_only_record(client):
    # N-2 lists only the Latin MÜLLER Anna Lena: the Arabic-script name is matched by the
    # transliteration model (the likeness of its words to the listed spellings).
    out = check(client, full_name="آنا لينا مولر", date_of_birth="2004-02-29")
    assert out["decision"] in ("HIT", "POSSIBLE_MATCH")
    best = out["hits"][0]
    assert best["record_id"] == "N-2"
    assert any(e["field"] == "name" and e["method"] == "transliteration"
               for e in best["explanation"])
