"""Which immutable version is served: rollback to the one before, or a named one."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from indexes.snapshot import current_version, list_versions
from screening.errors import FailedPrecondition, NotFound


def set_current(data_dir: Path, version: str) -> None:
    tmp = Path(data_dir) / f".CURRENT-{uuid.uuid4().hex}"
    tmp.write_text(version + "\n")
    os.replace(tmp, Path(data_dir) / "CURRENT")  # atomic: servers see one name or the other


def rollback(data_dir: Path, to: str | None = None) -> tuple[str, str]:
    """Name the previous version (or `to`) in CURRENT; returns (before, after)."""
    data_dir = Path(data_dir)
    versions = list_versions(data_dir)
    now = current_version(data_dir)
    if now is None:
        raise FailedPrecondition("no version is being served")
    if to is not None:
        if to not in versions:
            raise NotFound(f"no version {to} in {data_dir}", field="to")
        target = to
    else:
        older = [v for v in versions if v < now]
        if not older:
            raise FailedPrecondition(f"{now} is the oldest version: nothing to roll back to")
        target = older[-1]
    set_current(data_dir, target)
    return now, target
