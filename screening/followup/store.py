"""Hit store protocol and the embedded DuckDB backend (the default)."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

import duckdb

from screening.domain import (
    Decision,
    Flight,
    HitStatus,
    Match,
    MatchDetail,
    Passenger,
    RecordKind,
    TravelDocument,
)
from screening.errors import DataError, FailedPrecondition, InvalidArgument, NotFound
from screening.followup.model import ALLOWED_TRANSITIONS, FollowUpItem, NewHit, StatusChange


class HitStore(Protocol):
    def add(self, hits: list[NewHit]) -> list[FollowUpItem]: ...
    def get(self, item_id: str) -> FollowUpItem: ...
    def list(self, *, status: HitStatus | None = None, after_position: int = 0,
             limit: int = 100) -> list[FollowUpItem]: ...
    def update(self, item_id: str, status: HitStatus, *, by: str, note: str = "") -> FollowUpItem: ...
    def wait_for_new(self, after_position: int, timeout: float) -> bool: ...
    def close(self) -> None: ...


_SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS hit_position START 1;
CREATE TABLE IF NOT EXISTS hits (
    id VARCHAR PRIMARY KEY,
    position BIGINT NOT NULL UNIQUE,
    idempotency_key VARCHAR NOT NULL UNIQUE,
    check_id VARCHAR NOT NULL,
    decision VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    list VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    passenger JSON NOT NULL,
    flight JSON NOT NULL,
    match JSON NOT NULL,
    requester VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL DEFAULT '',
    note VARCHAR NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS hit_history (
    hit_id VARCHAR NOT NULL,
    from_status VARCHAR NOT NULL,
    to_status VARCHAR NOT NULL,
    changed_by VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
"""

_COLUMNS = ("id, position, idempotency_key, check_id, decision, status, passenger, flight, "
            "match, requester, created_at, updated_at, updated_by, note")


def _now() -> datetime:
    # Stored as naive UTC (TIMESTAMP); read back as aware UTC by `_aware`.
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _dumps(obj: object) -> str:
    return json.dumps(asdict(obj), default=_json_default, ensure_ascii=False)


def _passenger(d: dict) -> Passenger:
    return Passenger(**{**d, "document": TravelDocument(**d.get("document", {}))})


def _flight(d: dict) -> Flight:
    for k in ("departure_time", "arrival_time"):
        if d.get(k):
            d[k] = datetime.fromisoformat(d[k])
    return Flight(**d)


def _match(d: dict) -> Match:
    d["kind"] = RecordKind(d["kind"])
    d["decision"] = Decision(d["decision"])
    d["details"] = [MatchDetail(**x) for x in d.get("details", [])]
    return Match(**d)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


