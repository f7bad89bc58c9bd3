"""Hit store protocol and the embedded DuckDB backend (the default)."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

import duckdb

from screening.domain import Decision, HitStatus
from screening.errors import DataError, FailedPrecondition, InvalidArgument, NotFound
from screening.followup.codec import (
    aware,
    dumps,
    flight_from,
    item_payload,
    match_from,
    now_utc,
    passenger_from,
    plain,
    recipients_from,
    subject_for,
)
from screening.followup.model import ALLOWED_TRANSITIONS, FollowUpItem, NewHit, StatusChange


class HitStore(Protocol):
    def add(self, hits: list[NewHit]) -> list[FollowUpItem]: ...
    def add_ids(self, hits: list[NewHit]) -> list[str]: ...
    def get(self, item_id: str) -> FollowUpItem: ...
    def list(self, *, status: HitStatus | None = None, after_position: int = 0,
             limit: int = 100, recipient: str = "",
             max_priority: int = 0) -> list[FollowUpItem]: ...
    def update(self, item_id: str, status: HitStatus, *, by: str, note: str = "") -> FollowUpItem: ...
    def wait_for_new(self, after_position: int, timeout: float) -> bool: ...
    def end_position(self) -> int: ...
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
-- Routing and priority ([5/6]); added in place to stores created before them.
ALTER TABLE hits ADD COLUMN IF NOT EXISTS priority INTEGER DEFAULT 3;
ALTER TABLE hits ADD COLUMN IF NOT EXISTS priority_reason VARCHAR DEFAULT '';
ALTER TABLE hits ADD COLUMN IF NOT EXISTS recipients JSON DEFAULT '[]';
ALTER TABLE hits ADD COLUMN IF NOT EXISTS recipient_ids VARCHAR[];
ALTER TABLE hits ADD COLUMN IF NOT EXISTS acknowledged_at TIMESTAMP;
ALTER TABLE hits ADD COLUMN IF NOT EXISTS category VARCHAR DEFAULT '';
ALTER TABLE hits ADD COLUMN IF NOT EXISTS route VARCHAR DEFAULT '';
-- NATS backend: one row per (hit, recipient) still to publish, written in the same
-- transaction as the hit, deleted once JetStream has acknowledged it.
CREATE SEQUENCE IF NOT EXISTS outbox_seq START 1;
CREATE TABLE IF NOT EXISTS outbox (
    seq BIGINT PRIMARY KEY,
    hit_id VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    msg_id VARCHAR NOT NULL,
    payload VARCHAR NOT NULL  -- the item as JSON at the time of the event
);
"""

# Queue positions drawn from the sequence per statement (DuckDBHitStore._take_positions).
POSITION_BLOCK = 64

_COLUMNS = ("id, position, idempotency_key, check_id, decision, status, passenger, flight, "
            "match, requester, created_at, updated_at, updated_by, note, priority, "
            "priority_reason, recipients, acknowledged_at")


class _Request:
    """One caller's hits waiting in the group commit, and what became of them."""

    __slots__ = ("hits", "rows", "error", "done")

    def __init__(self, hits: list[NewHit]) -> None:
        self.hits = hits
        self.rows: list[tuple] = []
        self.error: BaseException | None = None
        self.done = False


