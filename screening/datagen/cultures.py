"""Parsed name pools: cultures, name tokens with native forms and transliteration variants."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from . import pools
from .frequencies import draw
from .script import normalise, to_cyrillic, to_greek

CJK = ("chinese", "japanese", "korean")


@dataclass(frozen=True, slots=True)
class Name:
    """One name token (it may contain spaces, e.g. "Bin Laden", "Abdul Rahman")."""

    latin: str
    native: str | None = None
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Culture:
    code: str
    weight: float
    script: str | None
    nationalities: tuple[str, ...]
    nat_weights: tuple[float, ...]
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    surnames: tuple[Name, ...]
    given_counts: tuple[float, ...]  # P(1 given token), P(2), P(3)
    compound_surname: float  # probability of two surnames (Spanish/Portuguese)
    middle_male: tuple[Name, ...] = field(default=())
    middle_female: tuple[Name, ...] = field(default=())


_GIVEN_COUNTS = {
    "english": (0.55, 0.45), "spanish": (0.55, 0.45), "portuguese": (0.5, 0.5),
    "french": (0.6, 0.4), "german": (0.65, 0.35), "italian": (0.8, 0.2), "turkish": (0.7, 0.3),
    "polish": (0.8, 0.2), "arabic": (0.35, 0.5, 0.15), "persian": (0.8, 0.2),
    "central_asian": (0.85, 0.15), "greek": (0.9, 0.1), "west_african": (0.5, 0.5),
    "indian": (0.85, 0.15),
}
_COMPOUND = {"spanish": 0.85, "portuguese": 0.55}

_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
# Common alternative romanisations of Russian/Central-Asian spellings.
_SLAVIC_RULES = [("ks", "x"), ("kh", "h"), ("iy", "y"), ("yev", "ev"), ("yu", "iu"), ("ya", "ia"),
                 ("zh", "j")]


def _entries(text: str) -> list[str]:
    return [e.strip() for e in re.split(r"[,\n]", text) if e.strip()]


def _syllables(text: str) -> dict[str, str]:
    return dict(pair.split("=") for pair in text.split())


def _greek_upper(text: str) -> str:
    # Greek passports print names in capitals without accents.
    decomposed = unicodedata.normalize("NFD", text.upper())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _auto_variants(code: str, latin: str) -> list[str]:
    out: list[str] = []
    if code == "german" and any(c in latin for c in _UMLAUTS):
        out.append("".join(_UMLAUTS.get(c, c) for c in latin))
    if code in ("arabic",) and latin.startswith("Al-"):
        rest = latin[3:]
        out += [f"Al {rest}", f"Al{rest.lower()}", f"El-{rest}"]
    if code in ("east_slavic", "central_asian"):
        low = latin.lower()
        for pat, rep in _SLAVIC_RULES:
            if pat in low:
                out.append(low.replace(pat, rep, 1).capitalize())
    return out


def parse_name(code: str, entry: str, syllables: dict[str, str] | None) -> Name:
    head, *variants = entry.split("/")
    latin, _, native = head.partition("=")
    latin = latin.strip()
    variants = [v.strip() for v in variants]
    if "-" in latin and syllables is not None:
        parts = latin.lower().split("-")
        native = "".join(syllables[p] for p in parts)
        spaced = [p.capitalize() for p in parts]
        latin = "".join(parts).capitalize()
        variants += [" ".join(spaced), "-".join(spaced)]
    elif syllables is not None and not native:
        native = syllables[latin.lower()]
    if code == "greek" and native:
        native = _greek_upper(native)
    variants += _auto_variants(code, latin)
    # Keep only variants that really differ from the canonical form once normalised.
    seen = {normalise(latin)}
    kept: list[str] = []
    for v in variants:
        key = normalise(v)
        if key and key not in seen:
            seen.add(key)
            kept.append(v)
    return Name(latin, native or None, tuple(kept))


def _parse_list(code: str, text: str, syllables: dict[str, str] | None = None) -> tuple[Name, ...]:
    names: list[Name] = []
    seen: set[str] = set()
    for entry in _entries(text):
        name = parse_name(code, entry, syllables)
        if name.latin + (name.native or "") not in seen:  # duplicates would skew the pools
            seen.add(name.latin + (name.native or ""))
            names.append(name)
    return tuple(names)


@cache
def syllables_of(code: str) -> dict[str, str] | None:
    """Latin syllable -> native character, for the cultures whose given names are built so."""
    text = {"chinese": pools.ZH_SYLLABLES, "korean": pools.KO_SYLLABLES}.get(code)
    return _syllables(text) if text else None


def _build() -> tuple[Culture, ...]:
    out = []
    for code, meta in pools.CULTURE_META.items():
        syl = syllables_of(code)
        nats = [p.split(":") for p in meta["nat"].split()]
        extra = {}
        if code == "vietnamese":
            extra = {"middle_male": _parse_list(code, pools.VI_MIDDLE_MALE),
                     "middle_female": _parse_list(code, pools.VI_MIDDLE_FEMALE)}
        out.append(Culture(
            code=code, weight=float(meta["weight"]), script=meta["script"],
            nationalities=tuple(n for n, _ in nats), nat_weights=tuple(float(w) for _, w in nats),
            male=_parse_list(code, pools.MALE[code], syl),
            female=_parse_list(code, pools.FEMALE[code], syl),
            # Surnames are never split into syllables (Chinese/Korean surnames are one syllable).
            surnames=_parse_list(code, pools.SURNAMES[code]),
            given_counts=_GIVEN_COUNTS.get(code, (1.0,)),
            compound_surname=_COMPOUND.get(code, 0.0),
            **extra,
        ))
    return tuple(out)


CULTURES: tuple[Culture, ...] = _build()
CULTURE_BY_CODE = {c.code: c for c in CULTURES}


@cache
def feminine(code: str, name: Name) -> Name:
    """Feminine surname form where the language inflects it (Karimov -> Karimova)."""
    fn = _FEMININE.get(code)
    if fn is None:
        return name
    new = fn(name.latin)
    if new == name.latin:
        return name
    variants = tuple(dict.fromkeys(fn(v) for v in name.variants if fn(v) != new))
    return Name(new, None, variants)


def _fem_slavic(s: str) -> str:
    low = s.lower()
    if low.endswith(("ov", "ev", "in", "yn")):
        return s + "a"
    if low.endswith(("skiy", "skii")):
        return s[:-4] + "skaya"
    return s


def _fem_polish(s: str) -> str:
    if s.endswith(("ski", "cki", "dzki")):
        return s[:-1] + "a"
    return s


def _fem_greek(s: str) -> str:
    if s.endswith("os"):
        return s[:-2] + "ou"
    if s.endswith(("is", "as", "es")):
        return s[:-1]
    return s


_FEMININE = {"east_slavic": _fem_slavic, "central_asian": _fem_slavic, "polish": _fem_polish,
             "greek": _fem_greek}


def native_of(culture: Culture, name: Name) -> str | None:
    """Native-script form of one token, explicit in the pools or derived by rule."""
    if culture.script is None:
        return None
    if name.native:
        return name.native
    if culture.script == "cyrl":
        return to_cyrillic(name.latin)
    if culture.script == "grek":
        return to_greek(name.latin)
    return None


@dataclass(slots=True)
class PersonName:
    """A generated name, kept as tokens so that variations can be derived from it."""

    culture: Culture
    given: list[Name]
    surname: list[Name]

    @property
    def given_latin(self) -> str:
        return " ".join(n.latin for n in self.given)

    @property
    def surname_latin(self) -> str:
        return " ".join(n.latin for n in self.surname)

    def native_full(self) -> str | None:
        if self.culture.script is None:
            return None
        given = [native_of(self.culture, n) for n in self.given]
        sur = [native_of(self.culture, n) for n in self.surname]
        if None in given or None in sur:
            return None
        if self.culture.code in CJK:
            return "".join(sur) + "".join(given)  # type: ignore[arg-type]
        return " ".join(given + sur)  # type: ignore[arg-type]


def pick_culture(rng: random.Random) -> Culture:
    return rng.choices(CULTURES, cum_weights=_CUM_WEIGHTS)[0]


_CUM_WEIGHTS = []
_acc = 0.0
for _c in CULTURES:
    _acc += _c.weight
    _CUM_WEIGHTS.append(_acc)


def pick_nationality(rng: random.Random, culture: Culture) -> str:
    return rng.choices(culture.nationalities, weights=culture.nat_weights)[0]


def make_name(rng: random.Random, culture: Culture, sex: str) -> PersonName:
    """A person's name; how often each name comes is `frequencies.py`'s model."""
    kind = "female" if sex == "F" else "male"
    if culture.middle_male:  # Vietnamese: middle name + given name
        middle = culture.middle_female if sex == "F" else culture.middle_male
        given = [rng.choice(middle), draw(rng, culture, kind)]
    else:
        k = rng.choices((1, 2, 3)[: len(culture.given_counts)], weights=culture.given_counts)[0]
        given = []
        while len(given) < k:
            g = draw(rng, culture, kind)
            if all(g.latin != x.latin for x in given):
                given.append(g)
    nsur = 2 if rng.random() < culture.compound_surname else 1
    surname = []
    while len(surname) < nsur:
        s = draw(rng, culture, "surname")
        if all(s.latin != x.latin for x in surname):
            surname.append(s)
    if sex == "F":
        surname = [feminine(culture.code, s) for s in surname]
    return PersonName(culture, given, surname)


def namesake_key(surname: str, given_names: str) -> str:
    """Key under which two names are exact namesakes (same normalised surname and given names)."""
    return normalise(surname) + "|" + normalise(given_names)
