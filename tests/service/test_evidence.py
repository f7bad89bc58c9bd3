from __future__ import annotations

import pytest

from screening import evidence


@pytest.mark.parametrize("query,records,method", [
    ("1970-05-12", ["1970-05-12"], "exact"),
    ("1970", ["1970-05-12"], "partial"),
    ("1970-05", ["1970-05-12"], "partial"),
    ("1970-05-12", ["1970"], "partial"),
    ("1970-05-12", ["1970-00-00"], "partial"),
    ("1970-12-05", ["1970-05-12"], "day_month_swapped"),
    ("1971-05-12", ["1970-05-12"], "year_off_by_one"),
    ("1990-05-12", ["1970-05-12"], "conflict"),
    ("1990-05-12", ["1960", "1990-05-12"], "exact"),  # best of several
])
def test_date_of_birth_relations(query, records, method):
    assert evidence.compare_dob(query, records).method == method


def test_date_of_birth_weights_are_ordered():
    w = {m: evidence.compare_dob(q, ["1970-05-12"]).weight for q, m in [
        ("1970-05-12", "exact"), ("1970", "partial"), ("1970-12-05", "swapped"),
        ("1971-05-12", "off"), ("1990-01-01", "conflict")]}
    assert w["exact"] > w["partial"] > w["swapped"] >= w["off"] > w["conflict"]
    assert w["conflict"] < 0


def test_unknown_sides_give_no_evidence():
    assert evidence.compare_dob("", ["1970"]) is None
    assert evidence.compare_dob("1970", []) is None
    assert evidence.compare_sex("", "M") is None
    assert evidence.compare_nationality("FRA", []) is None


def test_sex_conflict_costs_and_nationality_match_helps():
    assert evidence.compare_sex("M", "F").weight < 0
    assert evidence.compare_sex("M", "M").weight == 0
    assert evidence.compare_nationality("UZB", ["RUS", "UZB"]).weight > 0
    assert evidence.compare_nationality("FRA", ["UZB"]).weight == 0


# ------------------------------------------------------------------ kernel vs twin, batch

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from indexes import reference as ref  # noqa: E402
from indexes.kernels.evidence import _evidence_kernel  # noqa: E402

# Dates near each other so that every relation (swaps, off by one, partial) comes up.
dates = st.builds(lambda y, m, d: y * 10000 + m * 100 + d, st.integers(1969, 1971),
                  st.integers(0, 12), st.integers(0, 12)) | st.just(-1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(dates, st.integers(0, 2), st.integers(-1, 3)), min_size=1, max_size=4),
       st.lists(st.tuples(st.lists(dates, max_size=3), st.integers(0, 2),
                          st.lists(st.integers(0, 3), max_size=2)), min_size=1, max_size=4),
       st.data())
def test_evidence_kernel_equals_twin(queries, records, data) -> None:
    n_pairs = data.draw(st.integers(1, 8))
    pair_q = np.array([data.draw(st.integers(0, len(queries) - 1)) for _ in range(n_pairs)])
    pair_r = np.array([data.draw(st.integers(0, len(records) - 1)) for _ in range(n_pairs)])
    dob_off = np.cumsum([0] + [len(r[0]) for r in records]).astype(np.int64)
    nat_off = np.cumsum([0] + [len(r[2]) for r in records]).astype(np.int64)
    got = _evidence_kernel(
        pair_q.astype(np.int64), pair_r.astype(np.int64),
        np.array([q[0] for q in queries], dtype=np.int64),
        np.array([q[1] for q in queries], dtype=np.int8),
        np.array([q[2] for q in queries], dtype=np.int64),
        dob_off, np.array([d for r in records for d in r[0]], dtype=np.int64),
        np.array([r[1] for r in records], dtype=np.int8),
        nat_off, np.array([n for r in records for n in r[2]], dtype=np.int64),
        evidence.DOB_WEIGHTS, evidence.SEX_WEIGHTS, evidence.NAT_WEIGHTS)
    for p in range(n_pairs):
        q, r = queries[pair_q[p]], records[pair_r[p]]
        want = ref.evidence(q[0], q[1], q[2], r[0], r[1], r[2], list(evidence.DOB_WEIGHTS),
                            list(evidence.SEX_WEIGHTS), list(evidence.NAT_WEIGHTS))
        at = int(got[1][p]) - int(dob_off[pair_r[p]]) if got[1][p] >= 0 else -1
        assert (int(got[0][p]), at, int(got[2][p]), int(got[3][p])) == want[:4]
        assert abs(got[4][p] - want[4]) < 1e-12


@pytest.mark.parametrize("value", ["1970-05-12", "1970", "1970-05", "1970-00-00", "1970-XX-XX",
                                   "1970/05/12", " 1970-05-12 ", "", "garbage", "70-05-12",
                                   "19700512", "1970-5-2"])
def test_encode_dates_vectorised_equals_scalar(value: str) -> None:
    got = evidence.encode_dates(pa.array([value, None], pa.string()))
    assert got.tolist() == [evidence.encode_date(value), -1]


def test_batch_scores_many_pairs_in_one_call() -> None:
    rec = evidence.RecordEvidence.of(
        pa.array([["1970-05-12"], ["1960", "1990-05-12"], None], pa.list_(pa.string())),
        pa.array(["M", "F", None], pa.string()),
        pa.array([["UZB"], [], ["FRA", "DEU"]], pa.list_(pa.string())))
    b = evidence.compare_batch(rec, ["1970-05-12", "1990-05-12"], ["M", "F"], ["UZB", "DEU"],
                               np.array([0, 1, 1, 0]), np.array([0, 1, 2, 1]))
    assert b.dob_rel.tolist() == [1, 1, 0, 5]  # exact, exact (second date), none, conflict
    assert b.sex_rel.tolist() == [1, 1, 0, 2]
    assert b.nat_rel.tolist() == [1, 0, 1, 0]
    assert b.weight[0] == pytest.approx(evidence.DOB_EXACT + evidence.NATIONALITY_MATCH)
    assert b.weight[3] == pytest.approx(evidence.DOB_CONFLICT + evidence.SEX_CONFLICT)
    d = evidence.details(b, 1, rec, 1, "1990-05-12", "F", "DEU", "F")
    assert [(x.field, x.record_value, x.method) for x in d] == [
        ("date_of_birth", "1990-05-12", "exact"), ("sex", "F", "exact")]
