"""The documents scaling plot: lookups per second per core and restart time against list size."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def plot(rows: list[dict], path: Path) -> None:
    x = [r["documents"] for r in rows]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    a.loglog(x, [r["lookups_per_s_miss"] for r in rows], "o-", label="misses (real traffic)")
    a.loglog(x, [r["lookups_per_s_hit"] for r in rows], "s--", label="hits")
    a.axhline(5e6, color="grey", linewidth=0.8, label="target 5M/s/core")
    a.set_xlabel("documents on the list")
    a.set_ylabel("lookups per second, one core")
    a.grid(True, which="both", alpha=0.3)
    a.legend(fontsize=8)
    b.semilogx(x, [r["build_s"] for r in rows], "o-", label="build from Parquet (s)")
    b.semilogx(x, [r["restart_to_serving_s"] for r in rows], "s--",
               label="restart to SERVING (s)")
    b.set_xlabel("documents on the list")
    b.set_ylabel("seconds")
    b.grid(True, which="both", alpha=0.3)
    b.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
