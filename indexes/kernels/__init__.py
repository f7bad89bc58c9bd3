"""Numba kernels. Private, array-in/array-out; the public wrappers live in the index modules."""
