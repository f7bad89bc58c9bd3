"""Plain-Python twins of the Numba kernels: slow, simple, obviously correct; the tests check
every kernel against its twin."""

from __future__ import annotations

import functools
import math
import string
from collections.abc import Collection

from indexes.kernels import names as K
from indexes.kernels import strings as S
from indexes.phonetic import FIRST, REST

MASK64 = (1 << 64) - 1
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3


def mix64(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def hash_bytes(data: bytes, seed: int = 0, table: bytes | None = None, skip: int = -1) -> int:
    """FNV-1a 64 of data (through table, leaving out index skip), then mix64."""
    h = _FNV_OFFSET ^ ((seed * 0x9E3779B97F4A7C15) & MASK64)
    for i, b in enumerate(data):
        if i == skip:
            continue
        if table is not None:
            b = table[b]
        h = ((h ^ b) * _FNV_PRIME) & MASK64
    return mix64(h)


def jaro_winkler(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(0, max(len(a), len(b)) // 2 - 1)
    used_b = [False] * len(b)
    matched_a = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used_b[j] and b[j] == ch:
                used_b[j] = True
                matched_a.append(ch)
                break
    m = len(matched_a)
    if m == 0:
        return 0.0
    matched_b = [b[j] for j in range(len(b)) if used_b[j]]
    t = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) // 2
    jaro = (m / len(a) + m / len(b) + (m - t) / m) / 3.0
    if jaro > 0.7:
        prefix = 0
        while prefix < min(4, len(a), len(b)) and a[prefix] == b[prefix]:
            prefix += 1
        jaro += prefix * 0.1 * (1.0 - jaro)
    return jaro


def phonetic_skeleton(token: str) -> str:
    out: list[str] = []
    first = 0
    for i, ch in enumerate(token):
        if ch == "D" and (token[i + 1:i + 2] == "J" or token[i + 1:i + 3] == "ZH"):
            if i == first:
                first += 1  # a silent leading D: the next letter is coded as the first
            continue
        if i > 0 and ch == "H" and token[i - 1] == "P":
            continue
        code = (FIRST if i == first else REST).get(ch)
        if ch == "P" and token[i + 1:i + 2] == "H":
            code = "F"
        if ch == "Z" and token[i + 1:i + 2] == "H":
            code = "J"
        if code is None or (out and out[-1] == code):
            continue
        out.append(code)
    return "".join(out)


def phonetic_key(token: str) -> int:
    return hash_bytes(phonetic_skeleton(token).encode(), K.SEED_PHONETIC)


def rewrite_units(token: str, units: tuple[tuple[str, str], ...]) -> str:
    """`token` read left to right, each place taking the first of `units` (source, target)
    that starts there, else its own letter."""
    out, i = [], 0
    while i < len(token):
        for src, dst in units:
            if token.startswith(src, i):
                out.append(dst)
                i += len(src)
                break
        else:
            out.append(token[i])
            i += 1
    return "".join(out)


_OCR_UNITS = (("RN", "M"), ("CL", "D"), ("VV", "W"))


def ocr_fold(token: str) -> str:
    """Twin of _ocr_fold_kernel: RN -> M, CL -> D, VV -> W, left to right."""
    return rewrite_units(token, _OCR_UNITS)


def glued_particle(token: str) -> int:
    """Twin of _glued_particle_kernel."""
    for p in sorted(K.GLUED_PARTICLES, key=len, reverse=True):
        rest = token[len(p):]
        if token.startswith(p) and (len(rest) >= K.PARTICLE_REST_MIN
                                    or rest in K.GLUED_PARTICLES):
            return len(p)
    return 0


def token_keys(token: str, query_side: bool = False, loose: bool = True) -> list[int]:
    """Blocking keys of a token: exact, one-deletion variants, prefix, glue prefix (query
    side), OCR-folded, phonetic, spelling-folded; then the loose keys, left out with
    loose=False (see the kernel): listed side, consonants alone and skeleton one-deletions;
    query side, the spellings one slip away of a 2- or 3-letter token (left out for a listed
    spelling; their hits are not loose)."""
    data = token.encode()
    keys = [hash_bytes(data, K.SEED_SPELLING)]
    if len(data) >= K.MIN_DELETE_LEN:
        keys += [hash_bytes(data, K.SEED_SPELLING, skip=k) for k in range(len(data))]
    if len(data) > K.PREFIX_LEN:
        keys.append(hash_bytes(data[:K.PREFIX_LEN], K.SEED_SPELLING))
    if query_side and len(data) >= K.GLUE_MIN_LEN:
        keys.append(hash_bytes(data[:K.GLUE_PREFIX_LEN], K.SEED_SPELLING))
    k = glued_particle(token)
    if k:
        keys.append(hash_bytes(data[k:], K.SEED_SPELLING))
    if ocr_fold(token) != token:
        keys.append(hash_bytes(ocr_fold(token).encode(), K.SEED_SPELLING))
    skeleton = phonetic_skeleton(token)
    if len(skeleton) >= K.MIN_PHONETIC_LEN:
        keys.append(phonetic_key(token))
    keys.append(hash_bytes(spelling_fold_bytes(token), K.SEED_FOLD))
    if query_side and loose and S.SHORT_SLIP_MIN_LEN <= len(data) < S.EDIT_MIN_LEN:
        keys += [hash_bytes(slip.encode(), K.SEED_SPELLING) for slip in slips(token)]
    if not query_side and loose:
        consonants = "".join(ch for ch in token if ch not in "AEIOU")
        if K.CONSONANTS_MIN_LEN <= len(consonants) < len(token):
            keys.append(hash_bytes(consonants.encode(), K.SEED_SPELLING))
        if len(skeleton) >= K.SKELETON_DELETE_MIN:
            keys += [hash_bytes(skeleton.encode(), K.SEED_PHONETIC, skip=k)
                     for k in range(len(skeleton))]
    return keys


def slips(token: str) -> list[str]:
    """Twin of _slip_keys_kernel's spellings, in its order: each letter replaced by one a slip
    away (substitution cost at most SHORT_SLIP_MAX_COST), then each two adjacent different
    letters swapped."""
    out = []
    for k, x in enumerate(token):
        out += [token[:k] + y + token[k + 1:] for y in string.ascii_uppercase
                if y != x and substitution_cost(x, y) <= S.SHORT_SLIP_MAX_COST]
    out += [token[:k] + token[k + 1] + token[k] + token[k + 2:] for k in range(len(token) - 1)
            if token[k] != token[k + 1]]
    return out


def spelling_fold_bytes(token: str) -> bytes:
    """spelling_fold as the kernel writes it (_spelling_fold_kernel): CH as byte 1, SH as 2."""
    return spelling_fold(token).replace("1", "\x01").replace("2", "\x02").encode()


def substitution_cost(x: str, y: str) -> float:
    if x == y:
        return 0.0
    if any(x.upper() in g and y.upper() in g for g in S.SOUND_GROUPS):
        return S.EDIT_SOUND_COST
    rows = S.KEYBOARD_ROWS
    pos = {ch: (r, c) for r, row in enumerate(rows) for c, ch in enumerate(row)}
    if x in pos and y in pos:
        (r, c), (r2, c2) = pos[x], pos[y]
        if (r2, c2) in {(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1),
                        (r + 1, c)}:
            return S.EDIT_KEYBOARD_COST
    if any(x.upper() in g and y.upper() in g for g in S.OCR_GROUPS):
        return S.EDIT_OCR_COST
    return 1.0


GLYPH_PAIRS = {("RN", "M"), ("CL", "D"), ("VV", "W")}


def edit_similarity(a: str, b: str) -> float:
    """Twin of _edit_similarity_kernel: full-matrix weighted optimal string alignment."""
    n = max(len(a), len(b))
    if n == 0:
        return 1.0
    d = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = float(i)
    for j in range(len(b) + 1):
        d[0][j] = float(j)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            x, y = a[i - 1], b[j - 1]
            cands = [d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution_cost(x, y)]
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y and x != y:
                cands.append(d[i - 2][j - 2] + S.EDIT_TRANSPOSE_COST)
            if i > 1 and (a[i - 2:i], y) in GLYPH_PAIRS:
                cands.append(d[i - 2][j - 1] + S.EDIT_GLYPH_PAIR_COST)
            if j > 1 and (b[j - 2:j], x) in GLYPH_PAIRS:
                cands.append(d[i - 1][j - 2] + S.EDIT_GLYPH_PAIR_COST)
            d[i][j] = min(cands)
    return max(0.0, 1.0 - d[len(a)][len(b)] / n)


def token_similarity(a: str, b: str, prefix_min: int = 0) -> tuple[float, int]:
    """Twin of _token_sim_kernel; prefix_min: shortest query token a allowed to match as a
    prefix of b (0: never)."""
    if a == b:
        return 1.0, K.METHOD_EXACT
    if len(a) == 1 or len(b) == 1:
        if a and b and a[0] == b[0]:
            return K.INITIAL_SIM, K.METHOD_INITIAL
        return 0.0, K.METHOD_JARO_WINKLER
    jw = jaro_winkler(a, b)
    best, method = jw, K.METHOD_JARO_WINKLER
    if (min(len(a), len(b)) >= S.EDIT_MIN_LEN and abs(len(a) - len(b)) <= S.EDIT_MAX_LEN_DIFF
            and edit_similarity(a, b) > max(best, K.CREDIT_LOW)):
        best, method = edit_similarity(a, b), K.METHOD_EDIT
    elif (len(a) == len(b) and S.SHORT_SLIP_MIN_LEN <= len(a) < S.EDIT_MIN_LEN
          and best < edit_similarity(a, b)
          and edit_similarity(a, b) >= 1.0 - S.SHORT_SLIP_MAX_COST / len(a)):
        best, method = edit_similarity(a, b), K.METHOD_EDIT
    if len(a) != len(b) and collapse_runs(a) == collapse_runs(b):
        return max(best, K.DOUBLED_SIM), K.METHOD_DOUBLED
    if spelling_fold(a) == spelling_fold(b):
        return max(best, K.SPELLING_SIM), K.METHOD_SPELLING
    if best < K.OCR_FOLD_SIM and len(a) != len(b) and ocr_fold(a) == ocr_fold(b):
        best, method = K.OCR_FOLD_SIM, K.METHOD_EDIT
    p_sim = 1.0 if prefix_min == K.MRZ_CUT_PREFIX_MIN and len(a) >= K.PREFIX_LEN \
        else K.PREFIX_SIM
    if 0 < prefix_min <= len(a) < len(b) and b.startswith(a) and best < p_sim:
        best, method = p_sim, K.METHOD_PREFIX
    if best < K.PARTICLE_SIM and abs(len(a) - len(b)) in (2, 3):
        long, short = (a, b) if len(a) > len(b) else (b, a)
        k = glued_particle(long)
        if k == len(long) - len(short) and long[k:] == short:
            return K.PARTICLE_SIM, K.METHOD_PARTICLE
    short, long = (a, b) if len(a) < len(b) else (b, a)
    long_enough = (len(short) >= K.VOWELS_DROPPED_MIN_LEN
                   or (len(short) == K.VOWELS_DROPPED_ABJAD_LEN
                       and not set(short) & set("AEIOU")))
    if (best < K.VOWELS_DROPPED_SIM and long_enough and len(short) < len(long)
            and vowels_dropped(short, long)
            and (short[-1] == long[-1] or len(long) - len(short) >= 2
                 or not set(short[1:]) & set("AEIOU"))):
        return K.VOWELS_DROPPED_SIM, K.METHOD_VOWELS_DROPPED
    pa, pb = phonetic_skeleton(a), phonetic_skeleton(b)
    no_vowel = not set(a) & set("AEIOU") or not set(b) & set("AEIOU")
    if (best < K.PHONETIC_SIM and pa == pb and len(pa) >= K.MIN_PHONETIC_LEN
            and (len(pa) >= 3 or jw >= K.PHONETIC_MIN_JW or no_vowel)):
        return K.PHONETIC_SIM, K.METHOD_PHONETIC
    return best, method


_SPELLING_UNITS = (("TCH", "1"), ("SCH", "2"), ("CH", "1"), ("SH", "2"), ("PH", "F"),
                   ("GH", "G"), ("TH", "T"), ("OU", "U"), ("OO", "U"), ("EE", "I"), ("DJ", "J"),
                   ("CK", "K"), ("KS", "X"), ("Y", "I"), ("W", "V"), ("C", "K"), ("Q", "K"),
                   ("Z", "S"))


def spelling_fold(token: str) -> str:
    """Twin of _same_spelling_kernel's reading: spelling units left to right (longest
    first), then each run of one unit once."""
    return collapse_runs(rewrite_units(token, _SPELLING_UNITS))


@functools.lru_cache(maxsize=65536)
def vowels_dropped(short: str, long: str) -> bool:
    """Whether `short` is `long` with some of its vowels (A/E/I/O/U) left out: some way of
    deleting only vowels from `long` gives `short` (all of them tried)."""
    if not short:
        return all(ch in "AEIOU" for ch in long)
    if not long:
        return False
    if short[0] == long[0] and vowels_dropped(short[1:], long[1:]):
        return True
    return long[0] in "AEIOU" and vowels_dropped(short, long[1:])


def collapse_runs(token: str) -> str:
    """HASSAN -> HASAN: each run of one letter written once."""
    return "".join(ch for k, ch in enumerate(token) if k == 0 or token[k - 1] != ch)


def alias_variants(records: list[list[list[str]]]) -> dict[frozenset[str], int]:
    """Twin of _variant_pairs_kernel: per record (its entries' token lists), the pairs of
    distinct tokens no entry has both of, of at least VARIANT_MIN_LEN letters, same first
    letter, token similarity >= VARIANT_MIN_SIM and not a glued particle; each pair with the
    number of records pairing it."""
    out: dict[frozenset[str], int] = {}
    for entries in records:
        if not 2 <= len(entries) <= 63:
            continue
        tokens = list(dict.fromkeys(t for e in entries for t in e))
        if len(tokens) > K.VARIANT_MAX_TOKENS:
            continue
        for x, a in enumerate(tokens):
            for b in tokens[x + 1:]:
                if (min(len(a), len(b)) < K.VARIANT_MIN_LEN or a[0] != b[0]
                        or abs(len(a) - len(b)) > K.VARIANT_MAX_LEN_DIFF
                        or any(a in e and b in e for e in entries)):
                    continue
                sim, method = token_similarity(a, b)
                if sim >= K.VARIANT_MIN_SIM and method != K.METHOD_PARTICLE:
                    pair = frozenset((a, b))
                    out[pair] = out.get(pair, 0) + 1
    return out


def kept_alias_variants(variants: dict[frozenset[str], int],
                        df: dict[str, int]) -> dict[frozenset[str], int]:
    """Twin of NameIndex's filter: the pairs whose support is at least VARIANT_MIN_SHARE of
    the document frequency of their rarer token."""
    return {p: n for p, n in variants.items()
            if n >= K.VARIANT_MIN_SHARE * min(df[t] for t in p)}


def record_span(kind: int) -> int:
    """Twin of _record_span_kernel."""
    return 2 if kind == 1 else kind if kind >= 3 else 1


def credit(sim: float) -> float:
    if sim <= K.CREDIT_LOW:
        return 0.0
    ramp = min(1.0, (sim - K.CREDIT_LOW) / (K.CREDIT_HIGH - K.CREDIT_LOW))
    return sim * sim * ramp


def pair_credit(q: str, c: str, sim: float, method: int, fuzzy: float) -> float:
    """Twin of _pair_credit_kernel."""
    cr = credit(sim)
    if (method in (K.METHOD_JARO_WINKLER, K.METHOD_EDIT)
            or (method == K.METHOD_PREFIX and sim < 1.0)
            or (method == K.METHOD_VOWELS_DROPPED
                and (all(set(t) & set("AEIOU") for t in (q, c))
                     or len(q) < K.VOWELS_DROPPED_MIN_LEN))):
        cr *= fuzzy
    elif method == K.METHOD_PHONETIC:
        cr *= 0.5 + 0.5 * fuzzy
    return cr


def name_score(
    q: list[str], q_w: list[float], c: list[str], c_w: list[float],
    q_miss: list[float] | None = None, q_prefix: list[int] | None = None,
    q_fuzzy: list[float] | None = None, variants: Collection[frozenset[str]] | None = None,
    romanised: Collection[frozenset[str]] | None = None,
) -> tuple[float, list[int], list[float], list[int], list[int], float]:
    """Twin of _name_score_core_kernel: (score, choice, sim, method, span per query token,
    the score's denominator).
    q_miss: cost of each query token left unmatched (default its weight); q_prefix: per query
    token, the prefix-match minimum length (default 0, none); q_fuzzy: share of credit of its
    likeness-only matches (default 1); variants: alias variant pairs (kept_alias_variants);
    romanised: romanisation variant pairs (an alias pair wins when a pair is in both)."""
    q_miss = list(q_w) if q_miss is None else q_miss
    q_fuzzy = [1.0] * len(q) if q_fuzzy is None else q_fuzzy
    q_prefix = [0] * len(q) if q_prefix is None else q_prefix
    n_q, n_c = len(q), len(c)
    choice, sims, methods, spans = [-1] * n_q, [0.0] * n_q, [K.METHOD_MISSING] * n_q, [0] * n_q
    if n_q == 0 or n_c == 0:
        return 0.0, choice, sims, methods, spans, 0.0
    # Edges (credit, sim, kind, method, i, j) in the kernel's enumeration order.
    edges = []
    for i in range(n_q):
        for j in range(n_c):
            sim, method = token_similarity(q[i], c[j], q_prefix[i])
            if (q[i] != c[j]
                    and method in (K.METHOD_JARO_WINKLER, K.METHOD_EDIT, K.METHOD_PHONETIC,
                                   K.METHOD_VOWELS_DROPPED)):
                pair = frozenset((q[i], c[j]))
                if variants and pair in variants:
                    sim, method = max(sim, K.VARIANT_SIM), K.METHOD_VARIANT
                elif romanised and pair in romanised:
                    sim, method = max(sim, K.VARIANT_SIM), K.METHOD_ROMANISATION
            cr = pair_credit(q[i], c[j], sim, method, q_fuzzy[i])
            if cr > 0.0:
                edges.append((cr, sim, 0, method, i, j))
    for i in range(n_q):
        for j in range(n_c - 1):
            if min(len(q[i]), len(c[j])) < 2 or q[i][0] != c[j][0]:
                continue
            for k in range(2, min(K.MAX_GLUED, n_c - j) + 1):
                if len(c[j + k - 1]) < 2:
                    break
                glued = "".join(c[j:j + k])
                if k > 2 and abs(len(glued) - len(q[i])) > K.GLUE_LEN_SLACK:
                    if len(glued) > len(q[i]):
                        break
                    continue
                sim = jaro_winkler(q[i], glued)
                if sim >= K.SQUASH_MIN:
                    cr = credit(sim) * (1.0 if sim >= 1.0 else q_fuzzy[i])
                    edges.append((cr, sim, 1 if k == 2 else k, K.METHOD_SQUASHED, i, j))
    for i in range(n_q - 1):
        for j in range(n_c):
            if min(len(q[i]), len(q[i + 1]), len(c[j])) < 2 or q[i][0] != c[j][0]:
                continue
            sim = jaro_winkler(q[i] + q[i + 1], c[j])
            if sim >= K.SQUASH_MIN:
                cr = credit(sim) * (1.0 if sim >= 1.0 else min(q_fuzzy[i], q_fuzzy[i + 1]))
                edges.append((cr, sim, 2, K.METHOD_SQUASHED, i, j))
    used_q, used_c = [False] * n_q, [False] * n_c
    num = den = 0.0
    named = False
    while True:
        free = []
        for e in edges:
            cr, _, kind, _, i, j = e
            qs = [i, i + 1] if kind == 2 else [i]
            cs = list(range(j, j + record_span(kind)))
            if not any(used_q[x] for x in qs) and not any(used_c[y] for y in cs):
                free.append(e)
        if not free:
            break
        best = max(free, key=lambda e: e[0])  # max keeps the first of equal credits
        cr, sim, kind, method, i, j = best
        qs = [i, i + 1] if kind == 2 else [i]
        cs = list(range(j, j + record_span(kind)))
        w = q_w[i] + sum(c_w[y] for y in cs)
        if kind == 2:
            w += q_w[i + 1]
        for x in qs:
            used_q[x] = True
            choice[x], sims[x], methods[x], spans[x] = j, sim, method, 1
        for y in cs:
            used_c[y] = True
        spans[i] = len(cs)
        w *= 0.5
        num += w * cr
        den += w
        named = named or (method != K.METHOD_INITIAL and len(q[i]) > 1 and len(c[j]) > 1)
    den += sum(w for w, u in zip(q_miss, used_q, strict=True) if not u)
    den += sum(K.UNMATCHED_RECORD_COST * w for w, u in zip(c_w, used_c, strict=True) if not u)
    score = num / den if den > 0 else 0.0
    if not named:  # initials alone identify nobody
        score = min(score, K.INITIALS_ONLY_MAX)
    return score, choice, sims, methods, spans, max(den, 0.0)


def name_bound(q: list[str], q_w: list[float], q_miss: list[float], q_prefix: list[int],
               c: list[str], c_w: list[float], hits: list[set[int]]) -> float:
    """Twin of _name_bound_kernel: hits[j] = query tokens sharing a key with record token
    c[j]."""
    may_q: set[int] = set()
    may_c: set[int] = set()
    open_q = {i for i in range(len(q))
              if 0 < q_prefix[i] <= len(q[i]) < K.PREFIX_LEN or len(q[i]) == 1}
    if open_q:
        may_c = set(range(len(c)))
        may_q = set(open_q)
    flex = bool(open_q)  # some token may take a neighbour: pairs need not be one-to-one
    for j, hit in enumerate(hits):
        for i in hit:
            may_q.add(i)
            may_c.add(j)
            if len(c[j]) > len(q[i]) + 1:
                flex = True
                may_q.update(x for x in (i - 1, i + 1) if 0 <= x < len(q))
            if len(q[i]) > len(c[j]) + 1:
                flex = True
                may_c.update(x for k in range(1, K.MAX_GLUED) for x in (j - k, j + k)
                              if 0 <= x < len(c))
    x = (sum(q_w[i] for i in may_q) + sum(c_w[j] for j in may_c)) / 2
    rest = sum(q_miss[i] for i in range(len(q)) if i not in may_q)
    rest += sum(K.UNMATCHED_RECORD_COST * c_w[j] for j in range(len(c)) if j not in may_c)
    if not flex and len(may_q) > len(may_c):
        # One-to-one pairs only: that many more query tokens stay unpaired, at best those of
        # the smallest weights, and at best those of the smallest costs.
        d = len(may_q) - len(may_c)
        x -= sum(sorted(q_w[i] for i in may_q)[:d]) / 2
        rest += sum(sorted(q_miss[i] for i in may_q)[:d])
        return x / (x + rest) if x > 0 else 0.0
    return x / (x + rest) if x + rest > 0 else 0.0


def jaro_winkler_ceiling(a_len: int, b_len: int) -> float:
    """Twin of _jaro_winkler_ceiling_kernel: every letter of the shorter string matched, in
    order, and the longest prefix bonus."""
    if not a_len or not b_len:
        return 1.0 if a_len == b_len else 0.0
    jaro = (2.0 + min(a_len, b_len) / max(a_len, b_len)) / 3.0
    if jaro > S.WINKLER_THRESHOLD:
        jaro += S.MAX_PREFIX * S.PREFIX_SCALE * (1.0 - jaro)
    return jaro


def credit_bound(q: list[str], q_w: list[float], q_miss: list[float], q_prefix: list[int],
                 q_fuzzy: list[float], c: list[str], c_w: list[float],
                 hits: list[set[int]]) -> float:
    """Twin of _credit_bound_kernel (without alias variants), by another route: the best
    ratio found by bisection on F(lam) = sum_k max(0, a_k - lam * (b_k - m_k)) - lam * M
    (M: every token's cost), which is >= 0 exactly while some token set reaches lam.
    hits[j]: the query tokens sharing a key with c[j]."""
    may_q: set[int] = set()
    for j, hit in enumerate(hits):
        for i in hit:
            may_q.add(i)
            if len(c[j]) > len(q[i]) + 1:
                may_q.update(x for x in (i - 1, i + 1) if 0 <= x < len(q))
    best_q, best_c = [0.0] * len(q), [0.0] * len(c)

    def earn(qs: list[int], cs: list[int], cr: float) -> None:
        for i in qs:
            best_q[i] = max(best_q[i], cr)
        for j in cs:
            best_c[j] = max(best_c[j], cr)

    for j, hit in enumerate(hits):
        for i in hit:
            sim, method = token_similarity(q[i], c[j], q_prefix[i])
            earn([i], [j], pair_credit(q[i], c[j], sim, method, q_fuzzy[i]))
        if len(c[j]) == 1:
            for i in range(len(q)):
                if q[i] and q[i][0] == c[j]:
                    sim, method = token_similarity(q[i], c[j], q_prefix[i])
                    earn([i], [j], pair_credit(q[i], c[j], sim, method, q_fuzzy[i]))
    ceiling_ok = K.SQUASH_MIN - K.CEILING_MARGIN
    for i in range(len(q)):
        if len(q[i]) < 2:
            continue
        if i in may_q:  # one query token against record tokens j..j+k-1 glued
            for j in range(len(c) - 1):
                if len(c[j]) < 2 or c[j][0] != q[i][0]:
                    continue
                for k in range(2, min(K.MAX_GLUED, len(c) - j) + 1):
                    if len(c[j + k - 1]) < 2:
                        break
                    m = sum(len(x) for x in c[j:j + k])
                    ceiling = jaro_winkler_ceiling(len(q[i]), m)
                    if (k > 2 and abs(m - len(q[i])) > K.GLUE_LEN_SLACK) or ceiling < ceiling_ok:
                        if m > len(q[i]):
                            break
                        continue
                    earn([i], list(range(j, j + k)), credit(min(1.0, ceiling)))
        if i + 1 < len(q) and len(q[i + 1]) >= 2 and {i, i + 1} & may_q:
            for j in range(len(c)):
                if len(c[j]) < 2 or c[j][0] != q[i][0]:
                    continue
                ceiling = jaro_winkler_ceiling(len(q[i]) + len(q[i + 1]), len(c[j]))
                if ceiling >= ceiling_ok:
                    earn([i, i + 1], [j], credit(min(1.0, ceiling)))
    items = [(best_q[i] * w / 2, w / 2, m) for i, (w, m) in enumerate(zip(q_w, q_miss, strict=True))]
    items += [(best_c[j] * w / 2, w / 2, K.UNMATCHED_RECORD_COST * w) for j, w in enumerate(c_w)]
    miss_all = sum(m for _, _, m in items)

    def reaches(lam: float) -> bool:
        return sum(max(0.0, a - lam * (b - m)) for a, b, m in items if a > 0) >= lam * miss_all

    lo, hi = 0.0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if reaches(mid) else (lo, mid)
    # The ratio of the best set itself, summed in the kernel's order (equal bounds stay
    # equal: the candidate cut breaks ties on them).
    best = [k for k, (a, b, m) in enumerate(items) if a > 0 and a - lo * (b - m) > 0]
    num, den = 0.0, miss_all
    for k in best:
        num += items[k][0]
        den += items[k][1] - items[k][2]
    return num / den if den > 0 else hi


def sequence_ids(entries: list[list[int]]) -> list[int]:
    """Twin of _sequence_ids_kernel: per entry, the id of its token sequence, ids numbered in
    order of their first entry."""
    ids: dict[tuple[int, ...], int] = {}
    return [ids.setdefault(tuple(e), len(ids)) for e in entries]


def inline_postings(token_entries: list[list[int]], entries: list[list[int]]) -> list[list[int]]:
    """Twin of _inline_postings_kernel: per token, for each entry listing it (in the given
    order), the entry id, its token count and its token ids."""
    return [[x for e in posting for x in (e, len(entries[e]), *entries[e])]
            for posting in token_entries]


def pair_postings(postings: list[list[int]]) -> dict[tuple[int, int], list[int]]:
    """Twin of _pair_postings_kernel on inline_postings' output: per pair (a, b), a <= b, that
    some entry lists together (or, a == b, lists a twice), the word offsets within a's
    postings of the entries that do."""
    out: dict[tuple[int, int], list[int]] = {}
    for a, words in enumerate(postings):
        p = 0
        while p < len(words):
            tokens = words[p + 2:p + 2 + words[p + 1]]
            for b in sorted(set(tokens)):
                if b > a or (b == a and tokens.count(a) > 1):
                    out.setdefault((a, b), []).append(p)
            p += 2 + words[p + 1]
    return out


def gather_candidates(
    query_tokens: list[list[str]], query_weights: list[list[float]],
    query_miss: list[list[float]], query_prefix: list[list[int]], index_tokens: list[str],
    index_weights: list[float], entries: list[list[int]], min_score: float,
    max_candidates: int, common_df: int, loose_df: int, query_fuzzy: list[list[float]],
    tighten: bool = True, bound_reserve: int = 0,
) -> list[list[int]]:
    """Twin of _gather_candidates_kernel on strings (entries: index token ids per entry): per
    subquery, skip the most common query tokens (summed df >= common_df, over the tokens
    they meet through keys that are not loose) while a candidate matching only them could not
    reach min_score (but never the rarest query token that matches anything so), keep the
    entries reached through the other query tokens (by keys that are not loose, or loosely
    when rarer than loose_df and a query token was skipped or this one met nothing else)
    whose score bound (name_bound, then with `tighten` credit_bound when no query token is
    open and at most CREDIT_BOUND_MAX_KEPT * max_candidates entries pass name_bound) reaches
    min_score, rank them by the summed idf (per query
    token, skipped ones included, of the rarest of the entry's tokens it matches, shared as
    the kernel shares it: exact, by a strong key, by loose keys only) and keep the
    max_candidates best (ties: higher bound, lower id), as a set (returned sorted); of a cut
    crowd, bound_reserve of those kept are the highest bounds instead (ties: lower id)."""
    keys_of = [set(token_keys(t)) for t in index_tokens]
    strong_of = [set(token_keys(t, loose=False)) for t in index_tokens]
    token_entries = [sorted({e for e, toks in enumerate(entries) if t in toks})
                     for t in range(len(index_tokens))]
    n_entries = len(entries)
    out = []
    for tokens, weights, miss, prefix, fuzzy in zip(query_tokens, query_weights, query_miss,
                                                    query_prefix, query_fuzzy, strict=True):
        matched = [
            [t for t in range(len(index_tokens)) if keys_of[t] & set(token_keys(q, True))]
            for q in tokens
        ]
        strong = [{t for t in m if strong_of[t] & set(token_keys(q, True))}
                  for q, m in zip(tokens, matched, strict=True)]
        qdf = [sum(len(token_entries[t]) for t in m) for m in strong]
        by_commonness = sorted(range(len(tokens)), key=lambda i: (-qdf[i], -i))
        open_ = {i for i, q in enumerate(tokens)
                 if len(q) == 1 or 0 < prefix[i] <= len(q) < K.PREFIX_LEN}
        skipped: set[int] = set(open_)
        a_skip = sum((weights[i] + 1.0) * 0.5 for i in open_)
        rest = sum(m for i, m in enumerate(miss) if i not in open_)
        n_matching = sum(1 for i, x in enumerate(qdf) if x > 0 and i not in open_)
        for r, i in enumerate([i for i in by_commonness if i not in open_]):
            if r >= n_matching - 1 or qdf[i] < common_df:  # keep the rarest matching token
                break
            a_new, rest_new = a_skip + (weights[i] + 1.0) * 0.5, rest - miss[i]
            if a_new + rest_new <= 0.0 or a_new / (a_new + rest_new) >= min_score:
                break
            a_skip, rest = a_new, rest_new
            skipped.add(i)
        loose_ok = {i for i in range(len(tokens)) if skipped or not qdf[i]}
        reached = {e for i, (m, sm) in enumerate(zip(matched, strong, strict=True))
                   if i not in skipped for t in m
                   if t in sm or (i in loose_ok and len(token_entries[t]) < loose_df)
                   for e in token_entries[t]}
        info: dict[int, float] = {}
        bounds: dict[int, float] = {}
        def shape(e: int, matched: list[list[int]] = matched
                  ) -> tuple[list[str], list[float], list[set[int]]]:
            return ([index_tokens[t] for t in entries[e]], [index_weights[t] for t in entries[e]],
                    [{i for i, m in enumerate(matched) if t in m} for t in entries[e]])

        plain = {e: name_bound(tokens, weights, miss, prefix, *shape(e)) for e in reached}
        plain = {e: b for e, b in plain.items() if b >= min_score - 1e-9}
        # The credit bound only where the plain one leaves at most CREDIT_BOUND_MAX_KEPT
        # times max_candidates (a crowd is cut by information instead).
        if tighten and not open_ and len(plain) <= K.CREDIT_BOUND_MAX_KEPT * max_candidates:
            for e, b in plain.items():
                c, c_w, hits = shape(e)
                plain[e] = min(b, credit_bound(tokens, weights, miss, prefix, fuzzy, c, c_w,
                                               hits) + K.CREDIT_BOUND_MARGIN)
        for e in reached:
            b = plain.get(e, -1.0)
            if b >= min_score - 1e-9:
                bounds[e] = b
                info[e] = sum(max(((math.log(n_entries + 1.0)
                                    - math.log(len(token_entries[t]) + 1.0))
                                   * (1.0 if index_tokens[t] == q else K.FUZZY_INFO_SHARE
                                      if t in sm else K.LOOSE_INFO_SHARE)
                                   for t in entries[e] if t in m), default=0.0)
                              for q, m, sm in zip(tokens, matched, strong, strict=True))
        if len(info) <= max_candidates:
            entries_kept = sorted(info)
        else:  # BOUND_RESERVE of them by bound, the rest by information
            reserved = (sorted(info, key=lambda e: (-bounds[e], e))[:bound_reserve]
                        if 0 < bound_reserve < max_candidates else [])
            rest = sorted((e for e in info if e not in reserved),
                          key=lambda e: (-info[e], -bounds[e], e))
            entries_kept = sorted(reserved + rest[:max_candidates - len(reserved)])
        out.append(entries_kept)
    return out


def dob_relation(q: int, r: int) -> int:
    """Twin of _dob_relation_kernel on (year, month, day) read from yyyymmdd ints."""
    from indexes.kernels import evidence as EK

    (qy, qm, qd), (ry, rm, rd) = (divmod(q, 10000)[0], q // 100 % 100, q % 100), (
        divmod(r, 10000)[0], r // 100 % 100, r % 100)
    month_ok = not qm or not rm or qm == rm
    day_ok = not qd or not rd or qd == rd
    if qy == ry and month_ok and day_ok:
        return EK.DOB_EXACT if qm and rm and qd and rd else EK.DOB_PARTIAL
    if qy == ry and qm and qd and rm and rd and qm == rd and qd == rm:
        return EK.DOB_SWAPPED
    if abs(qy - ry) == 1 and month_ok and day_ok:
        return EK.DOB_YEAR_OFF_BY_ONE
    return EK.DOB_CONFLICT


def evidence(q_dob: int, q_sex: int, q_nat: int, r_dobs: list[int], r_sex: int,
             r_nats: list[int], dob_w: list[float], sex_w: list[float], nat_w: list[float]
             ) -> tuple[int, int, int, int, float]:
    """Twin of one pair of _evidence_kernel: (dob rel, best dob position in r_dobs or -1,
    sex rel, nationality rel, weight)."""
    from indexes.kernels import evidence as EK

    dob_rel, dob_at, w = EK.DOB_NONE, -1, 0.0
    if q_dob >= 0:
        scored = [(dob_w[dob_relation(q_dob, r)], -k, dob_relation(q_dob, r))
                  for k, r in enumerate(r_dobs) if r >= 0]
        if scored:
            best = max(scored)  # highest weight, then the first date
            w += best[0]
            dob_rel, dob_at = best[2], -best[1]
    sex_rel = EK.SEX_NONE
    if q_sex and r_sex:
        sex_rel = EK.SEX_EXACT if q_sex == r_sex else EK.SEX_CONFLICT
        w += sex_w[sex_rel]
    nat_rel = EK.NAT_NONE
    if q_nat >= 0 and r_nats:
        nat_rel = EK.NAT_EXACT if q_nat in r_nats else EK.NAT_DIFFERENT
        w += nat_w[nat_rel]
    return dob_rel, dob_at, sex_rel, nat_rel, w


def bucket_starts(keys: list[int], dir_bits: int) -> list[int]:
    """Twin of `_bucket_starts_kernel`: first position of each top-bits bucket."""
    starts = []
    for b in range((1 << dir_bits) + 1):
        pos = next((k for k, key in enumerate(keys) if key >> (64 - dir_bits) >= b), len(keys))
        starts.append(pos)
    return starts


def pack_country(code: str) -> int:
    """Twin of `_pack_countries_kernel` for one code."""
    raw = code.encode()
    if len(raw) <= 3:
        v = 0
        for b in raw:
            v = (v << 8) | b
        return v
    h = 2166136261
    for b in raw:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h | 0x80000000


def lookup_fingerprints(queries: list[tuple[bool, int, int, int]], keys: list[int],
                        row_mask: int, fingerprints: list[int],
                        countries: list[int]) -> tuple[list[int], list[int]]:
    """Twin of `_lookup_fingerprint_kernel` scanning every key: queries are
    (empty, folded_hash, fingerprint, packed_country)."""
    high = ((1 << 64) - 1) ^ row_mask
    exact, folded = [], []
    for empty, h, fp, qc in queries:
        rows = sorted(k & row_mask for k in keys if k & high == h & high)
        rows = [r for r in rows if not (qc and countries[r] and qc != countries[r])]
        same = [r for r in rows if fingerprints[r] == fp]
        if empty:
            exact.append(-1)
            folded.append(-1)
        elif same:
            exact.append(same[0])
            folded.append(-1)
        else:
            exact.append(-1)
            folded.append(rows[0] if rows else -1)
    return exact, folded


def lookup_documents(query_numbers: list[str], query_countries: list[str], numbers: list[str],
                     countries: list[str], fold: dict[str, str]) -> tuple[list[int], list[int]]:
    """Twin of a whole DocumentIndex lookup by scanning every row: the lowest row with the
    same number (exact), else the lowest with the same confusable-folded number; countries
    must agree where both are given; an empty query number matches nothing."""
    table = str.maketrans(fold)
    exact, folded = [], []
    for q, qc in zip(query_numbers, query_countries, strict=True):
        agree = [r for r in range(len(numbers))
                 if q and (not qc or not countries[r] or qc == countries[r])]
        same = [r for r in agree if numbers[r] == q]
        alike = [r for r in agree if numbers[r].translate(table) == q.translate(table)]
        exact.append(same[0] if same else -1)
        folded.append(-1 if same else (alike[0] if alike else -1))
    return exact, folded


def _translit_segments(word: str, k: int, table: dict[str, list[tuple[str, float]]]
                       ) -> list[tuple[str, float]]:
    """The model's kept segments for character k of a native word: by its position (B, M, E)
    if the model has them, else for the character anywhere; [] when unknown."""
    pos = "B" if k == 0 else ("E" if k == len(word) - 1 else "M")
    return table.get(f"{word[k]}|{pos}") or table.get(word[k]) or []


def translit_cost(word: str, latin: str, table: dict[str, list[tuple[str, float]]],
                  max_seg: int, edit_cost: float, unknown_cost: float) -> tuple[float, float]:
    """Twin of kernels.translit._translit_cost_kernel over the model's table as a dict:
    (cheapest alignment of `latin` to the native `word`, cost of the likeliest spelling)."""
    def levenshtein(a: str, b: str) -> int:
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]

    def segment(k: int, seg: str) -> float:
        segs = _translit_segments(word, k, table)
        if not segs:
            return unknown_cost + edit_cost * len(seg)
        return min(-lp + edit_cost * levenshtein(seg, s) for s, lp in segs)

    best = {0: 0.0}  # letters used -> cheapest cost after the characters so far
    for k in range(len(word)):
        grown: dict[int, float] = {}
        for j, c in best.items():
            for length in range(0, min(max_seg, len(latin) - j) + 1):
                cost = c + segment(k, latin[j:j + length])
                if cost < grown.get(j + length, math.inf):
                    grown[j + length] = cost
        best = grown
    likeliest = sum(min((-lp for _, lp in _translit_segments(word, k, table)),
                        default=unknown_cost) for k in range(len(word)))
    return best.get(len(latin), math.inf), likeliest


def lexicon_decode(word: str, tokens: list[str], table: dict[str, list[tuple[str, float]]]
                   ) -> dict[str, float]:
    """Twin of kernels.translit._lexicon_decode_kernel without a beam: every token the model
    can write for `word` with its kept segments only (one per native character), and the cost
    of its cheapest writing."""
    out: dict[str, float] = {}
    for token in set(tokens):
        best = {0: 0.0}
        for k in range(len(word)):
            grown: dict[int, float] = {}
            for j, c in best.items():
                for seg, lp in _translit_segments(word, k, table):
                    if token.startswith(seg, j) and c - lp < grown.get(j + len(seg), math.inf):
                        grown[j + len(seg)] = c - lp
            best = grown
        if len(token) in best:
            out[token] = best[len(token)]
    return out


def posting_sequences(tok_post: list[int], lo: int, hi: int) -> list[int]:
    """Twin of kernels.translit._posting_sequences_kernel."""
    out, w = [], lo
    while w < hi:
        out.append(tok_post[w])
        w += 2 + tok_post[w + 1]
    return out
