"""The names scaling plot: cost per passenger against list size, log-log, ours and the peer."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def plot(rows: list[dict], path: Path) -> None:
    x = [r["names"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.loglog(x, [r["peer_us"] for r in rows], "o-", label="rapidfuzz cdist brute force (peer)")
    ax.loglog(x, [r["screen_us"] for r in rows], "o-", label="full screening (Engine)")
    ax.loglog(x, [r["search_us"] for r in rows], "s--", label="name search")
    ax.loglog(x, [r["kernel_us"] for r in rows], "^:", label="name kernels only")
    # A reference slope of 1 through our first point: cost growing as fast as the list.
    ref = [rows[0]["screen_us"] * n / x[0] for n in x]
    ax.loglog(x, ref, color="grey", linewidth=0.8, label="proportional to the list")
    ax.set_xlabel("names on the list")
    ax.set_ylabel("µs per passenger")
    ax.set_title("Cost per passenger vs list size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
