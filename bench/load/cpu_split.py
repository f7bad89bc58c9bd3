"""Where the box's CPU goes during a load run: CPU seconds of each server process (the parent,
which owns the follow-up store, and each worker) and of the whole machine, around one
load-generator run against the real server on the load benchmark's data.

    python -m bench.load.cpu_split manifest|check [--duration 15] [--py-spy 10] [--echo]
        [--centres 4] [--one-connection] [--threads 6]

With --echo the same load runs against the echo floor (bench.load.echo: the same messages,
the same process model, no screening) instead. Both report the load generator's own CPU too,
so that the two runs together say what a call costs the client, the transport and the
screening, each on the same 2 cores.

Reads /proc (Linux). Uses bench.load.run's data, credentials and server start; the data must
exist (run `python -m bench.load.run` once first). With --threads S, the first worker's
threads are read for S seconds in the middle of the run (/proc: CPU and context switches per
thread) and named with `py-spy dump` (the `bench` extra): which thread of a worker spends what
per call (the screening thread, gRPC's polling thread, its handler threads), and how often the
worker switches threads, beside the echo's. With --py-spy S, py-spy (the `bench` extra)
samples every worker for S seconds in the middle of the run and the report adds, per function,
the share of the workers' samples spent in it (inclusive) and in its own code (self): where a
worker's time goes outside the engine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.load import run as R
from bench.load.cpu_report import served
from bench.load.echo import start_echo
from bench.load.proc import children, measured, thread_counters


def _py_spy_exe() -> str:
    """py-spy on PATH, else beside this interpreter (the venv's)."""
    return shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))


