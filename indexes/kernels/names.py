"""Name kernels: phonetic keys, blocking keys, token-assignment name score, batch scorer and
candidate gathering. Tokens are upper-case ASCII bytes addressed as (buffer, start, length).
"""

from __future__ import annotations

import mmap

import numpy as np
from numba import njit

from indexes.kernels.hashing import _hash_bytes_kernel
from indexes.kernels.memory import prefetch
from indexes.kernels.strings import (
    EDIT_MAX_LEN_DIFF,
    EDIT_MIN_LEN,
    SHORT_SLIP_MAX_COST,
    SHORT_SLIP_MIN_LEN,
    _edit_similarity_above_kernel,
    _edit_similarity_kernel,
    _jaro_winkler_ceiling_kernel,
    _jaro_winkler_core_kernel,
    _substitution_cost_kernel,
)
from indexes.numba_config import JIT, LEAF

# Key spaces (hash seeds). Exact tokens and their deletion variants share one space on purpose:
# a query token with a letter dropped then equals a deletion key of the listed token (SymSpell).
SEED_SPELLING = 1
SEED_PHONETIC = 2
SEED_FOLD = 3  # spelling folds (_spelling_fold_kernel): MOUSA / MUSA, ALEXEI / ALEKSEY
MIN_DELETE_LEN = 4  # shorter tokens get no deletion keys (their 2-letter keys would match anything)
MIN_PHONETIC_LEN = 2  # skeletons shorter than this are neither keys nor evidence
# Listed tokens also key their skeleton with one consonant left out, when it keeps 3 or more:
# a query that lost a consonant (MERIS for MERRICKS, JODAN for JOURDAN: a romanisation back
# from Chinese drops them) then meets it on its own skeleton.
SKELETON_DELETE_MIN = 4
# Listed tokens also key their consonants alone (JSPH for JOSEPH, HMD for AHMAD): a query
# written without vowels meets them through its exact or deletion keys.
CONSONANTS_MIN_LEN = 2
# Tokens longer than PREFIX_LEN also get the key of their first PREFIX_LEN letters (spelling key
# space), so glued names meet their parts: ABDULRAHMAN / ABDUL, JOSELUIS / JOSE.
PREFIX_LEN = 4
# Query tokens this long also get the key of their first GLUE_PREFIX_LEN letters (query side
# only): squashed PAKYONG meets PAK of PAK YONG.
GLUE_MIN_LEN = 5  # KILSU meets KIL of KIL SU, NURAL meets NUR of NUR AL DIN
GLUE_PREFIX_LEN = 3

# Token similarity.
INITIAL_SIM = 0.95  # "M" against "MUHAMMAD": consistent, and weighed low (INITIAL_WEIGHT)
PHONETIC_SIM = 0.9  # same consonant skeleton: MOHAMED / MUHAMMAD, YOUSSEF / YUSUF
PHONETIC_MIN_JW = 0.7  # 2-letter skeletons are weak evidence: also require some spelling likeness
SQUASH_MIN = 0.9  # JOSELUIS against JOSE+LUIS must be this close to count
CEILING_MARGIN = 1e-9  # a length-based bound at the threshold itself is not trusted to skip
MAX_GLUED = 6  # record tokens one squashed query token may stand for (SALEHISAMOHAMED)
GLUE_LEN_SLACK = 2  # letters a squash of 3+ tokens may lose or gain
# A query's last token cut short (MRZ name fields are 39, 31 or 30 characters: KARIMOV<<MUHAM)
# that is the start of a listed token: nearly as good as the whole token.
PREFIX_SIM = 0.95
# The prefix minimum (q_prefix) of a query token an MRZ name field cut (the name fills the
# field exactly): such a token of PREFIX_LEN letters or more that starts the record token
# matches at 1.0, since the document had no room for the rest (VLADIMIROV for VLADIMIROVICH);
# shorter cut tokens, and prefixes of typed names (a guess at a cut), at PREFIX_SIM.
MRZ_CUT_PREFIX_MIN = 2
# Credit of a pair: sim^2 ramped from 0 at CREDIT_LOW to full at CREDIT_HIGH, so weak Jaro-Winkler
# likeness (common between unrelated names) earns nothing and one typo still costs visibly.
CREDIT_LOW = 0.7
CREDIT_HIGH = 0.85
UNMATCHED_RECORD_COST = 0.1  # a listed middle name missing from the query costs a little
# A match in which no name meets a name (every pair an initial, or a letter against a letter)
# scores at most this: SAKR T against a listed alias S TRQ D scored 0.873, above the engine's
# search floor, on two initials. Below name_min_score, so such a match is never reported.
INITIALS_ONLY_MAX = 0.5
# Added to _credit_bound_kernel's bound: its iteration stops within rounding of the best ratio.
CREDIT_BOUND_MARGIN = 1e-9
# ... and it runs only where the plain bound keeps at most this many times max_candidates: a
# crowd (thousands of namesakes of a common name) is cut by information shared, as before,
# instead of paying the credit bound on every one of them (that doubled the candidate step at
# the engine's floor in bench/kernels/test_names_1m_bench.py: 250 against 118 ms per batch).
CREDIT_BOUND_MAX_KEPT = 4
# A query token that is itself a name on the list (KNOWN: listed spelled exactly so) and meets a
# record token only by likeness is likelier another name than a misspelling (ALINA / GALINA,
# ROBERTA / ROBERTO, FAN / FANG): its credit is multiplied by the query token's q_fuzzy, which
# the index sets from the token's document frequency (see NameIndex). Misspellings (JAMSHIX,
# FZISAL) are mostly not names at all and keep full credit. A phonetic edge pays half the
# penalty (MOHAMED / MUHAMMAD are both names and one person); exact, initial, prefix and
# squashed edges are exempt: they are not spelling likeness.
# Candidate ranking: a token reached through a spelling or phonetic key (not the same spelling)
# shares this part of its information, so an exact common surname is not crowded out by rarer
# look-alikes (ZHANG WEI among ZHAN WEI, ZHENG WEI...).
FUZZY_INFO_SHARE = 0.5
# ... and one reached only through a loose listed-side key (its consonants alone, its skeleton
# less one consonant) this part: such keys widen the net for cut and vowel-less spellings, and
# a rare token met that loosely must not crowd out a common one met by spelling ('ALI AHMWD:
# the AHMAD of 'ALI AHMAD, not rare tokens whose skeleton is AMT plus one consonant).
LOOSE_INFO_SHARE = 0.1
# ... but when a crowd is cut, this many of the candidates kept go to the highest score bounds
# (ties: lower id) whatever they share: a rare listed spelling met by likeness (ZAKARIYA, for
# a passenger's ZAKARIA) shares half its information or less, so a crowd of common exact
# namesakes (ZAKARIA ALI BEN ...) outranked it while scoring lower: AL-'ALI Zakaria lost
# AL-'ALI Zakariya (0.978 against their 0.966) to the cut on the quality benchmark's list.
BOUND_RESERVE = 16

METHOD_MISSING = 0
METHOD_EXACT = 1
METHOD_JARO_WINKLER = 2
METHOD_INITIAL = 3
METHOD_SQUASHED = 4
METHOD_PHONETIC = 5
METHOD_EDIT = 6  # OCR look-alike / keyboard-neighbour weighted edit distance
METHOD_PREFIX = 7  # truncated query token
METHOD_PARTICLE = 8  # one token is the other with a particle glued on (ALHASSAN / HASSAN)
METHOD_DOUBLED = 9  # same letters once doubled letters collapse (HASSAN / HASAN)
METHOD_VARIANT = 10  # two spellings the list itself gives for one person (AHMED / AHMET)
METHOD_VOWELS_DROPPED = 11  # one token is the other with vowels left out (JSPH / JOSEPH)
METHOD_SPELLING = 12  # the same under romanisation conventions (MOUSA / MUSA, ALY / ALI)
METHOD_ROMANISATION = 13  # one spelling in another script (OMAR / UMAR, romanisation_variants)

# Particles that get glued to the name they precede (AL-HASSAN typed ALHASSAN, VON GONZALEZ
# as VONGONZALEZ): a token starting with one, followed by at least PARTICLE_REST_MIN letters
# or by another particle (DU AL-AMIN typed DUAL-AMIN), also gets the key of the rest, and
# matches the rest at PARTICLE_SIM.
GLUED_PARTICLES = ("AL", "EL", "DA", "DE", "DI", "DU", "LA", "LE", "ABU", "ABD", "BIN", "IBN",
                   "BEN", "VAN", "VON", "DOS", "DEL")
_GLUED_2 = np.array(sorted(ord(p[0]) * 256 + ord(p[1]) for p in GLUED_PARTICLES if len(p) == 2),
                    dtype=np.int64)
_GLUED_3 = np.array(sorted(ord(p[0]) * 65536 + ord(p[1]) * 256 + ord(p[2])
                           for p in GLUED_PARTICLES if len(p) == 3), dtype=np.int64)
PARTICLE_REST_MIN = 4
PARTICLE_SIM = 0.95
# A doubled or collapsed letter is a spelling convention of romanisation, not another name:
# it scores like a near-exact match and is not discounted as a mere likeness.
DOUBLED_SIM = 0.97
OCR_FOLD_SIM = 0.95  # the same once RN/CL/VV read as M/D/W (RNUSA / MUSA): an OCR misreading
# A token written without some or all of its vowels (abjad-style romanisation: JSPH, HSN,
# PTRCK, HBBI for HABIBI), the other letters all there in order: the way the name was
# written, not another name (a final vowel alone only when none is left: IVAN is not IVANA). The
# phonetic skeleton alone (PHONETIC_SIM) is looser: it also folds consonants together. At
# least VOWELS_DROPPED_MIN_LEN letters, or 2 with no vowel at all (MN for MIAN, RZ for REZA:
# an abjad writing). Such a 2-letter token stands for many names (MN: MIAN, MINA, MONA...),
# so when it is itself a listed name (NG) the scorer discounts it like a likeness.
VOWELS_DROPPED_SIM = 0.95
VOWELS_DROPPED_MIN_LEN = 3
VOWELS_DROPPED_ABJAD_LEN = 2
# Two spellings of one name under the conventions romanisations differ by (PH/F, OU/U, OO/U,
# EE/I, DJ/J, GH/G, TH/T, CK/K, KS/X, SCH/SH, TCH/CH; Y/I, W/V, C/K, Q/K, Z/S; doubled
# letters): MA'RUPH / MARUF, MOUSA / MUSA, ALY / ALI. Stricter than the phonetic skeleton
# (vowels and the other consonants must agree), so nearer.
SPELLING_SIM = 0.95
# Alias variants: two alike tokens (VARIANT_MIN_SIM) that different names of one listed person
# use in place of each other are two spellings of one name (ISMAIL / ISMAEL, KASIM / KASSEM),
# not two names that look alike: they score VARIANT_SIM and are not discounted as a likeness.
VARIANT_MIN_SIM = 0.85
VARIANT_MAX_LEN_DIFF = 2  # SCHAFER / SCHUMACHER in two aliases are two names, not spellings
# A spelling (SPELLING_SIM), now that pairs of two look-alike names are dropped (below). Before
# that filter, pairs such as ROBERTS / ROGERS (a maiden name) at 0.95 made 1.9% of the quality
# benchmark's clean travellers outscore misspelled listed names, and 0.90 was the compromise.
VARIANT_SIM = 0.95
# Two spellings of one name are given together by a good share of the records that list the
# rarer one; two names that merely look alike, each common on its own, only by the odd record
# (a maiden name, a second surname, a mistake): on the quality benchmark's list, support /
# min(df) is 0.095 to 1 for AHMET / AHMAD, VOLODYMYR / VLADIMIR, HASSEN / HASSAN, CHOI / CHOE
# and at most 0.003 for CASTILLO / CASTRO, MUHAMMAD / MAHMOUD, HUSSEIN / HASSAN, MARTIN /
# MARTINEZ (df: entries listing the token). Pairs under VARIANT_MIN_SHARE are dropped
# (NameIndex). In a quick quality run that still kept every pair two records give, such
# pairs made 1,220 of the 1,233 clean false alarms at the score 0.8805.
VARIANT_MIN_SHARE = 0.02
VARIANT_MAX_TOKENS = 64  # tokens per record considered (the rare huge alias lists are skipped)
VARIANT_MIN_LEN = 3
# variant_pairs keys: (min(a, b) * n_tokens + max(a, b)) * 2 + kind, kind VARIANT_ALIAS for a
# pair the list's aliases give, VARIANT_ROMANISED for one only the romanisation table gives
# (both score VARIANT_SIM; the method tells the explanation which).
VARIANT_ALIAS = 0
VARIANT_ROMANISED = 1


@njit(**LEAF)
def _glue_kernel(buf, start, length, k, n, out):
    """Write tokens k..k+n-1 back to back into `out` (a squashed-name candidate); returns
    the length written."""
    m = 0
    for x in range(k, k + n):
        for t in range(length[x]):
            out[m] = buf[start[x] + t]
            m += 1
    return m


@njit(**LEAF)
def _record_span_kernel(kind):
    """Record tokens an edge of this kind covers: 0 one, 2 one (two query tokens glued),
    1 two glued record tokens, k >= 3 k glued record tokens."""
    if kind == 1:
        return 2
    if kind >= 3:
        return kind
    return 1


@njit(**LEAF)
def _phonetic_skeleton_kernel(buf, start, end, first_table, rest_table, out):
    """Consonant skeleton of buf[start:end] written to out; returns its length.

    First letter through first_table (vowels -> A, Y -> J), then rest_table maps similar
    consonants to one class and vowels/H/W/Y to 0 (dropped); PH is F, ZH is J, D before J/ZH
    is silent (then the next letter counts as the first); repeats collapse even across dropped
    letters (MUHAMMAD -> M.M.M.D -> MT)."""
    n = 0
    last = 0
    for i in range(start, end):
        c = buf[i]
        # D before J or ZH is silent: DZHAMSHID / DJAMSHID / JAMSHID (Russian and French
        # romanisations of one sound).
        if c == 68 and i + 1 < end and (buf[i + 1] == 74 or (
                buf[i + 1] == 90 and i + 2 < end and buf[i + 2] == 72)):
            continue
        if i == start or (i == start + 1 and buf[start] == 68 and n == 0):
            code = first_table[c]
        elif c == 72 and buf[i - 1] == 80:  # the H of PH: the P was already coded as F
            continue
        else:
            code = rest_table[c]
        if c == 80 and i + 1 < end and buf[i + 1] == 72:  # PH -> F
            code = 70
        if c == 90 and i + 1 < end and buf[i + 1] == 72:  # ZH -> J (ZHUKOV, ZHANNA)
            code = 74
        if code == 0 or code == last:
            continue
        out[n] = code
        n += 1
        last = code
    return n


