"""Exact and look-alike lookup of travel-document numbers against a watchlist.

Index structures: two sorted uint64 key arrays, one for the hash of the normalised number, one
for the hash of the confusable-folded number: 16 bytes per document. Each key keeps the high
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
from indexes.kernels.documents import _verify_matches_kernel
from indexes.kernels.hashing import _hash_strings_kernel
from indexes.normalize import CONFUSABLES, normalize_document_numbers

FORMAT_VERSION = 1
SEED_DOCUMENT = 0
IDENTITY_TABLE = np.arange(256, dtype=np.uint8)
FOLD_TABLE = IDENTITY_TABLE.copy()
for _src, _dst in CONFUSABLES.items():
    FOLD_TABLE[ord(_src)] = ord(_dst)

_FILES = ("exact_keys", "folded_keys")


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


def _packed_sorted_keys(hashes: np.ndarray, row_bits: int) -> np.ndarray:
    high = np.uint64(((1 << 64) - 1) ^ ((1 << row_bits) - 1))
    keys = hashes & high
    keys |= np.arange(len(hashes), dtype=np.uint64)
    keys.sort()
    return keys


class DocumentIndex:
    def __init__(self, table: pa.Table, arrays: dict[str, np.ndarray], row_bits: int) -> None:
        self._row_bits = row_bits
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
        arrays = {
            f"{kind}_keys": _packed_sorted_keys(
                _hash_strings_kernel(data, offsets, table, SEED_DOCUMENT), row_bits)
            for kind, table in (("exact", IDENTITY_TABLE), ("folded", FOLD_TABLE))
        }
        table = pa.table({"number": numbers_arr, "country": countries_arr})
        return cls(table, arrays, row_bits)

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
                        "row_bits": self._row_bits}))

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
        return cls(table, arrays, int(meta["row_bits"]))

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
        q_countries = _normalize_countries(as_large_string(countries))
        q_data, q_offsets = string_buffers(q_numbers)
        qc_data, qc_offsets = string_buffers(q_countries)
        results = []
        for kind, table in (("exact", IDENTITY_TABLE), ("folded", FOLD_TABLE)):
            keys = self._arrays[f"{kind}_keys"]
            q_hash = _hash_strings_kernel(q_data, q_offsets, table, SEED_DOCUMENT)
            lo = np.searchsorted(keys, q_hash & ~self._row_mask, side="left")
            hi = np.searchsorted(keys, q_hash | self._row_mask, side="right")
            results.append(_verify_matches_kernel(
                q_data, q_offsets, qc_data, qc_offsets, lo, hi, keys, self._row_mask,
                *self._number_buffers, *self._country_buffers, table))
        exact, folded = results
        folded[exact >= 0] = -1
        return exact, folded

    def warmup(self) -> None:
        """Compile the lookup kernels for this index's array types."""
        self.lookup(["WARMUP0"], [""])

    def numbers(self) -> pa.Array:
        """The normalised numbers (row order of build())."""
        return self._numbers
