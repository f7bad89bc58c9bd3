"""Per-RPC rules applied around the servicers, once the caller is authenticated and
authorised: what each role may see of an answer, whose hits it may read, manifest size
per client, deadlines, and what goes into the audit trail.

Redaction builds a new message from the allowed fields (a whitelist), so a field added
to the API later stays hidden from partners until someone decides otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc

from screening.audit import AuditLog, asked_digest
from screening.client import manifest_results
from screening.errors import DeadlineExceeded, ResourceExhausted, ScreeningError
from screening.grpc import convert
from screening.grpc.status import status_code
from screening.pb import screening_pb2 as pb

Inner = Callable


def partner_view(resp: pb.CheckPassengerResponse) -> pb.CheckPassengerResponse:
    """A decision and a check reference: no names, records, lists or scores."""
    return pb.CheckPassengerResponse(check_id=resp.check_id, decision=resp.decision,
                                     snapshot_version=resp.snapshot_version)


def _record_ids(matches) -> list[str]:
    return [m.record_id for m in matches]


def _check_deadline(context) -> None:
    remaining = context.time_remaining()
    if remaining is not None and remaining <= 0:
        raise DeadlineExceeded("the call's deadline passed; the rest was not screened")


class Policy:
    def __init__(self, service, audit: AuditLog | None, max_manifest: int) -> None:
        self.service = service
        self.audit = audit
        self.max_manifest = max_manifest

    def rule(self, method: str) -> Callable:
        return getattr(self, "_" + method.rsplit("/", 1)[-1], self._passthrough)

    def _record(self, context, action: str, **fields: object) -> None:
        if self.audit is not None:
            who = context.identity
            self.audit.append(action, who=who.client_id, role=who.role, **fields)

    def _digest(self, passenger: pb.Passenger) -> str:
        key = self.audit.key if self.audit is not None else b""
        return asked_digest(key, passenger)

    def refused(self, identity, method: str) -> None:
        if self.audit is not None:
            self.audit.append("refused", who=identity.client_id, role=identity.role,
                              rpc=method, decision="PERMISSION_DENIED")

    @staticmethod
    def _passthrough(request, context, inner: Inner):
        return inner(request, context)

    # -- screening ---------------------------------------------------------------------

    def _CheckPassenger(self, request: pb.CheckPassengerRequest, context, inner: Inner):
        resp = inner(request, context)
        self._record(context, "check", check_id=resp.check_id,
                     asked=self._digest(request.passenger),
                     decision=convert.decision_name(resp.decision),
                     record_ids=_record_ids(resp.matches), version=resp.snapshot_version)
        if context.identity.role == "partner":
            return partner_view(resp)
        return resp

    def _ScreenManifest(self, requests: Iterator[pb.ManifestRequest], context, inner: Inner):
        limit = context.identity.max_manifest or self.max_manifest
        asked: dict[str, str] = {}
        flight: list[pb.Flight] = []

        def guarded() -> Iterator[pb.ManifestRequest]:
            count = 0
            for message in requests:
                _check_deadline(context)
                kind = message.WhichOneof("item")
                if kind == "flight":
                    flight.append(message.flight)
                passengers = ([message.passenger] if kind == "passenger"
                              else list(message.batch.passengers) if kind == "batch" else [])
                count += len(passengers)
                if count > limit:
                    raise ResourceExhausted(f"manifest larger than this client's limit of "
                                            f"{limit} passengers", field="passengers")
                for p in passengers:
                    asked[p.ref] = self._digest(p)
                yield message

        for resp in inner(guarded(), context):
            results = manifest_results(resp)
            if results:
                self._record(context, "manifest_batch",
                             manifest_id=flight[0].manifest_id if flight else "",
                             version=results[0].snapshot_version,
                             results=[{"check_id": r.check_id, "asked": asked.get(r.ref, ""),
                                       "decision": convert.decision_name(r.decision)
                                       if not r.HasField("error") else "ERROR",
                                       "record_ids": _record_ids(r.matches)} for r in results])
            elif resp.HasField("summary"):
                s = resp.summary
                self._record(context, "manifest",
                             manifest_id=flight[0].manifest_id if flight else "",
                             passengers=s.passengers, hits=s.hits,
                             possible_matches=s.possible_matches, errors=s.errors)
            yield resp

    # -- follow-up: a caller sees only the hits of the requesters it serves ------------

    def _ListHits(self, request, context, inner: Inner):
        resp = inner(request, context)
        visible = [i for i in resp.items if context.identity.serves_requester(i.requester)]
        return pb.ListHitsResponse(items=visible, next_position=resp.next_position)

    def _GetHit(self, request, context, inner: Inner):
        item = inner(request, context)
        if not context.identity.serves_requester(item.requester):
            context.abort(grpc.StatusCode.NOT_FOUND, f"id: no follow-up item {request.id}")
        return item

    def _StreamHits(self, request, context, inner: Inner):
        for item in inner(request, context):
            if context.identity.serves_requester(item.requester):
                yield item

    def _UpdateHit(self, request: pb.UpdateHitRequest, context, inner: Inner):
        try:
            before = self.service.get_hit(request.id)
        except ScreeningError as exc:
            context.abort(status_code(exc), str(exc))
        if not context.identity.serves_requester(before.requester):
            # not PERMISSION_DENIED: that would confirm the item exists
            context.abort(grpc.StatusCode.NOT_FOUND, f"id: no follow-up item {request.id}")
        # the author of a change is the authenticated caller, not a field of the request
        request = pb.UpdateHitRequest(id=request.id, status=request.status, note=request.note,
                                      by=context.identity.client_id)
        item = inner(request, context)
        self._record(context, "hit_update", hit_id=item.id, check_id=item.check_id,
                     decision=pb.HitStatus.Name(item.status),
                     record_ids=[item.match.record_id])
        return item

    # -- watchlists --------------------------------------------------------------------

    def _ApplyChanges(self, requests: Iterator[pb.WatchlistChange], context, inner: Inner):
        seen: list[tuple[str, str]] = []

        def collect() -> Iterator[pb.WatchlistChange]:
            for change in requests:
                _check_deadline(context)
                seen.append((pb.WatchlistChange.Op.Name(change.op), change.record_id))
                yield change

        resp = inner(collect(), context)
        self._record(context, "watchlist_change", version=resp.version, decision="applied",
                     record_ids=[rid for _, rid in seen],
                     ops={op: sum(1 for o, _ in seen if o == op) for op, _ in seen})
        return resp
