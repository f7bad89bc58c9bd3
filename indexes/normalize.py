"""Normalisation of document numbers and personal names to comparable upper-case ASCII.

Names, one pipeline (`name_variants`), each step tested in tests/indexes/test_normalize.py:
1. NFKC; invisible characters (format/control) removed; apostrophes join, other punctuation
   (hyphens, commas, '<' MRZ fillers) and spaces split words.
2. Cyrillic/Greek look-alike letters folded inside mostly-Latin words (spoofed "Ivаnov").
3. Upper case; ICAO Doc 9303 transliteration of Latin diacritics (Ü -> UE...) for the first
   variant, plain folding (Ü -> U) for the second, so MUELLER, MULLER and MÜLLER all meet.
4. Other scripts to Latin through anyascii, with two script-aware fixes:
   - Arabic: anyascii writes no short vowels (محمد -> MHMD) and an apostrophe/backtick for
     hamza and ayn; a word-initial one becomes A (علي -> ALY, not LY; عمر -> AMR, not the title
     MR), the article ال is split off as the particle AL. The vowel-less tokens then meet their
     vowelled romanisations on the consonant skeleton (indexes/phonetic.py: MHMD ~ MUHAMMAD).
   - Chinese/Korean: anyascii glues syllables (毛泽东 -> MAOZEDONG); a word of ideographs or
     Hangul becomes surname syllable + the rest joined (MAO ZEDONG, WANG WEI, KIM JEONGEUN).
5. Titles and generational suffixes dropped; particles kept (the scorer weighs them low).
6. Arabic "servant of" names unified: ABDUL RAHMAN, ABD AL RAHMAN, ABDEL RAHMAN,
   ABDULRAHMAN and ABDURRAHMAN all become ABDRAHMAN (the article is assimilated in speech,
   so romanisations disagree on it).
"""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
from anyascii import anyascii

from indexes import translit_model
from indexes.arrow_buffers import string_buffers
from indexes.kernels.documents import _normalize_ascii_kernel

LEARNED_VARIANTS = 3  # learned Latin spellings tried per native-script name

# ---------------------------------------------------------------- document numbers

