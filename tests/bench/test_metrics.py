"""Metrics and calibration on tiny hand-made score lists."""

from __future__ import annotations

import math

from bench.quality import metrics as M
from bench.quality.data import split_of


def test_threshold_at_fa_allows_floor_rate_times_n() -> None:
    neg = [0.1, 0.5, 0.7, 0.8, 0.9]
    # 0 false alarms allowed: just above the best negative.
    assert M.threshold_at_fa(neg, 0.0, step=0.01) == 0.91
    # 1 of 5 allowed (rate 0.2): just above the second best.
    assert M.threshold_at_fa(neg, 0.2, step=0.01) == 0.81
    assert M.fa_rate(neg, 0.81) == 0.2
    # 0.39 * 5 = 1.95 -> still only one allowed.
    assert M.threshold_at_fa(neg, 0.39, step=0.01) == 0.81
    t = M.threshold_at_fa(neg, 0.0)  # no grid: the next float
    assert t > 0.9 and math.isclose(t, 0.9)
    assert M.threshold_at_fa([], 0.1) == 0.0


def test_threshold_handles_ties() -> None:
    neg = [0.8, 0.8, 0.8, 0.2]
    # One allowed, but three tie at 0.8: the threshold must exclude all three.
    t = M.threshold_at_fa(neg, 0.25, step=0.01)
    assert t == 0.81 and M.fa_rate(neg, t) == 0.0


def test_calibrate_takes_the_stricter_of_names_only_and_dob() -> None:
    nodob = [0.5] * 9_990 + [0.95] * 10  # 10 of 10,000 at 0.95
    dob = [0.0] * 99_999 + [0.99]
    t = M.calibrate(nodob, dob, floor=0.75, step=1e-4)
    # HIT: <= 1/10,000 names only -> above 0.95 (1 allowed, 10 tie); with DOB 1/100,000 ->
    # one allowed, so 0.99 may stay a false alarm: max(0.9501, 0.0001, floor).
    assert math.isclose(t.hit, 0.9501)
    # PM: 2/100 names only allows 200 -> above 0.5; with DOB 2/1,000 allows 200 -> 0.0001.
    assert math.isclose(t.pm, 0.75)  # the floor
    assert t.pm <= t.hit


def test_calibrate_caps_pm_at_hit_and_ceiling() -> None:
    t = M.calibrate([1.0] * 10, [1.0] * 10, floor=0.75, step=1e-4)
    assert t.hit == 1.0 and t.pm == 1.0


def test_recall_rank_mrr() -> None:
    a = M.from_matches([("r1", 0.95), ("r2", 0.9)], "r2")
    assert a == M.Scored(0.9, 2, 0.95)
    b = M.from_matches([("r9", 0.85)], "r2")
    assert b.true_score is None and b.true_rank == 0 and b.best_score == 0.85
    c = M.from_matches([("r2", 0.99)], "r2")
    scored = [a, b, c]
    assert M.recall(scored, 0.9) == 2 / 3
    assert M.recall(scored, 0.95) == 1 / 3
    assert M.top1(scored, 0.8) == 1 / 3
    assert math.isclose(M.mrr(scored, 0.8), (0.5 + 1.0) / 3)
    assert math.isnan(M.recall([], 0.5))


def test_split_is_deterministic_and_balanced() -> None:
    ids = [f"rec-{i}" for i in range(2000)]
    first = [split_of(i) for i in ids]
    assert first == [split_of(i) for i in ids]
    assert 0.45 < first.count("train") / len(ids) < 0.55

