"""Process settings of a serving process: the garbage collector tuned to screening.

Screening a batch allocates many short-lived containers (token lists, matches, explanations)
and almost no reference cycles. At CPython's default thresholds a young collection runs every
700 net allocations, dozens of times per batch, each walking every young object the batch still
holds: 8.5% of `Engine.screen` on the load benchmark's passengers (in one process, batches of
500, alternating with the default thresholds: median of pairwise ratios 0.915).
"""

from __future__ import annotations

import gc

# Young collections every 50,000 net allocations instead of 700; the older generations as
# rarely relative to them as before, or rarer.
GC_THRESHOLDS = (50_000, 20, 100)


def settle() -> None:
    """Once the service is loaded and warm: collect once, then keep every object alive now (the
    snapshot's tables, caches, compiled kernels) out of the collector's walks (gc.freeze:
    long-lived, so never garbage) and collect young objects less often."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
