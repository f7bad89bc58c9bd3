"""Travel-document numbers: per-country formats and a collision-free allocator.

Every issuing country has a format ("aaddddddd" = 2 letters + 7 digits, upper-case characters
are literal).  The n-th number issued for a country is `format(perm(n))` where `perm` is an
affine bijection modulo the format's capacity, so numbers are unique per country without ever
storing them, look scattered, and any index range is disjoint from any other: the stolen list
uses indices [0, count) and nominal records / clean passengers use the indices after it, so a
clean passenger can never carry a listed number by accident.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

_ALPHABETS = {
    "d": b"0123456789",
    "a": b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "x": b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
}
_ALPHA_NP = {k: np.frombuffer(v, dtype=np.uint8) for k, v in _ALPHABETS.items()}

# Formats modelled on real passports (e.g. UZB AB1234567, FRA 12AB34567, DEU C01X00T47).
FORMATS: dict[str, str] = {
    "GBR": "ddddddddd", "USA": "ddddddddd", "CAN": "aadddddd", "AUS": "addddddd",
    "IRL": "aaddddddd", "NZL": "aadddddd", "ESP": "aaadddddd", "MEX": "adddddddd",
    "COL": "aaddddddd", "ARG": "aaadddddd", "VEN": "ddddddddd", "BRA": "aadddddd",
    "PRT": "aadddddd", "FRA": "ddaaddddd", "BEL": "aadddddd", "CHE": "addddddd",
    "DEU": "Cxxxxxxxx", "AUT": "Pddddddd", "ITA": "aaddddddd", "TUR": "Udddddddd",
    "POL": "aaddddddd", "SYR": "Ndddddddd", "RUS": "ddddddddd", "UKR": "aadddddd",
    "BLR": "aaddddddd", "UZB": "aaddddddd", "KAZ": "Ndddddddd", "KGZ": "aaddddddd",
    "CHN": "Edddddddd", "TWN": "ddddddddd", "HKG": "Hdddddddd", "SGP": "Kddddddda",
    "MYS": "Adddddddd", "GRC": "aaddddddd", "CYP": "Kdddddddd", "NGA": "Adddddddd",
    "GHA": "Gddddddd", "IND": "addddddd", "NPL": "Pdddddddd", "JPN": "aaddddddd",
    "KOR": "Mdddddddd", "PRK": "ddddddddd", "VNM": "addddddd", "AFG": "Pdddddddd",
}
DEFAULT_FORMAT = "adddddddd"  # letter + 8 digits, the most common shape worldwide
MAX_LEN = max(len(f) for f in [*FORMATS.values(), DEFAULT_FORMAT])
_INDEX_LIMIT = 2**31  # keeps a * index + b inside uint64 in the vectorised path


@dataclass(frozen=True)
class NumberFormat:
    country: str
    pattern: str
    capacity: int  # number of distinct numbers the pattern can express
    a: int
    b: int

    @property
    def limit(self) -> int:
        return min(self.capacity, _INDEX_LIMIT)

    def value(self, index: int) -> int:
        return (self.a * index + self.b) % self.capacity

    def format_one(self, index: int) -> str:
        """Scalar twin of `format_many` (used per person; must give identical strings)."""
        if not 0 <= index < self.limit:
            raise ValueError(f"{self.country}: document index {index} exceeds format capacity")
        v = self.value(index)
        chars = []
        for ch in reversed(self.pattern):
            alpha = _ALPHABETS.get(ch)
            if alpha is None:
                chars.append(ch)
            else:
                v, r = divmod(v, len(alpha))
                chars.append(chr(alpha[r]))
        return "".join(reversed(chars))

    def format_many(self, index: np.ndarray) -> np.ndarray:
        """uint8 matrix (len(index), len(pattern)) of ASCII characters."""
        if len(index) and int(index.max()) >= self.limit:
            raise ValueError(f"{self.country}: too many documents for format {self.pattern}")
        v = (index.astype(np.uint64) * np.uint64(self.a) + np.uint64(self.b)) % np.uint64(
            self.capacity
        )
        out = np.empty((len(index), len(self.pattern)), dtype=np.uint8)
        for pos in range(len(self.pattern) - 1, -1, -1):
            ch = self.pattern[pos]
            alpha = _ALPHA_NP.get(ch)
            if alpha is None:
                out[:, pos] = ord(ch)
            else:
                radix = np.uint64(len(alpha))
                out[:, pos] = alpha[(v % radix).astype(np.intp)]
                v //= radix
        return out


def number_format(country: str, seed: int) -> NumberFormat:
    pattern = FORMATS.get(country, DEFAULT_FORMAT)
    capacity = 1
    for ch in pattern:
        capacity *= len(_ALPHABETS.get(ch, b"."))
    # Multiplier near capacity * golden ratio (bounded to 32 bits), made coprime -> bijection.
    a = int(capacity * 0.6180339887) % (2**32 - 5) | 1
    while math.gcd(a, capacity) != 1:
        a += 2
    # crc32, unlike hash(), does not depend on PYTHONHASHSEED.
    b = (zlib.crc32(country.encode()) * 2654435761 + seed * 40503) % capacity
    return NumberFormat(country, pattern, capacity, a, b)


class Allocator:
    """Hands out fresh numbers per country, after the indices used by the stolen list."""

    def __init__(self, seed: int, start: dict[str, int] | None = None) -> None:
        self._seed = seed
        self._next = dict(start or {})
        self._formats: dict[str, NumberFormat] = {}

    def fmt(self, country: str) -> NumberFormat:
        f = self._formats.get(country)
        if f is None:
            f = self._formats[country] = number_format(country, self._seed)
        return f

    def next(self, country: str) -> str:
        i = self._next.get(country, 0)
        self._next[country] = i + 1
        return self.fmt(country).format_one(i)
