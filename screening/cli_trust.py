"""`screening` commands of the trust layer: certs, credentials, audit, retention,
rollback. Kept apart from `screening.cli` so that file only registers them."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from screening.settings import load_settings


def _settings(args: argparse.Namespace):
    return load_settings().with_overrides(data_dir=getattr(args, "data", None))


def _operator() -> str:
    """Who ran a command on the server's host: recorded in the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli:unknown"


def cmd_certs(args: argparse.Namespace) -> int:
    from screening.security.certs import generate_tls

    files = generate_tls(Path(args.out), hosts=tuple(args.host or ("localhost", "127.0.0.1",
                                                                   "::1")),
                         clients=tuple(args.client or ()))
    print(f"wrote {files.ca_cert}, {files.server_cert}, {files.server_key} (throwaway, "
          "30 days; the CA key is not kept)")
    print(f"serve with: SCREENING_TLS_CERT={files.server_cert} "
          f"SCREENING_TLS_KEY={files.server_key}")
    return 0


def cmd_credentials(args: argparse.Namespace) -> int:
    from screening.security import credentials

    path = Path(args.file) if args.file else _settings(args).credentials_path
    if args.action == "issue":
        serves = [s for s in (args.serves or "").split(",") if s]
        token = credentials.issue(path, args.client_id, args.role, serves=serves,
                                  rate_per_s=args.rate or 0.0,
                                  max_manifest=args.max_manifest or 0, mtls=args.mtls)
        print(token)
        print(f"issued {args.role} credential for {args.client_id} in {path}; the token is "
              "shown once and only its salted hash is kept", file=sys.stderr)
    elif args.action == "revoke":
        credentials.revoke(path, args.client_id)
        print(f"revoked {args.client_id}: refused from its next call", file=sys.stderr)
    else:
        for c in credentials.list_clients(path):
            state = f"revoked {c['revoked_at']}" if c["revoked_at"] else "active"
            serves = f" serves {','.join(c['serves'])}" if c["serves"] else ""
            print(f"{c['client_id']:<24} {c['role']:<9} issued {c['issued_at']}  "
                  f"{state}{serves}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from screening.audit import verify
    from screening.audit.query import query

    directory = Path(args.dir) if args.dir else _settings(args).audit_path
    if args.action == "verify":
        result = verify(directory)
        for problem in result.problems:
            print(f"TAMPERED: {problem}")
        print(f"{result.entries} entries checked in {directory}: "
              + ("chain intact" if result.ok else f"{len(result.problems)} problem(s)"))
        return 0 if result.ok else 1
    if args.action == "find":
        from screening.audit import asked_digest, open_audit
        from screening.audit.query import find_asked
        from screening.cli import _passenger_from_args

        digest = asked_digest(open_audit(directory).key, _passenger_from_args(args))
        rows = find_asked(directory, digest)
        print(json.dumps(rows, default=str, ensure_ascii=False))
        print(f"{len(rows)} check(s) asked about this passenger", file=sys.stderr)
        return 0
    cols, rows = query(directory, args.sql)
    print(json.dumps([dict(zip(cols, r, strict=True)) for r in rows], default=str,
                     ensure_ascii=False))
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from screening.audit import open_audit
    from screening.audit.retention import cutoff_for, purge
    from screening.followup import open_store

    settings = _settings(args)
    days = args.days if args.days is not None else settings.retention_days
    store = open_store(settings.data_dir, settings.followup_backend)
    try:
        result = purge(open_audit(settings.audit_path), store, cutoff_for(days),
                       who=_operator(), dry_run=args.dry_run)
    finally:
        store.close()
    print(("would have " if args.dry_run else "") + result.describe())
    for item_id in result.hit_ids:
        print(f"  follow-up item {item_id}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from screening.audit import open_audit
    from screening.live.versions import rollback

    settings = _settings(args)
    before, after = rollback(settings.data_dir, args.to)
    open_audit(settings.audit_path).append("watchlist_rollback", who=_operator(),
                                           role="admin", version=after, previous=before)
    print(f"CURRENT is now {after} (was {before}); running servers swap within "
          f"{settings.reload_interval_s:g} s")
    return 0


def audited_load(func):
    """`screening load` records a full load in the audit trail: who, which version."""
    def run(args: argparse.Namespace) -> int:
        from indexes.snapshot import current_version
        from screening.audit import open_audit

        if args.delta:
            return func(args)  # load_delta records its own entry
        settings = _settings(args)
        before = current_version(settings.data_dir)
        code = func(args)
        after = current_version(settings.data_dir)
        if code == 0 and after != before:
            open_audit(settings.audit_path).append(
                "watchlist_load", who=_operator(), role="admin", decision="loaded",
                version=after, previous=before, kind=args.kind,
                source=Path(args.file).name, append=bool(args.append))
        return code
    return run


def load_delta(args: argparse.Namespace) -> int:
    """`screening load --delta CHANGES`: one immutable batch on the version being served."""
    from indexes.snapshot import current_version
    from screening.audit import open_audit
    from screening.errors import FailedPrecondition
    from screening.live.changes import read_changes_file, write_delta

    settings = _settings(args)
    changes = read_changes_file(Path(args.delta))
    base = current_version(settings.data_dir)
    if base is None:
        raise FailedPrecondition("no version to change: run a full `screening load` first")
    name = write_delta(settings.data_dir, base, changes)
    open_audit(settings.audit_path).append(
        "watchlist_change", who=_operator(), role="admin", decision="applied",
        version=f"{base}+{name[:-6]}", record_ids=[c.record_id for c in changes],
        ops={op: sum(c.op == op for c in changes) for op in {c.op for c in changes}})
    print(f"wrote {len(changes)} change(s) as {base}+{name[:-6]}; running servers apply "
          f"them within {settings.delta_poll_s:g} s")
    return 0


def add_commands(sub, data_arg) -> None:
    sp = sub.add_parser("certs", help="generate throwaway TLS certificates (demo, tests)")
    sp.add_argument("--out", required=True)
    sp.add_argument("--host", action="append", help="name or IP in the server certificate")
    sp.add_argument("--client", action="append", help="also a client certificate (mTLS)")
    sp.set_defaults(func=cmd_certs)

    sp = sub.add_parser("credentials", help="issue, revoke or list client credentials")
    cs = sp.add_subparsers(dest="action", required=True)
    c = cs.add_parser("issue")
    c.add_argument("client_id")
    c.add_argument("--role", required=True, choices=["partner", "centre", "operator", "admin"])
    c.add_argument("--serves", help="operator: requesters it follows up, comma-separated, * all")
    c.add_argument("--rate", type=float, help="requests per second (default: server setting)")
    c.add_argument("--max-manifest", type=int, help="passengers per manifest")
    c.add_argument("--mtls", action="store_true", help="a client certificate whose common "
                   "name is CLIENT_ID also identifies it (mutual TLS)")
    c = cs.add_parser("revoke")
    c.add_argument("client_id")
    c = cs.add_parser("list")
    for p in cs.choices.values():
        data_arg(p)
        p.add_argument("--file", help="credentials file (default DATA/credentials.json)")
    sp.set_defaults(func=cmd_credentials)

    sp = sub.add_parser("audit", help="verify or query the audit trail")
    aus = sp.add_subparsers(dest="action", required=True)
    a = aus.add_parser("verify", help="check every hash and link; exit 1 if tampered")
    a = aus.add_parser("query", help="SQL over the view `audit` (DuckDB)")
    a.add_argument("sql")
    a = aus.add_parser("find", help="the checks that asked about a passenger (recomputes "
                       "the keyed hash from the data given, exactly as it was sent)")
    for flag in ("--ref", "--surname", "--given-names", "--full-name", "--dob", "--sex",
                 "--nationality", "--doc-number", "--doc-country", "--doc-type", "--doc-expiry",
                 "--mrz"):
        a.add_argument(flag)
    for p in aus.choices.values():
        data_arg(p)
        p.add_argument("--dir", help="audit folder (default DATA/audit)")
    sp.set_defaults(func=cmd_audit)

    sp = sub.add_parser("retention", help="remove passenger data older than the period")
    data_arg(sp)
    sp.add_argument("--days", type=float, help="default: SCREENING_RETENTION_DAYS")
    sp.add_argument("--dry-run", action="store_true", help="say what would go; remove nothing")
    sp.set_defaults(func=cmd_retention)

    sp = sub.add_parser("rollback", help="serve the previous watchlist version again")
    data_arg(sp)
    sp.add_argument("--to", help="a named version instead of the previous one")
    sp.set_defaults(func=cmd_rollback)
