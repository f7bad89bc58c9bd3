"""Routing (who must act on a hit) and priority (how urgently), as pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from screening.domain import Decision, Flight, Match, RecordKind
from screening.errors import InvalidArgument
from screening.followup.routing import airport_country, priority, recipients
from screening.settings import Settings, load_settings

S = Settings()
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def match(category: str = "wanted", owner: str = "FRA", decision: Decision = Decision.HIT,
          score: float = 0.97) -> Match:
    kind = RecordKind.TRAVEL_DOCUMENT if category.endswith("_document") else RecordKind.NOMINAL
    return Match("R-1", "interpol-red", kind, score, decision, category=category, owner=owner)


def routed(m: Match, f: Flight, settings: Settings = S) -> dict[str, tuple[str, ...]]:
    return {r.id: r.roles for r in recipients(m, f, settings)}


def test_airports_resolve_to_alpha3_countries():
    assert [airport_country(c, S) for c in ("JFK", "fra", "NRT", "SYD", "ZZZ", "")] == [
        "USA", "DEU", "JPN", "AUS", "", ""]
    custom = S.with_overrides(airport_countries={"ZZZ": "FRA", "JFK": "CAN"})
    assert airport_country("ZZZ", custom) == "FRA" and airport_country("JFK", custom) == "CAN"


def test_owner_arrival_and_operations_each_once():
    f = Flight(departure_airport="CDG", arrival_airport="JFK")
    assert routed(match(owner="FRA"), f) == {
        "ncb-FRA": ("record_owner",), "ncb-USA": ("arrival",), "ops": ("operations",)}
    # the owner is also the arrival country: one recipient, both roles
    assert routed(match(owner="USA"), f) == {
        "ncb-USA": ("record_owner", "arrival"), "ops": ("operations",)}
    # the list of an organisation (UN) has no bureau; unknown airports have no country
    assert routed(match(owner="UN"), Flight(arrival_airport="ZZZ")) == {"ops": ("operations",)}
    # a new operations centre name applies at once
    assert "centre-2" in routed(match(), f, S.with_overrides(operations_centre="centre-2"))


def test_transit_countries_of_a_multi_leg_flight():
    f = Flight(departure_airport="CDG", arrival_airport="SYD",
               route=("CDG", "DXB", "SIN", "MEL", "SYD"))
    got = routed(match(owner="ITA"), f)
    assert got == {"ncb-ITA": ("record_owner",), "ncb-AUS": ("arrival",),
                   "ncb-ARE": ("transit",), "ncb-SGP": ("transit",), "ops": ("operations",)}
    # order reads who acts first: owner, arrival, transits, operations
    assert [r.id for r in recipients(match(owner="ITA"), f, S)] == [
        "ncb-ITA", "ncb-AUS", "ncb-ARE", "ncb-SGP", "ops"]
    # a stop in the departure country is no transit
    domestic = Flight(route=("MIA", "IAD", "JFK"))
    assert routed(match(owner="USA"), domestic) == {
        "ncb-USA": ("record_owner", "arrival"), "ops": ("operations",)}


@pytest.mark.parametrize(("category", "decision", "minutes", "expected"), [
    ("wanted", Decision.HIT, None, 1),
    ("threat", Decision.HIT, None, 1),
    ("missing", Decision.HIT, None, 2),
    ("sanctioned", Decision.POSSIBLE_MATCH, None, 3),
    ("stolen_document", Decision.HIT, None, 3),
    ("stolen_document", Decision.HIT, 600, 3),
    ("stolen_document", Decision.HIT, 100, 2),   # within the urgent window: one level up
    ("stolen_document", Decision.HIT, 20, 1),    # imminent: two levels up
    ("stolen_document", Decision.HIT, -30, 1),   # landed already
    ("lost_document", Decision.HIT, None, 4),
    ("lost_document", Decision.POSSIBLE_MATCH, None, 4),  # never below 4
    ("wanted", Decision.POSSIBLE_MATCH, 20, 1),  # never above 1
    ("something_new", Decision.HIT, None, 3),    # priority_default
])
def test_priority_rules(category, decision, minutes, expected):
    arrival = NOW + timedelta(minutes=minutes) if minutes is not None else None
    level, reason = priority(match(category, decision=decision, score=0.85),
                             Flight(arrival_time=arrival), S, now=NOW)
    assert level == expected
    assert reason.endswith(f"P{expected}") and category.replace("_", " ") in reason


def test_priority_rules_come_from_settings_and_environment():
    custom = load_settings({"SCREENING_PRIORITY_BY_CATEGORY": "stolen_document=1,wanted=2",
                            "SCREENING_PRIORITY_URGENT_MINUTES": "30",
                            "SCREENING_PRIORITY_IMMINENT_MINUTES": "10"})
    assert priority(match("stolen_document"), Flight(), custom, now=NOW)[0] == 1
    soon = Flight(arrival_time=NOW + timedelta(minutes=60))
    assert priority(match("wanted"), soon, custom, now=NOW)[0] == 2   # 60 min is not urgent
    assert priority(match("wanted"), soon, S, now=NOW)[0] == 1
    with pytest.raises(InvalidArgument) as err:
        load_settings({"SCREENING_PRIORITY_BY_CATEGORY": "wanted=9"})
    assert err.value.field == "priority_by_category"
    with pytest.raises(InvalidArgument) as err:
        load_settings({"SCREENING_FOLLOWUP_BACKEND": "kafka"})
    assert err.value.field == "followup_backend"
    with pytest.raises(InvalidArgument) as err:
        load_settings({"SCREENING_OPERATIONS_CENTRE": "ops.centre"})  # would split subjects
    assert err.value.field == "operations_centre"


def test_paxlst_legs_give_the_route_and_its_transit_bureaus(shared_data):
    from screening.formats.paxlst import parse_paxlst

    raw = (shared_data / "paxlst" / "gtas_multiple_flight_leg_apis.txt").read_bytes()
    flight = parse_paxlst(raw).flight()
    assert flight.route == ("MIA", "IAD", "JFK", "CDG")
    # Miami -> Washington -> New York -> Paris: the stops are domestic, no transit bureau
    assert routed(match(owner="ITA"), flight) == {
        "ncb-ITA": ("record_owner",), "ncb-FRA": ("arrival",), "ops": ("operations",)}
