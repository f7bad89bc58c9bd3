"""Zero-copy numpy views of Arrow string arrays, for the kernels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def as_large_string(values: pa.Array | pa.ChunkedArray | Sequence[str]) -> pa.Array:
    """One contiguous large_string array (nulls kept); accepts Python sequences too."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array(list(values), type=pa.large_string())
    return values.cast(pa.large_string())


def string_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(data uint8, offsets int32/int64) of a string or large_string array without copying.

    Slices are honoured (the offsets view starts at arr.offset); offsets are not rebased, they
    index straight into data. Null slots must have been filled beforehand (fill_null)."""
    if arr.null_count:
        raise ValueError("string_buffers needs an array without nulls")
    offset_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    _, offsets_buf, data_buf = arr.buffers()
    n = len(arr)
    if offsets_buf is None:
        offsets = np.zeros(n + 1, dtype=offset_type)
    else:
        offsets = np.frombuffer(offsets_buf, dtype=offset_type)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(
        0, dtype=np.uint8)
    # Always read-only (Arrow buffers may or may not be mutable): one Numba type, one compile.
    data.flags.writeable = False
    offsets.flags.writeable = False
    return data, offsets
