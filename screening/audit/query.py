"""SQL over the audit trail: DuckDB reads the JSON Lines file in place as view `audit`."""

from __future__ import annotations

from pathlib import Path

import duckdb

from screening.audit.log import LOG_NAME
from screening.errors import DataError


def _view(path: Path) -> str:
    """The trail as a view; `at` as a plain UTC TIMESTAMP (comparable, and no time zone
    database needed to read it back)."""
    quoted = str(path).replace("'", "''")
    return (f"CREATE VIEW audit AS SELECT * REPLACE "
            f"((CAST(\"at\" AS TIMESTAMPTZ) AT TIME ZONE 'UTC') AS \"at\") "
            f"FROM read_json_auto('{quoted}', format='newline_delimited', union_by_name=true)")


def query(directory: Path, sql: str) -> tuple[list[str], list[tuple]]:
    path = Path(directory) / LOG_NAME
    if not path.exists():
        raise DataError(f"no audit trail in {directory}")
    con = duckdb.connect()
    try:
        # the file is read, never written: a query cannot alter the trail
        con.execute(_view(path))
        cur = con.execute(sql)
        return [d[0] for d in cur.description or []], cur.fetchall()
    except duckdb.Error as exc:
        raise DataError(str(exc).splitlines()[0], sql=sql) from exc
    finally:
        con.close()


def find_asked(directory: Path, digest: str) -> list[dict]:
    """Entries whose check asked about the passenger with this keyed hash (single checks
    and manifest batches), oldest first."""
    cols, _ = query(directory, "SELECT * FROM audit LIMIT 0")
    parts = []
    if "asked" in cols:
        parts.append("SELECT seq, \"at\", who, role, action, decision, record_ids FROM audit "
                     "WHERE asked = $digest")
    if "results" in cols:
        parts.append("SELECT seq, \"at\", who, role, action, r.decision, r.record_ids FROM "
                     "(SELECT *, unnest(results) AS r FROM audit WHERE results IS NOT NULL) "
                     "WHERE r.asked = $digest")
    if not parts:
        return []
    sql = " UNION ALL ".join(parts) + " ORDER BY seq"
    path = Path(directory) / LOG_NAME
    con = duckdb.connect()
    try:
        con.execute(_view(path))
        cur = con.execute(sql, {"digest": digest})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()
