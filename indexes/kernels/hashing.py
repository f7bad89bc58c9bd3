"""64-bit hashing of byte strings: FNV-1a followed by the splitmix64 finaliser.

FNV-1a alone has weak low bits for short keys; the finaliser spreads every input bit over the
whole word, so the sorted key arrays and searchsorted behave well. A byte translation table is
applied on the fly, which gives the confusable-folded hash without materialising folded strings.
All arithmetic stays in uint64 (mixing in Python ints would make Numba promote to float64).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from indexes.numba_config import JIT

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
MIX_2 = np.uint64(0x94D049BB133111EB)
SEED_MULT = np.uint64(0x9E3779B97F4A7C15)
S30 = np.uint64(30)
S27 = np.uint64(27)
S31 = np.uint64(31)


@njit(**JIT)
def _mix64_kernel(z):
    z = (z ^ (z >> S30)) * MIX_1
    z = (z ^ (z >> S27)) * MIX_2
    return z ^ (z >> S31)


@njit(**JIT)
def _hash_bytes_kernel(buf, start, end, skip, table, seed):
    """Hash buf[start:end] through `table`, leaving out position `skip` (-1: none)."""
    h = FNV_OFFSET ^ (np.uint64(seed) * SEED_MULT)
    for i in range(start, end):
        if i == skip:
            continue
        h = (h ^ np.uint64(table[buf[i]])) * FNV_PRIME
    return _mix64_kernel(h)


@njit(**JIT)
def _hash_strings_kernel(data, offsets, table, seed):
    """Hash every string of an Arrow string array given as (data bytes, offsets)."""
    n = offsets.shape[0] - 1
    out = np.empty(n, dtype=np.uint64)
    for i in range(n):
        out[i] = _hash_bytes_kernel(data, offsets[i], offsets[i + 1], -1, table, seed)
    return out
