"""Concurrent checks are screened together on the event loop, each caller gets its own
result, a failure reaches the callers of that batch only, and only batches that need it wait
for the finishing thread."""

from __future__ import annotations

import asyncio
import threading

import pytest

from screening.check_batcher import CheckBatcher
from screening.errors import Unavailable


def test_each_caller_gets_its_own_result_and_load_forms_batches() -> None:
    sizes: list[int] = []

    def run(items: list[int]) -> list[int]:
        sizes.append(len(items))
        return [i * i for i in items]

    async def main() -> None:
        batcher = CheckBatcher(run, max_batch=8)
        # 200 callers at once: the checks queued before the loop screens form batches
        got = await asyncio.gather(*(batcher.submit(i) for i in range(200)))
        assert got == [i * i for i in range(200)]
        assert sum(sizes) == 200 and max(sizes) == 8  # batches formed, never above max_batch
        assert len(sizes) < 200 / 2
        # Idle: a lone check is screened alone.
        sizes.clear()
        await asyncio.sleep(0.01)
        assert await batcher.submit(7) == 49 and sizes == [1]
        batcher.close()

    asyncio.run(main())


def test_under_load_the_loop_lingers_for_more_checks_and_idle_it_does_not() -> None:
    sizes: list[int] = []

    async def main() -> None:
        batcher = CheckBatcher(lambda items: sizes.append(len(items)) or items, max_batch=64,
                               linger_s=0.05, busy_window_s=0.03)
        # Idle (no batch screened lately): a check is screened at the next turn of the loop.
        assert await batcher.submit(0) == 0 and sizes == [1]
        # Busy (a batch 10 ms ago): the next one waits 50 ms, and a check arriving 10 ms
        # later joins it.
        await asyncio.sleep(0.01)
        first = asyncio.ensure_future(batcher.submit(1))
        await asyncio.sleep(0.01)
        second = asyncio.ensure_future(batcher.submit(2))
        assert await asyncio.gather(first, second) == [1, 2]
        assert sizes == [1, 2]
        # Idle again after the window: at once, alone, though another follows 10 ms later.
        await asyncio.sleep(0.05)
        third = asyncio.ensure_future(batcher.submit(3))
        await asyncio.sleep(0.01)
        assert third.done() and await third == 3 and sizes == [1, 2, 1]
        batcher.close()

    asyncio.run(main())


def test_a_failing_batch_fails_its_callers_only() -> None:
    def run(items: list[int]) -> list[int]:
        if -1 in items:
            raise ValueError("bad batch")
        return items

    async def main() -> None:
        batcher = CheckBatcher(run, max_batch=1)
        bad, good = await asyncio.gather(batcher.submit(-1), batcher.submit(3),
                                         return_exceptions=True)
        assert isinstance(bad, ValueError) and good == 3
        assert await batcher.submit(4) == 4  # the loop's batcher survived
        batcher.close()

    asyncio.run(main())


def test_wrong_result_count_is_an_error_not_a_mismatch() -> None:
    async def main() -> None:
        batcher = CheckBatcher(lambda items: items[:-1])
        with pytest.raises(RuntimeError, match="0 results for 1 checks"):
            await batcher.submit(1)

    asyncio.run(main())


def test_a_cancelled_caller_does_not_break_its_batch() -> None:
    release = threading.Event()

    def finish(items: list[int], results: list[int]) -> None:
        release.wait(5)

    async def main() -> None:
        batcher = CheckBatcher(lambda items: items, max_batch=8, finish=finish)
        gone = asyncio.ensure_future(batcher.submit(1))
        kept = asyncio.ensure_future(batcher.submit(2))
        await asyncio.sleep(0.01)  # screened, now finishing
        gone.cancel()
        release.set()
        assert await kept == 2
        assert gone.cancelled()
        batcher.close()

    asyncio.run(main())


def test_close_refuses_new_checks() -> None:
    async def main() -> None:
        batcher = CheckBatcher(lambda items: items)
        assert await batcher.submit(1) == 1
        batcher.close()
        with pytest.raises(Unavailable):
            await batcher.submit(2)

    asyncio.run(main())


def test_finish_runs_off_the_loop_before_the_answer_and_only_where_needed() -> None:
    finished: list[list[int]] = []
    on_loop: list[bool] = []
    loop_thread: list[threading.Thread] = []
    second_screened = threading.Event()
    overlapped: list[bool] = []

    def run(items: list[int]) -> list[int]:
        on_loop.append(threading.current_thread() is loop_thread[0])
        if items == [1]:
            second_screened.set()
        return [10 + i for i in items]

    def finish(items: list[int], results: list[int]) -> None:
        assert threading.current_thread() is not loop_thread[0]
        assert results == [10 + i for i in items]
        if items == [0]:
            # Still finishing the first batch: the loop screens the next one meanwhile.
            overlapped.append(second_screened.wait(5))
        if items == [1]:
            raise ValueError("store down")
        finished.append(items)

    async def main() -> None:
        loop_thread.append(threading.current_thread())
        # every batch but 3's needs finishing (as if 3's carried no hit)
        batcher = CheckBatcher(run, max_batch=1, finish=finish,
                               needs_finish=lambda results: results[0] != 13)
        first = asyncio.ensure_future(batcher.submit(0))
        await asyncio.sleep(0.01)
        second = asyncio.ensure_future(batcher.submit(1))
        assert await first == 10 and finished == [[0]]  # answered once finished
        with pytest.raises(ValueError, match="store down"):
            await second  # a failing finish fails its own batch only
        assert await batcher.submit(3) == 13 and finished == [[0]]  # nothing to finish
        assert await batcher.submit(2) == 12 and finished == [[0], [2]]
        batcher.close()

    asyncio.run(main())
    assert overlapped == [True]
    assert all(on_loop) and len(on_loop) == 4
