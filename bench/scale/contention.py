"""What other Python threads in the same process do to the engine's own cost: the thread that
screens partner checks (screening.check_batcher) shares its process with gRPC's threads, and
under load they take the GIL and the core between its kernels.

    python -m bench.scale.contention --gen GEN --data DATA [--threads 16] [--batch 4]

Screens the same passengers in batches of --batch on one thread, alternately alone and beside
--threads busy threads that each do --work-us of pure-Python work and then block briefly (the
shape of a gRPC handler: decode, check, wait, encode; a model, not gRPC itself). Reports the
screening thread's own CPU (user, system), its context switches and its wall time per
passenger, medians over --repeats alternations. One process, no network.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import threading
import time
from pathlib import Path

from bench.scale.names_measure import _passengers
from indexes.snapshot import open_snapshot
from screening import runtime
from screening.domain import Passenger
from screening.engine import Engine
from screening.settings import Settings


def _handler(stop: threading.Event, work_us: float) -> None:
    """Pure-Python work for about work_us, then a short block, until stopped."""
    ready = threading.Event()
    loops = max(1, int(work_us * 30))  # about 30 additions per µs on the 2-core VM
    while not stop.is_set():
        x = 0
        for i in range(loops):
            x += i
        ready.wait(0.0005)


def screen_beside(engine: Engine, passengers: list[Passenger], batch: int, threads: int,
                  work_us: float) -> dict[str, float]:
    """The screening thread's cost per passenger with `threads` busy threads beside it."""
    stop = threading.Event()
    others = [threading.Thread(target=_handler, args=(stop, work_us), daemon=True)
              for _ in range(threads)]
    for t in others:
        t.start()
    r0, w0 = resource.getrusage(resource.RUSAGE_THREAD), time.perf_counter()
    for k in range(0, len(passengers), batch):
        engine.screen(passengers[k:k + batch])
    r1, wall = resource.getrusage(resource.RUSAGE_THREAD), time.perf_counter() - w0
    stop.set()
    for t in others:
        t.join()
    n = len(passengers)
    return {"user_us": (r1.ru_utime - r0.ru_utime) / n * 1e6,
            "sys_us": (r1.ru_stime - r0.ru_stime) / n * 1e6,
            "switches": (r1.ru_nvcsw - r0.ru_nvcsw + r1.ru_nivcsw - r0.ru_nivcsw) / n,
            "wall_us": wall / n * 1e6}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True, type=Path)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--work-us", type=float, default=100.0)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--passengers", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    engine = Engine(open_snapshot(args.data), Settings())
    passengers = _passengers(args.gen)[:args.passengers]
    for k in range(0, len(passengers), 100):  # compiled, warm, names normalised once
        engine.screen(passengers[k:k + 100])
    runtime.settle()
    runs: dict[int, list[dict[str, float]]] = {0: [], args.threads: []}
    for _ in range(args.repeats):
        for threads in runs:
            runs[threads].append(screen_beside(engine, passengers, args.batch, threads,
                                               args.work_us))
    print(f"{len(passengers):,} passengers in batches of {args.batch}, medians of "
          f"{args.repeats}; busy threads each {args.work_us:.0f} µs of Python, then a block")
    print("| busy threads | user µs | system µs | context switches | wall µs |")
    print("|---:|---:|---:|---:|---:|")
    for threads, got in runs.items():
        med = {k: statistics.median(r[k] for r in got) for k in got[0]}
        print(f"| {threads} | {med['user_us']:.0f} | {med['sys_us']:.0f} | "
              f"{med['switches']:.1f} | {med['wall_us']:.0f} |")


if __name__ == "__main__":
    main()
