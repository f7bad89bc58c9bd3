"""Transport-neutral domain types. Nothing here knows about gRPC or files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum


class Decision(IntEnum):
    """Same numbering as the proto enum `screening.v1.Decision`."""

    CLEAR = 1
    POSSIBLE_MATCH = 2
    HIT = 3


class RecordKind(IntEnum):
    NOMINAL = 1
    TRAVEL_DOCUMENT = 2


class HitStatus(IntEnum):
    NEW = 1
    ACKNOWLEDGED = 2
    CONFIRMED = 3
    FALSE_POSITIVE = 4
    ACTION_TAKEN = 5


@dataclass(slots=True)
class TravelDocument:
    number: str = ""
    issuing_country: str = ""
    type: str = ""
    expiry: str = ""


@dataclass(slots=True)
class Passenger:
    ref: str = ""
    surname: str = ""
    given_names: str = ""
    full_name: str = ""
    date_of_birth: str = ""
    sex: str = ""
    nationality: str = ""
    document: TravelDocument = field(default_factory=TravelDocument)
    mrz: str = ""
    # Set by the service when the MRZ was read: names of failed check digits
    # (e.g. "document_number") and "name_truncated". Not part of the API.
    mrz_flags: tuple[str, ...] = ()

    def display_name(self) -> str:
        """The name as one string, surname first when it is known."""
        if self.full_name:
            return self.full_name
        return " ".join(p for p in (self.surname, self.given_names) if p)


@dataclass(slots=True)
class Flight:
    carrier: str = ""
    flight_number: str = ""
    departure_airport: str = ""
    arrival_airport: str = ""
    departure_time: datetime | None = None
    arrival_time: datetime | None = None
    manifest_id: str = ""
    # Every airport in flight order on a multi-leg flight (departure first, arrival last);
    # empty for a single leg. Transit countries' bureaus are routed a hit from it.
    route: tuple[str, ...] = ()

    def airports(self) -> tuple[str, ...]:
        """The route, or departure and arrival when no route was given."""
        if self.route:
            return self.route
        return tuple(a for a in (self.departure_airport, self.arrival_airport) if a)


@dataclass(slots=True)
class MatchDetail:
    field: str
    query_value: str
    record_value: str
    method: str
    similarity: float
    weight: float


@dataclass(slots=True)
class Match:
    record_id: str
    list: str
    kind: RecordKind
    score: float
    decision: Decision
    summary: str = ""
    details: list[MatchDetail] = field(default_factory=list)
    follow_up_id: str = ""
    # Internal to the service (never sent to partners): the record's category (wanted,
    # missing, sanctioned, stolen_document...) and the country whose bureau owns it.
    category: str = ""
    owner: str = ""


@dataclass(slots=True)
class PassengerResult:
    ref: str
    check_id: str
    decision: Decision
    matches: list[Match] = field(default_factory=list)
    snapshot_version: str = ""
    error_field: str = ""
    error_message: str = ""

    @property
    def is_error(self) -> bool:
        return bool(self.error_message)
