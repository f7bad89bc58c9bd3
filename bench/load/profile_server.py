"""Where a server process spends its time under load: one in-process server (TLS, tokens,
the same settings as bench.load.run) under cProfile while the load generator drives it.

    python -m bench.load.profile_server --data DATA --mode check --duration 10

Prints the top functions by cumulative and by own time (all threads: the profiler is
installed in every thread the server starts, with threading.setprofile).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import threading
from pathlib import Path

from bench.load.run import RATE_LIMIT, free_port, trust


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--passengers", required=True)
    ap.add_argument("--mode", choices=["check", "manifest"], default="check")
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--out", help="also write the report here")
    args = ap.parse_args()
    t = trust(Path(args.data))
    os.environ.update({"SCREENING_TLS_CERT": t["cert"], "SCREENING_TLS_KEY": t["key"],
                       "SCREENING_RATE_LIMIT_PER_S": RATE_LIMIT,
                       "SCREENING_RELOAD_INTERVAL_S": "0"})
    from screening.grpc.server import start_server
    from screening.settings import load_settings

    port = free_port()
    settings = load_settings().with_overrides(data_dir=Path(args.data), port=port)
    running = start_server(settings)
    profilers: list[cProfile.Profile] = []
    lock = threading.Lock()

    def per_thread(*_):
        # First event in a thread: start a profiler of its own there (cProfile is per thread).
        # The hook stays set for threads started later (the check batcher's screening thread
        # starts on the first check).
        import sys as _sys
        _sys.setprofile(None)
        p = cProfile.Profile()
        with lock:
            profilers.append(p)
        p.enable()

    threading.setprofile(per_thread)
    env = {**os.environ, "SCREENING_CA_CERT": t["ca"],
           "SCREENING_TOKEN": t["partner" if args.mode == "check" else "centre"]}
    cmd = [sys.executable, "-m", "bench.load.loadgen", args.mode, "--target",
           f"127.0.0.1:{port}", "--passengers", args.passengers, "--duration",
           str(args.duration)]
    load = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    threading.setprofile(None)
    running.stop(grace=1)
    stats = None
    for p in profilers:
        p.disable()
        if stats is None:
            stats = pstats.Stats(p)
        else:
            stats.add(p)
    buf = io.StringIO()
    buf.write(f"load: {load.strip()}\nthreads profiled: {len(profilers)}\n")
    if stats is not None:
        stats.stream = buf
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    print(buf.getvalue())
    if args.out:
        Path(args.out).write_text(buf.getvalue())


if __name__ == "__main__":
    main()
