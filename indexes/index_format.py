"""The error an index raises when the files on disk were written in another format."""

from __future__ import annotations


class IndexFormatError(ValueError):
    """The index on disk was written by a release with another format. It is derived data:
    indexes.snapshot rebuilds it from the version's own tables."""
