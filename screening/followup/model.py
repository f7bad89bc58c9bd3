"""Follow-up items, their workflow, and the idempotency key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from screening.domain import Decision, Flight, HitStatus, Match, Passenger

# NEW -> ACKNOWLEDGED -> CONFIRMED / FALSE_POSITIVE / ACTION_TAKEN; a confirmed hit can
# still be marked ACTION_TAKEN. FALSE_POSITIVE and ACTION_TAKEN are final.
ALLOWED_TRANSITIONS: dict[HitStatus, frozenset[HitStatus]] = {
    HitStatus.NEW: frozenset({HitStatus.ACKNOWLEDGED}),
    HitStatus.ACKNOWLEDGED: frozenset(
        {HitStatus.CONFIRMED, HitStatus.FALSE_POSITIVE, HitStatus.ACTION_TAKEN}
    ),
    HitStatus.CONFIRMED: frozenset({HitStatus.ACTION_TAKEN}),
    HitStatus.FALSE_POSITIVE: frozenset(),
    HitStatus.ACTION_TAKEN: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who must act on an item (`ops`, `ncb-FRA`...) and why: record_owner, arrival,
    transit, operations."""

    id: str
    roles: tuple[str, ...] = ()


@dataclass(slots=True)
class NewHit:
    """What the service hands the store for one matched record of one passenger."""

    idempotency_key: str
    check_id: str
    decision: Decision
    passenger: Passenger
    flight: Flight
    match: Match
    requester: str
    # Set by the service from the routing and priority rules (screening.followup.routing).
    priority: int = 3
    priority_reason: str = ""
    recipients: tuple[Recipient, ...] = ()


@dataclass(slots=True)
class StatusChange:
    from_status: HitStatus
    to_status: HitStatus
    by: str
    note: str
    at: datetime


@dataclass(slots=True)
class FollowUpItem:
    id: str
    position: int
    idempotency_key: str
    check_id: str
    decision: Decision
    status: HitStatus
    passenger: Passenger
    flight: Flight
    match: Match
    requester: str
    created_at: datetime
    updated_at: datetime
    updated_by: str = ""
    note: str = ""
    history: list[StatusChange] = field(default_factory=list)
    priority: int = 3
    priority_reason: str = ""
    recipients: tuple[Recipient, ...] = ()
    # First move to ACKNOWLEDGED: how long the hit waited for a human.
    acknowledged_at: datetime | None = None

    @property
    def seconds_to_acknowledge(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return (self.acknowledged_at - self.created_at).total_seconds()

    @property
    def recipient_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.recipients)


def _passenger_identity(p: Passenger) -> str:
    return "|".join((p.surname, p.given_names, p.full_name, p.date_of_birth, p.sex,
                     p.nationality, p.document.number, p.document.issuing_country, p.mrz))


def idempotency_key(passenger: Passenger, flight: Flight, record_id: str, requester: str) -> str:
    """Same passenger, same manifest (or same flight), same record => same key.

    Within a manifest the passenger's reference identifies it; without a reference we
    fall back to everything the passenger told us, so a re-sent identical check is
    recognised too."""
    when = flight.departure_time.date().isoformat() if flight.departure_time else ""
    context = "|".join((requester, flight.manifest_id, flight.carrier, flight.flight_number,
                        flight.departure_airport, flight.arrival_airport, when))
    who = f"ref:{passenger.ref}" if passenger.ref and (flight.manifest_id or flight.flight_number) \
        else _passenger_identity(passenger)
    return hashlib.sha256(f"{context}\x1f{who}\x1f{record_id}".encode()).hexdigest()
