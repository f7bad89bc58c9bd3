"""Exact and look-alike lookup of travel-document numbers against a watchlist.

Index structures: ONE sorted uint64 key array on the hash of the confusable-folded number (an
exact match is also a folded match, so one probe answers both questions and verification tells
them apart): 8 bytes per document; and a bucket directory on the top hash bits (about 8 keys per
bucket, about 0.5 byte per document), so a lookup reads one directory entry and scans one or two
cache lines instead of binary-searching the whole array (27 dependent cache misses at 128M
documents). Each key keeps the high
bits of the hash and stores the row in its low `row_bits` bits (27 bits at 128M documents, which
leaves 37 hash bits: about one false candidate per thousand lookups). So np.sort (fast) replaces
an argsort plus a permutation array, and rows sharing the hash bits come out ascending. The
normalised numbers and countries live in an Arrow IPC file next to them, memory-mapped, so every
candidate is verified (a collision is never reported).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from indexes.arrow_buffers import as_large_string, string_buffers
from indexes.kernels.documents import (
    _bucket_bounds_kernel,
    _bucket_starts_kernel,
    _lookup_folded_kernel,
)
from indexes.kernels.hashing import _hash_strings_kernel
from indexes.normalize import CONFUSABLES, normalize_document_numbers

FORMAT_VERSION = 3
SEED_DOCUMENT = 0
IDENTITY_TABLE = np.arange(256, dtype=np.uint8)
FOLD_TABLE = IDENTITY_TABLE.copy()
for _src, _dst in CONFUSABLES.items():
    FOLD_TABLE[ord(_src)] = ord(_dst)

_FILES = ("folded_keys", "folded_starts")


def _normalize_countries(values: pa.Array) -> pa.Array:
    # Same normalisation as numbers (upper case A-Z0-9): "d<<" and "D" are both Germany. Few
    # distinct values, so normalise the dictionary only.
    encoded = pc.fill_null(values.cast(pa.large_string()), "").dictionary_encode()
    return normalize_document_numbers(encoded.dictionary).take(encoded.indices)


def _one_chunk(column: pa.ChunkedArray) -> pa.Array:
    # combine_chunks() copies even a single chunk; the memory-mapped file has exactly one.
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _row_bits(n: int) -> int:
    return max(1, (n - 1).bit_length())


def _dir_bits(n: int) -> int:
    # About 8 keys per bucket; at least 2**4 buckets, at most 2**28 (1 GiB of int32 starts).
    return min(28, max(4, (max(n, 1) - 1).bit_length() - 3))


def _packed_sorted_keys(hashes: np.ndarray, row_bits: int) -> np.ndarray:
    high = np.uint64(((1 << 64) - 1) ^ ((1 << row_bits) - 1))
    keys = hashes & high
    keys |= np.arange(len(hashes), dtype=np.uint64)
    keys.sort()
    return keys


class DocumentIndex:
    def __init__(self, table: pa.Table, arrays: dict[str, np.ndarray], row_bits: int,
                 dir_bits: int) -> None:
        self._row_bits = row_bits
        self._dir_bits = dir_bits
        self._row_mask = np.uint64((1 << row_bits) - 1)
        self._table = table
        self._numbers = _one_chunk(table.column("number"))
        self._countries = _one_chunk(table.column("country"))
        self._number_buffers = string_buffers(self._numbers)
        self._country_buffers = string_buffers(self._countries)
        self._arrays = arrays

    @classmethod
    def build(cls, numbers: pa.Array | Sequence[str],
              countries: pa.Array | Sequence[str]) -> DocumentIndex:
        numbers_arr = normalize_document_numbers(as_large_string(numbers))
        countries_arr = _normalize_countries(as_large_string(countries))
        if len(numbers_arr) != len(countries_arr):
            raise ValueError("numbers and countries must have the same length")
        if len(numbers_arr) > 2**32:
            raise ValueError("DocumentIndex holds at most 2**32 documents")
        row_bits = _row_bits(len(numbers_arr))
        data, offsets = string_buffers(numbers_arr)
        dir_bits = _dir_bits(len(numbers_arr))
        keys = _packed_sorted_keys(
            _hash_strings_kernel(data, offsets, FOLD_TABLE, SEED_DOCUMENT), row_bits)
        arrays = {"folded_keys": keys,
                  "folded_starts": _bucket_starts_kernel(keys, dir_bits).astype(np.uint32)}
        table = pa.table({"number": numbers_arr, "country": countries_arr})
        return cls(table, arrays, row_bits, dir_bits)

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in _FILES:
            np.save(directory / f"{name}.npy", self._arrays[name])
        with pa.OSFile(str(directory / "documents.arrow"), "wb") as sink:
            with pa.ipc.new_file(sink, self._table.schema) as writer:
                writer.write_table(self._table, max_chunksize=max(1, len(self._table)))
        (directory / "meta.json").write_text(
            json.dumps({"format": FORMAT_VERSION, "documents": len(self),
                        "row_bits": self._row_bits, "dir_bits": self._dir_bits}))

    @classmethod
    def open(cls, directory: Path) -> DocumentIndex:
        directory = Path(directory)
        meta = json.loads((directory / "meta.json").read_text())
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported document index format {meta.get('format')}")
        # Copy-on-write maps: nothing is ever written, but the arrays are typed writable, so the
        # kernels compiled for a freshly built index serve an opened one (no second compile).
        arrays = {name: np.load(directory / f"{name}.npy", mmap_mode="c") for name in _FILES}
        source = pa.memory_map(str(directory / "documents.arrow"), "r")
        table = pa.ipc.open_file(source).read_all()  # zero-copy over the memory map
        return cls(table, arrays, int(meta["row_bits"]), int(meta["dir_bits"]))

    def __len__(self) -> int:
        return len(self._numbers)

    def lookup(self, numbers: Sequence[str],
               countries: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(exact_rows, confusable_rows), int64, -1 where none. An empty query country matches
        any country; confusable_rows is set only where there is no exact hit."""
        if len(numbers) != len(countries):
            raise ValueError("numbers and countries must have the same length")
        n = len(numbers)
        if n == 0 or len(self) == 0:
            return np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
        q_numbers = normalize_document_numbers(as_large_string(numbers))
        # A query batch is small: normalise directly (the build dictionary-encodes instead).
        q_countries = normalize_document_numbers(as_large_string(countries))
        q_data, q_offsets = string_buffers(q_numbers)
        qc_data, qc_offsets = string_buffers(q_countries)
        q_hash = _hash_strings_kernel(q_data, q_offsets, FOLD_TABLE, SEED_DOCUMENT)
        keys = self._arrays["folded_keys"]
        starts, ends = _bucket_bounds_kernel(q_hash, self._arrays["folded_starts"],
                                             self._dir_bits)
        return _lookup_folded_kernel(
            q_data, q_offsets, qc_data, qc_offsets, q_hash, starts, ends, keys, self._row_mask,
            *self._number_buffers, *self._country_buffers, FOLD_TABLE)

    def warmup(self) -> None:
        """Compile the lookup kernels for this index's array types."""
        self.lookup(["WARMUP0"], [""])

    def index_bytes(self) -> int:
        """Bytes of the index structures (keys and directories), for the memory report."""
        return sum(int(a.nbytes) for a in self._arrays.values())

    def numbers(self) -> pa.Array:
        """The normalised numbers (row order of build())."""
        return self._numbers
