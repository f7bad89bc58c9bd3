"""The one place where Numba compilation options live, shared by every kernel.

cache=True writes compiled machine code next to the sources, so a restarted service (or the next
test run) does not pay the compile time again; nogil=True lets the gRPC worker threads run
kernels concurrently. Every kernel uses @njit, which is always nopython (no silent fallback to
object mode); passing nopython=True to njit only triggers a warning, so it is not repeated here.
"""

from __future__ import annotations

JIT: dict[str, bool] = dict(cache=True, nogil=True)
