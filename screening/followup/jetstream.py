"""The NATS JetStream backend: the DuckDB store with an outbox, drained to one stream.

Why an outbox rather than publishing in the request: the answer must not wait for NATS
(a hit is durable once the local DuckDB transaction commits), NATS may be down, and a
slow or stalled consumer must never slow screening. So each new hit writes, in the same
transaction, one outbox row per recipient; a background thread publishes the rows in
order, one at a time, and deletes each only after JetStream acknowledged it. A crash
between the publish and the delete republishes the row after restart, and JetStream's
duplicate window drops it (the message id derives from the hit's idempotency key), so
every hit reaches the stream once, in order, whatever fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.js import api
from nats.js.errors import NotFoundError

from screening.followup.store import DuckDBHitStore
from screening.settings import Settings

log = logging.getLogger(__name__)


def stream_config(settings: Settings) -> api.StreamConfig:
    return api.StreamConfig(
        name=settings.nats_stream,
        subjects=[f"{settings.nats_subject_prefix}.>",
                  f"{settings.nats_status_subject_prefix}.>"],
        storage=api.StorageType.FILE,
        # Limits retention: each recipient's durable consumer tracks its own position, and
        # the stream keeps the hits for replay and audit.
        retention=api.RetentionPolicy.LIMITS,
        duplicate_window=settings.nats_duplicate_window_s,
    )


async def ensure_stream(js, settings: Settings) -> None:
    """Create the stream, or bring its subjects and duplicate window up to the settings.
    Several servers may race here: creating an identical stream twice is accepted."""
    config = stream_config(settings)
    try:
        info = await js.stream_info(settings.nats_stream)
    except NotFoundError:
        await js.add_stream(config)
        return
    if (info.config.subjects != config.subjects
            or abs((info.config.duplicate_window or 0) - config.duplicate_window) > 1e-3):
        await js.update_stream(config)


class OutboxPublisher:
    """Drains a store's outbox to JetStream from a daemon thread with its own event loop."""

    def __init__(self, store: DuckDBHitStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.published = 0
        self.connected = threading.Event()  # tests and health: is NATS reachable now?
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()),
                                        name="nats-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.store.outbox_signal.set()
        self._thread.join(timeout)

    async def _main(self) -> None:
        failures = 0
        while not self._stop.is_set():
            nc = None
            try:
                # We reconnect ourselves: nats-py's own reconnection would buffer publishes
                # while down and flush them later, out of our control.
                nc = await nats.connect(
                    self.settings.nats_url, allow_reconnect=False, connect_timeout=1,
                    error_cb=_quiet, disconnected_cb=self._lost, closed_cb=self._lost)
                js = nc.jetstream(timeout=self.settings.nats_publish_timeout_s)
                await ensure_stream(js, self.settings)
                self.connected.set()
                if failures:
                    log.warning("NATS is back at %s; draining the outbox", self.settings.nats_url)
                failures = 0
                await self._drain(js)
            except Exception as exc:  # noqa: BLE001 - any failure: keep the outbox, retry
                failures += 1
                if failures == 1:
                    log.warning("NATS unavailable at %s (%s); hits wait in the outbox",
                                self.settings.nats_url, exc or type(exc).__name__)
            finally:
                self.connected.clear()
                if nc is not None:
                    try:
                        await nc.close()
                    except Exception:  # noqa: BLE001 - already broken
                        pass
            await asyncio.to_thread(self._stop.wait, self.settings.nats_retry_interval_s)

    async def _lost(self) -> None:
        self.connected.clear()

    async def _drain(self, js) -> None:
        """Publish outbox rows in order until stopped; raise on any NATS error."""
        signal = self.store.outbox_signal
        while not self._stop.is_set():
            signal.clear()  # before reading, so a hit added meanwhile wakes the wait below
            batch = await asyncio.to_thread(self.store.outbox_batch, 100)
            if not batch:
                await asyncio.to_thread(signal.wait, 0.5)
                continue
            for seq, subject, msg_id, payload in batch:
                if self._stop.is_set():
                    return
                # One at a time, waiting for the ack: the order in the stream is the
                # order of the outbox, and a failure leaves this row first in line.
                await js.publish(subject, payload, stream=self.settings.nats_stream,
                                 headers={"Nats-Msg-Id": msg_id})
                await asyncio.to_thread(self.store.outbox_done, seq)
                self.published += 1


