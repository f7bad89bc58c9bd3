"""Watchlist ETL: read JSONL, CSV or Parquet sources with DuckDB into the canonical tables.

The canonical shapes are `indexes.snapshot.NOMINAL_SCHEMA` and `DOCUMENT_SCHEMA`.
Every failure is a `DataError` that carries the SQL that failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from indexes.snapshot import DOCUMENT_SCHEMA, NOMINAL_SCHEMA, DocumentBatches
from screening.errors import DataError

_NOMINAL_JSON_COLUMNS = {
    "record_id": "VARCHAR",
    "list": "VARCHAR",
    "category": "VARCHAR",
    "names": "STRUCT(surname VARCHAR, given_names VARCHAR, full_name VARCHAR, quality VARCHAR)[]",
    "dates_of_birth": "VARCHAR[]",
    "sex": "VARCHAR",
    "nationalities": "VARCHAR[]",
    "documents": "STRUCT(number VARCHAR, issuing_country VARCHAR, type VARCHAR)[]",
    "owner": "VARCHAR",
    "status": "VARCHAR",
    "place_of_birth": "VARCHAR",
}
_DOCUMENT_COLUMNS = {name: "VARCHAR" for name in DOCUMENT_SCHEMA.names}

# Canonical projection applied to every nominal source: defaults and upper-casing.
_NOMINAL_SELECT = """
SELECT trim(record_id) AS record_id,
       coalesce(nullif(trim(list), ''), 'unknown') AS list,
       coalesce(nullif(trim(category), ''), 'wanted') AS category,
       names, dates_of_birth,
       upper(coalesce(sex, '')) AS sex,
       list_transform(coalesce(nationalities, []), lambda x: upper(trim(x))) AS nationalities,
       documents,
       upper(coalesce(owner, '')) AS owner,
       lower(coalesce(nullif(trim(status), ''), 'active')) AS status,
       coalesce(place_of_birth, '') AS place_of_birth
FROM src
"""

# The CSV shape for nominal records: one row per record, lists separated by ';',
# aliases (full names) separated by '|', documents as NUMBER:COUNTRY:TYPE.
_NOMINAL_CSV_SELECT = """
SELECT record_id, list, category,
       list_concat(
         [struct_pack(surname := surname, given_names := given_names,
                      full_name := full_name, quality := NULL::VARCHAR)],
         list_transform(
           list_filter(string_split(coalesce(aliases, ''), '|'), lambda a: trim(a) <> ''),
           lambda a: struct_pack(surname := NULL::VARCHAR, given_names := NULL::VARCHAR,
                            full_name := trim(a), quality := NULL::VARCHAR))) AS names,
       list_filter(string_split(coalesce(dates_of_birth, ''), ';'), lambda x: x <> '') AS dates_of_birth,
       sex,
       list_filter(string_split(coalesce(nationalities, ''), ';'), lambda x: x <> '') AS nationalities,
       list_transform(
         list_filter(string_split(coalesce(documents, ''), ';'), lambda x: x <> ''),
         lambda d: struct_pack(number := split_part(d, ':', 1),
                          issuing_country := split_part(d, ':', 2),
                          type := split_part(d, ':', 3))) AS documents,
       owner, status, place_of_birth
