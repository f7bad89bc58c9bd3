"""Script helpers: normalisation and rule-based Latin -> Cyrillic / Greek transliteration.

The rules invert the romanisations used in `pools.py` (BGN-like for Russian, ELOT-like for
Greek).  They are not linguistically perfect, but they produce the strings a screening engine
meets in practice: a native-script name whose romanisation is close to, not equal to, the
Latin record.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

_NON_ALPHA = re.compile(r"[^A-Z]+")


@lru_cache(maxsize=1 << 18)  # names repeat a lot; this is the per-person hot path
def normalise(text: str) -> str:
    """Upper-case ASCII letters separated by single spaces (the namesake comparison key)."""
    return _NON_ALPHA.sub(" ", anyascii(text).upper()).strip()


def strip_diacritics(text: str) -> str:
    """`Müller` -> `Muller`, `Nguyễn` -> `Nguyen`; keeps case and punctuation."""
    return anyascii(text)


_VOWELS = set("aeiouy")

# Longest patterns first; "y" is decided by context in `to_cyrillic`.
_CYR_MULTI = [
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"),
]
_CYR_SINGLE = {
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у",
    "f": "ф", "h": "х", "j": "дж", "q": "к", "x": "кс", "w": "в", "c": "к",
}


@lru_cache(maxsize=1 << 16)
def to_cyrillic(latin: str) -> str:
    """Romanised Russian/Ukrainian/Uzbek name -> Cyrillic, word by word, capitalised."""
    return " ".join(_cyr_word(w) for w in latin.split())


def _cyr_word(word: str) -> str:
    w = anyascii(word).lower()
    out: list[str] = []
    i = 0
    while i < len(w):
        if w.startswith("iy", i) and i + 2 == len(w):
            out.append("ий")
            i += 2
            continue
        if w.startswith("yy", i) and i + 2 == len(w):
            out.append("ый")
            i += 2
            continue
        for lat, cyr in _CYR_MULTI:
            if w.startswith(lat, i):
                # "ye" after a consonant is a plain е; at the start or after a vowel it is е too
                out.append(cyr)
                i += len(lat)
                break
        else:
            ch = w[i]
            if ch == "y":
                prev = w[i - 1] if i else ""
                out.append("й" if prev in _VOWELS else "ы")
            elif ch == "e" and i == 0:
                out.append("э")
            else:
                out.append(_CYR_SINGLE.get(ch, ch))
            i += 1
    res = "".join(out)
    return res[:1].upper() + res[1:]


_GREEK_MULTI = [
    ("th", "Θ"), ("ch", "Χ"), ("ps", "Ψ"), ("ks", "Ξ"), ("ph", "Φ"), ("ou", "ΟΥ"),
]
_GREEK_SINGLE = {
    "a": "Α", "b": "Β", "v": "Β", "g": "Γ", "d": "Δ", "e": "Ε", "z": "Ζ", "i": "Ι", "k": "Κ",
    "l": "Λ", "m": "Μ", "n": "Ν", "x": "Ξ", "o": "Ο", "p": "Π", "r": "Ρ", "s": "Σ", "t": "Τ",
    "y": "Υ", "f": "Φ", "h": "Χ", "c": "Κ", "j": "Ζ", "u": "ΟΥ", "w": "Ω", "q": "Κ",
}


@lru_cache(maxsize=1 << 16)
def to_greek(latin: str) -> str:
    """Romanised Greek -> upper-case Greek without accents, as printed in Greek passports."""
    w = anyascii(latin).lower()
    out: list[str] = []
    i = 0
    while i < len(w):
        for lat, gr in _GREEK_MULTI:
            if w.startswith(lat, i):
                out.append(gr)
                i += len(lat)
                break
        else:
            out.append(_GREEK_SINGLE.get(w[i], w[i].upper()))
            i += 1
    return "".join(out)
