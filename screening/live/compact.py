"""Compaction: fold a base version and its live changes into a new immutable version,
in the background, while the base plus overlay keeps answering."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from indexes.snapshot import DOCUMENT_SCHEMA, NOMINAL_SCHEMA, _read_ipc, build_snapshot
from screening.live.changes import Change, latest_state


def fold(data_dir: Path, base: str, changes: list[Change]) -> str:
    """Build base + changes as a new version (named in CURRENT); returns its name.
    A cancelled person keeps its row with status `cancelled` (it no longer matches but
    stays for status and audit); a cancelled document leaves the list."""
    from screening import loader

    path = Path(data_dir) / "versions" / base
    state = latest_state(changes)
    nominal = pq.read_table(path / "nominal.parquet").cast(NOMINAL_SCHEMA)
    documents = _read_ipc(path / "documents.arrow")
    touched_n = pa.array([rid for kind, rid in state if kind == "nominal"], pa.string())
    touched_d = pa.array([rid for kind, rid in state if kind == "document"], pa.string())

    cancelled = nominal.filter(pc.is_in(nominal["record_id"], value_set=pa.array(
        [c.record_id for c in state.values() if c.kind == "nominal" and c.removes],
        pa.string())))
    cancelled = cancelled.set_column(cancelled.schema.get_field_index("status"), "status",
                                     pa.array(["cancelled"] * cancelled.num_rows, pa.string()))
    kept = nominal.filter(pc.invert(pc.is_in(nominal["record_id"], value_set=touched_n)))
    added = loader.nominal_from_records(
        [c.record for c in state.values() if c.kind == "nominal" and not c.removes])
    new_nominal = pa.concat_tables([kept, cancelled, added.cast(NOMINAL_SCHEMA)])

    docs_kept = documents.filter(pc.invert(pc.is_in(documents["record_id"],
                                                    value_set=touched_d)))
    doc_records = [c.record for c in state.values() if c.kind == "document" and not c.removes]
    if doc_records:
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "documents.jsonl"
            f.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in doc_records))
            docs_added = loader.read_documents(f)
        new_documents = pa.concat_tables([docs_kept.cast(DOCUMENT_SCHEMA),
                                          docs_added.cast(DOCUMENT_SCHEMA)])
    else:
        new_documents = docs_kept
    return build_snapshot(Path(data_dir), nominal=new_nominal,
                          documents=new_documents if len(touched_d) else None)
