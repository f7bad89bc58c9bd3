"""Jaro-Winkler similarity on ASCII byte arrays (same definition as rapidfuzz's JaroWinkler)."""

from __future__ import annotations

import numpy as np
from numba import njit

from indexes.numba_config import JIT, LEAF

PREFIX_SCALE = 0.1
MAX_PREFIX = 4
WINKLER_THRESHOLD = 0.7  # the prefix bonus only applies above this Jaro similarity


ONE = np.uint64(1)
ZERO = np.uint64(0)
ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


@njit(**LEAF)
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


@njit(**LEAF)
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


@njit(**LEAF)
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


@njit(**LEAF)
def _jaro_winkler_ceiling_kernel(a_len, b_len):
    """The highest Jaro-Winkler two strings of these lengths can reach: every letter of the
    shorter one matched, none transposed, the longest prefix bonus. Lets a caller with a
    threshold skip pairs whose lengths alone rule it out."""
    if a_len == 0 or b_len == 0:
        return 1.0 if a_len == b_len else 0.0
    short = min(a_len, b_len)
    jaro = (1.0 + short / max(a_len, b_len) + 1.0) / 3.0
    if jaro > WINKLER_THRESHOLD:
        jaro += MAX_PREFIX * PREFIX_SCALE * (1.0 - jaro)
    return jaro


@njit(**JIT)
def _jaro_winkler_kernel(a, a_len, b, b_len):
    flags_a = np.zeros(max(a_len, 1), dtype=np.bool_)
    flags_b = np.zeros(max(b_len, 1), dtype=np.bool_)
    pm = np.zeros(256, dtype=np.uint64)
    return _jaro_winkler_core_kernel(a, a_len, b, b_len, flags_a, flags_b, pm)


# ------------------------------------------------------------------ OCR / keyboard edit distance
# A weighted Damerau-Levenshtein (optimal string alignment) where the substitutions that
# passports and check-in desks actually produce are cheap: OCR look-alikes read off an MRZ or a
# scanned page (O/0/Q/D, I/1/L/J...) and neighbouring keys on a QWERTY keyboard (an agent
# typing KSRIMOV for KARIMOV). Jaro-Winkler cannot tell those from any other substitution.
EDIT_OCR_COST = 0.25  # O/0, I/L/1, S/5...: the reader confuses them, the person did not
# A slip of the finger (adjacent keys) or two letters swapped (KRAIMOV): one such slip in a
# 4-letter name keeps 0.95 of it, as near as a doubled letter. At 0.4 and 0.5 they cost a
# 4-5-letter name its POSSIBLE_MATCH on names alone (quality benchmark, train part: keyboard
# 78.1 -> 96.6%, transposition 95.0 -> 98.1%, clean false alarms still within target).
EDIT_KEYBOARD_COST = 0.2
EDIT_TRANSPOSE_COST = 0.2
# Letters that spell one sound in the romanisations the lists mix (CORIC / KORIC, VALERY /
# WALERY, MARIA / MARYA): a spelling convention, priced like a slip.
EDIT_SOUND_COST = 0.2
EDIT_GLYPH_PAIR_COST = 0.3  # two letters read as one or back: RN/M, CL/D, VV/W
EDIT_MIN_LEN = 4  # shorter tokens: one cheap edit is too large a part of the name
# ... except one slip (a neighbouring key, a look-alike, a letter of one sound, two letters
# swapped) in a token of 2 or 3 letters, scored by the same distance: ZL / AL, WLI / ALI,
# IDN / DIN. Anything more (a second slip, any other substitution, a letter added or lost)
# leaves too little of so short a name.
SHORT_SLIP_MIN_LEN = 2
SHORT_SLIP_MAX_COST = EDIT_OCR_COST
EDIT_MAX_LEN_DIFF = 2  # a larger length difference cannot reach a useful similarity

OCR_GROUPS = ("O0QD", "I1LJ", "S5", "B8", "Z2", "G6", "UV", "EF", "MN")
KEYBOARD_ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
SOUND_GROUPS = ("CKQ", "VW", "IY")


def _group_masks(groups: tuple[str, ...]) -> np.ndarray:
    """Per byte, the bit set of the groups (OCR look-alikes, letters of one sound) it belongs
    to (both cases)."""
    masks = np.zeros(256, dtype=np.uint32)
    for g, group in enumerate(groups):
        for ch in group:
            masks[ord(ch)] |= 1 << g
            masks[ord(ch.lower())] |= 1 << g
    return masks


