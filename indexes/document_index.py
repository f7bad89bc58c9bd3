"""Exact and look-alike lookup of travel-document numbers against a watchlist.

Index structures, 20.5 bytes per document whatever the list size:

* `keys` (8 B/doc): sorted uint64 keys on the hash of the confusable-folded number (O->0,
  I/L->1, S->5, B->8, Z->2). Each key keeps the high hash bits and stores the row in its low
  `row_bits` bits, so one `np.sort` orders both and rows sharing a hash come out ascending. An
  exact match is also a folded match, so one probe answers both questions.
* `starts` (~0.5 B/doc): a bucket directory on the top hash bits (about 8 keys a bucket): a
  lookup reads one entry and scans a cache line or two instead of binary-searching the whole
  array (27 dependent cache misses at 128M documents).
* `fingerprints` (8 B/doc): a second, independent 64-bit hash of the exact normalised number,
  by row: tells an exact match from a look-alike without touching the numbers themselves.
* `countries` (4 B/doc): the issuing country packed in a uint32, by row (0 = unknown).

The numbers themselves are not copied: the few rows a lookup reports are verified against the
watchlist's own columns (memory-mapped), so a hash collision is never reported.

The builder takes record batches one at a time, so 128 million documents stream from the
source into the index without the list ever being held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np
import pyarrow as pa

from indexes.arrow_buffers import as_large_string, string_buffers
from indexes.index_format import IndexFormatError
from indexes.kernels.documents import (
    _bucket_bounds_kernel,
    _bucket_starts_kernel,
    _lookup_fingerprint_kernel,
    _pack_countries_kernel,
)
from indexes.kernels.hashing import _hash_strings_kernel
from indexes.normalize import (
    CONFUSABLES,
    fold_confusables,
    normalize_document_number,
    normalize_document_numbers,
)

FORMAT_VERSION = 4
# At most this many numbers are normalised without Arrow (see _normalized_buffers).
SMALL_BATCH = 16
SEED_FOLDED = 0
SEED_FINGERPRINT = 0x5EED_F1A6
IDENTITY_TABLE = np.arange(256, dtype=np.uint8)
FOLD_TABLE = IDENTITY_TABLE.copy()
for _src, _dst in CONFUSABLES.items():
    FOLD_TABLE[ord(_src)] = ord(_dst)

_FILES = ("keys", "starts", "fingerprints", "countries")


def _row_bits(n: int) -> int:
    return max(1, (n - 1).bit_length())


def _dir_bits(n: int) -> int:
    # About 8 keys per bucket; at least 2**4 buckets, at most 2**28.
    return min(28, max(4, (max(n, 1) - 1).bit_length() - 3))


def _normalized_buffers(values: pa.Array | pa.ChunkedArray | Sequence[str]
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Normalised values (normalize_document_number) as kernel buffers (data, int64 offsets).
    A few values (a partner check's passengers) skip Arrow: its casts cost tens of
    microseconds per call whatever the length, more than the whole lookup."""
    if len(values) > SMALL_BATCH:
        return string_buffers(normalize_document_numbers(as_large_string(values)))
    items = values.to_pylist() if isinstance(values, (pa.Array, pa.ChunkedArray)) else values
    norm = [normalize_document_number(v).encode("ascii") if v else b"" for v in items]
    # accumulate, not np.cumsum: numpy's conversion of a short list costs 5x the sum.
    offsets = np.array([0, *accumulate(len(b) for b in norm)], dtype=np.int64)
    data = np.frombuffer(b"".join(norm), dtype=np.uint8)  # read-only, like string_buffers
    offsets.flags.writeable = False  # the same Numba types as Arrow's buffers: one compile
    return data, offsets


QueryHashes = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def query_hashes(numbers: pa.Array | Sequence[str], countries: pa.Array | Sequence[str]
                 ) -> QueryHashes:
    """(folded hash, exact fingerprint, packed country, empty flag) of a batch: hashed once
    for every DocumentIndex.lookup (the stolen and lost documents, the documents on persons'
    records), and for building."""
    data, offsets = _normalized_buffers(numbers)
    folded = _hash_strings_kernel(data, offsets, FOLD_TABLE, SEED_FOLDED)
    fingerprint = _hash_strings_kernel(data, offsets, IDENTITY_TABLE, SEED_FINGERPRINT)
    packed = _pack_countries_kernel(*_normalized_buffers(countries))
    empty = np.diff(offsets) == 0
    return folded, fingerprint, packed, empty