# Look-alike characters of machine-read / hand-typed document numbers, folded to one canonical
# character. Only O goes to 0 (D and Q are distinct enough on real documents).
CONFUSABLES: dict[str, str] = {"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"}
_CONFUSABLE_TABLE = str.maketrans(CONFUSABLES)
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalize_document_number(s: str) -> str:
    """Upper case, keep only A-Z0-9 (drops spaces, hyphens, '<', dots, slashes...).

    NFKC first so full-width digits count; upper-casing is ASCII-only so the result equals the
    vectorised Arrow version (normalize_document_numbers) byte for byte."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", s).translate(_ASCII_UPPER))


def fold_confusables(s: str) -> str:
    """Fold look-alikes of an already normalised number (see CONFUSABLES)."""
    return s.translate(_CONFUSABLE_TABLE)


def normalize_document_numbers(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Vectorised normalize_document_number over an Arrow string array (nulls become "").
    Returns a large_string array (int64 offsets: 128M numbers exceed 2 GiB of characters).
    A few values are cheaper through the per-string twin: see
    document_index._normalized_buffers."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    arr = pc.fill_null(values.cast(pa.large_string()), "")
    other = pc.invert(pc.string_is_ascii(arr))
    if len(arr) and pc.any(other).as_py():
        # NFKC of the non-ASCII values (rare) by Python's Unicode database, as the per-string
        # twin does: Arrow's may be newer (it folds U+1CCD6, an outlined A of Unicode 16, to
        # A; Python 3.11's Unicode 14 leaves it), and one number must normalise one way.
        folded = [unicodedata.normalize("NFKC", v) for v in arr.filter(other).to_pylist()]
        arr = pc.replace_with_mask(arr, other, pa.array(folded, type=pa.large_string()))
    data, offsets = _normalize_ascii_kernel(*string_buffers(arr))
    return pa.LargeStringArray.from_buffers(len(arr), pa.py_buffer(offsets), pa.py_buffer(data))


# ---------------------------------------------------------------- names

# ICAO Doc 9303 Part 3 transliteration of Latin characters with diacritics (upper case); the
# remaining diacritics are simply dropped (anyascii), which is what ICAO prescribes too.
ICAO_TRANSLIT: dict[str, str] = {
    "Ä": "AE", "Å": "AA", "Æ": "AE", "Ĳ": "IJ", "Ñ": "N", "Ö": "OE", "Ø": "OE", "Œ": "OE",
    "ẞ": "SS", "Ü": "UE", "Þ": "TH", "Ð": "D", "Đ": "D", "Ł": "L", "Ŀ": "L", "Ħ": "H",
    "Ŧ": "T", "Ŋ": "N",
}
_ICAO_TABLE = str.maketrans(ICAO_TRANSLIT)

# Cyrillic and Greek letters that look like Latin ones; folded only inside mostly-Latin tokens
# (a spoofed "Ivаnov" with a Cyrillic а). Whole Cyrillic or Greek words go through anyascii.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "B", "е": "e", "к": "k", "м": "M", "н": "H", "о": "o", "р": "p", "с": "c",
    "т": "T", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ү": "y", "һ": "h", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y", "Һ": "H", "Ԛ": "Q",
    "Ԝ": "W", "Ӏ": "I",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ι": "i", "κ": "k", "ν": "v",
    "ρ": "p", "υ": "u", "χ": "x", "α": "a",
}
_HOMOGLYPH_TABLE = str.maketrans(HOMOGLYPHS)

TITLES: frozenset[str] = frozenset({
    "MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "SHEIKH", "SHEIK", "SHAIKH", "SHEYKH", "HAJI",
    "HAJJI", "HADJI", "HAJ", "HAJJ", "SIR", "DAME", "LORD", "LADY", "MME", "MLLE", "HERR",
    "FRAU", "SENOR", "SENORA", "SRA", "DON", "DONA", "MULLAH", "MAULANA", "IMAM", "SAYYID",
    "SAYED", "REV", "FR", "GEN", "COL", "CAPT", "MAJ", "LT", "SGT", "ENG", "ING", "ESQ",
})
SUFFIXES: frozenset[str] = frozenset({"JR", "SR", "II", "III", "IV", "JNR", "SNR"})
# Name particles: kept as tokens (they do carry some identity) but the scorer weighs them low.
PARTICLES: frozenset[str] = frozenset({
    "AL", "EL", "BIN", "BN", "BINT", "BINTI", "IBN", "BEN", "ABU", "ABD", "ABDEL", "ULD", "OULD",
    "VAN", "VON", "DER", "DEN", "TER", "TEN", "DE", "DA", "DI", "DO", "DOS", "DAS", "DEL",
    "DELLA", "DELLE", "DU", "DES", "LA", "LE", "LO", "Y", "E", "ST", "MAC", "MC", "O",
})

# Characters that vanish: format controls (ZWSP, ZWJ, ZWNJ, soft hyphen, BOM, bidi marks...).
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs"})
# Apostrophes join (O'BRIEN -> OBRIEN); every other punctuation, symbol or space splits.
_APOSTROPHES = frozenset("'’‘ʼʻ`´′ʹ")
_NON_LETTERS = re.compile(r"[^A-Z]+")


def _clean(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    out = []
    for ch in s:
        if ch in _APOSTROPHES:
            continue
        cat = unicodedata.category(ch)
        if cat in _INVISIBLE_CATEGORIES:
            if ch in "\t\n\r":
                out.append(" ")
            continue
        # '<' (MRZ filler), commas, hyphens, dots, slashes...: token separators.
        out.append(" " if cat[0] in "PZS" else ch)
    return "".join(out)


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def _fold_homoglyphs(word: str) -> str:
    """Fold Cyrillic/Greek look-alikes when the word is mostly Latin letters."""
    if word.isascii():
        return word
    letters = [ch for ch in word if ch.isalpha()]
    latin = sum(1 for ch in letters if _is_latin(ch))
    if latin == len(letters) or latin * 2 <= len(letters):
        return word
    return word.translate(_HOMOGLYPH_TABLE)


def is_arabic(ch: str) -> bool:
    """A character of the Arabic blocks (with the extended and presentation forms)."""
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF \
        or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


def is_cyrillic(ch: str) -> bool:
    """A character of the Cyrillic block."""
    return 0x0400 <= ord(ch) <= 0x04FF


def _is_syllabic_cjk(ch: str) -> bool:
    """Han ideographs and Hangul syllables: one character is one romanised syllable."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xAC00 <= o <= 0xD7AF \
        or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F


_ARABIC_ARTICLE = "\u0627\u0644"  # ال


def _arabic_tokens(word: str) -> list[str]:
    """Arabic word to tokens: article split off, word-initial hamza/ayn read as A."""
    parts = [word]
    if word.startswith(_ARABIC_ARTICLE) and len(word) > 3:
        parts = ["AL", word[2:]]
    out = []
    for part in parts:
        latin = anyascii(part).upper() if part != "AL" else part
        latin = latin.lstrip("'`")
        if latin and len(latin) < len(anyascii(part)) and part != "AL":
            latin = "A" + latin  # the stripped leading hamza/ayn (a vowel carrier)
        out.extend(t for t in _NON_LETTERS.split(latin) if t)
    return out


