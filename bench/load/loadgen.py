"""Load generator: an async gRPC client in its own process(es).

    python -m bench.load.loadgen check --target 127.0.0.1:50051 --passengers P.jsonl \
        --concurrency 32 --duration 20 [--rate 1000] [--processes 2]
    python -m bench.load.loadgen manifest --target ... --passengers P.jsonl \
        --centres 4 --manifest-size 500 --duration 20

Prints one JSON object: throughput and latency percentiles (p50, p90, p99, p99.9 in ms).
At a fixed `--rate`, latency is measured from the *scheduled* send time, so a server that
falls behind is charged for the queueing it causes (no coordinated omission).
Each caller has its own connection (a local subchannel pool): SO_REUSEPORT spreads
connections, not calls, across server processes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

import grpc
import numpy as np

from screening.pb import screening_pb2 as pb
from screening.pb import screening_pb2_grpc as pb_grpc

PERCENTILES = (50, 90, 99, 99.9)
_CHANNEL_OPTIONS = [("grpc.use_local_subchannel_pool", 1)]
# TLS and the client credential come from $SCREENING_CA_CERT and $SCREENING_TOKEN (the
# server wants both unless it runs with SCREENING_AUTH=none on loopback). The token goes
# as plain metadata: a call-credentials plugin would cost the generator a thread per call.
_TOKEN = os.environ.get("SCREENING_TOKEN", "")
_METADATA = (("authorization", f"Bearer {_TOKEN}"),) if _TOKEN else None


def _channel(target: str) -> grpc.aio.Channel:
    ca = os.environ.get("SCREENING_CA_CERT", "")
    if not ca:
        return grpc.aio.insecure_channel(target, options=_CHANNEL_OPTIONS)
    return grpc.aio.secure_channel(target, grpc.ssl_channel_credentials(Path(ca).read_bytes()),
                                   options=_CHANNEL_OPTIONS)


def load_passengers(path: Path, limit: int = 100_000) -> list[pb.Passenger]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines()[:limit]:
        d = json.loads(line)
        doc = d.get("document") or {}
        out.append(pb.Passenger(
            ref=d.get("ref", ""), surname=d.get("surname", ""),
            given_names=d.get("given_names", ""), full_name=d.get("full_name", ""),
            date_of_birth=d.get("date_of_birth", ""), sex=d.get("sex", ""),
            nationality=d.get("nationality", ""),
            document=pb.TravelDocument(number=doc.get("number", ""),
                                       issuing_country=doc.get("issuing_country", ""),
                                       type=doc.get("type", ""), expiry=doc.get("expiry", ""))))
    return out


def summarise(latencies_s: list[float], count: int, errors: int, elapsed: float) -> dict:
    lat = np.asarray(latencies_s, dtype=np.float64) * 1000.0
    out = {"requests": count, "errors": errors, "seconds": round(elapsed, 3),
           "throughput_per_s": round(count / elapsed, 1) if elapsed else 0.0}
    if lat.size:
        for p in PERCENTILES:
            out[f"p{p}_ms"] = round(float(np.percentile(lat, p)), 3)
        out["mean_ms"] = round(float(lat.mean()), 3)
    return out


# -- CheckPassenger --------------------------------------------------------------------------


async def _check_worker(target: str, passengers: list, offset: int, stop_at: float,
                        schedule: asyncio.Queue | None, lat: list, errs: list) -> None:
    async with _channel(target) as channel:
        stub = pb_grpc.ScreeningStub(channel)
        i = offset
        while True:
            if schedule is not None:
                due = await schedule.get()
                if due is None:
                    return
            else:
                due = time.perf_counter()
                if due >= stop_at:
                    return
            p = passengers[i % len(passengers)]
            i += 7919  # stride through the pool so callers do not move in step
            try:
                await stub.CheckPassenger(pb.CheckPassengerRequest(passenger=p), timeout=30,
                                         metadata=_METADATA)
                lat.append(time.perf_counter() - due)
            except grpc.aio.AioRpcError:
                errs.append(1)


async def _schedule(queue: asyncio.Queue, rate: float, stop_at: float, callers: int) -> None:
    start = time.perf_counter()
    n = 0
    while True:
        due = start + n / rate
        if due >= stop_at:
            break
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait(due)
        n += 1
    for _ in range(callers):
        queue.put_nowait(None)


async def run_check(target: str, passengers: list, concurrency: int, duration: float,
                    rate: float | None, seed: int) -> tuple[list, int, float]:
    lat: list[float] = []
    errs: list[int] = []
    start = time.perf_counter()
    stop_at = start + duration
    queue = asyncio.Queue() if rate else None
    tasks = [_check_worker(target, passengers, seed * 1009 + k * 97, stop_at, queue, lat, errs)
             for k in range(concurrency)]
    if rate:
        tasks.append(_schedule(queue, rate, stop_at, concurrency))
    await asyncio.gather(*tasks)
    return lat, len(errs), time.perf_counter() - start


# -- ScreenManifest --------------------------------------------------------------------------


async def _centre(target: str, passengers: list, size: int, batch: int, stop_at: float,
                  seed: int, per_manifest: list, per_passenger: list, errs: list,
                  shared: grpc.aio.Channel | None = None) -> None:
    if shared is not None:  # the centres' streams share one connection
        await _centre_on(shared, passengers, size, batch, stop_at, seed, per_manifest,
                         per_passenger, errs)
        return
    async with _channel(target) as channel:
        await _centre_on(channel, passengers, size, batch, stop_at, seed, per_manifest,
                         per_passenger, errs)


async def _centre_on(channel: grpc.aio.Channel, passengers: list, size: int, batch: int,
                     stop_at: float, seed: int, per_manifest: list, per_passenger: list,
                     errs: list) -> None:
    stub = pb_grpc.ScreeningStub(channel)
    m = 0
    while time.perf_counter() < stop_at:
        base = (seed * 7907 + m * size) % len(passengers)
        chosen = [passengers[(base + j) % len(passengers)] for j in range(size)]
        sent_at: dict[str, float] = {}

        async def requests(chosen=chosen, sent_at=sent_at, m=m):
            yield pb.ManifestRequest(flight=pb.Flight(
                carrier="BN", flight_number=f"BN{seed}{m}", manifest_id=f"bench-{seed}-{m}"))
            for k in range(0, len(chosen), batch):
                chunk = []
                for j, p in enumerate(chosen[k:k + batch], start=k):
                    q = pb.Passenger()
                    q.CopyFrom(p)
                    q.ref = f"p{j}"
                    chunk.append(q)
                now = time.perf_counter()
                for q in chunk:
                    sent_at[q.ref] = now
                yield pb.ManifestRequest(batch=pb.PassengerBatch(passengers=chunk))

        t0 = time.perf_counter()
        try:
            async for resp in stub.ScreenManifest(requests(), timeout=300, metadata=_METADATA):
                kind = resp.WhichOneof("item")
                done = (list(resp.results.results) if kind == "results"
                        else [resp.result] if kind == "result" else [])
                now = time.perf_counter()
                for r in done:
                    per_passenger.append(now - sent_at[r.ref])
            per_manifest.append(time.perf_counter() - t0)
        except grpc.aio.AioRpcError:
            errs.append(1)
        m += 1


async def run_manifest(target: str, passengers: list, centres: int, size: int, batch: int,
                       duration: float, seed: int, one_connection: bool = False
                       ) -> tuple[list, list, int, float]:
    """`centres` concurrent manifest streams, each on its own connection, or all on one
    (one_connection: a centre multiplexing its flights; one server process receives them
    all)."""
    per_manifest: list[float] = []
    per_passenger: list[float] = []
    errs: list[int] = []
    shared = _channel(target) if one_connection else None
    start = time.perf_counter()
    try:
        await asyncio.gather(*[
            _centre(target, passengers, size, batch, start + duration, seed * 31 + c,
                    per_manifest, per_passenger, errs, shared) for c in range(centres)])
    finally:
        if shared is not None:
            await shared.close()
    return per_manifest, per_passenger, len(errs), time.perf_counter() - start


# -- processes -------------------------------------------------------------------------------


def _child(args: argparse.Namespace, index: int, queue: mp.Queue) -> None:
    passengers = load_passengers(Path(args.passengers))
    if args.mode == "check":
        per_proc = max(1, args.concurrency // args.processes)
        rate = args.rate / args.processes if args.rate else None
        lat, errs, elapsed = asyncio.run(run_check(args.target, passengers, per_proc,
                                                   args.duration, rate, index))
        queue.put(("check", lat, errs, elapsed))
    else:
        per_proc = max(1, args.centres // args.processes)
        man, pas, errs, elapsed = asyncio.run(run_manifest(
            args.target, passengers, per_proc, args.manifest_size, args.batch, args.duration,
            index, args.one_connection))
        queue.put(("manifest", man, pas, errs, elapsed))


def run(args: argparse.Namespace) -> dict:
    queue: mp.Queue = mp.get_context("spawn").Queue()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_child, args=(args, i, queue)) for i in range(args.processes)]
    for p in procs:
        p.start()
    parts = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = max(part[-1] for part in parts)
    if args.mode == "check":
        lat = [x for part in parts for x in part[1]]
        out = summarise(lat, len(lat), sum(part[2] for part in parts), elapsed)
        out.update(mode="check", concurrency=args.concurrency, rate=args.rate)
        _save_latencies(args.latencies, lat)
        return out
    manifests = [x for part in parts for x in part[1]]
    passengers = [x for part in parts for x in part[2]]
    errors = sum(part[3] for part in parts)
    _save_latencies(args.latencies, passengers)
    out = {"mode": "manifest", "centres": args.centres, "one_connection": args.one_connection,
           "manifest_size": args.manifest_size,
           "manifests": len(manifests), "errors": errors,
           "passengers_per_s": round(len(passengers) / elapsed, 1),
           "manifest_latency": summarise(manifests, len(manifests), errors, elapsed),
           "passenger_latency": summarise(passengers, len(passengers), errors, elapsed)}
    return out


def _save_latencies(path: str | None, seconds: list[float]) -> None:
    """Raw latencies (s) as .npy, for histograms drawn by the caller."""
    if path:
        np.save(path, np.asarray(seconds, dtype=np.float64))


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="bench.load.loadgen")
    ap.add_argument("mode", choices=["check", "manifest"])
    ap.add_argument("--target", default="127.0.0.1:50051")
    ap.add_argument("--passengers", required=True, help="passenger JSONL file")
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--rate", type=float, default=None, help="requests per second (fixed rate)")
    ap.add_argument("--centres", type=int, default=4)
    ap.add_argument("--one-connection", action="store_true",
                    help="manifest mode: every centre's streams on one connection")
    ap.add_argument("--manifest-size", type=int, default=500)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--latencies", help="also save every latency (s) to this .npy file")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    json.dump(run(args), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