@njit(**JIT)
def _phonetic_keys_kernel(chars, offsets, first_table, rest_table, ident):
    """Phonetic key (hash of the skeleton, in the phonetic key space) and skeleton length."""
    n = offsets.shape[0] - 1
    keys = np.zeros(n, dtype=np.uint64)
    lens = np.zeros(n, dtype=np.int32)
    width = 1
    for i in range(n):
        width = max(width, offsets[i + 1] - offsets[i])
    scratch = np.empty(width, dtype=np.uint8)
    for i in range(n):
        m = _phonetic_skeleton_kernel(chars, offsets[i], offsets[i + 1], first_table, rest_table,
                                      scratch)
        lens[i] = m
        keys[i] = _hash_bytes_kernel(scratch, 0, m, -1, ident, SEED_PHONETIC)
    return keys, lens


@njit(**LEAF)
def _is_particle_kernel(buf, start, length):
    """Whether buf[start:start+length] is one of GLUED_PARTICLES."""
    if length == 2:
        code = buf[start] * 256 + buf[start + 1]
        for x in _GLUED_2:
            if x == code:
                return True
    elif length == 3:
        code = buf[start] * 65536 + buf[start + 1] * 256 + buf[start + 2]
        for x in _GLUED_3:
            if x == code:
                return True
    return False


@njit(**LEAF)
def _glued_particle_kernel(buf, start, length):
    """Length of the glued particle that token buf[start:start+length] starts with (3-letter
    particles first), 0 when none or when what follows it is neither PARTICLE_REST_MIN
    letters or more nor itself a particle (a chain: DUAL is DU + AL, ABDAL is ABD + AL)."""
    for k in (3, 2):
        rest = length - k
        if rest >= 2 and _is_particle_kernel(buf, start, k) and (
                rest >= PARTICLE_REST_MIN or _is_particle_kernel(buf, start + k, rest)):
            return k
    return 0


@njit(**LEAF)
def _ocr_fold_kernel(buf, start, end, out):
    """buf[start:end] with the multi-letter OCR confusions folded (RN -> M, CL -> D,
    VV -> W) written to out; returns its length (end - start when nothing folded). Both the
    list and the query get the folded key, so YILRNAZ meets YILMAZ and BEMARD meets BERNARD."""
    n = 0
    i = start
    while i < end:
        c = buf[i]
        if i + 1 < end:
            d = buf[i + 1]
            if (c == 82 and d == 78) or (c == 86 and d == 86) or (c == 67 and d == 76):
                out[n] = 77 if c == 82 else (87 if c == 86 else 68)
                n += 1
                i += 2
                continue
        out[n] = c
        n += 1
        i += 1
    return n


@njit(**LEAF)
def _spelling_fold_kernel(buf, start, end, out):
    """buf[start:end] as its sequence of spelling units (_next_spelling_unit_kernel: runs of
    one unit once) written to out; returns its length. Two tokens fold alike exactly when
    _same_spelling_kernel takes them as one spelling."""
    n = 0
    i = start
    c = -1
    while True:
        c, i = _next_spelling_unit_kernel(buf, i, end, c)
        if c == -1:
            return n
        out[n] = c
        n += 1


@njit(**LEAF)
def _consonants_kernel(buf, start, end, out):
    """buf[start:end] without its A/E/I/O/U written to out; returns its length."""
    n = 0
    for i in range(start, end):
        if not _is_vowel_kernel(buf[i]):
            out[n] = buf[i]
            n += 1
    return n


@njit(**JIT)
def _token_keys_kernel(chars, offsets, phon_keys, phon_lens, ident, query_side, first_table,
                       rest_table):
    """Blocking keys of every token: exact, one-deletion variants (len >= MIN_DELETE_LEN),
    prefix (len > PREFIX_LEN), the rest after a glued particle, OCR-folded (when folding
    changes it), phonetic (skeleton len >= MIN_PHONETIC_LEN) and spelling-folded (its own key
    space, always). query_side adds, for query tokens of GLUE_MIN_LEN letters or more, the key
    of their first GLUE_PREFIX_LEN letters: a squashed query token (PAKYONG) then meets the
    short listed token it starts with (PAK), which the scorer glues to the next. The listed
    side (not query_side) adds its consonants alone (CONSONANTS_MIN_LEN or more, when it has
    a vowel) in the spelling space and its skeleton's one-deletion variants (skeletons of
    SKELETON_DELETE_MIN or more) in the phonetic space: one-sided, so the query's own exact,
    deletion and phonetic keys meet them, and a query token does not fan out over every
    skeleton one consonant away; those two are loose keys (LOOSE_INFO_SHARE). The query side
    adds, for tokens of SHORT_SLIP_MIN_LEN to EDIT_MIN_LEN - 1 letters (2 or 3), the keys of
    their spellings one slip away (_slip_keys_kernel), flagged in `loose` so the caller can
    leave them out (a listed spelling looks up none); their hits are not loose. first_table,
    rest_table: the skeleton's (_phonetic_skeleton_kernel). Returns (keys, owner token,
    loose), owner ascending; each token's loose keys come last."""
    n = offsets.shape[0] - 1
    total = 0
    width = 1
    for i in range(n):
        length = offsets[i + 1] - offsets[i]
        width = max(width, length)
        total += 4
        if length >= MIN_DELETE_LEN:
            total += length
        if length > PREFIX_LEN:
            total += 1
        if query_side and length >= GLUE_MIN_LEN:
            total += 1
        if phon_lens[i] >= MIN_PHONETIC_LEN:
            total += 1
        if not query_side:
            total += 1 + phon_lens[i]
        elif SHORT_SLIP_MIN_LEN <= length < EDIT_MIN_LEN:
            total += 27 * length
    keys = np.empty(total, dtype=np.uint64)
    owners = np.empty(total, dtype=np.int64)
    loose = np.zeros(total, dtype=np.bool_)
    folded = np.empty(width, dtype=np.uint8)
    p = 0
    for i in range(n):
        s = offsets[i]
        e = offsets[i + 1]
        keys[p] = _hash_bytes_kernel(chars, s, e, -1, ident, SEED_SPELLING)
        owners[p] = i
        p += 1
        if e - s >= MIN_DELETE_LEN:
            for k in range(s, e):
                keys[p] = _hash_bytes_kernel(chars, s, e, k, ident, SEED_SPELLING)
                owners[p] = i
                p += 1
        if e - s > PREFIX_LEN:
            keys[p] = _hash_bytes_kernel(chars, s, s + PREFIX_LEN, -1, ident, SEED_SPELLING)
            owners[p] = i
            p += 1
        if query_side and e - s >= GLUE_MIN_LEN:
            keys[p] = _hash_bytes_kernel(chars, s, s + GLUE_PREFIX_LEN, -1, ident,
                                         SEED_SPELLING)
            owners[p] = i
            p += 1
        k = _glued_particle_kernel(chars, s, e - s)
        if k > 0:
            keys[p] = _hash_bytes_kernel(chars, s + k, e, -1, ident, SEED_SPELLING)
            owners[p] = i
            p += 1
        m = _ocr_fold_kernel(chars, s, e, folded)
        if m != e - s:
            keys[p] = _hash_bytes_kernel(folded, 0, m, -1, ident, SEED_SPELLING)
            owners[p] = i
            p += 1
        if phon_lens[i] >= MIN_PHONETIC_LEN:
            keys[p] = phon_keys[i]
            owners[p] = i
            p += 1
        m = _spelling_fold_kernel(chars, s, e, folded)
        keys[p] = _hash_bytes_kernel(folded, 0, m, -1, ident, SEED_FOLD)
        owners[p] = i
        p += 1
        if not query_side:
            m = _consonants_kernel(chars, s, e, folded)
            if CONSONANTS_MIN_LEN <= m < e - s:
                keys[p] = _hash_bytes_kernel(folded, 0, m, -1, ident, SEED_SPELLING)
                owners[p] = i
                loose[p] = True
                p += 1
            if phon_lens[i] >= SKELETON_DELETE_MIN:
                m = _phonetic_skeleton_kernel(chars, s, e, first_table, rest_table, folded)
                for k in range(m):
                    keys[p] = _hash_bytes_kernel(folded, 0, m, k, ident, SEED_PHONETIC)
                    owners[p] = i
                    loose[p] = True
                    p += 1
        elif SHORT_SLIP_MIN_LEN <= e - s < EDIT_MIN_LEN:
            p = _slip_keys_kernel(chars, s, e, ident, folded, keys, owners, loose, p, i)
    return keys[:p], owners[:p], loose[:p]


@njit(**LEAF)
def _slip_keys_kernel(chars, s, e, ident, buf, keys, owners, loose, p, owner):
    """Slip keys of a short query token (SHORT_SLIP_MIN_LEN to EDIT_MIN_LEN - 1 letters): the
    exact keys of its spellings one slip away, as the scorer takes them (_token_sim_kernel):
    one letter swapped for one that costs at most SHORT_SLIP_MAX_COST (a neighbouring key, a
    look-alike, a letter of one sound), or two adjacent letters swapped. ZL meets AL, WLI meets
    ALI, IDN meets DIN, where no other key of so short a token reaches. Written from keys[p];
    returns the new p."""
    n = e - s
    for k in range(n):
        buf[k] = chars[s + k]
    for k in range(n):
        x = buf[k]
        for y in range(65, 91):
            if y != x and _substitution_cost_kernel(x, y) <= SHORT_SLIP_MAX_COST:
                buf[k] = y
                keys[p] = _hash_bytes_kernel(buf, 0, n, -1, ident, SEED_SPELLING)
                owners[p] = owner
                loose[p] = True
                p += 1
        buf[k] = x
    for k in range(n - 1):
        x = buf[k]
        y = buf[k + 1]
        if x != y:
            buf[k] = y
            buf[k + 1] = x
            keys[p] = _hash_bytes_kernel(buf, 0, n, -1, ident, SEED_SPELLING)
            owners[p] = owner
            loose[p] = True
            p += 1
            buf[k] = x
            buf[k + 1] = y
    return p


@njit(**LEAF)
def _credit_kernel(sim):
    if sim <= CREDIT_LOW:
        return 0.0
    ramp = min(1.0, (sim - CREDIT_LOW) / (CREDIT_HIGH - CREDIT_LOW))
    return sim * sim * ramp


@njit(**LEAF)
def _token_sim_kernel(a, a_s, a_l, a_phon, a_plen, a_prefix, b, b_s, b_l, b_phon, b_plen,
                      flags_a, flags_b, pm, rows):
    """(similarity, method) of two tokens: the best of Jaro-Winkler, the OCR/keyboard edit
    similarity, a prefix match (query token a of at least a_prefix letters, 0 = not allowed,
    starting b) and the phonetic skeleton. rows: edit-distance scratch (3 * (b_l + 1))."""
    if a_l == b_l and _same_bytes_kernel(a, a_s, b, b_s, a_l):
        return 1.0, METHOD_EXACT
    if a_l == 1 or b_l == 1:
        if a_l > 0 and b_l > 0 and a[a_s] == b[b_s]:
            return INITIAL_SIM, METHOD_INITIAL
        return 0.0, METHOD_JARO_WINKLER
    jw = _jaro_winkler_core_kernel(a[a_s:a_s + a_l], a_l, b[b_s:b_s + b_l], b_l, flags_a,
                                   flags_b, pm)
    best = jw
    method = METHOD_JARO_WINKLER
    # The edit similarity only beats Jaro-Winkler on near-identical tokens of close lengths,
    # and only counts above CREDIT_LOW (a likeness below earns nothing): the distance is
    # worked out only as far as it could still beat both.
    if a_l >= EDIT_MIN_LEN and b_l >= EDIT_MIN_LEN and abs(a_l - b_l) <= EDIT_MAX_LEN_DIFF:
        floor = max(best, CREDIT_LOW)
        ed = _edit_similarity_above_kernel(a, a_s, a_l, b, b_s, b_l, rows, floor)
        if ed > floor:
            best = ed
            method = METHOD_EDIT
    elif a_l == b_l and SHORT_SLIP_MIN_LEN <= a_l < EDIT_MIN_LEN:
        ed = _edit_similarity_kernel(a, a_s, a_l, b, b_s, b_l, rows)
        if ed > best and ed >= 1.0 - SHORT_SLIP_MAX_COST / a_l:
            best = ed
            method = METHOD_EDIT
    if a_l != b_l and _same_collapsed_kernel(a, a_s, a_l, b, b_s, b_l):
        return max(best, DOUBLED_SIM), METHOD_DOUBLED
    # Checked even when a likeness scores higher (ABDOUL / ABDUL, WLADIMIR / VLADIMIR): two
    # spellings of one name are not discounted as a likeness of two names (q_fuzzy).
    if _same_spelling_kernel(a, a_s, a_l, b, b_s, b_l):
        return max(best, SPELLING_SIM), METHOD_SPELLING
    if best < OCR_FOLD_SIM and a_l != b_l and _same_ocr_folded_kernel(a, a_s, a_l, b, b_s, b_l):
        best = OCR_FOLD_SIM
        method = METHOD_EDIT
    if 0 < a_prefix <= a_l < b_l:
        p_sim = 1.0 if a_prefix == MRZ_CUT_PREFIX_MIN and a_l >= PREFIX_LEN else PREFIX_SIM
        if best < p_sim and _same_bytes_kernel(a, a_s, b, b_s, a_l):
            best = p_sim
            method = METHOD_PREFIX
    if best < PARTICLE_SIM and (a_l - b_l == 2 or a_l - b_l == 3 or b_l - a_l == 2
                                or b_l - a_l == 3):
        if a_l > b_l:
            k = _glued_particle_kernel(a, a_s, a_l)
            if k == a_l - b_l and _same_bytes_kernel(a, a_s + k, b, b_s, b_l):
                return PARTICLE_SIM, METHOD_PARTICLE
        else:
            k = _glued_particle_kernel(b, b_s, b_l)
            if k == b_l - a_l and _same_bytes_kernel(b, b_s + k, a, a_s, a_l):
                return PARTICLE_SIM, METHOD_PARTICLE
    if best < VOWELS_DROPPED_SIM and (
            (_vowels_dropped_len_kernel(a, a_s, a_l) and a_l < b_l
             and _vowels_dropped_kernel(a, a_s, a_l, b, b_s, b_l))
            or (_vowels_dropped_len_kernel(b, b_s, b_l) and b_l < a_l
                and _vowels_dropped_kernel(b, b_s, b_l, a, a_s, a_l))):
        return VOWELS_DROPPED_SIM, METHOD_VOWELS_DROPPED
    if (best < PHONETIC_SIM and a_phon == b_phon and a_plen >= MIN_PHONETIC_LEN
            and a_plen == b_plen and (a_plen >= 3 or jw >= PHONETIC_MIN_JW
                                      or _no_vowel_kernel(a, a_s, a_l)
                                      or _no_vowel_kernel(b, b_s, b_l))):
        return PHONETIC_SIM, METHOD_PHONETIC
    return best, method