def _cjk_tokens(word: str) -> list[str]:
    """Surname syllable + given name syllables joined (王伟 -> WANG WEI, 毛泽东 -> MAO ZEDONG)."""
    syllables = [t for ch in word for t in _NON_LETTERS.split(anyascii(ch).upper()) if t]
    if len(syllables) < 2:
        return syllables
    return [syllables[0], "".join(syllables[1:])]


def _word_tokens(word: str, icao: bool) -> list[str]:
    if not word.isascii():
        if all(_is_syllabic_cjk(ch) for ch in word):
            return _cjk_tokens(word)
        if any(is_arabic(ch) for ch in word):
            return _arabic_tokens(word)
    word = _fold_homoglyphs(word).upper()
    if icao:
        word = word.translate(_ICAO_TABLE)
    return [t for t in _NON_LETTERS.split(anyascii(word).upper()) if t]


# ABD + optional vowel + article (L, or a doubled sun letter: ABDURRAHMAN).
_ABD_PREFIX = re.compile(r"^ABD[UEAO]?(?:L|([TDSZRN])(?=\1))")
_ABD_FORMS = frozenset({"ABD", "ABDU", "ABDUL", "ABDEL", "ABDAL", "ABDOL", "ABDUR", "ABDUS",
                        "ABDUD", "ABDUN", "ABDUT", "ABDUZ"})
_ARTICLES = frozenset({"AL", "EL", "UL", "UR", "AR", "AS", "AD", "AN", "AT", "AZ", "US", "ED",
                       "ES", "ER"})


def _unify_abd(tokens: list[str]) -> list[str]:
    """ABD(UL|EL|...) [AL] NAME and their glued forms -> ABD + NAME (see the module doc)."""
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        if t in _ABD_FORMS and i + 1 < n:
            j = i + 1
            if tokens[j] in _ARTICLES and j + 1 < n:
                j += 1
            t = "ABD" + tokens[j]
            i = j
        elif t.startswith("ABD") and len(t) > 5:
            m = _ABD_PREFIX.match(t)
            if m is not None and len(t) - m.end() >= 3:
                t = "ABD" + t[m.end():]
        out.append(t)
        i += 1
    return out


def _drop_titles(tokens: list[str]) -> list[str]:
    kept = [t for t in tokens if t not in TITLES and t not in SUFFIXES]
    return kept if kept else tokens  # a "name" made only of titles is kept as is


def _with_abd_forms(variants: list[list[str]]) -> list[list[str]]:
    """Each variant with its ABD names unified first, then as written: the unified form meets
    the other romanisations, the written one meets the same tokens in reverse order
    (REHMAN ABDUR against ABDUR REHMAN, which unifies to ABDREHMAN)."""
    out: list[list[str]] = []
    for tokens in variants:
        # ABD names are the only multi-token rewrite; test cheaply before the loop.
        if any(t.startswith("ABD") for t in tokens):
            unified = _unify_abd(tokens)
            if unified not in out:
                out.append(unified)
        if tokens not in out:
            out.append(tokens)
    return out