class DuckDBHitStore:
    """Follow-up queue in a DuckDB file. One connection behind a lock: DuckDB allows a
    single writing process, and hits are rare enough that one writer is plenty. Every
    `add` is one committed transaction before it returns, so the caller may answer."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path))
            self._con.execute(_SCHEMA)
        except duckdb.Error as exc:
            raise DataError(f"cannot open hit store {self.path}: {exc}") from exc
        self._lock = threading.Lock()
        self._new = threading.Condition()
        self._last_position = self._max_position()

    def _max_position(self) -> int:
        return int(self._con.execute("SELECT coalesce(max(position), 0) FROM hits").fetchone()[0])

    @property
    def last_position(self) -> int:
        return self._last_position

    def add(self, hits: list[NewHit]) -> list[FollowUpItem]:
        """Insert the hits that are new; return the stored item for every hit, in order
        (the existing one when its idempotency key was seen before)."""
        if not hits:
            return []
        now = _now()
        with self._lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                for h in hits:
                    con.execute(
                        """INSERT INTO hits (id, position, idempotency_key, check_id, decision,
                               status, record_id, list, kind, score, passenger, flight, match,
                               requester, created_at, updated_at)
                           SELECT ?, nextval('hit_position'), ?, ?, ?, 'NEW', ?, ?, ?, ?, ?, ?,
                                  ?, ?, ?, ?
                           WHERE NOT EXISTS (SELECT 1 FROM hits WHERE idempotency_key = ?)""",
                        [uuid.uuid4().hex, h.idempotency_key, h.check_id, h.decision.name,
                         h.match.record_id, h.match.list, h.match.kind.name, h.match.score,
                         _dumps(h.passenger), _dumps(h.flight), _dumps(h.match), h.requester,
                         now, now, h.idempotency_key],
                    )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            keys = [h.idempotency_key for h in hits]
            rows = con.execute(
                f"SELECT {_COLUMNS} FROM hits WHERE idempotency_key IN "
                f"({', '.join('?' * len(keys))})", keys,
            ).fetchall()
            newest = self._max_position()
        by_key = {r[2]: self._item(r, []) for r in rows}
        if newest > self._last_position:
            with self._new:
                self._last_position = newest
                self._new.notify_all()
        return [by_key[k] for k in keys]

    def _item(self, row: tuple, history: list[StatusChange]) -> FollowUpItem:
        (id_, position, key, check_id, decision, status, passenger, flight, match, requester,
         created, updated, updated_by, note) = row
        return FollowUpItem(
            id=id_, position=int(position), idempotency_key=key, check_id=check_id,
            decision=Decision[decision], status=HitStatus[status],
            passenger=_passenger(json.loads(passenger)), flight=_flight(json.loads(flight)),
            match=_match(json.loads(match)), requester=requester,
            created_at=_aware(created), updated_at=_aware(updated), updated_by=updated_by,
            note=note, history=history,
        )

    def _history(self, item_id: str) -> list[StatusChange]:
        rows = self._con.execute(
            "SELECT from_status, to_status, changed_by, note, changed_at FROM hit_history WHERE hit_id = ? "
            "ORDER BY changed_at", [item_id]).fetchall()
        return [StatusChange(HitStatus[a], HitStatus[b], by, note, _aware(at))
                for a, b, by, note, at in rows]

    def get(self, item_id: str) -> FollowUpItem:
        with self._lock:
            row = self._con.execute(f"SELECT {_COLUMNS} FROM hits WHERE id = ?",
                                    [item_id]).fetchone()
            if row is None:
                raise NotFound(f"no follow-up item {item_id!r}", field="id")
            return self._item(row, self._history(item_id))

    def list(self, *, status: HitStatus | None = None, after_position: int = 0,
             limit: int = 100) -> list[FollowUpItem]:
        if not 0 < limit <= 1000:
            raise InvalidArgument("must be between 1 and 1000", field="limit")
        sql = f"SELECT {_COLUMNS} FROM hits WHERE position > ?"
        params: list = [after_position]
        if status is not None:
            sql += " AND status = ?"
            params.append(status.name)
        sql += " ORDER BY position LIMIT ?"
        params.append(limit)
        with self._lock:
            rows = self._con.execute(sql, params).fetchall()
            return [self._item(r, self._history(r[0])) for r in rows]

    def update(self, item_id: str, status: HitStatus, *, by: str, note: str = "") -> FollowUpItem:
        if not by.strip():
            raise InvalidArgument("say who made the change", field="by")
        with self._lock:
            row = self._con.execute("SELECT status FROM hits WHERE id = ?", [item_id]).fetchone()
            if row is None:
                raise NotFound(f"no follow-up item {item_id!r}", field="id")
            current = HitStatus[row[0]]
            if status not in ALLOWED_TRANSITIONS[current]:
                allowed = ", ".join(s.name for s in ALLOWED_TRANSITIONS[current]) or "none"
                raise FailedPrecondition(
                    f"cannot go from {current.name} to {status.name} (allowed: {allowed})",
                    field="status")
            now = _now()
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("UPDATE hits SET status = ?, updated_at = ?, updated_by = ?, note = ? "
                            "WHERE id = ?", [status.name, now, by, note, item_id])
                con.execute("INSERT INTO hit_history VALUES (?, ?, ?, ?, ?, ?)",
                            [item_id, current.name, status.name, by, note, now])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            row = con.execute(f"SELECT {_COLUMNS} FROM hits WHERE id = ?", [item_id]).fetchone()
            return self._item(row, self._history(item_id))

    def wait_for_new(self, after_position: int, timeout: float) -> bool:
        """Block until an item with a position past `after_position` exists, or timeout."""
        with self._new:
            if self._last_position > after_position:
                return True
            self._new.wait(timeout)
            return self._last_position > after_position

    def query(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Read-only SQL over the store (tables `hits`, `hit_history`), for reports."""
        with self._lock:
            try:
                cur = self._con.execute(sql)
                cols = [d[0] for d in cur.description or []]
                return cols, cur.fetchall()
            except duckdb.Error as exc:
                raise DataError(str(exc).splitlines()[0], sql=sql) from exc

    def purge_before(self, cutoff: datetime, *, dry_run: bool = False) -> list[str]:
        """Retention: delete items (and their history) created before `cutoff` (naive
        UTC); returns their ids. Positions are never reused, so readers resume safely."""
        with self._lock:
            ids = [r[0] for r in self._con.execute(
                "SELECT id FROM hits WHERE created_at < ? ORDER BY position", [cutoff]
            ).fetchall()]
            if ids and not dry_run:
                self._con.execute("BEGIN")
                self._con.execute("DELETE FROM hit_history WHERE hit_id IN (SELECT id FROM "
                                  "hits WHERE created_at < ?)", [cutoff])
                self._con.execute("DELETE FROM hits WHERE created_at < ?", [cutoff])
                self._con.execute("COMMIT")
        return ids

    def close(self) -> None:
        with self._lock:
            self._con.close()


def open_store(data_dir: Path, backend: str = "duckdb") -> DuckDBHitStore:
    if backend != "duckdb":
        raise InvalidArgument(f"unknown follow-up backend {backend!r}", field="followup_backend")
    return DuckDBHitStore(Path(data_dir) / "followup.duckdb")
