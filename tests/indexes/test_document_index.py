from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexes import reference
from indexes.document_index import DocumentIndex, query_hashes

NUMBERS = ["X123456 7", "AB-12", "x1234567", "AB12", "P<99887766", "Z00B5", ""]
COUNTRIES = ["FRA", "DEU", "", "FRA", "GBR", "", "USA"]


@pytest.fixture(scope="module")
def index() -> DocumentIndex:
    return DocumentIndex.build(NUMBERS, COUNTRIES)


def lookup(index: DocumentIndex, numbers: list[str], countries: list[str]):
    exact, confusable = index.lookup(numbers, countries)
    assert exact.dtype == np.int64 and confusable.dtype == np.int64
    return exact.tolist(), confusable.tolist()


def test_exact_match_lowest_row_and_normalisation(index: DocumentIndex) -> None:
    # Rows 0 and 2 both normalise to X1234567: the lowest row wins.
    assert lookup(index, ["x123-4567", "P99887766"], ["", "gbr"]) == ([0, 4], [-1, -1])


def test_country_must_match_when_both_present(index: DocumentIndex) -> None:
    assert lookup(index, ["AB12"], ["DEU"]) == ([1], [-1])
    assert lookup(index, ["AB12"], ["FRA"]) == ([3], [-1])
    assert lookup(index, ["AB12"], ["GBR"]) == ([-1], [-1])
    # Row 2 has no country, so it matches X1234567 whatever the query's country is.
    assert lookup(index, ["X1234567"], ["ITA"]) == ([2], [-1])


def test_missing_query_country_matches_any(index: DocumentIndex) -> None:
    assert lookup(index, ["AB12", "P99887766"], ["", ""]) == ([1, 4], [-1, -1])


def test_confusables(index: DocumentIndex) -> None:
    # S/5, I/1, O/0, Z/2, B/8 confusions reach the listed number only through the folded key.
    assert lookup(index, ["X1234S67", "XI234567", "Z00B5", "2OO8S"], ["", "", "", ""]) == (
        [-1, -1, 5, -1], [0, 0, -1, 5])
    assert lookup(index, ["X1234S67"], ["GBR"]) == ([-1], [2])  # rows 0 (FRA) no, 2 (any) yes


def test_no_match_and_empty_query(index: DocumentIndex) -> None:
    assert lookup(index, ["NOPE", "", "<<"], ["", "", "USA"]) == ([-1, -1, -1], [-1, -1, -1])
    assert lookup(index, [], []) == ([], [])


def test_empty_index(tmp_path: Path) -> None:
    empty = DocumentIndex.build([], [])
    assert len(empty) == 0
    assert lookup(empty, ["X1"], [""]) == ([-1], [-1])
    empty.save(tmp_path)
    opened = DocumentIndex.open(tmp_path, pa.array([], pa.string()), pa.array([], pa.string()))
    assert lookup(opened, ["X1"], [""]) == ([-1], [-1])


def test_hash_collision_is_rejected(index: DocumentIndex, monkeypatch) -> None:
    # Force every key to collide: verification alone must keep the answers right.
    import indexes.document_index as di

    def constant_hash(data, offsets, table, seed):
        return np.zeros(len(offsets) - 1, dtype=np.uint64)

    monkeypatch.setattr(di, "_hash_strings_kernel", constant_hash)
    colliding = DocumentIndex.build(NUMBERS, COUNTRIES)
    assert lookup(colliding, ["AB12", "QQQQ", "X1234S67"], ["FRA", "", ""]) == (
        [3, -1, -1], [-1, -1, 0])


