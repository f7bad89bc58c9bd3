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
