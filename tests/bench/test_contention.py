"""The contention benchmark (bench.scale.contention) measures the screening thread alone."""

from __future__ import annotations

import time

from bench.scale.contention import screen_beside


class _Busy:
    """Stands in for the engine: Python work, then a release of the GIL (as its kernels do)."""

    def screen(self, batch: list) -> list:
        x = 0
        for i in range(3000):
            x += i
        time.sleep(0)
        return [x] * len(batch)


def test_busy_threads_beside_cost_the_screening_thread_switches_not_its_work() -> None:
    alone = screen_beside(_Busy(), list(range(800)), batch=4, threads=0, work_us=50)
    beside = screen_beside(_Busy(), list(range(800)), batch=4, threads=4, work_us=50)
    assert set(alone) == {"user_us", "sys_us", "switches", "wall_us"}
    assert alone["user_us"] > 0 and alone["switches"] < 1
    # Four busy threads take the GIL between its batches: it waits, so it switches and its
    # wall time grows.
    assert beside["switches"] > alone["switches"]
    assert beside["wall_us"] > alone["wall_us"]
