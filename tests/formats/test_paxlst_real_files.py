"""The GTAS PAXLST samples in /work/shared/data/paxlst, with values read from the files."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from screening.formats.paxlst import parse_paxlst

TODAY = date(2026, 1, 1)
COUNTS = {
    "gtas_Test1.txt": 8,
    "gtas_Test3.txt": 260,
    "gtas_airline2.edi": 10,
    "gtas_apisMessage.txt": 2,
    "gtas_multiple_flight_leg_apis.txt": 2,
}


def _read(shared_data, name):
    return parse_paxlst((shared_data / "paxlst" / name).read_bytes(), today=TODAY)


@pytest.mark.parametrize("name,count", sorted(COUNTS.items()))
def test_person_counts_and_no_errors(shared_data, name, count):
    m = _read(shared_data, name)
    assert len(m.persons) == count
    assert m.errors == []
    assert len({p.passenger.ref for p in m.persons}) == count  # refs are unique


def test_test1_is_a_crew_list(shared_data):
    m = _read(shared_data, "gtas_Test1.txt")
    assert m.list_type == "crew"
    assert m.message_ref == "1402010600"
    assert m.sender == "APIS*C3K" and m.recipient == "USCSAPIS"
    assert {p.role for p in m.persons} == {"FM"}
    first = m.persons[0]
    assert (first.passenger.surname, first.passenger.given_names) == ("Steur", "Andrea Pat")
    assert first.passenger.sex == "F"
    assert first.passenger.date_of_birth == "1978-07-06"
    assert first.passenger.nationality == "GBR"
    assert first.passenger.document.number == "123456789"
    assert first.passenger.document.issuing_country == "GBR"
    assert first.passenger.document.expiry == "1961-02-18"  # 2061 is too far ahead
    assert first.birthplace == "Hartford USA"
    assert (first.embarkation, first.debarkation, first.residence_country) == (
        "FRA", "IAD", "GBR")
    assert m.declared_count == 8
    leg = m.flight_legs[0]
    assert (leg.carrier, leg.flight_number, leg.departure_airport, leg.arrival_airport) == (
        "UA", "0989", "FRA", "IAD")
    assert leg.departure_time == datetime(2017, 1, 27, 17, 25)
    assert leg.arrival_time == datetime(2017, 1, 28, 7, 10)


def test_test3_large_manifest_warnings(shared_data):
    m = _read(shared_data, "gtas_Test3.txt")
    assert m.list_type == "passenger"
    assert m.message_ref == "WSPDLA"
    assert m.declared_count == 206
    texts = [w.message for w in m.warnings]
    assert any("CNT declares 206 persons, 260 present" in t for t in texts)
    odd = [w for w in m.warnings if "U+0087" in w.message]
    assert len(odd) == 1 and odd[0].tag == "NAD" and odd[0].segment_index > 0
    novak = [p for p in m.persons if p.passenger.surname.startswith("Nov")]
    assert [p.passenger.surname for p in novak] == ["Nov\x87k"]  # byte kept, not dropped
    assert any("final part" in t for t in texts)  # UNH says 01:C but no more parts
    assert m.persons[0].passenger.surname == "Kuchel"
    assert m.persons[0].passenger.document.expiry == "2019-12-18"


def test_airline2_custom_una(shared_data):
    m = _read(shared_data, "gtas_airline2.edi")
    assert m.sender == "SDT"
    assert [p.passenger.surname for p in m.persons][:3] == ["BETTON", "TRIBBLE", "RIDER"]
    assert m.persons[0].passenger.document.number == "178556534"
    assert m.persons[0].references == {"AVF": "QXGYLO"}
    # The PNR locator is shared by all ten, so it cannot identify one traveller.
    assert m.persons[0].passenger.ref == "1402111800-1"
    leg = m.flight_legs[0]
    assert (leg.carrier, leg.flight_number, leg.departure_airport, leg.arrival_airport) == (
        "TN", "506", "BRE", "YEU")
    assert any("part(s) [1, 2, 3, 4, 5, 6, 7, 8, 9] missing" in w.message for w in m.warnings)


def test_apis_message_two_legs_and_references(shared_data):
    m = _read(shared_data, "gtas_apisMessage.txt")
    assert m.message_ref == "PAX001" and m.version == "D:05B:UN:IATA"
    assert [(lg.flight_number, lg.departure_airport, lg.arrival_airport)
            for lg in m.flight_legs] == [("123", "ATL", "ORD"), ("124", "ORD", "JFK")]
    clark = m.persons[0]
    assert clark.passenger.ref == "ABC123"
    assert clark.references == {"AVF": "TYR123", "ABO": "ABC123", "AEA": "1234567890ABC",
                                 "CR": "20060907NY123"}
    assert m.references["TN"] == "AJYTR1070219"
    f = m.flight()
    assert (f.carrier, f.departure_airport, f.arrival_airport, f.manifest_id) == (
        "AA", "ATL", "JFK", "PAX001")
    assert f.departure_time == datetime(2007, 2, 19, 15, 40)
    assert f.arrival_time == datetime(2007, 2, 19, 19, 55)


def test_multiple_flight_legs(shared_data):
    m = _read(shared_data, "gtas_multiple_flight_leg_apis.txt")
    assert [(lg.flight_number, lg.departure_airport, lg.arrival_airport)
            for lg in m.flight_legs] == [("877", "MIA", "IAD"), ("827", "IAD", "JFK"),
                                         ("827", "JFK", "CDG")]
    lang = m.persons[1].passenger
    assert (lang.surname, lang.given_names, lang.sex, lang.date_of_birth) == (
        "LANG", "KRISTIN", "F", "1960-06-06")
    assert (lang.document.number, lang.document.type, lang.document.expiry) == (
        "TRQWE99800", "P", "2009-09-16")
    assert lang.ref == "ABC124"
    assert any("after UNZ" in w.message for w in m.warnings)  # trailing "13Nov09"
