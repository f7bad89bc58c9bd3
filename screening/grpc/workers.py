"""Several server processes on one port, so the GIL does not cap the service at one core.

The parent owns the follow-up store (served to the workers over a Unix socket, see
`screening.followup.shared`) and supervises N worker processes. Each worker is a full
gRPC server on the same port with SO_REUSEPORT: the kernel spreads connections across
them. All workers memory-map the same snapshot files, so the page cache holds one copy
of the data whatever the number of workers. Workers are spawned (not forked) so that no
gRPC or Numba state is shared across a fork.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import fields
from pathlib import Path

from screening import peer_screening, runtime
from screening.followup.backends import open_backend
from screening.followup.shared import serve_store
from screening.settings import ENV_PREFIX, Settings

_SOCKET_ENV = "SCREENING_WORKER_STORE_SOCKET"
_AUTHKEY_ENV = "SCREENING_WORKER_AUTHKEY"
READY = "SCREENING-WORKER-READY"


def settings_to_env(settings: Settings) -> dict[str, str]:
    """The settings as `SCREENING_*` variables, so a worker rebuilds exactly these."""
    env = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if isinstance(value, dict):
            value = ",".join(f"{k}={v}" for k, v in value.items())
        env[ENV_PREFIX + f.name.upper()] = str(value)
    return env


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Cluster:
    """A running parent: the store, its socket, and the worker processes."""

    def __init__(self, settings: Settings, workers: int, *, startup_timeout: float = 600) -> None:
        if workers < 1:
            raise ValueError("need at least one worker")
        port = settings.port or _free_port(settings.host)
        self.settings = settings.with_overrides(port=port)
        self.port = port
        self.store = open_backend(settings)  # the parent publishes, workers only add
        self._tmp = tempfile.mkdtemp(prefix="screening-")
        socket_path = Path(self._tmp) / "store.sock"
        authkey = os.urandom(32)
        self._store_server = serve_store(self.store, socket_path, authkey)
        # Workers lend each other their core (screening.peer_screening): a board of who is
        # busy, and one helper socket per worker.
        board = peer_screening.LoadBoard.create(Path(self._tmp) / "load-board", workers)
        helpers = [str(Path(self._tmp) / f"peer-{k}.sock") for k in range(workers)]
        env = {**os.environ, **settings_to_env(self.settings), _SOCKET_ENV: str(socket_path),
               _AUTHKEY_ENV: authkey.hex(), "PYTHONUNBUFFERED": "1",
               peer_screening.BOARD_ENV: str(board),
               peer_screening.PEERS_ENV: os.pathsep.join(helpers)}
        self.procs = [subprocess.Popen([sys.executable, "-m", "screening.grpc.workers"],
                                       env={**env, peer_screening.INDEX_ENV: str(k)},
                                       stdout=subprocess.PIPE, text=True)
                      for k in range(workers)]
        try:
            self._await_ready(startup_timeout)
        except BaseException:
            self.stop()
            raise

    def _await_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for proc in self.procs:
            while True:
                line = proc.stdout.readline()
                if line.startswith(READY):
                    break
                if not line and proc.poll() is not None:
                    raise RuntimeError(f"worker exited with code {proc.returncode}")
                if time.monotonic() > deadline:
                    raise TimeoutError("workers did not report ready in time")
            # keep draining the worker's stdout so it never blocks on a full pipe
            threading.Thread(target=lambda p=proc: [None for _ in p.stdout], daemon=True).start()

    def stop(self, grace: float = 5.0) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=grace + 10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._store_server.stop()
        self.store.close()


def serve_cluster(settings: Settings, workers: int) -> None:
    """Run N workers until SIGINT/SIGTERM."""
    cluster = Cluster(settings, workers)
    runtime.settle()  # this process serves the follow-up store to the workers
    print(f"screening: {workers} workers serving on {settings.host}:{cluster.port} "
          "(Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1.0):
        dead = [p for p in cluster.procs if p.poll() is not None]
        if dead:
            print(f"screening: a worker exited with code {dead[0].returncode}; stopping",
                  file=sys.stderr, flush=True)
            break
    cluster.stop()


def _lend_cores(service, authkey: bytes) -> None:
    """This worker's helper for its peers and its pool of peers (screening.peer_screening),
    when the cluster set them up."""
    found = peer_screening.from_env()
    if found is None:
        return
    board, addresses, me = found
    peer_screening.PeerHelper(addresses[me], authkey, lambda: service.engine, board)
    service.peers = peer_screening.PeerPool(
        board, [(k, a) for k, a in enumerate(addresses) if k != me], authkey)


def _worker_main() -> None:
    from screening.followup.shared import RemoteHitStore
    from screening.grpc.server import start_server
    from screening.settings import load_settings

    settings = load_settings()
    authkey = bytes.fromhex(os.environ[_AUTHKEY_ENV])
    store = RemoteHitStore(Path(os.environ[_SOCKET_ENV]), authkey)
    running = start_server(settings, store=store, reuse_port=True)
    _lend_cores(running.service, authkey)
    runtime.settle()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"{READY} {os.getpid()}", flush=True)
    stop.wait()
    running.stop(grace=2)
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: the server is stopped and the store lives in the parent;
    # teardown only makes native extensions print reference-leak noise.
    os._exit(0)


if __name__ == "__main__":
    _worker_main()
