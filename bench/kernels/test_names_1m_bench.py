"""Name-kernel cost per passenger against the quality benchmark's list of 1,000,000 synthetic
persons plus the real OFAC/UN individuals (pytest-benchmark, outside the default test run):

    .venv/bin/python -m bench.quality --persons 1000000      # builds the list once (cached)
    .venv/bin/python -m pytest bench/kernels/test_names_1m_bench.py --benchmark-only

Each benchmark handles one batch of BATCH passengers (listed names with one typo, listed names
reordered, and unlisted names from the same pools); divide by BATCH for the cost per passenger.
Steps: normalise + blocking keys (`_prepare`), candidate gathering (kernel), scoring of the
gathered candidates (kernel), and the whole `search`.
"""

from __future__ import annotations

import glob
import random
from pathlib import Path

import numpy as np
import pytest

from indexes.snapshot import open_snapshot

ROOT = Path(__file__).resolve().parents[2]
BATCH = 500
MIN_SCORE = 0.75
MAX_CANDIDATES = 256


def _snapshot_dir() -> Path | None:
    found = sorted(glob.glob(str(ROOT / "bench/data/quality/p1000000-*/snapshot")))
    return Path(found[0]) if found else None


@pytest.fixture(scope="module")
def setup():
    directory = _snapshot_dir()
    if directory is None:
        pytest.skip("no 1M-person list: run `python -m bench.quality --persons 1000000` first")
    snap = open_snapshot(directory)
    snap.warmup()
    index = snap.name_index
    displays = snap.names.column("display").to_pylist()
    rnd = random.Random(5)
    queries = []
    for k in range(BATCH):
        tokens = rnd.choice(displays).replace(",", " ").split()
        if k % 3 == 0 and tokens:  # a typo
            i = rnd.randrange(len(tokens))
            t = tokens[i]
            j = rnd.randrange(len(t))
            tokens[i] = t[:j] + "X" + t[j + 1:]
        elif k % 3 == 1:  # reordered
            rnd.shuffle(tokens)
        else:  # an unlisted combination from the same pools
            other = rnd.choice(displays).replace(",", " ").split()
            tokens = tokens[:1] + other[1:]
        queries.append(" ".join(tokens))
    print(f"\nlist: {snap.meta['nominal_records']:,} records, {len(index):,} names")
    return index, queries


def test_prepare_per_batch(benchmark, setup) -> None:
    index, queries = setup
    index._variants.clear()  # normalisation is cached per distinct name: measure it cold
    prep = benchmark(lambda: (index._variants.clear(), index._prepare(queries))[1])
    assert prep is not None and len(prep.sq_query) >= BATCH


def test_gather_candidates_per_batch(benchmark, setup) -> None:
    index, queries = setup
    prep = index._prepare(queries)
    offsets, cands, _ = benchmark(index._gather, prep, MIN_SCORE, MAX_CANDIDATES)
    benchmark.extra_info["candidates_per_passenger"] = round(len(cands) / BATCH, 1)
    assert len(cands) > 0


def test_score_candidates_per_batch(benchmark, setup) -> None:
    index, queries = setup
    prep = index._prepare(queries)
    offsets, cands, _ = index._gather(prep, MIN_SCORE, MAX_CANDIDATES)
    pair_sq = np.repeat(np.arange(len(prep.sq_tokens), dtype=np.int64), np.diff(offsets))
    scores = benchmark(index._score, prep, pair_sq, cands)[0]
    benchmark.extra_info["pairs_per_passenger"] = round(len(cands) / BATCH, 1)
    assert (scores >= 0).all()


def test_search_per_batch(benchmark, setup) -> None:
    index, queries = setup
    results = benchmark(index.search, queries, min_score=MIN_SCORE)
    assert sum(1 for r in results if r) >= BATCH // 2


def test_gather_at_engine_floor_per_batch(benchmark, setup) -> None:
    """Candidates as the engine asks for them: from the lowest name score that can still
    end above CLEAR (screening.engine.name_floor), not from the reporting floor."""
    from screening.engine import name_floor
    from screening.settings import Settings

    index, queries = setup
    prep = index._prepare(queries)
    floor = name_floor(Settings())
    offsets, cands, _ = benchmark(index._gather, prep, floor, MAX_CANDIDATES)
    benchmark.extra_info["min_score"] = round(floor, 4)
    benchmark.extra_info["candidates_per_passenger"] = round(len(cands) / BATCH, 1)
    assert len(cands) > 0


def test_search_at_engine_floor_per_batch(benchmark, setup) -> None:
    from screening.engine import name_floor
    from screening.settings import Settings

    index, queries = setup
    results = benchmark(index.search, queries, min_score=name_floor(Settings()))
    assert sum(1 for r in results if r) >= BATCH // 4