@njit(**LEAF)
def _same_bytes_kernel(a, a_s, b, b_s, n):
    for t in range(n):
        if a[a_s + t] != b[b_s + t]:
            return False
    return True


@njit(**LEAF)
def _fold_step_kernel(buf, i, end):
    """(letter, next position) reading buf[i] with RN/CL/VV read as M/D/W (_ocr_fold_kernel)."""
    c = buf[i]
    if i + 1 < end:
        d = buf[i + 1]
        if c == 82 and d == 78:
            return 77, i + 2
        if c == 67 and d == 76:
            return 68, i + 2
        if c == 86 and d == 86:
            return 87, i + 2
    return c, i + 1


@njit(**LEAF)
def _same_ocr_folded_kernel(a, a_s, a_l, b, b_s, b_l):
    """True when a and b read the same once both are OCR-folded (_ocr_fold_kernel)."""
    i = a_s
    j = b_s
    a_e = a_s + a_l
    b_e = b_s + b_l
    while i < a_e and j < b_e:
        ca, i = _fold_step_kernel(a, i, a_e)
        cb, j = _fold_step_kernel(b, j, b_e)
        if ca != cb:
            return False
    return i == a_e and j == b_e


@njit(**LEAF)
def _spelling_step_kernel(buf, i, end):
    """(code, next position): the spelling unit at buf[i] under the romanisation
    conventions of SPELLING_SIM (digraphs first; 1 stands for CH, 2 for SH)."""
    c = buf[i]
    d = buf[i + 1] if i + 1 < end else 0
    e = buf[i + 2] if i + 2 < end else 0
    if d == 67 and e == 72 and (c == 84 or c == 83):  # TCH, SCH
        return (1 if c == 84 else 2), i + 3
    if d == 72:  # ?H
        if c == 67:
            return 1, i + 2  # CH
        if c == 83:
            return 2, i + 2  # SH
        if c == 80:
            return 70, i + 2  # PH -> F
        if c == 71 or c == 84:
            return c, i + 2  # GH -> G, TH -> T
    if c == 79 and (d == 85 or d == 79):
        return 85, i + 2  # OU, OO -> U
    if c == 69 and d == 69:
        return 73, i + 2  # EE -> I
    if c == 68 and d == 74:
        return 74, i + 2  # DJ -> J
    if c == 67 and d == 75:
        return 75, i + 2  # CK -> K
    if c == 75 and d == 83:
        return 88, i + 2  # KS -> X
    if c == 89:
        return 73, i + 1  # Y -> I
    if c == 87:
        return 86, i + 1  # W -> V
    if c == 67 or c == 81:
        return 75, i + 1  # C, Q -> K
    if c == 90:
        return 83, i + 1  # Z -> S
    return c, i + 1


@njit(**LEAF)
def _next_spelling_unit_kernel(buf, i, end, last):
    """(code, next position) of the next spelling unit from buf[i] that differs from `last`
    (a run of one unit counts once); code -1 when none is left."""
    while i < end:
        c, i = _spelling_step_kernel(buf, i, end)
        if c != last:
            return c, i
    return -1, i


@njit(**LEAF)
def _same_spelling_kernel(a, a_s, a_l, b, b_s, b_l):
    """True when a and b read the same as sequences of spelling units
    (_spelling_step_kernel), each run of one unit counted once."""
    i = a_s
    j = b_s
    ca = -1
    cb = -1
    while True:
        ca, i = _next_spelling_unit_kernel(a, i, a_s + a_l, ca)
        cb, j = _next_spelling_unit_kernel(b, j, b_s + b_l, cb)
        if ca != cb:
            return False
        if ca == -1:
            return True


@njit(**LEAF)
def _same_collapsed_kernel(a, a_s, a_l, b, b_s, b_l):
    """True when a and b spell the same letters once runs of one letter collapse to one."""
    i = 0
    j = 0
    while i < a_l and j < b_l:
        if a[a_s + i] != b[b_s + j]:
            return False
        c = a[a_s + i]
        while i < a_l and a[a_s + i] == c:
            i += 1
        while j < b_l and b[b_s + j] == c:
            j += 1
    return i == a_l and j == b_l


@njit(**LEAF)
def _vowels_dropped_len_kernel(a, a_s, a_l):
    """Whether token a is long enough to be a vowel-less writing: VOWELS_DROPPED_MIN_LEN
    letters, or VOWELS_DROPPED_ABJAD_LEN with no vowel at all."""
    return a_l >= VOWELS_DROPPED_MIN_LEN or (a_l == VOWELS_DROPPED_ABJAD_LEN
                                             and _no_vowel_kernel(a, a_s, a_l))


@njit(**LEAF)
def _vowels_dropped_kernel(a, a_s, a_l, b, b_s, b_l):
    """True when token a is token b with some of its A/E/I/O/U left out (a shorter than b):
    every letter of b is matched in order or is a vowel passed over. A final vowel of b may
    go alone only when a has no vowel left past its first letter: IVAN / IVANA, ALI / ALIA
    are two names, IRN / IRINA (an abjad form keeps a leading vowel: it is a letter of its
    own) one; with another vowel gone too it is a vowel-less writing, not a shorter name
    (GHLAM / GHOLAMI, MSLEH / MOSLEHI)."""
    i = 0
    for t in range(b_s, b_s + b_l):
        c = b[t]
        if i < a_l and a[a_s + i] == c:
            i += 1
        elif not _is_vowel_kernel(c):
            return False
    if i != a_l:
        return False
    return (a[a_s + a_l - 1] == b[b_s + b_l - 1] or b_l - a_l >= 2
            or _no_vowel_kernel(a, a_s + 1, a_l - 1))


@njit(**LEAF)
def _no_vowel_kernel(buf, start, length):
    """True for a token without A/E/I/O/U: an abjad romanisation (Arabic or Hebrew written
    without short vowels, BLL for BILAL), where the skeleton is all the evidence there is."""
    for t in range(start, start + length):
        if _is_vowel_kernel(buf[t]):
            return False
    return True


@njit(**LEAF)
def _is_vowel_kernel(c):
    """True for the byte of A, E, I, O or U."""
    return c == 65 or c == 69 or c == 73 or c == 79 or c == 85


@njit(**LEAF)
def _glue_ceiling_kernel(q_len, glued_len, k):
    """The highest Jaro-Winkler a token of q_len letters can reach against k tokens of the
    other side glued (glued_len letters; a query token against record tokens, or a record
    token against two query tokens), or -1.0 when the scorer does not weigh that glue: three
    or more glued tokens must keep (nearly) every letter (a squashed name), and lengths too
    far apart for SQUASH_MIN (a short first name against two long ones: most glued pairs) are
    skipped before they are glued."""
    ceiling = _jaro_winkler_ceiling_kernel(q_len, glued_len)
    if ((k > 2 and abs(glued_len - q_len) > GLUE_LEN_SLACK)
            or ceiling < SQUASH_MIN - CEILING_MARGIN):
        return -1.0
    return ceiling


@njit(**LEAF)
def _pair_credit_kernel(sim, method, q_buf, q_s, q_l, q_fuzzy, c_buf, c_s, c_l):
    """Credit of a query token paired with one record token, from their (similarity, method)
    (_token_sim_kernel, _apply_variants_kernel): _credit_kernel of the similarity, discounted
    where the pair is a likeness of two names rather than two spellings of one."""
    cr = _credit_kernel(sim)
    # A query token that is a listed name in its own right (q_fuzzy < 1) and only
    # looks like the record's token, or is it cut short or with some vowels left out
    # while both keep vowels (JULIA / JULIANA, JUAN / JUN, AYUMI / YUMI: two names; an
    # abjad form, MLK / MALIK, is a way of writing one), is a likeness.
    if (method == METHOD_JARO_WINKLER or method == METHOD_EDIT
            or (method == METHOD_PREFIX and sim < 1.0)
            or (method == METHOD_VOWELS_DROPPED
                and ((not _no_vowel_kernel(q_buf, q_s, q_l)
                      and not _no_vowel_kernel(c_buf, c_s, c_l))
                     or q_l < VOWELS_DROPPED_MIN_LEN))):
        cr *= q_fuzzy
    elif method == METHOD_PHONETIC:  # same sound: a romanisation variant as often
        cr *= 0.5 + 0.5 * q_fuzzy
    return cr


@njit(**LEAF)
def _name_score_core_kernel(
    q_buf, q_start, q_len, q_w, q_miss, q_fuzzy, n_q, c_buf, c_start, c_len, c_w, n_c, sim_m,
    meth_m, flags_a, flags_b, pm, concat, e_credit, e_sim, e_kind, e_method, e_i, e_j, used_q, used_c,
    out_choice, out_sim, out_method, out_span, out_den,
):
    """Order-insensitive score of query tokens against candidate tokens, in [0, 1].

    Edges: every (query token, candidate token) pair, every query token against two adjacent
    candidate tokens glued together (JOSELUIS / JOSE LUIS) and every two adjacent query tokens
    against one candidate token (glued edges only when the first letters agree); sim_m/meth_m
    hold the single-token similarities and methods (_token_sim_kernel), precomputed by the
    caller so the batch scorer can reuse them across candidates. Greedy assignment: repeatedly
    take the edge with the highest credit whose tokens are all free (ties: first enumerated).
    Score = sum(credit * pair weight) / (sum(pair weight) + sum of q_miss over unmatched query
    tokens + UNMATCHED_RECORD_COST * unmatched record weight), pair weight = half the weights
    of the tokens in the edge; q_miss (the cost of a query token the record lacks) grows with
    the token's rarity in the list (see NameIndex); at most INITIALS_ONLY_MAX when no pair
    meets two names of two letters or more other than as an initial.
    Per query token: chosen candidate token (-1 none), similarity, method, candidate span;
    out_den[0]: the denominator (the engine re-weighs unmatched record tokens with it)."""
    for i in range(n_q):
        out_choice[i] = -1
        out_sim[i] = 0.0
        out_method[i] = METHOD_MISSING
        out_span[i] = 0
        used_q[i] = False
    for j in range(n_c):
        used_c[j] = False
    out_den[0] = 0.0
    if n_q == 0 or n_c == 0:
        return 0.0
    ne = 0
    for i in range(n_q):
        for j in range(n_c):
            sim = sim_m[i, j]
            method = meth_m[i, j]
            cr = _pair_credit_kernel(sim, method, q_buf, q_start[i], q_len[i], q_fuzzy[i],
                                     c_buf, c_start[j], c_len[j])
            if cr > 0.0:
                e_credit[ne] = cr
                e_sim[ne] = sim
                e_kind[ne] = 0
                e_method[ne] = method
                e_i[ne] = i
                e_j[ne] = j
                ne += 1
    for i in range(n_q):
        if q_len[i] < 2:
            continue
        for j in range(n_c - 1):
            # Glued tokens start like the first one: a cheap filter before Jaro-Winkler.
            if c_len[j] < 2 or q_buf[q_start[i]] != c_buf[c_start[j]]:
                continue
            m = c_len[j]
            for k in range(2, min(MAX_GLUED, n_c - j) + 1):
                if c_len[j + k - 1] < 2:
                    break
                m += c_len[j + k - 1]
                # A longer glue only grows further apart (see _glue_ceiling_kernel).
                if _glue_ceiling_kernel(q_len[i], m, k) < 0.0:
                    if m > q_len[i]:
                        break
                    continue
                _glue_kernel(c_buf, c_start, c_len, j, k, concat)
                sim = _jaro_winkler_core_kernel(q_buf[q_start[i]:q_start[i] + q_len[i]],
                                                q_len[i], concat, m, flags_a, flags_b, pm)
                if sim >= SQUASH_MIN:
                    # Not a squash but a likeness (DANIELA / DANIEL+JOAO): discounted as one.
                    e_credit[ne] = _credit_kernel(sim) * (1.0 if sim >= 1.0 else q_fuzzy[i])
                    e_sim[ne] = sim
                    e_kind[ne] = 1 if k == 2 else k
                    e_method[ne] = METHOD_SQUASHED
                    e_i[ne] = i
                    e_j[ne] = j
                    ne += 1
    for i in range(n_q - 1):
        if q_len[i] < 2 or q_len[i + 1] < 2:
            continue
        m = _glue_kernel(q_buf, q_start, q_len, i, 2, concat)
        for j in range(n_c):
            if c_len[j] < 2 or c_buf[c_start[j]] != concat[0]:
                continue
            if _glue_ceiling_kernel(c_len[j], m, 2) < 0.0:
                continue
            sim = _jaro_winkler_core_kernel(concat, m, c_buf[c_start[j]:c_start[j] + c_len[j]],
                                            c_len[j], flags_a, flags_b, pm)
            if sim >= SQUASH_MIN:
                e_credit[ne] = _credit_kernel(sim) * (
                    1.0 if sim >= 1.0 else min(q_fuzzy[i], q_fuzzy[i + 1]))
                e_sim[ne] = sim
                e_kind[ne] = 2
                e_method[ne] = METHOD_SQUASHED
                e_i[ne] = i
                e_j[ne] = j
                ne += 1
    num = 0.0
    den = 0.0
    named = False  # some pair meets a name with a name, not as an initial
    while True:
        best = -1
        best_credit = 0.0
        for e in range(ne):
            if e_credit[e] <= best_credit:
                continue
            i = e_i[e]
            j = e_j[e]
            kind = e_kind[e]
            if used_q[i] or used_c[j]:
                continue
            if kind == 2 and used_q[i + 1]:
                continue
            span = _record_span_kernel(kind)
            busy = False
            for y in range(j + 1, j + span):
                if used_c[y]:
                    busy = True
            if busy:
                continue
            best = e
            best_credit = e_credit[e]
        if best < 0:
            break
        i = e_i[best]
        j = e_j[best]
        kind = e_kind[best]
        w = q_w[i] + c_w[j]
        used_q[i] = True
        used_c[j] = True
        out_choice[i] = j
        out_sim[i] = e_sim[best]
        out_method[i] = e_method[best]
        out_span[i] = 1
        if kind == 1 or kind >= 3:
            span = _record_span_kernel(kind)
            for y in range(j + 1, j + span):
                w += c_w[y]
                used_c[y] = True
            out_span[i] = span
        elif kind == 2:
            w += q_w[i + 1]
            used_q[i + 1] = True
            out_choice[i + 1] = j
            out_sim[i + 1] = e_sim[best]
            out_method[i + 1] = e_method[best]
            out_span[i + 1] = 1
        w *= 0.5
        num += w * best_credit
        den += w
        if e_method[best] != METHOD_INITIAL and q_len[i] > 1 and c_len[j] > 1:
            named = True
    for i in range(n_q):
        if not used_q[i]:
            den += q_miss[i]
    for j in range(n_c):
        if not used_c[j]:
            den += UNMATCHED_RECORD_COST * c_w[j]
    out_den[0] = max(den, 0.0)
    if den <= 0.0:
        return 0.0
    if not named:
        return min(num / den, INITIALS_ONLY_MAX)
    return num / den


