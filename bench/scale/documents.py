"""Document list at scale: build time, index bytes per document, lookups per second per core,
and restart time to SERVING, at several list sizes.

    python -m bench.scale.documents --sizes 1000000 16000000 128000000 \
        [--nominal bench/data/load/gen-p1000000-d1000000/nominal.jsonl]

Data is generated with `screening datagen` into bench/data/scale/ (cached, gitignored); each
size is loaded with `screening load documents` (DuckDB ETL, streamed) into its own data folder.
With --nominal, the persons are loaded into the same folder after the documents (not part of
the build time), so that the restart opens both, as production does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from bench.results_io import commit, machine, update_summary

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data" / "scale"


# Runs a command and prints its peak RSS (KiB): RUSAGE_CHILDREN of this process is the
# maximum over its children ever, so each measured command gets a wrapper process of its own.
_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
         "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a child command."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], check=True, capture_output=True,
                         text=True).stdout
    return time.perf_counter() - t0, int(out.split()[-1])


def _generate(n: int) -> Path:
    src = DATA / f"docs-{n}"
    if not (src / "documents.parquet").exists():
        _run([sys.executable, "-m", "screening", "datagen", "--persons", "0", "--documents",
              str(n), "--manifests", "0", "--out", str(src), "--quiet"])
    return src / "documents.parquet"


def _lookups_per_second(data: Path, queries: int = 1_000_000) -> dict:
    """Single-thread lookups/s for misses (real traffic: 1 hit in 15,000) and for hits."""
    from indexes.snapshot import open_snapshot

    snap = open_snapshot(data)
    idx = snap.document_index
    rng = np.random.default_rng(7)
    rows = pa.array(rng.integers(0, len(idx), queries))
    numbers = snap.documents["number"].take(rows)
    countries = snap.documents["issuing_country"].take(rows)
    misses = pa.array(np.char.add("Q", rng.integers(10**8, 10**9, queries).astype(str)).tolist())
    idx.lookup(numbers.slice(0, 10), countries.slice(0, 10))
    out = {}
    for label, nums in (("miss", misses), ("hit", numbers)):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            exact, _ = idx.lookup(nums, countries)
            best = min(best, time.perf_counter() - t0)
        if label == "hit":
            assert (exact >= 0).all()
        out[label] = queries / best
    out["index_bytes_per_doc"] = idx.index_bytes() / len(idx)
    return out


def _restart(data: Path, port: int = 50091, memory: dict | None = None) -> float:
    """Seconds from process start to health SERVING; with `memory`, also fills it with the
    server's resident set once SERVING (bench.load.memory)."""
    from bench.load.memory import tree_memory
    from screening.client import Client

    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "screening", "serve", "--data", str(data),
                             "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        with Client(f"127.0.0.1:{port}") as c:
            while not c.is_serving():
                if proc.poll() is not None:
                    raise RuntimeError("server exited")
                time.sleep(0.05)
        elapsed = time.perf_counter() - t0
        if memory is not None:
            memory.update(tree_memory(proc.pid))
        return elapsed
    finally:
        proc.terminate()
        proc.wait()


