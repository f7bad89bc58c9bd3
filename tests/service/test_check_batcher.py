"""Concurrent checks are screened together, each caller gets its own result, and a failure
reaches the callers of that batch only."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from screening.check_batcher import CheckBatcher
from screening.errors import Unavailable


def test_each_caller_gets_its_own_result_and_load_forms_batches() -> None:
    sizes: list[int] = []

    def run(items: list[int]) -> list[int]:
        sizes.append(len(items))
        time.sleep(0.01)  # a screening pass: checks queue up meanwhile
        return [i * i for i in items]

    batcher = CheckBatcher(run, max_batch=8)
    with ThreadPoolExecutor(32) as pool:
        got = list(pool.map(batcher.submit, range(200)))
    assert got == [i * i for i in range(200)]
    assert sum(sizes) == 200 and max(sizes) == 8  # batches formed, never above max_batch
    assert len(sizes) < 200 / 2
    # Idle: a lone check is screened at once, alone.
    sizes.clear()
    assert batcher.submit(7) == 49 and sizes == [1]
    batcher.close()


def test_a_failing_batch_fails_its_callers_only() -> None:
    def run(items: list[int]) -> list[int]:
        if -1 in items:
            raise ValueError("bad batch")
        return items

    batcher = CheckBatcher(run, max_batch=1)
    with pytest.raises(ValueError, match="bad batch"):
        batcher.submit(-1)
    assert batcher.submit(3) == 3  # the screening thread survived
    batcher.close()


def test_wrong_result_count_is_an_error_not_a_mismatch() -> None:
    batcher = CheckBatcher(lambda items: items[:-1])
    with pytest.raises(RuntimeError, match="0 results for 1 checks"):
        batcher.submit(1)
    batcher.close()


def test_close_finishes_queued_checks_and_refuses_new_ones() -> None:
    started = threading.Event()

    def run(items: list[int]) -> list[int]:
        started.set()
        time.sleep(0.05)
        return items

    batcher = CheckBatcher(run, max_batch=1)
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(batcher.submit, i) for i in range(4)]
        started.wait(5)
        time.sleep(0.01)
        batcher.close()
        assert sorted(f.result() for f in futures) == [0, 1, 2, 3]
    with pytest.raises(Unavailable):
        batcher.submit(9)


def test_finish_runs_before_the_answer_while_the_next_batch_is_screened() -> None:
    finished: list[int] = []
    second_screened = threading.Event()
    overlapped: list[bool] = []

    def run(items: list[int]) -> list[int]:
        if items == [1]:
            second_screened.set()
        return [10 + i for i in items]

    def finish(items: list[int], results: list[int]) -> None:
        assert results == [10 + i for i in items]
        if items == [0]:
            # Still finishing the first batch: the screening thread is not waiting for it.
            overlapped.append(second_screened.wait(5))
        if items == [1]:
            raise ValueError("store down")
        finished.extend(items)

    batcher = CheckBatcher(run, max_batch=1, finish=finish)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(batcher.submit, 0)
        time.sleep(0.05)
        second = pool.submit(batcher.submit, 1)
        assert first.result(10) == 10 and finished == [0]  # answered once finished
        with pytest.raises(ValueError, match="store down"):
            second.result(10)  # a failing finish fails its own batch only
    assert overlapped == [True]
    assert batcher.submit(2) == 12 and finished == [0, 2]
    batcher.close()
