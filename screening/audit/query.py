"""SQL over the audit trail: DuckDB reads the JSON Lines file in place as view `audit`."""

from __future__ import annotations

from pathlib import Path

import duckdb

from screening.audit.log import LOG_NAME
from screening.errors import DataError


def query(directory: Path, sql: str) -> tuple[list[str], list[tuple]]:
    path = Path(directory) / LOG_NAME
    if not path.exists():
        raise DataError(f"no audit trail in {directory}")
    con = duckdb.connect()
    try:
        # the file is read, never written: a query cannot alter the trail
        quoted = str(path).replace("'", "''")
        con.execute(f"CREATE VIEW audit AS SELECT * FROM read_json_auto('{quoted}', "
                    "format='newline_delimited', union_by_name=true)")
        cur = con.execute(sql)
        return [d[0] for d in cur.description or []], cur.fetchall()
    except duckdb.Error as exc:
        raise DataError(str(exc).splitlines()[0], sql=sql) from exc
    finally:
        con.close()
