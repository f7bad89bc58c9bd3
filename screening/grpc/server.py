"""The gRPC server: services, health (SERVING only once data is loaded and kernels
compiled), reflection, graceful stop."""

from __future__ import annotations

import logging
import signal
import threading
import time
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from screening import runtime
from screening.followup import HitStore
from screening.grpc.servicers import FollowUpServicer, ScreeningServicer, WatchlistsServicer
from screening.pb import screening_pb2 as pb
from screening.pb import screening_pb2_grpc as pb_grpc
from screening.security import transport
from screening.service import ScreeningService
from screening.settings import Settings

log = logging.getLogger(__name__)

SERVICE_NAMES = tuple(pb.DESCRIPTOR.services_by_name[n].full_name
                      for n in ("Screening", "FollowUp", "Watchlists"))


class RunningServer:
    def __init__(self, server: grpc.Server, service: ScreeningService,
                 health_servicer: health.HealthServicer, port: int) -> None:
        self.server = server
        self.service = service
        self.health = health_servicer
        self.port = port
        self._stopping = threading.Event()

    def set_serving(self, serving: bool) -> None:
        status = (health_pb2.HealthCheckResponse.SERVING if serving
                  else health_pb2.HealthCheckResponse.NOT_SERVING)
        for name in ("", *SERVICE_NAMES):
            self.health.set(name, status)

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
        self.server.stop(grace).wait()
        self.service.close()


def start_server(settings: Settings, *, store: HitStore | None = None,
                 reuse_port: bool = False) -> RunningServer:
    """Bind, start answering health checks (NOT_SERVING), load and warm the snapshot,
    then report SERVING. Returns once serving. Worker processes pass the parent's
    `store` and `reuse_port` so that several processes share one port."""
    transport.check_exposure(settings)
    service = ScreeningService(settings, store)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=settings.grpc_threads,
                                   thread_name_prefix="grpc"),
        options=[
            ("grpc.max_receive_message_length", settings.max_message_bytes),
            ("grpc.max_send_message_length", settings.max_message_bytes),
            ("grpc.so_reuseport", 1 if reuse_port else 0),
        ],
        interceptors=transport.interceptors(settings, service),
    )
    pb_grpc.add_ScreeningServicer_to_server(ScreeningServicer(service), server)
    pb_grpc.add_FollowUpServicer_to_server(FollowUpServicer(service), server)
    pb_grpc.add_WatchlistsServicer_to_server(WatchlistsServicer(service), server)
    health_servicer = health.HealthServicer()
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
    running = RunningServer(server, service, health_servicer, port)
    running.set_serving(False)
    server.start()
    t0 = time.perf_counter()
    try:
        snapshot = service.load()
    except BaseException:
        server.stop(0)
        service.close()
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
