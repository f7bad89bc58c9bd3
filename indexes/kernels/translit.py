"""How cheaply the learned transliteration model writes a given Latin spelling for a native
script word: a monotone alignment (Viterbi) where each native character emits a Latin segment,
priced by the model's kept segments and, for a segment the model never kept, by its edit
distance to the nearest kept one. Twin: reference.translit_cost."""

from __future__ import annotations

import numpy as np
from numba import njit

from indexes.numba_config import JIT


@njit(**JIT)
def _segment_distance(latin, lo, hi, chars, s0, s1, row):
    """Levenshtein distance between latin[lo:hi] and chars[s0:s1] (row: scratch, >= s1-s0+1)."""
    n = s1 - s0
    for j in range(n + 1):
        row[j] = j
    for i in range(lo, hi):
        diag = row[0]
        row[0] = i - lo + 1
        for j in range(1, n + 1):
            up = row[j]
            best = min(up + 1, row[j - 1] + 1, diag + (0 if latin[i] == chars[s0 + j - 1] else 1))
            diag = up
            row[j] = best
    return row[n]


@njit(**JIT)
def _translit_cost_kernel(pos_keys, key_offsets, seg_offsets, seg_chars, seg_cost, latin,
                          max_seg, edit_cost, unknown_cost):
    """(cost of the cheapest alignment of `latin` to the native word, cost of the model's own
    likeliest spelling of it), in nats. pos_keys: per native character its table key (-1:
    unknown to the model); key k owns segments key_offsets[k]:key_offsets[k + 1], segment s
    the letters seg_chars[seg_offsets[s]:seg_offsets[s + 1]] at cost seg_cost[s] (-log p).
    A native character emits 0..max_seg letters; a segment priced as
    min over kept segments (cost + edit_cost * distance), unknown_cost + edit_cost * length
    for an unknown character."""
    n, m = len(pos_keys), len(latin)
    inf = np.inf
    best = np.full((n + 1, m + 1), inf)
    best[0, 0] = 0.0
    row = np.empty(max_seg + 16, dtype=np.int64)
    likeliest = 0.0
    for k in range(n):
        key = pos_keys[k]
        if key < 0:
            likeliest += unknown_cost
        else:
            top = inf
            for s in range(key_offsets[key], key_offsets[key + 1]):
                top = min(top, seg_cost[s])
            likeliest += top
        for j in range(m + 1):
            here = best[k, j]
            if here == inf:
                continue
            for length in range(0, min(max_seg, m - j) + 1):
                if key < 0:
                    c = unknown_cost + edit_cost * length
                else:
                    c = inf
                    for s in range(key_offsets[key], key_offsets[key + 1]):
                        s0, s1 = seg_offsets[s], seg_offsets[s + 1]
                        if s1 - s0 + 1 > len(row):
                            continue
                        d = _segment_distance(latin, j, j + length, seg_chars, s0, s1, row)
                        c = min(c, seg_cost[s] + edit_cost * d)
                if here + c < best[k + 1, j + length]:
                    best[k + 1, j + length] = here + c
    return best[n, m], likeliest
