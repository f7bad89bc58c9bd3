"""Bad input: INVALID_ARGUMENT naming the field; the server never crashes."""

from __future__ import annotations

import random
import string

import grpc
import pytest

from screening.client import manifest_results, result_dict
from screening.domain import Flight, Passenger, TravelDocument
from screening.pb import screening_pb2 as pb

BAD_CASES = [
    (Passenger(date_of_birth="1970-01-01"), "passenger"),
    (Passenger(surname="X", date_of_birth="1970-13-01"), "date_of_birth"),
    (Passenger(surname="X", date_of_birth="12/05/1970"), "date_of_birth"),
    (Passenger(surname="X", date_of_birth="1970-02-30"), "date_of_birth"),
    (Passenger(surname="X", nationality="FR"), "nationality"),
    (Passenger(surname="X", nationality="FRAN"), "nationality"),
    (Passenger(surname="X", document=TravelDocument(number="1", issuing_country="F1A")),
     "document.issuing_country"),
    (Passenger(surname="X", document=TravelDocument(number="1", expiry="2030")),
     "document.expiry"),
    (Passenger(surname="X" * 257), "surname"),
    (Passenger(surname="X", given_names="Y" * 300), "given_names"),
    (Passenger(full_name="Z" * 1000), "full_name"),
    (Passenger(surname="X", document=TravelDocument(number="9" * 257)), "document.number"),
    (Passenger(surname="X", sex="Q"), "sex"),
]


@pytest.mark.parametrize("passenger,field", BAD_CASES)
def test_check_rejects_bad_input_naming_the_field(client, passenger, field):
    with pytest.raises(grpc.RpcError) as err:
        client.check(passenger)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details().startswith(field + ":"), err.value.details()


def test_manifest_reports_each_bad_passenger_and_goes_on(client):
    flight = Flight(carrier="ZZ", flight_number="ZZ9", manifest_id="m-bad")
    passengers = []
    for i, (p, _) in enumerate(BAD_CASES):
        p = Passenger(**{**{f: getattr(p, f) for f in p.__slots__}, "ref": f"bad{i}"})
        passengers.append(p)
        passengers.append(Passenger(ref=f"ok{i}", surname="GOOD", given_names=f"TRAVELLER{i}"))
    responses = list(client.screen(flight, passengers, batch=5))
    results = [result_dict(r) for resp in responses for r in manifest_results(resp)]
    assert len(results) == len(passengers)
    for i, (_, field) in enumerate(BAD_CASES):
        bad = next(r for r in results if r["ref"] == f"bad{i}")
        assert bad["decision"] == "ERROR" and bad["error"].startswith(field + ":")
        ok = next(r for r in results if r["ref"] == f"ok{i}")
        assert ok["decision"] == "CLEAR"
    assert responses[-1].summary.errors == len(BAD_CASES)


_ODD = string.printable + "éßЖ文ع\u200b\u202e\x00\ud7ff<>"
# Plausible but unusual names: scripts, invisible characters, punctuation; no control chars.
_PLAUSIBLE = string.ascii_letters + " -'.,éßЖжМухаммад文建国عليسيف\u200b\u202e<"


def _random_text(rng: random.Random, n: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))


def _random_passenger(rng: random.Random) -> pb.Passenger:
    """Half odd (anything goes), half plausible (odd scripts and marks, valid shapes)."""
    odd = rng.random() < 0.5
    alpha = _ODD if odd else _PLAUSIBLE

    def pick(valid: list[str], n: int) -> str:
        return _random_text(rng, n, _ODD) if odd and rng.random() < 0.5 else rng.choice(valid)

    return pb.Passenger(
        ref=_random_text(rng, 20, alpha), surname=_random_text(rng, 40, alpha),
        given_names=_random_text(rng, 40, alpha),
        full_name=_random_text(rng, rng.choice([40, 300]) if odd else 40, alpha),
        date_of_birth=pick(["", "1970", "1970-05", "1970-05-12", "1970-XX-XX"], 12),
        sex=pick(["", "M", "F", "X"], 3), nationality=pick(["", "FRA", "UZB"], 4),
        document=pb.TravelDocument(number=_random_text(rng, 30, alpha),
                                   issuing_country=pick(["", "FRA", "ITA"], 4)),
        mrz=rng.choice(["", "", "", _random_text(rng, 100, _ODD)]))


def test_random_inputs_never_crash_the_server(client):
    rng = random.Random(1234)
    codes = set()
    for _ in range(300):
        p = _random_passenger(rng)
        try:
            client.screening.CheckPassenger(pb.CheckPassengerRequest(passenger=p), timeout=10)
            codes.add("OK")
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT, exc.details()
            codes.add(exc.code())
    # raw garbage bytes as a request
    channel = client.channel
    raw = channel.unary_unary("/screening.v1.Screening/CheckPassenger",
                              request_serializer=lambda b: b, response_deserializer=lambda b: b)
    for _ in range(50):
        blob = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        try:
            raw(blob, timeout=5)
        except grpc.RpcError as exc:
            assert exc.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.INTERNAL)
    assert "OK" in codes and grpc.StatusCode.INVALID_ARGUMENT in codes
    # still answering, correctly
    out = result_dict(client.check(Passenger(surname="DOE", document=TravelDocument(
        number="X1234567", issuing_country="FRA"))))
    assert out["decision"] == "HIT"
    assert client.is_serving()
