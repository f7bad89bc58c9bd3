"""Kernel benchmarks (pytest-benchmark). Not part of the default test run (testpaths = tests):
    .venv/bin/python -m pytest bench/kernels --benchmark-only
"""

from __future__ import annotations

import random
import time

import pytest

from bench.kernels.synthetic import document_numbers, person_names
from indexes.document_index import DocumentIndex
from indexes.name_index import NameIndex

N_DOCS = 1_000_000
N_RECORDS = 100_000


@pytest.fixture(scope="module")
def documents() -> tuple[DocumentIndex, list[str], list[str]]:
    numbers, countries = document_numbers(N_DOCS)
    start = time.perf_counter()
    index = DocumentIndex.build(numbers, countries)
    print(f"\nDocumentIndex.build({N_DOCS:,}): {time.perf_counter() - start:.2f} s")
    index.warmup()
    rnd = random.Random(1)
    rows = [rnd.randrange(N_DOCS) for _ in range(10_000)]
    queries = [numbers[r] if i % 2 else numbers[r][:-1] + "Z" for i, r in enumerate(rows)]
    return index, queries, [countries[r] for r in rows]


@pytest.fixture(scope="module")
def names() -> tuple[NameIndex, list[str]]:
    names, records = person_names(N_RECORDS)
    start = time.perf_counter()
    index = NameIndex.build(names, records)
    print(f"\nNameIndex.build({N_RECORDS:,} records, {len(names):,} names): "
          f"{time.perf_counter() - start:.2f} s")
    index.warmup()
    rnd = random.Random(2)
    queries = []
    for _ in range(100):
        tokens = rnd.choice(names).replace(",", "").split()
        rnd.shuffle(tokens)
        k = rnd.randrange(len(tokens))
        t = tokens[k]
        i = rnd.randrange(len(t))
        tokens[k] = t[:i] + "X" + t[i + 1:]  # one typo
        queries.append(" ".join(tokens))
    return index, queries


def test_document_lookup_10k(benchmark, documents) -> None:
    index, queries, countries = documents
    exact, confusable = benchmark(index.lookup, queries, countries)
    assert (exact[1::2] >= 0).all()


def test_name_search_100(benchmark, names) -> None:
    index, queries = names
    results = benchmark(index.search, queries)
    assert sum(1 for r in results if r) >= 90
