"""Who must act on a hit, and how urgently.

Pure functions of the match, the flight, the settings and the clock, so that every
server process routes and ranks a hit the same way (and tests can pin the clock).
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from screening.domain import Decision, Flight, Match
from screening.followup.model import Recipient
from screening.formats.countries import alpha2_to_alpha3, is_country_code
from screening.settings import Settings

# Roles, in the order a recipient lists them.
OWNER, ARRIVAL, TRANSIT, OPERATIONS = "record_owner", "arrival", "transit", "operations"


@lru_cache(maxsize=1)
def _airport_table() -> dict[str, str]:
    """IATA code -> ISO alpha-3 from the airportsdata package (loaded once, ~8k rows)."""
    import airportsdata

    table = {}
    for code, row in airportsdata.load("IATA").items():
        alpha3 = alpha2_to_alpha3(row.get("country", ""))
        if alpha3:
            table[code] = alpha3
    return table


def warm() -> None:
    """Load the airport table now (0.1-0.2 s) rather than on the first hit."""
    _airport_table()


def airport_country(code: str, settings: Settings) -> str:
    """The country of an IATA airport code; "" when unknown (the hit still reaches the
    operations centre, which routes it by hand)."""
    code = code.strip().upper()
    if not code:
        return ""
    return settings.airport_countries.get(code) or _airport_table().get(code, "")


def bureau(country: str, settings: Settings) -> str:
    return f"{settings.bureau_prefix}{country}"


def recipients(match: Match, flight: Flight, settings: Settings) -> tuple[Recipient, ...]:
    """The record owner's bureau, the arrival country's, the transit countries' (multi-leg
    flights), and the operations centre, each once with every role it plays. Ordered
    owner, arrival, transit, operations so the list reads as who acts first."""
    roles: dict[str, list[str]] = {}

    def add(recipient: str, role: str) -> None:
        if role not in roles.setdefault(recipient, []):
            roles[recipient].append(role)

    owner = match.owner.strip().upper()
    # Lists owned by an organisation (UN) rather than a country go to operations only.
    if owner and is_country_code(owner) and len(owner) == 3:
        add(bureau(owner, settings), OWNER)
    departure = airport_country(flight.route[0] if flight.route else flight.departure_airport,
                                settings)
    arrival = airport_country(flight.route[-1] if flight.route else flight.arrival_airport,
                              settings)
    if arrival:
        add(bureau(arrival, settings), ARRIVAL)
    for code in flight.route[1:-1]:
        country = airport_country(code, settings)
        # A stop in the departure or arrival country is not a transit country.
        if country and country not in (departure, arrival):
            add(bureau(country, settings), TRANSIT)
    add(settings.operations_centre, OPERATIONS)
    return tuple(Recipient(r, tuple(rs)) for r, rs in roles.items())


def priority(match: Match, flight: Flight, settings: Settings,
             now: datetime | None = None) -> tuple[int, str]:
    """(level 1..4, the reason in words). See Settings for the rules."""
    category = match.category or "unknown"
    base = int(settings.priority_by_category.get(category, settings.priority_default))
    level = base
    reasons = [f"{category.replace('_', ' ')} -> P{base}"]
    if match.decision == Decision.POSSIBLE_MATCH and settings.priority_possible_match_demotion:
        level += settings.priority_possible_match_demotion
        reasons.append(f"possible match {match.score:.2f}: +{settings.priority_possible_match_demotion}")
    if flight.arrival_time is not None:
        now = now or datetime.now(timezone.utc)
        arrival = flight.arrival_time if flight.arrival_time.tzinfo else \
            flight.arrival_time.replace(tzinfo=timezone.utc)
        minutes = (arrival - now).total_seconds() / 60
        if minutes <= settings.priority_imminent_minutes:
            level -= 2
            reasons.append(("landed" if minutes < 0 else f"arrives in {minutes:.0f} min")
                           + ": -2")
        elif minutes <= settings.priority_urgent_minutes:
            level -= 1
            reasons.append(f"arrives in {minutes:.0f} min: -1")
    level = min(max(level, 1), 4)
    return level, "; ".join(reasons) + f" => P{level}"
