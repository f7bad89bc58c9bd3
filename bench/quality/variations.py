"""Name variation generators: one function per class, each turning a listed name into the
spelling a passenger record might carry. Deterministic: every draw comes from the `rng` given.

A name is handled as (surname, given_names), both display strings. A generator returns a
`Query` (the passenger's name fields) or None when the class does not apply to that name (no
token to vary, nothing to truncate...), so the caller can pick another listed person.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from anyascii import anyascii


@dataclass(frozen=True)
class Query:
    surname: str = ""
    given_names: str = ""
    full_name: str = ""

    def display(self) -> str:
        """What the engine screens (same rule as Passenger.display_name)."""
        if self.full_name:
            return self.full_name
        return " ".join(p for p in (self.surname, self.given_names) if p)


def _key(text: str) -> str:
    """Comparison key used to check that a variation really changed the name."""
    return " ".join(text.split())


def _tokens(s: str) -> list[str]:
    return s.split()


def _pick_token(rng: random.Random, sur: str, giv: str, min_len: int = 1,
                pred: Callable[[str], bool] | None = None) -> tuple[str, int] | None:
    """A random (part, index) of a token of at least min_len letters satisfying pred."""
    slots = [(part, i) for part, s in (("s", sur), ("g", giv))
             for i, t in enumerate(_tokens(s))
             if sum(c.isalpha() for c in t) >= min_len and (pred is None or pred(t))]
    return rng.choice(slots) if slots else None


def _replace_token(sur: str, giv: str, part: str, i: int, new: str) -> tuple[str, str]:
    toks = _tokens(sur if part == "s" else giv)
    toks[i] = new
    joined = " ".join(t for t in toks if t)
    return (joined, giv) if part == "s" else (sur, joined)


def _token_edit(rng: random.Random, sur: str, giv: str, edit: Callable[[random.Random, str],
                str | None], min_len: int = 3) -> Query | None:
    """Apply `edit` to one random token (trying every token in random order)."""
    slots = [(part, i) for part, s in (("s", sur), ("g", giv)) for i, t in enumerate(_tokens(s))
             if sum(c.isalpha() for c in t) >= min_len]
    rng.shuffle(slots)
    for part, i in slots:
        tok = _tokens(sur if part == "s" else giv)[i]
        new = edit(rng, tok)
        if new is not None and new != tok:
            s2, g2 = _replace_token(sur, giv, part, i, new)
            return Query(s2, g2)
    return None


# ------------------------------------------------------------------ benign

# Common romanisation groups (upper case). Real-world spellings of the same name.
VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("MUHAMMAD", "MOHAMMED", "MOHAMED", "MOHAMMAD", "MUHAMMED", "MOHAMAD", "MUHAMED"),
    ("YUSUF", "YOUSSEF", "YOUSEF", "YUSSUF", "YOUSUF", "YOSEF"),
    ("ALEKSANDR", "ALEXANDER", "ALEXANDR", "OLEKSANDR", "ALEKSANDER"),
    ("AHMED", "AHMAD", "AHMET"), ("HUSSEIN", "HUSAYN", "HUSSAIN", "HOSSEIN", "HUSEIN", "HUSAIN"),
    ("HASSAN", "HASAN", "HASSEN"), ("ABDULLAH", "ABDALLAH", "ABDULLA", "ABDALLA"),
    ("OMAR", "UMAR", "OMER"), ("ALI", "ALY"), ("KHALID", "KHALED", "HALID"),
    ("MAHMOUD", "MAHMUD", "MAHMOOD"), ("MUSTAFA", "MOSTAFA", "MUSTAPHA"),
    ("IBRAHIM", "IBRAHEEM", "EBRAHIM", "IBRAGIM"), ("YUNUS", "YOUNIS", "YUNIS", "YOUNES"),
    ("SULEIMAN", "SULAYMAN", "SULAIMAN", "SOLEIMAN", "SULEYMAN"), ("FAISAL", "FAYSAL", "FAYSSAL"),
    ("SAEED", "SAID", "SAEID"), ("JAMAL", "GAMAL", "DJAMAL"), ("QASIM", "KASIM", "QASSEM", "KASSEM"),
    ("OSAMA", "USAMA", "OUSSAMA"), ("HAMID", "HAMED"), ("RASHID", "RASHEED", "RACHID"),
    ("JAFAR", "JAAFAR", "DJAFAR"), ("ZAKARIA", "ZAKARIYA", "ZAKARIYYA", "ZAKARIAH"),
    ("MUSA", "MOUSSA", "MOUSA"), ("ISA", "ISSA", "EISA"), ("YAHYA", "YAHIA"),
    ("NASSER", "NASIR", "NASER", "NASSIR"), ("KARIM", "KAREEM"), ("ABDUL", "ABDOUL"), ("RAHMAN", "RAHMANE", "REHMAN"), ("HAKIM", "HAKEEM"),
    ("SALEH", "SALIH", "SALAH"), ("HAMZA", "HAMZAH"), ("TAHIR", "TAHER"), ("WALID", "WALEED"),
    ("YASIN", "YASSIN", "YASEEN"), ("MAJID", "MAJEED", "MADJID"), ("ADNAN", "ADNANE"),
    ("ISMAIL", "ISMAEL", "ESMAIL"), ("JALAL", "DJALAL"), ("SAYF", "SAIF", "SEIF"),
    ("HAJI", "HADJI", "HAJJI"), ("ABU", "ABOU"), ("NUR", "NOOR", "NOUR"), ("ZAID", "ZAYD", "ZEID"),
    ("SERGEI", "SERGEY", "SERGIY", "SERHIY"), ("YURI", "YURIY", "IOURI", "JURIJ", "YURY"),
    ("ANDREI", "ANDREY", "ANDRIY"), ("DMITRI", "DMITRY", "DMITRIY", "DMYTRO"),
    ("NIKOLAI", "NIKOLAY", "MYKOLA"), ("ALEKSEI", "ALEKSEY", "ALEXEI", "ALEXEY"),
    ("VIKTOR", "VICTOR"), ("YEVGENY", "EVGENY", "YEVGENIY", "EVGENII", "EVGENIY"),
    ("MIKHAIL", "MIKHAYL", "MICHAIL"), ("GRIGORY", "GRIGORIY", "GRIGORI"), ("MAKSIM", "MAXIM"),
    ("VLADIMIR", "WLADIMIR", "VOLODYMYR"), ("PYOTR", "PETR", "PIOTR"), ("ILYA", "ILIA", "ILJA"),
    ("ARKADY", "ARKADIY", "ARKADI"), ("VALERY", "VALERIY", "VALERI"), ("OLEG", "OLEH"),
    ("IGOR", "IHOR"), ("YAKOV", "IAKOV", "JAKOV"), ("KONSTANTIN", "CONSTANTIN"),
    ("ANATOLY", "ANATOLIY", "ANATOLI"), ("GENNADY", "GENNADIY", "GENNADI"),
    ("MIKHAILOV", "MIHAILOV"), ("ALEKSANDROVICH", "ALEXANDROVICH"), ("VIKTOROVICH", "VICTOROVICH"),
    ("MOHAMMADI", "MUHAMMADI"),
    ("CHOI", "CHOE"), ("KIM", "GIM"), ("PAK", "PARK"), ("RI", "RHEE", "YI"),
    ("CHOL", "CHEOL"), ("JONG", "CHONG"), ("ZHANG", "CHANG"), ("WANG", "WONG"),
    ("CHEN", "CHAN"), ("LIU", "LAU"), ("ZHOU", "CHOU", "CHOW"),
    ("MOHAMMADREZA", "MOHAMMAD REZA"), ("ABDULRAHMAN", "ABDUL RAHMAN", "ABDURRAHMAN"),
)
_VARIANTS: dict[str, tuple[str, ...]] = {}
for _group in VARIANT_GROUPS:
    for _name in _group:
        _VARIANTS[_name] = tuple(dict.fromkeys(x for x in _group if x != _name))


def _match_case(template: str, new: str) -> str:
    return new if template.isupper() else new.capitalize() if template[:1].isupper() else new.lower()


def translit(rng: random.Random, sur: str, giv: str) -> Query | None:
    slot = _pick_token(rng, sur, giv, pred=lambda t: t.upper() in _VARIANTS)
    if slot is None:
        return None
    tok = _tokens(sur if slot[0] == "s" else giv)[slot[1]]
    new = _match_case(tok, rng.choice(_VARIANTS[tok.upper()]))
    return Query(*_replace_token(sur, giv, *slot, new))


# Expanded (German-style) and stripped forms of common Latin diacritics.
_EXPAND = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "ä": "ae", "ö": "oe", "ü": "ue",
           "Å": "AA", "å": "aa", "Ø": "OE", "ø": "oe", "Æ": "AE", "æ": "ae"}
# Diacritics added to a plain name (a passenger record typed with accents the list lacks).
_ADD = {"A": "ÁÀÂÄ", "E": "ÉÈÊË", "I": "ÍÎÏ", "O": "ÓÔÖ", "U": "ÚÛÜ", "N": "Ñ", "C": "Ç",
        "S": "ŞŠ", "Z": "Ž", "G": "Ğ"}


def diacritics(rng: random.Random, sur: str, giv: str) -> Query | None:
    name = sur + "\x00" + giv
    if not name.isascii():
        if any(c in _EXPAND for c in name) and rng.random() < 0.5:
            out = "".join(_EXPAND.get(c, c) for c in name)
        else:
            out = anyascii(name)
    else:
        spots = [i for i, c in enumerate(name) if c.upper() in _ADD]
        if not spots:
            return None
        out_l = list(name)
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
            acc = rng.choice(_ADD[name[i].upper()])
            out_l[i] = acc if name[i].isupper() else acc.lower()
        out = "".join(out_l)
    s2, g2 = out.split("\x00")
    return Query(s2, g2)


def order(rng: random.Random, sur: str, giv: str) -> Query | None:
    if not sur or not giv:
        return None
    # The passenger record has the parts swapped (given names in the surname field).
    return Query(surname=giv.upper(), given_names=sur)


def token_dropped(rng: random.Random, sur: str, giv: str) -> Query | None:
    gs, ss = _tokens(giv), _tokens(sur)
    options = []
    if len(gs) >= 2:
        options += [("g", i) for i in range(1, len(gs))]  # a middle name
    if len(ss) >= 2:
        options += [("s", i) for i in range(1, len(ss))]  # a maternal / second surname
    if not options:
        return None
    part, i = rng.choice(options)
    return Query(*_replace_token(sur, giv, part, i, ""))


PARTICLE_WORDS = ("AL", "EL", "BIN", "IBN", "ABU", "ABD", "VAN", "VON", "DE", "DA", "DOS", "DU",
                  "LA", "LE")
_ARABIC_PARTICLES = ("AL", "EL", "BIN", "IBN", "ABU")


def particles(rng: random.Random, sur: str, giv: str) -> Query | None:
    toks = [(p, i, t) for p, s in (("s", sur), ("g", giv)) for i, t in enumerate(_tokens(s))]
    present = [(p, i, t) for p, i, t in toks if t.upper() in PARTICLE_WORDS]
    # Hyphen-attached only: ELCORO is not EL CORO.
    attached = [(p, i, t) for p, i, t in toks if t.upper().startswith(("AL-", "EL-"))]
    ops = []
    if present:
        ops += ["remove", "attach"]
    if attached:
        ops.append("detach")
    ops.append("add")
    op = rng.choice(ops)
    if op in ("remove", "attach"):
        p, i, t = rng.choice(present)
        part_toks = _tokens(sur if p == "s" else giv)
        if op == "attach" and i + 1 < len(part_toks):
            part_toks[i:i + 2] = [t + part_toks[i + 1]]  # AL HASSAN -> ALHASSAN
        else:
            del part_toks[i]
        joined = " ".join(part_toks)
        return Query(joined, giv) if p == "s" else Query(sur, joined)
    if op == "detach":
        p, i, t = rng.choice(attached)
        rest = t[3:] if t[2:3] == "-" else t[2:]
        return Query(*_replace_token(sur, giv, p, i, f"{t[:2]} {rest}"))
    if not sur:
        return None
    ss = _tokens(sur)
    word = rng.choice(_ARABIC_PARTICLES if rng.random() < 0.6 else PARTICLE_WORDS)
    word = _match_case(ss[0], word)
    glue = " " if rng.random() < 0.7 else ("-" if rng.random() < 0.5 else "")
    return Query(word + glue + sur, giv)


def initials(rng: random.Random, sur: str, giv: str) -> Query | None:
    gs = _tokens(giv)
    if not gs or not sur:
        return None
    if len(gs) >= 2 and rng.random() < 0.5:
        # Keep the first given name, reduce the middle ones (JOHN F KENNEDY).
        new = [gs[0]] + [g[0] for g in gs[1:]]
    else:
        new = [gs[0][0]] + gs[1:]
    return Query(sur, " ".join(new))


TITLES = ("Dr", "Dr.", "Mr", "Mr.", "Sheikh", "Haji", "Prof.", "Mrs", "Sir")
SUFFIXES = ("Jr", "Jr.", "Sr", "III", "II")


def titles(rng: random.Random, sur: str, giv: str) -> Query | None:
    full = f"{sur} {giv}".strip()
    r = rng.random()
    if r < 0.45:
        return Query(full_name=f"{rng.choice(TITLES)} {giv} {sur}".replace("  ", " ").strip())
    if r < 0.8:
        return Query(sur, f"{giv} {rng.choice(SUFFIXES)}".strip())
    return Query(full_name=f"{rng.choice(TITLES)} {full} {rng.choice(SUFFIXES)}")


def punctuation(rng: random.Random, sur: str, giv: str) -> Query | None:
    op = rng.randrange(4)
    if op == 0 and sur and giv:
        return Query(full_name=f"{sur}, {giv}")  # list style SURNAME, Given
    if op == 1 and len(_tokens(sur) + _tokens(giv)) >= 2:
        return Query("-".join(_tokens(sur)) or sur, "-".join(_tokens(giv)) or giv) \
            if len(_tokens(sur)) > 1 or len(_tokens(giv)) > 1 else Query(full_name=f"{sur}-{giv}")
    if op == 2:
        # An apostrophe inside a token (D'SOUZA, MA'MUN) - joins, never splits.
        slot = _pick_token(rng, sur, giv, min_len=4)
        if slot:
            tok = _tokens(sur if slot[0] == "s" else giv)[slot[1]]
            k = rng.randint(1, len(tok) - 2)
            return Query(*_replace_token(sur, giv, *slot, tok[:k] + "'" + tok[k:]))
    dotted = " ".join(t + "." if rng.random() < 0.5 else t for t in _tokens(giv))
    return Query(f"{sur},", dotted + ".") if giv else Query(sur + ".", "")


def squashed(rng: random.Random, sur: str, giv: str) -> Query | None:
    s2 = "".join(_tokens(sur))
    g2 = "".join(_tokens(giv))
    if s2 == sur and g2 == giv:
        return None
    return Query(s2, g2)


def case(rng: random.Random, sur: str, giv: str) -> Query | None:
    op = rng.randrange(3)
    if op == 0:
        return Query(sur.lower(), giv.lower())
    if op == 1:
        return Query(sur.title(), giv.upper())
    flip = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in f"{sur}\x00{giv}")
    s2, g2 = flip.split("\x00")
    return Query(s2, g2)


# ICAO Doc 9303 transliteration for the MRZ (subset: the letters our names carry).
ICAO = {"Ä": "AE", "Å": "AA", "Æ": "AE", "Ö": "OE", "Ø": "OE", "Ü": "UE", "ß": "SS", "Ñ": "N",
        "Þ": "TH", "Ł": "L", "Đ": "D", "Œ": "OE"}


def mrz_name(sur: str, giv: str) -> str:
    """`SURNAME<<GIVEN<NAMES` as printed in an MRZ: ICAO transliteration, fillers for spaces,
    hyphens and apostrophes dropped or turned to fillers."""
    def conv(s: str) -> str:
        s = "".join(ICAO.get(c, c) for c in s.upper())
        s = anyascii(s).upper().replace("'", "")
        return "<".join(re.sub(r"[^A-Z]+", " ", s).split())
    return f"{conv(sur)}<<{conv(giv)}" if giv else conv(sur)


def mrz_translit(rng: random.Random, sur: str, giv: str) -> Query | None:
    return Query(full_name=mrz_name(sur, giv))


# ------------------------------------------------------------------ degraded

_OCR = {"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "G": "6", "Z": "2", "M": "RN",
        "RN": "M", "CL": "D", "D": "CL", "VV": "W", "W": "VV"}


def ocr(rng: random.Random, sur: str, giv: str) -> Query | None:
    def edit(rng: random.Random, tok: str) -> str | None:
        up = tok.upper()
        spots = [(i, k) for k in _OCR for i in range(len(up)) if up.startswith(k, i)]
        if not spots:
            return None
        i, k = rng.choice(spots)
        rep = _OCR[k] if tok[i:i + len(k)].isupper() else _OCR[k].lower()
        return tok[:i] + rep + tok[i + len(k):]
    return _token_edit(rng, sur, giv, edit)


_QWERTY_ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


def _neighbours() -> dict[str, str]:
    pos = {c: (r, i) for r, row in enumerate(_QWERTY_ROWS) for i, c in enumerate(row)}
    out = {}
    for c, (r, i) in pos.items():
        near = [d for d, (r2, i2) in pos.items() if d != c and abs(r2 - r) <= 1
                and (i2 - i if r2 == r else i2 - i + (r2 - r) * 0.5) in (-1, 0, 1, -0.5, 0.5)]
        out[c] = "".join(sorted(near))
    return out


QWERTY_NEIGHBOURS = _neighbours()


def keyboard(rng: random.Random, sur: str, giv: str) -> Query | None:
    def edit(rng: random.Random, tok: str) -> str | None:
        i = rng.choice([k for k, c in enumerate(tok) if c.upper() in QWERTY_NEIGHBOURS])
        rep = rng.choice(QWERTY_NEIGHBOURS[tok[i].upper()])
        return tok[:i] + (rep if tok[i].isupper() else rep.lower()) + tok[i + 1:]
    return _token_edit(rng, sur, giv, edit, min_len=4)


def transposition(rng: random.Random, sur: str, giv: str) -> Query | None:
    def edit(rng: random.Random, tok: str) -> str | None:
        spots = [i for i in range(len(tok) - 1) if tok[i] != tok[i + 1]
                 and tok[i].isalpha() and tok[i + 1].isalpha()]
        if not spots:
            return None
        i = rng.choice(spots)
        return tok[:i] + tok[i + 1] + tok[i] + tok[i + 2:]
    return _token_edit(rng, sur, giv, edit, min_len=4)


def doubled(rng: random.Random, sur: str, giv: str) -> Query | None:
    def edit(rng: random.Random, tok: str) -> str | None:
        doubles = [i for i in range(len(tok) - 1) if tok[i] == tok[i + 1] and tok[i].isalpha()]
        if doubles and rng.random() < 0.6:
            i = rng.choice(doubles)
            return tok[:i] + tok[i + 1:]  # HASSAN -> HASAN
        i = rng.choice([k for k in range(1, len(tok)) if tok[k].isalpha()])
        return tok[:i] + tok[i] + tok[i:]  # KARIMOV -> KARRIMOV
    return _token_edit(rng, sur, giv, edit, min_len=3)


MRZ_CUTS = (39, 31, 30)  # name field of a passport (TD3), visa (MRV-B) and ID card (TD1)


def mrz_truncation(rng: random.Random, sur: str, giv: str) -> Query | None:
    full = mrz_name(sur, giv)
    cuts = [c for c in MRZ_CUTS if len(full) > c]
    if not cuts:
        return None
    cut = rng.choice(cuts)
    return Query(full_name=full[:cut])


# ------------------------------------------------------------------ adversarial

# Latin letter -> Cyrillic / Greek look-alikes.
_HOMOGLYPHS = {"A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "J": "Ј",
               "K": "КΚ", "M": "МΜ", "N": "Ν", "O": "ОΟ", "P": "РΡ", "S": "Ѕ", "T": "ТΤ",
               "X": "ХΧ", "Y": "УΥ", "Z": "Ζ", "a": "а", "c": "с", "e": "е", "i": "і",
               "j": "ј", "o": "оο", "p": "р", "s": "ѕ", "x": "х", "y": "у"}


def homoglyphs(rng: random.Random, sur: str, giv: str) -> Query | None:
    name = f"{sur}\x00{giv}"
    spots = [i for i, c in enumerate(name) if c in _HOMOGLYPHS]
    if not spots:
        return None
    out = list(name)
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
        out[i] = rng.choice(_HOMOGLYPHS[name[i]])
    s2, g2 = "".join(out).split("\x00")
    return Query(s2, g2)


INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u00ad", "\u200e", "\u200f", "\u2060", "\ufeff",
              "\u202a", "\u202c")


def invisible(rng: random.Random, sur: str, giv: str) -> Query | None:
    name = f"{sur}\x00{giv}"
    spots = [i for i in range(1, len(name)) if name[i - 1].isalpha() and name[i].isalpha()]
    if not spots:
        return None
    out = name
    for i in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 3))), reverse=True):
        out = out[:i] + rng.choice(INVISIBLES) + out[i:]
    s2, g2 = out.split("\x00")
    return Query(s2, g2)


def dropped_vowels(rng: random.Random, sur: str, giv: str) -> Query | None:
    def edit(rng: random.Random, tok: str) -> str | None:
        inner = [i for i in range(1, len(tok)) if tok[i].upper() in "AEIOU"]
        if not inner:
            return None
        # One or two vowels go (abjad-style romanisation, MHAMMAD, MHMMAD).
        drop = set(rng.sample(inner, min(len(inner), rng.randint(1, 2))))
        return "".join(c for i, c in enumerate(tok) if i not in drop)
    return _token_edit(rng, sur, giv, edit, min_len=4)


PHONETIC_RULES = (("PH", "F"), ("F", "PH"), ("CK", "K"), ("C", "K"), ("K", "C"), ("Y", "I"),
                  ("I", "Y"), ("OU", "U"), ("U", "OU"), ("KH", "H"), ("J", "DJ"), ("DJ", "J"),
                  ("EE", "I"), ("OO", "U"), ("W", "V"), ("V", "W"), ("Z", "S"), ("Q", "K"),
                  ("X", "KS"), ("SH", "SCH"), ("TCH", "CH"), ("G", "GH"), ("TH", "T"),
                  ("S", "Z"), ("EI", "AY"), ("AI", "EY"))


def phonetic(rng: random.Random, sur: str, giv: str) -> Query | None:
    def edit(rng: random.Random, tok: str) -> str | None:
        up = tok.upper()
        spots = [(i, a, b) for a, b in PHONETIC_RULES for i in range(len(up)) if up.startswith(a, i)]
        if not spots:
            return None
        i, a, b = rng.choice(spots)
        rep = b if tok[i:i + len(a)].isupper() or i == 0 and tok[:1].isupper() and len(a) == 1 \
            else b.lower()
        if i == 0 and tok[:1].isupper() and not tok.isupper():
            rep = b.capitalize()
        return tok[:i] + rep + tok[i + len(a):]
    return _token_edit(rng, sur, giv, edit, min_len=3)


# ------------------------------------------------------------------ registry

Generator = Callable[[random.Random, str, str], "Query | None"]

CLASSES: dict[str, tuple[str, Generator]] = {
    "translit": ("benign", translit), "diacritics": ("benign", diacritics),
    "order": ("benign", order), "token_dropped": ("benign", token_dropped),
    "particles": ("benign", particles), "initials": ("benign", initials),
    "titles": ("benign", titles), "punctuation": ("benign", punctuation),
    "squashed": ("benign", squashed), "case": ("benign", case),
    "mrz_translit": ("benign", mrz_translit),
    "ocr": ("degraded", ocr), "keyboard": ("degraded", keyboard),
    "transposition": ("degraded", transposition), "doubled": ("degraded", doubled),
    "mrz_truncation": ("degraded", mrz_truncation),
    "homoglyphs": ("adversarial", homoglyphs), "invisible": ("adversarial", invisible),
    "dropped_vowels": ("adversarial", dropped_vowels), "phonetic": ("adversarial", phonetic),
}
CROSS_SCRIPT = ("arabic", "russian", "chinese")
GROUPS = ("benign", "degraded", "adversarial", "cross-script")


def apply(cls: str, rng: random.Random, sur: str, giv: str) -> Query | None:
    """Vary (sur, giv) by class `cls`; None when it does not apply or changes nothing."""
    q = CLASSES[cls][1](rng, sur, giv)
    if q is None:
        return None
    before = Query(sur, giv).display()
    if _key(q.display()) == _key(before) and cls != "case":
        return None
    if cls == "case" and q.display() == before:
        return None
    return q


def is_latin_name(text: str) -> bool:
    """True when every letter is Latin (the classes vary Latin-script names)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())
