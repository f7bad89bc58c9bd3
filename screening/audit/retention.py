"""Retention: passenger data older than the configured period leaves the hit store and
the audit trail, and the purge itself is recorded in the trail."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from screening.audit.log import AuditLog, open_audit

log = logging.getLogger(__name__)


@dataclass
class Purged:
    cutoff: datetime
    hits: int = 0
    audit_entries: int = 0
    hit_ids: tuple[str, ...] = ()

    def describe(self) -> str:
        return (f"removed {self.hits} follow-up item(s) and {self.audit_entries} audit "
                f"entr{'y' if self.audit_entries == 1 else 'ies'} older than "
                f"{self.cutoff.isoformat(timespec='seconds')}")


def cutoff_for(days: float, now: datetime | None = None) -> datetime:
    return (now or datetime.now(timezone.utc)) - timedelta(days=days)


def purge(audit: AuditLog, store, cutoff: datetime, *, who: str, dry_run: bool = False) -> Purged:
    """Remove hits created before `cutoff` and audit entries written before it.

    The audit chain keeps verifying: the oldest entries go, and a `retention` entry names
    the last removed seq and hash, to which the first remaining entry links."""
    out = Purged(cutoff=cutoff)
    if store is not None:
        out.hit_ids = tuple(store.purge_before(cutoff.replace(tzinfo=None), dry_run=dry_run))
        out.hits = len(out.hit_ids)
    with audit._lock, audit._locked():
        entries = list(audit.entries())
        old = [e for e in entries if datetime.fromisoformat(e["at"]) < cutoff
               and e.get("action") != "retention"]
        # only a prefix can go: the chain must stay one unbroken run
        n = 0
        while n < len(entries) and entries[n] in old:
            n += 1
        out.audit_entries = n
        if dry_run or not (n or out.hits):
            return out
        anchor = {}
        if n:
            last = entries[n - 1]
            audit.rewrite(entries[n:], last)
            anchor = {"removed_through_seq": last["seq"], "removed_through_hash": last["hash"]}
        # still under the lock: no other writer can slip in before the anchor is recorded
        audit.append_locked("retention", who=who, role="admin",
                            cutoff=cutoff.isoformat(timespec="seconds"), hits_removed=out.hits,
                            audit_entries_removed=n, **anchor)
    return out


def purge_periodically(store, audit_dir: Path, days: float, interval_s: float,
                       stopping: threading.Event) -> None:
    """In the server that owns the follow-up store (DuckDB allows one writing process, so
    the command cannot run beside it): purge every `interval_s`, and log what went."""
    audit = open_audit(audit_dir)

    def loop() -> None:
        while not stopping.wait(interval_s):
            try:
                result = purge(audit, store, cutoff_for(days), who="server:retention")
                if result.hits or result.audit_entries:
                    log.warning("retention: %s", result.describe())
            except Exception:  # noqa: BLE001 - retry at the next interval
                log.exception("retention: purge failed")
    threading.Thread(target=loop, name="retention", daemon=True).start()


__all__ = ["Purged", "cutoff_for", "purge", "purge_periodically"]
