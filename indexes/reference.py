"""Plain-Python twins of the Numba kernels: slow, simple, obviously correct; the tests check
every kernel against its twin."""

from __future__ import annotations

import math

from indexes.kernels import names as K
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


def token_keys(token: str) -> list[int]:
    """Blocking keys of a token: exact, one-deletion variants, prefix, phonetic (see the
    kernel)."""
    data = token.encode()
    keys = [hash_bytes(data, K.SEED_SPELLING)]
    if len(data) >= K.MIN_DELETE_LEN:
        keys += [hash_bytes(data, K.SEED_SPELLING, skip=k) for k in range(len(data))]
    if len(data) > K.PREFIX_LEN:
        keys.append(hash_bytes(data[:K.PREFIX_LEN], K.SEED_SPELLING))
    if len(phonetic_skeleton(token)) >= K.MIN_PHONETIC_LEN:
        keys.append(phonetic_key(token))
    return keys


def token_similarity(a: str, b: str) -> tuple[float, int]:
    if a == b:
        return 1.0, K.METHOD_EXACT
    if len(a) == 1 or len(b) == 1:
        if a and b and a[0] == b[0]:
            return K.INITIAL_SIM, K.METHOD_INITIAL
        return 0.0, K.METHOD_JARO_WINKLER
    jw = jaro_winkler(a, b)
    pa, pb = phonetic_skeleton(a), phonetic_skeleton(b)
    no_vowel = not set(a) & set("AEIOU") or not set(b) & set("AEIOU")
    if (jw < K.PHONETIC_SIM and pa == pb and len(pa) >= K.MIN_PHONETIC_LEN
            and (len(pa) >= 3 or jw >= K.PHONETIC_MIN_JW or no_vowel)):
        return K.PHONETIC_SIM, K.METHOD_PHONETIC
    return jw, K.METHOD_JARO_WINKLER


def credit(sim: float) -> float:
    if sim <= K.CREDIT_LOW:
        return 0.0
    ramp = min(1.0, (sim - K.CREDIT_LOW) / (K.CREDIT_HIGH - K.CREDIT_LOW))
    return sim * sim * ramp


def name_score(
    q: list[str], q_w: list[float], c: list[str], c_w: list[float],
) -> tuple[float, list[int], list[float], list[int], list[int]]:
    """Twin of _name_score_core_kernel: (score, choice, sim, method, span) per query token."""
    n_q, n_c = len(q), len(c)
    choice, sims, methods, spans = [-1] * n_q, [0.0] * n_q, [K.METHOD_MISSING] * n_q, [0] * n_q
    if n_q == 0 or n_c == 0:
        return 0.0, choice, sims, methods, spans
    # Edges (credit, sim, kind, method, i, j) in the kernel's enumeration order.
    edges = []
    for i in range(n_q):
        for j in range(n_c):
            sim, method = token_similarity(q[i], c[j])
            if credit(sim) > 0.0:
                edges.append((credit(sim), sim, 0, method, i, j))
    for i in range(n_q):
        for j in range(n_c - 1):
            if min(len(q[i]), len(c[j]), len(c[j + 1])) < 2 or q[i][0] != c[j][0]:
                continue
            sim = jaro_winkler(q[i], c[j] + c[j + 1])
            if sim >= K.SQUASH_MIN:
                edges.append((credit(sim), sim, 1, K.METHOD_SQUASHED, i, j))
    for i in range(n_q - 1):
        for j in range(n_c):
            if min(len(q[i]), len(q[i + 1]), len(c[j])) < 2 or q[i][0] != c[j][0]:
                continue
            sim = jaro_winkler(q[i] + q[i + 1], c[j])
            if sim >= K.SQUASH_MIN:
                edges.append((credit(sim), sim, 2, K.METHOD_SQUASHED, i, j))
    used_q, used_c = [False] * n_q, [False] * n_c
    num = den = 0.0
    while True:
        free = []
        for e in edges:
            cr, _, kind, _, i, j = e
            qs = [i, i + 1] if kind == 2 else [i]
            cs = [j, j + 1] if kind == 1 else [j]
            if not any(used_q[x] for x in qs) and not any(used_c[y] for y in cs):
                free.append(e)
        if not free:
            break
        best = max(free, key=lambda e: e[0])  # max keeps the first of equal credits
        cr, sim, kind, method, i, j = best
        qs = [i, i + 1] if kind == 2 else [i]
        cs = [j, j + 1] if kind == 1 else [j]
        w = q_w[i] + c_w[j]
        if kind == 1:
            w += c_w[j + 1]
        elif kind == 2:
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
    den += sum(w for w, u in zip(q_w, used_q, strict=True) if not u)
    den += sum(K.UNMATCHED_RECORD_COST * w for w, u in zip(c_w, used_c, strict=True) if not u)
    return (num / den if den > 0 else 0.0), choice, sims, methods, spans


def gather_candidates(
    query_tokens: list[list[str]], query_weights: list[list[float]], index_tokens: list[str],
    token_entries: list[list[int]], min_score: float, max_candidates: int, common_df: int,
    n_entries_total: int | None = None,
) -> list[list[int]]:
    """Twin of _gather_candidates_kernel on strings: per subquery, skip the most common query
    tokens (summed df >= common_df) while a candidate matching only them could not reach
    min_score (but never the rarest query token that matches anything), then score every entry
    reached through the other query tokens by the summed idf (per query token, of its rarest
    matched index token listing the entry) and keep the max_candidates best (ties: lower id),
    as a set (returned sorted)."""
    keys_of = [set(token_keys(t)) for t in index_tokens]
    out = []
    for tokens, weights in zip(query_tokens, query_weights, strict=True):
        matched = [
            [t for t in range(len(index_tokens)) if keys_of[t] & set(token_keys(q))]
            for q in tokens
        ]
        qdf = [sum(len(token_entries[t]) for t in m) for m in matched]
        by_commonness = sorted(range(len(tokens)), key=lambda i: (-qdf[i], -i))
        skipped: set[int] = set()
        a_skip, rest = 0.0, sum(weights)
        n_matching = sum(1 for x in qdf if x > 0)
        for r, i in enumerate(by_commonness):
            if r >= n_matching - 1 or qdf[i] < common_df:  # keep the rarest matching token
                break
            a_new, rest_new = a_skip + (weights[i] + 1.0) * 0.5, rest - weights[i]
            if a_new + rest_new <= 0.0 or a_new / (a_new + rest_new) >= min_score:
                break
            a_skip, rest = a_new, rest_new
            skipped.add(i)
        acc: dict[int, float] = {}
        n_entries = sum(1 for _ in {e for te in token_entries for e in te})
        n_entries = n_entries_total if n_entries_total is not None else n_entries
        for i, m in enumerate(matched):
            if i in skipped:
                continue
            info: dict[int, float] = {}
            for t in sorted(m, key=lambda t: (len(token_entries[t]), t)):
                idf = math.log((n_entries + 1.0) / (len(token_entries[t]) + 1.0))
                for e in token_entries[t]:
                    info.setdefault(e, idf)
            for e, v in info.items():
                acc[e] = acc.get(e, 0.0) + v
        if len(acc) <= max_candidates:
            entries = sorted(acc)
        else:
            entries = sorted(sorted(acc, key=lambda e: (-acc[e], e))[:max_candidates])
        out.append(entries)
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
