"""A full reload under load: while ~1,000 checks per second arrive, a new version is
swapped in with zero failed requests and no answer mixing two versions."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from indexes.snapshot import build_snapshot
from screening import loader
from screening.grpc import convert
from screening.live.versions import set_current
from screening.pb import screening_pb2 as pb
from screening.pb import screening_pb2_grpc as pb_grpc
from screening.security import credentials
from tests import trust
from tests.fixtures import NOMINAL, build_fixture_data, write_jsonl

RATE = 1000          # checks per second
SECONDS = 3.0
SWAP_AT = 1.0        # seconds into the load
WORKERS = 2          # server processes on one port: one per core
CONNECTIONS = 4
# Absent from v000001, a HIT in v000002: each answer's content names its version.
PROBE = convert.passenger_to_pb(convert.Passenger(
    ref="p", surname="ZABOROWSKI", given_names="TEODOR", date_of_birth="1981-03-04"))
# Most travellers are clear (hits are rare, and each one is written to the follow-up
# queue before the answer): one check in PROBE_EVERY is the probe.
PROBE_EVERY = 20
CLEAN = convert.passenger_to_pb(convert.Passenger(ref="c", surname="NOBODY",
                                                  given_names="ATALL"))
NEW_RECORD = {"record_id": "N-NEW", "list": "interpol-red", "category": "wanted",
              "names": [{"surname": "ZABOROWSKI", "given_names": "Teodor"}],
              "dates_of_birth": ["1981-03-04"], "sex": "M", "nationalities": ["POL"],
              "documents": [], "owner": "POL", "status": "active"}


def consistent(version: str, decision: int, record_ids: list[str], probe: bool = True) -> bool:
    if not probe:
        return version in ("v000001", "v000002") and decision == pb.CLEAR and not record_ids
    if version == "v000001":
        return decision == pb.CLEAR and record_ids == []
    return version == "v000002" and decision == pb.HIT and record_ids == ["N-NEW"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _load(port: int, token: str, ca_cert, data) -> tuple:
    """An asyncio load generator (a thread per call would cap the client, not the server):
    checks at a fixed rate, and a centre's manifest streaming batches, through the swap."""
    creds = grpc.ssl_channel_credentials(ca_cert.read_bytes())
    auth = (("authorization", f"Bearer {token}"),)
    # one connection per worker process and more: SO_REUSEPORT spreads connections
    channels = [grpc.aio.secure_channel(f"127.0.0.1:{port}", creds,
                                        options=[("grpc.use_local_subchannel_pool", 1)])
                for _ in range(CONNECTIONS)]
    try:
        return await _drive(channels, auth, data)
    finally:
        for channel in channels:
            await channel.close()


async def _drive(channels, auth, data) -> tuple:
    request = pb.CheckPassengerRequest(passenger=PROBE)
    clean = pb.CheckPassengerRequest(passenger=CLEAN)
    stubs = [pb_grpc.ScreeningStub(c) for c in channels]
    stub = stubs[0]
    if True:
        # Each channel is one connection, and SO_REUSEPORT hands each connection to one
        # worker: every channel must see SERVING (a worker answers NOT_SERVING while it
        # loads), not just the first one.
        deadline = time.monotonic() + 300
        for channel in channels:
            health = health_pb2_grpc.HealthStub(channel)
            while True:
                try:
                    status = (await health.Check(health_pb2.HealthCheckRequest(),
                                                 timeout=2)).status
                    if status == health_pb2.HealthCheckResponse.SERVING:
                        break
                except grpc.RpcError:
                    pass
                assert time.monotonic() < deadline, "server did not start"
                await asyncio.sleep(0.2)
        for each in stubs:
            await each.CheckPassenger(request, timeout=10, metadata=auth)

        stop = asyncio.Event()
        manifest_batches: list[list[pb.PassengerResult]] = []
        manifest_errors: list[BaseException] = []

        async def requests():
            yield pb.ManifestRequest(flight=pb.Flight(carrier="AF", flight_number="AF1",
                                                      manifest_id="swap"))
            while not stop.is_set():
                yield pb.ManifestRequest(batch=pb.PassengerBatch(
                    passengers=[PROBE] + [CLEAN] * 9))
                await asyncio.sleep(0.05)

        async def manifests() -> None:
            try:
                async for resp in stub.ScreenManifest(requests(), timeout=60, metadata=auth):
                    if resp.HasField("results"):
                        manifest_batches.append(list(resp.results.results))
            except grpc.RpcError as exc:
                manifest_errors.append(exc)

        manifest_task = asyncio.create_task(manifests())
        calls = []
        total = int(RATE * SECONDS)
        swapped = False
        t0 = time.monotonic()
        for i in range(total):
            due = t0 + i / RATE
            if not swapped and due - t0 >= SWAP_AT:
                set_current(data, "v000002")  # the full reload: a new version named
                swapped = True
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            calls.append(asyncio.ensure_future(
                stubs[i % len(stubs)].CheckPassenger(
                    request if i % PROBE_EVERY == 0 else clean, timeout=10, metadata=auth)))
        send_seconds = time.monotonic() - t0
        results = await asyncio.gather(*calls, return_exceptions=True)
        stop.set()
        await manifest_task
    answers = [(i % PROBE_EVERY == 0, r) for i, r in enumerate(results)
               if not isinstance(r, BaseException)]
    errors = [r for r in results if isinstance(r, BaseException)]
    return answers, errors, manifest_batches, manifest_errors, send_seconds