class DuckDBHitStore:
    """Follow-up queue in a DuckDB file. One connection behind a lock: DuckDB allows a
    single writing process, and hits are rare enough that one writer is plenty. Every
    `add` is one committed transaction before it returns, so the caller may answer."""

    def __init__(self, path: Path, *, outbox_prefix: str = "", status_prefix: str = "") -> None:
        """With `outbox_prefix` (the NATS backend), every new hit also gets one outbox
        row per recipient, subject `<prefix>.<recipient>.p<priority>`, in the same
        transaction; a publisher drains them (`outbox_batch`, `outbox_done`). With
        `status_prefix` too, every status change is queued the same way, on
        `<status_prefix>.<recipient>.p<priority>`, so all recipients see the workflow."""
        self.path = Path(path)
        self.outbox_prefix = outbox_prefix
        self.status_prefix = status_prefix
        # Set whenever rows are added to the outbox, so the publisher wakes at once.
        self.outbox_signal = threading.Event()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # One thread: the store runs many tiny transactions, and DuckDB's worker threads
            # cost more to coordinate than they save on them (an add of 6 hits: 5.5 ms of CPU
            # against 7.2 with the default threads, development measurement).
            self._con = duckdb.connect(str(self.path), config={"threads": 1})
            self._con.execute(_SCHEMA)
            # Keep schema changes out of the write-ahead log: replaying some DDL after a
            # kill -9 needs DuckDB extensions it would try to download.
            self._con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            raise DataError(f"cannot open hit store {self.path}: {exc}") from exc
        self._lock = threading.Lock()
        # Requests waiting for the writer lock (group commit: _add).
        self._queue_lock = threading.Lock()
        self._queued: list[_Request] = []
        # Queue positions drawn from hit_position ahead of need (_take_positions), ascending.
        self._positions: list[int] = []
        self._new = threading.Condition()
        self._last_position = self._max_position()

    def _max_position(self) -> int:
        return int(self._con.execute("SELECT coalesce(max(position), 0) FROM hits").fetchone()[0])

    @property
    def last_position(self) -> int:
        return self._last_position

    def end_position(self) -> int:
        """The last committed queue position (a method, so worker processes can call it)."""
        return self._last_position

    def add(self, hits: list[NewHit]) -> list[FollowUpItem]:
        """Insert the hits that are new; return the stored item for every hit, in order
        (the existing one when its idempotency key was seen before)."""
        return [self._item(r, []) for r in self._add(hits)]

    def add_ids(self, hits: list[NewHit]) -> list[str]:
        """`add`, returning only each hit's item id: what the screening path keeps, and
        all a worker process needs back from the parent's store (whole items cost it more
        to unpickle than the rest of persisting, and the store to build)."""
        return [r[0] for r in self._add(hits)]

    def _add(self, hits: list[NewHit]) -> list[tuple]:
        """add's work: the stored row (_COLUMNS) of every hit, in order.

        Group commit: callers that arrive while another holds the writer lock queue their
        hits, and whoever takes the lock next writes every queued request in one
        transaction. A transaction's fixed cost (about 4 ms of CPU, most of storing a
        manifest part's few hits) is then paid once per group; each caller still returns
        only once its own hits are committed."""
        if not hits:
            return []
        mine = _Request(hits)
        with self._queue_lock:
            self._queued.append(mine)
        with self._lock:
            if not mine.done:
                with self._queue_lock:
                    group, self._queued = self._queued, []
                self._write_group(group)
        if mine.error is not None:
            raise mine.error
        return mine.rows

    def _write_group(self, group: list[_Request]) -> None:
        """Commit the hits of every request of `group` (the caller holds the lock), in one
        transaction; should it fail, each request alone, so that one request's error is
        not another's."""
        try:
            by_key = self._write([h for r in group for h in r.hits])
            for r in group:
                r.rows = [by_key[h.idempotency_key] for h in r.hits]
        except Exception as exc:
            if len(group) == 1:
                group[0].error = exc
            else:
                for r in group:
                    self._write_group([r])
        for r in group:
            r.done = True

    def _write(self, hits: list[NewHit]) -> dict[str, tuple]:
        """One transaction storing the hits that are new (the caller holds the lock):
        the stored row of every hit's idempotency key."""
        now = now_utc()
        con = self._con
        # Hits are nearly always new: first a plain insert (ON CONFLICT makes DuckDB's
        # insert of a few rows twice as dear: 4.3 against 2.2 ms, development
        # measurement); when the unique key says some were stored before (a re-sent
        # manifest), the transaction is rolled back and done again skipping them.
        first: dict[str, NewHit] = {}
        for h in hits:
            first.setdefault(h.idempotency_key, h)
        positions = self._take_positions(len(first))
        for skip_known in (False, True):
            con.execute("BEGIN TRANSACTION")
            try:
                rows, queued = self._insert(first, positions, now, skip_known=skip_known)
                con.execute("COMMIT")
                break
            except duckdb.ConstraintException:
                con.execute("ROLLBACK")
                if skip_known:
                    raise
            except Exception:
                con.execute("ROLLBACK")
                raise
        by_key = {r[2]: r for r in rows}
        known = [k for k in first if k not in by_key]
        if known:  # re-sent hits: their stored rows (rare: one scan for all of them)
            for r in con.execute(
                    f"SELECT {_COLUMNS} FROM hits WHERE idempotency_key IN "
                    f"({', '.join('?' * len(known))})", known).fetchall():
                by_key[r[2]] = r
        newest = max((int(r[1]) for r in rows), default=0)
        if queued:
            self.outbox_signal.set()
        if newest > self._last_position:
            with self._new:
                self._last_position = newest
                self._new.notify_all()
        return by_key

    def _take_positions(self, n: int) -> list[int]:
        """n queue positions, ascending and above every position handed out before (the
        caller holds the lock). They are drawn from hit_position POSITION_BLOCK at a time, in
        a statement of their own outside the insert's transaction: drawing them inside it was
        a quarter of the CPU of adding a hit (0.5 of 3.4 ms a call). A position not used (a
        known hit, the block left when the store closes) is a gap, which readers never assume
        there is none of."""
        if len(self._positions) < n:
            more = max(n - len(self._positions), POSITION_BLOCK)
            drawn = self._con.execute("SELECT nextval('hit_position') FROM range(?)",
                                      [more]).fetchall()
            self._positions.extend(sorted(r[0] for r in drawn))
        taken, self._positions = self._positions[:n], self._positions[n:]
        return taken

    def _insert(self, first: dict[str, NewHit], positions: list[int], now: datetime, *,
                skip_known: bool) -> tuple[list[tuple], int]:
        """Insert the hits of `first` (by idempotency key), in order, at `positions`, in one
        statement; returns the inserted rows (_COLUMNS) and the outbox rows queued. A key
        stored before raises duckdb.ConstraintException, unless skip_known: the unique
        index on the key then leaves the known ones out (ON CONFLICT), so no lookup by key
        runs first (DuckDB plans those as sequential scans), and the rows come back from
        RETURNING. Otherwise every hit was inserted as given, and its row is built here:
        RETURNING and an Arrow table registered for the statement cost more than the
        insert itself (development measurement: 1.9 against 1.2 ms for 8 rows)."""
        rows: list[tuple] = []  # as _COLUMNS reads them back
        params: list = []
        for h, pos in zip(first.values(), positions, strict=True):
            item_id = uuid.uuid4().hex
            passenger, flight, match = dumps(h.passenger), dumps(h.flight), dumps(h.match)
            recipients = json.dumps(plain(h.recipients))
            rows.append((item_id, pos, h.idempotency_key, h.check_id, h.decision.name, "NEW",
                         passenger, flight, match, h.requester, now, now, "", "", h.priority,
                         h.priority_reason, recipients, None))
            params += [item_id, pos, h.idempotency_key, h.check_id, h.decision.name, "NEW",
                       h.match.record_id, h.match.list, h.match.kind.name, h.match.score,
                       passenger, flight, match, h.requester, now, now, h.priority,
                       h.priority_reason, recipients, [r.id for r in h.recipients],
                       h.match.category, "-".join(h.flight.airports())]
        one = "(" + ", ".join("?" * (len(params) // len(rows))) + ")"  # a row's placeholders
        values = ", ".join([one] * len(rows))
        sql = f"""INSERT INTO hits (id, position, idempotency_key, check_id, decision,
                      status, record_id, list, kind, score, passenger, flight, match,
                      requester, created_at, updated_at, priority, priority_reason,
                      recipients, recipient_ids, category, route)
                  VALUES {values}"""
        if skip_known:
            rows = self._con.execute(
                f"{sql} ON CONFLICT (idempotency_key) DO NOTHING RETURNING {_COLUMNS}",
                params).fetchall()
        else:
            self._con.execute(sql, params)
        if not self.outbox_prefix:
            return rows, 0
        queued = 0
        for row in rows:
            h = first[row[2]]
            # The message tells what was true when the hit was made (the row as inserted).
            payload = item_payload(self._item(row, [])).decode()
            for r in h.recipients:
                # One message per recipient, so each consumer filters on its own subject; the
                # id is the hit's idempotency key qualified by the recipient, so a re-sent hit
                # (from this server or another) is dropped by JetStream.
                self._con.execute(
                    "INSERT INTO outbox VALUES (nextval('outbox_seq'), ?, ?, ?, ?)",
                    [row[0], subject_for(self.outbox_prefix, r.id, h.priority),
                     f"{h.idempotency_key}.{r.id}", payload])
            queued += len(h.recipients)
        return rows, queued

    def _payload(self, item_id: str, history: list[StatusChange]) -> str:
        """The item as it stands inside the current transaction, as JSON: a message
        tells what was true when its event happened, whenever it is published."""
        row = self._con.execute(f"SELECT {_COLUMNS} FROM hits WHERE id = ?",
                                [item_id]).fetchone()
        return item_payload(self._item(row, history)).decode()

    def _item(self, row: tuple, history: list[StatusChange]) -> FollowUpItem:
        (id_, position, key, check_id, decision, status, passenger, flight, match, requester,
         created, updated, updated_by, note, priority, priority_reason, recipients,
         acknowledged_at) = row
        return FollowUpItem(
            id=id_, position=int(position), idempotency_key=key, check_id=check_id,
            decision=Decision[decision], status=HitStatus[status],
            passenger=passenger_from(json.loads(passenger)), flight=flight_from(json.loads(flight)),
            match=match_from(json.loads(match)), requester=requester,
            created_at=aware(created), updated_at=aware(updated), updated_by=updated_by,
            note=note, history=history, priority=int(priority if priority is not None else 3),
            priority_reason=priority_reason or "", recipients=recipients_from(recipients),
            acknowledged_at=aware(acknowledged_at),
        )

    def _history(self, item_id: str) -> list[StatusChange]:
        rows = self._con.execute(
            "SELECT from_status, to_status, changed_by, note, changed_at FROM hit_history WHERE hit_id = ? "
            "ORDER BY changed_at", [item_id]).fetchall()
        return [StatusChange(HitStatus[a], HitStatus[b], by, note, aware(at))
                for a, b, by, note, at in rows]

    def get(self, item_id: str) -> FollowUpItem:
        with self._lock:
            row = self._con.execute(f"SELECT {_COLUMNS} FROM hits WHERE id = ?",
                                    [item_id]).fetchone()
            if row is None:
                raise NotFound(f"no follow-up item {item_id!r}", field="id")
            return self._item(row, self._history(item_id))

    def list(self, *, status: HitStatus | None = None, after_position: int = 0,
             limit: int = 100, recipient: str = "",
             max_priority: int = 0) -> list[FollowUpItem]:
        """Items past `after_position` in queue order; `recipient` keeps the items routed
        to it, `max_priority` those at least that urgent (1 = most urgent; 0 = all)."""
        if not 0 < limit <= 1000:
            raise InvalidArgument("must be between 1 and 1000", field="limit")
        if not 0 <= max_priority <= 4:
            raise InvalidArgument("must be 0 (all) or 1..4", field="max_priority")
        sql = f"SELECT {_COLUMNS} FROM hits WHERE position > ?"
        params: list = [after_position]
        if status is not None:
            sql += " AND status = ?"
            params.append(status.name)
        if recipient:
            sql += " AND list_contains(recipient_ids, ?)"
            params.append(recipient)
        if max_priority:
            sql += " AND priority <= ?"
            params.append(max_priority)
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
            now = now_utc()
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("UPDATE hits SET status = ?, updated_at = ?, updated_by = ?, note = ?, "
                            "acknowledged_at = CASE WHEN ? AND acknowledged_at IS NULL "
                            "THEN ? ELSE acknowledged_at END WHERE id = ?",
                            [status.name, now, by, note, status == HitStatus.ACKNOWLEDGED, now,
                             item_id])
                con.execute("INSERT INTO hit_history VALUES (?, ?, ?, ?, ?, ?)",
                            [item_id, current.name, status.name, by, note, now])
                queued = self._queue_status_change(item_id, status)
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            row = con.execute(f"SELECT {_COLUMNS} FROM hits WHERE id = ?", [item_id]).fetchone()
            item = self._item(row, self._history(item_id))
        if queued:
            self.outbox_signal.set()
        return item

    def _queue_status_change(self, item_id: str, status: HitStatus) -> int:
        """Outbox rows telling every recipient of the item about its new status. Each
        status is reached at most once (the workflow only moves forward), so the key,
        recipient and status make a message id that JetStream can deduplicate."""
        if not (self.outbox_prefix and self.status_prefix):
            return 0
        key, priority, recipient_ids = self._con.execute(
            "SELECT idempotency_key, priority, recipient_ids FROM hits WHERE id = ?",
            [item_id]).fetchone()
        payload = self._payload(item_id, self._history(item_id))
        for r in recipient_ids or []:
            self._con.execute(
                "INSERT INTO outbox VALUES (nextval('outbox_seq'), ?, ?, ?, ?)",
                [item_id, subject_for(self.status_prefix, r, priority),
                 f"{key}.{r}.{status.name}", payload])
        return len(recipient_ids or [])

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

    # -- outbox (NATS backend) ----------------------------------------------------------

    def outbox_batch(self, limit: int = 100) -> list[tuple[int, str, str, bytes]]:
        """The oldest unpublished messages, in order: (seq, subject, msg_id, payload)."""
        with self._lock:
            rows = self._con.execute(
                "SELECT seq, subject, msg_id, payload FROM outbox ORDER BY seq LIMIT ?",
                [limit]).fetchall()
        return [(int(seq), subject, msg_id, payload.encode())
                for seq, subject, msg_id, payload in rows]

    def outbox_done(self, seq: int) -> None:
        """JetStream acknowledged message `seq`: it leaves the outbox."""
        with self._lock:
            self._con.execute("DELETE FROM outbox WHERE seq = ?", [seq])

    def outbox_size(self) -> int:
        with self._lock:
            return int(self._con.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._con.close()


def open_store(data_dir: Path, backend: str = "duckdb", *, outbox_prefix: str = "",
               status_prefix: str = "") -> DuckDBHitStore:
    """The hit store in `data_dir`. The NATS backend is this store plus an outbox (see
    `screening.followup.nats.open_nats_store`, which also starts the publisher)."""
    if backend not in ("duckdb", "nats"):
        raise InvalidArgument(f"unknown follow-up backend {backend!r}", field="followup_backend")
    return DuckDBHitStore(Path(data_dir) / "followup.duckdb", outbox_prefix=outbox_prefix,
                          status_prefix=status_prefix)
