"""Helpers for the NATS follow-up tests: a server process we can kill -9, manifests
with many hits, and reading everything a durable consumer receives."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from screening.client import Client
from screening.domain import Flight, Passenger, TravelDocument
from screening.followup.jetstream import Delivered, fetch_hits_sync
from screening.followup.nats_server import free_port
from screening.settings import Settings


def nats_settings(data_dir: Path, url: str, **overrides) -> Settings:
    # The follow-up semantics are under test here, not the trust layer (tests/e2e/test_trust):
    # servers run in the loopback development mode, plaintext without credentials.
    return Settings(data_dir=data_dir, port=0, followup_backend="nats", nats_url=url,
                    reload_interval_s=0, nats_retry_interval_s=0.2, auth="none",
                    **overrides).validate()


def manifest(n: int, size: int, *, hits_every: int = 2) -> tuple[Flight, list[Passenger]]:
    """Manifest `n`: every `hits_every`-th passenger carries a distinct lost document
    (a hit routed to ncb-ESP, the arrival bureau and operations); the others are clear."""
    flight = Flight(carrier="IB", flight_number=f"IB{6000 + n}", departure_airport="MAD",
                    arrival_airport="JFK", manifest_id=f"IB{6000 + n}-2026-11-23")
    people = []
    for i in range(size):
        if i % hits_every == 0:
            doc = TravelDocument(number=f"Z{10 + n * size + i:08d}", issuing_country="ESP")
            people.append(Passenger(ref=f"{n}-{i}", surname="PAX", document=doc))
        else:
            people.append(Passenger(ref=f"{n}-{i}", surname="CLEARMAN", given_names="NOBODY"))
    return flight, people


def hits_of(results) -> dict[tuple[str, str], str]:
    """(passenger ref, record id) -> follow-up id, for every match in the results."""
    return {(r.ref, m.record_id): m.follow_up_id for r in results for m in r.matches}


def read_all(settings: Settings, durable: str, *, expect: int | None = None,
             timeout: float = 20.0, **kwargs) -> list[Delivered]:
    """Everything the durable consumer receives (acknowledged). With `expect`, keep
    reading until that many arrived or `timeout` passed (a loaded machine may be slow),
    then once more to catch any extra."""
    got = fetch_hits_sync(settings, durable, idle_s=0.5, **kwargs)
    deadline = time.monotonic() + timeout
    while expect is not None and len(got) < expect and time.monotonic() < deadline:
        got += fetch_hits_sync(settings, durable, idle_s=0.5, **kwargs)
    if expect is not None and kwargs.get("ack", True):
        got += fetch_hits_sync(settings, durable, idle_s=0.2, **kwargs)
    return got


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(interval)


def copy_snapshot(src: Path, dst: Path) -> Path:
    """Another server's data folder with the same snapshot and no hit store."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("followup.duckdb*", "src"))
    return dst


class ServerProcess:
    """`screening serve` in its own process, so that a test can kill -9 it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ServerProcess:
        from screening.grpc.workers import settings_to_env

        env = {**os.environ, **settings_to_env(self.settings.with_overrides(port=self.port))}
        self.log = Path(self.settings.data_dir) / "server.log"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "screening", "serve"], env=env,
                                         stdout=subprocess.DEVNULL, stderr=log)
        with Client(self.target) as c:
            wait_until(lambda: c.is_serving() or self.proc.poll() is not None, timeout)
        if self.proc.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"server exited with code {self.proc.returncode}:\n{tail}")
        return self

    def kill(self) -> None:
        """kill -9: no shutdown code runs, the outbox and the store are left as they are."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