class DocumentIndexBuilder:
    """Fill an index batch by batch (rows in the order they are added), then `finish()`."""

    def __init__(self, capacity: int) -> None:
        if capacity > 2**32:
            raise ValueError("DocumentIndex holds at most 2**32 documents")
        self._folded = np.empty(capacity, dtype=np.uint64)
        self._fingerprints = np.empty(capacity, dtype=np.uint64)
        self._countries = np.empty(capacity, dtype=np.uint32)
        self._n = 0

    def add(self, numbers: pa.Array | Sequence[str], countries: pa.Array | Sequence[str]) -> None:
        folded, fingerprint, packed, _ = query_hashes(numbers, countries)
        if len(folded) != len(packed):
            raise ValueError("numbers and countries must have the same length")
        end = self._n + len(folded)
        if end > len(self._folded):
            raise ValueError(f"more than the announced {len(self._folded)} documents")
        self._folded[self._n:end] = folded
        self._fingerprints[self._n:end] = fingerprint
        self._countries[self._n:end] = packed
        self._n = end

    def finish(self) -> DocumentIndex:
        n = self._n
        row_bits = _row_bits(n)
        dir_bits = _dir_bits(n)
        keys = self._folded[:n]  # reuse the buffer: hash bits then the row, sorted in place
        keys &= np.uint64(((1 << 64) - 1) ^ ((1 << row_bits) - 1))
        keys |= np.arange(n, dtype=np.uint64)
        keys.sort()
        arrays = {
            "keys": keys,
            "starts": _bucket_starts_kernel(keys, dir_bits).astype(np.uint32),
            "fingerprints": self._fingerprints[:n],
            "countries": self._countries[:n],
        }
        return DocumentIndex(arrays, row_bits, dir_bits)


