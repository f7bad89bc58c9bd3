"""The only place that touches generated protobuf messages: proto <-> domain."""

from __future__ import annotations

from datetime import datetime, timezone

from google.protobuf.timestamp_pb2 import Timestamp

from screening.domain import (
    Decision,
    Flight,
    HitStatus,
    Match,
    Passenger,
    PassengerResult,
    TravelDocument,
)
from screening.followup import FollowUpItem
from screening.pb import screening_pb2 as pb


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    return ts


def _from_ts(msg: pb.Flight, name: str) -> datetime | None:
    if not msg.HasField(name):
        return None
    return getattr(msg, name).ToDatetime(tzinfo=timezone.utc)


def passenger_from_pb(msg: pb.Passenger) -> Passenger:
    d = msg.document
    return Passenger(
        ref=msg.ref, surname=msg.surname, given_names=msg.given_names, full_name=msg.full_name,
        date_of_birth=msg.date_of_birth, sex=msg.sex, nationality=msg.nationality,
        document=TravelDocument(number=d.number, issuing_country=d.issuing_country,
                                type=d.type, expiry=d.expiry),
        mrz=msg.mrz,
    )


def passenger_to_pb(p: Passenger) -> pb.Passenger:
    d = p.document
    return pb.Passenger(
        ref=p.ref, surname=p.surname, given_names=p.given_names, full_name=p.full_name,
        date_of_birth=p.date_of_birth, sex=p.sex, nationality=p.nationality,
        document=pb.TravelDocument(number=d.number, issuing_country=d.issuing_country,
                                   type=d.type, expiry=d.expiry),
        mrz=p.mrz,
    )


def flight_from_pb(msg: pb.Flight) -> Flight:
    return Flight(
        carrier=msg.carrier, flight_number=msg.flight_number,
        departure_airport=msg.departure_airport, arrival_airport=msg.arrival_airport,
        departure_time=_from_ts(msg, "departure_time"), arrival_time=_from_ts(msg, "arrival_time"),
        manifest_id=msg.manifest_id, route=tuple(a.strip().upper() for a in msg.route),
    )


def flight_to_pb(f: Flight) -> pb.Flight:
    return pb.Flight(
        carrier=f.carrier, flight_number=f.flight_number, departure_airport=f.departure_airport,
        arrival_airport=f.arrival_airport, departure_time=_ts(f.departure_time),
        arrival_time=_ts(f.arrival_time), manifest_id=f.manifest_id, route=list(f.route),
    )


def match_to_pb(m: Match) -> pb.Match:
    return pb.Match(
        record_id=m.record_id, list=m.list, kind=int(m.kind), score=m.score,
        decision=int(m.decision), follow_up_id=m.follow_up_id,
        explanation=pb.Explanation(summary=m.summary, details=[
            pb.MatchDetail(field=d.field, query_value=d.query_value,
                           record_value=d.record_value or "", method=d.method,
                           similarity=d.similarity, weight=d.weight)
            for d in m.details
        ]),
    )


def check_response(r: PassengerResult) -> pb.CheckPassengerResponse:
    return pb.CheckPassengerResponse(
        check_id=r.check_id, decision=int(r.decision),
        matches=[match_to_pb(m) for m in r.matches], snapshot_version=r.snapshot_version,
    )


def passenger_result_to_pb(r: PassengerResult) -> pb.PassengerResult:
    msg = pb.PassengerResult(
        ref=r.ref, check_id=r.check_id, snapshot_version=r.snapshot_version,
        decision=pb.DECISION_UNSPECIFIED if r.is_error else int(r.decision),
        matches=[match_to_pb(m) for m in r.matches],
    )
    if r.is_error:
        msg.error.CopyFrom(pb.Error(code="INVALID_ARGUMENT", field=r.error_field,
                                    message=r.error_message))
    return msg


def hit_status_from_pb(value: int) -> HitStatus | None:
    return HitStatus(value) if value in HitStatus._value2member_map_ else None


def item_to_pb(item: FollowUpItem) -> pb.FollowUpItem:
    return pb.FollowUpItem(
        id=item.id, position=item.position, idempotency_key=item.idempotency_key,
        check_id=item.check_id, decision=int(item.decision), status=int(item.status),
        passenger=passenger_to_pb(item.passenger), flight=flight_to_pb(item.flight),
        match=match_to_pb(item.match), requester=item.requester,
        created_at=_ts(item.created_at), updated_at=_ts(item.updated_at),
        updated_by=item.updated_by, note=item.note,
        history=[pb.StatusChange(from_status=int(h.from_status), to_status=int(h.to_status),
                                 by=h.by, note=h.note, at=_ts(h.at)) for h in item.history],
        priority=item.priority, priority_reason=item.priority_reason,
        recipients=[pb.Recipient(id=r.id, roles=list(r.roles)) for r in item.recipients],
        record_category=item.match.category, record_owner=item.match.owner,
        acknowledged_at=_ts(item.acknowledged_at),
        seconds_to_acknowledge=item.seconds_to_acknowledge or 0.0,
    )


def decision_name(value: int) -> str:
    return Decision(value).name if value in Decision._value2member_map_ else "ERROR"


_CHANGE_KINDS = {pb.NOMINAL: "nominal", pb.TRAVEL_DOCUMENT: "document",
                 pb.RECORD_KIND_UNSPECIFIED: "nominal"}


def change_from_pb(msg: pb.WatchlistChange, n: int):
    """One streamed watchlist change; the record travels as JSON (the loader's shape)."""
    import json

    from screening.errors import InvalidArgument
    from screening.live.changes import change_from_dict

    where = f"change {n}: "
    try:
        record = json.loads(msg.record_json) if msg.record_json else None
    except ValueError as exc:
        raise InvalidArgument(f"{where}record_json is not JSON: {exc}",
                              field="record_json") from exc
    op = pb.WatchlistChange.Op.Name(msg.op).lower() if msg.op else ""
    return change_from_dict({"op": op, "kind": _CHANGE_KINDS.get(msg.kind, ""),
                             "record_id": msg.record_id, "record": record}, where=where)
