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
    longest = 0  # the longest segment this word's characters keep sizes the distance row
    for k in range(n):
        if pos_keys[k] >= 0:
            for s in range(key_offsets[pos_keys[k]], key_offsets[pos_keys[k] + 1]):
                longest = max(longest, seg_offsets[s + 1] - seg_offsets[s])
    row = np.empty(longest + 1, dtype=np.int64)
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
                        d = _segment_distance(latin, j, j + length, seg_chars, s0, s1, row)
                        c = min(c, seg_cost[s] + edit_cost * d)
                if here + c < best[k + 1, j + length]:
                    best[k + 1, j + length] = here + c
    return best[n, m], likeliest


@njit(**JIT)
def _compare_at(tok_chars, t0, t1, depth, seg_chars, s0, s1):
    """Order of token[depth:depth + len(seg)] against seg (-1, 0, 1); a token that ends first
    sorts first, as in the byte order of the sorted lexicon."""
    for i in range(s1 - s0):
        p = t0 + depth + i
        if p >= t1:
            return -1
        a, b = tok_chars[p], seg_chars[s0 + i]
        if a != b:
            return -1 if a < b else 1
    return 0


@njit(**JIT)
def _narrow(lo, hi, depth, seg_chars, s0, s1, tok_chars, tok_offsets, order):
    """The sub-range of sorted tokens [lo, hi) (all sharing their first `depth` letters) whose
    next letters are the segment."""
    a, b = lo, hi
    while a < b:  # first token >= seg
        mid = (a + b) // 2
        t = order[mid]
        if _compare_at(tok_chars, tok_offsets[t], tok_offsets[t + 1], depth, seg_chars, s0,
                       s1) < 0:
            a = mid + 1
        else:
            b = mid
    first = a
    b = hi
    while a < b:  # first token > seg
        mid = (a + b) // 2
        t = order[mid]
        if _compare_at(tok_chars, tok_offsets[t], tok_offsets[t + 1], depth, seg_chars, s0,
                       s1) <= 0:
            a = mid + 1
        else:
            b = mid
    return first, a


@njit(**JIT)
def _lexicon_decode_kernel(pos_keys, key_offsets, seg_offsets, seg_chars, seg_cost, tok_chars,
                           tok_offsets, order, beam):
    """Listed tokens the model writes for a native word, with the cost of their cheapest
    writing: a beam search of the model's kept segments over the sorted lexicon (`order`:
    token ids in byte order), each hypothesis a range of tokens sharing the letters written so
    far. Returns (token ids, costs), cheapest first. Twin: reference.lexicon_decode."""
    n_tok = len(order)
    lo = np.zeros(1, dtype=np.int64)
    hi = np.full(1, n_tok, dtype=np.int64)
    dep = np.zeros(1, dtype=np.int64)
    cost = np.zeros(1)
    for k in range(len(pos_keys)):
        key = pos_keys[k]
        if key < 0 or len(lo) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        n_seg = key_offsets[key + 1] - key_offsets[key]
        cap = len(lo) * n_seg
        nlo = np.empty(cap, dtype=np.int64)
        nhi = np.empty(cap, dtype=np.int64)
        ndep = np.empty(cap, dtype=np.int64)
        ncost = np.empty(cap)
        m = 0
        for st in range(len(lo)):
            for s in range(key_offsets[key], key_offsets[key + 1]):
                s0, s1 = seg_offsets[s], seg_offsets[s + 1]
                a, b = _narrow(lo[st], hi[st], dep[st], seg_chars, s0, s1, tok_chars,
                               tok_offsets, order)
                if a < b:
                    nlo[m], nhi[m], ndep[m] = a, b, dep[st] + s1 - s0
                    ncost[m] = cost[st] + seg_cost[s]
                    m += 1
        rank = np.argsort(ncost[:m], kind="mergesort")
        keep = np.empty(min(m, beam), dtype=np.int64)
        n_keep = 0
        for r in rank:  # cheapest first; the same range and depth again is a dearer path
            if n_keep == beam:
                break
            seen = False
            for q in range(n_keep):
                x = keep[q]
                if nlo[x] == nlo[r] and nhi[x] == nhi[r] and ndep[x] == ndep[r]:
                    seen = True
                    break
            if not seen:
                keep[n_keep] = r
                n_keep += 1
        keep = keep[:n_keep]
        lo, hi, dep, cost = nlo[keep], nhi[keep], ndep[keep], ncost[keep]
    # A hypothesis is a whole token when the range's first token has exactly its letters.
    out_tok = np.empty(len(lo), dtype=np.int64)
    out_cost = np.empty(len(lo))
    n_out = 0
    for st in range(len(lo)):
        t = order[lo[st]]
        if tok_offsets[t + 1] - tok_offsets[t] == dep[st]:
            dup = False
            for q in range(n_out):
                if out_tok[q] == t:
                    dup = True
                    break
            if not dup:
                out_tok[n_out], out_cost[n_out] = t, cost[st]
                n_out += 1
    return out_tok[:n_out], out_cost[:n_out]


@njit(**JIT)
def _posting_sequences_kernel(tok_post, lo, hi):
    """Sequence ids of one token's inline postings tok_post[lo:hi] (per posting: sequence id,
    token count n, n token ids; see names._inline_postings_kernel). Twin:
    reference.posting_sequences."""
    out = np.empty(hi - lo, dtype=np.int64)
    n = 0
    w = lo
    while w < hi:
        out[n] = tok_post[w]
        n += 1
        w += 2 + tok_post[w + 1]
    return out[:n]
