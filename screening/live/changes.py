"""Watchlist changes and the delta files that carry them.

A batch of changes is one immutable file, ``data/deltas/<base version>/d000001.jsonl``,
written beside the others and renamed into place, so every server process (and a restart)
sees whole batches only, in order. The changes of a base version, replayed in file order,
give each touched record's latest state.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from screening.errors import InvalidArgument

OPS = ("add", "update", "cancel")
KINDS = ("nominal", "document")
# A record whose status says it no longer applies is treated like a cancellation.
INACTIVE = ("cancelled", "canceled", "expired", "withdrawn", "deleted")


@dataclass(frozen=True)
class Change:
    op: str
    kind: str
    record_id: str
    record: dict | None = None

    @property
    def removes(self) -> bool:
        if self.op == "cancel":
            return True
        status = str((self.record or {}).get("status") or "active").lower()
        return self.kind == "nominal" and status in INACTIVE

    def to_json(self) -> str:
        return json.dumps({"op": self.op, "kind": self.kind, "record_id": self.record_id,
                           "record": self.record}, ensure_ascii=False, sort_keys=True)


def change_from_dict(d: dict, where: str = "") -> Change:
    """Validate one change: `op`, `kind`, and `record` (add, update) or `record_id`."""
    op = str(d.get("op", "")).lower()
    kind = str(d.get("kind", "nominal")).lower()
    if op not in OPS:
        raise InvalidArgument(f"{where}op must be one of {', '.join(OPS)}", field="op")
    if kind not in KINDS:
        raise InvalidArgument(f"{where}kind must be nominal or document", field="kind")
    record = d.get("record")
    if op != "cancel":
        if not isinstance(record, dict) or not record.get("record_id"):
            raise InvalidArgument(f"{where}{op} needs a record with a record_id",
                                  field="record")
        return Change(op, kind, str(record["record_id"]), record)
    record_id = str(d.get("record_id") or (record or {}).get("record_id") or "")
    if not record_id:
        raise InvalidArgument(f"{where}cancel needs a record_id", field="record_id")
    return Change(op, kind, record_id)


def read_changes_file(path: Path) -> list[Change]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            out.append(change_from_dict(json.loads(line), where=f"line {n}: "))
    return out


def delta_dir(data_dir: Path, base: str) -> Path:
    return Path(data_dir) / "deltas" / base


def list_deltas(data_dir: Path, base: str) -> list[str]:
    d = delta_dir(data_dir, base)
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.name.startswith("d") and
                  p.name.endswith(".jsonl"))


def write_delta(data_dir: Path, base: str, changes: list[Change]) -> str:
    """One new immutable batch for `base`; returns its name. Concurrent writers of the
    same name lose the race to `os.link` and take the next number."""
    d = delta_dir(data_dir, base)
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / f".tmp-{uuid.uuid4().hex}"
    tmp.write_text("".join(c.to_json() + "\n" for c in changes), encoding="utf-8")
    try:
        while True:
            existing = list_deltas(data_dir, base)
            number = int(existing[-1][1:7]) + 1 if existing else 1
            name = f"d{number:06d}.jsonl"
            try:
                os.link(tmp, d / name)
                return name
            except FileExistsError:
                continue
    finally:
        tmp.unlink()


def read_deltas(data_dir: Path, base: str, names: list[str] | None = None) -> list[Change]:
    out: list[Change] = []
    for name in names if names is not None else list_deltas(data_dir, base):
        out.extend(read_changes_file(delta_dir(data_dir, base) / name))
    return out


def latest_state(changes: list[Change]) -> dict[tuple[str, str], Change]:
    """Each touched (kind, record_id) and its last change."""
    state: dict[tuple[str, str], Change] = {}
    for c in changes:
        state[(c.kind, c.record_id)] = c
    return state
