"""Shared helpers for benchmark reports: machine and commit, and `summary.json` entries."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip()
                     for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        cpu = model
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB"


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def update_summary(path: Path, entries: list[dict]) -> None:
    """Replace entries with the same name in bench/results/summary.json; keep the others."""
    path = Path(path)
    current = json.loads(path.read_text()) if path.exists() else []
    names = {e["name"] for e in entries}
    merged = [e for e in current if e["name"] not in names] + entries
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=2) + "\n")
