"""The gRPC server: services, health (SERVING only once data is loaded and kernels
compiled), reflection, graceful stop.

It is a `grpc.aio` server on an event loop of its own thread. Partner checks are coroutines
on that loop, screened there in batches (screening.check_batcher), so that no other Python
thread competes with the screening for the GIL; every other handler is a plain function run on
the server's thread pool (grpc.aio's migration pool), as on a threaded server.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from collections.abc import Coroutine
from concurrent import futures
from typing import Any, TypeVar

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from screening import runtime
from screening.followup import HitStore
from screening.grpc.servicers import FollowUpServicer, ScreeningServicer, WatchlistsServicer
from screening.grpc.status import DecodeGuard
from screening.pb import screening_pb2 as pb
from screening.pb import screening_pb2_grpc as pb_grpc
from screening.security import transport
from screening.service import ScreeningService
from screening.settings import Settings

log = logging.getLogger(__name__)

SERVICE_NAMES = tuple(pb.DESCRIPTOR.services_by_name[n].full_name
                      for n in ("Screening", "FollowUp", "Watchlists"))


T = TypeVar("T")


class EventLoopThread:
    """An asyncio event loop running on a daemon thread; `run` executes a coroutine on it
    from any other thread and returns its result. grpc.aio objects must be made and used on
    the loop's thread, so the server is built in a coroutine run here."""

    def __init__(self, name: str = "grpc-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


class RunningServer:
    def __init__(self, server: grpc.aio.Server, loop: EventLoopThread,
                 pool: futures.ThreadPoolExecutor, service: ScreeningService,
                 health_servicer: health.aio.HealthServicer, port: int) -> None:
        self.server = server
        self.loop = loop
        self._pool = pool
        self.service = service
        self.health = health_servicer
        self.port = port
        self._stopping = threading.Event()

    def set_serving(self, serving: bool) -> None:
        status = (health_pb2.HealthCheckResponse.SERVING if serving
                  else health_pb2.HealthCheckResponse.NOT_SERVING)
        async def set_all() -> None:
            for name in ("", *SERVICE_NAMES):
                await self.health.set(name, status)
        self.loop.run(set_all())

    def watch_for_new_versions(self, interval: float) -> None:
        """Swap in a newer snapshot (named in CURRENT by a later `screening load`) while
        serving. The new version is opened and warmed before the swap."""
        def loop() -> None:
            while not self._stopping.wait(interval):
                try:
                    if self.service.has_newer_snapshot():
                        snap = self.service.load()
                        log.info("swapped in snapshot %s", snap.version)
                except Exception:  # noqa: BLE001 - keep serving the current version
                    log.exception("could not load the newer snapshot; still serving the old one")
        threading.Thread(target=loop, name="snapshot-watch", daemon=True).start()

    def stop(self, grace: float = 5.0) -> None:
        self._stopping.set()
        self.set_serving(False)
        self.loop.run(self.server.stop(grace))
        # Handlers still running on the pool end now that their calls have (a StreamHits
        # follower sees it within its 0.5 s wait); the loop must outlive them, since their
        # last messages and aborts go through it.
        self._pool.shutdown(wait=True)
        self.service.close()
        self.loop.close()


def start_server(settings: Settings, *, store: HitStore | None = None,
                 reuse_port: bool = False) -> RunningServer:
    """Bind, start answering health checks (NOT_SERVING), load and warm the snapshot,
    then report SERVING. Returns once serving. Worker processes pass the parent's
    `store` and `reuse_port` so that several processes share one port."""
    transport.check_exposure(settings)
    service = ScreeningService(settings, store)
    loop = EventLoopThread()
    try:
        pool = futures.ThreadPoolExecutor(max_workers=settings.grpc_threads,
                                          thread_name_prefix="grpc")
        server, health_servicer, port = loop.run(_build(settings, service, pool, reuse_port))
    except BaseException:
        loop.close()
        service.close()
        raise
    running = RunningServer(server, loop, pool, service, health_servicer, port)
    running.set_serving(False)
    t0 = time.perf_counter()
    try:
        snapshot = service.load()
    except BaseException:
        running.stop(0)
        raise
    running.set_serving(True)
    if settings.reload_interval_s:
        running.watch_for_new_versions(settings.reload_interval_s)
    if settings.delta_poll_s:
        service.live.watch(settings.delta_poll_s, running._stopping)
    if settings.retention_interval_s and store is None:  # this process owns the store
        from screening.audit.retention import purge_periodically

        purge_periodically(service.store, settings.audit_path, settings.retention_days,
                           settings.retention_interval_s, running._stopping)
    log.info("SERVING on %s:%d, snapshot %s ready in %.1f s", settings.host, port,
             snapshot.version, time.perf_counter() - t0)
    return running


async def _build(settings: Settings, service: ScreeningService,
                 pool: futures.ThreadPoolExecutor, reuse_port: bool
                 ) -> tuple[grpc.aio.Server, health.aio.HealthServicer, int]:
    """The started server (on the running loop), its health servicer and its port. `pool`
    runs the plain (not coroutine) handlers."""
    server = grpc.aio.server(
        migration_thread_pool=pool,
        options=[
            ("grpc.max_receive_message_length", settings.max_message_bytes),
            ("grpc.max_send_message_length", settings.max_message_bytes),
            ("grpc.so_reuseport", 1 if reuse_port else 0),
        ],
        # the trust layer first, then the guard against requests that do not parse
        interceptors=[*transport.interceptors(settings, service), DecodeGuard()],
    )
    pb_grpc.add_ScreeningServicer_to_server(ScreeningServicer(service, pool), server)
    pb_grpc.add_FollowUpServicer_to_server(FollowUpServicer(service, pool), server)
    pb_grpc.add_WatchlistsServicer_to_server(WatchlistsServicer(service), server)
    # the asyncio one: a Watch is a coroutine, which ends with its call (a plain handler on
    # the pool would not see its client go)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (*SERVICE_NAMES, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
         reflection.SERVICE_NAME), server)
    address = f"{settings.host}:{settings.port}"
    credentials = transport.server_credentials(settings)
    port = (server.add_secure_port(address, credentials) if credentials is not None
            else server.add_insecure_port(address))
    if port == 0:
        raise OSError(f"cannot bind {settings.host}:{settings.port}")
    await server.start()
    return server, health_servicer, port


def serve(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM."""
    running = start_server(settings)
    runtime.settle()
    print(f"screening: serving {running.service.engine.version} on "
          f"{settings.host}:{running.port} (Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    print("screening: stopping", flush=True)
    running.stop()
