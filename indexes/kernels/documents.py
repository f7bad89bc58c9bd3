"""Document lookup kernels: bucket directory, probe, and verification of hash hits against the
stored normalised numbers (a hash collision is never reported)."""

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


@njit(**JIT)
def _bucket_starts_kernel(keys, dir_bits):
    """starts[b] = first position in sorted `keys` whose top `dir_bits` bits are >= b;
    starts has 2**dir_bits + 1 entries. One pass over the keys."""
    n_buckets = 1 << dir_bits
    starts = np.empty(n_buckets + 1, dtype=np.int64)
    shift = np.uint64(64 - dir_bits)
    b = 0
    for k in range(keys.shape[0]):
        bucket = np.int64(keys[k] >> shift)
        while b <= bucket:
            starts[b] = k
            b += 1
    while b <= n_buckets:
        starts[b] = keys.shape[0]
        b += 1
    return starts


@njit(**JIT)
def _bucket_bounds_kernel(q_hash, starts, dir_bits):
    """Pass 1 of a lookup: each query's bucket [start, end) in the sorted keys. The loads are
    independent across queries, so the CPU overlaps their cache misses."""
    n = q_hash.shape[0]
    s = np.empty(n, dtype=np.int64)
    e = np.empty(n, dtype=np.int64)
    shift = np.uint64(64 - dir_bits)
    for i in range(n):
        b = np.int64(q_hash[i] >> shift)
        s[i] = starts[b]
        e[i] = starts[b + 1]
    return s, e


@njit(**JIT)
def _lookup_folded_kernel(
    q_data, q_offsets, qc_data, qc_offsets, q_hash, s, e, keys, row_mask,
    d_data, d_offsets, dc_data, dc_offsets, fold,
):
    """Pass 2 of a lookup over ONE key array, on the hash of the confusable-folded number
    (an exact hit is also a folded hit). For each query, among rows whose folded hash bits
    equal the query's and whose country agrees (empty = any): the lowest row whose number
    equals the query's byte for byte (exact), else the lowest whose folded number equals
    the query's folded number (confusable). Returns (exact_rows, confusable_rows); -1 where
    none; confusable is -1 where exact is set."""
    n = q_hash.shape[0]
    exact = np.full(n, -1, dtype=np.int64)
    folded = np.full(n, -1, dtype=np.int64)
    high = ~row_mask
    for i in range(n):
        qs = q_offsets[i]
        qe = q_offsets[i + 1]
        if qe == qs:
            continue
        target = q_hash[i] & high
        qcs = qc_offsets[i]
        qce = qc_offsets[i + 1]
        for k in range(s[i], e[i]):
            key_high = keys[k] & high
            if key_high < target:
                continue
            if key_high > target:
                break
            row = np.int64(keys[k] & row_mask)
            ds = d_offsets[row]
            de = d_offsets[row + 1]
            if not _bytes_equal_kernel(q_data, qs, qe, d_data, ds, de, fold):
                continue
            dcs = dc_offsets[row]
            dce = dc_offsets[row + 1]
            if qce > qcs and dce > dcs and not _plain_equal_kernel(qc_data, qcs, qce,
                                                                  dc_data, dcs, dce):
                continue
            if _plain_equal_kernel(q_data, qs, qe, d_data, ds, de):
                exact[i] = row  # rows ascend within a hash run: the first is the lowest
                break
            if folded[i] < 0:
                folded[i] = row
        if exact[i] >= 0:
            folded[i] = -1
    return exact, folded
