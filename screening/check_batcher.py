"""Concurrent partner checks screened together.

A partner check is one passenger, and screening one passenger alone pays every per-call cost
of the engine (normalising and keying the query, the kernels' set-up, the document lookups,
one follow-up store call) for a single name. The gRPC threads of a worker hand their checks
to one screening thread instead, which takes whatever has queued up meanwhile, at most
`max_batch`, as one batch: under load the batches grow by themselves and the per-call costs
are shared; an idle server screens each check as soon as it comes (a batch of one), so
batching adds no waiting. One screening thread per process is enough: the kernels run on
one core, and the service runs one process per core.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

from screening.errors import Unavailable

Item = TypeVar("Item")
Result = TypeVar("Result")


class CheckBatcher(Generic[Item, Result]):
    """`submit(item)` blocks until `run(batch)` (called on the screening thread, with the
    items queued meanwhile, in arrival order) returns, and then, if given, `finish(batch,
    results)`; `run` returns one result per item. An exception from either reaches every
    caller of that batch.

    `finish` (persisting the batch's hits) runs on a second thread, batch after batch in
    order, so that the screening thread goes on with the next batch meanwhile: while one
    batch waits for the follow-up store, the next is screened."""

    def __init__(self, run: Callable[[list[Item]], list[Result]], max_batch: int = 64,
                 finish: Callable[[list[Item], list[Result]], None] | None = None) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be positive")
        self._run = run
        self._finish = finish
        self._max = max_batch
        self._cond = threading.Condition()
        self._queue: list[tuple[Item, Future]] = []
        self._closed = False
        self._threads: list[threading.Thread] = []
        self._pid = 0
        # screened batches waiting for `finish`; None tells the finishing thread to stop
        self._finishing: queue.SimpleQueue = queue.SimpleQueue()

    def submit(self, item: Item) -> Result:
        future: Future = Future()
        with self._cond:
            if self._closed:
                raise Unavailable("the server is shutting down")
            # Started on first use, in the process that uses it: a worker forked from a
            # parent that built the service would not inherit the parent's threads.
            if not self._threads or self._pid != os.getpid():
                self._start()
            self._queue.append((item, future))
            self._cond.notify()
        return future.result()

    def _start(self) -> None:
        self._pid = os.getpid()
        self._finishing = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._loop, name="check-batcher", daemon=True)]
        if self._finish is not None:
            self._threads.append(threading.Thread(target=self._finish_loop,
                                                  name="check-finisher", daemon=True))
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        """Screen (and finish) what is queued, then stop; later submits raise Unavailable."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            threads = self._threads if self._pid == os.getpid() else []
        for thread in threads:
            thread.join(timeout=30)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    self._finishing.put(None)
                    return
                batch = self._queue[: self._max]
                del self._queue[: self._max]
            try:
                results = self._run([item for item, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"{len(results)} results for {len(batch)} checks")
            except BaseException as exc:  # noqa: BLE001 - handed to every caller
                _fail(batch, exc)
                continue
            if self._finish is None:
                _answer(batch, results)
            else:
                self._finishing.put((batch, results))

    def _finish_loop(self) -> None:
        assert self._finish is not None
        while (work := self._finishing.get()) is not None:
            batch, results = work
            try:
                self._finish([item for item, _ in batch], results)
            except BaseException as exc:  # noqa: BLE001 - handed to every caller
                _fail(batch, exc)
                continue
            _answer(batch, results)


def _answer(batch: list[tuple[Item, Future]], results: list) -> None:
    for (_, future), result in zip(batch, results, strict=True):
        future.set_result(result)


def _fail(batch: list[tuple[Item, Future]], exc: BaseException) -> None:
    for _, future in batch:
        future.set_exception(exc)
