"""The transport-neutral core: validate, screen, persist hits, answer.

gRPC servicers decode a request, call one method here and encode the answer; the
command line and the tests can call the same methods directly.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from indexes.snapshot import Snapshot, current_version, open_snapshot
from screening.check_batcher import CheckBatcher
from screening.domain import (
    Decision,
    Flight,
    HitStatus,
    Passenger,
    PassengerResult,
)
from screening.errors import InvalidArgument, ScreeningError, Unavailable
from screening.followup import FollowUpItem, HitStore, NewHit, idempotency_key, routing
from screening.followup.backends import open_backend
from screening.live.changes import Change
from screening.live.manager import Applied, LiveChanges, live_engine
from screening.live.overlay import LiveEngine
from screening.peer_screening import PeerPool
from screening.settings import Settings
from screening.validation import validate_passenger, validate_route

log = logging.getLogger(__name__)


class ScreeningService:
    """Owns the engine (one immutable snapshot at a time) and the follow-up store."""

    def __init__(self, settings: Settings, store: HitStore | None = None) -> None:
        self.settings = settings
        # A worker process gets the parent's store; a single process opens its own.
        self.store = store if store is not None else open_backend(settings)
        self._engine: LiveEngine | None = None
        self._swap = threading.Lock()
        self.live = LiveChanges(self)
        # Partner checks arriving together are screened together (see CheckBatcher).
        self._checks: CheckBatcher[tuple[Passenger, Flight, str], PassengerResult] = (
            CheckBatcher(self._screen_checks, max_batch=settings.check_batch,
                         finish=self._persist_checks))
        # In a cluster, the other workers (screening.peer_screening): a large batch is split
        # with an idle one. None: screened here.
        self.peers: PeerPool | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def load(self, version: str | None = None) -> Snapshot:
        """Open the newest (or named) snapshot, warm every kernel, then swap it in.
        Requests in flight finish on the engine they started with."""
        snapshot = open_snapshot(self.settings.data_dir, version)
        snapshot.warmup()
        routing.warm()
        # the version plus the live changes already made on it (screening.live)
        engine = live_engine(self.settings, snapshot)
        with self._swap:
            self._engine = engine
        log.info("serving snapshot %s (%d records, %d names, %d documents)", snapshot.version,
                 snapshot.meta["nominal_records"], snapshot.meta["names"],
                 snapshot.meta["document_records"])
        return snapshot

    def has_newer_snapshot(self) -> bool:
        newest = current_version(Path(self.settings.data_dir))
        return newest is not None and (self._engine is None
                                       or newest != self._engine.base_version)

    def swap_engine(self, engine: LiveEngine, expected: LiveEngine | None = None) -> bool:
        """Swap in `engine` unless another swap got there first (then the caller's view
        is stale and it must start again)."""
        with self._swap:
            if expected is not None and self._engine is not expected:
                return False
            self._engine = engine
            return True

    def apply_changes(self, changes: list[Change]) -> Applied:
        """Live watchlist changes (add / update / cancel), answering once they are live."""
        return self.live.apply(changes)

    @property
    def engine(self) -> LiveEngine:
        engine = self._engine
        if engine is None:
            raise Unavailable("no watchlist loaded yet")
        return engine

    def close(self) -> None:
        self._checks.close()
        self.store.close()

    # -- screening -----------------------------------------------------------------------

    def check(self, passenger: Passenger, flight: Flight, requester: str) -> PassengerResult:
        """One partner check: invalid input raises `InvalidArgument` naming the field."""
        clean = validate_passenger(passenger, max_field_length=self.settings.max_field_length)
        validate_route(flight.route)
        return self._checks.submit((clean, flight, requester))

    def _screen_checks(self, checks: list[tuple[Passenger, Flight, str]]
                       ) -> list[PassengerResult]:
        """Validated checks screened in one engine call (their hits are persisted by
        _persist_checks before any caller is answered)."""
        if self.peers is None:
            return self.engine.screen([p for p, _, _ in checks])
        with self.peers.board.busy():  # no peer lends its batch to a worker busy with checks
            return self.engine.screen([p for p, _, _ in checks])

    def _persist_checks(self, checks: list[tuple[Passenger, Flight, str]],
                        results: list[PassengerResult]) -> None:
        """The hits of one screened batch of checks, in one store call."""
        self._persist([(p, r, flight, requester)
                       for (p, flight, requester), r in zip(checks, results, strict=True)])

    def screen_batch(self, passengers: list[Passenger], flight: Flight,
                     requester: str) -> list[PassengerResult]:
        """Screen part of a manifest. A malformed passenger yields an error result for
        that passenger only; hits are persisted before this returns."""
        validate_route(flight.route)
        engine = self.engine
        results: list[PassengerResult | None] = [None] * len(passengers)
        valid: list[tuple[int, Passenger]] = []
        for i, p in enumerate(passengers):
            try:
                valid.append((i, validate_passenger(
                    p, max_field_length=self.settings.max_field_length)))
            except InvalidArgument as exc:
                results[i] = PassengerResult(
                    ref=p.ref[: self.settings.max_field_length], check_id=uuid.uuid4().hex,
                    decision=Decision.CLEAR, snapshot_version=engine.version,
                    error_field=exc.field, error_message=exc.message)
        passengers = [p for _, p in valid]
        screened = (engine.screen(passengers) if self.peers is None
                    else self.peers.screen(engine, passengers))
        for (i, _), result in zip(valid, screened, strict=True):
            results[i] = result
        self._persist([(p, r, flight, requester)
                       for (_, p), r in zip(valid, screened, strict=True)])
        return [r for r in results if r is not None]

    def _persist(self, screened: list[tuple[Passenger, PassengerResult, Flight, str]]) -> None:
        """Write one follow-up item per reported match (passenger, result, flight,
        requester), committed before we answer."""
        hits: list[NewHit] = []
        owners = []
        for passenger, result, flight, requester in screened:
            for match in result.matches:
                if match.decision == Decision.CLEAR:
                    continue
                key = idempotency_key(passenger, flight, match.record_id, requester)
                level, reason = routing.priority(match, flight, self.settings)
                hits.append(NewHit(key, result.check_id, match.decision, passenger, flight,
                                   match, requester, priority=level, priority_reason=reason,
                                   recipients=routing.recipients(match, flight, self.settings)))
                owners.append(match)
        for match, item_id in zip(owners, self.store.add_ids(hits), strict=True):
            match.follow_up_id = item_id

    def validate_manifest_size(self, count: int) -> None:
        if count > self.settings.max_manifest_passengers:
            from screening.errors import ResourceExhausted

            raise ResourceExhausted(
                f"manifest has more than {self.settings.max_manifest_passengers} passengers",
                field="passengers")

    # -- follow-up -----------------------------------------------------------------------

    def list_hits(self, status: HitStatus | None, after_position: int, limit: int,
                  recipient: str = "", max_priority: int = 0) -> list[FollowUpItem]:
        return self.store.list(status=status, after_position=after_position, limit=limit,
                               recipient=recipient, max_priority=max_priority)

    def get_hit(self, item_id: str) -> FollowUpItem:
        if not item_id:
            raise InvalidArgument("required", field="id")
        return self.store.get(item_id)

    def update_hit(self, item_id: str, status: HitStatus | None, by: str,
                   note: str) -> FollowUpItem:
        if not item_id:
            raise InvalidArgument("required", field="id")
        if status is None:
            raise InvalidArgument("required", field="status")
        if len(note) > 4096:
            raise InvalidArgument("longer than 4096 characters", field="note")
        return self.store.update(item_id, status, by=by, note=note)

    def stream_hits(self, after_position: int, follow: bool, is_active: Callable[[], bool],
                    recipient: str = "", max_priority: int = 0) -> Iterator[FollowUpItem]:
        """Items past `after_position` in queue order, optionally only those routed to
        `recipient` and of priority <= `max_priority`; with `follow`, keep waiting for new
        ones while `is_active()` (the client is still connected).

        Positions are assigned under the store's single writer lock and committed in
        order, so a client resuming after the last position it saw misses nothing and
        sees nothing twice, whatever the filter."""
        scanned = after_position
        while True:
            # Every item up to `end` is committed (positions are committed in order), so
            # once a query past `scanned` finds nothing, the stream has seen up to `end`:
            # a filtered stream then waits for items past it instead of spinning.
            end = self.store.end_position()
            batch = self.store.list(after_position=scanned, limit=500, recipient=recipient,
                                    max_priority=max_priority)
            yield from batch
            if batch:
                scanned = batch[-1].position
                continue
            scanned = max(scanned, end)
            if not follow or not is_active():
                return
            self.store.wait_for_new(scanned, timeout=0.5)


__all__ = ["ScreeningService", "ScreeningError"]