@njit(**JIT)
def _sim_matrix_kernel(q_buf, q_start, q_len, q_phon, q_plen, q_prefix, n_q, c_buf, c_start,
                       c_len, c_phon, c_plen, n_c, flags_a, flags_b, pm, rows, sim_m, meth_m):
    for i in range(n_q):
        for j in range(n_c):
            sim, method = _token_sim_kernel(q_buf, q_start[i], q_len[i], q_phon[i], q_plen[i],
                                            q_prefix[i], c_buf, c_start[j], c_len[j],
                                            c_phon[j], c_plen[j], flags_a, flags_b, pm, rows)
            sim_m[i, j] = sim
            meth_m[i, j] = method


@njit(**JIT)
def _name_score_kernel(q_chars, q_offsets, q_w, q_miss, q_fuzzy, q_phon, q_plen, q_prefix,
                       c_chars, c_offsets, c_w, c_phon, c_plen):
    """Score one query (tokens as CSR over q_chars) against one candidate (same layout).
    Returns (score, choice, sim, method, span) per query token, see the core kernel."""
    n_q = q_offsets.shape[0] - 1
    n_c = c_offsets.shape[0] - 1
    width = 2
    for i in range(n_q):
        width = max(width, q_offsets[i + 1] - q_offsets[i])
    for j in range(n_c):
        width = max(width, c_offsets[j + 1] - c_offsets[j])
    width *= 2 * MAX_GLUED  # glued tokens: concat and Jaro-Winkler flags
    n_edges = max(1, (2 + MAX_GLUED) * n_q * n_c)
    q_start = q_offsets[:-1].copy()
    q_len = q_offsets[1:] - q_offsets[:-1]
    c_start = c_offsets[:-1].copy()
    c_len = c_offsets[1:] - c_offsets[:-1]
    flags_a = np.zeros(width, dtype=np.bool_)
    flags_b = np.zeros(width, dtype=np.bool_)
    pm = np.zeros(256, dtype=np.uint64)
    sim_m = np.zeros((max(n_q, 1), max(n_c, 1)), dtype=np.float64)
    meth_m = np.zeros((max(n_q, 1), max(n_c, 1)), dtype=np.int8)
    rows = np.zeros(3 * (width + 1), dtype=np.float64)
    _sim_matrix_kernel(q_chars, q_start, q_len, q_phon, q_plen, q_prefix, n_q, c_chars, c_start,
                       c_len, c_phon, c_plen, n_c, flags_a, flags_b, pm, rows, sim_m, meth_m)
    out_choice = np.empty(max(n_q, 1), dtype=np.int64)
    out_sim = np.empty(max(n_q, 1), dtype=np.float64)
    out_method = np.empty(max(n_q, 1), dtype=np.int8)
    out_span = np.empty(max(n_q, 1), dtype=np.int8)
    score = _name_score_core_kernel(
        q_chars, q_start, q_len, q_w, q_miss, q_fuzzy, n_q, c_chars, c_start, c_len, c_w, n_c,
        sim_m, meth_m, flags_a, flags_b, pm, np.zeros(width, dtype=np.uint8),
        np.zeros(n_edges, dtype=np.float64), np.zeros(n_edges, dtype=np.float64),
        np.zeros(n_edges, dtype=np.int8), np.zeros(n_edges, dtype=np.int8),
        np.zeros(n_edges, dtype=np.int64), np.zeros(n_edges, dtype=np.int64),
        np.zeros(max(n_q, 1), dtype=np.bool_), np.zeros(max(n_c, 1), dtype=np.bool_),
        out_choice, out_sim, out_method, out_span, np.zeros(1, dtype=np.float64),
    )
    return score, out_choice[:n_q], out_sim[:n_q], out_method[:n_q], out_span[:n_q]


@njit(**JIT)
def _score_pairs_kernel(
    pair_sq, pair_entry,
    q_chars, q_offsets, sq_tok_offsets, q_w, q_miss, q_fuzzy, q_phon, q_plen, q_prefix,
    t_chars, t_offsets, t_w, t_phon, t_plen,
    e_tok_offsets, e_tokens, q_tok, variant_pairs,
):
    """Score many (subquery, entry) pairs in one call. Query tokens form a CSR over q_chars,
    subquery s owns query tokens sq_tok_offsets[s]:sq_tok_offsets[s+1]; entry e owns token ids
    e_tokens[e_tok_offsets[e]:e_tok_offsets[e+1]] into the token table (t_*).

    Candidates of one subquery share many tokens (a surname and its aliases, common first
    names), so token similarities are cached per run of pairs with the same subquery: each
    (query token, index token) similarity is computed once per run.

    Returns (scores, choice, sim, method, span, den): choice to span per pair and query token
    (rows of width max query length), as _name_score_kernel gives them, so explanations need
    no second pass; den per pair, the score's denominator (see _name_score_core_kernel).
    q_tok: per query token its index token id (-1: not a listed spelling), for the variant
    pairs variant_pairs (see _apply_variants_kernel; built by NameIndex; empty: none)."""
    n_pairs = pair_sq.shape[0]
    n_tokens = t_offsets.shape[0] - 1
    scores = np.zeros(n_pairs, dtype=np.float64)
    max_q = 1
    for s in range(sq_tok_offsets.shape[0] - 1):
        max_q = max(max_q, sq_tok_offsets[s + 1] - sq_tok_offsets[s])
    all_choice = np.full((n_pairs, max_q), -1, dtype=np.int64)
    all_sim = np.zeros((n_pairs, max_q), dtype=np.float64)
    all_method = np.zeros((n_pairs, max_q), dtype=np.int8)
    all_span = np.zeros((n_pairs, max_q), dtype=np.int8)
    all_den = np.zeros(n_pairs, dtype=np.float64)
    den = np.zeros(1, dtype=np.float64)
    if n_pairs == 0:
        return scores, all_choice, all_sim, all_method, all_span, all_den
    # Scratch sized once for the whole batch.
    max_c = 1
    width = 2
    for i in range(q_offsets.shape[0] - 1):
        width = max(width, q_offsets[i + 1] - q_offsets[i])
    cache_rows = 0
    run_rows = 0
    run_pairs = 0
    max_run = 1
    for p in range(n_pairs):
        if p > 0 and pair_sq[p] != pair_sq[p - 1]:
            run_rows = 0
            run_pairs = 0
        run_pairs += 1
        max_run = max(max_run, run_pairs)
        e = pair_entry[p]
        max_c = max(max_c, e_tok_offsets[e + 1] - e_tok_offsets[e])
        run_rows += e_tok_offsets[e + 1] - e_tok_offsets[e]
        cache_rows = max(cache_rows, run_rows)
        for k in range(e_tok_offsets[e], e_tok_offsets[e + 1]):
            t = e_tokens[k]
            width = max(width, t_offsets[t + 1] - t_offsets[t])
    width *= 2 * MAX_GLUED  # glued tokens: concat and Jaro-Winkler flags
    n_edges = (2 + MAX_GLUED) * max_q * max_c
    flags_a = np.zeros(width, dtype=np.bool_)
    flags_b = np.zeros(width, dtype=np.bool_)
    pm = np.zeros(256, dtype=np.uint64)
    rows = np.zeros(3 * (width + 1), dtype=np.float64)
    concat = np.zeros(width, dtype=np.uint8)
    e_credit = np.zeros(n_edges, dtype=np.float64)
    e_sim = np.zeros(n_edges, dtype=np.float64)
    e_kind = np.zeros(n_edges, dtype=np.int8)
    e_method = np.zeros(n_edges, dtype=np.int8)
    e_i = np.zeros(n_edges, dtype=np.int64)
    e_j = np.zeros(n_edges, dtype=np.int64)
    used_q = np.zeros(max_q, dtype=np.bool_)
    used_c = np.zeros(max_c, dtype=np.bool_)
    out_choice = np.zeros(max_q, dtype=np.int64)
    out_sim = np.zeros(max_q, dtype=np.float64)
    out_method = np.zeros(max_q, dtype=np.int8)
    out_span = np.zeros(max_q, dtype=np.int8)
    c_start = np.zeros(max_c, dtype=np.int64)
    c_len = np.zeros(max_c, dtype=np.int64)
    c_w = np.zeros(max_c, dtype=np.float64)
    q_start = np.zeros(max_q, dtype=np.int64)
    q_len = np.zeros(max_q, dtype=np.int64)
    qw = np.zeros(max_q, dtype=np.float64)
    qmiss = np.zeros(max_q, dtype=np.float64)
    qfuzzy = np.zeros(max_q, dtype=np.float64)
    sim_m = np.zeros((max_q, max_c), dtype=np.float64)
    meth_m = np.zeros((max_q, max_c), dtype=np.int8)
    # Similarity cache: slot_of[token] -> row of cache_sim / cache_meth, -1 when not computed.
    slot_of = np.full(t_offsets.shape[0] - 1, -1, dtype=np.int64)
    slot_token = np.zeros(cache_rows, dtype=np.int64)
    cache_sim = np.zeros((cache_rows, max_q), dtype=np.float64)
    cache_meth = np.zeros((cache_rows, max_q), dtype=np.int8)
    n_slots = 0
    # Entries spelled the same (namesakes: the same token ids in the same order) score the
    # same against a subquery: an open-addressing table of token-list hashes per run gives
    # the first such pair, whose results are copied (a third of the pairs on the load list,
    # most of them in a crowd).
    cap = 1
    while cap < 2 * max_run:
        cap *= 2
    seen_hash = np.zeros(cap, dtype=np.int64)
    seen_pair = np.full(cap, -1, dtype=np.int64)
    seen_at = np.zeros(max_run, dtype=np.int64)  # occupied table positions, to clear them
    n_seen = 0
    for p in range(n_pairs):
        s = pair_sq[p]
        if p == 0 or s != pair_sq[p - 1]:
            for x in range(n_slots):
                slot_of[slot_token[x]] = -1
            n_slots = 0
            for x in range(n_seen):
                seen_pair[seen_at[x]] = -1
            n_seen = 0
        e = pair_entry[p]
        lo_e = e_tok_offsets[e]
        n_e = e_tok_offsets[e + 1] - lo_e
        h = np.int64(-3750763034362895579)  # FNV-1a over the token ids
        for k in range(n_e):
            h = (h ^ np.int64(e_tokens[lo_e + k])) * np.int64(1099511628211)
        pos = h & (cap - 1)
        same = -1
        while seen_pair[pos] >= 0:
            if seen_hash[pos] == h:
                f = pair_entry[seen_pair[pos]]
                lo_f = e_tok_offsets[f]
                if e_tok_offsets[f + 1] - lo_f == n_e and _same_bytes_kernel(
                        e_tokens, lo_f, e_tokens, lo_e, n_e):
                    same = seen_pair[pos]
                    break
            pos = (pos + 1) & (cap - 1)
        if same >= 0:
            scores[p] = scores[same]
            all_den[p] = all_den[same]
            for i in range(max_q):
                all_choice[p, i] = all_choice[same, i]
                all_sim[p, i] = all_sim[same, i]
                all_method[p, i] = all_method[same, i]
                all_span[p, i] = all_span[same, i]
            continue
        seen_hash[pos] = h
        seen_pair[pos] = p
        seen_at[n_seen] = pos
        n_seen += 1
        qa = sq_tok_offsets[s]
        n_q = sq_tok_offsets[s + 1] - qa
        for i in range(n_q):
            q_start[i] = q_offsets[qa + i]
            q_len[i] = q_offsets[qa + i + 1] - q_offsets[qa + i]
            qw[i] = q_w[qa + i]
            qmiss[i] = q_miss[qa + i]
            qfuzzy[i] = q_fuzzy[qa + i]
        n_c = 0
        for k in range(e_tok_offsets[e], e_tok_offsets[e + 1]):
            t = e_tokens[k]
            c_start[n_c] = t_offsets[t]
            c_len[n_c] = t_offsets[t + 1] - t_offsets[t]
            c_w[n_c] = t_w[t]
            slot = slot_of[t]
            if slot < 0:
                slot = n_slots
                n_slots += 1
                slot_of[t] = slot
                slot_token[slot] = t
                for i in range(n_q):
                    sim, method = _token_sim_kernel(
                        q_chars, q_start[i], q_len[i], q_phon[qa + i], q_plen[qa + i],
                        q_prefix[qa + i], t_chars, c_start[n_c], c_len[n_c], t_phon[t],
                        t_plen[t], flags_a, flags_b, pm, rows)
                    sim, method = _apply_variants_kernel(q_tok[qa + i], t, sim, method,
                                                         n_tokens, variant_pairs)
                    cache_sim[slot, i] = sim
                    cache_meth[slot, i] = method
            for i in range(n_q):
                sim_m[i, n_c] = cache_sim[slot, i]
                meth_m[i, n_c] = cache_meth[slot, i]
            n_c += 1
        scores[p] = _name_score_core_kernel(
            q_chars, q_start, q_len, qw, qmiss, qfuzzy, n_q, t_chars, c_start, c_len, c_w, n_c, sim_m,
            meth_m, flags_a, flags_b, pm, concat, e_credit, e_sim, e_kind, e_method, e_i, e_j, used_q,
            used_c, out_choice, out_sim, out_method, out_span, den,
        )
        all_den[p] = den[0]
        for i in range(n_q):
            all_choice[p, i] = out_choice[i]
            all_sim[p, i] = out_sim[i]
            all_method[p, i] = out_method[i]
            all_span[p, i] = out_span[i]
    return scores, all_choice, all_sim, all_method, all_span, all_den


