"""Memory of a process tree (the server parent and its workers) from /proc.

RSS counts the memory-mapped snapshot pages once per process that touched them; PSS splits
shared pages between the processes that share them, so its sum is what the tree really holds.
"""

from __future__ import annotations

from pathlib import Path

from bench.load.proc import direct_children


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += direct_children(p)
    return pids


def _rollup(pid: int) -> dict[str, int]:
    """smaps_rollup fields in KiB (Rss, Pss, Pss_Anon, Pss_File, ...)."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            out[key.strip()] = int(parts[0])
    return out


def tree_memory(pid: int) -> dict:
    """RSS and PSS (GiB) summed over the tree, and per process RSS (GiB)."""
    per = {}
    for p in _tree(pid):
        try:
            per[p] = _rollup(p)
        except OSError:
            continue
    gib = 2 ** 20
    return {
        "processes": len(per),
        "rss_gib": round(sum(r.get("Rss", 0) for r in per.values()) / gib, 3),
        "pss_gib": round(sum(r.get("Pss", 0) for r in per.values()) / gib, 3),
        "pss_anon_gib": round(sum(r.get("Pss_Anon", 0) for r in per.values()) / gib, 3),
        "pss_file_gib": round(sum(r.get("Pss_File", 0) for r in per.values()) / gib, 3),
        "rss_per_process_gib": [round(r.get("Rss", 0) / gib, 3) for r in per.values()],
    }
