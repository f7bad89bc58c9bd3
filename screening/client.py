"""A small gRPC client used by the command line, the demo and the tests."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from screening.domain import Flight, Passenger
from screening.grpc import convert
from screening.pb import screening_pb2 as pb
from screening.pb import screening_pb2_grpc as pb_grpc


def match_dict(m: pb.Match) -> dict:
    return {
        "record_id": m.record_id, "list": m.list, "kind": pb.RecordKind.Name(m.kind),
        "score": round(m.score, 4), "decision": convert.decision_name(m.decision),
        "summary": m.explanation.summary, "follow_up_id": m.follow_up_id,
        "explanation": [
            {"field": d.field, "query": d.query_value, "record": d.record_value,
             "method": d.method, "similarity": round(d.similarity, 4),
             "weight": round(d.weight, 4)} for d in m.explanation.details],
    }


def result_dict(r: pb.PassengerResult | pb.CheckPassengerResponse, ref: str = "") -> dict:
    out = {"ref": getattr(r, "ref", "") or ref, "check_id": r.check_id,
           "decision": convert.decision_name(r.decision),
           "hits": [match_dict(m) for m in r.matches]}
    if getattr(r, "error", None) is not None and r.HasField("error"):
        out["decision"] = "ERROR"
        out["error"] = f"{r.error.field}: {r.error.message}"
    return out


def item_dict(i: pb.FollowUpItem) -> dict:
    p = i.passenger
    return {
        "id": i.id, "position": i.position, "status": pb.HitStatus.Name(i.status),
        "decision": convert.decision_name(i.decision), "record_id": i.match.record_id,
        "list": i.match.list, "score": round(i.match.score, 4),
        "summary": i.match.explanation.summary,
        "passenger": {"ref": p.ref, "name": p.full_name or f"{p.surname} {p.given_names}".strip(),
                      "date_of_birth": p.date_of_birth, "document": p.document.number},
        "flight": flight_label(i.flight),
        "requester": i.requester, "created_at": i.created_at.ToDatetime().isoformat() + "Z",
        "updated_by": i.updated_by, "note": i.note,
        "priority": i.priority, "priority_reason": i.priority_reason,
        "recipients": {r.id: list(r.roles) for r in i.recipients},
        "seconds_to_acknowledge": i.seconds_to_acknowledge or None,
    }


def flight_label(f: pb.Flight) -> str:
    """`AF1234`: the flight number, with the carrier prefixed when it is not already."""
    if f.flight_number.startswith(f.carrier):
        return f.flight_number
    return f"{f.carrier}{f.flight_number}"


def flight_from_json(d: dict) -> Flight:
    def ts(key: str) -> datetime | None:
        return datetime.fromisoformat(d[key].replace("Z", "+00:00")) if d.get(key) else None
    return Flight(carrier=d.get("carrier", ""), flight_number=d.get("flight_number", ""),
                  departure_airport=d.get("departure_airport", ""),
                  arrival_airport=d.get("arrival_airport", ""),
                  departure_time=ts("departure_time"), arrival_time=ts("arrival_time"),
                  manifest_id=d.get("manifest_id", ""), route=tuple(d.get("route", ())))


def channel_for(target: str, *, token: str = "", ca_cert: str | None = None,
                client_cert: str | None = None, client_key: str | None = None,
                options: list | None = None) -> grpc.Channel:
    """TLS when a CA certificate is given (plus a client certificate for mutual TLS), with
    the token sent on every call (`authorization: Bearer`); gRPC sends call credentials
    only over TLS, so a token never travels in clear. Plaintext otherwise (loopback
    development only; the server refuses it elsewhere)."""
    options = options or []
    if not ca_cert:
        return grpc.insecure_channel(target, options=options)
    creds = grpc.ssl_channel_credentials(
        root_certificates=Path(ca_cert).read_bytes(),
        private_key=Path(client_key).read_bytes() if client_key else None,
        certificate_chain=Path(client_cert).read_bytes() if client_cert else None)
    if token:
        creds = grpc.composite_channel_credentials(
            creds, grpc.access_token_call_credentials(token))
    return grpc.secure_channel(target, creds, options=options)


class Client:
    """`token` and `ca_cert` default to $SCREENING_TOKEN and $SCREENING_CA_CERT."""

    def __init__(self, target: str, *, client_id: str = "cli", timeout: float = 30.0,
                 token: str | None = None, ca_cert: str | None = None,
                 client_cert: str | None = None, client_key: str | None = None) -> None:
        token = token if token is not None else os.environ.get("SCREENING_TOKEN", "")
        ca_cert = ca_cert if ca_cert is not None else os.environ.get("SCREENING_CA_CERT", "")
        self.channel = channel_for(target, token=token, ca_cert=ca_cert,
                                   client_cert=client_cert, client_key=client_key, options=[
                                       ("grpc.max_receive_message_length", 64 * 1024 * 1024)])
        # identifies the caller in loopback development mode only; ignored with credentials
        self.metadata: tuple[tuple[str, str], ...] = (("x-client-id", client_id),)
        if token and not ca_cert:
            from screening.security.transport import is_loopback

            host = target.rsplit(":", 1)[0].strip("[]")
            if not is_loopback(host):
                raise ValueError("a credential is sent over TLS only: give the CA "
                                 "certificate (--ca or $SCREENING_CA_CERT)")
            # a plaintext loopback server (development): the token as plain metadata
            self.metadata += (("authorization", f"Bearer {token}"),)
        self.timeout = timeout
        self.screening = pb_grpc.ScreeningStub(self.channel)
        self.followup = pb_grpc.FollowUpStub(self.channel)
        self.watchlists = pb_grpc.WatchlistsStub(self.channel)
        self.health = health_pb2_grpc.HealthStub(self.channel)

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_serving(self) -> bool:
        try:
            resp = self.health.Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
        except grpc.RpcError:
            return False
        return resp.status == health_pb2.HealthCheckResponse.SERVING

    def check(self, passenger: Passenger, flight: Flight | None = None) -> pb.CheckPassengerResponse:
        req = pb.CheckPassengerRequest(passenger=convert.passenger_to_pb(passenger))
        if flight is not None:
            req.flight.CopyFrom(convert.flight_to_pb(flight))
        return self.screening.CheckPassenger(req, metadata=self.metadata, timeout=self.timeout)

    def screen(self, flight: Flight, passengers: Iterable[Passenger], *,
               batch: int = 50) -> Iterator[pb.ManifestResponse]:
        def requests() -> Iterator[pb.ManifestRequest]:
            yield pb.ManifestRequest(flight=convert.flight_to_pb(flight))
            chunk: list[pb.Passenger] = []
            for p in passengers:
                chunk.append(convert.passenger_to_pb(p))
                if len(chunk) >= batch:
                    yield pb.ManifestRequest(batch=pb.PassengerBatch(passengers=chunk))
                    chunk = []
            if chunk:
                yield pb.ManifestRequest(batch=pb.PassengerBatch(passengers=chunk))
        return self.screening.ScreenManifest(requests(), metadata=self.metadata,
                                             timeout=self.timeout * 20)

    def screen_all(self, flight: Flight, passengers: Iterable[Passenger], *,
                   batch: int = 50) -> tuple[list[pb.PassengerResult], pb.ManifestSummary | None]:
        """Stream a manifest and collect every result (single or batched) and the summary."""
        results: list[pb.PassengerResult] = []
        summary = None
        for resp in self.screen(flight, passengers, batch=batch):
            results.extend(manifest_results(resp))
            if resp.HasField("summary"):
                summary = resp.summary
        return results, summary

    def list_hits(self, *, status: int = 0, limit: int = 1000, recipient: str = "",
                  max_priority: int = 0) -> list[pb.FollowUpItem]:
        items, after = [], 0
        while True:
            resp = self.followup.ListHits(pb.ListHitsRequest(status=status, limit=limit,
                                                             after_position=after,
                                                             recipient=recipient,
                                                             max_priority=max_priority),
                                          metadata=self.metadata, timeout=self.timeout)
            items.extend(resp.items)
            if not resp.next_position:
                return items
            after = resp.next_position


def manifest_results(resp: pb.ManifestResponse) -> list[pb.PassengerResult]:
    """The passenger results one ManifestResponse carries (none for the summary)."""
    kind = resp.WhichOneof("item")
    if kind == "result":
        return [resp.result]
    if kind == "results":
        return list(resp.results.results)
    return []


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)
