"""`screening hits ... --data DIR`: the follow-up queue read straight from its DuckDB file
(no server needed), and `screening hits sql` for reports. DuckDB lets one process
write a file, so while a server holds it these commands say so and stop."""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from screening.domain import HitStatus
from screening.errors import DataError
from screening.followup.codec import item_dict, json_default
from screening.followup.store import open_store

# Ready-made reports for `screening hits sql --report NAME`.
REPORTS = {
    "per-list": "SELECT list, kind, count(*) AS hits, count(*) FILTER (status = 'CONFIRMED') "
                "AS confirmed, count(*) FILTER (status = 'FALSE_POSITIVE') AS false_positives "
                "FROM hits GROUP BY ALL ORDER BY hits DESC",
    "per-route": "SELECT route, flight->>'carrier' AS carrier, count(*) AS hits "
                 "FROM hits GROUP BY ALL ORDER BY hits DESC",
    "per-week": "SELECT date_trunc('week', created_at)::DATE AS week, count(*) AS hits, "
                "count(*) FILTER (priority = 1) AS p1 FROM hits GROUP BY ALL ORDER BY week",
    "time-to-ack": "SELECT priority, count(acknowledged_at) AS acknowledged, "
                   "round(median(epoch(acknowledged_at - created_at)), 1) AS median_s, "
                   "round(max(epoch(acknowledged_at - created_at)), 1) AS max_s "
                   "FROM hits GROUP BY ALL ORDER BY priority",
    "per-recipient": "SELECT recipient, count(*) AS hits, count(*) FILTER (status = 'NEW') "
                     "AS waiting FROM (SELECT unnest(recipient_ids) AS recipient, status "
                     "FROM hits) GROUP BY ALL ORDER BY hits DESC, recipient",
}


def _store_path(data: str) -> Path:
    path = Path(data) / "followup.duckdb"
    if not path.exists():
        raise DataError(f"no hit store in {data}", field="data")
    return path


def run(args: argparse.Namespace) -> int:
    if not args.hits_data and args.action != "consume":
        from screening.settings import load_settings

        args.hits_data = str(load_settings().data_dir)
    if args.action == "sql":
        return _sql(args)
    if args.action == "consume":
        return _consume(args)
    try:
        store = open_store(Path(args.hits_data))
    except DataError as exc:
        if "lock" not in str(exc).lower():
            raise
        raise DataError(f"a running server holds {args.hits_data}/followup.duckdb; ask it "
                        "with --server HOST:PORT instead of --data") from exc
    try:
        if args.action == "list":
            items = store.list(status=HitStatus[args.status] if args.status else None,
                               recipient=args.recipient or "", max_priority=args.max_priority,
                               limit=1000)
            if args.json:
                print(json.dumps([item_dict(i) for i in items], default=json_default,
                                 ensure_ascii=False))
                return 0
            for i in items:
                print(f"{i.position:>5} {i.id[:12]} P{i.priority} {i.status.name:<14} "
                      f"{i.match.score:.3f} {i.match.list:<14} {i.match.record_id:<14} "
                      f"{'-'.join(i.flight.airports()):<15} {','.join(i.recipient_ids)}")
            print(f"{len(items)} item(s)")
        elif args.action == "show":
            print(json.dumps(item_dict(store.get(args.id)), default=json_default,
                             ensure_ascii=False, indent=2))
        else:
            item = store.update(args.id, HitStatus[args.status], by=args.by or "cli",
                                note=args.note or "")
            print(json.dumps(item_dict(item), default=json_default, ensure_ascii=False))
    finally:
        store.close()
    return 0


def _connect_for_reports(path: Path, tmp: Path) -> duckdb.DuckDBPyConnection:
    """Read-only, so a report cannot change the queue. While a server holds the file
    (DuckDB lets one process open it), report on a copy of the file and its write-ahead
    log taken now: the server commits each hit in one transaction, and the copy replays
    the committed ones."""
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        if "lock" not in str(exc).lower():
            raise DataError(f"cannot open the hit store: {str(exc).splitlines()[0]}") from exc
    for suffix in ("", ".wal"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            shutil.copyfile(source, tmp / (path.name + suffix))
    print("screening: a server holds the hit store; reporting on a copy taken now",
          file=sys.stderr)
    try:
        con = duckdb.connect(str(tmp / path.name))
        con.execute("CHECKPOINT")  # replay the copied log now, then read only
        con.close()
        return duckdb.connect(str(tmp / path.name), read_only=True)
    except duckdb.Error as exc:
        raise DataError(f"cannot read a copy of the hit store: {str(exc).splitlines()[0]}; "
                        "retry, or stop the server") from exc


def _sql(args: argparse.Namespace) -> int:
    sql = REPORTS[args.report] if args.report else args.query
    if not sql:
        raise DataError("give a query or --report " + "|".join(REPORTS), field="query")
    with tempfile.TemporaryDirectory(prefix="screening-report-") as tmp:
        con = _connect_for_reports(_store_path(args.hits_data), Path(tmp))
        try:
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description or []]
            rows = cur.fetchall()
        except duckdb.Error as exc:
            raise DataError(str(exc).splitlines()[0], sql=sql) from exc
        finally:
            con.close()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(cols)
    writer.writerows(rows)
    return 0


def _consume(args: argparse.Namespace) -> int:
    """Read (and acknowledge) a recipient's hits from NATS: one JSON line per hit."""
    from screening.followup.jetstream import fetch_hits_sync
    from screening.settings import load_settings

    settings = load_settings().with_overrides(nats_url=args.nats_url)
    durable = args.durable or (args.recipient or "all") + (
        f"-p{args.max_priority}" if args.max_priority else "")
    if args.status_changes:
        durable += "-status"
    for d in fetch_hits_sync(settings, durable, recipient=args.recipient or "",
                             max_priority=args.max_priority, idle_s=args.wait,
                             status_changes=args.status_changes):
        print(json.dumps({"subject": d.subject, "stream_seq": d.stream_seq, **d.item},
                         ensure_ascii=False))
    return 0


def add_arguments(hits: argparse._SubParsersAction) -> None:
    """Local options on the `hits` sub-commands, and the `sql` sub-command."""
    for name in ("list", "show", "update"):
        hits.choices[name].add_argument(
            "--data", dest="hits_data", help="read the DuckDB hit store in this data folder instead of asking "
            "a server")
    hits.choices["list"].add_argument("--recipient", help="only items routed to it (ops, "
                                      "ncb-FRA...)")
    hits.choices["list"].add_argument("--max-priority", type=int, default=0,
                                      help="only items of priority 1..N")
    sql = hits.add_parser("sql", help="SQL over the hit store (tables hits, hit_history), "
                          "CSV out")
    sql.add_argument("query", nargs="?", default="")
    sql.add_argument("--report", choices=sorted(REPORTS))
    sql.add_argument("--data", dest="hits_data",
                     help="data folder holding followup.duckdb (default: the settings' one)")
    consume = hits.add_parser("consume", help="read and acknowledge a recipient's hits from "
                              "NATS JetStream (durable: resumes where it stopped)")
    consume.add_argument("--recipient", help="ops, ncb-FRA... (default: every recipient)")
    consume.add_argument("--max-priority", type=int, default=0)
    consume.add_argument("--durable", help="consumer name (default from the recipient)")
    consume.add_argument("--nats-url", help="default SCREENING_NATS_URL")
    consume.add_argument("--status-changes", action="store_true",
                         help="the workflow changes of the recipient's items instead of new hits")
    consume.add_argument("--wait", type=float, default=2.0,
                         help="stop after this many seconds without a new hit")
    consume.set_defaults(hits_data="")