@njit(**JIT)
def _variant_pairs_kernel(rec_entry_offsets, rec_entries, e_tok_offsets, e_tokens, t_chars,
                          t_offsets, t_phon, t_plen):
    """Alias variant pairs, as sorted unique keys min(a, b) * n_tokens + max(a, b) of token ids,
    and per pair the number of records that pair it (its support).

    Record r owns entries rec_entries[rec_entry_offsets[r]:rec_entry_offsets[r+1]]. Two of its
    tokens a != b pair when no entry of r has both (each takes the other's place), both have
    at least VARIANT_MIN_LEN letters and at most VARIANT_MAX_LEN_DIFF apart, they start with
    the same letter and their token
    similarity (_token_sim_kernel) is at least VARIANT_MIN_SIM by spelling or sound."""
    n_rec = rec_entry_offsets.shape[0] - 1
    n_tokens = t_offsets.shape[0] - 1
    toks = np.zeros(VARIANT_MAX_TOKENS, dtype=np.int64)
    masks = np.zeros(VARIANT_MAX_TOKENS, dtype=np.int64)  # bit k: entry k of the record
    flags_a = np.zeros(256, dtype=np.bool_)
    flags_b = np.zeros(256, dtype=np.bool_)
    pm = np.zeros(256, dtype=np.uint64)
    rows = np.zeros(3 * 257, dtype=np.float64)
    out = np.empty(1024, dtype=np.int64)
    n_out = 0
    for r in range(n_rec):
        lo = rec_entry_offsets[r]
        hi = rec_entry_offsets[r + 1]
        if hi - lo < 2 or hi - lo > 63:
            continue
        n = 0
        too_many = False
        for k in range(hi - lo):
            e = rec_entries[lo + k]
            for x in range(e_tok_offsets[e], e_tok_offsets[e + 1]):
                t = e_tokens[x]
                f = -1
                for y in range(n):
                    if toks[y] == t:
                        f = y
                        break
                if f < 0:
                    if n == VARIANT_MAX_TOKENS:
                        too_many = True
                        break
                    f = n
                    toks[n] = t
                    masks[n] = 0
                    n += 1
                masks[f] |= np.int64(1) << k
            if too_many:
                break
        if too_many:
            continue
        for y in range(n):
            a = toks[y]
            a_s = t_offsets[a]
            a_l = t_offsets[a + 1] - a_s
            if a_l < VARIANT_MIN_LEN or a_l > 128:
                continue
            for z in range(y + 1, n):
                b = toks[z]
                b_s = t_offsets[b]
                b_l = t_offsets[b + 1] - b_s
                if (masks[y] & masks[z]) != 0 or b_l < VARIANT_MIN_LEN or b_l > 128:
                    continue
                if abs(a_l - b_l) > VARIANT_MAX_LEN_DIFF:
                    continue
                if t_chars[a_s] != t_chars[b_s]:
                    continue
                sim, method = _token_sim_kernel(t_chars, a_s, a_l, t_phon[a], t_plen[a], 0,
                                                t_chars, b_s, b_l, t_phon[b], t_plen[b],
                                                flags_a, flags_b, pm, rows)
                if sim < VARIANT_MIN_SIM or method == METHOD_PARTICLE:
                    continue
                if n_out == out.shape[0]:
                    grown = np.empty(2 * n_out, dtype=np.int64)
                    grown[:n_out] = out
                    out = grown
                out[n_out] = min(a, b) * n_tokens + max(a, b)
                n_out += 1
    # A record pairs two tokens once, so equal keys are distinct records attesting the pair.
    pairs = np.sort(out[:n_out])
    keys = np.empty(n_out, dtype=np.int64)
    support = np.zeros(n_out, dtype=np.int32)
    n_keys = 0
    for k in range(n_out):
        if n_keys == 0 or keys[n_keys - 1] != pairs[k]:
            keys[n_keys] = pairs[k]
            n_keys += 1
        support[n_keys - 1] += 1
    return keys[:n_keys], support[:n_keys]


@njit(**JIT)
def _exact_keys_kernel(chars, offsets, ids, ident):
    """The exact-spelling blocking key of each token id in ids (see _token_keys_kernel)."""
    out = np.empty(ids.shape[0], dtype=np.uint64)
    for k in range(ids.shape[0]):
        t = ids[k]
        out[k] = _hash_bytes_kernel(chars, offsets[t], offsets[t + 1], -1, ident, SEED_SPELLING)
    return out


@njit(**LEAF)
def _apply_variants_kernel(q_tok, t, sim, method, n_tokens, variant_pairs):
    """(sim, method) of query token id q_tok (-1: not a listed spelling) against index token
    t, made a variant when variant_pairs pairs them (an alias variant, _variant_pairs_kernel,
    or a romanisation variant: see VARIANT_ALIAS): at least VARIANT_SIM, and no longer a
    mere likeness (whose credit the scorer discounts)."""
    if q_tok < 0 or q_tok == t or variant_pairs.shape[0] == 0:
        return sim, method
    if (method != METHOD_JARO_WINKLER and method != METHOD_EDIT and method != METHOD_PHONETIC
            and method != METHOD_VOWELS_DROPPED):
        return sim, method
    key = (min(q_tok, t) * n_tokens + max(q_tok, t)) * 2
    k = np.searchsorted(variant_pairs, key)
    if k < variant_pairs.shape[0] and variant_pairs[k] == key + VARIANT_ALIAS:
        return max(sim, VARIANT_SIM), METHOD_VARIANT
    if k < variant_pairs.shape[0] and variant_pairs[k] == key + VARIANT_ROMANISED:
        return max(sim, VARIANT_SIM), METHOD_ROMANISATION
    return sim, method


# Inlined in Numba's IR, like the three helpers after it: the candidate kernel calls it for
# every entry blocking reaches (about 570 per passenger on the load list), and as a call
# its array arguments' reference counts cost more than its few bit operations.
@njit(inline="always", **JIT)
def _name_bound_kernel(tokens, base, n_c, nq, q_w, q_miss, open_q, tslot, s_mask, s_w,
                       s_near_q, s_glue, t_w, w_c):
    """Upper bound of the name score of an entry (token ids tokens[base:base + n_c])
    against a subquery of nq tokens (q_w, q_miss: its slices), from which query tokens hit
    which of the entry's tokens through blocking keys.

    A query token that hits none of the entry's tokens is taken as unmatched (blocking's own
    assumption: a likeness that shares no key is not searched for), except next to a hit where
    the hit record token is longer by 2+ letters (JOSE hits JOSELUIS, LUIS may glue on); the
    same for record tokens. With P the query tokens that may match, R the record tokens that
    may match: every pair weight is at most half the weights of its tokens and credit <= 1, so
    score <= X / (X + q_miss of the query tokens outside P + UNMATCHED_RECORD_COST * weight of
    the record tokens outside R), X = (w(P) + w(R)) / 2 (x / (x + m) grows with x).
    A truncated query token shorter than PREFIX_LEN (allowed by q_prefix) or an initial has no
    key in common with the token it starts: it is in P (open_q, its bits) and every record
    token in R.
    The caller (_gather_candidates_kernel) gives each hit index token t a slot tslot[t] > 0
    (0: not hit) and precomputes per slot: s_mask (bit i set when query token i shares a key
    with it), s_exact (... and is spelled the same), s_strong (... through a key that is not
    loose), its idf and weight, s_near_q (the query
    neighbours it may take: it is longer than a query token hitting it by 2+ letters) and
    s_glue (a query token hitting it is longer by 2+ letters: that query token may take
    MAX_GLUED - 1 record neighbours on each side too). The per-entry work is then one lookup
    and a few bit operations per token, on slot arrays small enough to stay in the nearest
    cache (this bound runs for every entry blocking reaches; token-indexed arrays made it
    about three times as slow on the 1M-person list).

    Returns the bound; the information shared, which ranks the entries that reach min_score,
    is _name_info_kernel's (apart: most entries blocking reaches fall short, and their
    information is never needed). w_c: float scratch of at least n_c."""
    # Bit sets as int64: at most MAX_TOKENS (12) query and record tokens each.
    hit_q = open_q
    hit_c = -1 if open_q != 0 else 0
    for j in range(n_c):
        t = tokens[base + j]
        slot = tslot[t]
        if slot == 0:
            w_c[j] = t_w[t]
            continue
        w_c[j] = s_w[slot]
        hit_q |= s_mask[slot] | s_near_q[slot]
        bit = np.int64(1) << j
        hit_c |= bit
        if s_glue[slot]:
            for k in range(1, MAX_GLUED):
                hit_c |= (bit >> k) | (bit << k)
    x = 0.0
    rest = 0.0
    for i in range(nq):
        if (hit_q >> i) & 1:
            x += q_w[i]
        else:
            rest += q_miss[i]
    for j in range(n_c):
        if (hit_c >> j) & 1:
            x += w_c[j]
        else:
            rest += UNMATCHED_RECORD_COST * w_c[j]
    x *= 0.5
    if x + rest <= 0.0:
        return 0.0
    return x / (x + rest)


@njit(inline="always", **JIT)
def _name_info_kernel(tokens, base, n_c, nq, tslot, s_mask, s_exact, s_strong, s_idf, best_idf):
    """Information an entry (token ids tokens[base:base + n_c]) shares with a subquery of nq
    tokens, slots as for _name_bound_kernel: per query token, the largest idf of the entry's
    tokens it hits, times FUZZY_INFO_SHARE unless spelled the same (LOOSE_INFO_SHARE when met
    through loose keys only), summed. best_idf: float scratch of at least nq."""
    for i in range(nq):
        best_idf[i] = 0.0
    for j in range(n_c):
        slot = tslot[tokens[base + j]]
        if slot == 0:
            continue
        m = s_mask[slot]
        idf = s_idf[slot]
        ex = s_exact[slot]
        strong = s_strong[slot]
        for i in range(nq):
            if (m >> i) & 1:
                if (ex >> i) & 1:
                    v = idf
                elif (strong >> i) & 1:
                    v = idf * FUZZY_INFO_SHARE
                else:
                    v = idf * LOOSE_INFO_SHARE
                if v > best_idf[i]:
                    best_idf[i] = v
    info = 0.0
    for i in range(nq):
        info += best_idf[i]
    return info


@njit(inline="always", **JIT)
def _one_to_one_bound_kernel(bound, tokens, base, n_c, nq, q_w, q_miss, open_q, tmask, t_w,
                             t_near_q, t_glue, side):
    """_name_bound_kernel's bound tightened where pairs are one-to-one. Without neighbours
    (no initial or short cut token, no glue, no near flag on a hit token), every pair the
    scorer can form joins one query token to one record token, both hit: when more query
    tokens hit the entry than it has hit tokens (SAID SAID against SAID HASSAN), the
    difference stays unmatched. The bound then takes out the smallest query weights and adds
    the smallest query costs of that many tokens (each chosen on its own: still an upper
    bound). The caller runs it only for entries the plain bound keeps, and only when some
    index token is hit by two query tokens (otherwise it changes nothing): run for every
    entry, it cost more than the bound itself. side: float scratch of at least 2 * nq."""
    if open_q != 0:
        return bound
    hit_q = np.int64(0)
    n_hit_c = 0
    for j in range(n_c):
        t = tokens[base + j]
        m = tmask[t]
        if m == 0:
            continue
        if t_near_q[t] != 0 or t_glue[t]:
            return bound  # a token may take a neighbour: pairs need not be one-to-one
        hit_q |= m
        n_hit_c += 1
    k = 0
    for i in range(nq):
        if (hit_q >> i) & 1:
            side[k] = q_w[i]
            side[nq + k] = q_miss[i]
            k += 1
    if k <= n_hit_c:
        return bound
    # x and rest as _name_bound_kernel summed them (no neighbours: the hit sets themselves).
    # Written out in both kernels on purpose: the bound kernel calling a shared helper for
    # these sums made candidate gathering 30% slower (measured with
    # bench/kernels/test_names_1m_bench.py: 268 against 202 ms per batch at the floor).
    x = 0.0
    rest = 0.0
    for i in range(nq):
        if (hit_q >> i) & 1:
            x += q_w[i]
        else:
            rest += q_miss[i]
    for j in range(n_c):
        w = t_w[tokens[base + j]]
        if tmask[tokens[base + j]] != 0:
            x += w
        else:
            rest += UNMATCHED_RECORD_COST * w
    for _ in range(k - n_hit_c):
        lw = 0
        lm = nq
        for y in range(1, k):
            if side[y] < side[lw]:
                lw = y
            if side[nq + y] < side[lm]:
                lm = nq + y
        x -= side[lw]
        rest += side[lm]
        side[lw] = np.inf
        side[lm] = np.inf
    x *= 0.5
    if x <= 0.0:
        return 0.0
    return x / (x + rest)


