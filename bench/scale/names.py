"""Name list at scale: cost per passenger (full screening, name search, kernels only) against the
rapidfuzz brute-force peer, index bytes per name, and the candidate step's recall.

    python -m bench.scale.names --sizes 10000 100000 1000000 10000000

Each size is a target number of listed names: persons are generated with aliases by
`screening datagen` (about 1.9 names per person), loaded with `screening load nominal`, and
measured in a child process of its own so that one size's memory is gone before the next.
Data lives in bench/data/scale/ (gitignored, cached between runs).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.results_io import commit, machine, update_summary
from bench.scale.names_measure import NAMES_PER_PERSON
from screening.datagen import is_current

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data" / "scale"
SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
MANIFESTS = 10  # x 500 passengers: ~3% planted matches give ~150 planted persons per size


def _run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def prepare(names: int) -> tuple[Path, Path, dict]:
    """Generate and load the list for `names` target names (cached). Returns the generated
    folder, the data folder and how long each step took (only when it ran now)."""
    persons = max(1, round(names / NAMES_PER_PERSON))
    gen = DATA / f"names-{persons}"
    data = DATA / f"names-{persons}-data"
    timing: dict = {"persons": persons}
    if not is_current(gen):  # none yet, or made with an older name model
        shutil.rmtree(gen, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
        timing["generate_s"] = round(_run([
            sys.executable, "-m", "screening", "datagen", "--persons", str(persons),
            "--documents", "0", "--manifests", str(MANIFESTS), "--manifest-size", "500",
            "--out", str(gen), "--quiet"]), 1)
    if not (data / "CURRENT").exists():
        timing["load_s"] = round(_run([
            sys.executable, "-m", "screening", "load", "nominal", str(gen / "nominal.jsonl"),
            "--data", str(data)]), 1)
    return gen, data, timing


def measure(names: int, repeats: int) -> dict:
    gen, data, timing = prepare(names)
    # Big lists cost seconds per manifest pass: fewer timed passengers and repeats there.
    limit = 0 if names <= 1_000_000 else 1000
    repeats = repeats if names <= 100_000 else min(repeats, 3)
    out = subprocess.run([sys.executable, "-m", "bench.scale.names_measure", "--gen", str(gen),
                          "--data", str(data), "--repeats", str(repeats), "--limit",
                          str(limit)], check=True, capture_output=True, text=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row.update(timing)
    return row


def _missed(row: dict) -> list[str]:
    """The planted matches the candidate step lost at the largest size, as a table."""
    missed = row.get("recall_missed") or []
    if not missed:
        return []
    out = [f"Planted matches the candidate step lost at {row['names']:,} names (exhaustive "
           "scoring reaches the threshold, the search returns no such record; first "
           f"{len(missed)}):\n", "| variation | query | listed as | exhaustive score |",
           "|---|---|---|---:|"]
    out += [f"| {m['variation']} | {m['query']} | {'; '.join(m['listed'])} | "
            f"{m['exhaustive']} |" for m in missed]
    return [*out, ""]


def write_report(rows: list[dict], out: Path, command: str) -> None:
    from bench.scale.names_plot import plot

    out.mkdir(parents=True, exist_ok=True)
    plot(rows, out / "scale_names.png")
    lines = [
        "## Names: cost per passenger as the list grows\n",
        f"Machine: {machine()}. Commit {commit()}. Command: `{command}`.\n",
        "Per passenger, median of the repeats (spread = max/min - 1 across them). Full "
        "screening = `Engine.screen` in process (documents, names, evidence, decisions) over "
        "the generated manifests in batches of 500; name search = `NameIndex.search` with the "
        "engine's settings; kernels = time inside the candidate and scoring Numba kernels "
        "only. Peer = rapidfuzz `process.cdist` (Jaro-Winkler, `workers=-1`, names "
        "pre-processed once, outside the timing) over the same names, best match per "
        "passenger, one timed pass over a sample of the passengers; it runs on both cores "
        "while ours runs on one, so per core the ratio is twice the one shown. Ratio = peer "
        "wall time / our full screening wall time, per passenger. Recall = planted matches found by the "
        "candidate step among those that exhaustive scoring (`NameIndex.score_entries` over "
        "the true record's entries) scores at least `name_min_score` (0.75, the reporting "
        "floor) by `NameIndex.search`; at the engine's floor = found by the engine's candidate "
        "step (`Engine.person_candidates`: the name search from `screening.engine.name_floor`, "
        "0.8722 with the default thresholds, below which a name ends CLEAR whatever the other "
        "evidence; then, when namesakes crowd the name search, the persons born on the "
        "passenger's date of birth) among those exhaustive scoring puts at or above that "
        "floor.\n",
        "| names | persons | timed passengers x repeats | full screening (µs/passenger) | "
        "spread | name search (µs) | kernels (µs) | peer (µs/passenger) | peer queries | "
        "peer / ours | index bytes/name | recall | planted | recall at the engine's floor | "
        "planted |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['names']:,} | {r['records']:,} | {r['passengers']:,} x {r['repeats']} | "
            f"{r['screen_us']:.1f} | "
            f"{r['screen_spread']:.0%} | {r['search_us']:.1f} | {r['kernel_us']:.1f} | "
            f"{r['peer_us']:,.0f} | {r['peer_queries']:,} | {r['peer_us'] / r['screen_us']:,.0f}x | "
            f"{r['index_bytes_per_name']:.0f} | {r['recall']:.2%} | {r['recall_n']} | "
            f"{r.get('recall_floor', float('nan')):.2%} | {r.get('recall_floor_n', '')} |")
    lines.append("")
    first, last = rows[0], rows[-1]
    if len(rows) > 1:
        grow_list = last["names"] / first["names"]
        grow_cost = last["screen_us"] / first["screen_us"]
        lines.append(f"From {first['names']:,} to {last['names']:,} names the list grows "
                     f"{grow_list:,.0f}x, our cost per passenger {grow_cost:.1f}x, the peer's "
                     f"{last['peer_us'] / first['peer_us']:,.0f}x.\n")
    lines.append("![cost per passenger](scale_names.png)\n")
    lines += _missed(last)
    (out / "scale_names.md").write_text("\n".join(lines) + "\n")
    n = last.get("target", last["names"])  # the size asked for: 10M, not 9,989,808 names
    label = f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"
    update_summary(out / "summary.json", [
        {"name": f"names_{label}_screen_us_per_passenger", "value": round(last["screen_us"], 1),
         "unit": "us", "command": command},
        {"name": f"names_{label}_peer_rapidfuzz_us_per_passenger",
         "value": round(last["peer_us"]), "unit": "us", "command": command},
        {"name": f"names_{label}_peer_over_ours", "value": round(last["peer_us"] /
                                                                  last["screen_us"]),
         "unit": "x", "command": command},
        {"name": f"names_{label}_candidate_recall", "value": round(last["recall"], 4),
         "unit": "share", "command": command},
        {"name": f"names_{label}_candidate_recall_at_engine_floor",
         "value": round(last.get("recall_floor", float("nan")), 4), "unit": "share",
         "command": command},
        {"name": "name_index_bytes_per_name", "value": round(last["index_bytes_per_name"]),
         "unit": "B", "command": command},
    ])


def unkept_sizes(report: str, rows: list[dict], sizes: list[int]) -> list[int]:
    """Names counts the report's table shows that a --merge run would drop: neither among the
    kept rows (rows: bench/data/scale/names_rows.json, this machine's earlier runs) nor of a
    size measured now (a row's size is its names count rounded to a power of ten, as the
    targets in SIZES are). A report can hold rows of another machine's runs."""
    shown = [int(m.group(1).replace(",", "")) for m in
             re.finditer(r"^\| ([\d,]+) \| [\d,]+ \| [\d,]+ x \d+ \|", report, re.MULTILINE)]
    kept = {int(r["names"]) for r in rows}
    return [n for n in shown if n not in kept and 10 ** round(math.log10(n)) not in sizes]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--merge", action="store_true",
                    help="keep the other sizes' rows from the last run (bench/data/scale)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = ap.parse_args()
    rows_file = DATA / "names_rows.json"
    rows: list[dict] = []
    if args.merge:
        if not rows_file.exists():
            # Without them the report would be rewritten with these sizes alone.
            sys.exit(f"--merge: no rows of an earlier run in {rows_file} (a fresh machine): "
                     "measure every size, or run without --merge and --out elsewhere")
        rows = [r for r in json.loads(rows_file.read_text())
                if r["target"] not in args.sizes]
        report = Path(args.out) / "scale_names.md"
        lost = unkept_sizes(report.read_text() if report.exists() else "", rows, args.sizes)
        if lost:
            # Rewritten from the rows file alone, the report would lose them.
            sys.exit(f"--merge: {report} shows rows for {', '.join(f'{n:,}' for n in lost)} "
                     f"names that {rows_file} does not hold (measured on another machine?): "
                     "measure those sizes too, or write elsewhere with --out")
    for n in args.sizes:
        print(f"measuring {n:,} names", file=sys.stderr, flush=True)
        row = measure(n, args.repeats)
        row["target"] = n
        rows = sorted([*rows, row], key=lambda r: r["target"])
        print(json.dumps(row), flush=True)
        # Kept beside the data, and the report rewritten after every size: a size that
        # fails or runs out of time leaves the others reported.
        rows_file.write_text(json.dumps(rows, indent=1))
        sizes = " ".join(str(r["target"]) for r in rows)
        write_report(rows, Path(args.out), f"python -m bench.scale.names --sizes {sizes}")


if __name__ == "__main__":
    main()
