"""CPU accounting for load runs, from /proc (Linux): what each server process, the load
generator and the whole machine spent during one run, so that a report can say per call
where the 2 cores went (the load generator shares them with the server)."""

from __future__ import annotations

import os
import resource
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

_TICK = os.sysconf("SC_CLK_TCK")
T = TypeVar("T")


def direct_children(pid: int) -> list[int]:
    """The processes pid started (every thread's children list)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def children(pid: int) -> list[int]:
    """pid, then its direct children in pid order (the server's workers are direct
    children)."""
    return [pid] + sorted(direct_children(pid))


def _stat_cpu_s(stat: Path) -> float:
    """User + system CPU seconds from a /proc stat file (of a process or of one thread)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (0 once it is gone)."""
    try:
        return _stat_cpu_s(Path(f"/proc/{pid}/stat"))
    except OSError:
        return 0.0


def machine_s() -> tuple[float, float]:
    """(all CPU seconds, idle CPU seconds) since boot, over every core."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(ticks) / _TICK, (ticks[3] + ticks[4]) / _TICK


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(run: Callable[[], T], pids: list[int]) -> tuple[T, dict]:
    """run() (which starts the load generator as a child process and waits for it), and
    the CPU seconds spent meanwhile: by each of `pids` (`server_s`, in that order), by the
    children waited for during the run (`client_s`: the load generator and its own
    processes), and by the whole machine (`busy_s` of `all_s`)."""
    before = [cpu_s(p) for p in pids]
    all0, idle0 = machine_s()
    child0 = _children_cpu_s()
    result = run()
    child1 = _children_cpu_s()
    all1, idle1 = machine_s()
    after = [cpu_s(p) for p in pids]
    return result, {
        "client_s": round(child1 - child0, 3),
        "server_s": [round(a - b, 3) for a, b in zip(after, before, strict=True)],
        "busy_s": round((all1 - all0) - (idle1 - idle0), 3),
        "all_s": round(all1 - all0, 3),
    }


def thread_counters(pid: int) -> dict[int, tuple[float, int]]:
    """Per thread of one process: (user + system CPU seconds, context switches, voluntary and
    not). Threads that end while being read are left out."""
    out = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            cpu = _stat_cpu_s(task / "stat")
            status = (task / "status").read_text()
        except OSError:
            continue
        switches = sum(int(line.split()[1]) for line in status.splitlines()
                       if line.split(":")[0] in ("voluntary_ctxt_switches",
                                                 "nonvoluntary_ctxt_switches"))
        out[int(task.name)] = (cpu, switches)
    return out
