"""The transport floor: an empty Screening servicer with the same messages and the same
process model (N processes on one port with SO_REUSEPORT). Whatever the real server
costs beyond this is our own work, not gRPC's.

    python -m bench.load.echo --port 50099 --workers 2
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import uuid
from concurrent import futures
from pathlib import Path

import grpc

from screening.pb import screening_pb2 as pb
from screening.pb import screening_pb2_grpc as pb_grpc

READY = "ECHO-READY"


class EchoScreening(pb_grpc.ScreeningServicer):
    """Answers every passenger CLEAR without looking at anything."""

    def CheckPassenger(self, request, context):
        return pb.CheckPassengerResponse(check_id=uuid.uuid4().hex, decision=pb.CLEAR,
                                         snapshot_version="echo")

    def ScreenManifest(self, request_iterator, context):
        summary = pb.ManifestSummary()
        for message in request_iterator:
            kind = message.WhichOneof("item")
            passengers = ([message.passenger] if kind == "passenger"
                          else list(message.batch.passengers) if kind == "batch" else [])
            results = [pb.PassengerResult(ref=p.ref, check_id=uuid.uuid4().hex,
                                          decision=pb.CLEAR, snapshot_version="echo")
                       for p in passengers]
            summary.passengers += len(results)
            summary.clear += len(results)
            # the same message shapes as the real server: one message per batch
            if kind == "passenger":
                yield pb.ManifestResponse(result=results[0])
            elif kind == "batch":
                yield pb.ManifestResponse(results=pb.PassengerResultBatch(results=results))
        yield pb.ManifestResponse(summary=summary)


def _serve_one(host: str, port: int, threads: int) -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=threads),
                         options=[("grpc.so_reuseport", 1)])
    pb_grpc.add_ScreeningServicer_to_server(EchoScreening(), server)
    # TLS like the real server when $SCREENING_TLS_CERT/KEY are set: the floor must pay the
    # same transport costs (handshake, record encryption) or the comparison flatters it.
    cert, key = os.environ.get("SCREENING_TLS_CERT", ""), os.environ.get("SCREENING_TLS_KEY", "")
    if cert and key:
        creds = grpc.ssl_server_credentials([(Path(key).read_bytes(), Path(cert).read_bytes())])
        server.add_secure_port(f"{host}:{port}", creds)
    else:
        server.add_insecure_port(f"{host}:{port}")
    server.start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"{READY} {os.getpid()}", flush=True)
    stop.wait()
    server.stop(1).wait()
    os._exit(0)


def start_echo(host: str, port: int, workers: int, threads: int = 32,
               env: dict[str, str] | None = None) -> list[subprocess.Popen]:
    procs = [subprocess.Popen([sys.executable, "-m", "bench.load.echo", "--worker", "--host", host,
                               "--port", str(port), "--threads", str(threads)],
                              stdout=subprocess.PIPE, text=True, env=env)
             for _ in range(workers)]
    for p in procs:
        line = p.stdout.readline()
        if not line.startswith(READY):
            raise RuntimeError(f"echo worker failed to start: {line!r}")
    return procs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=50099)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _serve_one(args.host, args.port, args.threads)
        return
    procs = start_echo(args.host, args.port, args.workers, args.threads)
    print(f"echo: {args.workers} workers on {args.host}:{args.port}", flush=True)
    try:
        for p in procs:
            p.wait()
    except KeyboardInterrupt:
        for p in procs:
            p.send_signal(signal.SIGTERM)


if __name__ == "__main__":
    main()