def _keyboard_masks() -> np.ndarray:
    """Per byte, the bit set (bit = letter - 'A') of its neighbours on a QWERTY keyboard: same
    row +-1, and the staggered rows above (same and next column) and below (previous and same
    column)."""
    pos = {ch: (r, c) for r, row in enumerate(KEYBOARD_ROWS) for c, ch in enumerate(row)}
    masks = np.zeros(256, dtype=np.uint32)
    for ch, (r, c) in pos.items():
        near = [(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)]
        for other, (r2, c2) in pos.items():
            if (r2, c2) in near:
                masks[ord(ch)] |= 1 << (ord(other) - 65)
    return masks


# Module-level constants, frozen into the compiled kernels (defined in this file so a change
# invalidates Numba's cache, which tracks the kernel's source file).
OCR_MASKS = _group_masks(OCR_GROUPS)
SOUND_MASKS = _group_masks(SOUND_GROUPS)
KEYBOARD_MASKS = _keyboard_masks()


@njit(**LEAF)
def _substitution_cost_kernel(x, y):
    if x == y:
        return 0.0
    # The cheapest reading first: I/J and M/N are both OCR look-alikes and keyboard neighbours.
    if SOUND_MASKS[x] & SOUND_MASKS[y]:
        return EDIT_SOUND_COST
    if 65 <= y <= 90 and (KEYBOARD_MASKS[x] >> np.uint32(y - 65)) & np.uint32(1):
        return EDIT_KEYBOARD_COST
    if OCR_MASKS[x] & OCR_MASKS[y]:
        return EDIT_OCR_COST
    return 1.0


@njit(**LEAF)
def _glyph_pair_kernel(x, y, z):
    """True when the two letters xy are commonly read as the one letter z (RN/M, CL/D, VV/W)."""
    return ((x == 82 and y == 78 and z == 77) or (x == 67 and y == 76 and z == 68)
            or (x == 86 and y == 86 and z == 87))


@njit(**LEAF)
def _edit_similarity_kernel(a, a_s, a_l, b, b_s, b_l, rows):
    """1 - weighted OSA distance / max(a_l, b_l), in [0, 1]: insertions and deletions cost 1,
    substitutions 1 (OCR look-alikes and QWERTY neighbours less), adjacent transpositions and
    two-letters-for-one OCR readings less. rows: float64 scratch of at least 3 * (b_l + 1)."""
    return _edit_similarity_above_kernel(a, a_s, a_l, b, b_s, b_l, rows, -1.0)


@njit(**LEAF)
def _edit_similarity_above_kernel(a, a_s, a_l, b, b_s, b_l, rows, floor):
    """_edit_similarity_kernel when that exceeds floor; otherwise 0.0 (floor >= 0 then), given
    as soon as the distance is sure to be too large. Most token pairs a scorer meets are two
    different names, whose distance passes any useful limit within a few rows."""
    n = max(a_l, b_l)
    if n == 0:
        return 1.0
    # Every step of an alignment moves down zero, one or two rows, so each path to the last
    # cell passes through row i or row i - 1: once both rows' smallest cells exceed the
    # largest distance that still beats floor, so does the distance. (The margin keeps a
    # rounding of the final division from deciding.)
    limit = n * (1.0 - floor) + 1e-9
    w = b_l + 1
    for j in range(w):
        rows[j] = float(j)  # row 0 lives at offset 0 (rows rotate mod 3)
    prev_min = 0.0
    for i in range(1, a_l + 1):
        cur = (i % 3) * w
        prev = ((i - 1) % 3) * w
        prev2 = ((i - 2) % 3) * w
        x = a[a_s + i - 1]
        rows[cur] = float(i)
        row_min = rows[cur]
        for j in range(1, b_l + 1):
            y = b[b_s + j - 1]
            d = min(rows[prev + j] + 1.0, rows[cur + j - 1] + 1.0,
                    rows[prev + j - 1] + _substitution_cost_kernel(x, y))
            if i > 1 and j > 1 and x == b[b_s + j - 2] and a[a_s + i - 2] == y and x != y:
                d = min(d, rows[prev2 + j - 2] + EDIT_TRANSPOSE_COST)
            if i > 1 and _glyph_pair_kernel(a[a_s + i - 2], x, y):
                d = min(d, rows[prev2 + j - 1] + EDIT_GLYPH_PAIR_COST)
            if j > 1 and _glyph_pair_kernel(b[b_s + j - 2], y, x):
                d = min(d, rows[prev + j - 2] + EDIT_GLYPH_PAIR_COST)
            rows[cur + j] = d
            row_min = min(row_min, d)
        if min(row_min, prev_min) > limit:
            return 0.0
        prev_min = row_min
    return max(0.0, 1.0 - rows[(a_l % 3) * w + b_l] / n)
