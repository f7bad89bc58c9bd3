"""Workers lend each other their core (screening.peer_screening): over a real Unix socket, a
large batch is split with an idle peer on the same version, and screened here otherwise."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from screening.peer_screening import LoadBoard, PeerHelper, PeerPool, from_env, peer_share

KEY = os.urandom(16)


class Tagged:
    """Stands in for the engine: each passenger's result says which worker screened it."""

    def __init__(self, tag: str, version: str = "v1", fail: bool = False) -> None:
        self.tag, self.version, self.fail = tag, version, fail
        self.calls: list[int] = []

    def screen(self, passengers: list) -> list:
        if self.fail:
            raise RuntimeError("engine down")
        self.calls.append(len(passengers))
        return [(self.tag, p) for p in passengers]


class Held(Tagged):
    """A peer's engine that screens only once `release` is set."""

    def __init__(self, tag: str, release: threading.Event) -> None:
        super().__init__(tag)
        self.release = release

    def screen(self, passengers: list) -> list:
        self.release.wait(5)
        return super().screen(passengers)


def pair(tmp_path: Path, here: Tagged, there: Tagged | None,
         **kw) -> tuple[PeerPool, PeerHelper | None]:
    board = LoadBoard.create(tmp_path / "board", 2)
    helper = None
    address = tmp_path / "peer-1.sock"
    if there is not None:
        helper = PeerHelper(address, KEY, lambda: there, LoadBoard(board, 2, 1))
    return PeerPool(LoadBoard(board, 2, 0), [(1, address)], KEY, **kw), helper


def test_a_large_batch_is_split_with_an_idle_peer_in_order(tmp_path: Path) -> None:
    here, there = Tagged("A"), Tagged("B")
    pool, helper = pair(tmp_path, here, there, min_batch=4)
    got = pool.screen(here, list(range(10)))
    assert got == [("A", i) for i in range(5)] + [("B", i) for i in range(5, 10)]
    assert pool.lent == 5 and helper.screened == 5
    # the connection is kept for the next batch
    assert pool.screen(here, list(range(6))) == [("A", 0), ("A", 1), ("A", 2),
                                                  ("B", 3), ("B", 4), ("B", 5)]
    assert pool.board.running(0) == 0 and pool.board.running(1) == 0


def test_a_busier_caller_sends_a_larger_share() -> None:
    assert peer_share(1, 0) == 0.5  # two otherwise idle workers: half each
    assert peer_share(4, 0) == 0.8  # four streams here, none there
    assert peer_share(3, 1) == 0.5
    assert peer_share(2, 2) == 0.0 and peer_share(1, 3) == 0.0


def test_a_worker_busy_with_other_screenings_lends_most_of_a_batch(tmp_path: Path) -> None:
    here, there = Tagged("A"), Tagged("B")
    pool, _ = pair(tmp_path, here, there, min_batch=4)
    with pool.board.busy(), pool.board.busy(), pool.board.busy():  # three other streams
        got = pool.screen(here, list(range(10)))
    assert got == [("A", 0), ("A", 1)] + [("B", i) for i in range(2, 10)]


def test_requests_in_flight_on_a_peer_are_bounded(tmp_path: Path) -> None:
    release = threading.Event()
    here = Tagged("A")
    pool, _ = pair(tmp_path, here, Held("B", release), min_batch=4, max_requests=1)
    got: list = []
    first = threading.Thread(target=lambda: got.append(pool.screen(here, list(range(8)))))
    first.start()
    while not pool.board.running(1):  # the peer holds the first request
        threading.Event().wait(0.01)
    # the one connection to the peer is out: screened here
    assert pool.screen(here, list(range(8))) == [("A", i) for i in range(8)]
    release.set()
    first.join()
    assert got[0] == [("A", i) for i in range(4)] + [("B", i) for i in range(4, 8)]


def test_small_batches_busy_peers_and_other_versions_stay_here(tmp_path: Path) -> None:
    here, there = Tagged("A"), Tagged("B")
    pool, _ = pair(tmp_path, here, there, min_batch=4)
    assert pool.screen(here, [1, 2, 3]) == [("A", 1), ("A", 2), ("A", 3)]
    peer_board = LoadBoard(tmp_path / "board", 2, 1)
    with peer_board.busy():
        assert pool.board.running(1) == 1
        assert pool.screen(here, list(range(8))) == [("A", i) for i in range(8)]
    there.version = "v2"  # the peer swapped snapshots: its answer would mix versions
    assert pool.screen(here, list(range(8))) == [("A", i) for i in range(8)]
    assert there.calls == [] and pool.lent == 0


def test_a_failing_or_missing_peer_costs_nothing_but_time(tmp_path: Path) -> None:
    here = Tagged("A")
    pool, _ = pair(tmp_path, here, Tagged("B", fail=True), min_batch=4)
    assert pool.screen(here, list(range(8))) == [("A", i) for i in range(8)]
    gone = tmp_path / "gone"
    gone.mkdir()
    pool, _ = pair(gone, here, None, min_batch=4)
    assert pool.screen(here, list(range(8))) == [("A", i) for i in range(8)]
    assert pool.lent == 0


def test_a_peer_that_does_not_answer_in_time_is_dropped(tmp_path: Path) -> None:
    release = threading.Event()
    here = Tagged("A")
    pool, _ = pair(tmp_path, here, Held("B", release), min_batch=4, timeout=0.2)
    assert pool.screen(here, list(range(8))) == [("A", i) for i in range(8)]
    release.set()
    while pool.board.running(1):  # the peer finishes the abandoned half, then is idle
        threading.Event().wait(0.01)
    # the late answer is not read as the next batch's: a new connection
    got = pool.screen(here, list(range(8)))
    assert got == [("A", i) for i in range(4)] + [("B", i) for i in range(4, 8)]


def test_the_board_counts_each_workers_screenings(tmp_path: Path) -> None:
    path = LoadBoard.create(tmp_path / "board", 3)
    a, b = LoadBoard(path, 3, 0), LoadBoard(path, 3, 2)
    with a.busy(), a.busy():
        assert b.running(0) == 2 and b.running(1) == 0 and b.running(2) == 0
    assert b.running(0) == 0
    with pytest.raises(ValueError):
        LoadBoard(path, 3, 3)


def test_the_cluster_variables_give_the_board_and_the_helpers(tmp_path: Path) -> None:
    path = LoadBoard.create(tmp_path / "board", 2)
    env = {"SCREENING_WORKER_BOARD": str(path), "SCREENING_WORKER_INDEX": "1",
           "SCREENING_WORKER_PEERS": os.pathsep.join(["/x/peer-0.sock", "/x/peer-1.sock"])}
    board, addresses, me = from_env(env)
    assert me == 1 and addresses == [Path("/x/peer-0.sock"), Path("/x/peer-1.sock")]
    assert board.workers == 2
    assert from_env({}) is None