class DocumentIndex:
    def __init__(self, arrays: dict[str, np.ndarray], row_bits: int, dir_bits: int) -> None:
        self._arrays = arrays
        self._row_bits = row_bits
        self._dir_bits = dir_bits
        self._row_mask = np.uint64((1 << row_bits) - 1)
        self._numbers: pa.ChunkedArray | None = None
        self._country_column: pa.ChunkedArray | None = None

    # -- building and storing -------------------------------------------------------------

    @classmethod
    def build(cls, numbers: pa.Array | pa.ChunkedArray | Sequence[str],
              countries: pa.Array | pa.ChunkedArray | Sequence[str]) -> DocumentIndex:
        """Index in one go (small lists, tests); the columns are kept for verification."""
        numbers = _chunked(numbers)
        countries = _chunked(countries)
        if len(numbers) != len(countries):
            raise ValueError("numbers and countries must have the same length")
        builder = DocumentIndexBuilder(len(numbers))
        for number_piece, country_piece in _aligned_chunks(numbers, countries):
            builder.add(number_piece, country_piece)
        index = builder.finish()
        return index.attach(numbers, countries)

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in _FILES:
            np.save(directory / f"{name}.npy", self._arrays[name])
        (directory / "meta.json").write_text(json.dumps({
            "format": FORMAT_VERSION, "documents": len(self), "row_bits": self._row_bits,
            "dir_bits": self._dir_bits}))

    @classmethod
    def open(cls, directory: Path, numbers: pa.ChunkedArray | pa.Array,
             countries: pa.ChunkedArray | pa.Array) -> DocumentIndex:
        """Memory-map a saved index; `numbers`/`countries` are the watchlist's own columns
        (row order of the build), used to verify the rows a lookup reports."""
        directory = Path(directory)
        meta = json.loads((directory / "meta.json").read_text())
        if meta.get("format") != FORMAT_VERSION:
            raise IndexFormatError(f"document index format {meta.get('format')} in "
                                   f"{directory}, this release reads {FORMAT_VERSION}")
        # Plain ndarray views of copy-on-write maps: nothing is written, indexing has no
        # memmap-subclass overhead, and the kernels compiled at build serve them (writable).
        arrays = {name: np.load(directory / f"{name}.npy", mmap_mode="c").view(np.ndarray)
                  for name in _FILES}
        index = cls(arrays, int(meta["row_bits"]), int(meta["dir_bits"]))
        if len(numbers) != len(index):
            raise ValueError(f"index has {len(index)} documents, the columns {len(numbers)}")
        return index.attach(numbers, countries)

    def attach(self, numbers: pa.ChunkedArray | pa.Array,
               countries: pa.ChunkedArray | pa.Array) -> DocumentIndex:
        """Give the index the watchlist columns it verifies reported rows against."""
        self._numbers = _chunked(numbers)
        self._country_column = _chunked(countries)
        return self

    def __len__(self) -> int:
        return len(self._arrays["fingerprints"])

    def index_bytes(self) -> int:
        """Bytes of the index structures, for the memory report."""
        return sum(int(a.nbytes) for a in self._arrays.values())

    # -- lookup -----------------------------------------------------------------------------

    def lookup(self, numbers: pa.Array | Sequence[str], countries: pa.Array | Sequence[str],
               *, hashes: QueryHashes | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(exact_rows, confusable_rows), int64, -1 where none. An empty query country matches
        any country; confusable_rows is set only where there is no exact hit. hashes: the
        batch's query_hashes, when the caller looks it up in more than one index."""
        if len(numbers) != len(countries):
            raise ValueError("numbers and countries must have the same length")
        n = len(numbers)
        if n == 0 or len(self) == 0:
            return np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
        if hashes is None:
            hashes = query_hashes(numbers, countries)
        elif len(hashes[0]) != n:
            raise ValueError("hashes were computed for another batch")
        q_hash, q_fp, q_country, q_empty = hashes
        starts, ends = _bucket_bounds_kernel(q_hash, self._arrays["starts"], self._dir_bits)
        exact, folded = _lookup_fingerprint_kernel(
            q_empty, q_hash, q_fp, q_country, starts, ends, self._arrays["keys"],
            self._row_mask, self._arrays["fingerprints"], self._arrays["countries"])
        hits = np.flatnonzero((exact >= 0) | (folded >= 0))
        if len(hits):
            self._verify(numbers, countries, hits, exact, folded)
        return exact, folded

    def _verify(self, numbers, countries, hits: np.ndarray, exact: np.ndarray,
                folded: np.ndarray) -> None:
        """Check each reported row against the stored number (hits are rare: Python is fine).
        A hash collision, never seen in practice, falls back to a scan of the candidates."""
        for i in hits.tolist():
            query = normalize_document_number(_item(numbers, i))
            q_country = normalize_document_number(_item(countries, i))
            row, is_exact = (int(exact[i]), True) if exact[i] >= 0 else (int(folded[i]), False)
            if self._row_matches(row, query, q_country, is_exact):
                continue
            exact[i], folded[i] = self._slow_lookup(query, q_country)

    def _row_matches(self, row: int, query: str, q_country: str, exact: bool) -> bool:
        if self._numbers is None:
            raise RuntimeError("attach() the watchlist columns before looking up")
        stored = normalize_document_number(self._numbers[row].as_py() or "")
        country = normalize_document_number(self._country_column[row].as_py() or "")
        if q_country and country and q_country != country:
            return False
        if exact:
            return stored == query
        return fold_confusables(stored) == fold_confusables(query)

    def _slow_lookup(self, query: str, q_country: str) -> tuple[int, int]:
        """Every row sharing the query's folded hash bits, verified one by one."""
        q_hash = query_hashes([query], [q_country])[0]
        keys = self._arrays["keys"]
        # Keys are sorted and carry the hash bits above the row bits, so the rows sharing the
        # query's hash bits are one contiguous run: two binary searches, not a pass over the
        # whole list. At 128M documents (37 hash bits) false candidates are no longer rare, and
        # that pass made misses 141,128 lookups/s/core against 8,168,582 at 16M.
        target = q_hash[0] & ~self._row_mask
        lo = int(np.searchsorted(keys, target, side="left"))
        hi = int(np.searchsorted(keys, target | self._row_mask, side="right"))
        rows = sorted(int(k & self._row_mask) for k in keys[lo:hi])
        for kind in (True, False):
            for row in rows:
                if self._row_matches(row, query, q_country, kind):
                    return (row, -1) if kind else (-1, row)
        return -1, -1

    def warmup(self) -> None:
        """Compile the lookup kernels for this index's array types."""
        self.lookup(["WARMUP0"], [""])


def _chunked(values: pa.Array | pa.ChunkedArray | Sequence[str]) -> pa.ChunkedArray:
    if isinstance(values, pa.ChunkedArray):
        return values
    if isinstance(values, pa.Array):
        return pa.chunked_array([values], type=values.type)
    return pa.chunked_array([pa.array(list(values), type=pa.string())], type=pa.string())


def _aligned_chunks(numbers: pa.ChunkedArray, countries: pa.ChunkedArray):
    """Pairs of equally long pieces of the two columns, up to 1M rows each."""
    step = 1 << 20
    for start in range(0, len(numbers), step):
        yield (numbers.slice(start, step).combine_chunks(),
               countries.slice(start, step).combine_chunks())


def _item(values, i: int) -> str:
    value = values[i]
    if isinstance(value, pa.Scalar):
        value = value.as_py()
    return value or ""
