"""bench/results/load.md and load_latency.png from one `bench.load.run`."""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib
import numpy as np

from bench.load.cpu_report import cpu_section

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def _plot(tmp: Path, path: Path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    bins = np.logspace(-1, 4, 120)  # 0.1 ms .. 10 s
    for ax, pairs, title in (
        (axes[0], (("echo_check", "echo floor"), ("server_check", "screening server")),
         "CheckPassenger, 32 concurrent callers"),
        (axes[1], (("echo_manifest", "echo floor"), ("server_manifest", "screening server")),
         "ScreenManifest, per passenger (sent -> result)"),
    ):
        for key, label in pairs:
            f = tmp / f"{key}.npy"
            if f.exists():
                ms = np.load(f) * 1000.0
                ax.hist(ms, bins=bins, histtype="step", label=f"{label} (n={len(ms):,})")
        ax.set_xscale("log")
        ax.set_xlabel("latency (ms)")
        ax.set_ylabel("calls" if "Check" in title else "passengers")
        ax.set_title(title, fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _pct_row(label: str, r: dict) -> str:
    return (f"| {label} | {r['throughput_per_s']:,.0f} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} |"
            f" {r['p99_ms']:.2f} | {r['p99.9_ms']:.2f} | {r['errors']} |")


def _rates(r: dict) -> list[str]:
    keys = sorted((k for k in r if k.startswith("server_rate_")),
                  key=lambda k: float(k.rsplit("_", 1)[1]))
    if not keys:
        return []
    out = ["### CheckPassenger at fixed offered rates (latency from the scheduled send time)\n",
           "| offered (calls/s) | served (calls/s) | p50 (ms) | p90 (ms) | p99 (ms) | "
           "p99.9 (ms) | errors |", "|---|---:|---:|---:|---:|---:|---:|"]
    out += [_pct_row(k.rsplit("_", 1)[1], r[k]) for k in keys]
    return [*out, ""]


def _profiles(tmp: Path) -> list[str]:
    """The profiles bench.load.run took (see its `profile`), as report sections."""
    out = []
    for mode, title in (("check", "CheckPassenger"), ("manifest", "ScreenManifest")):
        f = tmp / f"profile_{mode}.txt"
        if f.exists():
            text = f.read_text()
            out += [f"## Profile: one server process under {title} load\n",
                    "One worker, one gRPC thread, cProfile (command: `python -m "
                    f"bench.load.profile_server --mode {mode} --duration 8`). First line: "
                    "what the load generator saw meanwhile (the profiler slows the server).\n",
                    "```", text.strip()[:12000], "```\n"]
    f = tmp / "profile_workers.txt"
    if f.exists():
        out += ["## Profile: the workers under CheckPassenger load (py-spy)\n",
                "Every worker of the real server, 32 concurrent callers, sampled by py-spy "
                "(`--gil`: the threads holding the GIL, so waits are left out; the Numba "
                "kernels release the GIL and gRPC's C core runs outside it, so neither "
                "appears). Shares are of those samples. Also: `python -m "
                "bench.load.cpu_split check --py-spy 10`.\n",
                "```", f.read_text().strip()[:12000], "```\n"]
    f = tmp / "profile_engine.md"
    if f.exists():
        out.append(f.read_text().replace("## Profile", "## Profile (engine)", 1))
    return out


def _runs(result: dict) -> str:
    """Every run's throughput, ascending (the median one is the row shown)."""
    return " / ".join(f"{v:,.0f}" for v in result.get("runs", [])) or "one run"


def write_report(r: dict, tmp: Path, out: Path, command: str, args: argparse.Namespace,
                 machine: str, commit: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _plot(tmp, out / "load_latency.png")
    sc, ec = r["server_check"], r["echo_check"]
    sm, em = r["server_manifest"], r["echo_manifest"]
    mem = r["memory_after"]
    ratio = sc["throughput_per_s"] / ec["throughput_per_s"]
    lines = [
        "# Load: the real server against the echo floor\n",
        f"Machine: {machine}. Commit {commit}. Command: `{command}`.\n",
        f"Data: {args.persons:,} persons, {args.documents:,} documents. Server: `screening "
        f"serve --workers {args.workers}` (TLS, per-client tokens, rate limit set out of "
        f"reach); echo floor: the same messages, {args.workers} processes on one port "
        "(SO_REUSEPORT), TLS, no work. The load generator (async gRPC, "
        f"{args.client_processes} process) runs on the same 2 cores as the server, so both "
        f"the server and the floor share the machine with it. Each run lasts "
        f"{args.duration:g} s; the four main measurements run {args.repeats} times each and "
        "the median run (by throughput) is shown, with every run's throughput below its "
        "table; the fixed-rate runs run once.\n",
        "## CheckPassenger, 32 concurrent callers\n",
        "| target | calls/s | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        _pct_row("echo floor", ec),
        _pct_row("screening server", sc),
        "",
        f"Runs (calls/s): echo {_runs(ec)}; server {_runs(sc)}.\n",
        f"Throughput: {ratio:.0%} of the floor (target at least 80%). Median latency: "
        f"{sc['p50_ms'] - ec['p50_ms']:+.2f} ms against the floor's (target within 1 ms).\n",
        *_rates(r),
        f"## ScreenManifest, {args.centres} concurrent centres, 500-passenger manifests\n",
        "| target | passengers/s | manifests | manifest p50 (ms) | manifest p99 (ms) | "
        "passenger p50 (ms) | passenger p99 (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, m in (("echo floor", em), ("screening server", sm)):
        ml, pl = m["manifest_latency"], m["passenger_latency"]
        lines.append(f"| {label} | {m['passengers_per_s']:,.0f} | {m['manifests']} | "
                     f"{ml.get('p50_ms', 0):.1f} | {ml.get('p99_ms', 0):.1f} | "
                     f"{pl.get('p50_ms', 0):.1f} | {pl.get('p99_ms', 0):.1f} | {m['errors']} |")
    lines += [
        "",
        f"Runs (passengers/s): echo {_runs(em)}; server {_runs(sm)}.\n",
        "Target: at least 20,000 passengers/s end to end (full screening: documents and "
        "names against the persons).\n",
        "## Memory\n",
        f"Server tree ({mem['processes']} processes: the parent holding the follow-up store "
        f"and {args.workers} workers) after the runs: RSS {mem['rss_gib']:.2f} GiB summed "
        f"over processes (per process {mem['rss_per_process_gib']}), PSS {mem['pss_gib']:.2f}"
        f" GiB (anonymous {mem['pss_anon_gib']:.2f}, file-backed {mem['pss_file_gib']:.2f}): "
        "RSS counts the shared memory-mapped snapshot once per worker, PSS once. Before the "
        f"runs: RSS {r['memory_idle']['rss_gib']:.2f} GiB, PSS {r['memory_idle']['pss_gib']:.2f}"
        f" GiB. Start to SERVING (both workers): {r['start_to_serving_s']} s.\n",
        "![latency histograms](load_latency.png)\n",
    ]
    lines += cpu_section(r)
    lines += _profiles(tmp)
    (out / "load.md").write_text("\n".join(lines) + "\n")
