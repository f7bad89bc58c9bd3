"""Consonant-skeleton phonetic classes (a simple Soundex/Metaphone cousin for names written in
many transliterations: MUHAMMAD / MOHAMED / MOHAMMED -> MT, YUSUF / YOUSSEF / JUSUF -> JSF).

The skeleton is: first letter through FIRST, later letters through REST (None = dropped),
PH read as F, consecutive equal codes collapsed even across dropped letters."""

from __future__ import annotations

import numpy as np

_CLASSES: dict[str, str] = {
    "B": "P", "P": "P", "C": "K", "G": "K", "K": "K", "Q": "K", "D": "T", "T": "T",
    "F": "F", "V": "F", "J": "J", "L": "L", "M": "M", "N": "N", "R": "R", "S": "S", "Z": "S",
    "X": "S",
}
REST: dict[str, str | None] = {
    **{ch: None for ch in "AEIOUHWY"}, **_CLASSES,
}
FIRST: dict[str, str | None] = {
    **{ch: "A" for ch in "AEIOU"}, "H": "H", "W": "F", "Y": "J", **_CLASSES,
}


def phonetic_tables() -> tuple[np.ndarray, np.ndarray]:
    """(first, rest) as 256-entry uint8 lookup tables for the kernels (0 = dropped)."""
    first = np.zeros(256, dtype=np.uint8)
    rest = np.zeros(256, dtype=np.uint8)
    for table, mapping in ((first, FIRST), (rest, REST)):
        for ch, code in mapping.items():
            table[ord(ch)] = ord(code) if code else 0
    return first, rest
