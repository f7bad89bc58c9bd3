"""One hit store shared by several server processes.

DuckDB allows one writing process, and the queue must see every hit exactly once, so
the parent process owns the store and worker processes call it through a
`multiprocessing` manager on a Unix socket (authenticated with a per-run key). Each call
is synchronous: a worker's `add` returns only once the parent has committed, so "a hit
is durable before the answer leaves" holds across processes too.
"""

from __future__ import annotations

import threading
from multiprocessing.managers import BaseManager
from pathlib import Path

from screening.followup.store import DuckDBHitStore


class _StoreManager(BaseManager):
    pass


# Methods a worker may call; `close` stays with the owner.
_EXPOSED = ("add", "add_ids", "get", "list", "update", "wait_for_new", "query", "end_position")


class StoreServer:
    """Serves one store on a Unix socket from a daemon thread of the owning process."""

    def __init__(self, store: DuckDBHitStore, socket_path: Path, authkey: bytes) -> None:
        self.socket_path = Path(socket_path)
        if self.socket_path.exists():
            self.socket_path.unlink()
        self._served = [store]
        _StoreManager.register("store", callable=lambda: self._served[0], exposed=_EXPOSED)
        self._server = _StoreManager(address=str(self.socket_path), authkey=authkey).get_server()
        self._thread = threading.Thread(target=self._serve, name="hit-store", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self._server.serve_forever()
        except SystemExit:  # serve_forever ends with sys.exit(0), meant for a process
            pass

    def stop(self) -> None:
        """Stop serving and drop every reference to the store, so it can close cleanly."""
        self._server.stop_event.set()
        self._server.id_to_obj.clear()
        self._served.clear()
        _StoreManager._registry.pop("store", None)
        self._thread.join(timeout=5)  # the listener's finalizer removes the socket file


def serve_store(store: DuckDBHitStore, socket_path: Path, authkey: bytes) -> StoreServer:
    return StoreServer(store, socket_path, authkey)


class RemoteHitStore:
    """The store of the parent process, seen from a worker. Same interface as
    `DuckDBHitStore`; one connection per thread, as manager proxies are not thread-safe."""

    def __init__(self, socket_path: Path, authkey: bytes) -> None:
        self._address = str(socket_path)
        self._authkey = authkey
        self._local = threading.local()
        if "store" not in _StoreManager._registry:
            _StoreManager.register("store", exposed=_EXPOSED)
        self._proxy()  # fail now, not on the first hit, if the owner is unreachable

    def _proxy(self):
        proxy = getattr(self._local, "proxy", None)
        if proxy is None:
            manager = _StoreManager(address=self._address, authkey=self._authkey)
            manager.connect()
            proxy = manager.store()
            self._local.proxy = proxy
        return proxy

    def add(self, hits):
        if not hits:  # most batches have no hit: no round trip to the owner for nothing
            return []
        return self._proxy().add(hits)

    def add_ids(self, hits):
        if not hits:
            return []
        return self._proxy().add_ids(hits)

    def get(self, item_id):
        return self._proxy().get(item_id)

    def list(self, *, status=None, after_position=0, limit=100, recipient="", max_priority=0):
        return self._proxy().list(status=status, after_position=after_position, limit=limit,
                                  recipient=recipient, max_priority=max_priority)

    def update(self, item_id, status, *, by, note=""):
        return self._proxy().update(item_id, status, by=by, note=note)

    def wait_for_new(self, after_position, timeout):
        return self._proxy().wait_for_new(after_position, timeout)

    def end_position(self):
        return self._proxy().end_position()

    def query(self, sql):
        return self._proxy().query(sql)

    def close(self) -> None:
        """The owner closes the store; a worker only drops its connections."""
        self._local = threading.local()
