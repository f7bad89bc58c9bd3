"""Concurrent partner checks screened together, on the server's event loop.

A partner check is one passenger, and screening one passenger alone pays every per-call cost
of the engine (normalising and keying the query, the kernels' set-up, the document lookups,
one follow-up store call) for a single name. The checks that reach a worker's event loop
together are screened as one batch, at most `max_batch`: under load the batches grow by
themselves and the per-call costs are shared; an idle server screens a check as soon as it
comes (a batch of one).

The batch is screened on the event loop's own thread. One Python thread then does all of a
worker's per-call work (decoding, the trust layer, screening, encoding) with no other thread
competing with it for the GIL: in the thread-per-call server before it, the screening thread
spent 1.5 to 3 times the CPU that the same batches cost alone (bench/results/targets.md,
`bench.scale.contention`). A batch whose results carry hits goes to one finishing thread,
which persists them (a store round trip) while the loop goes on; a batch without hits is
answered at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

from screening.errors import Unavailable

Item = TypeVar("Item")
Result = TypeVar("Result")

# Under load (a batch was screened less than BUSY_WINDOW_S ago), the loop waits LINGER_S
# before screening so that the checks arriving meanwhile join the batch; a check on an idle
# server is screened at once. On a loop, checks arrive one turn at a time, so screening at once
# makes batches of one: the grpc.aio prototype's runs (bench/results/targets.md) had batches
# of 1.1 screening at once and 5.7 to 6.2 after 1 ms, 1,122 against 1,870 checks/s.
LINGER_S = 0.001
BUSY_WINDOW_S = 0.01


class CheckBatcher(Generic[Item, Result]):
    """`await submit(item)` (from coroutines on one event loop) returns once `run(batch)`,
    called on the loop's thread with the items queued meanwhile in arrival order, has
    returned, and then, when `needs_finish(results)`, once `finish(batch, results)` has run on
    the finishing thread (batch after batch, in order). `run` returns one result per item; an
    exception from either reaches every caller of that batch and no other."""

    def __init__(self, run: Callable[[list[Item]], list[Result]], max_batch: int = 64,
                 finish: Callable[[list[Item], list[Result]], None] | None = None,
                 needs_finish: Callable[[list[Result]], bool] = lambda results: True,
                 linger_s: float = LINGER_S, busy_window_s: float = BUSY_WINDOW_S) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be positive")
        self._run = run
        self._finish = finish
        self._needs_finish = needs_finish
        self._max = max_batch
        self._linger = linger_s
        self._busy_window = busy_window_s
        self._last_drain = float("-inf")  # loop time
        self._queue: list[tuple[Item, asyncio.Future]] = []
        self._scheduled = False
        self._closed = False
        self._finisher = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="check-finisher")
                          if finish is not None else None)

    async def submit(self, item: Item) -> Result:
        if self._closed:
            raise Unavailable("the server is shutting down")
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.append((item, future))
        if not self._scheduled:
            self._scheduled = True
            if loop.time() - self._last_drain < self._busy_window:
                loop.call_later(self._linger, self._drain, loop)
            else:
                loop.call_soon(self._drain, loop)
        return await future

    def close(self) -> None:
        """Refuse new checks; wait for the batches being finished."""
        self._closed = True
        if self._finisher is not None:
            self._finisher.shutdown(wait=True)

    def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        self._scheduled = False
        while self._queue:
            batch = self._queue[: self._max]
            del self._queue[: self._max]
            try:
                results = self._run([item for item, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"{len(results)} results for {len(batch)} checks")
            except BaseException as exc:  # noqa: BLE001 - handed to every caller
                _fail(batch, exc)
                continue
            if self._finisher is not None and self._needs_finish(results):
                self._finisher.submit(self._finish_batch, loop, batch, results)
            else:
                _answer(batch, results)
        self._last_drain = loop.time()

    def _finish_batch(self, loop: asyncio.AbstractEventLoop, batch: list, results: list) -> None:
        assert self._finish is not None
        try:
            self._finish([item for item, _ in batch], results)
        except BaseException as exc:  # noqa: BLE001 - handed to every caller
            loop.call_soon_threadsafe(_fail, batch, exc)
            return
        loop.call_soon_threadsafe(_answer, batch, results)


def _answer(batch: list[tuple[Item, asyncio.Future]], results: list) -> None:
    for (_, future), result in zip(batch, results, strict=True):
        if not future.done():  # a caller that gave up (cancelled) has no one to answer
            future.set_result(result)


def _fail(batch: list[tuple[Item, asyncio.Future]], exc: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)
