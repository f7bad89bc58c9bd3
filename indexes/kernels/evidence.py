"""Corroborating evidence kernel: date of birth, sex and nationality of many (passenger, record)
pairs at once, over integer-encoded values (screening/evidence.py encodes and holds the weights).

Encodings:
- date: year * 10000 + month * 100 + day, 0 for an unknown month or day (1970-00-00, 1970-XX,
  1970); -1 for no usable date.
- sex: 0 unknown, 1 M, 2 F.
- nationality: a non-negative code per country, -1 unknown; codes only compared for equality.
Relations are small ints (the DOB_* / SEX_* / NAT_* constants below); weights come in as arrays
indexed by relation, so the kernel knows nothing of the calibration.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from indexes.numba_config import JIT

DOB_NONE = 0  # one side unknown: no evidence
DOB_EXACT = 1
DOB_PARTIAL = 2  # agree on every part both sides know (year, or year and month)
DOB_SWAPPED = 3  # day and month swapped (US vs European order)
DOB_YEAR_OFF_BY_ONE = 4
DOB_CONFLICT = 5
SEX_NONE = 0
SEX_EXACT = 1
SEX_CONFLICT = 2
NAT_NONE = 0
NAT_EXACT = 1
NAT_DIFFERENT = 2


@njit(**JIT)
def _dob_relation_kernel(q, r):
    """Relation of two encoded dates (both >= 0)."""
    qy = q // 10000
    qm = (q // 100) % 100
    qd = q % 100
    ry = r // 10000
    rm = (r // 100) % 100
    rd = r % 100
    month_ok = qm == 0 or rm == 0 or qm == rm
    day_ok = qd == 0 or rd == 0 or qd == rd
    if qy == ry and month_ok and day_ok:
        if qm != 0 and rm != 0 and qd != 0 and rd != 0:
            return DOB_EXACT
        return DOB_PARTIAL
    if (qy == ry and qm != 0 and qd != 0 and rm != 0 and rd != 0 and qm == rd
            and qd == rm):
        return DOB_SWAPPED
    if abs(qy - ry) == 1 and month_ok and day_ok:
        return DOB_YEAR_OFF_BY_ONE
    return DOB_CONFLICT


@njit(**JIT)
def _evidence_kernel(pair_q, pair_rec, q_dob, q_sex, q_nat, rec_dob_offsets, rec_dobs, rec_sex,
                     rec_nat_offsets, rec_nats, dob_weight, sex_weight, nat_weight):
    """Per pair: (dob relation, index into rec_dobs of the best record date or -1, sex relation,
    nationality relation, summed weight). The best record date is the one with the highest
    weight (the first of equals): a record listing 1960 and 1990-05-12 agrees with 1990-05-12."""
    n = pair_q.shape[0]
    dob_rel = np.zeros(n, dtype=np.int8)
    dob_at = np.full(n, -1, dtype=np.int64)
    sex_rel = np.zeros(n, dtype=np.int8)
    nat_rel = np.zeros(n, dtype=np.int8)
    total = np.zeros(n, dtype=np.float64)
    for p in range(n):
        qi = pair_q[p]
        r = pair_rec[p]
        w = 0.0
        qd = q_dob[qi]
        if qd >= 0:
            best_w = 0.0
            for k in range(rec_dob_offsets[r], rec_dob_offsets[r + 1]):
                if rec_dobs[k] < 0:
                    continue
                rel = _dob_relation_kernel(qd, rec_dobs[k])
                if dob_at[p] < 0 or dob_weight[rel] > best_w:
                    best_w = dob_weight[rel]
                    dob_rel[p] = rel
                    dob_at[p] = k
            if dob_at[p] >= 0:
                w += best_w
        qs = q_sex[qi]
        rs = rec_sex[r]
        if qs != 0 and rs != 0:
            sex_rel[p] = SEX_EXACT if qs == rs else SEX_CONFLICT
            w += sex_weight[sex_rel[p]]
        qn = q_nat[qi]
        if qn >= 0 and rec_nat_offsets[r + 1] > rec_nat_offsets[r]:
            nat_rel[p] = NAT_DIFFERENT
            for k in range(rec_nat_offsets[r], rec_nat_offsets[r + 1]):
                if rec_nats[k] == qn:
                    nat_rel[p] = NAT_EXACT
                    break
            w += nat_weight[nat_rel[p]]
        total[p] = w
    return dob_rel, dob_at, sex_rel, nat_rel, total
