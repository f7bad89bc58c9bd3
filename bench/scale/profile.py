"""Where the in-process engine spends a manifest's time: cProfile over `Engine.screen` on the
generated manifests (batches of 500), grouped into the steps of a screening.

    python -m bench.scale.profile --gen GEN --data DATA [--out bench/results/scale_profile.md]

One thread, no gRPC: this is the cost the servers' workers pay per passenger before transport.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from bench.results_io import commit, machine
from bench.scale.names_measure import BATCH, _passengers
from indexes.snapshot import open_snapshot
from screening.engine import Engine
from screening.settings import Settings

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


def profile(gen: Path, data: Path) -> tuple[dict, pstats.Stats, int]:
    engine = Engine(open_snapshot(data), Settings())
    passengers = _passengers(gen)
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True, type=Path)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    steps, stats, n = profile(args.gen, args.data)
    snap = open_snapshot(args.data)
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
    lines.append("```\n")
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