# A leaf (numba_config.LEAF): a call passes its ~30 arrays without reference counts. Inlined
# in Numba's IR instead (as before), those arrays were counted in and out for every entry.
@njit(**LEAF)
def _credit_bound_kernel(bound, tokens, base, n_c, nq, qa, q_w, q_miss, tslot, s_mask,
                         s_near_q, t_w, credit_of, q_chars, q_offsets, q_phon, q_plen,
                         q_prefix, q_fuzzy, q_tok, t_chars, t_offsets, t_phon, t_plen,
                         variant_pairs, sim_scratch, items):
    """_name_bound_kernel's bound (`bound`) tightened with the credits the pairs would earn
    instead of full credit, under the assumption blocking itself makes: a query token pairs
    with a single record token only when they share a key (or the record token is an initial
    of its first letter), and then earns _pair_credit_kernel's credit, as the scorer gives
    it. A glued pair (two query tokens against one record token, one query token against 2
    to MAX_GLUED record tokens) with a query token of P (those _name_bound_kernel lets
    match) earns at most the credit of the Jaro-Winkler ceiling of its lengths, and only
    where the scorer would weigh it at all (first letters, lengths), whatever record tokens
    it takes (ROBERTA against ROBERTO LUCIANO glued). Each token then earns at most its best
    credit c (cq_i, cc_j) over the pairs it can be in. Split every pair into its query half
    and its record half: each token k adds a_k = c * weight / 2 to the numerator and
    b_k = weight / 2 to the denominator when matched, m_k (its cost) to the denominator when
    not (a token no pair credits stays unmatched), so
    score <= max over token sets S of sum_S a / (sum_S b + sum_notS m), found exactly by
    Dinkelbach's iteration.
    Without it, 39 in 40 candidates on the 1M-person load list shared keys with the query
    yet scored below the floor, and scoring them took most of a passenger's time.
    Left as it is (returns `bound`) when the query has an initial or a short cut token (the
    caller runs it only without: open tokens may match any record token).
    credit_of: per (slot - 1) * nq + i the credit of query token i against the index token in
    that slot, -1.0 until computed (cached for the subquery's entries); sim_scratch:
    (flags_a, flags_b, pm, rows) of _token_sim_kernel, each longer than the longest token;
    items: float scratch of at least 3 * (nq + n_c)."""
    flags_a, flags_b, pm, rows = sim_scratch
    # P as _name_bound_kernel forms it: the query tokens sharing a key with some token of
    # the entry, and their neighbours where a glued name may take them.
    hit_q = np.int64(0)
    for j in range(n_c):
        slot = tslot[tokens[base + j]]
        if slot != 0:
            hit_q |= s_mask[slot] | s_near_q[slot]
    n_tokens = t_offsets.shape[0] - 1
    ia = 0
    ib = nq + n_c
    im = 2 * (nq + n_c)
    for k in range(nq + n_c):
        items[ia + k] = 0.0  # best credit first; a_k once every pair is seen
    # Single-token pairs: each hit record token against the query tokens sharing a key.
    for j in range(n_c):
        t = tokens[base + j]
        slot = tslot[t]
        if slot == 0:
            continue
        m = s_mask[slot]
        for i in range(nq):
            if not (m >> i) & 1:
                continue
            k = (slot - 1) * nq + i
            cr = credit_of[k]
            if cr < 0.0:
                q = qa + i
                qs = q_offsets[q]
                ql = q_offsets[q + 1] - qs
                ts = t_offsets[t]
                tl = t_offsets[t + 1] - ts
                sim, method = _token_sim_kernel(q_chars, qs, ql, q_phon[q], q_plen[q],
                                                q_prefix[q], t_chars, ts, tl, t_phon[t],
                                                t_plen[t], flags_a, flags_b, pm, rows)
                sim, method = _apply_variants_kernel(q_tok[q], t, sim, method, n_tokens,
                                                     variant_pairs)
                cr = _pair_credit_kernel(sim, method, q_chars, qs, ql, q_fuzzy[q], t_chars,
                                         ts, tl)
                credit_of[k] = cr
            if cr > items[ia + i]:
                items[ia + i] = cr
            if cr > items[ia + nq + j]:
                items[ia + nq + j] = cr
    # A record initial shares no key with the name it stands for, yet pairs with any query
    # token starting with its letter (SLH NBYL S D for SALEH SALAH NABIL).
    for j in range(n_c):
        t = tokens[base + j]
        ts = t_offsets[t]
        if t_offsets[t + 1] - ts != 1:
            continue
        for i in range(nq):
            q = qa + i
            qs = q_offsets[q]
            if q_offsets[q + 1] - qs < 1 or q_chars[qs] != t_chars[ts]:
                continue
            sim, method = _token_sim_kernel(q_chars, qs, q_offsets[q + 1] - qs, q_phon[q],
                                            q_plen[q], q_prefix[q], t_chars, ts, 1, t_phon[t],
                                            t_plen[t], flags_a, flags_b, pm, rows)
            cr = _pair_credit_kernel(sim, method, q_chars, qs, q_offsets[q + 1] - qs,
                                     q_fuzzy[q], t_chars, ts, 1)
            if cr > items[ia + i]:
                items[ia + i] = cr
            if cr > items[ia + nq + j]:
                items[ia + nq + j] = cr
    # Glued pairs of a query token of P, filtered as _name_score_core_kernel filters them:
    # whatever record tokens they take (ROBERTA against ROBERTO LUCIANO glued reaches
    # SQUASH_MIN on length alone, LUCIANO sharing no key with the query).
    for i in range(nq):
        q = qa + i
        ql = q_offsets[q + 1] - q_offsets[q]
        if ql < 2:
            continue
        first = q_chars[q_offsets[q]]
        # One query token against record tokens j..j+k-1 glued.
        if (hit_q >> i) & 1:
            for j in range(n_c - 1):
                t = tokens[base + j]
                cl = t_offsets[t + 1] - t_offsets[t]
                if cl < 2 or t_chars[t_offsets[t]] != first:
                    continue
                m = cl
                for k in range(2, min(MAX_GLUED, n_c - j) + 1):
                    u = tokens[base + j + k - 1]
                    ul = t_offsets[u + 1] - t_offsets[u]
                    if ul < 2:
                        break
                    m += ul
                    ceiling = _glue_ceiling_kernel(ql, m, k)
                    if ceiling < 0.0:
                        if m > ql:
                            break
                        continue
                    cr = _credit_kernel(min(1.0, ceiling))
                    if cr > items[ia + i]:
                        items[ia + i] = cr
                    for y in range(j, j + k):
                        if cr > items[ia + nq + y]:
                            items[ia + nq + y] = cr
        # Query tokens i and i + 1 glued against one record token.
        if i + 1 < nq and (hit_q >> i) & 3:
            nl = q_offsets[q + 2] - q_offsets[q + 1]
            if nl < 2:
                continue
            for j in range(n_c):
                t = tokens[base + j]
                cl = t_offsets[t + 1] - t_offsets[t]
                if cl < 2 or t_chars[t_offsets[t]] != first:
                    continue
                ceiling = _glue_ceiling_kernel(cl, ql + nl, 2)
                if ceiling < 0.0:
                    continue
                cr = _credit_kernel(min(1.0, ceiling))
                for y in range(i, i + 2):
                    if cr > items[ia + y]:
                        items[ia + y] = cr
                if cr > items[ia + nq + j]:
                    items[ia + nq + j] = cr
    # Every token is an item (a_k = 0: no pair earns it credit, it stays unmatched).
    miss_all = 0.0  # every token unmatched; a token of S trades its cost m_k for b_k
    for i in range(nq):
        w = q_w[qa + i]
        items[ia + i] *= 0.5 * w
        items[ib + i] = 0.5 * w
        items[im + i] = q_miss[qa + i]
        miss_all += q_miss[qa + i]
    for j in range(n_c):
        w = t_w[tokens[base + j]]
        k = nq + j
        items[ia + k] *= 0.5 * w
        items[ib + k] = 0.5 * w
        items[im + k] = UNMATCHED_RECORD_COST * w
        miss_all += UNMATCHED_RECORD_COST * w
    # Dinkelbach: lam grows to the best ratio; S = the tokens worth matching at lam.
    lam = 0.0
    for _ in range(64):
        num = 0.0
        den = miss_all
        for k in range(nq + n_c):
            a = items[ia + k]
            if a > 0.0 and a - lam * (items[ib + k] - items[im + k]) > 0.0:
                num += a
                den += items[ib + k] - items[im + k]
        if den <= 0.0:
            return bound
        r = num / den
        converged = r <= lam + 1e-12
        lam = r  # the ratio of the last set (its rounding is the margin's to cover)
        if converged:
            break
    return min(bound, lam + CREDIT_BOUND_MARGIN)


@njit(**JIT)
def _sequence_ids_kernel(e_tok_offsets, e_tokens):
    """(sequence id of every entry, number of sequences): entries with the same token ids in
    the same order share one id, ids numbered in order of their first entry. A 64-bit hash of
    each sequence groups the candidates; equal hashes are compared token by token, so a
    collision never merges two sequences."""
    n = e_tok_offsets.shape[0] - 1
    h = np.empty(n, dtype=np.uint64)
    for e in range(n):
        x = np.uint64(14695981039346656037) ^ np.uint64(e_tok_offsets[e + 1] - e_tok_offsets[e])
        for k in range(e_tok_offsets[e], e_tok_offsets[e + 1]):
            x = (x ^ np.uint64(e_tokens[k])) * np.uint64(1099511628211)
            x ^= x >> np.uint64(29)
        h[e] = x
    order = np.argsort(h, kind="mergesort")  # stable: a run of equal hashes in entry order
    seq = np.full(n, -1, dtype=np.int64)
    n_seq = 0
    i = 0
    while i < n:
        j = i + 1
        while j < n and h[order[j]] == h[order[i]]:
            j += 1
        for a in range(i, j):
            e = order[a]
            if seq[e] >= 0:
                continue
            seq[e] = n_seq
            lo = e_tok_offsets[e]
            m = e_tok_offsets[e + 1] - lo
            for b in range(a + 1, j):
                f = order[b]
                if seq[f] >= 0 or e_tok_offsets[f + 1] - e_tok_offsets[f] != m:
                    continue
                same = True
                for k in range(m):
                    if e_tokens[lo + k] != e_tokens[e_tok_offsets[f] + k]:
                        same = False
                        break
                if same:
                    seq[f] = n_seq
            n_seq += 1
        i = j
    remap = np.full(n_seq, -1, dtype=np.int64)
    nxt = 0
    for e in range(n):
        if remap[seq[e]] < 0:
            remap[seq[e]] = nxt
            nxt += 1
        seq[e] = remap[seq[e]]
    return seq, n_seq


@njit(**JIT)
def _inline_postings_kernel(tok_entry_offsets, tok_entries, e_tok_offsets, e_tokens):
    """Postings that carry their entry's tokens, as CSR (offsets by token, int32 words): for
    token t, per entry listing it (in tok_entries order) the entry id, its token count n and
    its n token ids. Gathering reads the tokens of each entry it reaches right where it found
    the entry, instead of jumping to the entry's row (on a million-name list, a cache miss per
    entry reached: most of the gathering time). Costs (2 + tokens) words per posting."""
    n_t = tok_entry_offsets.shape[0] - 1
    offsets = np.zeros(n_t + 1, dtype=np.int64)
    for t in range(n_t):
        size = 0
        for p in range(tok_entry_offsets[t], tok_entry_offsets[t + 1]):
            e = tok_entries[p]
            size += 2 + e_tok_offsets[e + 1] - e_tok_offsets[e]
        offsets[t + 1] = offsets[t] + size
    out = np.empty(offsets[n_t], dtype=np.int32)
    for t in range(n_t):
        w = offsets[t]
        for p in range(tok_entry_offsets[t], tok_entry_offsets[t + 1]):
            e = tok_entries[p]
            lo = e_tok_offsets[e]
            n = e_tok_offsets[e + 1] - lo
            out[w] = e
            out[w + 1] = n
            for j in range(n):
                out[w + 2 + j] = e_tokens[lo + j]
            w += 2 + n
    return offsets, out


@njit(**JIT)
def _pair_postings_kernel(tok_post_offsets, tok_post):
    """Token-pair postings over the inline postings (_inline_postings_kernel), as two-level CSR:
    for token a, its partners b >= a (pair_partner[pair_tok_offsets[a]:pair_tok_offsets[a +
    1]], ascending), and per (a, b) the postings of a's block (pair_post: word offsets from
    tok_post_offsets[a], ascending) whose entry also lists b, or lists a twice when b == a.

    Why: a common token that cannot bring a candidate on its own (t_from in
    _gather_candidates_kernel: MARIA in MARIA GARCIA) only brings the entries in which the
    query hits a second token. Walking its whole postings list to find those read about 20,000
    words a passenger on the 1M-person list (most of the candidate step's time); looking its
    pairs with the other hit tokens up reads only the entries that have both."""
    n_t = tok_post_offsets.shape[0] - 1
    counts = np.zeros(n_t, dtype=np.int64)
    starts = np.zeros(n_t + 1, dtype=np.int64)
    codes = np.empty(0, dtype=np.int64)  # b << 32 | word offset, per a
    for fill in range(2):
        if fill == 1:
            for a in range(n_t):
                starts[a + 1] = starts[a] + counts[a]
            codes = np.empty(starts[n_t], dtype=np.int64)
        for a in range(n_t):
            base = tok_post_offsets[a]
            p = base
            w = starts[a] if fill == 1 else 0
            while p < tok_post_offsets[a + 1]:
                n = tok_post[p + 1]
                own = 0
                for j in range(n):
                    b = tok_post[p + 2 + j]
                    if b < a:
                        continue
                    if b == a:
                        own += 1
                        if own != 2:
                            continue
                    else:
                        first = True  # b once per posting, however often the entry lists it
                        for k in range(j):
                            if tok_post[p + 2 + k] == b:
                                first = False
                                break
                        if not first:
                            continue
                    if fill == 0:
                        counts[a] += 1
                    else:
                        codes[w] = (np.int64(b) << 32) | (p - base)
                        w += 1
                p += 2 + n
    n_pairs = 0
    for a in range(n_t):
        block = codes[starts[a]:starts[a + 1]]
        block.sort()
        for i in range(block.shape[0]):
            if i == 0 or block[i] >> 32 != block[i - 1] >> 32:
                n_pairs += 1
    pair_tok_offsets = np.zeros(n_t + 1, dtype=np.int64)
    pair_partner = np.empty(n_pairs, dtype=np.int32)
    pair_post_offsets = np.zeros(n_pairs + 1, dtype=np.int64)
    pair_post = np.empty(codes.shape[0], dtype=np.int32)
    k = 0
    for a in range(n_t):
        for i in range(starts[a], starts[a + 1]):
            b = codes[i] >> 32
            if i == starts[a] or b != codes[i - 1] >> 32:
                pair_partner[k] = b
                pair_post_offsets[k] = i
                k += 1
            pair_post[i] = codes[i] & 0xFFFFFFFF
        pair_tok_offsets[a + 1] = k
    pair_post_offsets[n_pairs] = codes.shape[0]
    return pair_tok_offsets, pair_partner, pair_post_offsets, pair_post


