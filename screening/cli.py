"""The `screening` command line: serve | load | datagen | check | screen | hits | status | demo
| certs | credentials | audit | retention | rollback."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from screening.errors import ScreeningError
from screening.settings import load_settings

DEFAULT_SERVER = "127.0.0.1:50051"


def _progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


# -- serve / load / datagen -----------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from screening.grpc.server import serve
    from screening.grpc.workers import serve_cluster

    settings = load_settings().with_overrides(data_dir=args.data, port=args.port, host=args.host,
                                              workers=args.workers)
    # start_server refuses a non-loopback address without TLS and credentials
    if settings.workers > 1:
        serve_cluster(settings, settings.workers)
    else:
        serve(settings)
    return 0


IMPORTERS = ("ofac-sdn", "un-consolidated", "notices")


def _import_list(args: argparse.Namespace):
    """Run a publisher-format importer; print what it read and skipped."""
    from screening.formats.watchlists.notices import read_notices
    from screening.formats.watchlists.ofac import read_ofac_sdn
    from screening.formats.watchlists.un import read_un_consolidated

    if args.kind == "ofac-sdn":
        result = read_ofac_sdn(args.file, args.aliases, individuals_only=not args.all_entities)
    elif args.kind == "un-consolidated":
        result = read_un_consolidated(args.file)
    else:
        result = read_notices(args.file)
    print(str(result.report), file=sys.stderr)
    return result.records


def cmd_load(args: argparse.Namespace) -> int:
    from indexes.snapshot import build_snapshot, previous_tables
    from screening import loader

    if args.delta:
        from screening.cli_trust import load_delta

        return load_delta(args)
    if not args.kind or not args.file:
        print("screening: load needs KIND FILE, or --delta CHANGES", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    data = Path(args.data)
    print(f"reading {args.kind} records from {args.file}", file=sys.stderr)
    if args.kind in IMPORTERS:
        # A publisher's list replaces that list's records and keeps every other list.
        table = loader.nominal_from_records(_import_list(args))
        prev_nominal, _ = previous_tables(data)
        table = loader.replace_lists(prev_nominal, table)
        version = build_snapshot(data, nominal=table, progress=_progress)
        print(f"built snapshot {version} in {data} ({time.perf_counter() - t0:.1f} s)")
        return 0
    if args.kind == "documents" and not args.append:
        # Streamed: the list goes from the file into the snapshot batch by batch.
        version = build_snapshot(data, documents=loader.stream_documents(Path(args.file)),
                                 progress=_progress)
        print(f"built snapshot {version} in {data} ({time.perf_counter() - t0:.1f} s)")
        return 0
    if args.kind == "nominal":
        table = loader.read_nominal(Path(args.file))
    else:
        table = loader.read_documents(Path(args.file))
    print(f"  read {table.num_rows:,} records in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    if args.append:
        prev_nominal, prev_docs = previous_tables(data)
        table = loader.merge_append(prev_nominal if args.kind == "nominal" else prev_docs, table)
        print(f"  appended: {table.num_rows:,} records now", file=sys.stderr)
    kwargs = {"nominal" if args.kind == "nominal" else "documents": table}
    version = build_snapshot(data, progress=_progress, **kwargs)
    print(f"built snapshot {version} in {data} ({time.perf_counter() - t0:.1f} s)")
    return 0


def cmd_datagen(args: argparse.Namespace) -> int:
    from screening.datagen import generate

    t0 = time.perf_counter()
    files = generate(Path(args.out), persons=args.persons, documents=args.documents,
                     seed=args.seed, manifests=args.manifests, manifest_size=args.manifest_size,
                     progress=not args.quiet, name_model=args.name_model)
    print(f"wrote {files.nominal}, {files.documents}, {len(files.manifests)} manifests and "
          f"{files.truth} in {time.perf_counter() - t0:.1f} s")
    return 0


# -- gRPC clients ---------------------------------------------------------------------------


def _auth(args: argparse.Namespace) -> dict:
    """TLS and credential options; unset ones fall back to $SCREENING_TOKEN and
    $SCREENING_CA_CERT inside `Client`."""
    return {"token": args.token, "ca_cert": args.ca, "client_cert": args.cert,
            "client_key": args.key}


def _passenger_from_args(args: argparse.Namespace):
    from screening.domain import Passenger, TravelDocument

    return Passenger(ref=args.ref or "", surname=args.surname or "",
                     given_names=args.given_names or "", full_name=args.full_name or "",
                     date_of_birth=args.dob or "", sex=args.sex or "",
                     nationality=args.nationality or "",
                     document=TravelDocument(number=args.doc_number or "",
                                             issuing_country=args.doc_country or "",
                                             type=args.doc_type or "",
                                             expiry=args.doc_expiry or ""),
                     mrz=(args.mrz or "").replace("\\n", "\n"))


def cmd_check(args: argparse.Namespace) -> int:
    from screening.client import Client, dumps, result_dict

    with Client(args.server, **_auth(args)) as client:
        resp = client.check(_passenger_from_args(args))
    out = result_dict(resp, ref=args.ref or "")
    if args.json:
        print(dumps(out))
    else:
        print(f"{out['decision']}  (check {out['check_id']})")
        for h in out["hits"]:
            print(f"  {h['decision']:<15} {h['score']:.3f}  {h['list']:<14} {h['record_id']}"
                  f"  {h['summary']}")
    return 0


def cmd_screen(args: argparse.Namespace) -> int:
    from screening.client import Client, flight_from_json, result_dict
    from screening.passenger_io import read_manifest_file, result_to_json, results_to_csv

    path = Path(args.file)
    flight_path = Path(args.flight) if args.flight else path.with_suffix(".flight.json")
    flight = (flight_from_json(json.loads(flight_path.read_text()))
              if flight_path.exists() else None)
    source = read_manifest_file(path, flight)
    for warning in source.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.cusres and source.paxlst is None:
        print("screening: --cusres answers a PAXLST message; this file is "
              f"{source.format}", file=sys.stderr)
        return 2
    results = [{"ref": e.field, "decision": "ERROR", "hits": [], "error": e.message}
               for e in source.errors]
    with Client(args.server, **_auth(args)) as client:
        screened, summary = client.screen_all(source.flight, source.passengers,
                                              batch=args.batch)
    results.extend(result_dict(r) for r in screened)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        if args.format == "csv":
            out.write(results_to_csv(results))
        else:
            for r in results:
                out.write(result_to_json(r) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if args.cusres:
        from screening.formats.cusres import write_cusres

        codes = load_settings().cusres_codes
        by_ref = {r["ref"]: r["decision"] for r in results}
        answers = [(p.ref, codes.get(by_ref.get(p.ref, "ERROR"), codes["ERROR"]))
                   for p in source.passengers]
        Path(args.cusres).write_text(write_cusres(source.paxlst, answers), encoding="utf-8")
        print(f"wrote CUSRES with {len(answers)} answers to {args.cusres}", file=sys.stderr)
    if summary is not None:
        print(f"screened {summary.passengers} passengers ({source.format}): {summary.hits} HIT, "
              f"{summary.possible_matches} POSSIBLE_MATCH, {summary.clear} CLEAR, "
              f"{summary.errors + len(source.errors)} errors", file=sys.stderr)
    return 0


def cmd_hits(args: argparse.Namespace) -> int:
    from screening.client import Client, dumps, item_dict
    from screening.pb import screening_pb2 as pb

    if args.action in ("sql", "consume") or args.hits_data:
        # Straight from the DuckDB file, no server (screening.followup.local_cli).
        from screening.followup.local_cli import run

        return run(args)
    with Client(args.server, **_auth(args)) as client:
        if args.action == "list":
            status = pb.HitStatus.Value(args.status) if args.status else 0
            items = [item_dict(i) for i in client.list_hits(
                status=status, recipient=args.recipient or "", max_priority=args.max_priority)]
            if args.json:
                print(dumps(items))
            else:
                for i in items:
                    print(f"{i['position']:>5} {i['id'][:12]} P{i['priority']} {i['status']:<12} "
                          f"{i['decision']:<15} {i['score']:.3f} {i['list']:<14} "
                          f"{i['record_id']:<14} {i['passenger']['name']}")
                print(f"{len(items)} item(s)")
        elif args.action == "show":
            item = client.followup.GetHit(pb.GetHitRequest(id=args.id), metadata=client.metadata)
            print(dumps({**item_dict(item), "history": [
                {"from": pb.HitStatus.Name(h.from_status), "to": pb.HitStatus.Name(h.to_status),
                 "by": h.by, "note": h.note} for h in item.history]}))
        else:
            item = client.followup.UpdateHit(
                pb.UpdateHitRequest(id=args.id, status=pb.HitStatus.Value(args.status),
                                    note=args.note or "", by=args.by or ""),
                metadata=client.metadata)
            print(dumps(item_dict(item)))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from screening.client import Client, dumps
    from screening.pb import screening_pb2 as pb

    with Client(args.server, **_auth(args)) as client:
        s = client.watchlists.GetStatus(pb.GetStatusRequest(), metadata=client.metadata)
    print(dumps({
        "version": s.version, "built_at": s.built_at.ToDatetime().isoformat() + "Z",
        "nominal_records": s.nominal_records, "names": s.names,
        "document_records": s.document_records,
        "lists": [{"list": c.list, "kind": pb.RecordKind.Name(c.kind), "records": c.records}
                  for c in s.lists]}))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from screening.demo import run_demo

    return run_demo(Path(args.data), persons=args.persons, documents=args.documents,
                    port=args.port, nats=args.nats)


# -- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="screening", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = p.add_subparsers(dest="command", required=True)

    def data_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--data", default=None, help="data folder (default ./data)")

    def server_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--server", default=DEFAULT_SERVER, help="HOST:PORT of a running server")
        sp.add_argument("--token", help="client credential (default $SCREENING_TOKEN)")
        sp.add_argument("--ca", help="CA certificate to trust, enables TLS "
                        "(default $SCREENING_CA_CERT)")
        sp.add_argument("--cert", help="client certificate, for mutual TLS")
        sp.add_argument("--key", help="client key, for mutual TLS")

    sp = sub.add_parser("serve", help="run the gRPC server")
    data_arg(sp)
    sp.add_argument("--port", type=int, default=None)
    sp.add_argument("--host", default=None)
    sp.add_argument("--workers", type=int, default=None,
                    help="server processes sharing the port (default 1; one per core scales)")
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("load", help="load watchlist records into a new snapshot version")
    sp.add_argument("kind", nargs="?", choices=["nominal", "documents", *IMPORTERS])
    sp.add_argument("file", nargs="?", help="JSONL, CSV or Parquet file; or the publisher's "
                    "file (OFAC SDN CSV, UN consolidated XML, notices JSON)")
    sp.add_argument("--delta", metavar="CHANGES", help="live changes instead of a full load: "
                    "JSONL of {op: add|update|cancel, kind, record | record_id}; running "
                    "servers apply them within a second, no rebuild")
    sp.add_argument("--aliases", help="OFAC alias file (alt.csv) for ofac-sdn")
    sp.add_argument("--all-entities", action="store_true",
                    help="ofac-sdn: keep entities and vessels too, not only individuals")
    sp.add_argument("--append", action="store_true",
                    help="add to the records of this kind instead of replacing them")
    data_arg(sp)
    from screening.cli_trust import audited_load

    sp.set_defaults(func=audited_load(cmd_load))

    sp = sub.add_parser("datagen", help="generate a deterministic synthetic data set")
    sp.add_argument("--persons", type=int, default=100_000)
    sp.add_argument("--documents", type=int, default=1_000_000)
    sp.add_argument("--seed", type=int, default=42)
    sp.add_argument("--manifests", type=int, default=3)
    sp.add_argument("--manifest-size", type=int, default=200)
    sp.add_argument("--out", required=True)
    sp.add_argument("--quiet", action="store_true")
    sp.add_argument("--name-model", type=int, choices=(1, 2, 3), default=1,
                    help="1: names uniformly from the pools (the benchmarks' default); 2: a Zipf "
                         "head and a long tail of rarer names (screening/datagen/frequencies.py)")
    sp.set_defaults(func=cmd_datagen)

    sp = sub.add_parser("check", help="check one passenger (gRPC CheckPassenger)")
    server_arg(sp)
    for flag in ("--ref", "--surname", "--given-names", "--full-name", "--dob", "--sex",
                 "--nationality", "--doc-number", "--doc-country", "--doc-type", "--doc-expiry",
                 "--mrz"):
        sp.add_argument(flag)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("screen", help="stream a manifest through ScreenManifest")
    sp.add_argument("file", help="PAXLST message, JSONL or CSV passengers, or MRZ zones")
    server_arg(sp)
    sp.add_argument("--flight", help="flight JSON (default FILE.flight.json if present)")
    sp.add_argument("--out", help="write results here instead of stdout")
    sp.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    sp.add_argument("--batch", type=int, default=50)
    sp.add_argument("--cusres", help="also write the iAPI CUSRES answer here (PAXLST input)")
    sp.set_defaults(func=cmd_screen)

    sp = sub.add_parser("hits", help="the follow-up queue")
    server_arg(sp)
    hs = sp.add_subparsers(dest="action", required=True)
    h = hs.add_parser("list")
    h.add_argument("--status", choices=["NEW", "ACKNOWLEDGED", "CONFIRMED", "FALSE_POSITIVE",
                                        "ACTION_TAKEN"])
    h.add_argument("--json", action="store_true")
    h = hs.add_parser("show")
    h.add_argument("id")
    h = hs.add_parser("update")
    h.add_argument("id")
    h.add_argument("status", choices=["ACKNOWLEDGED", "CONFIRMED", "FALSE_POSITIVE",
                                      "ACTION_TAKEN"])
    h.add_argument("--note")
    h.add_argument("--by")
    for action_parser in hs.choices.values():
        server_arg(action_parser)
    from screening.followup.local_cli import add_arguments as add_local_hits_arguments

    add_local_hits_arguments(hs)
    sp.set_defaults(func=cmd_hits)

    sp = sub.add_parser("status", help="loaded watchlist version and counts")
    server_arg(sp)
    sp.set_defaults(func=cmd_status)

    sp = sub.add_parser("demo", help="generate data, serve, check, screen, show the queue")
    data_arg(sp)
    sp.add_argument("--persons", type=int, default=100_000)
    sp.add_argument("--documents", type=int, default=1_000_000)
    sp.add_argument("--port", type=int, default=None)
    sp.add_argument("--nats", action="store_true",
                    help="also start nats-server and publish the hits to JetStream")
    sp.set_defaults(func=cmd_demo)

    from screening.cli_trust import add_commands

    add_commands(sub, data_arg)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if getattr(args, "data", None) is None and hasattr(args, "data"):
        args.data = str(load_settings().data_dir)
    try:
        return args.func(args)
    except ScreeningError as exc:
        print(f"screening: error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"screening: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # gRPC client errors: print the status, not a traceback
        import grpc

        if isinstance(exc, grpc.RpcError):
            print(f"screening: {exc.code().name}: {exc.details()}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
