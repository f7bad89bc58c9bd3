"""Verification of document-number hash hits against the stored normalised numbers."""

from __future__ import annotations

import numpy as np
from numba import njit

from indexes.numba_config import JIT


@njit(**JIT)
def _bytes_equal_kernel(a, a_start, a_end, b, b_start, b_end, table):
    if a_end - a_start != b_end - b_start:
        return False
    for t in range(a_end - a_start):
        if table[a[a_start + t]] != table[b[b_start + t]]:
            return False
    return True


@njit(**JIT)
def _plain_equal_kernel(a, a_start, a_end, b, b_start, b_end):
    if a_end - a_start != b_end - b_start:
        return False
    for t in range(a_end - a_start):
        if a[a_start + t] != b[b_start + t]:
            return False
    return True


@njit(**JIT)
def _verify_matches_kernel(
    q_data, q_offsets, qc_data, qc_offsets, lo, hi, keys, row_mask,
    d_data, d_offsets, dc_data, dc_offsets, table,
):
    """For query i, the lowest row among keys[lo[i]:hi[i]] (row = key & row_mask) whose number
    equals the query's (after `table`) and whose country agrees byte for byte (an empty
    country on either side agrees), else -1.

    Keys carry the row in their low bits and are sorted, so rows sharing the hash bits are
    ascending and the first verified row is the lowest one. An empty query number never
    matches.
    """
    n = lo.shape[0]
    out = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        qs = q_offsets[i]
        qe = q_offsets[i + 1]
        if qe == qs:
            continue
        qcs = qc_offsets[i]
        qce = qc_offsets[i + 1]
        for k in range(lo[i], hi[i]):
            row = np.int64(keys[k] & row_mask)
            if not _bytes_equal_kernel(q_data, qs, qe, d_data, d_offsets[row],
                                       d_offsets[row + 1], table):
                continue
            dcs = dc_offsets[row]
            dce = dc_offsets[row + 1]
            if qce > qcs and dce > dcs and not _plain_equal_kernel(qc_data, qcs, qce,
                                                                  dc_data, dcs, dce):
                continue
            out[i] = row
            break
    return out


@njit(**JIT)
def _normalize_ascii_kernel(data, offsets):
    """Document-number normalisation over an Arrow string buffer: a-z upper-cased, everything
    but A-Z0-9 dropped (UTF-8 bytes of non-ASCII characters are >= 0x80, so they go too; the
    caller applies NFKC first when the array is not pure ASCII). Returns (data, offsets)."""
    n = offsets.shape[0] - 1
    out = np.empty(offsets[n] - offsets[0], dtype=np.uint8)
    out_offsets = np.zeros(n + 1, dtype=np.int64)
    m = 0
    for i in range(n):
        for k in range(offsets[i], offsets[i + 1]):
            c = data[k]
            if 97 <= c <= 122:
                c -= 32
            if (65 <= c <= 90) or (48 <= c <= 57):
                out[m] = c
                m += 1
        out_offsets[i + 1] = m
    return out[:m], out_offsets
