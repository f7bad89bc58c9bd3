"""bench.scale.names --merge must not drop the report's rows that its rows file lacks."""

from __future__ import annotations

from pathlib import Path

from bench.scale.names import unkept_sizes

REPORT = """| names | persons | timed passengers x repeats | full screening (µs/passenger) |
|---:|---:|---:|---:|
| 10,033 | 5,155 | 5,000 x 5 | 52.7 |
| 99,806 | 51,546 | 5,000 x 5 | 96.3 |
| 998,820 | 515,464 | 5,000 x 3 | 276.4 |
| 9,989,808 | 5,154,639 | 1,000 x 3 | 853.6 |
"""


def test_rows_another_machine_measured_are_named():
    rows = [{"names": 998820, "target": 1_000_000}]
    assert unkept_sizes(REPORT, rows, [1_000_000]) == [10033, 99806, 9989808]


def test_sizes_measured_now_or_kept_are_not():
    rows = [{"names": 10033, "target": 10_000}, {"names": 99806, "target": 100_000}]
    assert unkept_sizes(REPORT, rows, [1_000_000, 10_000_000]) == []
    assert unkept_sizes("", [], [1_000_000]) == []


def test_the_committed_report_parses():
    report = Path(__file__).resolve().parents[2] / "bench" / "results" / "scale_names.md"
    assert len(unkept_sizes(report.read_text(), [], [])) == 4