@njit(inline="always", **JIT)
def _pair_find_kernel(pair_tok_offsets, pair_partner, a, b):
    """Index of the pair (a, b), a <= b, in pair_partner (_pair_postings_kernel); -1: no entry
    lists both."""
    lo = pair_tok_offsets[a]
    hi = pair_tok_offsets[a + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        if pair_partner[mid] < b:
            lo = mid + 1
        else:
            hi = mid
    if lo < pair_tok_offsets[a + 1] and pair_partner[lo] == b:
        return lo
    return -1


@njit(**JIT)
def _kth_largest_kernel(values, n, k, scratch):
    """The k-th largest (k >= 1) of values[:n], in linear time (a selection, not a sort)."""
    for f in range(n):
        scratch[f] = -values[f]
    return -np.partition(scratch[:n], k - 1)[k - 1]


@njit(**JIT)
def _top_cut_kernel(values, ids, n, k, scratch_f, scratch_i):
    """(t, t_id): the k (1 <= k <= n) largest of values[:n], ties at the k-th settled by the
    lower of ids[:n] (distinct), are exactly those with value > t, or value == t and id <=
    t_id."""
    t = _kth_largest_kernel(values, n, k, scratch_f)
    need = k  # >= 1 after the loop: fewer than k lie above the k-th largest
    n_tie = 0
    for f in range(n):
        if values[f] > t:
            need -= 1
        elif values[f] == t:
            scratch_i[n_tie] = ids[f]
            n_tie += 1
    return t, np.partition(scratch_i[:n_tie], need - 1)[need - 1]


@njit(**JIT)
def _reserve_by_bound_kernel(kept, kept_info, kept_bound, n_kept, r, scratch_f, scratch_i):
    """Give the r (1 <= r < n_kept) candidates of kept[:n_kept] with the highest bound (ties:
    the lower entry id) infinite information, so that _select_best_kernel keeps them whatever
    they share (BOUND_RESERVE)."""
    t_bound, t_id = _top_cut_kernel(kept_bound, kept, n_kept, r, scratch_f, scratch_i)
    for f in range(n_kept):
        b = kept_bound[f]
        if b > t_bound or (b == t_bound and kept[f] <= t_id):
            kept_info[f] = np.inf


@njit(**JIT)
def _select_best_kernel(kept, kept_info, kept_bound, n_kept, k, out, n_out, scratch_f,
                        scratch_i):
    """Append to out (from n_out) the k best of the n_kept > k candidates kept[:n_kept]: most
    information first, then the higher bound, then the lower entry id; they are appended in
    kept order. Returns the new n_out. Selections (np.partition) instead of sorting all kept
    candidates: a crowd of namesakes keeps thousands, and three sorts of them were a third of
    candidate gathering on the 1M-person list."""
    # Information above the k-th largest is in; ties at it are settled by bound, then by id.
    t_info = _kth_largest_kernel(kept_info, n_kept, k, scratch_f)
    need = k
    n_tie = 0
    for f in range(n_kept):
        if kept_info[f] > t_info:
            need -= 1
        elif kept_info[f] == t_info:
            scratch_i[n_tie] = f
            n_tie += 1
    ties = scratch_i[:n_tie].copy()
    t_bound = np.inf
    t_id = -1
    if need < n_tie:  # the need best of the ties by bound, then by id
        tie_bound = np.empty(n_tie, dtype=np.float64)
        tie_id = np.empty(n_tie, dtype=np.int64)
        for f in range(n_tie):
            tie_bound[f] = kept_bound[ties[f]]
            tie_id[f] = kept[ties[f]]
        t_bound, t_id = _top_cut_kernel(tie_bound, tie_id, n_tie, need, scratch_f, scratch_i)
    for f in range(n_kept):
        i = kept_info[f]
        if i > t_info or (i == t_info and (
                kept_bound[f] > t_bound or (kept_bound[f] == t_bound and kept[f] <= t_id)
                or t_bound == np.inf)):
            out[n_out] = kept[f]
            n_out += 1
    return n_out


def _untouched_zeros(n: int, dtype, huge: bool = False) -> np.ndarray:
    """n zeros in fresh anonymous memory: a page is resident only once written (np.zeros and
    np.empty may hand out heap pages already dirty, resident however little is used). huge:
    in 2 MB pages where the kernel allows (fewer TLB misses for an array read at random)."""
    dtype = np.dtype(dtype)
    buf = mmap.mmap(-1, max(1, n * dtype.itemsize))
    if huge and hasattr(mmap, "MADV_HUGEPAGE"):
        buf.madvise(mmap.MADV_HUGEPAGE)
    return np.frombuffer(buf, dtype=dtype, count=n)


def gather_scratch(n_tokens: int, n_entries: int) -> tuple:
    """Working arrays of _gather_candidates_kernel for an index of n_tokens tokens and
    n_entries entries (or token sequences), to be reused call after call by one caller at a
    time: the kernel clears every mark it sets, so the arrays need no resetting. Allocating
    them anew (token- and entry-sized, one of them zeroed) cost about 130 us a call on the
    1M-person load list, more than the walk itself for a lone partner check. The entry-sized
    ones are written only as far as a search's candidates reach: resident, they are a few
    megabytes, not their size (about 130 MB at 2M entries)."""
    # Per index token: tok_mark (seen for the query token at hand); tmask, texact, tstrong
    # (bit i: query token i matches it / ... spelled the same / ... through a key that is not
    # loose; i < 63); t_near_q (see _name_bound_kernel); t_glue; t_from (an entry whose
    # only hit it is reaches min_score only from this many tokens; 0: any entry may,
    # ALONE_NEVER: none); t_idf; tslot (its slot, f + 1 for masked[f]; 0: not hit).
    per_token = [np.zeros(n_tokens, dtype=t) for t in (
        np.bool_, np.int64, np.int64, np.int64, np.int64, np.bool_, np.int64, np.float64,
        np.int32)]
    # Per slot (the same, gathered for _name_bound_kernel): s_mask, s_exact, s_strong,
    # s_near_q, s_glue, s_idf, s_w.
    per_slot = [np.zeros(n_tokens + 1, dtype=t) for t in (
        np.int64, np.int64, np.int64, np.int64, np.bool_, np.float64, np.float64)]
    # Per entry: entry_mark (touched by the walk: read at random, every entry a walked token
    # lists); then, written from the start as far as a search's candidates reach, touched,
    # t_start and t_count (each touched entry's tokens in tok_post), kept, kept_info,
    # kept_bound, and _select_best_kernel's scratch_f and scratch_i.
    per_entry = [_untouched_zeros(n_entries, np.bool_, huge=True)] + [
        _untouched_zeros(n_entries, t) for t in (
            np.int64, np.int64, np.int64, np.int64, np.float64, np.float64, np.float64,
            np.int64)]
    return tuple(per_token + per_slot + per_entry)


# Query plus record tokens _credit_bound_kernel's scratch holds (3 floats each): names keep at
# most name_index.MAX_TOKENS tokens a side (tests/indexes/test_kernels.py checks it fits).
CREDIT_SCRATCH_TOKENS = 128
ALONE_NEVER = 1 << 30  # t_from of a token no entry reaches min_score through alone
# A token that cannot bring an entry alone finds the entries with a second hit through the
# pair postings when its postings list is longer than this many words per lookup it would
# take; otherwise by walking the list (see _gather_candidates_kernel).
PAIR_LOOKUP_WORDS = 32
# The pair postings point into the token postings at scattered places: the candidate kernel
# asks for the entry this many steps ahead while it reads the current one (memory.prefetch).
# Gathering on 4,000 load passengers, alternating 10 times with no prefetch: 0.93x, identical
# candidates (in the sweep of distances before it, 8, 16 and 32 steps: 0.91x, 0.91x, 0.90x).
PAIR_PREFETCH_AHEAD = 16


@njit(**JIT)
def _gather_candidates_kernel(sq_tok_offsets, tok_key_offsets, q_w, q_miss, q_len, q_prefix,
                              lo, hi, key_tokens, key_loose, token_df, t_w, t_offsets,
                              tok_post_offsets, tok_post, pair_tok_offsets, pair_partner,
                              pair_post_offsets, pair_post, pair_lookup_words, max_weight,
                              n_entries, min_score, max_candidates,
                              common_df, loose_df, scratch, q_chars, q_offsets, q_phon, q_plen,
                              q_fuzzy, q_tok, t_chars, t_phon, t_plen, variant_pairs,
                              max_token_len, credit_bound, bound_reserve):
    """Candidate entries per subquery, as CSR (offsets, entries; a subquery's in no particular
    order), and per subquery how many entries reached min_score's bound before the
    max_candidates cut (more than max_candidates: the cut dropped some, e.g. a crowd of
    namesakes). The index walks token sequences, not
    entries (tok_post lists sequences; NameIndex expands them): "entry" below is whatever the
    postings list, n_entries (which sizes the scratch and scales the idf) the entry count.

    Subquery s owns query tokens sq_tok_offsets[s]:sq_tok_offsets[s+1] (at most 64); query
    token k owns key ranges lo[p]:hi[p] (ranges of key_tokens, i.e. index token ids) for p in
    tok_key_offsets[k]:tok_key_offsets[k+1]; a hit is loose when its index key is (key_loose).

    1. Skip the most common query tokens (by the summed document frequency of the index tokens
       they match through keys that are not loose (key_loose), at least common_df: rare ones
       cost nothing and may still pair with a candidate's token by spelling likeness alone)
       as long as a candidate matching only those could not reach min_score:
       score <= A / (A + W), A = sum over skipped tokens of (w_q + 1) / 2 (the largest pair
       weight, credit 1), W = q_miss of the other query tokens, which it leaves unmatched.
       Initials and short truncated tokens (no key reaches their record token) are always
       skipped and counted in A.
       (MUHAMMAD in "MUHAMMAD KARIMOV" is skipped: 1 / (1 + 1) < 0.75.) The rarest query
       token that matches any such key is never skipped.
    2. Every entry reached through the remaining query tokens (their hits by keys that are not
       loose; their loose hits rarer than loose_df too when a query token was skipped or the
       query token met nothing otherwise) whose score bound
       (_name_bound_kernel, over the hits of all query tokens, skipped ones included) reaches
       min_score is a candidate, ranked by the information it shares with the query: per
       query token (skipped ones included), log((n_entries + 1) / (df + 1)) of the rarest of
       the entry's tokens that it hits (FUZZY_INFO_SHARE of it unless spelled the same,
       LOOSE_INFO_SHARE when met through loose keys only: key_loose, per key);
       summed over query tokens. Keep all candidates if at
       most max_candidates, else the max_candidates highest (ties: higher bound, then lower
       entry id): an entry sharing a rare surname AND given names beats one sharing only one
       token, and a rare shared token is never crowded out by a common one. Of those kept
       from such a cut, bound_reserve (0: none; BOUND_RESERVE in NameIndex, when less than
       max_candidates) are the highest bounds instead (ties: lower entry id), so a
       near-exact match met by likeness is not crowded out by lower-scoring namesakes.

    An index token that cannot bring an entry on its own (one hit, at one place, short of
    min_score) brings only the entries it shares with another hit index token: those are
    looked up in the pair postings (pair_tok_offsets to pair_post, _pair_postings_kernel)
    where its postings list holds more than pair_lookup_words words per lookup it would take
    (PAIR_LOOKUP_WORDS), and found by walking the list otherwise. A token a longer query
    token hits (which may glue record neighbours on) brings on its own only entries long
    enough to reach min_score so (max_weight: the largest index token weight). The
    candidates are the same either way.

    With credit_bound, the bound is then tightened with the credits the pairs would earn
    (_credit_bound_kernel: q_chars to variant_pairs as _score_pairs_kernel takes them;
    max_token_len, the longest query or index token, sizes its scratch), where at most
    CREDIT_BOUND_MAX_KEPT * max_candidates entries reach min_score by the plain bound.

    scratch: gather_scratch(token count, n_entries), as the last call left it: the kernel
    clears every mark it sets before it returns.
    """
    n_sq = sq_tok_offsets.shape[0] - 1
    # Marks per index token and per entry (all clear on entry and on return), slots of the hit
    # index tokens (see _name_bound_kernel: slot f + 1 for masked[f]; slot 0 stays clear) and
    # per-entry working space: see gather_scratch.
    (tok_mark, tmask, texact, tstrong, t_near_q, t_glue, t_from, t_idf, tslot,
     s_mask, s_exact, s_strong, s_near_q, s_glue, s_idf, s_w,
     entry_mark, touched, t_start, t_count, kept, kept_info, kept_bound,
     scratch_f, scratch_i) = scratch
    max_nq = 1
    for s in range(n_sq):
        max_nq = max(max_nq, sq_tok_offsets[s + 1] - sq_tok_offsets[s])
    best_idf = np.zeros(max_nq, dtype=np.float64)
    side = np.zeros(2 * max_nq, dtype=np.float64)  # scratch of _one_to_one_bound_kernel
    w_c = np.zeros(64, dtype=np.float64)  # scratch of _name_bound_kernel (int64 bit sets)
    items = np.zeros(3 * CREDIT_SCRATCH_TOKENS, dtype=np.float64)  # _credit_bound_kernel's
    sim_scratch = (np.zeros(max_token_len + 1, dtype=np.bool_),
                   np.zeros(max_token_len + 1, dtype=np.bool_), np.zeros(256, dtype=np.uint64),
                   np.zeros(3 * (max_token_len + 1), dtype=np.float64))
    offsets = np.zeros(n_sq + 1, dtype=np.int64)
    reached = np.zeros(n_sq, dtype=np.int64)
    out = np.empty(n_sq * max_candidates, dtype=np.int64)
    n_out = 0
    threshold = min_score - 1e-9  # the bound equals the score for an exact match
    log_n = np.log(n_entries + 1.0)
    for s in range(n_sq):
        qa = sq_tok_offsets[s]
        nq = sq_tok_offsets[s + 1] - qa
        bound = 0
        for p in range(tok_key_offsets[qa], tok_key_offsets[qa + nq]):
            bound += hi[p] - lo[p]
        found = np.empty(bound, dtype=np.int64)
        masked = np.empty(bound, dtype=np.int64)
        n_masked = 0
        # Document frequency mass of each query token (its matched index tokens, deduplicated),
        # and per index token the bit set of query tokens matching it (for the score bound).
        qdf = np.zeros(nq, dtype=np.int64)
        for qi in range(nq):
            n_found = 0
            bit = np.int64(1) << qi
            for p in range(tok_key_offsets[qa + qi], tok_key_offsets[qa + qi + 1]):
                for x in range(lo[p], hi[p]):
                    t = key_tokens[x]
                    if tmask[t] == 0:
                        masked[n_masked] = t
                        n_masked += 1
                        t_idf[t] = log_n - np.log(token_df[t] + 1.0)
                    tmask[t] |= bit
                    if not key_loose[x]:
                        tstrong[t] |= bit
                    # The exact-spelling key comes first; the same length rules out the
                    # deletion and prefix keys of longer tokens sharing its key space.
                    if p == tok_key_offsets[qa + qi] and (
                            t_offsets[t + 1] - t_offsets[t] == q_len[qa + qi]):
                        texact[t] |= bit
                    if not tok_mark[t]:
                        tok_mark[t] = True
                        found[n_found] = t
                        n_found += 1
            for f in range(n_found):
                t = found[f]
                tok_mark[t] = False
                if tstrong[t] & bit:  # loose hits bring no candidates (see step 2)
                    qdf[qi] += token_df[t]
        # Most common first; ties: the later query token first (argsort of the negation).
        order_q = np.argsort(-qdf * (nq + 1) - np.arange(nq))
        skipped = np.zeros(nq, dtype=np.bool_)
        rest = 0.0
        a_skip = 0.0
        n_matching = 0
        open_q = 0
        for qi in range(nq):
            li = q_len[qa + qi]
            if li == 1 or 0 < q_prefix[qa + qi] <= li < PREFIX_LEN:
                # An initial or a short truncated token meets its record token through no key:
                # it never brings candidates, and may always match (score bound).
                skipped[qi] = True
                open_q |= np.int64(1) << qi
                a_skip += (q_w[qa + qi] + 1.0) * 0.5
            else:
                rest += q_miss[qa + qi]
                if qdf[qi] > 0:
                    n_matching += 1
        r = -1
        for k in range(nq):
            qi = order_q[k]
            if skipped[qi]:
                continue
            r += 1
            # Always keep the rarest query token that matches something (JOSELUIS in
            # "JOSELUIS GARCIA" matches no key, yet GARCIA must still bring candidates).
            if r >= n_matching - 1 or qdf[qi] < common_df:
                break
            a_new = a_skip + (q_w[qa + qi] + 1.0) * 0.5
            rest_new = rest - q_miss[qa + qi]
            if a_new + rest_new <= 0.0 or a_new / (a_new + rest_new) >= min_score:
                break
            a_skip = a_new
            rest = rest_new
            skipped[qi] = True
        # Per hit index token, the neighbours it lets match (for the score bound); multi: some
        # index token is hit by two query tokens (SAID SAID), the only case where the
        # one-to-one correction of the bound can bite (_one_to_one_bound_kernel).
        multi = False
        for f in range(n_masked):
            t = masked[f]
            m = tmask[t]
            lc = t_offsets[t + 1] - t_offsets[t]
            near = np.int64(0)
            for qi in range(nq):
                if (m >> qi) & 1:
                    li = q_len[qa + qi]
                    if lc > li + 1:  # the record token may also take a query neighbour
                        near |= (np.int64(1) << qi >> 1) | (np.int64(1) << qi << 1)
                    if li > lc + 1:  # the query token may also take record neighbours
                        t_glue[t] = True
            t_near_q[t] = near
            if m & (m - 1):  # hit by two query tokens or more
                multi = True
            # The bound of an entry whose only hit is this token, at one place: no more than
            # with no other record token (those only add to the rest). When it falls short,
            # only the entries with a second hit are reached, through the pair postings (most
            # entries a common token lists: MARIA in MARIA GARCIA lists every other MARIA).
            # A token a longer query token hits (t_glue) lets the bound cover up to
            # MAX_GLUED - 1 record neighbours on each side, each weighing at most
            # max_weight: the bound of an entry of n tokens whose only hit it is grows with
            # n, and the entries too short to reach min_score so are left out of the walk
            # (ALEX, hit by ALEXANDER through its prefix key, in ALEXANDER PETROV).
            if open_q == 0:
                hq = m | near
                x = t_w[t]
                rest_t = 0.0
                for qi in range(nq):
                    if (hq >> qi) & 1:
                        x += q_w[qa + qi]
                    else:
                        rest_t += q_miss[qa + qi]
                if not t_glue[t]:
                    x *= 0.5
                    if x + rest_t <= 0.0 or x / (x + rest_t) < threshold:
                        t_from[t] = ALONE_NEVER
                else:
                    t_from[t] = ALONE_NEVER
                    for n in range(1, 2 * MAX_GLUED):
                        xn = 0.5 * (x + min(n - 1, 2 * (MAX_GLUED - 1)) * max_weight)
                        if xn + rest_t > 0.0 and xn / (xn + rest_t) >= threshold:
                            t_from[t] = n if n > 1 else 0
                            break
        for f in range(n_masked):
            t = masked[f]
            tslot[t] = f + 1
            s_mask[f + 1] = tmask[t]
            s_exact[f + 1] = texact[t]
            s_strong[f + 1] = tstrong[t]
            s_near_q[f + 1] = t_near_q[t]
            s_glue[f + 1] = t_glue[t]
            s_idf[f + 1] = t_idf[t]
            s_w[f + 1] = t_w[t]
        sq_w = q_w[qa:qa + nq]
        sq_miss = q_miss[qa:qa + nq]
        # Entries listing an index token matched by a kept query token through a key that is
        # not loose, or loosely (the listed token's consonants or skeleton less one consonant
        # met) when it is rarer than loose_df and the query token has no other way to bring
        # its entry: a query token was skipped (ROVES in ROVES TATIANA, TATIANA skipped, meets
        # ROOVERS loosely), or this one met nothing else. Otherwise a loose hit only keeps the
        # bound open for entries a stronger hit brings: walked, the postings of every token
        # so met made gathering about 40% slower on the 1M-person list, and full screening
        # about 40% slower on a 10,000-name list, where nearly every token is rare.
        n_touched = 0
        bit_kept = 0
        any_skipped = False
        for qi in range(nq):
            if skipped[qi]:
                any_skipped = True
        bit_loose = 0
        for qi in range(nq):
            if not skipped[qi]:
                bit_kept |= 1 << qi
                if any_skipped or qdf[qi] == 0:
                    bit_loose |= 1 << qi
        # walk[f]: 1, masked[f]'s postings are walked: every entry of at least t_from tokens
        # is reached (all of them when t_from is 0), and the shorter ones where the query hits
        # a second token (their tokens are read where the walk finds them); 2, only those
        # listing another hit token, looked up in the pair postings (_pair_postings_kernel)
        # instead: where the token's list is long against the lookups that would take (a
        # pair with each hit token not walked). On the 1M-person load list a common token
        # needs about 50 lookups against 3,900 words of walk; on the quality benchmark's
        # list, whose typo'd and real names hit about 150 index tokens each, 190 against
        # 800, and the lookups made the step 10% slower. 0: not walked.
        walk = np.zeros(n_masked, dtype=np.int8)
        n_full = 0
        for f in range(n_masked):
            t = masked[f]
            if tstrong[t] & bit_kept or (tmask[t] & bit_loose and token_df[t] < loose_df):
                walk[f] = 1
                if t_from[t] == 0:
                    n_full += 1
        for f in range(n_masked):
            t = masked[f]
            if walk[f] == 1 and t_from[t] == ALONE_NEVER and pair_lookup_words * (
                    n_masked - n_full) < tok_post_offsets[t + 1] - tok_post_offsets[t]:
                walk[f] = 2
        for f in range(n_masked):
            t = masked[f]
            if walk[f] == 1:
                shortest = t_from[t]
                p = tok_post_offsets[t]
                end = tok_post_offsets[t + 1]
                while p < end:
                    e = tok_post[p]
                    n = tok_post[p + 1]
                    if n < shortest:
                        hits = 0
                        for j in range(n):
                            if tslot[tok_post[p + 2 + j]] != 0:
                                hits += 1
                                if hits > 1:
                                    break
                        if hits < 2:  # t alone, once, in an entry too short to reach
                            p += 2 + n
                            continue
                    if not entry_mark[e]:
                        entry_mark[e] = True
                        touched[n_touched] = e
                        t_start[n_touched] = p + 2
                        t_count[n_touched] = n
                        n_touched += 1
                    p += 2 + n
            elif walk[f] == 2:
                for g in range(n_masked):
                    # A walked token reaches the entries it shares with t itself; a pair of
                    # two looked-up tokens is looked up once (from the first), and (t, t)
                    # lists the entries that have t twice.
                    if walk[g] == 1 or (walk[g] == 2 and g < f):
                        continue
                    u = masked[g]
                    a = min(t, u)
                    k = _pair_find_kernel(pair_tok_offsets, pair_partner, a, max(t, u))
                    if k < 0:
                        continue
                    base = tok_post_offsets[a]
                    x_end = pair_post_offsets[k + 1]
                    for x in range(pair_post_offsets[k],
                                   min(x_end, pair_post_offsets[k] + PAIR_PREFETCH_AHEAD)):
                        prefetch(tok_post, base + pair_post[x])
                    for x in range(pair_post_offsets[k], x_end):
                        if x + PAIR_PREFETCH_AHEAD < x_end:
                            prefetch(tok_post, base + pair_post[x + PAIR_PREFETCH_AHEAD])
                        p = base + pair_post[x]
                        e = tok_post[p]
                        if not entry_mark[e]:
                            entry_mark[e] = True
                            touched[n_touched] = e
                            t_start[n_touched] = p + 2
                            t_count[n_touched] = tok_post[p + 1]
                            n_touched += 1
        # Only entries that can still reach min_score are worth scoring (their tokens are
        # read from the postings, next to where the walk found them).
        n_kept = 0
        for f in range(n_touched):
            e = touched[f]
            entry_mark[e] = False
            b = _name_bound_kernel(tok_post, t_start[f], t_count[f], nq, sq_w, sq_miss, open_q,
                                   tslot, s_mask, s_w, s_near_q, s_glue, t_w, w_c)
            if multi and b >= threshold:
                b = _one_to_one_bound_kernel(b, tok_post, t_start[f], t_count[f], nq, sq_w,
                                             sq_miss, open_q, tmask, t_w, t_near_q, t_glue,
                                             side)
            if b >= threshold:
                kept[n_kept] = e
                kept_info[n_kept] = _name_info_kernel(tok_post, t_start[f], t_count[f], nq,
                                                      tslot, s_mask, s_exact, s_strong, s_idf,
                                                      best_idf)
                kept_bound[n_kept] = b
                scratch_i[n_kept] = f
                n_kept += 1
        # Then the bound with the pairs' credits, over the entries the plain bound kept (a
        # second pass: inside the walk above, it made every entry's step slower), unless they
        # are a crowd (CREDIT_BOUND_MAX_KEPT).
        if credit_bound and open_q == 0 and n_kept <= CREDIT_BOUND_MAX_KEPT * max_candidates:
            credit_of = np.full(n_masked * nq, -1.0)  # per (slot - 1, query token)
            n_tight = 0
            for g in range(n_kept):
                f = scratch_i[g]
                b = _credit_bound_kernel(kept_bound[g], tok_post, t_start[f], t_count[f], nq,
                                         qa, q_w, q_miss, tslot, s_mask, s_near_q, t_w,
                                         credit_of, q_chars, q_offsets, q_phon, q_plen,
                                         q_prefix, q_fuzzy, q_tok, t_chars, t_offsets, t_phon,
                                         t_plen, variant_pairs, sim_scratch, items)
                if b >= threshold:
                    kept[n_tight] = kept[g]
                    kept_info[n_tight] = kept_info[g]
                    kept_bound[n_tight] = b
                    n_tight += 1
            n_kept = n_tight
        reached[s] = n_kept
        if n_kept <= max_candidates:
            for f in range(n_kept):
                out[n_out] = kept[f]
                n_out += 1
        else:
            if 0 < bound_reserve < max_candidates:
                _reserve_by_bound_kernel(kept, kept_info, kept_bound, n_kept, bound_reserve,
                                         scratch_f, scratch_i)
            n_out = _select_best_kernel(kept, kept_info, kept_bound, n_kept, max_candidates,
                                        out, n_out, scratch_f, scratch_i)
        for f in range(n_masked):
            tmask[masked[f]] = 0
            tslot[masked[f]] = 0
            texact[masked[f]] = 0
            tstrong[masked[f]] = 0
            t_near_q[masked[f]] = 0
            t_glue[masked[f]] = False
            t_from[masked[f]] = 0
        offsets[s + 1] = n_out
    return offsets, out[:n_out], reached
