"""Where the in-process engine spends a manifest's time: cProfile over `Engine.screen` on the
generated manifests (batches of 500), grouped into the steps of a screening; then, without the
profiler, the cost per passenger by batch size (a partner check is screened with whatever
other checks queued meanwhile: screening.check_batcher), and the throughput that cost allows.

    python -m bench.scale.profile --gen GEN --data DATA [--out bench/results/scale_profile.md]

One thread, no gRPC: this is the cost the servers' workers pay per passenger before transport.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from pathlib import Path

from bench.results_io import commit, machine
from bench.scale.names_measure import BATCH, _passengers
from indexes.snapshot import open_snapshot
from screening.domain import Passenger
from screening.engine import Engine
from screening.settings import Settings

# Batch sizes timed without the profiler: a lone partner check (1), checks queued behind one
# another under concurrent callers (4 to 64), a manifest part (BATCH).
BATCH_SIZES = (1, 4, 16, 64, BATCH)
PASSENGERS_PER_SIZE = 2000  # passengers screened per timing run
REPEATS = 3

# (step, function key suffix): cumulative time of these functions, in the order of the flow.
STEPS = (
    ("document lookups (stolen list + documents on record)",
     "document_index.py", "lookup"),
    ("name search, total", "name_index.py", "search"),
    ("  query normalisation and blocking keys (Python)", "name_index.py", "_prepare"),
    ("  candidate kernel (Numba)", "names.py", "_gather_candidates_kernel"),
    ("  scoring kernel (Numba)", "names.py", "_score_pairs_kernel"),
    ("  explanations of the kept matches (Python)", "name_index.py", "_explain"),
    ("evidence kernel (DOB, sex, nationality)", "evidence.py", "compare_batch"),
    ("person match assembly (Python)", "engine.py", "_person_match"),
    ("document match assembly (Python)", "engine.py", "_document_match"),
)


def _cumulative(stats: pstats.Stats, file_part: str, func: str) -> float:
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if name == func and filename.endswith(file_part):
            total += ct
    return total


def profile(engine: Engine, passengers: list[Passenger]) -> tuple[dict, pstats.Stats, int]:
    batches = [passengers[k:k + BATCH] for k in range(0, len(passengers), BATCH)]
    engine.screen(batches[0])  # compiled and warm before the profile
    engine.snapshot.name_index._variants.clear()
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for b in batches:
        engine.screen(b)
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    total = _cumulative(stats, "engine.py", "screen")
    steps = {label: _cumulative(stats, f, fn) for label, f, fn in STEPS}
    steps["_total"] = total
    steps["_wall"] = wall
    return steps, stats, len(passengers)


def cost_by_batch_size(engine: Engine, passengers: list[Passenger]
                       ) -> dict[int, float]:
    """Median over REPEATS runs of the wall time per passenger (µs) of `Engine.screen` on
    consecutive batches of each size (PASSENGERS_PER_SIZE passengers per run, the name cache
    cleared before each run: every name is new, as in the load benchmark)."""
    out = {}
    for size in BATCH_SIZES:
        runs = []
        for _ in range(REPEATS):
            engine.snapshot.name_index._variants.clear()
            done = 0
            t0 = time.perf_counter()
            while done < PASSENGERS_PER_SIZE:
                start = done % max(len(passengers) - size, 1)
                engine.screen(passengers[start:start + size])
                done += size
            runs.append((time.perf_counter() - t0) / done * 1e6)
        out[size] = statistics.median(runs)
    return out


def _batch_lines(costs: dict[int, float]) -> list[str]:
    cores = os.cpu_count() or 1
    lines = [
        "\nCost per passenger by batch size, without the profiler (median of "
        f"{REPEATS} runs of {PASSENGERS_PER_SIZE:,} passengers; one thread). The ceiling is "
        f"what {cores} cores would screen per second on this cost alone, before any "
        "transport, validation or follow-up work:\n",
        f"| batch | µs per passenger | ceiling on {cores} cores (passengers/s) |",
        "|---:|---:|---:|",
    ]
    for size, us in costs.items():
        lines.append(f"| {size} | {us:.0f} | {cores * 1e6 / us:,.0f} |")
    lone, full = costs[BATCH_SIZES[0]], costs[BATCH]
    lines.append(
        f"\nA lone check costs {lone:.0f} µs, {lone - full:.0f} of them per call (normalising "
        f"and keying one name, the kernels' set-up, the lookups' fixed costs); a passenger in a "
        f"batch of {BATCH} costs {full:.0f} µs, almost all of it the name search. 20,000 "
        f"passengers/s through ScreenManifest needs at most {cores * 1e6 / 20000:.0f} µs per "
        f"passenger on {cores} cores, transport included: the name search must get about "
        f"{full / (cores * 1e6 / 20000):.0f}x cheaper, which batching cannot give. "
        f"CheckPassenger at 80% of the echo floor's calls/s leaves each check {cores} cores "
        f"over 0.8 x those calls/s for all of the server's work: compare that budget with the "
        f"rows for small batches.\n")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True, type=Path)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    snap = open_snapshot(args.data)
    engine = Engine(snap, Settings())
    passengers = _passengers(args.gen)
    steps, stats, n = profile(engine, passengers)  # also compiles and warms the engine
    total = steps.pop("_total")
    wall = steps.pop("_wall")
    command = f"python -m bench.scale.profile --gen {args.gen} --data {args.data}"
    lines = [
        "## Profile: where a manifest's time goes (in-process engine)\n",
        f"Machine: {machine()}. Commit {commit()}. Command: `{command}`.\n",
        f"{n:,} passengers in batches of {BATCH} against {len(snap.names):,} names of "
        f"{snap.records.num_rows:,} persons and {snap.documents.num_rows:,} documents; one "
        f"thread, under cProfile (which inflates Python-heavy steps). Wall time "
        f"{wall / n * 1e6:.0f} µs per passenger under the profiler.\n",
        "| step | µs per passenger | share of `Engine.screen` |",
        "|---|---:|---:|",
    ]
    for label, seconds in steps.items():
        lines.append(f"| {label} | {seconds / n * 1e6:.1f} | {seconds / total:.0%} |")
    lines.append(f"| **Engine.screen, total** | {total / n * 1e6:.1f} | 100% |")
    lines.append("\nTop functions by own time:\n\n```")
    import io

    buf = io.StringIO()
    stats.stream = buf
    stats.sort_stats("tottime").print_stats(args.top)
    body = buf.getvalue()
    lines.append(body[body.find("ncalls"):].rstrip())
    lines.append("```")
    lines += _batch_lines(cost_by_batch_size(engine, passengers))
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
