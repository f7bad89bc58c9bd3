"""The load benchmark, end to end (`make bench-load`):

    python -m bench.load.run --persons 1000000 --documents 16000000 --duration 20

1. Generates (datagen) and loads (`screening load`) the persons and documents into
   bench/data/load/ (cached between runs; gitignored).
2. Starts the real server (`screening serve --workers 2`: TLS, per-client tokens, the rate
   limit set far above what the run can reach) and the echo floor with the same process
   model (2 processes on one port, SO_REUSEPORT, TLS), each on a free loopback port.
3. Runs the load generator (its own process) against each: CheckPassenger from 32
   concurrent callers, then ScreenManifest with 500-passenger manifests from several
   concurrent centres; reads the server processes' resident set with the data loaded, and
   the CPU that the load generator, each server process and the machine spend in each run
   (bench.load.proc), so that the report says per call where the 2 cores went.
4. Writes bench/results/load.md, load_latency.png and summary.json entries. The four main
   measurements run --repeats times (3) and the median run is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.load.echo import start_echo
from bench.load.memory import tree_memory
from bench.load.proc import children, measured
from bench.results_io import commit, machine, update_summary
from screening.datagen import is_current

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data" / "load"
PY = sys.executable
# Far above anything 2 cores can serve: the bench measures the service, not the limiter (which
# still runs on every call, as in production).
RATE_LIMIT = "1000000000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sh(cmd: list[str], env: dict | None = None) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def prepare(persons: int, documents: int, log, name_model: int = 1) -> tuple[Path, Path, dict]:
    """Generated files, loaded data folder, and timings of the steps that ran now."""
    tag = f"p{persons}-d{documents}" + (f"-n{name_model}" if name_model != 1 else "")
    gen = DATA / f"gen-{tag}"
    data = DATA / f"data-{tag}"
    timing: dict = {}
    if not is_current(gen, name_model):  # none yet, or made with another name model
        shutil.rmtree(gen, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
        log(f"generating {persons:,} persons and {documents:,} documents")
        t0 = time.perf_counter()
        _sh([PY, "-m", "screening", "datagen", "--persons", str(persons), "--documents",
             str(documents), "--manifests", "20", "--manifest-size", "500", "--out", str(gen),
             "--name-model", str(name_model), "--quiet"])
        timing["generate_s"] = round(time.perf_counter() - t0, 1)
    if not (data / "CURRENT").exists():
        log("loading documents and persons")
        t0 = time.perf_counter()
        _sh([PY, "-m", "screening", "load", "documents", str(gen / "documents.parquet"),
             "--data", str(data)])
        _sh([PY, "-m", "screening", "load", "nominal", str(gen / "nominal.jsonl"),
             "--data", str(data)])
        timing["load_s"] = round(time.perf_counter() - t0, 1)
    passengers = gen / "passengers.jsonl"
    if not passengers.exists():
        lines = [line for m in sorted((gen / "manifests").glob("*.jsonl"))
                 for line in m.read_text(encoding="utf-8").splitlines() if line.strip()]
        passengers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gen, data, timing


def trust(data: Path) -> dict[str, str]:
    """Throwaway TLS files and one partner and one centre credential (the server's file)."""
    from screening.security.certs import generate_tls

    files = generate_tls(DATA / "tls")
    tokens = {}
    for client, role in (("bench-partner", "partner"), ("bench-centre", "centre")):
        out = _sh([PY, "-m", "screening", "credentials", "issue", f"{client}-{os.getpid()}",
                   "--role", role, "--data", str(data)])
        tokens[role] = out.strip().splitlines()[0]
    return {"ca": str(files.ca_cert), "cert": str(files.server_cert),
            "key": str(files.server_key), **tokens}


def start_server(data: Path, port: int, workers: int, env: dict) -> subprocess.Popen:
    from screening.client import Client

    proc = subprocess.Popen([PY, "-m", "screening", "serve", "--data", str(data), "--port",
                             str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    with Client(f"127.0.0.1:{port}", token=env["SCREENING_TOKEN"],
                ca_cert=env["SCREENING_CA_CERT"]) as c:
        while not c.is_serving():
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with code {proc.returncode}")
            time.sleep(0.2)
    return proc


def loadgen_cmd(mode: str, port: int, passengers: Path, duration: float, *,
                concurrency: int = 32, centres: int = 4, batch: int = 100, processes: int = 1,
                latencies: Path | None = None, rate: float | None = None) -> list[str]:
    """The load generator's command line: partner checks at `concurrency` (or a fixed
    `rate`), or 500-passenger manifests from `centres` centres in messages of `batch`."""
    cmd = [PY, "-m", "bench.load.loadgen", mode, "--target", f"127.0.0.1:{port}",
           "--passengers", str(passengers), "--duration", str(duration),
           "--processes", str(processes)]
    if latencies is not None:
        cmd += ["--latencies", str(latencies)]
    if mode == "check":
        cmd += ["--concurrency", str(concurrency)]
        if rate:
            cmd += ["--rate", str(rate)]
    else:
        cmd += ["--centres", str(centres), "--manifest-size", "500", "--batch", str(batch)]
    return cmd


def loadgen(mode: str, port: int, passengers: Path, env: dict, latencies: Path,
            args: argparse.Namespace, rate: float | None = None,
            pids: list[int] | None = None) -> dict:
    """One load-generator run. With the server's `pids`, the result also says under "cpu"
    what they, the load generator and the machine spent meanwhile (bench.load.proc)."""
    cmd = loadgen_cmd(mode, port, passengers, args.duration, concurrency=args.concurrency,
                      centres=args.centres, batch=args.batch, processes=args.client_processes,
                      latencies=latencies, rate=rate)
    out, cpu = measured(lambda: _sh(cmd, env), pids or [])
    result = json.loads(out.strip().splitlines()[-1])
    if pids:
        result["cpu"] = cpu
    return result


def median_run(mode: str, port: int, passengers: Path, env: dict, latencies: Path,
               args: argparse.Namespace, pids: list[int] | None = None) -> dict:
    """`args.repeats` runs of one measurement; the median one by throughput, with every
    run's throughput under "runs" (the machine is noisy: one run can be 20% off). Its
    latencies are kept at `latencies`."""
    key = "throughput_per_s" if mode == "check" else "passengers_per_s"
    runs = []
    for k in range(args.repeats):
        path = latencies.with_name(f"{latencies.stem}.run{k}.npy")
        runs.append((loadgen(mode, port, passengers, env, path, args, pids=pids), path))
    runs.sort(key=lambda run: run[0][key])
    chosen, path = runs[len(runs) // 2]
    path.replace(latencies)
    for _, other in runs:
        other.unlink(missing_ok=True)
    return {**chosen, "runs": [run[key] for run, _ in runs]}


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--documents", type=int, default=16_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--repeats", type=int, default=3,
                    help="runs per main measurement; the median one is reported")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--centres", type=int, default=4)
    ap.add_argument("--batch", type=int, default=100, help="passengers per manifest message")
    ap.add_argument("--client-processes", type=int, default=1)
    # 114/s: the stolen-document list's yearly average (3.6 billion searches a year).
    ap.add_argument("--rates", type=float, nargs="*", default=[114.0, 500.0])
    ap.add_argument("--no-profile", dest="profile", action="store_false")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--name-model", type=int, choices=(1, 2, 3), default=1,
                    help="the generator's name frequencies (screening/datagen/frequencies.py); "
                         "give a study its own --out")
    args = ap.parse_args()
    command = (f"python -m bench.load.run --persons {args.persons} --documents "
               f"{args.documents} --duration {args.duration:g} --repeats {args.repeats}")
    if args.name_model != 1:
        command += f" --name-model {args.name_model} --out {args.out}"

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    gen, data, timing = prepare(args.persons, args.documents, log, args.name_model)
    t = trust(data)
    tmp = DATA / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    base = {**os.environ, "SCREENING_TLS_CERT": t["cert"], "SCREENING_TLS_KEY": t["key"],
            "SCREENING_CA_CERT": t["ca"], "SCREENING_RATE_LIMIT_PER_S": RATE_LIMIT,
            "SCREENING_RELOAD_INTERVAL_S": "0"}
    partner = {**base, "SCREENING_TOKEN": t["partner"]}
    centre = {**base, "SCREENING_TOKEN": t["centre"]}
    passengers = gen / "passengers.jsonl"
    results: dict = {"timing": timing}

    log("echo floor")
    port = free_port()
    echo = start_echo("127.0.0.1", port, args.workers, env=base)
    echo_pids = [p.pid for p in echo]
    try:
        results["echo_check"] = median_run("check", port, passengers, partner,
                                           tmp / "echo_check.npy", args, echo_pids)
        results["echo_manifest"] = median_run("manifest", port, passengers, centre,
                                              tmp / "echo_manifest.npy", args, echo_pids)
    finally:
        for p in echo:
            p.terminate()
            p.wait()

    log("real server")
    # Every run starts from an empty follow-up queue: hits of earlier runs in the cached data
    # folder would make each run insert into a bigger store than the last (not comparable).
    for stale in data.glob("followup.duckdb*"):
        stale.unlink()
    port = free_port()
    t0 = time.perf_counter()
    server = start_server(data, port, args.workers, partner)
    results["start_to_serving_s"] = round(time.perf_counter() - t0, 2)
    try:
        results["memory_idle"] = tree_memory(server.pid)
        pids = children(server.pid)  # the parent (the follow-up store), then the workers
        results["server_check"] = median_run("check", port, passengers, partner,
                                             tmp / "server_check.npy", args, pids)
        results["server_manifest"] = median_run("manifest", port, passengers, centre,
                                                tmp / "server_manifest.npy", args, pids)
        if args.profile:  # the workers under partner checks, sampled (not a measured run)
            profile_workers(server.pid, port, passengers, partner, tmp, args, log)
        for rate in args.rates:  # latency at fixed offered rates, charged from the schedule
            results[f"server_rate_{rate:g}"] = loadgen("check", port, passengers, partner,
                                                       tmp / f"server_rate_{rate:g}.npy", args,
                                                       rate)
        results["memory_after"] = tree_memory(server.pid)
    finally:
        stop(server)
    (tmp / "results.json").write_text(json.dumps(results, indent=1))
    if args.profile:
        profile(data, gen, passengers, tmp, args, log)

    from bench.load.report import write_report

    out = Path(args.out)
    write_report(results, tmp, out, command, args, machine(), commit())
    update_summary(out / "summary.json", summary_entries(results, command))
    log(f"wrote {out / 'load.md'}")


def profile(data: Path, gen: Path, passengers: Path, tmp: Path, args: argparse.Namespace,
            log) -> None:
    """Where the time goes: one server process with one gRPC thread under cProfile (so the
    profile is of the work, not of threads waiting on each other), driven by the load
    generator; and the in-process engine over the manifests."""
    log("profiles")
    env = {**os.environ, "SCREENING_GRPC_THREADS": "1"}
    for mode in ("check", "manifest"):
        _sh([PY, "-m", "bench.load.profile_server", "--data", str(data), "--passengers",
             str(passengers), "--mode", mode, "--duration", "8", "--top", "30", "--out",
             str(tmp / f"profile_{mode}.txt")], env)
    _sh([PY, "-m", "bench.scale.profile", "--gen", str(gen), "--data", str(data), "--out",
         str(tmp / "profile_engine.md")])


def profile_workers(server_pid: int, port: int, passengers: Path, env: dict, tmp: Path,
                    args: argparse.Namespace, log) -> None:
    """Where the workers' time goes under full partner-check load, gRPC and all: py-spy
    samples of the threads holding the GIL during one extra run (see bench.load.cpu_split)."""
    from bench.load.cpu_split import sample_during, summarise_stacks

    log("worker profile (py-spy)")
    spy_dir = tmp / "py-spy"
    shutil.rmtree(spy_dir, ignore_errors=True)
    spy_dir.mkdir()
    seconds = max(1.0, args.duration / 2)
    cmd = loadgen_cmd("check", port, passengers, args.duration, concurrency=args.concurrency)
    gen = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    workers = children(server_pid)[1:]  # [0] is the parent, which holds the store
    out = sample_during(gen, workers, args.duration, seconds, spy_dir)
    seen = json.loads(out.strip().splitlines()[-1])
    (tmp / "profile_workers.txt").write_text(
        f"{seen['throughput_per_s']:,.0f} checks/s meanwhile; {seconds:g} s of samples\n"
        + "\n".join(summarise_stacks(sorted(spy_dir.glob("*.txt")))) + "\n")


def summary_entries(r: dict, command: str) -> list[dict]:
    sc, ec = r["server_check"], r["echo_check"]
    entries = [
        ("load_check_32_throughput_per_s", sc["throughput_per_s"], "1/s"),
        ("load_check_32_p50_ms", sc["p50_ms"], "ms"),
        ("load_check_32_p99_ms", sc["p99_ms"], "ms"),
        ("load_echo_32_throughput_per_s", ec["throughput_per_s"], "1/s"),
        ("load_echo_32_p50_ms", ec["p50_ms"], "ms"),
        ("load_check_over_echo_throughput", round(sc["throughput_per_s"] /
                                                  ec["throughput_per_s"], 3), "share"),
        ("load_manifest_passengers_per_s", r["server_manifest"]["passengers_per_s"], "1/s"),
        ("load_server_rss_gib", r["memory_after"]["rss_gib"], "GiB"),
        ("load_server_pss_gib", r["memory_after"]["pss_gib"], "GiB"),
        ("load_start_to_serving_s", r["start_to_serving_s"], "s"),
    ]
    return [{"name": n, "value": v, "unit": u, "command": command} for n, v, u in entries]


if __name__ == "__main__":
    main()
