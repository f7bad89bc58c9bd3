"""Worker processes lend each other their core: a batch screened where the core is idle.

SO_REUSEPORT places connections, not work. A regional centre streams its manifests over one
connection, so one worker screens them all while the other may sit idle (on the load
benchmark, 4 centres' connections all landed on one worker in 2 of 6 runs). Here a worker
about to screen a large batch sends a share of it to a less busy peer (half when both are
otherwise idle, more the busier this one is: peer_share) and screens the rest meanwhile.

- `LoadBoard`: one counter per worker in a small shared file (each worker writes only its
  own): how many screenings it runs now. Idle means 0.
- `PeerHelper`: a thread per worker that screens what peers send, on its own engine.
- `PeerPool.screen`: the caller's side. The peer answers only on the same snapshot version
  (live changes included), or not at all: then, or when the peer fails or is gone, the
  caller screens that share itself. Hits are persisted by the caller, as before.

The shares travel pickled over an authenticated Unix socket (multiprocessing.connection):
a few µs a passenger, against some 250 µs to screen one.
"""

from __future__ import annotations

import logging
import mmap
import os
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path

from screening.domain import Passenger, PassengerResult

log = logging.getLogger(__name__)

# Below this many passengers a batch is screened where it is (partner checks, small parts):
# halving it would save less than the round trip costs.
PEER_MIN_BATCH = 32
# How long a caller waits for its peer's share before screening it itself.
PEER_TIMEOUT_S = 30.0
# Requests one worker may have in flight on one peer (one connection each).
PEER_MAX_REQUESTS = 4
_SLOT = struct.Struct("<i")
# What the cluster (screening.grpc.workers) tells each worker: the board, every worker's
# helper address, and which worker it is.
BOARD_ENV = "SCREENING_WORKER_BOARD"
PEERS_ENV = "SCREENING_WORKER_PEERS"
INDEX_ENV = "SCREENING_WORKER_INDEX"


class LoadBoard:
    """Per worker, the screenings it runs now, in a file every worker maps (see module)."""

    def __init__(self, path: Path, workers: int, me: int) -> None:
        if not 0 <= me < workers:
            raise ValueError(f"worker {me} of {workers}")
        self.workers, self.me = workers, me
        with open(path, "r+b") as f:
            self._map = mmap.mmap(f.fileno(), workers * _SLOT.size)
        self._lock = threading.Lock()  # this process's threads share its slot

    @staticmethod
    def create(path: Path, workers: int) -> Path:
        """A board of `workers` idle slots at `path`."""
        Path(path).write_bytes(bytes(workers * _SLOT.size))
        return Path(path)

    def running(self, worker: int) -> int:
        return _SLOT.unpack_from(self._map, worker * _SLOT.size)[0]

    @contextmanager
    def busy(self) -> Iterator[None]:
        """Counts this worker busy for the block."""
        self._add(1)
        try:
            yield
        finally:
            self._add(-1)

    def _add(self, n: int) -> None:
        with self._lock:  # only this process writes its slot
            _SLOT.pack_into(self._map, self.me * _SLOT.size, self.running(self.me) + n)


