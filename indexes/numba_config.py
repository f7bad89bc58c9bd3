"""The one place where Numba compilation options live, shared by every kernel.

cache=True writes compiled machine code next to the sources, so a restarted service (or the next
test run) does not pay the compile time again; nogil=True lets the gRPC worker threads run
kernels concurrently. Every kernel uses @njit, which is always nopython (no silent fallback to
object mode); passing nopython=True to njit only triggers a warning, so it is not repeated here.

Numba checks a cached kernel against its own source file only, yet kernels inline kernels and
constants of other files (names.py compiles in strings.py's edit costs): after a change to
strings.py alone, names.py's cached code would keep the old costs. So the cache is also keyed
here by a digest of every kernel source: when that changes, the cached files are dropped once,
before any kernel module is compiled or loaded.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

JIT: dict[str, bool] = dict(cache=True, nogil=True)

# Leaf kernels, which allocate nothing and run once per token pair or per candidate, are
# compiled without Numba's reference counting (NRT): passing them arrays then costs no atomic
# increment and decrement per array and call. Those were a quarter of candidate gathering's
# time and more than a third of the scorer's (perf on the load list: NRT_incref and
# NRT_decref). A leaf that ever allocates fails to compile ("Only accept returning of array
# passed into the function as argument"), it does not run wrong.
LEAF: dict[str, bool] = dict(JIT, _nrt=False)

_KERNELS = Path(__file__).resolve().parent / "kernels"
_STAMP = "kernel-sources.sha1"


def _cache_dir() -> Path:
    """Where Numba writes this package's cache: NUMBA_CACHE_DIR if set (a directory for
    Numba alone), else __pycache__ beside the kernel sources."""
    custom = os.environ.get("NUMBA_CACHE_DIR", "")
    return Path(custom) if custom else _KERNELS / "__pycache__"


def sources_digest() -> str:
    """SHA-1 over the kernel sources and this file, in name order."""
    h = hashlib.sha1()
    for path in sorted(_KERNELS.glob("*.py")) + [Path(__file__).resolve()]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def drop_stale_cache(cache: Path | None = None) -> bool:
    """Remove the cached kernels if they were compiled from other kernel sources than these;
    returns whether it did. Best effort: a cache that cannot be read or cleaned is left to
    Numba (which then compiles as usual)."""
    cache = cache or _cache_dir()
    stamp = cache / _STAMP
    digest = sources_digest()
    try:
        if stamp.read_text() == digest:
            return False
    except OSError:
        pass
    try:
        for pattern in ("*.nbi", "*.nbc"):
            for path in cache.rglob(pattern):
                path.unlink(missing_ok=True)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = stamp.with_name(f"{_STAMP}.{os.getpid()}")
        tmp.write_text(digest)
        tmp.replace(stamp)
    except OSError:
        return False
    return True


drop_stale_cache()
