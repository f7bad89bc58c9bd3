"""Document lookup kernels: bucket directory, probe, and verification of hash hits against the
stored normalised numbers (a hash collision is never reported)."""

from __future__ import annotations

import numpy as np
from numba import njit

from indexes.numba_config import JIT


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
def _pack_countries_kernel(data, offsets):
    """A country code as uint32 (three ASCII bytes, big-endian): 0 for an empty one. A code
    longer than three bytes (not ISO alpha-3) gets a distinct value with the top bit set."""
    n = offsets.shape[0] - 1
    out = np.zeros(n, dtype=np.uint32)
    for i in range(n):
        s = offsets[i]
        e = offsets[i + 1]
        if e - s <= 3:
            v = np.uint32(0)
            for k in range(s, e):
                v = (v << np.uint32(8)) | np.uint32(data[k])
            out[i] = v
        else:
            h = np.uint32(2166136261)
            for k in range(s, e):
                h = (h ^ np.uint32(data[k])) * np.uint32(16777619)
            out[i] = h | np.uint32(0x80000000)
    return out


@njit(**JIT)
def _lookup_fingerprint_kernel(q_empty, q_hash, q_fp, q_country, s, e, keys, row_mask,
                               fingerprints, countries):
    """Pass 2 of a lookup over the folded-hash keys. Among rows whose folded hash bits equal
    the query's and whose country agrees (0 = unknown agrees with anything): the first row
    whose exact-number fingerprint equals the query's (exact), else the first row at all
    (look-alike). Rows ascend within a hash run, so "first" is the lowest. The caller
    verifies the returned rows against the stored numbers."""
    n = q_hash.shape[0]
    exact = np.full(n, -1, dtype=np.int64)
    folded = np.full(n, -1, dtype=np.int64)
    high = ~row_mask
    for i in range(n):
        if q_empty[i]:
            continue
        target = q_hash[i] & high
        qc = q_country[i]
        for k in range(s[i], e[i]):
            key_high = keys[k] & high
            if key_high < target:
                continue
            if key_high > target:
                break
            row = np.int64(keys[k] & row_mask)
            rc = countries[row]
            if qc != 0 and rc != 0 and qc != rc:
                continue
            if fingerprints[row] == q_fp[i]:
                exact[i] = row
                break
            if folded[i] < 0:
                folded[i] = row
        if exact[i] >= 0:
            folded[i] = -1
    return exact, folded
