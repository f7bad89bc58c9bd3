"""Metrics and threshold calibration on per-query scores. Pure functions, no engine: the same
code scores us and the peers.

Every system is reduced to, per query: the score of the true record (positives; None when it
was not reported at all), its rank among the reported records, and the best score of any
record (negatives). A threshold t then decides: a positive is recalled at t when its true
record scores >= t; a negative is a false alarm at t when any record scores >= t.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# False-alarm targets (share of clean passengers), names alone / with DOB.
FA_TARGETS = {
    "hit": {"nodob": 1e-4, "dob": 1e-5},
    "pm": {"nodob": 2e-2, "dob": 2e-3},
}


@dataclass(frozen=True)
class Scored:
    """One query's outcome for one system."""

    true_score: float | None  # positives: the true record's score (None: not reported)
    true_rank: int  # 1-based rank of the true record among reported records; 0 if absent
    best_score: float  # best score of any record (0.0 when nothing reported)


def from_matches(matches: Sequence[tuple[str, float]], true_id: str) -> Scored:
    """Scored from a best-first (record_id, score) list."""
    best = max((s for _, s in matches), default=0.0)
    for rid, s in matches:
        if rid == true_id:
            # Rank = 1 + records scoring strictly higher (ties share the better rank).
            rank = 1 + sum(1 for _, s2 in matches if s2 > s)
            return Scored(s, rank, best)
    return Scored(None, 0, best)


def threshold_at_fa(neg_best: Sequence[float], rate: float, step: float | None = None) -> float:
    """Smallest threshold t with share(neg_best >= t) <= rate.

    With k = floor(rate * n) false alarms allowed, t lies just above the (k+1)-th highest
    negative score. `step` is the score grid (our engine rounds to 1e-4): then t is the next
    grid value; without it, the next float."""
    scores = np.sort(np.asarray(neg_best, dtype=np.float64))[::-1]
    n = len(scores)
    if n == 0:
        return 0.0
    k = math.floor(rate * n + 1e-9)
    if k >= n:
        return float(scores[-1])
    s = float(scores[k])
    if step:
        return round(math.floor(s / step + 1e-6) * step + step, 10)
    return float(np.nextafter(s, np.inf))


@dataclass(frozen=True)
class Thresholds:
    hit: float
    pm: float


def calibrate(neg_nodob: Sequence[float], neg_dob: Sequence[float], floor: float,
              step: float | None = 1e-4, ceiling: float = 1.0) -> Thresholds:
    """Lowest HIT and POSSIBLE_MATCH thresholds (so the highest recall, recall being monotone in
    the threshold) that keep false alarms within FA_TARGETS both on names alone and with DOB;
    never below `floor` (nothing under it is reported) nor above `ceiling`."""
    def lowest(level: str) -> float:
        t = max(threshold_at_fa(neg_nodob, FA_TARGETS[level]["nodob"], step),
                threshold_at_fa(neg_dob, FA_TARGETS[level]["dob"], step), floor)
        return min(t, ceiling)
    hit = lowest("hit")
    return Thresholds(hit=hit, pm=min(lowest("pm"), hit))


def recall(scored: Sequence[Scored], t: float) -> float:
    if not scored:
        return float("nan")
    return sum(1 for s in scored if s.true_score is not None and s.true_score >= t) / len(scored)


def top1(scored: Sequence[Scored], t: float) -> float:
    """Share of positives whose true record is reported (>= t) and ranked first."""
    if not scored:
        return float("nan")
    return sum(1 for s in scored if s.true_score is not None and s.true_score >= t
               and s.true_rank == 1) / len(scored)


def mrr(scored: Sequence[Scored], t: float) -> float:
    """Mean reciprocal rank of the true record among records reported at t (0 if absent)."""
    if not scored:
        return float("nan")
    return sum(1.0 / s.true_rank for s in scored if s.true_score is not None
               and s.true_score >= t and s.true_rank > 0) / len(scored)


def fa_rate(neg_best: Sequence[float], t: float) -> float:
    """Share of negatives with any record scoring >= t."""
    if not len(neg_best):
        return float("nan")
    return float(np.mean(np.asarray(neg_best, dtype=np.float64) >= t))