# ASCII fast path: what _clean + _word_tokens amount to on pure ASCII (most watchlist names).
_ASCII_DROPPED = re.compile(r"['`\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# A digit inside a word of a name is an OCR misreading of the letter it looks like (KAR1MOV,
# MUHAMMAD read off a worn MRZ as MUHAMMA0): read it back as that letter. Numbers standing
# alone still split and vanish.
_DIGIT_LETTERS = str.maketrans("0123456789", "OIZEASGTBG")
_DIGIT_LETTERS_L = str.maketrans("0123456789", "OLZEASGTBG")
_WORD_WITH_DIGIT = re.compile(r"[^\W\d_]+\d[^\W_]*|\d+[^\W\d_][^\W_]*")


def _digits_to_letters(s: str, one: str = "I") -> str:
    if not any(ch.isdigit() for ch in s):
        return s
    table = _DIGIT_LETTERS if one == "I" else _DIGIT_LETTERS_L
    return _WORD_WITH_DIGIT.sub(lambda m: m.group().translate(table), s)


# Honorifics that turn up glued inside a squashed name (HAJJIFAIZULLAHKHAN, OMARSHEIKHALI):
# titles are dropped as tokens, so glued in they keep the squashed token from meeting the
# listed names it joins. Only these: short or common-word titles (MR, DON, LADY) would cut
# real names apart.
GLUED_TITLES: tuple[str, ...] = tuple(sorted(
    {"SHEIKH", "SHEIK", "SHAIKH", "SHEYKH", "HAJJI", "HAJI", "HADJI", "MULLAH", "MAULANA",
     "SAYYID", "SAYED"}, key=len, reverse=True))
GLUED_TITLE_REST_MIN = 6  # letters left once the title is out: two names or more


def without_glued_titles(variants: list[list[str]]) -> list[list[str]]:
    """Step 5 (queries only): for a token holding a glued honorific (one of GLUED_TITLES) at
    its start or between two parts of 3 letters or more, with GLUED_TITLE_REST_MIN letters or
    more left, the same variant with the title taken out (HAJJIFAIZULLAHKHAN ->
    FAIZULLAHKHAN, OMARSHEIKHALI -> OMARALI); the variants as given come first."""
    out = [list(v) for v in variants]
    for tokens in variants:
        for i, token in enumerate(tokens):
            cut = _glued_title_cut(token)
            if cut:
                extra = tokens[:i] + [cut] + tokens[i + 1:]
                if extra not in out:
                    out.append(extra)
    return out


def _glued_title_cut(token: str) -> str:
    """token with its first glued honorific taken out ("" when none qualifies)."""
    for title in GLUED_TITLES:
        at = token.find(title)
        while at >= 0:
            head, tail = token[:at], token[at + len(title):]
            if (len(head) + len(tail) >= GLUED_TITLE_REST_MIN and (not head or len(head) >= 3)
                    and (not tail or len(tail) >= 3)):
                return head + tail
            at = token.find(title, at + 1)
    return ""


def name_variants(s: str, learned: bool = True) -> list[list[str]]:
    """Token lists of a name: the ICAO form first, then the plain-folded form if it differs
    (MÜLLER -> [["MUELLER"], ["MULLER"]]). A 1 inside a word is OCR's I or L: both are tried
    (A1-AULAQI -> AI AULAQI, AL AULAQI). learned: add the transliteration model's spellings
    of native-script words (queries; a list's own native-script names are indexed by rule
    only, since its Latin aliases already say how the list spells them)."""
    out = _name_variants_one(_digits_to_letters(s), learned)
    if "1" in s and _WORD_WITH_DIGIT.search(s):
        for v in _name_variants_one(_digits_to_letters(s, "L"), learned):
            if v not in out:
                out.append(v)
    return out


def _name_variants_one(s: str, learned: bool = True) -> list[list[str]]:
    if s.isascii():
        return _with_abd_forms([_drop_titles(
            [t for t in _NON_LETTERS.split(_ASCII_DROPPED.sub("", s).upper()) if t])])
    return _with_abd_forms(_name_variants_general(s, learned))


def _name_variants_general(s: str, learned: bool = True) -> list[list[str]]:
    words = _clean(s).split()
    variants: list[list[str]] = []
    for icao in (True, False):
        tokens = _drop_titles([t for w in words for t in _word_tokens(w, icao)])
        if tokens not in variants:
            variants.append(tokens)
    for tokens in _learned_variants(words) if learned else []:
        if tokens not in variants:
            variants.append(tokens)
    return variants


def _is_native_letter(ch: str) -> bool:
    """A letter of a script the transliteration model knows (Arabic, Cyrillic, Han)."""
    o = ord(ch)
    hangul = 0xAC00 <= o <= 0xD7AF  # syllabic, but the model was not trained on Korean
    return is_arabic(ch) or is_cyrillic(ch) or (_is_syllabic_cjk(ch) and not hangul)


def _learned_variants(words: list[str]) -> list[list[str]]:
    """Step 4b: the LEARNED_VARIANTS likeliest Latin spellings of the name's Arabic, Cyrillic
    and Chinese words (indexes/translit_model.py), rank by rank: a native-script name is
    usually the transliteration of a Latin one (ЗЕРФЮСС -> ZEHRFUSS, not ZERFYUSS)."""
    decoded = [translit_model.decode(w, k=LEARNED_VARIANTS)
               if all(_is_native_letter(ch) for ch in w) else [] for w in words]
    if not any(decoded):
        return []
    out = []
    for rank in range(LEARNED_VARIANTS):
        tokens: list[str] = []
        for w, d in zip(words, decoded, strict=True):
            tokens.extend([d[min(rank, len(d) - 1)]] if d else _word_tokens(w, True))
        out.append(_drop_titles(tokens))
    return out


def normalize_name(s: str) -> list[str]:
    """Tokens of a name as upper-case ASCII (the ICAO form of name_variants)."""
    return name_variants(s)[0]