def test_full_reload_under_load_has_no_errors_and_no_mixed_answers(tmp_path):
    build_fixture_data(tmp_path)
    v2 = build_snapshot(tmp_path, nominal=loader.read_nominal(
        write_jsonl(tmp_path / "v2.jsonl", NOMINAL + [NEW_RECORD])))
    assert v2 == "v000002"
    set_current(tmp_path, "v000001")  # serve v1; v2 is ready to be named
    tls = trust.tls()
    token = credentials.issue(tmp_path / "credentials.json", "centre-load", "centre",
                              rate_per_s=10 * RATE)
    port = _free_port()
    # the server in its own process, as in production: the load generator does not
    # share its interpreter
    env = {**os.environ, "SCREENING_TLS_CERT": str(tls.server_cert),
           "SCREENING_TLS_KEY": str(tls.server_key), "SCREENING_RELOAD_INTERVAL_S": "0.1",
           "PYTHONUNBUFFERED": "1"}
    log = open(tmp_path / "server.log", "w")  # a file: a full pipe would stall the server
    proc = subprocess.Popen([sys.executable, "-m", "screening", "serve", "--data",
                             str(tmp_path), "--port", str(port), "--workers", str(WORKERS)],
                            env=env,
                            stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        result = asyncio.run(_load(port, token, tls.ca_cert, tmp_path))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    answers, errors, manifest_batches, manifest_errors, send_seconds = result
    total = int(RATE * SECONDS)
    # the offered load really was ~1,000 per second (some slack: the 2-core box is shared)
    assert send_seconds < SECONDS * 1.5
    print(f"sent {total} checks in {send_seconds:.2f} s; {len(errors)} errors")
    codes = sorted({str(e.code()) if isinstance(e, grpc.RpcError) else type(e).__name__
                    for e in errors + manifest_errors})
    assert errors == [] and manifest_errors == [], codes
    assert len(answers) == total
    versions = [a.snapshot_version for _, a in answers]
    assert set(versions) == {"v000001", "v000002"}
    inconsistent = [a for probe, a in answers if not consistent(
        a.snapshot_version, a.decision, [m.record_id for m in a.matches], probe)]
    assert inconsistent == []
    probes = [a.snapshot_version for probe, a in answers if probe]
    assert len(probes) == total // PROBE_EVERY and set(probes) == {"v000001", "v000002"}
    # the first tenth of a second every process answered from v1; by the end all from v2
    # (each worker process swaps on its own, and a request sent before the swap may be
    # answered after it when a busy 2-core box queues it)
    assert set(versions[: int(SWAP_AT * RATE * 0.1)]) == {"v000001"}
    assert set(versions[-int(0.2 * total):]) == {"v000002"}
    # each manifest batch was screened by one version, whole
    assert len(manifest_batches) >= 20
    for batch in manifest_batches:
        assert len({r.snapshot_version for r in batch}) == 1
        assert all(consistent(r.snapshot_version, r.decision,
                              [m.record_id for m in r.matches], probe=k == 0)
                   for k, r in enumerate(batch))
    assert {b[0].snapshot_version for b in manifest_batches} == {"v000001", "v000002"}
    # two server processes wrote one audit chain, one entry per check and per batch
    from screening.audit import verify
    from screening.audit.query import query

    result = verify(tmp_path / "audit")
    assert result.ok, result.problems[:5]
    _, rows = query(tmp_path / "audit", "SELECT action, count(*) FROM audit GROUP BY action")
    counts = dict(rows)
    assert counts["check"] == total + CONNECTIONS  # plus one warm-up per connection
    assert counts["manifest_batch"] == len(manifest_batches)
