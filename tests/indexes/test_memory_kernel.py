"""The prefetch hint (indexes.kernels.memory) changes no result and types only what it can."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from numba.core.errors import TypingError

from indexes.kernels.memory import prefetch


@njit(cache=False)
def _sum_reading_ahead(values: np.ndarray, at: np.ndarray, ahead: int) -> float:
    total = 0.0
    for k in range(at.shape[0]):
        if k + ahead < at.shape[0]:
            prefetch(values, at[k + ahead])
        total += values[at[k]]
    return total


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float64])
def test_a_prefetched_gather_sums_like_numpy(dtype) -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 1000, 100_000).astype(dtype)
    at = rng.integers(0, len(values), 5_000)
    for ahead in (0, 1, 16, 10_000):
        assert _sum_reading_ahead(values, at, ahead) == float(values[at].sum())


def test_prefetch_wants_a_1d_array_and_an_integer() -> None:
    @njit(cache=False)
    def on_a_float_index(values):
        prefetch(values, 1.5)

    @njit(cache=False)
    def on_a_matrix(values):
        prefetch(values, 0)

    with pytest.raises(TypingError):
        on_a_float_index(np.zeros(4))
    with pytest.raises(TypingError):
        on_a_matrix(np.zeros((2, 2)))