def test_save_open_round_trip(index: DocumentIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    opened = DocumentIndex.open(tmp_path, pa.array(NUMBERS), pa.array(COUNTRIES))
    assert len(opened) == len(index) == len(NUMBERS)
    queries = ["X1234567", "X1234S67", "AB12", "AB12", "nothing"]
    countries = ["", "", "DEU", "GBR", ""]
    assert lookup(opened, queries, countries) == lookup(index, queries, countries)
    with pytest.raises(ValueError):
        DocumentIndex.open(tmp_path, pa.array(NUMBERS[:2]), pa.array(COUNTRIES[:2]))


def test_streaming_builder_equals_one_go_build() -> None:
    from indexes.document_index import DocumentIndexBuilder

    builder = DocumentIndexBuilder(len(NUMBERS))
    builder.add(NUMBERS[:3], COUNTRIES[:3])
    builder.add(pa.array(NUMBERS[3:]), pa.array(COUNTRIES[3:]))
    streamed = builder.finish().attach(pa.array(NUMBERS), pa.array(COUNTRIES))
    whole = DocumentIndex.build(NUMBERS, COUNTRIES)
    queries = ["X1234567", "X1234S67", "AB12", "Z00B5", "2OO8S", ""]
    assert lookup(streamed, queries, [""] * 6) == lookup(whole, queries, [""] * 6)
    with pytest.raises(ValueError):
        builder.add(["ONE MORE"], [""])


def test_arrow_input_and_bytes_per_document() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    numbers = [f"N{x:08d}" for x in rng.integers(0, 10**8, n)]
    countries = rng.choice(["FRA", "DEU", ""], n).tolist()
    idx = DocumentIndex.build(pa.array(numbers), pa.chunked_array([countries[:5], countries[5:]]))
    exact, _ = idx.lookup(numbers[:1000], countries[:1000])
    # Every query is a listed number, so it hits (maybe an earlier duplicate row).
    assert (exact >= 0).all()
    assert [numbers[r] for r in exact] == numbers[:1000]
    # keys 8 + fingerprints 8 + countries 4 bytes per document, plus the directory (~0.5 B)
    assert 20 * n < idx.index_bytes() <= 21 * n


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=300), st.integers(1, 10),
       st.lists(st.integers(0, 2**64 - 1), max_size=30))
def test_bucket_kernels_match_their_twin(raw, dir_bits, queries) -> None:
    from indexes.kernels.documents import _bucket_bounds_kernel, _bucket_starts_kernel

    keys = np.array(sorted(raw), dtype=np.uint64)
    starts = _bucket_starts_kernel(keys, dir_bits)
    assert starts.tolist() == reference.bucket_starts(keys.tolist(), dir_bits)
    q = np.array(queries + raw[:10], dtype=np.uint64)
    s, e = _bucket_bounds_kernel(q, starts, dir_bits)
    for h, lo, hi in zip(q.tolist(), s.tolist(), e.tolist(), strict=True):
        # the bucket holds exactly the keys whose top bits equal the query's
        assert [k for k in keys.tolist() if k >> (64 - dir_bits) == h >> (64 - dir_bits)] \
            == keys[lo:hi].tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="AB01OSX", min_size=1, max_size=5),
                          st.sampled_from(["", "FRA", "ITA"])), min_size=1, max_size=40),
       st.lists(st.tuples(st.text(alphabet="AB01OSX", max_size=5),
                          st.sampled_from(["", "FRA", "ITA"])), min_size=1, max_size=20))
def test_whole_lookup_matches_the_full_scan_twin(docs, queries) -> None:
    from indexes.document_index import CONFUSABLES

    numbers, countries = [d[0] for d in docs], [d[1] for d in docs]
    idx = DocumentIndex.build(numbers, countries)
    q_numbers, q_countries = [q[0] for q in queries], [q[1] for q in queries]
    exact, folded = idx.lookup(q_numbers, q_countries)
    assert (exact.tolist(), folded.tolist()) == reference.lookup_documents(
        q_numbers, q_countries, numbers, countries, CONFUSABLES)


def test_hashes_computed_once_serve_every_index(index: DocumentIndex) -> None:
    # The engine hashes a batch once for both document indexes: the same answer as hashing
    # inside each lookup, and hashes of another batch are refused, not misread.
    numbers, countries = ["x1234567", "AB 12", "Z0OB5", "NOPE", ""], ["", "DEU", "", "", ""]
    hashes = query_hashes(numbers, countries)
    got = index.lookup(numbers, countries, hashes=hashes)
    want = index.lookup(numbers, countries)
    assert (want[0] >= 0).sum() >= 2 and (want[1] >= 0).sum() >= 1  # hits of both kinds
    assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))
    with pytest.raises(ValueError, match="another batch"):
        index.lookup(numbers[:2], countries[:2], hashes=hashes)