class PeerHelper:
    """Screens peers' shares on this worker's engine (`engine_of()`, read per request so a
    swapped snapshot is used at once). One thread per connection."""

    def __init__(self, address: Path, authkey: bytes, engine_of: Callable[[], object],
                 board: LoadBoard) -> None:
        self._engine_of, self._board = engine_of, board
        if Path(address).exists():
            Path(address).unlink()
        self._listener = Listener(str(address), family="AF_UNIX", authkey=authkey)
        self.screened = 0  # passengers screened for peers (tests, diagnostics)
        threading.Thread(target=self._accept, name="peer-helper", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn = self._listener.accept()
            except OSError:
                return  # closed
            except Exception:  # noqa: BLE001 - a peer that fails the handshake is not served
                log.warning("peer connection refused", exc_info=True)
                continue
            threading.Thread(target=self._serve, args=(conn,), name="peer-helper-conn",
                             daemon=True).start()

    def _serve(self, conn: Connection) -> None:
        with conn:
            while True:
                try:
                    version, passengers = conn.recv()
                except (EOFError, OSError):
                    return
                try:
                    conn.send(self._answer(version, passengers))
                except (BrokenPipeError, OSError):
                    return  # the caller gave up waiting and closed: it screened it itself

    def _answer(self, version: str, passengers: list[Passenger]) -> tuple[str, object]:
        try:
            engine = self._engine_of()
            if engine.version != version:
                return "version", engine.version
            with self._board.busy():
                results = engine.screen(passengers)
        except Exception as exc:  # noqa: BLE001 - the caller screens it itself
            log.exception("screening a peer's batch failed")
            return "error", repr(exc)
        self.screened += len(passengers)
        return "ok", results


class _Peer:
    """One peer seen from here: a few connections, one request in flight on each."""

    def __init__(self, index: int, address: Path, authkey: bytes, max_requests: int) -> None:
        self.index, self.address, self.authkey = index, str(address), authkey
        self._idle: list[Connection] = []
        self._out = 0  # connections lent to callers
        self._max = max_requests
        self._lock = threading.Lock()

    def take(self) -> Connection | None:
        """A connection for one request (a kept one, or a new one while fewer than
        max_requests are out), or None."""
        with self._lock:
            if self._out >= self._max:
                return None
            self._out += 1
            if self._idle:
                return self._idle.pop()
        try:
            return Client(self.address, family="AF_UNIX", authkey=self.authkey)
        except Exception:  # noqa: BLE001 - a peer that is gone or restarting: not now
            self.give_back(None)
            return None

    def give_back(self, conn: Connection | None) -> None:
        """Return a connection after its answer was read; None: it was dropped."""
        with self._lock:
            self._out -= 1
            if conn is not None:
                self._idle.append(conn)


def _ask(conn: Connection, version: str, passengers: list[Passenger]) -> bool:
    try:
        conn.send((version, passengers))
        return True
    except Exception:  # noqa: BLE001
        return False


def _receive(conn: Connection, timeout: float) -> list[PassengerResult] | None:
    """The peer's results, or None (it declined, failed, or did not answer in time)."""
    try:
        if not conn.poll(timeout):
            return None
        status, payload = conn.recv()
    except Exception:  # noqa: BLE001
        return None
    return payload if status == "ok" else None


def peer_share(mine: int, theirs: int) -> float:
    """The share of a batch to send to a peer running `theirs` screenings when this worker
    runs `mine` (this one included): half between two otherwise idle workers, more the busier
    this one is against the peer, none once the peer is as busy. A worker receiving every
    stream of a connection then hands most of each batch to the idle core."""
    if theirs >= mine:
        return 0.0
    return (mine - theirs) / (mine + 1)


class PeerPool:
    """This worker's side: screen a batch here, or share it with a less busy peer."""

    def __init__(self, board: LoadBoard, peers: Sequence[tuple[int, Path]], authkey: bytes,
                 *, min_batch: int = PEER_MIN_BATCH, timeout: float = PEER_TIMEOUT_S,
                 max_requests: int = PEER_MAX_REQUESTS) -> None:
        self.board = board
        self._peers = [_Peer(i, address, authkey, max_requests) for i, address in peers]
        self.min_batch, self.timeout = min_batch, timeout
        self.lent = 0  # passengers a peer screened for this worker (tests, diagnostics)

    def screen(self, engine, passengers: list[Passenger]) -> list[PassengerResult]:
        """engine.screen(passengers), a share of it on a less busy peer when there is one."""
        with self.board.busy():
            if len(passengers) < self.min_batch or not self._peers:
                return engine.screen(passengers)
            mine = self.board.running(self.board.me)
            peer = min(self._peers, key=lambda p: self.board.running(p.index))
            n_theirs = int(round(len(passengers) * peer_share(
                mine, self.board.running(peer.index))))
            if n_theirs < self.min_batch // 2:
                return engine.screen(passengers)
            conn = peer.take()
            if conn is None:
                return engine.screen(passengers)
            cut = len(passengers) - n_theirs
            here, theirs = passengers[:cut], passengers[cut:]
            if not _ask(conn, engine.version, theirs):
                peer.give_back(_closed(conn))
                return engine.screen(passengers)
            try:
                results = engine.screen(here)
            except BaseException:
                peer.give_back(_closed(conn))  # its answer would be read as the next one's
                raise
            lent = _receive(conn, self.timeout)
            if lent is None or len(lent) != len(theirs):
                peer.give_back(_closed(conn))  # a late answer must not be read later
                lent = engine.screen(theirs)
            else:
                peer.give_back(conn)
                self.lent += len(theirs)
            return results + lent


def _closed(conn: Connection) -> None:
    try:
        conn.close()
    except OSError:
        pass
    return None


def from_env(env: dict[str, str] | None = None) -> tuple[LoadBoard, list[Path], int] | None:
    """The cluster's board, every worker's helper address and this worker's index, from the
    variables the cluster sets (screening.grpc.workers), or None outside a cluster."""
    env = os.environ if env is None else env
    if not env.get(BOARD_ENV):
        return None
    addresses = [Path(a) for a in env[PEERS_ENV].split(os.pathsep) if a]
    me = int(env[INDEX_ENV])
    return LoadBoard(Path(env[BOARD_ENV]), len(addresses), me), addresses, me