def measure(n: int, nominal: Path | None = None, keep: bool = False) -> dict:
    parquet = _generate(n)
    data = DATA / f"data-{n}"
    if data.exists():
        subprocess.run(["rm", "-rf", str(data)], check=True)
    build_s, rss_kib = _run([sys.executable, "-m", "screening", "load", "documents",
                             str(parquet), "--data", str(data)])
    persons = 0
    if nominal is not None:
        _run([sys.executable, "-m", "screening", "load", "nominal", str(nominal), "--data",
              str(data)])
        from indexes.snapshot import open_snapshot

        persons = open_snapshot(data).records.num_rows
    _restart(data)  # first start compiles and warms the page cache
    restarts = sorted(_restart(data) for _ in range(3))
    restart_s = restarts[0]
    memory: dict = {}
    _restart(data, memory=memory)
    lookups = _lookups_per_second(data)
    if not keep:  # the biggest sizes do not fit twice on the disk and in the page cache
        subprocess.run(["rm", "-rf", str(data)], check=True)
    return {"documents": n, "persons": persons, "build_s": round(build_s, 1), "build_peak_rss_gib":
            round(rss_kib / 2**20, 2), "restart_to_serving_s": round(restart_s, 2),
            "restart_runs_s": [round(x, 2) for x in restarts],
            "lookups_per_s_miss": round(lookups["miss"]), "lookups_per_s_hit":
            round(lookups["hit"]), "index_bytes_per_doc": round(lookups["index_bytes_per_doc"], 2),
            "serving_rss_gib": memory.get("rss_gib"), "serving_pss_anon_gib":
            memory.get("pss_anon_gib")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 16_000_000, 128_000_000])
    ap.add_argument("--nominal", type=Path, help="persons (nominal.jsonl) loaded beside them")
    ap.add_argument("--keep", action="store_true", help="keep the data folders")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = ap.parse_args()
    command = "python -m bench.scale.documents --sizes " + " ".join(map(str, args.sizes))
    if args.nominal:
        command += f" --nominal {args.nominal}"
    rows = []
    for n in args.sizes:
        print(f"measuring {n:,} documents", file=sys.stderr, flush=True)
        rows.append(measure(n, args.nominal, args.keep))
        print(json.dumps(rows[-1]), flush=True)
        (DATA / "documents_rows.json").write_text(json.dumps(rows, indent=1))
        # Rewritten after every size: a size that fails leaves the others reported.
        write_report(rows, Path(args.out), command)


def write_report(rows: list[dict], out: Path, command: str) -> None:
    from bench.scale.documents_plot import plot

    out.mkdir(parents=True, exist_ok=True)
    plot(rows, out / "scale_documents.png")
    lines = [f"## Documents: the stolen and lost list as it grows\n\nMachine: {machine()}. "
             f"Commit {commit()}. Command: `{command}`.\n",
             "Build = `screening load documents` from Parquet (DuckDB ETL, streamed, "
             "documents.arrow plus the index arrays), one run. Restart = process start to "
             "health SERVING over the memory-mapped snapshot, best of 3 after a first start "
             "(page cache warm). Lookups = one thread, batches of 1,000,000 numbers, best of "
             "3; misses are real traffic (1 hit in 15,000), hits also fetch and verify the "
             "row. Persons = listed persons loaded beside the documents (opened at restart). "
             "Server RSS = one `screening serve` process once SERVING (warmed up, idle): "
             "memory-mapped pages it touched plus its own (anonymous) memory.\n",
             "| documents | persons | build (s) | build peak RSS (GiB) | restart to SERVING, best (all"
             " 3) (s) "
             "| lookups/s/core, misses | lookups/s/core, hits | index bytes/doc | "
             "server RSS (GiB) | of which anonymous (GiB) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['documents']:,} | {r.get('persons', 0):,} | {r['build_s']} | "
                     f"{r['build_peak_rss_gib']} | {r['restart_to_serving_s']} "
                     f"({' / '.join(map(str, r.get('restart_runs_s', [])))}) | "
                     f"{r['lookups_per_s_miss']:,} | {r['lookups_per_s_hit']:,} | "
                     f"{r['index_bytes_per_doc']} | {r.get('serving_rss_gib')} | "
                     f"{r.get('serving_pss_anon_gib')} |")
    lines.append("\n![documents at scale](scale_documents.png)\n")
    (out / "scale_documents.md").write_text("\n".join(lines) + "\n")
    largest = rows[-1]
    n = f"{largest['documents'] // 1_000_000}M"
    update_summary(out / "summary.json", [
        {"name": f"documents_{n}_build_seconds", "value": largest["build_s"], "unit": "s",
         "command": command},
        {"name": f"documents_{n}_restart_to_serving_seconds",
         "value": largest["restart_to_serving_s"], "unit": "s", "command": command},
        {"name": f"documents_{n}_lookups_per_second_per_core_misses",
         "value": largest["lookups_per_s_miss"], "unit": "1/s", "command": command},
        {"name": "document_index_bytes_per_document", "value": largest["index_bytes_per_doc"],
         "unit": "B", "command": command},
        {"name": f"documents_{n}_server_rss_gib", "value": largest["serving_rss_gib"],
         "unit": "GiB", "command": command},
    ])


if __name__ == "__main__":
    main()