def _py_spy(pids: list[int], seconds: float, out_dir: Path) -> list[subprocess.Popen]:
    """Start py-spy on each pid: collapsed stacks of the threads holding the GIL (what runs
    Python, and the kernels, which keep it), so waits and idle threads are left out."""
    exe = _py_spy_exe()
    return [subprocess.Popen([exe, "record", "--pid", str(p), "--duration", str(int(seconds)),
                              "--rate", "200", "--gil", "--format", "raw", "--output",
                              str(out_dir / f"{p}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for p in pids]


def sample_during(gen: subprocess.Popen, pids: list[int], duration: float, seconds: float,
                  out_dir: Path) -> str:
    """Let the load generator `gen` (a `duration`-second run, just started) warm up, sample
    `pids` with py-spy for `seconds` in the middle of the run, and return the generator's
    output once both are done."""
    time.sleep(max(0.0, (duration - seconds) / 2))
    spies = _py_spy(pids, seconds, out_dir)
    out, _ = gen.communicate()
    for spy in spies:
        spy.wait(timeout=60)
    return out


def threads_during(gen: subprocess.Popen, pid: int, duration: float, seconds: float
                   ) -> tuple[str, dict[int, tuple[float, int]], dict[int, str]]:
    """Let the load generator `gen` warm up, read `pid`'s threads' counters `seconds` apart in
    the middle of the run, name them (py-spy dump), and return the generator's output, the
    counters' differences and the names."""
    time.sleep(max(0.0, (duration - seconds) / 2))
    before = thread_counters(pid)
    time.sleep(seconds)
    after = thread_counters(pid)
    exe = _py_spy_exe()
    dump = subprocess.run([exe, "dump", "--pid", str(pid)], capture_output=True, text=True,
                          timeout=60).stdout
    names = {}
    for line in dump.splitlines():  # Thread 12345 (idle): "grpc_3"
        if line.startswith("Thread ") and '"' in line:
            tid = line.split()[1]
            if tid.isdigit():
                names[int(tid)] = line.split('"')[1]
    out, _ = gen.communicate()
    diff = {}
    for tid, (cpu, sw) in after.items():
        cpu0, sw0 = before.get(tid, (0.0, 0))  # a thread started meanwhile: from zero
        diff[tid] = (cpu - cpu0, sw - sw0)
    return out, diff, names


def thread_lines(diff: dict[int, tuple[float, int]], names: dict[int, str], calls: float,
                 unit: str) -> list[str]:
    """Per thread (grouped by name, numbers stripped: gRPC's handler threads as one line), its
    CPU and context switches per `unit` over `calls` (the calls the whole server answered
    meanwhile: this worker answered about its share of them)."""
    groups: dict[str, list[float]] = {}
    for tid, (cpu, switches) in diff.items():
        name = names.get(tid, "(no Python frame: gRPC core or Numba)")
        key = name.rstrip("0123456789").rstrip("_") + (" threads" if name[-1:].isdigit() else "")
        g = groups.setdefault(key, [0.0, 0, 0])
        g[0] += cpu
        g[1] += switches
        g[2] += 1
    total_cpu = sum(g[0] for g in groups.values())
    total_sw = sum(g[1] for g in groups.values())
    lines = [f"  the first worker, per {unit} the server answered meanwhile: "
             f"{total_cpu / calls * 1e6:,.0f} µs, {total_sw / calls:.1f} context switches"]
    for key, (cpu, switches, n) in sorted(groups.items(), key=lambda kv: -kv[1][0]):
        if cpu or switches:
            lines.append(f"  {cpu / calls * 1e6:7,.0f} µs {switches / calls:6.1f} switches  "
                         f"{key} ({n})")
    return lines


def _frame_name(frame: str) -> str:
    """`function (path/file.py:line)` -> `function (file.py)`: lines merged."""
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.split(':')[0]).name})" if where else name


def summarise_stacks(files: list[Path], top: int = 25) -> list[str]:
    """Inclusive and self shares of the samples in py-spy's collapsed stacks."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    callers: dict[str, Counter[str]] = {}
    total = 0
    for f in files:
        for line in f.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            frames = [_frame_name(x) for x in stack.split(";")[1:]]  # [0] is the thread
            total += n
            for name in set(frames):
                inclusive[name] += n
            if frames:
                own[frames[-1]] += n
                caller = " <- ".join(frames[-3:-1][::-1]) if len(frames) > 1 else "(top)"
                callers.setdefault(frames[-1], Counter())[caller] += n
    if not total:
        return ["  (no samples)"]
    lines = [f"  {total:,} samples of the workers' busy threads; inclusive / self share:"]
    for name, n in inclusive.most_common(top):
        lines.append(f"  {100 * n / total:5.1f}% {100 * own[name] / total:5.1f}%  {name}")
    lines.append("  self time, top:")
    for name, n in own.most_common(top):
        lines.append(f"  {100 * n / total:5.1f}%  {name}")
    lines.append("  the top self-time functions by caller:")
    for name, _ in own.most_common(5):
        for caller, n in callers[name].most_common(3):
            lines.append(f"  {100 * n / total:5.1f}%  {name} <- {caller}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["manifest", "check"])
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--documents", type=int, default=1_000_000)
    ap.add_argument("--duration", type=float, default=15.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--py-spy", type=float, default=0.0, metavar="S",
                    help="sample the workers with py-spy for S seconds mid-run")
    ap.add_argument("--centres", type=int, default=4,
                    help="manifest mode: concurrent centres, one connection each")
    ap.add_argument("--one-connection", action="store_true",
                    help="manifest mode: every centre's streams on one connection")
    ap.add_argument("--threads", type=float, default=0.0, metavar="S",
                    help="read the first worker's threads for S seconds mid-run")
    ap.add_argument("--passengers", type=Path, default=None,
                    help="the passengers to send (JSON lines; default: the load data's)")
    ap.add_argument("--echo", action="store_true",
                    help="run the load against the echo floor instead of the real server")
    args = ap.parse_args()
    gen, data, _ = R.prepare(args.persons, args.documents, lambda msg: None)
    trust = R.trust(data)
    base = {**os.environ, "SCREENING_TLS_CERT": trust["cert"], "SCREENING_TLS_KEY": trust["key"],
            "SCREENING_CA_CERT": trust["ca"], "SCREENING_RATE_LIMIT_PER_S": R.RATE_LIMIT,
            "SCREENING_RELOAD_INTERVAL_S": "0"}
    env = {**base, "SCREENING_TOKEN": trust["centre" if args.mode == "manifest" else "partner"]}
    for stale in data.glob("followup.duckdb*"):  # an empty queue, as bench.load.run starts
        stale.unlink()
    port = R.free_port()
    if args.echo:
        echo = start_echo("127.0.0.1", port, args.workers, env=base)
        pids = [p.pid for p in echo]
    else:
        server = R.start_server(data, port, args.workers,
                                {**base, "SCREENING_TOKEN": trust["partner"]})
        pids = children(server.pid)
    try:
        cmd = R.loadgen_cmd(args.mode, port, args.passengers or gen / "passengers.jsonl",
                            args.duration, centres=args.centres)
        if args.one_connection:  # one server process receives every stream
            cmd.append("--one-connection")
        spy_dir = Path(tempfile.mkdtemp(prefix="cpu-split-"))

        split: list = []

        def run() -> str:
            loadgen = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
            if args.threads:  # the first worker: the echo's first, the server's after its parent
                out, diff, names = threads_during(loadgen, pids[0] if args.echo else pids[1],
                                                  args.duration, args.threads)
                split.extend([diff, names])
                return out
            if args.py_spy:  # the server's parent holds the store: its workers are sampled
                return sample_during(loadgen, pids if args.echo else pids[1:], args.duration,
                                     args.py_spy, spy_dir)
            return loadgen.communicate()[0]

        t0 = time.perf_counter()
        out, cpu = measured(run, pids)
        wall = time.perf_counter() - t0
    finally:
        for proc in (echo if args.echo else [server]):
            R.stop(proc)
    # py-spy's processes are children too: with --py-spy the client line includes them
    client_s = cpu["client_s"]
    result = json.loads(out.strip().splitlines()[-1])
    rate, n = served(result)
    roles = ([f"echo worker {k}" for k in range(1, len(pids) + 1)] if args.echo else
             ["parent (follow-up store)"] + [f"worker {k}" for k in range(1, len(pids))])
    unit = "passenger" if args.mode == "manifest" else "check"
    print(f"{args.mode}{' (echo floor)' if args.echo else ''}: {rate:,.0f}/s over {wall:.1f} s; "
          f"machine busy {cpu['busy_s']:.1f} of {cpu['all_s']:.1f} CPU-s")
    if "p50_ms" in result:  # a partner-check run: its latency, as the load generator saw it
        print(f"  latency p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms")
    print(f"  load generator: {client_s:.1f} CPU-s, {client_s / max(n, 1) * 1e6:.0f} µs per {unit}")
    for role, used in zip(roles, cpu["server_s"], strict=True):
        print(f"  {role}: {used:.1f} CPU-s, {used / max(n, 1) * 1e6:.0f} µs per {unit}")
    total = sum(cpu["server_s"])
    print(f"  server, all processes: {total:.1f} CPU-s, {total / max(n, 1) * 1e6:.0f} µs per "
          f"{unit} (each line above also divides by every {unit} served)")
    print("  the load generator and the rest: the remaining busy time")
    if split:
        print(f"threads, {args.threads:.0f} s mid-run:")
        print("\n".join(thread_lines(split[0], split[1], rate * args.threads, unit)))
    if args.py_spy:
        print(f"py-spy, workers, {args.py_spy:.0f} s mid-run:")
        print("\n".join(summarise_stacks(sorted(spy_dir.glob("*.txt")))))
    shutil.rmtree(spy_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
