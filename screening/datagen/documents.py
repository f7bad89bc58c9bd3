"""Stolen/lost travel document list -> documents.parquet, vectorised and written in chunks.

Memory is bounded by one chunk (1M rows), so 128M documents stream through in a few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from .cultures import CULTURES
from .docnumbers import MAX_LEN, number_format

CHUNK = 1_000_000

TYPES = ("P", "I", "V")
TYPE_P = (0.88, 0.10, 0.02)
# Interpol SLTD-like mix: lost documents dominate, blank stolen booklets are rare.
STATUSES = ("LOST", "STOLEN", "REVOKED", "INVALID", "STOLEN_BLANK")
STATUS_P = (0.50, 0.38, 0.05, 0.04, 0.03)
FIRST_REPORT = date(2002, 1, 1)
LAST_REPORT = date(2026, 10, 31)

SCHEMA = pa.schema([(n, pa.string()) for n in
                    ("record_id", "number", "issuing_country", "type", "status", "reported_on", "owner")])


@dataclass(frozen=True)
class StolenDoc:
    record_id: str
    number: str
    issuing_country: str
    type: str
    status: str


def country_weights() -> tuple[list[str], np.ndarray]:
    """Issuing countries weighted like the population of the cultures that hold them."""
    acc: dict[str, float] = {}
    for c in CULTURES:
        total = sum(c.nat_weights)
        for n, w in zip(c.nationalities, c.nat_weights, strict=True):
            acc[n] = acc.get(n, 0.0) + c.weight * w / total
    countries = sorted(acc)
    p = np.array([acc[n] for n in countries])
    return countries, p / p.sum()


def _strings(mat: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """Arrow string array straight from a padded uint8 matrix (no Python objects)."""
    n, width = mat.shape
    mask = np.arange(width)[None, :] < lengths[:, None]
    data = np.ascontiguousarray(mat[mask])
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def _record_ids(first: int, n: int) -> pa.Array:
    if n == 0:
        return pa.array([], pa.string())
    ids = np.arange(first, first + n, dtype=np.int64)
    ndig = np.ones(n, dtype=np.int64)
    for k in range(1, 19):
        ndig += ids >= 10**k
    width = 2 + int(ndig.max())
    mat = np.zeros((n, width), dtype=np.uint8)
    mat[:, 0] = ord("D")
    mat[:, 1] = ord("-")
    # ids are consecutive, so rows with the same digit count form contiguous blocks.
    bounds = np.flatnonzero(np.diff(ndig)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, n], strict=True):
        d = int(ndig[lo])
        v = ids[lo:hi].copy()
        for pos in range(1 + d, 1, -1):
            mat[lo:hi, pos] = 48 + v % 10
            v //= 10
    return _strings(mat, 2 + ndig)


def _date_table() -> pa.Array:
    days = (LAST_REPORT - FIRST_REPORT).days + 1
    return pa.array([(FIRST_REPORT + timedelta(d)).isoformat() for d in range(days)])


def write_documents(path: Path, count: int, *, rng_seed: int, format_seed: int,
                    sample_rows: np.ndarray, progress: bool = True
                    ) -> tuple[dict[str, int], list[StolenDoc]]:
    """Write `count` documents. Returns per-country counts (for the allocator) and the rows
    whose 0-based positions are in `sample_rows` (to plant in manifests).
    `format_seed` must be the one given to the `Allocator` so both number the same way."""
    rng = np.random.Generator(np.random.PCG64(rng_seed))
    countries, cp = country_weights()
    formats = [number_format(c, format_seed) for c in countries]
    country_arr = pa.array(countries)
    type_arr, status_arr = pa.array(TYPES), pa.array(STATUSES)
    dates = _date_table()
    ndays = len(dates)
    counters = np.zeros(len(countries), dtype=np.int64)
    sample_rows = np.sort(sample_rows)
    sample: list[StolenDoc] = []
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer, tqdm(
        total=count, desc="documents", unit="doc", unit_scale=True, disable=not progress
    ) as bar:
        for start in range(0, count, CHUNK):
            n = min(CHUNK, count - start)
            cc = rng.choice(len(countries), size=n, p=cp)
            # Index of each row within its country = running counter + rank inside the chunk.
            order = np.argsort(cc, kind="stable")
            per = np.bincount(cc, minlength=len(countries))
            starts = np.concatenate(([0], np.cumsum(per)[:-1]))
            mat = np.zeros((n, MAX_LEN), dtype=np.uint8)
            lengths = np.empty(n, dtype=np.int64)
            for k in np.flatnonzero(per):
                rows = order[starts[k]: starts[k] + per[k]]
                idx = counters[k] + np.arange(per[k], dtype=np.int64)
                chars = formats[k].format_many(idx)
                mat[rows, : chars.shape[1]] = chars
                lengths[rows] = chars.shape[1]
            counters += per
            owner = np.where(rng.random(n) < 0.9, cc, rng.choice(len(countries), size=n, p=cp))
            # Reports skew towards recent years (sqrt of a uniform).
            day = (np.sqrt(rng.random(n)) * ndays).astype(np.int64).clip(0, ndays - 1)
            tcode = rng.choice(len(TYPES), size=n, p=TYPE_P)
            scode = rng.choice(len(STATUSES), size=n, p=STATUS_P)
            table = pa.table({
                "record_id": _record_ids(start + 1, n),
                "number": _strings(mat, lengths),
                "issuing_country": country_arr.take(pa.array(cc)),
                "type": type_arr.take(pa.array(tcode)),
                "status": status_arr.take(pa.array(scode)),
                "reported_on": dates.take(pa.array(day)),
                "owner": country_arr.take(pa.array(owner)),
            }, schema=SCHEMA)
            writer.write_table(table, row_group_size=CHUNK)
            lo, hi = np.searchsorted(sample_rows, [start, start + n])
            for r in sample_rows[lo:hi] - start:
                sample.append(StolenDoc(
                    record_id=f"D-{start + r + 1}",
                    number=bytes(mat[r, : lengths[r]]).decode(),
                    issuing_country=countries[cc[r]],
                    type=TYPES[tcode[r]],
                    status=STATUSES[scode[r]],
                ))
            bar.update(n)
    return {c: int(counters[i]) for i, c in enumerate(countries)}, sample
