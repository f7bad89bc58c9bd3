"""Thin servicers: decode, call the transport-neutral core, encode. No logic here."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Executor

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
    def __init__(self, service: ScreeningService, pool: Executor | None = None) -> None:
        self.service = service
        self._pool = pool  # where manifest parts are screened (None: the loop's default)

    # A coroutine: it runs on the server's event loop, where concurrent checks are screened
    # together (screening.check_batcher). The other handlers are plain functions, which the
    # asyncio server runs on its thread pool.
    @handles_errors
    async def CheckPassenger(self, request: pb.CheckPassengerRequest,
                             context) -> pb.CheckPassengerResponse:
        if not request.HasField("passenger"):
            raise InvalidArgument("required", field="passenger")
        result = await self.service.check(convert.passenger_from_pb(request.passenger),
                                          convert.flight_from_pb(request.flight),
                                          requester_of(context))
        return convert.check_response(result)

    # An async generator: a stream must end with its call, which only the event loop sees (a
    # plain streaming handler on the pool can be left blocked when its client goes). Each
    # part is screened on the pool, the loop meanwhile serving other calls.
    @handles_errors
    async def ScreenManifest(self, request_iterator: AsyncIterator[pb.ManifestRequest],
                             context) -> AsyncIterator[pb.ManifestResponse]:
        requester = requester_of(context)
        loop = asyncio.get_running_loop()
        flight = None
        summary = pb.ManifestSummary()
        async for message in request_iterator:
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
            encoded = await loop.run_in_executor(self._pool, self._screen_part, passengers,
                                                 flight, requester, summary)
            if kind == "passenger":
                yield pb.ManifestResponse(result=encoded[0])
            else:
                # one message per batch: per-message cost, not per-passenger, in gRPC
                yield pb.ManifestResponse(results=pb.PassengerResultBatch(results=encoded))
        if flight is None:
            raise InvalidArgument("empty manifest: no flight was sent", field="flight")
        yield pb.ManifestResponse(summary=summary)

    def _screen_part(self, passengers: list[pb.Passenger], flight, requester: str,
                     summary: pb.ManifestSummary) -> list[pb.PassengerResult]:
        """One manifest message's passengers screened (hits persisted) and encoded, counted in
        `summary`: on the pool, decoding and encoding included."""
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
        return encoded


class FollowUpServicer(pb_grpc.FollowUpServicer):
    def __init__(self, service: ScreeningService, pool: Executor | None = None) -> None:
        self.service = service
        self._pool = pool  # StreamHits reads the store there (None: the loop's default)

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

    # A coroutine: a follower must end when its client goes, which only the event loop sees
    # (a plain handler on the pool is never told). The store is read on the pool.
    @handles_errors
    async def StreamHits(self, request: pb.StreamHitsRequest, context
                         ) -> AsyncIterator[pb.FollowUpItem]:
        live = threading.Event()
        live.set()
        items = self.service.stream_hits(request.after_position, request.follow, live.is_set,
                                         request.recipient, request.max_priority)
        loop = asyncio.get_running_loop()
        try:
            while (item := await loop.run_in_executor(self._pool, next, items, None)) is not None:
                yield convert.item_to_pb(item)
        finally:
            live.clear()  # an abandoned follower ends at its next look (within 0.5 s)


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
