"""Synthetic watchlists for the kernel benchmarks, generated with numpy (no files)."""

from __future__ import annotations

import numpy as np

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
