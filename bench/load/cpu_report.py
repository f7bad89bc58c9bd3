"""The load report's CPU section: per call (check) or per passenger (manifest), where the
machine's CPU went in the median runs of `bench.load.run`, and how much of it the throughput
targets leave for the screening. Apart from report.py so that it runs without matplotlib
(the tests import it)."""

from __future__ import annotations

import os


def served(run: dict) -> tuple[float, int]:
    """(throughput, calls or passengers served) of one load-generator run."""
    if "passengers_per_s" in run:
        return run["passengers_per_s"], run["passenger_latency"]["requests"]
    return run["throughput_per_s"], run["requests"]


def _us(seconds: float, n: int) -> str:
    return f"{seconds / max(n, 1) * 1e6:,.0f}"


def cpu_section(r: dict, cores: int | None = None) -> list[str]:
    """Where the CPU went in the four median runs, per call (check) or passenger (manifest),
    and what the throughput targets leave for the screening on a machine of `cores` cores
    (default this one's); nothing for results measured without CPU accounting."""
    keys = ("echo_check", "server_check", "echo_manifest", "server_manifest")
    if not all("cpu" in r.get(k, {}) for k in keys):
        return []
    cores = cores or os.cpu_count() or 1
    lines = [
        "## Where the CPU goes (the median runs)\n",
        "CPU time per call (checks) or per passenger (manifests), from /proc during each "
        "median run (`bench.load.proc`): the load generator and its processes, the server's "
        "processes (the parent, which owns the follow-up store, and the workers; the echo "
        "floor has workers only), and how busy the whole machine was. Also: `python -m "
        "bench.load.cpu_split check|manifest [--echo]`.\n",
        "| run | served/s | load generator (µs) | follow-up store (µs) | workers (µs) | "
        "all (µs) | machine busy |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    per: dict[str, float] = {}
    for key in keys:
        run = r[key]
        rate, n = served(run)
        cpu = run["cpu"]
        store = 0.0 if key.startswith("echo") else cpu["server_s"][0]
        workers = sum(cpu["server_s"]) - store
        total = cpu["client_s"] + sum(cpu["server_s"])
        per[key] = total / max(n, 1) * 1e6
        lines.append(f"| {key.replace('_', ' ')} | {rate:,.0f} | {_us(cpu['client_s'], n)} | "
                     f"{'-' if key.startswith('echo') else _us(store, n)} | "
                     f"{_us(workers, n)} | {per[key]:,.0f} | "
                     f"{cpu['busy_s'] / max(cpu['all_s'], 1e-9):.0%} |")
    floor_rate = served(r["echo_check"])[0]
    budget = cores / (0.8 * floor_rate) * 1e6
    manifest_budget = cores / 20_000 * 1e6
    client_m = r["server_manifest"]["cpu"]["client_s"] / max(served(r["server_manifest"])[1], 1)
    lines += [
        "",
        f"What the targets leave, with every core busy ({cores} cores, the load generator "
        f"among them): 80% of the floor's {floor_rate:,.0f} calls/s is "
        f"{0.8 * floor_rate:,.0f} calls/s, so {budget:,.0f} µs of CPU per call for "
        f"everything. The floor's own call takes {per['echo_check']:,.0f} µs, which leaves "
        f"{budget - per['echo_check']:,.0f} µs for all that screening a check adds (the "
        f"engine, the follow-up store, credentials, audit, batching); the server's calls "
        f"take {per['server_check'] - per['echo_check']:,.0f} µs more than the floor's. "
        f"The median-latency target (within 1 ms of the floor's, with 32 callers always "
        f"waiting) asks for about as much: by Little's law the latency is 32 / throughput. "
        f"20,000 passengers/s leaves {manifest_budget:,.0f} µs per passenger for everything; "
        f"the load generator takes {client_m * 1e6:,.0f}, the server now "
        f"{per['server_manifest'] - client_m * 1e6:,.0f}.\n",
    ]
    return lines
