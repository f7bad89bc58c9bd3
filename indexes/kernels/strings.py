"""Jaro-Winkler similarity on ASCII byte arrays (same definition as rapidfuzz's JaroWinkler)."""

from __future__ import annotations

import numpy as np
from numba import njit

from indexes.numba_config import JIT

PREFIX_SCALE = 0.1
MAX_PREFIX = 4
WINKLER_THRESHOLD = 0.7  # the prefix bonus only applies above this Jaro similarity


ONE = np.uint64(1)
ZERO = np.uint64(0)
ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


@njit(**JIT)
def _winkler_kernel(a, a_len, b, b_len, matches, half_transpositions):
    m = float(matches)
    t = half_transpositions // 2
    jaro = (m / a_len + m / b_len + (m - t) / m) / 3.0
    if jaro > WINKLER_THRESHOLD:
        prefix = 0
        limit = min(MAX_PREFIX, a_len, b_len)
        while prefix < limit and a[prefix] == b[prefix]:
            prefix += 1
        jaro += prefix * PREFIX_SCALE * (1.0 - jaro)
    return jaro


@njit(**JIT)
def _jaro_winkler_bits_kernel(a, a_len, b, b_len, pm):
    """Jaro-Winkler for b_len <= 64 with bit masks: pm[c] holds the positions of byte c in b
    (built here, cleared before returning, so pm stays all-zero between calls). Each a[i]
    takes the lowest free matching position of b inside its window, exactly as the textbook
    loop does, in O(a_len + b_len)."""
    window = max(a_len, b_len) // 2 - 1
    if window < 0:
        window = 0
    for j in range(b_len):
        pm[b[j]] |= ONE << np.uint64(j)
    used_b = ZERO
    used_a = ZERO
    matches = 0
    for i in range(min(a_len, 64)):
        lo = max(0, i - window)
        hi = min(b_len, i + window + 1)
        if lo >= hi:
            continue
        mask = ALL if hi == 64 else (ONE << np.uint64(hi)) - ONE
        mask &= ~((ONE << np.uint64(lo)) - ONE)
        free = pm[a[i]] & mask & ~used_b
        if free != ZERO:
            used_b |= free & (~free + ONE)
            used_a |= ONE << np.uint64(i)
            matches += 1
    for j in range(b_len):
        pm[b[j]] = ZERO
    if matches == 0:
        return 0.0
    half_transpositions = 0
    j = 0
    for i in range(min(a_len, 64)):
        if (used_a >> np.uint64(i)) & ONE:
            while not (used_b >> np.uint64(j)) & ONE:
                j += 1
            if a[i] != b[j]:
                half_transpositions += 1
            j += 1
    return _winkler_kernel(a, a_len, b, b_len, matches, half_transpositions)


@njit(**JIT)
def _jaro_winkler_core_kernel(a, a_len, b, b_len, flags_a, flags_b, pm):
    """Jaro-Winkler of a[:a_len] and b[:b_len]; flags_* (bool, at least as long as the strings)
    and pm (uint64[256], all zero) are scratch, passed in so the batch scorer does not allocate
    per pair. Short strings (the usual case) take the bit-parallel path."""
    if a_len == 0 and b_len == 0:
        return 1.0
    if a_len == 0 or b_len == 0:
        return 0.0
    if a_len <= 64 and b_len <= 64:
        return _jaro_winkler_bits_kernel(a, a_len, b, b_len, pm)
    window = max(a_len, b_len) // 2 - 1
    if window < 0:
        window = 0
    for i in range(a_len):
        flags_a[i] = False
    for j in range(b_len):
        flags_b[j] = False
    matches = 0
    for i in range(a_len):
        lo = max(0, i - window)
        hi = min(b_len, i + window + 1)
        for j in range(lo, hi):
            if not flags_b[j] and a[i] == b[j]:
                flags_a[i] = True
                flags_b[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    half_transpositions = 0
    j = 0
    for i in range(a_len):
        if flags_a[i]:
            while not flags_b[j]:
                j += 1
            if a[i] != b[j]:
                half_transpositions += 1
            j += 1
    return _winkler_kernel(a, a_len, b, b_len, matches, half_transpositions)


@njit(**JIT)
def _jaro_winkler_kernel(a, a_len, b, b_len):
    flags_a = np.zeros(max(a_len, 1), dtype=np.bool_)
    flags_b = np.zeros(max(b_len, 1), dtype=np.bool_)
    pm = np.zeros(256, dtype=np.uint64)
    return _jaro_winkler_core_kernel(a, a_len, b, b_len, flags_a, flags_b, pm)
