"""Kernel benchmarks (pytest-benchmark). Not part of the default test run (testpaths = tests):
    .venv/bin/python -m pytest bench/kernels --benchmark-only
"""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from indexes.document_index import DocumentIndex
from indexes.name_index import NameIndex

# ------------------------------------------------------------------ synthetic data (numpy, no files)

DOC_ALPHABET = np.frombuffer(b"ABCDEFGHJKMNPRTUVWXY0123456789", dtype=np.uint8)
COUNTRIES = np.array(["FRA", "DEU", "GBR", "USA", "ITA", "ESP", "RUS", "TUR", ""])
FIRST_NAMES = [
    "MUHAMMAD", "AHMED", "ALI", "OMAR", "IVAN", "SERGEI", "JOHN", "MARIA", "ANNA", "JOSE",
    "LUIS", "FATIMA", "AISHA", "YUSUF", "HASSAN", "DMITRY", "OLGA", "PETER", "HANS", "ELENA",
]
SYLLABLES = np.array(["KA", "RI", "MO", "VA", "LI", "YE", "SU", "FA", "HA", "NU", "BE", "DO",
                      "TRA", "SHE", "GOR", "MIN", "ZA", "PE", "TI", "LO", "KH", "AB", "US",
                      "EN", "OV", "EV", "IN", "AR", "EL", "OS"])


def document_numbers(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    raw = DOC_ALPHABET[rng.integers(0, len(DOC_ALPHABET), (n, 9))]
    numbers = raw.view("S9").ravel().astype(str).tolist()
    countries = COUNTRIES[rng.integers(0, len(COUNTRIES), n)].tolist()
    return numbers, countries


def surnames(n: int, rng: np.random.Generator) -> list[str]:
    parts = SYLLABLES[rng.integers(0, len(SYLLABLES), (n, 3))]
    lengths = rng.integers(2, 4, n)
    return ["".join(p[:k]) for p, k in zip(parts, lengths, strict=True)]


def person_names(n_records: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """About 2.5 names per record: a full name plus aliases (reordered, shortened)."""
    rng = np.random.default_rng(seed)
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n_records)]
    middle = surnames(n_records, rng)
    last = surnames(n_records, rng)
    names: list[str] = []
    records: list[int] = []
    n_alias = rng.integers(1, 4, n_records)
    for r in range(n_records):
        variants = [f"{first[r]} {middle[r]} {last[r]}", f"{last[r]}, {first[r]}",
                    f"{first[r]} {last[r]}"]
        for v in variants[: n_alias[r]]:
            names.append(v)
            records.append(r)
    return names, np.asarray(records)


# ------------------------------------------------------------------ benchmarks

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
