"""Data plane of the screening service: normalisation, Numba kernels, document and name indexes."""
