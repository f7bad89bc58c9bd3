"""Follow-up items to and from their stored and published forms (JSON, DuckDB rows)."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import datetime, timezone

from screening.domain import (
    Decision,
    Flight,
    Match,
    MatchDetail,
    Passenger,
    RecordKind,
    TravelDocument,
)
from screening.followup.model import FollowUpItem, Recipient


def now_utc() -> datetime:
    # Stored as naive UTC (TIMESTAMP); read back as aware UTC by `aware`.
    return datetime.now(timezone.utc).replace(tzinfo=None)


def json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(obj: object) -> str:
    return json.dumps(plain(obj), default=json_default, ensure_ascii=False)


_FIELDS: dict[type, tuple[str, ...]] = {}


def plain(obj: object) -> object:
    """`dataclasses.asdict` for JSON: dataclasses as dicts, sequences as lists, recursively,
    leaves as they are. asdict deep-copies every leaf, which was most of the CPU of
    storing a hit (a match carries dozens of nested details); the JSON is the same."""
    names = _FIELDS.get(type(obj))
    if names is None:
        if is_dataclass(obj) and not isinstance(obj, type):
            names = _FIELDS.setdefault(type(obj), tuple(f.name for f in fields(obj)))
        elif isinstance(obj, (list, tuple)):
            return [plain(v) for v in obj]
        elif isinstance(obj, dict):
            return {k: plain(v) for k, v in obj.items()}
        else:
            return obj
    return {n: plain(getattr(obj, n)) for n in names}


def passenger_from(d: dict) -> Passenger:
    return Passenger(**{**d, "document": TravelDocument(**d.get("document", {}))})


def flight_from(d: dict) -> Flight:
    for k in ("departure_time", "arrival_time"):
        if d.get(k):
            d[k] = datetime.fromisoformat(d[k])
    d["route"] = tuple(d.get("route", ()))
    return Flight(**d)


def match_from(d: dict) -> Match:
    d["kind"] = RecordKind(d["kind"])
    d["decision"] = Decision(d["decision"])
    d["details"] = [MatchDetail(**x) for x in d.get("details", [])]
    return Match(**d)


def aware(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def recipients_from(raw: str | None) -> tuple[Recipient, ...]:
    return tuple(Recipient(r["id"], tuple(r["roles"])) for r in json.loads(raw or "[]"))


def item_dict(item: FollowUpItem) -> dict:
    """The item as plain values, enums by name (datetimes left to `json_default`)."""
    d = plain(item)
    d["decision"] = item.decision.name
    d["status"] = item.status.name
    d["match"]["kind"] = item.match.kind.name
    d["match"]["decision"] = item.match.decision.name
    d["seconds_to_acknowledge"] = item.seconds_to_acknowledge
    for h in d["history"]:
        h["from_status"], h["to_status"] = h["from_status"].name, h["to_status"].name
    return d


def item_payload(item: FollowUpItem) -> bytes:
    """The item as JSON, the body of a NATS message: readable by any consumer."""
    return json.dumps(item_dict(item), default=json_default, ensure_ascii=False).encode()


def subject_for(prefix: str, recipient: str, priority: int) -> str:
    return f"{prefix}.{recipient}.p{priority}"
