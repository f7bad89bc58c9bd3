"""Applies live changes to a running service: writes the batch, rebuilds the overlay,
swaps the (base, overlay) pair; polls for batches written by other processes; compacts
in the background."""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from indexes.snapshot import Snapshot
from screening.engine import Engine
from screening.live.changes import (
    Change,
    delta_dir,
    list_deltas,
    read_deltas,
    write_delta,
)
from screening.live.compact import fold
from screening.live.overlay import LiveEngine, build_overlay
from screening.settings import Settings

log = logging.getLogger(__name__)


def live_engine(settings: Settings, snapshot: Snapshot) -> LiveEngine:
    """A freshly opened version plus the live changes already made on it (a restart, or a
    worker starting later, serves the same answers as the others)."""
    data = Path(settings.data_dir)
    deltas = list_deltas(data, snapshot.version)
    changes = read_deltas(data, snapshot.version, deltas)
    return LiveEngine(Engine(snapshot, settings),
                      build_overlay(data, snapshot.version, deltas, changes, settings))


@dataclass(frozen=True)
class Applied:
    added: int
    updated: int
    cancelled: int
    version: str


class LiveChanges:
    def __init__(self, service) -> None:
        self.service = service
        self.data = Path(service.settings.data_dir)
        self._lock = threading.Lock()
        self._pending_since: float | None = None

    def apply(self, changes: list[Change]) -> Applied:
        """Write one batch and make it live in this process before returning."""
        with self._lock:
            if changes:
                current = self.service.engine
                base = current.base_version
                name = write_delta(self.data, base, changes)
                while not self._refresh(current):
                    now = self.service.engine
                    if now.base_version == base and name in now.overlay.deltas:
                        break  # already live (a reload of this base read the batch)
                    if now.base_version != base:
                        # a full reload swapped in another version meanwhile: the change
                        # must hold there too, not only on the version it was sent for
                        base = now.base_version
                        name = write_delta(self.data, base, changes)
                    current = now
            return Applied(sum(c.op == "add" for c in changes),
                           sum(c.op == "update" for c in changes),
                           sum(c.op == "cancel" for c in changes),
                           self.service.engine.version)

    def refresh(self) -> bool:
        """Pick up batches written by another process (`screening load --delta`, another
        worker). Returns whether anything changed."""
        with self._lock:
            return self._refresh(self.service.engine)

    def _refresh(self, current: LiveEngine) -> bool:
        base = current.base_version
        deltas = list_deltas(self.data, base)
        if tuple(deltas) == current.overlay.deltas:
            return False
        changes = read_deltas(self.data, base, deltas)
        overlay = build_overlay(self.data, base, deltas, changes, self.service.settings)
        swapped = self.service.swap_engine(LiveEngine(current.base, overlay), expected=current)
        if swapped:
            log.info("live changes applied: now %s", base + overlay.label)
        return swapped

    def compact(self) -> str | None:
        """Fold the live changes into a new immutable version and serve it. One process
        at a time (a lock file); returns the new version, or None if nothing to do."""
        lock_path = self.data / "deltas" / "compact.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None  # another process is compacting
            current = self.service.engine
            if not current.overlay.deltas:
                return None
            base, folded = current.base_version, current.overlay.deltas
            if (delta_dir(self.data, base) / "COMPACTED").exists():
                # folded already: by another worker (its version reaches this process
                # through the reload watcher), or before a rollback to this base
                return None
            new = fold(self.data, base, list(current.overlay.changes))
            with self._lock:
                # batches that arrived while folding go on top of the new version
                late = [d for d in list_deltas(self.data, base) if d not in folded]
                if late:
                    write_delta(self.data, new, read_deltas(self.data, base, late))
                (delta_dir(self.data, base) / "COMPACTED").write_text(new + "\n")
                self.service.load(new)
            log.info("compacted %s + %d batch(es) into %s", base, len(folded), new)
            return new

    def watch(self, poll_s: float, stopping: threading.Event) -> None:
        compact_after = self.service.settings.compact_after_s

        def loop() -> None:
            while not stopping.wait(poll_s):
                try:
                    self.refresh()
                    if compact_after and self.service.engine.overlay.deltas:
                        now = time.monotonic()
                        self._pending_since = self._pending_since or now
                        if now - self._pending_since >= compact_after:
                            self.compact()
                            self._pending_since = None
                    else:
                        self._pending_since = None
                except Exception:  # noqa: BLE001 - keep serving what is live
                    log.exception("live changes: could not refresh or compact")
        threading.Thread(target=loop, name="live-changes", daemon=True).start()