FROM read_csv({path}, header = true, all_varchar = true, columns = {columns})
"""
_NOMINAL_CSV_COLUMNS = {
    c: "VARCHAR"
    for c in ("record_id", "list", "category", "surname", "given_names", "full_name",
              "aliases", "dates_of_birth", "sex", "nationalities", "documents", "owner",
              "status", "place_of_birth")
}


def _sql_literal(value: object) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"'{k}': '{v}'" for k, v in value.items())
        return "{" + inner + "}"
    return "'" + str(value).replace("'", "''") + "'"


def _run(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    try:
        result = con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise DataError(str(exc).splitlines()[0], sql=" ".join(sql.split())) from exc
    return result


def source_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise DataError(f"unknown watchlist file type {suffix!r} (use .jsonl, .csv or .parquet)",
                    field=str(path))


def _check_ids(table: pa.Table, path: Path) -> pa.Table:
    con = duckdb.connect()
    con.register("t", table)
    missing = con.execute("SELECT count(*) FROM t WHERE coalesce(record_id, '') = ''").fetchone()[0]
    if missing:
        raise DataError(f"{missing} record(s) without record_id", field=str(path))
    dupes = con.execute(
        "SELECT record_id FROM t GROUP BY record_id HAVING count(*) > 1 LIMIT 3"
    ).fetchall()
    con.close()
    if dupes:
        raise DataError(f"duplicate record_id, e.g. {[d[0] for d in dupes]}", field=str(path))
    return table


def read_nominal(path: Path) -> pa.Table:
    """Read nominal (person) records from JSONL, CSV or Parquet into NOMINAL_SCHEMA."""
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", field=str(path))
    fmt = source_format(path)
    con = duckdb.connect()
    lit = _sql_literal(str(path))
    if fmt == "jsonl":
        src = (f"SELECT * FROM read_json({lit}, format = 'newline_delimited', "
               f"columns = {_sql_literal(_NOMINAL_JSON_COLUMNS)})")
    elif fmt == "csv":
        src = _NOMINAL_CSV_SELECT.format(path=lit, columns=_sql_literal(_NOMINAL_CSV_COLUMNS))
    else:
        src = f"SELECT * FROM read_parquet({lit})"
    table = _run(con, f"WITH src AS ({src}) {_NOMINAL_SELECT}")
    con.close()
    return _check_ids(table.cast(NOMINAL_SCHEMA), path)


def nominal_from_records(records: Iterable[dict]) -> pa.Table:
    """Canonical table from nominal dicts (the JSONL shape), e.g. from an importer."""
    rows = []
    for r in records:
        row = {name: r.get(name) for name in NOMINAL_SCHEMA.names}
        row["names"] = [
            {k: n.get(k) for k in ("surname", "given_names", "full_name", "quality")}
            for n in (r.get("names") or [])
        ]
        row["documents"] = [
            {k: d.get(k) for k in ("number", "issuing_country", "type")}
            for d in (r.get("documents") or [])
        ]
        rows.append(row)
    raw = pa.Table.from_pylist(rows, schema=NOMINAL_SCHEMA)
    con = duckdb.connect()
    con.register("src", raw)
    table = _run(con, _NOMINAL_SELECT)
    con.close()
    return table.cast(NOMINAL_SCHEMA)


def _documents_sql(path: Path) -> str:
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", field=str(path))
    fmt = source_format(path)
    lit = _sql_literal(str(path))
    if fmt == "jsonl":
        src = (f"read_json({lit}, format = 'newline_delimited', "
               f"columns = {_sql_literal(_DOCUMENT_COLUMNS)})")
    elif fmt == "csv":
        src = f"read_csv({lit}, header = true, all_varchar = true)"
    else:
        src = f"read_parquet({lit})"
    return f"""
        SELECT trim(record_id::VARCHAR) AS record_id, number::VARCHAR AS number,
               upper(coalesce(issuing_country::VARCHAR, '')) AS issuing_country,
               upper(coalesce(type::VARCHAR, '')) AS type,
               upper(coalesce(nullif(trim(status::VARCHAR), ''), 'STOLEN')) AS status,
               coalesce(reported_on::VARCHAR, '') AS reported_on,
               upper(coalesce(owner::VARCHAR, '')) AS owner
        FROM {src}
    """


def stream_documents(path: Path, batch_rows: int = 1 << 20) -> DocumentBatches:
    """Travel-document records from JSONL, CSV or Parquet as a stream of DOCUMENT_SCHEMA
    batches: a list of 128 million documents is never held in memory. One counting pass
    first refuses a file with unnumbered documents before anything is built."""
    sql = _documents_sql(path)
    con = duckdb.connect()
    count_sql = f"SELECT count(*), count(*) FILTER (WHERE coalesce(number, '') = '') FROM ({sql})"
    try:
        total, missing = con.execute(count_sql).fetchall()[0]
        reader = con.sql(sql).to_arrow_reader(batch_rows)
    except duckdb.Error as exc:
        raise DataError(str(exc).splitlines()[0], sql=" ".join(sql.split())) from exc
    if missing:
        raise DataError(f"{missing} document record(s) without a number", field=str(path))

    def batches():
        try:
            for batch in reader:
                yield batch.cast(DOCUMENT_SCHEMA)
        finally:
            con.close()
    return DocumentBatches(int(total), batches())


def read_documents(path: Path) -> pa.Table:
    """Read travel-document records from JSONL, CSV or Parquet into DOCUMENT_SCHEMA."""
    stream = stream_documents(path)
    return pa.Table.from_batches(list(stream.batches), schema=DOCUMENT_SCHEMA)


def _combine(previous: pa.Table, new: pa.Table, keep_previous_where: str) -> pa.Table:
    """The previous records that satisfy `keep_previous_where`, plus every new record."""
    con = duckdb.connect()
    con.register("prev", previous)
    con.register("new", new)
    table = _run(con, f"SELECT * FROM prev WHERE {keep_previous_where} UNION ALL SELECT * FROM new")
    con.close()
    return table.cast(previous.schema)


def merge_append(previous: pa.Table, new: pa.Table) -> pa.Table:
    """Previous records plus new ones; a new record replaces an old one with the same id."""
    return _combine(previous, new, "record_id NOT IN (SELECT record_id FROM new)")


def replace_lists(previous: pa.Table, new: pa.Table) -> pa.Table:
    """Previous records of every list that `new` does not carry, plus `new`."""
    return _combine(previous, new, "list NOT IN (SELECT DISTINCT list FROM new) "
                                   "AND record_id NOT IN (SELECT record_id FROM new)")
