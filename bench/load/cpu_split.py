"""Where the box's CPU goes during a load run: CPU seconds of each server process (the parent,
which owns the follow-up store, and each worker) and of the whole machine, around one
load-generator run against the real server on the load benchmark's data.

    python -m bench.load.cpu_split manifest|check [--duration 15] [--py-spy 10]

Reads /proc (Linux). Uses bench.load.run's data, credentials and server start; the data must
exist (run `python -m bench.load.run` once first). With --py-spy S, py-spy (the `bench` extra)
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

_TICK = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """pid, then its direct children in pid order (the server's workers are direct
    children)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return [pid] + sorted(out)


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _machine_s() -> tuple[float, float]:
    """(all CPU seconds, idle CPU seconds) since boot, over every core."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(ticks) / _TICK, (ticks[3] + ticks[4]) / _TICK


def _py_spy(pids: list[int], seconds: float, out_dir: Path) -> list[subprocess.Popen]:
    """Start py-spy on each pid: collapsed stacks of the threads holding the GIL (what runs
    Python, and the kernels, which keep it), so waits and idle threads are left out."""
    exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
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
    server = R.start_server(data, port, args.workers, {**base, "SCREENING_TOKEN": trust["partner"]})
    try:
        pids = _children(server.pid)
        cmd = R.loadgen_cmd(args.mode, port, gen / "passengers.jsonl", args.duration)
        before = {p: _cpu_s(p) for p in pids}
        all0, idle0 = _machine_s()
        t0 = time.perf_counter()
        loadgen = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
        spy_dir = Path(tempfile.mkdtemp(prefix="cpu-split-"))
        if args.py_spy:
            out = sample_during(loadgen, pids[1:], args.duration, args.py_spy, spy_dir)
        else:
            out, _ = loadgen.communicate()
        wall = time.perf_counter() - t0
        after = {p: _cpu_s(p) for p in pids}
        all1, idle1 = _machine_s()
    finally:
        R.stop(server)
    result = json.loads(out.strip().splitlines()[-1])
    served = result.get("passengers_per_s", result.get("throughput_per_s", 0.0))
    n = result["passenger_latency"]["requests"] if args.mode == "manifest" else result["requests"]
    roles = ["parent (follow-up store)"] + [f"worker {k}" for k in range(1, len(pids))]
    print(f"{args.mode}: {served:,.0f}/s over {wall:.1f} s; machine busy "
          f"{(all1 - all0) - (idle1 - idle0):.1f} of {all1 - all0:.1f} CPU-s")
    for role, p in zip(roles, pids, strict=True):
        used = after[p] - before[p]
        print(f"  {role}: {used:.1f} CPU-s, {used / max(n, 1) * 1e6:.0f} µs per "
              f"{'passenger' if args.mode == 'manifest' else 'check'}")
    total = sum(after[p] - before[p] for p in pids)
    print(f"  server, all processes: {total:.1f} CPU-s, {total / max(n, 1) * 1e6:.0f} µs per "
          f"{'passenger' if args.mode == 'manifest' else 'check'} (each line above also "
          f"divides by every {'passenger' if args.mode == 'manifest' else 'check'} served)")
    print("  the load generator and the rest: the remaining busy time")
    if args.py_spy:
        print(f"py-spy, workers, {args.py_spy:.0f} s mid-run:")
        print("\n".join(summarise_stacks(sorted(spy_dir.glob("*.txt")))))
    shutil.rmtree(spy_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