async def _quiet(exc: Exception) -> None:
    log.debug("nats: %s", exc)


class NatsHitStore(DuckDBHitStore):
    """The DuckDB store of this server plus its outbox publisher; `close` stops both."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(Path(settings.data_dir) / "followup.duckdb",
                         outbox_prefix=settings.nats_subject_prefix,
                         status_prefix=settings.nats_status_subject_prefix)
        self.publisher = OutboxPublisher(self, settings)
        self.publisher.start()

    def close(self) -> None:
        self.publisher.stop()
        super().close()


def open_nats_store(settings: Settings) -> NatsHitStore:
    return NatsHitStore(settings)


# -- consumers (operators, bureaus, tests) --------------------------------------------------


def consumer_subjects(settings: Settings, recipient: str = "", max_priority: int = 0,
                      status_changes: bool = False) -> list[str]:
    """Filter subjects for one recipient (or all: "") and priorities 1..max_priority:
    new hits, or (`status_changes`) the workflow changes of their items."""
    prefix = (settings.nats_status_subject_prefix if status_changes
              else settings.nats_subject_prefix)
    who = recipient or "*"
    if not max_priority:
        return [f"{prefix}.{who}.>"]
    return [f"{prefix}.{who}.p{n}" for n in range(1, max_priority + 1)]


@dataclass(slots=True)
class Delivered:
    subject: str
    msg_id: str
    stream_seq: int
    item: dict


async def fetch_hits(settings: Settings, durable: str, *, recipient: str = "",
                     max_priority: int = 0, max_messages: int = 10_000,
                     idle_s: float = 1.0, ack: bool = True,
                     status_changes: bool = False) -> list[Delivered]:
    """Pull from a durable consumer (created on first use) until `idle_s` passes with
    nothing new or `max_messages` arrived; acknowledge each unless `ack` is False.
    Durable: a consumer that comes back later resumes after what it acknowledged."""
    nc = await nats.connect(settings.nats_url, connect_timeout=2, allow_reconnect=False,
                            error_cb=_quiet)
    try:
        js = nc.jetstream(timeout=5)
        await ensure_stream(js, settings)
        subjects = consumer_subjects(settings, recipient, max_priority, status_changes)
        config = api.ConsumerConfig(
            durable_name=durable, ack_policy=api.AckPolicy.EXPLICIT,
            deliver_policy=api.DeliverPolicy.ALL, ack_wait=30,
            **({"filter_subject": subjects[0]} if len(subjects) == 1
               else {"filter_subjects": subjects}))
        await js.add_consumer(settings.nats_stream, config)
        sub = await js.pull_subscribe_bind(durable=durable, stream=settings.nats_stream)
        out: list[Delivered] = []
        while len(out) < max_messages:
            try:
                msgs = await sub.fetch(min(256, max_messages - len(out)), timeout=idle_s)
            except (nats.errors.TimeoutError, asyncio.TimeoutError):  # both occur
                break
            for msg in msgs:
                out.append(Delivered(msg.subject, (msg.headers or {}).get("Nats-Msg-Id", ""),
                                     msg.metadata.sequence.stream, json.loads(msg.data)))
                if ack:
                    await msg.ack_sync()
        await sub.unsubscribe()
        return out
    finally:
        await nc.close()


def fetch_hits_sync(settings: Settings, durable: str, **kwargs) -> list[Delivered]:
    return asyncio.run(fetch_hits(settings, durable, **kwargs))
