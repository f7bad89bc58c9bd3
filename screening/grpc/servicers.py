"""Thin servicers: decode, call the transport-neutral core, encode. No logic here."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from screening.errors import InvalidArgument
from screening.grpc import convert
from screening.grpc.status import handles_errors
from screening.pb import screening_pb2 as pb
from screening.pb import screening_pb2_grpc as pb_grpc
from screening.service import ScreeningService


def requester_of(context: grpc.ServicerContext) -> str:
    """Who is asking: the authenticated client (set by the trust interceptor); in loopback
    development mode without credentials, the `x-client-id` metadata or the peer address."""
    identity = getattr(context, "identity", None)
    if identity is not None:
        return identity.client_id
    for key, value in context.invocation_metadata() or ():
        if key == "x-client-id" and value:
            return str(value)[:128]
    return context.peer() or "unknown"


class ScreeningServicer(pb_grpc.ScreeningServicer):
    def __init__(self, service: ScreeningService) -> None:
        self.service = service

    @handles_errors
    def CheckPassenger(self, request: pb.CheckPassengerRequest, context) -> pb.CheckPassengerResponse:
        if not request.HasField("passenger"):
            raise InvalidArgument("required", field="passenger")
        result = self.service.check(convert.passenger_from_pb(request.passenger),
                                    convert.flight_from_pb(request.flight), requester_of(context))
        return convert.check_response(result)

    @handles_errors
    def ScreenManifest(self, request_iterator: Iterator[pb.ManifestRequest],
                       context) -> Iterator[pb.ManifestResponse]:
        requester = requester_of(context)
        flight = None
        summary = pb.ManifestSummary()
        for message in request_iterator:
            kind = message.WhichOneof("item")
            if flight is None:
                if kind != "flight":
                    raise InvalidArgument("the first message of a manifest must carry the flight",
                                          field="flight")
                flight = convert.flight_from_pb(message.flight)
                continue
            if kind == "flight":
                raise InvalidArgument("a manifest carries one flight, in its first message",
                                      field="flight")
            passengers = ([message.passenger] if kind == "passenger"
                          else list(message.batch.passengers) if kind == "batch" else [])
            if not passengers:
                continue
            self.service.validate_manifest_size(summary.passengers + len(passengers))
            results = self.service.screen_batch(
                [convert.passenger_from_pb(p) for p in passengers], flight, requester)
            encoded = []
            for r in results:
                summary.passengers += 1
                if r.is_error:
                    summary.errors += 1
                elif r.decision.name == "HIT":
                    summary.hits += 1
                elif r.decision.name == "POSSIBLE_MATCH":
                    summary.possible_matches += 1
                else:
                    summary.clear += 1
                encoded.append(convert.passenger_result_to_pb(r))
            if kind == "passenger":
                yield pb.ManifestResponse(result=encoded[0])
            else:
                # one message per batch: per-message cost, not per-passenger, in gRPC
                yield pb.ManifestResponse(results=pb.PassengerResultBatch(results=encoded))
        if flight is None:
            raise InvalidArgument("empty manifest: no flight was sent", field="flight")
        yield pb.ManifestResponse(summary=summary)


class FollowUpServicer(pb_grpc.FollowUpServicer):
    def __init__(self, service: ScreeningService) -> None:
        self.service = service

    @handles_errors
    def ListHits(self, request: pb.ListHitsRequest, context) -> pb.ListHitsResponse:
        limit = request.limit or 100
        if not 0 < limit <= 1000:
            raise InvalidArgument("must be between 1 and 1000", field="limit")
        items = self.service.list_hits(convert.hit_status_from_pb(request.status),
                                       request.after_position, limit, request.recipient,
                                       request.max_priority)
        next_position = items[-1].position if len(items) == limit else 0
        return pb.ListHitsResponse(items=[convert.item_to_pb(i) for i in items],
                                   next_position=next_position)

    @handles_errors
    def GetHit(self, request: pb.GetHitRequest, context) -> pb.FollowUpItem:
        return convert.item_to_pb(self.service.get_hit(request.id))

    @handles_errors
    def UpdateHit(self, request: pb.UpdateHitRequest, context) -> pb.FollowUpItem:
        by = request.by or requester_of(context)
        item = self.service.update_hit(request.id, convert.hit_status_from_pb(request.status),
                                       by, request.note)
        return convert.item_to_pb(item)

    @handles_errors
    def StreamHits(self, request: pb.StreamHitsRequest, context) -> Iterator[pb.FollowUpItem]:
        for item in self.service.stream_hits(request.after_position, request.follow,
                                             context.is_active, request.recipient,
                                             request.max_priority):
            yield convert.item_to_pb(item)


class WatchlistsServicer(pb_grpc.WatchlistsServicer):
    def __init__(self, service: ScreeningService) -> None:
        self.service = service

    @handles_errors
    def GetStatus(self, request: pb.GetStatusRequest, context) -> pb.WatchlistStatus:
        snap = self.service.engine.snapshot
        meta = snap.meta
        kinds = {"nominal": pb.NOMINAL, "document": pb.TRAVEL_DOCUMENT}
        return pb.WatchlistStatus(
            version=snap.version, built_at=convert._ts(snap.built_at),
            nominal_records=meta["nominal_records"], names=meta["names"],
            document_records=meta["document_records"],
            lists=[pb.ListCount(list=c["list"], kind=kinds[c["kind"]], records=c["records"])
                   for c in meta["lists"]],
        )

    @handles_errors
    def ApplyChanges(self, request_iterator: Iterator[pb.WatchlistChange],
                     context) -> pb.ApplyChangesResponse:
        changes = [convert.change_from_pb(c, n) for n, c in enumerate(request_iterator, 1)]
        applied = self.service.apply_changes(changes)
        return pb.ApplyChangesResponse(added=applied.added, updated=applied.updated,
                                       cancelled=applied.cancelled, version=applied.version)
