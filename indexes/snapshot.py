"""The snapshot format: one immutable, versioned folder per watchlist version.

Layout of a data folder::

    data/
      CURRENT                   name of the version being served (replaced atomically)
      catalog.duckdb            versions table + views for analytics
      versions/v000001/
        meta.json               version, build time, counts by list
        nominal.parquet         nominal records as loaded (nested), for analytics and reloads
        records.arrow           the columns screening needs per record (Arrow IPC, mmapped)
        names.arrow             one row per indexed name: record_idx, display name
        person_documents.arrow  documents found on nominal records: record_idx, number, country
        documents.arrow         the stolen/lost document list (Arrow IPC, mmapped)
        name_index/ document_index/ person_document_index/   index arrays (np.load mmap)

A version is built in a temporary folder beside the others, then renamed into place
and only then named in CURRENT, so readers never see a half-built version. The kind
that a load does not touch is hard-linked from the previous version, not copied.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from indexes.document_index import DocumentIndex, DocumentIndexBuilder
from indexes.index_format import IndexFormatError
from indexes.name_index import NameIndex

NAME_STRUCT = pa.struct(
    [
        ("surname", pa.string()),
        ("given_names", pa.string()),
        ("full_name", pa.string()),
        ("quality", pa.string()),
    ]
)
DOC_STRUCT = pa.struct(
    [("number", pa.string()), ("issuing_country", pa.string()), ("type", pa.string())]
)
NOMINAL_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("list", pa.string()),
        ("category", pa.string()),
        ("names", pa.list_(NAME_STRUCT)),
        ("dates_of_birth", pa.list_(pa.string())),
        ("sex", pa.string()),
        ("nationalities", pa.list_(pa.string())),
        ("documents", pa.list_(DOC_STRUCT)),
        ("owner", pa.string()),
        ("status", pa.string()),
        ("place_of_birth", pa.string()),
    ]
)
DOCUMENT_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("number", pa.string()),
        ("issuing_country", pa.string()),
        ("type", pa.string()),
        ("status", pa.string()),
        ("reported_on", pa.string()),
        ("owner", pa.string()),
    ]
)
NOMINAL_FILES = (
    "nominal.parquet",
    "records.arrow",
    "names.arrow",
    "person_documents.arrow",
    "name_index",
    "person_document_index",
)
DOCUMENT_FILES = ("documents.arrow", "document_index")

Progress = Callable[[str], None]


_log = logging.getLogger(__name__)


def _quiet(_: str) -> None:
    pass


# ---------------------------------------------------------------------------
# Reading a version
# ---------------------------------------------------------------------------


def _read_ipc(path: Path) -> pa.Table:
    """Memory-map an Arrow IPC file: zero-copy, opens in milliseconds whatever its size."""
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


@dataclass
class Snapshot:
    """One opened, immutable watchlist version. Safe to share between threads."""

    version: str
    path: Path
    meta: dict
    records: pa.Table
    names: pa.Table
    documents: pa.Table
    person_documents: pa.Table
    name_index: NameIndex
    document_index: DocumentIndex
    person_document_index: DocumentIndex

    @property
    def built_at(self) -> datetime:
        return datetime.fromisoformat(self.meta["built_at"])

    def warmup(self) -> None:
        """Compile and touch every kernel so the first real request is fast."""
        self.name_index.warmup()
        self.document_index.lookup(["WARMUP0"], [""])
        self.person_document_index.lookup(["WARMUP0"], [""])


def current_version(data_dir: Path) -> str | None:
    marker = Path(data_dir) / "CURRENT"
    if not marker.exists():
        return None
    name = marker.read_text().strip()
    return name or None


def open_snapshot(data_dir: Path, version: str | None = None) -> Snapshot:
    """Open the named version, or the one in CURRENT."""
    data_dir = Path(data_dir)
    version = version or current_version(data_dir)
    if version is None:
        raise FileNotFoundError(f"no snapshot in {data_dir}: run `screening load` first")
    path = data_dir / "versions" / version
    meta = json.loads((path / "meta.json").read_text())
    documents = _read_ipc(path / "documents.arrow")
    person_documents = _read_ipc(path / "person_documents.arrow")
    return Snapshot(
        version=version,
        path=path,
        meta=meta,
        records=_read_ipc(path / "records.arrow"),
        names=_read_ipc(path / "names.arrow"),
        documents=documents,
        person_documents=person_documents,
        name_index=_open_rebuilding(path, "name_index",
                                    lambda: NameIndex.open(path / "name_index"),
                                    lambda out: _save_name_index(
                                        _read_ipc(path / "names.arrow"), out)),
        document_index=_open_rebuilding(
            path, "document_index",
            lambda: DocumentIndex.open(path / "document_index", documents["number"],
                                       documents["issuing_country"]),
            lambda out: DocumentIndex.build(documents["number"],
                                            documents["issuing_country"]).save(out)),
        person_document_index=_open_rebuilding(
            path, "person_document_index",
            lambda: DocumentIndex.open(path / "person_document_index",
                                       person_documents["number"],
                                       person_documents["issuing_country"]),
            lambda out: DocumentIndex.build(person_documents["number"],
                                            person_documents["issuing_country"]).save(out)),
    )


def _open_rebuilding(path: Path, name: str, open_index: Callable[[], object],
                     build: Callable[[Path], None]) -> object:
    """open_index() of the version's index `name`. One written by a release with another
    index format is rebuilt first from the version's own tables (build(folder)): the index is
    derived data, and a server upgraded in place must start on the data it has, not stop on a
    traceback. One process rebuilds (a lock beside it), the others wait and open its result;
    the new index is written beside the old one and renamed into place."""
    try:
        return open_index()
    except IndexFormatError:
        pass
    with open(path / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return open_index()  # rebuilt meanwhile by another process
        except IndexFormatError as exc:
            _log.warning("%s: rebuilding it from the version's tables", exc)
        t0 = time.perf_counter()
        tag = uuid.uuid4().hex[:8]
        fresh, stale = path / f"{name}.new-{tag}", path / f"{name}.old-{tag}"
        build(fresh)
        os.rename(path / name, stale)
        os.rename(fresh, path / name)
        shutil.rmtree(stale)  # this version's links only: other versions keep their files
        _log.warning("%s of %s rebuilt in %.1f s", name, path.name, time.perf_counter() - t0)
    return open_index()


def _save_name_index(names: pa.Table, out: Path) -> None:
    """The name index of a names table (names.arrow: record_idx, display), saved to out."""
    NameIndex.build(names["display"].to_pylist(),
                    names["record_idx"].to_numpy().astype(np.int32)).save(out)


def list_versions(data_dir: Path) -> list[str]:
    root = Path(data_dir) / "versions"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.name.startswith("v") and p.is_dir())


# ---------------------------------------------------------------------------
# Building a version
# ---------------------------------------------------------------------------


def _write_ipc(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=1 << 20)


def _link_or_copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        dst.mkdir()
        for child in src.iterdir():
            _link_or_copy(child, dst / child.name)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _empty(schema: pa.Schema) -> pa.Table:
    return schema.empty_table()


def _build_nominal(nominal: pa.Table, out: Path, progress: Progress) -> None:
    pq.write_table(nominal, out / "nominal.parquet", compression="zstd")
    rec_idx = pa.array(np.arange(nominal.num_rows, dtype=np.int32))
    records = pa.table(
        {
            "record_idx": rec_idx,
            "record_id": nominal["record_id"],
            "list": nominal["list"],
            "category": nominal["category"],
            "status": nominal["status"],
            "sex": nominal["sex"],
            "dates_of_birth": nominal["dates_of_birth"],
            "nationalities": nominal["nationalities"],
            "owner": nominal["owner"],
        }
    )
    _write_ipc(records, out / "records.arrow")

    # Flatten names and documents of active records with DuckDB: cancelled records
    # stay in the table (for audit and status) but can no longer produce hits.
    con = duckdb.connect()
    con.register("nominal_src", pa.table({"record_idx": rec_idx, "status": nominal["status"],
                                           "names": nominal["names"],
                                           "documents": nominal["documents"]}))
    names = con.sql(
        """
        SELECT record_idx::INTEGER AS record_idx,
               coalesce(nullif(trim(n.full_name), ''),
                        trim(concat_ws(' ', n.surname, n.given_names))) AS display,
               coalesce(n.quality, '') AS quality
        FROM (SELECT record_idx, status, unnest(names) AS n FROM nominal_src)
        WHERE lower(coalesce(status, 'active')) = 'active'
          AND coalesce(nullif(trim(n.full_name), ''),
                       trim(concat_ws(' ', n.surname, n.given_names))) <> ''
        ORDER BY record_idx
        """
    ).to_arrow_table()
    person_docs = con.sql(
        """
        SELECT record_idx::INTEGER AS record_idx, d.number AS number,
               coalesce(d.issuing_country, '') AS issuing_country,
               coalesce(d.type, '') AS type
        FROM (SELECT record_idx, status, unnest(documents) AS d FROM nominal_src)
        WHERE lower(coalesce(status, 'active')) = 'active' AND coalesce(d.number, '') <> ''
        ORDER BY record_idx
        """
    ).to_arrow_table()
    con.close()
    _write_ipc(names, out / "names.arrow")
    _write_ipc(person_docs, out / "person_documents.arrow")

    progress(f"indexing {names.num_rows:,} names of {nominal.num_rows:,} records")
    t0 = time.perf_counter()
    _save_name_index(names, out / "name_index")
    progress(f"name index built in {time.perf_counter() - t0:.1f} s")
    DocumentIndex.build(person_docs["number"], person_docs["issuing_country"]).save(
        out / "person_document_index"
    )


@dataclass
class DocumentBatches:
    """A document list too big to hold in memory: its row count and its record batches
    (DOCUMENT_SCHEMA), read once."""

    num_rows: int
    batches: Iterator[pa.RecordBatch]


def _build_documents(documents: pa.Table | DocumentBatches, out: Path,
                     progress: Progress) -> None:
    """Stream the list into documents.arrow and the index builder at once."""
    if isinstance(documents, pa.Table):
        documents = DocumentBatches(documents.num_rows, iter(documents.cast(DOCUMENT_SCHEMA)
                                                             .to_batches(max_chunksize=1 << 20)))
    progress(f"indexing {documents.num_rows:,} travel documents")
    t0 = time.perf_counter()
    builder = DocumentIndexBuilder(documents.num_rows)
    done, step = 0, max(10_000_000, documents.num_rows // 10)
    with pa.OSFile(str(out / "documents.arrow"), "wb") as sink, \
            pa.ipc.new_file(sink, DOCUMENT_SCHEMA) as writer:
        for batch in documents.batches:
            batch = batch.cast(DOCUMENT_SCHEMA) if batch.schema != DOCUMENT_SCHEMA else batch
            writer.write_batch(batch)
            builder.add(batch.column("number"), batch.column("issuing_country"))
            if (done + batch.num_rows) // step > done // step:
                progress(f"{done + batch.num_rows:,} documents read "
                         f"({time.perf_counter() - t0:.0f} s)")
            done += batch.num_rows
    if done != documents.num_rows:
        raise ValueError(f"expected {documents.num_rows:,} documents, read {done:,}")
    builder.finish().save(out / "document_index")
    progress(f"document index built in {time.perf_counter() - t0:.1f} s")


def _counts_by_list(nominal: pa.Table, documents: pa.Table) -> list[dict]:
    out = []
    if nominal.num_rows:
        counts = pc.value_counts(pc.fill_null(nominal["list"], "unknown"))
        for item in counts.to_pylist():
            out.append({"list": item["values"], "kind": "nominal", "records": item["counts"]})
    if documents.num_rows:
        out.append({"list": "sltd", "kind": "document", "records": documents.num_rows})
    return sorted(out, key=lambda d: (d["kind"], d["list"]))


def _next_version(data_dir: Path) -> str:
    existing = list_versions(data_dir)
    last = int(existing[-1][1:]) if existing else 0
    return f"v{last + 1:06d}"


def _record_in_catalog(data_dir: Path, meta: dict) -> None:
    con = duckdb.connect(str(data_dir / "catalog.duckdb"))
    try:
        con.execute(
            """CREATE TABLE IF NOT EXISTS versions (
                   version VARCHAR PRIMARY KEY, built_at TIMESTAMP, parent VARCHAR,
                   loaded VARCHAR, nominal_records BIGINT, names BIGINT,
                   document_records BIGINT, lists JSON)"""
        )
        con.execute(
            "INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [meta["version"], meta["built_at"], meta.get("parent"), meta["loaded"],
             meta["nominal_records"], meta["names"], meta["document_records"],
             json.dumps(meta["lists"])],
        )
    finally:
        con.close()


def build_snapshot(
    data_dir: Path,
    *,
    nominal: pa.Table | None = None,
    documents: pa.Table | DocumentBatches | None = None,
    progress: Progress = _quiet,
) -> str:
    """Build a new version from the given tables; a kind left as None is kept from the
    current version (hard-linked). Returns the new version name, now in CURRENT."""
    data_dir = Path(data_dir)
    (data_dir / "versions").mkdir(parents=True, exist_ok=True)
    parent = current_version(data_dir)
    parent_path = data_dir / "versions" / parent if parent else None
    tmp = data_dir / "versions" / f".build-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        if nominal is not None:
            _build_nominal(nominal.cast(NOMINAL_SCHEMA), tmp, progress)
        elif parent_path is not None:
            for name in NOMINAL_FILES:
                _link_or_copy(parent_path / name, tmp / name)
        else:
            _build_nominal(_empty(NOMINAL_SCHEMA), tmp, progress)

        if documents is not None:
            _build_documents(documents, tmp, progress)
        elif parent_path is not None:
            for name in DOCUMENT_FILES:
                _link_or_copy(parent_path / name, tmp / name)
        else:
            _build_documents(_empty(DOCUMENT_SCHEMA), tmp, progress)

        nominal_now = pq.read_table(tmp / "nominal.parquet")
        documents_now = _read_ipc(tmp / "documents.arrow")
        names_now = _read_ipc(tmp / "names.arrow")
        loaded = [k for k, t in (("nominal", nominal), ("documents", documents)) if t is not None]
        version = _next_version(data_dir)
        meta = {
            "version": version,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "parent": parent,
            "loaded": ",".join(loaded),
            "nominal_records": nominal_now.num_rows,
            "names": names_now.num_rows,
            "document_records": documents_now.num_rows,
            "lists": _counts_by_list(nominal_now, documents_now),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2))
        final = data_dir / "versions" / version
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _record_in_catalog(data_dir, meta)
    marker_tmp = data_dir / f".CURRENT-{uuid.uuid4().hex}"
    marker_tmp.write_text(version + "\n")
    os.replace(marker_tmp, data_dir / "CURRENT")
    return version


def previous_tables(data_dir: Path) -> tuple[pa.Table, pa.Table]:
    """The nominal and document tables of the current version (for --append)."""
    version = current_version(Path(data_dir))
    if version is None:
        return _empty(NOMINAL_SCHEMA), _empty(DOCUMENT_SCHEMA)
    path = Path(data_dir) / "versions" / version
    return pq.read_table(path / "nominal.parquet"), _read_ipc(path / "documents.arrow")
