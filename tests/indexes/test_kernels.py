"""Every kernel against its plain-Python twin in indexes.reference (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler

from indexes import reference as ref
from indexes.arrow_buffers import string_buffers
from indexes.document_index import FOLD_TABLE, IDENTITY_TABLE
from indexes.kernels import names as K
from indexes.kernels import strings as S
from indexes.kernels.documents import _lookup_fingerprint_kernel, _pack_countries_kernel
from indexes.kernels.hashing import _hash_strings_kernel
from indexes.kernels.strings import _edit_similarity_kernel, _jaro_winkler_kernel
from indexes.name_index import _token_table
from indexes.phonetic import phonetic_tables

SETTINGS = settings(max_examples=300, deadline=None)
# Small alphabets make collisions, transpositions and shared prefixes frequent.
small_tokens = st.text(alphabet="ABDHMOSUY", min_size=1, max_size=9)
any_ascii = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20)
FIRST, REST = phonetic_tables()


def u8(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("ascii"), dtype=np.uint8)


def csr(tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    chars = u8("".join(tokens))
    offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in tokens], out=offsets[1:])
    return chars, offsets


# ------------------------------------------------------------------ Jaro-Winkler


@SETTINGS
@given(any_ascii, any_ascii)
def test_jaro_winkler_kernel_equals_twin_and_rapidfuzz(a: str, b: str) -> None:
    got = _jaro_winkler_kernel(u8(a), len(a), u8(b), len(b))
    assert abs(got - ref.jaro_winkler(a, b)) < 1e-12
    assert abs(got - JaroWinkler.similarity(a, b)) < 1e-9


@SETTINGS
@given(small_tokens, small_tokens)
def test_jaro_winkler_small_alphabet(a: str, b: str) -> None:
    got = _jaro_winkler_kernel(u8(a), len(a), u8(b), len(b))
    assert abs(got - JaroWinkler.similarity(a, b)) < 1e-9
    assert abs(got - ref.jaro_winkler(a, b)) < 1e-12


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ABC", min_size=50, max_size=100), st.text(alphabet="ABC", max_size=100))
def test_jaro_winkler_long_strings_take_the_flag_path(a: str, b: str) -> None:
    got = _jaro_winkler_kernel(u8(a), len(a), u8(b), len(b))
    assert abs(got - JaroWinkler.similarity(a, b)) < 1e-9
    assert abs(got - ref.jaro_winkler(a, b)) < 1e-12


@SETTINGS
@given(small_tokens, small_tokens)
def test_jaro_winkler_never_exceeds_its_length_ceiling(a: str, b: str) -> None:
    # The scorer skips glued pairs whose ceiling is below SQUASH_MIN: a ceiling under the
    # real value would lose squashed names.
    assert ref.jaro_winkler(a, b) <= S._jaro_winkler_ceiling_kernel(len(a), len(b)) + 1e-12


def test_jaro_winkler_ceiling_is_reached_by_a_prefix() -> None:
    # JOSE inside JOSELUIS: every letter matched, no transposition, the full prefix bonus.
    assert abs(ref.jaro_winkler("JOSE", "JOSELUIS")
               - S._jaro_winkler_ceiling_kernel(4, 8)) < 1e-12
    assert S._jaro_winkler_ceiling_kernel(4, 9) < K.SQUASH_MIN


def test_jaro_winkler_known_values() -> None:
    assert _jaro_winkler_kernel(u8("MARTHA"), 6, u8("MARHTA"), 6) == ref.jaro_winkler(
        "MARTHA", "MARHTA")
    assert abs(ref.jaro_winkler("MARTHA", "MARHTA") - 0.9611111111) < 1e-9


# ------------------------------------------------------------------ hashing


@SETTINGS
@given(st.lists(any_ascii, max_size=10), st.integers(0, 3))
def test_hash_strings_kernel_equals_twin(values: list[str], seed: int) -> None:
    data, offsets = string_buffers(pa.array(values, type=pa.large_string()))
    fold = bytes(FOLD_TABLE)
    for table, twin_table in ((IDENTITY_TABLE, None), (FOLD_TABLE, fold)):
        got = _hash_strings_kernel(data, offsets, table, seed)
        want = [ref.hash_bytes(v.encode(), seed, twin_table) for v in values]
        assert got.tolist() == want


def test_hash_works_on_sliced_int32_arrays() -> None:
    arr = pa.array(["XX", "AB12", "C3"])[1:]
    data, offsets = string_buffers(arr)
    got = _hash_strings_kernel(data, offsets, IDENTITY_TABLE, 0)
    assert got.tolist() == [ref.hash_bytes(b"AB12"), ref.hash_bytes(b"C3")]


def test_folded_hash_merges_confusables() -> None:
    data, offsets = string_buffers(pa.array(["X1234567", "XI234S67", "X1234568"]))
    h = _hash_strings_kernel(data, offsets, FOLD_TABLE, 0)
    assert h[0] == h[1] != h[2]


# ------------------------------------------------------------------ document verification

doc_numbers = st.text(alphabet="A01OS", max_size=4)
doc_countries = st.sampled_from(["", "FRA", "DEU"])


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)), min_size=1,
             max_size=12),
    st.lists(st.tuples(st.booleans(), st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)),
             min_size=1, max_size=6),
)
def test_lookup_kernel_equals_twin(docs, queries) -> None:
    """Docs are (hash, fingerprint, country) with few values so that runs, exact and
    look-alike rows and country conflicts all occur."""
    row_mask = 2**8 - 1
    keys = sorted((h << 60) | row for row, (h, _, _) in enumerate(docs))
    fps = [fp for _, fp, _ in docs]
    ctry = [c for _, _, c in docs]
    q = [(empty, h << 60, fp, c) for empty, h, fp, c in queries]
    n = len(q)
    keys_arr = np.array(keys, dtype=np.uint64)
    exact, folded = _lookup_fingerprint_kernel(
        np.array([x[0] for x in q]), np.array([x[1] for x in q], dtype=np.uint64),
        np.array([x[2] for x in q], dtype=np.uint64), np.array([x[3] for x in q], np.uint32),
        np.zeros(n, dtype=np.int64), np.full(n, len(keys), dtype=np.int64), keys_arr,
        np.uint64(row_mask), np.array(fps, dtype=np.uint64), np.array(ctry, dtype=np.uint32))
    assert (exact.tolist(), folded.tolist()) == ref.lookup_fingerprints(
        q, keys, row_mask, fps, ctry)


@SETTINGS
@given(st.lists(st.text(alphabet="ABCFRDEU<1", max_size=5), max_size=10))
def test_pack_countries_kernel_equals_twin(codes: list[str]) -> None:
    data, offsets = string_buffers(pa.array(codes, type=pa.large_string()))
    assert _pack_countries_kernel(data, offsets).tolist() == [ref.pack_country(c) for c in codes]


# ------------------------------------------------------------------ phonetic and blocking keys


def test_phonetic_skeletons() -> None:
    for a, b in [("MUHAMMAD", "MOHAMED"), ("MUHAMMAD", "MOHAMMED"), ("YUSUF", "YOUSSEF"),
                 ("YUSUF", "JUSUF"), ("PHILIP", "FILIP"), ("KARIMOV", "KARIMOFF"),
                 ("QADDAFI", "GADDAFI"), ("QADDAFI", "KADHAFI"), ("HUSSEIN", "HUSAYN"),
                 ("DZHAMSHID", "JAMSHID"), ("DJAMSHID", "JAMSHID"), ("ZHUKOV", "JUKOV"),
                 # vowel-less romanisations of Arabic script (anyascii) meet vowelled ones
                 ("MHMD", "MUHAMMAD"), ("KHLD", "KHALID"), ("SHHYN", "SHAHEEN"), ("BLL", "BILAL"),
                 ("ATHMN", "OTHMAN"), ("AMR", "OMAR")]:
        assert ref.phonetic_skeleton(a) == ref.phonetic_skeleton(b), (a, b)
    assert ref.phonetic_skeleton("MUHAMMAD") == "MT"
    assert ref.phonetic_skeleton("KARIMOV") != ref.phonetic_skeleton("ALIYEV")


def test_vowel_less_tokens_meet_on_two_letter_skeletons() -> None:
    # BLL (Arabic script) has a 2-letter skeleton like BILAL; spelling likeness is too weak,
    # so a vowel-less side is what lets the skeleton count (but not for two vowelled tokens).
    assert ref.token_similarity("BL", "BILAL") == (K.PHONETIC_SIM, K.METHOD_PHONETIC)
    assert ref.token_similarity("OLA", "ALI")[1] != K.METHOD_PHONETIC


def test_a_token_written_without_its_vowels_meets_the_full_one() -> None:
    # Vowels left out, the other letters in order: the name written abjad-style (JSPH, HSN,
    # BLL), or only some vowels gone (ZHYR, HBBI).
    for a, b in [("JSPH", "JOSEPH"), ("HSN", "HASAN"), ("BLL", "BILAL"), ("PTRCK", "PATRICK"),
                 ("JOSEPH", "JSPH"), ("ZHYR", "ZUHAYR"), ("HBBI", "HABIBI"), ("IRN", "IRINA"),
                 ("GHLAM", "GHOLAMI"), ("MRKO", "MARKOA"), ("MN", "MIAN"), ("RZ", "REZA")]:
        assert ref.token_similarity(a, b) == (K.VOWELS_DROPPED_SIM, K.METHOD_VOWELS_DROPPED)
        check_token_sim_against_twin(a, b, 0)
    # Other consonants (the skeleton folds SS into S), too short, or vowels left in: not this.
    for a, b in [("HSN", "HUSSEIN"), ("NA", "NINA"), ("MARA", "MARIA"), ("JSPHN", "JOSEPH"),
                 ("ALI", "ALIA"), ("MALEK", "MALEKI"), ("IVAN", "IVANA")]:
        assert ref.token_similarity(a, b)[1] != K.METHOD_VOWELS_DROPPED
        check_token_sim_against_twin(a, b, 0)


@SETTINGS
@given(st.lists(st.text(alphabet="DZHJPAU", min_size=1, max_size=8), max_size=8))
def test_phonetic_digraphs_kernel_equals_twin(tokens: list[str]) -> None:
    chars, offsets = csr(tokens)
    phon, plen = K._phonetic_keys_kernel(chars, offsets, FIRST, REST, IDENTITY_TABLE)
    assert phon.tolist() == [ref.phonetic_key(t) for t in tokens]
    assert plen.tolist() == [len(ref.phonetic_skeleton(t)) for t in tokens]


@SETTINGS
@given(st.lists(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10),
                max_size=8))
def test_phonetic_and_token_keys_kernels_equal_twin(tokens: list[str]) -> None:
    chars, offsets = csr(tokens)
    phon, plen = K._phonetic_keys_kernel(chars, offsets, FIRST, REST, IDENTITY_TABLE)
    assert phon.tolist() == [ref.phonetic_key(t) for t in tokens]
    assert plen.tolist() == [len(ref.phonetic_skeleton(t)) for t in tokens]
    for query_side in (False, True):
        keys, owners, loose = K._token_keys_kernel(chars, offsets, phon, plen, IDENTITY_TABLE,
                                                   query_side, FIRST, REST)
        want = [(k, i) for i, t in enumerate(tokens) for k in ref.token_keys(t, query_side)]
        assert list(zip(keys.tolist(), owners.tolist(), strict=True)) == want
        strong = [(k, i) for i, t in enumerate(tokens)
                  for k in ref.token_keys(t, query_side, loose=False)]
        got = [(k, i) for k, i, x in zip(keys.tolist(), owners.tolist(), loose.tolist(),
                                         strict=True) if not x]
        assert got == strong


def test_ocr_folded_keys_meet() -> None:
    for a, b in [("YILMAZ", "YILRNAZ"), ("DANIELA", "CLANIELA"), ("ANWAR", "ANVVAR"),
                 ("BERNARD", "BEMARD")]:
        assert set(ref.token_keys(a)) & set(ref.token_keys(b, True)), (a, b)


def test_short_tokens_one_slip_apart_meet_and_score_as_slips() -> None:
    """2- and 3-letter tokens: one neighbouring key, look-alike, letter of one sound or swap
    meets the listed spelling through a slip key and scores as an edit; a second slip,
    another substitution or a letter lost does neither."""
    for listed, query in [("ALI", "WLI"), ("DIN", "IDN"), ("KIM", "KIN"), ("ALI", "ALY"),
                          ("AL", "ZL"), ("SU", "SY")]:
        strong = set(ref.token_keys(query, True, loose=False))
        slip = set(ref.token_keys(query, True)) - strong
        assert set(ref.token_keys(listed)) & slip, (listed, query)
        sim, method = ref.token_similarity(query, listed)
        assert sim >= 1 - S.SHORT_SLIP_MAX_COST / len(query), (listed, query)
        check_against_twin([query], [listed])
    assert not set(ref.token_keys("ALI")) & set(ref.token_keys("WLI", True, loose=False))
    assert ref.token_similarity("WLI", "ALI")[1] == K.METHOD_EDIT
    for listed, query in [("SU", "PU"), ("ALI", "WLY"), ("DIN", "DINN"), ("ALI", "AI"),
                          ("ALI", "AXI")]:
        assert not set(ref.token_keys(listed)) & (
            set(ref.token_keys(query, True)) - set(ref.token_keys(query, True, loose=False)))
        assert ref.token_similarity(query, listed)[1] != K.METHOD_EDIT, (listed, query)


def test_squashed_query_token_meets_its_first_part() -> None:
    assert set(ref.token_keys("PAK")) & set(ref.token_keys("PAKYONG", True))
    assert not set(ref.token_keys("PAK")) & set(ref.token_keys("PAKYONG", False))


def test_likeness_without_a_shared_letter_key_meets_through_folds() -> None:
    """Pairs the scorer credits that share no exact, deletion or skeleton key: the spelling
    fold (both sides), the listed token's consonants, its skeleton less one consonant."""
    for listed, query in [("ALEKSEY", "ALEXEI"), ("ROSENBAUMOVA", "ROZENBAUMOWA"),
                          ("AHMADI", "HMDI"), ("MORSI", "MRSI"), ("JOSEPH", "JSPH"),
                          ("MERRICKS", "MERIS"), ("JOURDAN", "JODAN"), ("ROOVERS", "ROVES")]:
        assert set(ref.token_keys(listed)) & set(ref.token_keys(query, True)), (listed, query)
    # One-sided: a query token's own consonants and skeleton deletions are not keys.
    assert not set(ref.token_keys("HMDI")) & set(ref.token_keys("AHMADI", True))
    assert not set(ref.token_keys("JODAN")) & set(ref.token_keys("JOURDAN", True))


def test_deletion_keys_meet_on_single_typo() -> None:
    for a, b in [("KARIMOV", "KARIMV"), ("KARIMOV", "KAFIMOV"), ("KARIMOV", "KRAIMOV"),
                 ("KARIMOV", "KARIMOVV")]:
        assert set(ref.token_keys(a)) & set(ref.token_keys(b)), (a, b)


# ------------------------------------------------------------------ OCR / keyboard edit similarity

ocr_tokens = st.text(alphabet="KARIMOVL1SD0QWNEMC", min_size=1, max_size=9)


def edit_sim(a: str, b: str) -> float:
    rows = np.zeros(3 * (len(b) + 1), dtype=np.float64)
    return _edit_similarity_kernel(u8(a), 0, len(a), u8(b), 0, len(b), rows)


@SETTINGS
@given(ocr_tokens, ocr_tokens)
def test_edit_similarity_kernel_equals_twin(a: str, b: str) -> None:
    assert abs(edit_sim(a, b) - ref.edit_similarity(a, b)) < 1e-12
    assert 0.0 <= edit_sim(a, b) <= 1.0
    assert edit_sim(a, a) == 1.0


@SETTINGS
@given(ocr_tokens, ocr_tokens, st.floats(0.0, 1.0))
def test_edit_similarity_above_a_floor_is_exact_or_gives_up(a: str, b: str,
                                                            floor: float) -> None:
    # Exact whenever the similarity beats the floor; otherwise at most the floor, so that a
    # caller comparing with the floor decides as it would with the full distance.
    rows = np.zeros(3 * (len(b) + 1), dtype=np.float64)
    got = S._edit_similarity_above_kernel(u8(a), 0, len(a), u8(b), 0, len(b), rows, floor)
    full = ref.edit_similarity(a, b)
    if full > floor:
        assert abs(got - full) < 1e-12
    else:
        assert got <= floor


@SETTINGS
@given(ocr_tokens, ocr_tokens, st.integers(0, 5))
def test_token_similarity_kernel_equals_twin(a: str, b: str, prefix_min: int) -> None:
    check_token_sim_against_twin(a, b, prefix_min)


def check_token_sim_against_twin(a: str, b: str, prefix_min: int) -> None:
    ta, tb = _token_table([a]), _token_table([b])
    got = K._token_sim_kernel(
        ta.chars, 0, len(a), ta.phon[0], ta.plen[0], prefix_min, tb.chars, 0, len(b),
        tb.phon[0], tb.plen[0], np.zeros(64, dtype=np.bool_), np.zeros(64, dtype=np.bool_),
        np.zeros(256, dtype=np.uint64), np.zeros(3 * (len(b) + 1), dtype=np.float64))
    want = ref.token_similarity(a, b, prefix_min)
    assert abs(got[0] - want[0]) < 1e-12 and got[1] == want[1]


def token_sim(a: str, b: str, prefix_min: int = 0) -> tuple[float, int]:
    return ref.token_similarity(a, b, prefix_min)


def test_ocr_and_keyboard_confusions_beat_plain_jaro_winkler() -> None:
    # Same position, same kind of edit: a look-alike or a neighbouring key scores clearly
    # higher than an arbitrary letter, for which Jaro-Winkler alone decides.
    for confused, arbitrary in [("KARLMOV", "KARXMOV"), ("KAR1MOV", "KARXMOV"),
                                ("KSRIMOV", "KXRIMOV"), ("KAR1MOV", "KARPMOV"),
                                ("KARIM0V", "KARIMXV"), ("KARIRNOV", "KARIXYOV")]:
        sim, method = token_sim(confused, "KARIMOV")
        plain, plain_method = token_sim(arbitrary, "KARIMOV")
        assert method == K.METHOD_EDIT and plain_method == K.METHOD_JARO_WINKLER
        assert sim >= plain + 0.01, (confused, sim, plain)
        assert sim > ref.jaro_winkler(confused, "KARIMOV") + 0.01
    assert token_sim("KSRIMOV", "KARIMOV")[0] > 0.94
    assert token_sim("KARIRNOV", "KARIMOV")[0] > 0.95  # RN read for M
    assert token_sim("KRAIMOV", "KARIMOV")[0] >= ref.jaro_winkler("KRAIMOV", "KARIMOV")
    # Short tokens take one slip only (L read for I); any other substitution is too much of
    # the name, and Jaro-Winkler alone decides.
    assert token_sim("ALL", "ALI")[1] == K.METHOD_EDIT
    assert token_sim("ALX", "ALI")[1] != K.METHOD_EDIT


@SETTINGS
@given(st.text("AHNS", min_size=1, max_size=8), st.text("AHNS", min_size=1, max_size=8))
def test_token_similarity_kernel_equals_twin_on_letter_runs(a: str, b: str) -> None:
    check_token_sim_against_twin(a, b, 0)


@SETTINGS
@given(st.text("RNMCLDVW", min_size=1, max_size=8), st.text("RNMCLDVW", min_size=1, max_size=8))
def test_token_similarity_kernel_equals_twin_on_ocr_letters(a: str, b: str) -> None:
    check_token_sim_against_twin(a, b, 0)


def test_multi_letter_ocr_misreadings_score_as_edits() -> None:
    assert token_sim("RNUSA", "MUSA") == (K.OCR_FOLD_SIM, K.METHOD_EDIT)
    assert token_sim("NGORNA", "NGOMA") == (K.OCR_FOLD_SIM, K.METHOD_EDIT)
    assert token_sim("WILLY", "VVILLY")[0] >= K.OCR_FOLD_SIM
    assert token_sim("RNUSA", "NUSA")[0] < K.OCR_FOLD_SIM


def test_doubled_letters_are_a_spelling_not_a_likeness() -> None:
    assert token_sim("HASSAN", "HASAN") == (K.DOUBLED_SIM, K.METHOD_DOUBLED)
    assert token_sim("MUHAMAD", "MUHAMMAD")[1] == K.METHOD_DOUBLED
    assert token_sim("HASSAN", "HASAAN")[1] != K.METHOD_DOUBLED  # a letter moved, not doubled
    known = kernel_score(["HASSAN", "NASRALLAH"], ["HASAN", "NASRALLAH"], q_fuzzy=[0.85, 0.85])
    assert known[2][0] > 0.97


def test_truncated_last_token_matches_as_prefix() -> None:
    assert token_sim("MUHAM", "MUHAMMAD", 4) == (K.PREFIX_SIM, K.METHOD_PREFIX)
    assert token_sim("MUHA", "MUHAMMAD", 4) == (K.PREFIX_SIM, K.METHOD_PREFIX)
    assert token_sim("MUH", "MUHAMMAD", 4)[1] != K.METHOD_PREFIX  # too short
    assert token_sim("MUH", "MUHAMMAD", 3) == (K.PREFIX_SIM, K.METHOD_PREFIX)  # MRZ cut
    assert token_sim("MUHAM", "MUHAMMAD", 0)[1] != K.METHOD_PREFIX  # not the last token
    assert token_sim("MUHAMMAD", "MUHAM", 4)[1] != K.METHOD_PREFIX  # record side not cut
    assert token_sim("MUHAMMAD", "MUHAMMAD", 4) == (1.0, K.METHOD_EXACT)
    # A token an MRZ name field cut (prefix minimum MRZ_CUT_PREFIX_MIN): the document had no
    # room for the rest, so 4 letters or more match fully; fewer still at PREFIX_SIM.
    cut = K.MRZ_CUT_PREFIX_MIN
    assert token_sim("VLADIMIROV", "VLADIMIROVICH", cut) == (1.0, K.METHOD_PREFIX)
    assert token_sim("VLADIMIROV", "VLADIMIROVICH", 4)[0] < 1.0  # typed: a guess at a cut
    assert token_sim("ABS", "ABSHA", cut) == (K.PREFIX_SIM, K.METHOD_PREFIX)
    assert token_sim("VLADIMIROV", "VLADIMIRSKY", cut)[0] < 1.0  # not a prefix


def test_rare_extra_query_token_costs_more_than_a_common_one() -> None:
    q, c = ["IVAN", "PETROV", "XAVIER"], ["IVAN", "PETROV"]
    rare = kernel_score(q, c, [1.0, 1.0, 1.0])[2][0]
    common = kernel_score(q, c, [1.0, 1.0, 0.6])[2][0]
    assert common > rare


# ------------------------------------------------------------------ name score

name_tokens = st.lists(st.sampled_from(
    ["MUHAMMAD", "MOHAMED", "YUSUF", "YOUSSEF", "KARIMOV", "KARIMV", "AL", "M", "K", "JOSE",
     "LUIS", "JOSELUIS", "ALI", "ALY", "SMITH", "SMYTH"]), max_size=5)
mixed_tokens = st.lists(st.one_of(small_tokens, st.sampled_from(["AL", "BIN"])), max_size=5)


def kernel_score(q: list[str], c: list[str], q_miss: list[float] | None = None,
                 q_prefix: list[int] | None = None, q_fuzzy: list[float] | None = None):
    qt, ct = _token_table(q), _token_table(c)
    miss = qt.weight if q_miss is None else np.asarray(q_miss, dtype=np.float64)
    prefix = np.zeros(len(q), dtype=np.int64) if q_prefix is None else np.asarray(
        q_prefix, dtype=np.int64)
    fuzzy = np.ones(len(q)) if q_fuzzy is None else np.asarray(q_fuzzy, dtype=np.float64)
    return qt, ct, K._name_score_kernel(qt.chars, qt.offsets, qt.weight, miss, fuzzy, qt.phon,
                                        qt.plen, prefix, ct.chars, ct.offsets, ct.weight,
                                        ct.phon, ct.plen)


def check_against_twin(q: list[str], c: list[str], q_miss: list[float] | None = None,
                       q_prefix: list[int] | None = None,
                       q_fuzzy: list[float] | None = None) -> None:
    qt, ct, (score, choice, sim, method, span) = kernel_score(q, c, q_miss, q_prefix, q_fuzzy)
    t_score, t_choice, t_sim, t_method, t_span, _ = ref.name_score(
        q, qt.weight.tolist(), c, ct.weight.tolist(), q_miss, q_prefix, q_fuzzy)
    assert abs(score - t_score) < 1e-12
    assert choice.tolist() == t_choice
    assert np.allclose(sim, t_sim, atol=1e-12)
    assert method.tolist() == t_method
    assert span.tolist() == t_span
    assert 0.0 <= score <= 1.0 + 1e-12


@SETTINGS
@given(name_tokens, name_tokens)
def test_name_score_kernel_equals_twin(q: list[str], c: list[str]) -> None:
    check_against_twin(q, c)


@SETTINGS
@given(mixed_tokens, mixed_tokens)
def test_name_score_kernel_equals_twin_random_tokens(q: list[str], c: list[str]) -> None:
    check_against_twin(q, c)


def test_initials_alone_identify_nobody() -> None:
    # SAKR T against a listed alias S TRQ D meets only initials (SAKR as S, T as TRQ): at most
    # INITIALS_ONLY_MAX, under any reporting floor; it scored 0.873 before the cap. A letter
    # against the same letter is no name either. One name meeting a name lifts the cap.
    for q, c in [(["SAKR", "T"], ["S", "TRQ", "D"]), (["S", "T"], ["S", "TAREK"]),
                 (["M"], ["MUHAMMAD"])]:
        _, _, (score, *_) = kernel_score(q, c)
        assert 0.0 < score <= K.INITIALS_ONLY_MAX
        check_against_twin(q, c)
    _, _, (score, _, _, method, _) = kernel_score(["SAKR", "T"], ["SAKR", "TAREK"])
    assert score > 0.9 and method.tolist() == [K.METHOD_EXACT, K.METHOD_INITIAL]
    check_against_twin(["SAKR", "T"], ["SAKR", "TAREK"])


@SETTINGS
@given(name_tokens, name_tokens, st.data())
def test_name_score_kernel_equals_twin_known_tokens(q: list[str], c: list[str], data) -> None:
    fuzzy = data.draw(st.lists(st.sampled_from([1.0, 0.85, 0.5]), min_size=len(q),
                               max_size=len(q)))
    check_against_twin(q, c, q_fuzzy=fuzzy)


def test_known_query_name_earns_less_from_likeness() -> None:
    # ALINA listed as a name of its own: against GALINA it is likelier another person.
    unknown = kernel_score(["ALINA", "PETROVA"], ["GALINA", "PETROVA"])[2][0]
    known = kernel_score(["ALINA", "PETROVA"], ["GALINA", "PETROVA"], q_fuzzy=[0.85, 0.85])[2][0]
    exact = kernel_score(["GALINA", "PETROVA"], ["GALINA", "PETROVA"], q_fuzzy=[0.85, 0.85])[2][0]
    assert known < unknown < 1.0
    assert exact == 1.0  # exact matches are not discounted


def test_known_query_name_earns_less_from_a_glued_likeness() -> None:
    # ANDREAROSSA against ANDREA ROSA glued (and the other way round): not a squash but a
    # likeness, discounted as one when the query's names are names of their own; a true
    # squash (JOSELUIS / JOSE LUIS) keeps its full credit.
    def score(q: list[str], c: list[str], fuzzy: float) -> tuple[float, int]:
        _, _, (s, _, _, method, _) = kernel_score(q, c, q_fuzzy=[fuzzy] * len(q))
        return s, int(method[1])

    for q, c in ((["CASTRO", "ANDREAROSSA"], ["CASTRO", "ANDREA", "ROSA"]),
                 (["CASTRO", "ANDREA", "ROSA"], ["CASTRO", "ANDREAROSSA"])):
        unknown, m_unknown = score(q, c, 1.0)
        known, m_known = score(q, c, 0.85)
        assert m_unknown == m_known == K.METHOD_SQUASHED and known < unknown - 0.05
    squash = [kernel_score(["GARCIA", "JOSELUIS"], ["GARCIA", "JOSE", "LUIS"], q_fuzzy=[f, f])[2]
              for f in (1.0, 0.85)]
    assert squash[0][0] == squash[1][0] > 0.95 and squash[1][3][1] == K.METHOD_SQUASHED


@SETTINGS
@given(st.lists(st.one_of(ocr_tokens, st.sampled_from(["AL", "KARI", "KARIMOV"])), max_size=4),
       st.lists(st.one_of(ocr_tokens, st.sampled_from(["AL", "KARIMOV"])), max_size=4),
       st.data())
def test_name_score_kernel_equals_twin_with_miss_costs_and_prefixes(q, c, data) -> None:
    miss = data.draw(st.lists(st.floats(0.0, 1.0), min_size=len(q), max_size=len(q)))
    prefix = data.draw(st.lists(st.integers(0, 5), min_size=len(q), max_size=len(q)))
    check_against_twin(q, c, miss, prefix)


def score(q: str, c: str) -> float:
    return kernel_score(q.split(), c.split())[2][0]


def test_name_score_grading() -> None:
    exact = score("MUHAMMAD YUSUF KARIMOV", "KARIMOV MUHAMMAD YUSUF")
    typo = score("MUHAMMAD YUSUF KARIMOV", "KARIMOV MUHAMMAD YUSUP")
    missing_middle = score("MUHAMMAD KARIMOV", "KARIMOV MUHAMMAD YUSUF")
    assert exact == 1.0
    assert 0.85 < typo < 0.97
    assert 0.9 < missing_middle < 0.98  # a dropped middle name costs little
    assert score("MUHAMMAD ALIYEV", "MUHAMMAD KARIMOV") < 0.6
    assert score("JOSELUIS GARCIA", "JOSE LUIS GARCIA") > 0.95
    assert score("JOSE LUIS GARCIA", "JOSELUIS GARCIA") > 0.95
    assert score("M KARIMOV", "MUHAMMAD KARIMOV") > 0.85
    assert score("MOHAMED YOUSSEF KARIMOV", "KARIMOV MUHAMMAD YUSUF") >= 0.85
    assert score("", "KARIMOV") == 0.0


def _assert_pair_equals_twin(batch: tuple, p: int, n: int, want: tuple) -> None:
    """Pair p of _score_pairs_kernel's output (a query of n tokens) equals the twin's."""
    got, choice, sim, method, span, den = batch
    assert abs(got[p] - want[0]) < 1e-12
    assert choice[p, :n].tolist() == want[1]
    assert np.allclose(sim[p, :n], want[2], atol=1e-12)
    assert method[p, :n].tolist() == want[3] and span[p, :n].tolist() == want[4]
    assert abs(den[p] - want[5]) < 1e-9


@SETTINGS
@given(st.lists(st.tuples(name_tokens, name_tokens), min_size=1, max_size=6))
def test_batch_scorer_equals_single_pair_kernel(pairs) -> None:
    queries = [q for q, _ in pairs]
    cands = [c for _, c in pairs]
    qt = _token_table([t for q in queries for t in q])
    sq_off = np.zeros(len(queries) + 1, dtype=np.int64)
    np.cumsum([len(q) for q in queries], out=sq_off[1:])
    tt = _token_table([t for c in cands for t in c])
    e_off = np.zeros(len(cands) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in cands], out=e_off[1:])
    e_tokens = np.arange(e_off[-1], dtype=np.int32)
    # Every query against every candidate, in one call.
    pair_sq = np.repeat(np.arange(len(queries)), len(cands)).astype(np.int64)
    pair_entry = np.tile(np.arange(len(cands)), len(queries)).astype(np.int64)
    # Unmatched query tokens cost a little less than their weight; the last token of each
    # query may match as a prefix.
    q_miss = qt.weight * 0.75
    q_fuzzy = np.where(np.arange(len(qt.weight)) % 2 == 0, 1.0, 0.85)
    q_prefix = np.zeros(len(qt.weight), dtype=np.int64)
    q_prefix[sq_off[1:][np.diff(sq_off) > 0] - 1] = 4
    got, choice, sim, method, span, den = K._score_pairs_kernel(
        pair_sq, pair_entry, qt.chars, qt.offsets, sq_off, qt.weight, q_miss, q_fuzzy, qt.phon,
        qt.plen,
        q_prefix, tt.chars, tt.offsets, tt.weight, tt.phon, tt.plen, e_off, e_tokens,
        np.full(len(qt.weight), -1, dtype=np.int64), np.zeros(0, dtype=np.int64))
    for p in range(len(pair_sq)):
        s = pair_sq[p]
        q, c = queries[s], cands[pair_entry[p]]
        want = ref.name_score(q, _token_table(q).weight.tolist(), c,
                              _token_table(c).weight.tolist(),
                              q_miss[sq_off[s]:sq_off[s + 1]].tolist(),
                              q_prefix[sq_off[s]:sq_off[s + 1]].tolist(),
                              q_fuzzy[sq_off[s]:sq_off[s + 1]].tolist())
        _assert_pair_equals_twin((got, choice, sim, method, span, den), p, len(q), want)


@SETTINGS
@given(name_tokens.filter(bool),
       st.lists(st.lists(st.sampled_from(["ALI", "ALY", "KARIMOV", "KARIMOVA", "M", "JOSE"]),
                         min_size=1, max_size=4), min_size=1, max_size=6),
       st.lists(st.integers(0, 5), min_size=1, max_size=20))
def test_batch_scorer_copies_namesakes_exactly(query, spellings, picks) -> None:
    """Entries with the same token ids (namesakes) take the results of the first one scored
    in a run: every pair must still equal the plain-Python twin, duplicates or not."""
    cands = [spellings[k % len(spellings)] for k in picks]
    vocab = sorted({t for c in cands for t in c})
    tt = _token_table(vocab)
    e_off = np.zeros(len(cands) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in cands], out=e_off[1:])
    e_tokens = np.asarray([vocab.index(t) for c in cands for t in c], dtype=np.int32)
    queries = [query, query[::-1]]
    qt = _token_table([t for q in queries for t in q])
    sq_off = np.asarray([0, len(query), 2 * len(query)], dtype=np.int64)
    pair_sq = np.repeat(np.arange(2), len(cands)).astype(np.int64)
    pair_entry = np.tile(np.arange(len(cands)), 2).astype(np.int64)
    q_miss = qt.weight * 0.75
    q_fuzzy = np.ones(len(qt.weight))
    q_prefix = np.zeros(len(qt.weight), dtype=np.int64)
    got, choice, sim, method, span, den = K._score_pairs_kernel(
        pair_sq, pair_entry, qt.chars, qt.offsets, sq_off, qt.weight, q_miss, q_fuzzy, qt.phon,
        qt.plen, q_prefix, tt.chars, tt.offsets, tt.weight, tt.phon, tt.plen, e_off, e_tokens,
        np.full(len(qt.weight), -1, dtype=np.int64), np.zeros(0, dtype=np.int64))
    for p in range(len(pair_sq)):
        s = pair_sq[p]
        q, c = queries[s], cands[pair_entry[p]]
        want = ref.name_score(q, _token_table(q).weight.tolist(), c,
                              [tt.weight[vocab.index(t)] for t in c],
                              q_miss[sq_off[s]:sq_off[s + 1]].tolist(), [0] * len(q),
                              [1.0] * len(q))
        _assert_pair_equals_twin((got, choice, sim, method, span, den), p, len(q), want)


_ALIKE = ["AHMED", "AHMAD", "AHMET", "HASSAN", "HASSEN", "VLADIMIR", "VOLODYMYR", "KARIMOV"]


@SETTINGS
@given(st.lists(st.sampled_from(_ALIKE), min_size=1, max_size=4),
       st.lists(st.lists(st.sampled_from(_ALIKE), min_size=1, max_size=4), min_size=1,
                max_size=4),
       st.sets(st.tuples(st.sampled_from(_ALIKE), st.sampled_from(_ALIKE)), max_size=6),
       st.sets(st.tuples(st.sampled_from(_ALIKE), st.sampled_from(_ALIKE)), max_size=6),
       st.floats(0.85, 1.0))
def test_batch_scorer_variants_equal_twin(query, cands, pairs, romanised, fuzzy) -> None:
    """Variant pairs (listed query tokens against index tokens), alias and romanisation ones,
    score as the twin says; a pair given both ways is an alias variant."""
    vocab = sorted(set(_ALIKE))
    n = len(vocab)

    def key(x: str, y: str) -> int:
        return min(vocab.index(x), vocab.index(y)) * n + max(vocab.index(x), vocab.index(y))

    alias = {key(x, y) for x, y in pairs if x != y}
    roman = {key(x, y) for x, y in romanised if x != y} - alias
    keys = sorted([k * 2 + K.VARIANT_ALIAS for k in alias]
                  + [k * 2 + K.VARIANT_ROMANISED for k in roman])
    variants = {frozenset((vocab[k // n], vocab[k % n])) for k in alias}
    roman_pairs = {frozenset((vocab[k // n], vocab[k % n])) for k in roman}
    tt = _token_table(vocab)
    e_off = np.zeros(len(cands) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in cands], out=e_off[1:])
    e_tokens = np.asarray([vocab.index(t) for c in cands for t in c], dtype=np.int32)
    qt = _token_table(query)
    sq_off = np.asarray([0, len(query)], dtype=np.int64)
    q_miss = qt.weight * 0.75
    q_fuzzy = np.full(len(query), fuzzy)
    batch = K._score_pairs_kernel(
        np.zeros(len(cands), dtype=np.int64), np.arange(len(cands), dtype=np.int64), qt.chars,
        qt.offsets, sq_off, qt.weight, q_miss, q_fuzzy, qt.phon, qt.plen,
        np.zeros(len(query), dtype=np.int64), tt.chars, tt.offsets, tt.weight, tt.phon,
        tt.plen, e_off, e_tokens, np.asarray([vocab.index(t) for t in query], dtype=np.int64),
        np.asarray(keys, dtype=np.int64))
    for p, c in enumerate(cands):
        want = ref.name_score(query, qt.weight.tolist(), c, [tt.weight[vocab.index(t)] for t in c],
                              q_miss.tolist(), [0] * len(query), q_fuzzy.tolist(), variants,
                              roman_pairs)
        _assert_pair_equals_twin(batch, p, len(query), want)


def test_alias_variants_kept_only_when_a_share_of_the_rarer_token_pairs_them() -> None:
    pairs = {frozenset(("VOLODYMYR", "VLADIMIR")): 206, frozenset(("CASTILLO", "CASTRO")): 16}
    df = {"VOLODYMYR": 209, "VLADIMIR": 4297, "CASTILLO": 5852, "CASTRO": 8367}
    assert ref.kept_alias_variants(pairs, df) == {frozenset(("VOLODYMYR", "VLADIMIR")): 206}


# ------------------------------------------------------------------ candidate gathering


@SETTINGS
@given(st.lists(name_tokens.filter(bool), min_size=1, max_size=8),
       st.lists(name_tokens.filter(bool), min_size=1, max_size=4),
       st.integers(1, 6), st.sampled_from([0.0, 0.5, 0.75, 0.9]), st.integers(0, 3),
       st.integers(0, 3), st.booleans(), st.integers(0, 3))
# A crowd the plain bound keeps (5 > CREDIT_BOUND_MAX_KEPT * 1) is cut by information, not by
# the credit bound, which 4 of them meet.
@example([["MUHAMMAD", "SMITH"]] * 5, [["MOHAMED", "SMYTH"]], 1, 0.9, 0, 0, True, 0)
@example([["MUHAMMAD", "SMITH"]] * 4, [["MOHAMED", "SMYTH"]], 1, 0.9, 0, 0, True, 0)
# SAID cannot bring an entry alone, yet SAID SAID, where both query SAIDs meet one, may pass:
# the pair postings must list an entry with a token twice (a pair of its own).
@example([["SAID", "SAID"]] + [["SAID", "BAKR"], ["SAID", "ZED"]] * 3,
         [["SAID", "SAID", "KHAN", "OMAR"]], 6, 0.5, 1, 0, True, 0)
# JOSE, hit by the long query token through its prefix key, may have its neighbours glued on:
# the entries long enough for that to reach min_score must be walked (5 and 4 tokens here),
# the shorter ones need not be.
# Walked, MUHAMMAD's list gives the entries in one order; looked up, its pairs in another.
@example([["MUHAMMAD", "YUSUF"], ["MUHAMMAD", "MUHAMMAD", "YUSUF"]], [["MUHAMMAD", "YUSUF"]], 2,
         0.75, 0, 0, False, 0)
# A pair list longer than PAIR_PREFETCH_AHEAD: the lookup asks for entries ahead of the one it
# reads, up to the list's end and no further.
@example([["SAID", "BAKR"]] * 40 + [["SAID", "ZED"], ["BAKR", "ZED"]] * 3, [["SAID", "BAKR"]],
         6, 0.75, 0, 0, False, 0)
@example([["JOSE", "LUIS", "MARIA", "ANA", "PAZ"]] + [["JOSE", "BAKR"], ["JOSE", "ZED"]] * 3,
         [["JOSELUISMARIAANAPAZ", "ZZZQ"]], 6, 0.75, 0, 0, True, 0)
@example([["JOSE", "LUIS", "MARIA", "ANA"]] + [["JOSE", "BAKR"], ["JOSE", "ZED"]] * 3,
         [["JOSELUISMARIAANA", "ZZZQ"]], 6, 0.7, 1, 0, True, 0)
def test_gather_kernel_equals_twin(entries: list[list[str]], queries: list[list[str]],
                                   max_candidates: int, min_score: float,
                                   common_df: int, loose_df: int, tighten: bool,
                                   bound_reserve: int) -> None:
    index_tokens = sorted({t for e in entries for t in e})
    token_entries = [[e for e, toks in enumerate(entries) if t in toks] for t in index_tokens]
    entry_ids = [[index_tokens.index(t) for t in e] for e in entries]
    e_tok_offsets = np.zeros(len(entries) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in entries], out=e_tok_offsets[1:])
    e_tokens = np.asarray([t for e in entry_ids for t in e], dtype=np.int32)
    tok_entry_offsets = np.zeros(len(index_tokens) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in token_entries], out=tok_entry_offsets[1:])
    tok_entries = np.asarray([e for x in token_entries for e in x], dtype=np.int32)
    token_df = np.diff(tok_entry_offsets).astype(np.int32)
    it = _token_table(index_tokens)
    keys, owners, loose = K._token_keys_kernel(it.chars, it.offsets, it.phon, it.plen,
                                               IDENTITY_TABLE, False, FIRST, REST)
    order = np.lexsort((owners, keys))
    keys, owners, loose = keys[order], owners[order].astype(np.int32), loose[order]
    flat = [t for q in queries for t in q]
    qt = _token_table(flat)
    q_keys, q_owner, _ = K._token_keys_kernel(qt.chars, qt.offsets, qt.phon, qt.plen,
                                              IDENTITY_TABLE, True, FIRST, REST)
    sq_tok = np.zeros(len(queries) + 1, dtype=np.int64)
    np.cumsum([len(q) for q in queries], out=sq_tok[1:])
    tok_key_offsets = np.searchsorted(q_owner, np.arange(len(flat) + 1), side="left")
    lo = np.searchsorted(keys, q_keys, side="left")
    hi = np.searchsorted(keys, q_keys, side="right")
    q_len = np.diff(qt.offsets)
    # Varied miss costs; the last token of each query may match as a prefix (3: MRZ cut).
    q_miss = qt.weight * np.linspace(0.5, 1.0, len(flat))
    q_prefix = np.zeros(len(flat), dtype=np.int64)
    q_prefix[sq_tok[1:] - 1] = 3 + (len(flat) % 2)
    postings = K._inline_postings_kernel(tok_entry_offsets, tok_entries, e_tok_offsets,
                                         e_tokens)
    # Listed query tokens earn a share of a likeness's credit (q_fuzzy, see NameIndex).
    q_fuzzy = np.where([t in index_tokens for t in flat], 0.85, 1.0)
    q_tok = np.asarray([index_tokens.index(t) if t in index_tokens else -1 for t in flat],
                       dtype=np.int64)
    longest = int(max(np.diff(it.offsets).max(), q_len.max()))
    # One scratch for two calls: the kernel must leave it as it found it. The first call
    # finds the entries a token cannot bring alone by walking its list, the second through
    # the pair postings: the same candidates either way (in another order, maybe: a
    # subquery's candidates are a set).
    scratch = K.gather_scratch(len(index_tokens), len(entries))
    pairs = K._pair_postings_kernel(*postings)
    (first_offsets, first_cands, first_reached), (offsets, cands, reached) = (
        K._gather_candidates_kernel(
            sq_tok, tok_key_offsets, qt.weight, q_miss, q_len, q_prefix, lo, hi, owners, loose,
            token_df, it.weight, it.offsets, *postings, *pairs, lookup_words,
            float(it.weight.max()), len(entries), min_score,
            max_candidates, common_df, loose_df, scratch, qt.chars, qt.offsets, qt.phon,
            qt.plen, q_fuzzy, q_tok, it.chars, it.phon, it.plen, np.zeros(0, dtype=np.int64),
            longest, tighten, bound_reserve)
        for lookup_words in (1 << 40, 0))
    assert np.array_equal(first_offsets, offsets) and np.array_equal(first_reached, reached)
    assert all(sorted(first_cands[offsets[s]:offsets[s + 1]].tolist())
               == sorted(cands[offsets[s]:offsets[s + 1]].tolist()) for s in range(len(queries)))
    # Marks cleared: per index token (t_idf, 7, is written before it is read) and per entry.
    assert not any(scratch[i].any() for i in (0, 1, 2, 3, 4, 5, 6, 8, 16))
    got = [sorted(cands[offsets[s]:offsets[s + 1]].tolist()) for s in range(len(queries))]
    for s, kept in enumerate(got):  # every entry that reached the bound is kept, up to the cut
        assert len(kept) == min(int(reached[s]), max_candidates)
    q_weights = [_token_table(q).weight.tolist() for q in queries]
    split = [(q_miss[sq_tok[s]:sq_tok[s + 1]].tolist(), q_prefix[sq_tok[s]:sq_tok[s + 1]].tolist())
             for s in range(len(queries))]
    assert got == ref.gather_candidates(
        queries, q_weights, [m for m, _ in split], [p for _, p in split], index_tokens,
        it.weight.tolist(), entry_ids, min_score, max_candidates, common_df, loose_df,
        [q_fuzzy[sq_tok[s]:sq_tok[s + 1]].tolist() for s in range(len(queries))], tighten,
        bound_reserve)


@SETTINGS
@given(st.one_of(name_tokens, mixed_tokens).filter(bool),
       st.one_of(name_tokens, mixed_tokens).filter(bool), st.sampled_from([0.5, 0.85, 1.0]),
       st.sampled_from([0.3, 0.75, 1.2]))
@example(["JOSELUIS", "SMITH"], ["JOSE", "LUIS", "SMITH"], 0.85, 0.75)  # record tokens glued
@example(["JOSE", "LUIS", "SMITH"], ["JOSELUIS", "SMITH"], 0.85, 0.75)  # query tokens glued
@example(["ROBERTA", "CONTE"], ["ROBERTO", "LUCIANO", "CONTE"], 0.85, 1.2)  # glued on length
@example(["SALAH", "NABIL"], ["NBYL", "SLH", "S"], 1.0, 0.75)  # a record initial
def test_credit_bound_never_falls_below_the_score(q: list[str], c: list[str], fuzzy: float,
                                                  miss: float) -> None:
    # Every record token hit by every query token: the bound's assumption (pairs only where
    # tokens share a key) then covers every pair the scorer can form, glued ones included,
    # so the bound must reach the score itself.
    q_w, c_w = _token_table(q).weight.tolist(), _token_table(c).weight.tolist()
    q_miss, q_fuzzy = [w * miss for w in q_w], [fuzzy] * len(q)
    score = ref.name_score(q, q_w, c, c_w, q_miss, [0] * len(q), q_fuzzy)[0]
    bound = ref.credit_bound(q, q_w, q_miss, [0] * len(q), q_fuzzy, c, c_w,
                             [set(range(len(q)))] * len(c))
    assert bound >= score - 1e-9


def test_credit_bound_lets_a_record_initial_pair_without_a_key() -> None:
    # S shares no key with SALAH (hits as the blocking keys give them), yet the scorer pairs
    # them: the bound must still reach the score.
    q, c = ["SALEH", "SALAH", "NABIL"], ["SLH", "NBYL", "S", "D"]
    q_w, c_w, q_miss = [1.0, 1.0, 1.0], [1.0, 1.0, 0.2, 0.2], [0.77, 0.77, 0.79]
    hits = [{0}, {2}, set(), set()]
    score = ref.name_score(q, q_w, c, c_w, q_miss, [0, 0, 0], [1.0] * 3)[0]
    assert ref.credit_bound(q, q_w, q_miss, [0, 0, 0], [1.0] * 3, c, c_w, hits) >= score


def test_credit_bound_cuts_a_likeness_the_plain_bound_lets_through() -> None:
    # ROBERTA (a listed name: a likeness earns 0.85 of its credit) against ROBERTO: both
    # tokens share a key, so the plain bound counts the pair at full credit.
    q, c = ["CONTE", "ROBERTA"], ["CONTE", "ROBERTO", "PAOLO"]
    q_w, c_w, q_miss = [1.0, 1.0], [1.0, 1.0, 1.0], [0.77, 0.79]
    hits = [{0}, {1}, set()]
    plain = ref.name_bound(q, q_w, q_miss, [0, 0], c, c_w, hits)
    tight = ref.credit_bound(q, q_w, q_miss, [0, 0], [0.85, 0.85], c, c_w, hits)
    score = ref.name_score(q, q_w, c, c_w, q_miss, [0, 0], [0.85, 0.85])[0]
    assert score <= tight + 1e-9 < plain - 0.02


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=0, max_size=3), max_size=30))
def test_sequence_ids_kernel_equals_twin(entries: list[list[int]]) -> None:
    e_tok_offsets = np.zeros(len(entries) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in entries], out=e_tok_offsets[1:])
    e_tokens = np.asarray([t for e in entries for t in e], dtype=np.int32)
    seq, n_seq = K._sequence_ids_kernel(e_tok_offsets, e_tokens)
    assert seq.tolist() == ref.sequence_ids(entries)
    assert n_seq == len({tuple(e) for e in entries})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=5), min_size=1, max_size=12))
def test_inline_postings_kernel_equals_twin(entries: list[list[int]]) -> None:
    n_tokens = 7
    token_entries, offsets, post = _inline_postings(entries, n_tokens)
    got = [post[offsets[t]:offsets[t + 1]].tolist() for t in range(n_tokens)]
    assert got == ref.inline_postings(token_entries, entries)


def _inline_postings(entries: list[list[int]], n_tokens: int
                     ) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    """(entries per token, the kernel's inline postings as offsets and words)."""
    token_entries = [[e for e, toks in enumerate(entries) if t in toks] for t in range(n_tokens)]
    e_tok_offsets = np.zeros(len(entries) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in entries], out=e_tok_offsets[1:])
    e_tokens = np.asarray([t for e in entries for t in e], dtype=np.int32)
    tok_entry_offsets = np.zeros(n_tokens + 1, dtype=np.int64)
    np.cumsum([len(x) for x in token_entries], out=tok_entry_offsets[1:])
    tok_entries = np.asarray([e for x in token_entries for e in x], dtype=np.int32)
    offsets, post = K._inline_postings_kernel(tok_entry_offsets, tok_entries, e_tok_offsets,
                                              e_tokens)
    return token_entries, offsets, post


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=6), min_size=1, max_size=12))
def test_pair_postings_kernel_equals_twin(entries: list[list[int]]) -> None:
    n_tokens = 7
    token_entries, offsets, post = _inline_postings(entries, n_tokens)
    tok_pairs, partner, pair_offsets, pair_post = K._pair_postings_kernel(offsets, post)
    got = {(a, int(partner[k])): pair_post[pair_offsets[k]:pair_offsets[k + 1]].tolist()
           for a in range(n_tokens) for k in range(tok_pairs[a], tok_pairs[a + 1])}
    want = ref.pair_postings(ref.inline_postings(token_entries, entries))
    assert got == want
    for a in range(n_tokens):
        for b in range(n_tokens):
            k = K._pair_find_kernel(tok_pairs, partner, a, b)
            assert (k >= 0) == ((a, b) in want)
            if k >= 0:
                assert int(partner[k]) == b and tok_pairs[a] <= k < tok_pairs[a + 1]

def test_a_name_squashed_over_three_or_four_tokens_meets_them() -> None:
    q, c = ["SALMAN", "ISASALEHISA"], ["SALMAN", "ISA", "SALEH", "ISA"]
    score, choice, sim, method, span, _ = ref.name_score(q, [1.0] * 2, c, [1.0] * 4)
    assert method[1] == K.METHOD_SQUASHED and span[1] == 3 and choice[1] == 1
    assert score > 0.97
    check_against_twin(q, c)
    check_against_twin(["SONG", "JOCHOLMIN"], ["SONG", "JO", "CHOL", "MIN"])
    # A long token is not the squash of a longer run of tokens (too many letters apart).
    assert ref.name_score(["ISA"], [1.0], ["ISA", "SALEH", "ISA"], [1.0] * 3)[3][0] == \
        K.METHOD_EXACT


def test_a_name_squashed_over_six_tokens_meets_them() -> None:
    # TARAK BEN TAHER BEN FALEH OUNI written as one word (a UN-listed name, squashed).
    q = ["HARZI", "TARAKBENTAHERBENFALEHOUNI"]
    c = ["TARAK", "BEN", "TAHER", "BEN", "FALEH", "OUNI", "HARZI"]
    score, choice, sim, method, span, _ = ref.name_score(q, [1.0] * 2, c, [1.0] * 7)
    assert method[1] == K.METHOD_SQUASHED and span[1] == 6 and choice[1] == 0
    assert score == 1.0
    check_against_twin(q, c)
    # Seven tokens are beyond MAX_GLUED: the squash stands for the first six at most.
    assert ref.name_score(["ABCDEFGHIJKLMN"], [1.0], ["AB", "CD", "EF", "GH", "IJ", "KL", "MN"],
                          [1.0] * 7)[4][0] < 7


def test_a_particle_glued_onto_another_particle_meets_it() -> None:
    # DU glued onto AL-AMIN (DUAL-AMIN), ABD onto AL: the rest is itself a particle.
    for token, k in [("DUAL", 2), ("LEAL", 2), ("ABDAL", 3), ("ALHASSAN", 2), ("ALRI", 0),
                     ("ALAN", 0), ("AL", 0), ("DELA", 2), ("BINA", 0)]:
        buf = np.frombuffer(token.encode(), dtype=np.uint8)
        assert K._glued_particle_kernel(buf, 0, len(token)) == ref.glued_particle(token) == k
    score, _, _, method, _, _ = ref.name_score(["DUAL", "AMIN"], [1.0, 1.0], ["AL", "AMIN"],
                                               [1.0, 1.0])
    assert method[0] == K.METHOD_PARTICLE and score > 0.9
    check_against_twin(["DUAL", "AMIN"], ["AL", "AMIN"])
    check_against_twin(["LEAL", "TIKRITI"], ["AL", "TIKRITI"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=40),
       st.integers(1, 39), st.randoms(use_true_random=False))
def test_select_best_kernel_equals_sorting(keys: list[tuple[int, int]], k: int, rnd) -> None:
    """The selection keeps what a full sort by (information desc, bound desc, id asc) keeps,
    in kept order, with many ties on information and bound (namesake crowds)."""
    n = len(keys)
    k = min(k, n - 1)
    ids = rnd.sample(range(1000), n)
    kept = np.asarray(ids, dtype=np.int64)
    info = np.asarray([a / 3 for a, _ in keys], dtype=np.float64)
    bound = np.asarray([0.8 + b / 20 for _, b in keys], dtype=np.float64)
    out = np.full(k + 3, -1, dtype=np.int64)
    n_out = K._select_best_kernel(kept, info, bound, n, k, out, 2, np.empty(n), np.empty(n,
                                                                                  dtype=np.int64))
    assert n_out == 2 + k
    best = sorted(range(n), key=lambda f: (-info[f], -bound[f], kept[f]))[:k]
    assert out[2:n_out].tolist() == [int(kept[f]) for f in sorted(best)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=3, max_size=40),
       st.integers(2, 39), st.integers(1, 38), st.randoms(use_true_random=False))
def test_bound_reserve_keeps_the_highest_bounds(keys: list[tuple[int, int]], k: int, r: int,
                                                rnd) -> None:
    """With a reserve of r < k, the cut keeps the r highest bounds (ties: lower id), then the
    k - r best of the others by (information desc, bound desc, id asc), in kept order: a
    near-exact match sharing little information survives a crowd of namesakes."""
    n = len(keys)
    k = min(k, n - 1)
    r = min(r, k - 1)
    kept = np.asarray(rnd.sample(range(1000), n), dtype=np.int64)
    info = np.asarray([a / 3 for a, _ in keys], dtype=np.float64)
    bound = np.asarray([0.8 + b / 20 for _, b in keys], dtype=np.float64)
    reserved = sorted(range(n), key=lambda f: (-bound[f], kept[f]))[:r]
    rest = sorted((f for f in range(n) if f not in reserved),
                  key=lambda f: (-info[f], -bound[f], kept[f]))[:k - r]
    scratch_f, scratch_i = np.empty(n), np.empty(n, dtype=np.int64)
    K._reserve_by_bound_kernel(kept, info, bound, n, r, scratch_f, scratch_i)
    out = np.full(k, -1, dtype=np.int64)
    assert K._select_best_kernel(kept, info, bound, n, k, out, 0, scratch_f, scratch_i) == k
    assert out.tolist() == [int(kept[f]) for f in sorted(reserved + rest)]
    # The one match with the highest bound and the least information is kept.
    info = np.asarray([1.0] * (n - 1) + [0.0])
    bound = np.asarray([0.9] * (n - 1) + [0.99])
    K._reserve_by_bound_kernel(kept, info, bound, n, 1, scratch_f, scratch_i)
    K._select_best_kernel(kept, info, bound, n, k, out, 0, scratch_f, scratch_i)
    assert int(kept[-1]) in out.tolist()


def test_one_slip_in_a_short_name_keeps_it_near() -> None:
    # Two letters swapped or a neighbouring key in a 4-letter name: as near as a doubled
    # letter (at the old costs, 0.875 and 0.90, the name fell under POSSIBLE_MATCH).
    for a, b in [("OAMR", "OMAR"), ("OMSR", "OMAR")]:
        assert ref.token_similarity(a, b) == (0.95, K.METHOD_EDIT)
        check_token_sim_against_twin(a, b, 0)
    # Any other substitution still costs a whole letter.
    assert ref.token_similarity("OMPR", "OMAR")[0] < 0.93



def test_letters_of_one_sound_cost_like_a_slip() -> None:
    # C/K/Q, V/W and I/Y spell one sound in the romanisations the lists mix.
    from indexes.kernels import strings as S

    for x, y in [("K", "C"), ("Q", "K"), ("W", "V"), ("Y", "I")]:
        assert ref.substitution_cost(x, y) == S.EDIT_SOUND_COST
        assert S._substitution_cost_kernel(ord(x), ord(y)) == S.EDIT_SOUND_COST
    assert ref.substitution_cost("C", "P") == S._substitution_cost_kernel(67, 80) == 1.0
    for a, b in [("KORIC", "CORIC"), ("WALERY", "VALERY"), ("MARYA", "MARIA")]:
        assert ref.token_similarity(a, b)[0] >= 0.96
        check_token_sim_against_twin(a, b, 0)


@SETTINGS
@given(st.text("AEIOBK", min_size=1, max_size=9), st.text("AEIOBK", min_size=1, max_size=9))
def test_token_similarity_kernel_equals_twin_on_vowel_drops(a: str, b: str) -> None:
    check_token_sim_against_twin(a, b, 0)


@SETTINGS
@given(st.text("CHSTKPOUEDJGYWQZXI", min_size=1, max_size=9),
       st.text("CHSTKPOUEDJGYWQZXI", min_size=1, max_size=9))
def test_token_similarity_kernel_equals_twin_on_spelling_units(a: str, b: str) -> None:
    check_token_sim_against_twin(a, b, 0)


def test_one_name_under_two_romanisation_conventions_is_near() -> None:
    for a, b in [("ALY", "ALI"), ("MOUSA", "MUSA"), ("PHLORES", "FLORES"),
                 ("MARUPH", "MARUF"), ("KYM", "KIM"), ("SCHMIDT", "SHMIDT")]:
        assert ref.spelling_fold(a) == ref.spelling_fold(b)
        assert ref.token_similarity(a, b)[0] >= K.SPELLING_SIM
        check_token_sim_against_twin(a, b, 0)
    # Even where a likeness scores higher, the pair is one name spelled two ways: the method
    # says so, and the scorer does not discount it as two names that look alike.
    for a, b in [("ABDOUL", "ABDUL"), ("WLADIMIR", "VLADIMIR")]:
        assert max(ref.jaro_winkler(a, b), ref.edit_similarity(a, b)) > K.SPELLING_SIM
        assert ref.token_similarity(a, b)[1] == K.METHOD_SPELLING
        check_token_sim_against_twin(a, b, 0)
    assert ref.name_score(["WLADIMIR"], [1.0], ["VLADIMIR"], [1.0], q_fuzzy=[0.85])[0] > 0.95


def test_a_listed_name_with_fewer_vowels_or_cut_short_is_a_likeness() -> None:
    """JUN is JUAN without its A, YUMI is AYUMI without its first letter, JULIA starts JULIANA:
    when the query token is a listed name (q_fuzzy < 1) those are two names, discounted like
    any likeness. MLK for MALIK (an abjad form: no vowel left) is one name written two ways."""
    def scored(q: str, c: str, fuzzy: float) -> float:
        return ref.name_score([q], [1.0], [c], [1.0], q_prefix=[4], q_fuzzy=[fuzzy])[0]
    for q, c in [("JUN", "JUAN"), ("JUAN", "JUN"), ("JULIA", "JULIANA")]:
        assert ref.token_similarity(q, c, 4)[1] in (K.METHOD_VOWELS_DROPPED, K.METHOD_PREFIX)
        assert scored(q, c, 0.85) < scored(q, c, 1.0)
    assert scored("MLK", "MALIK", 0.85) == scored("MLK", "MALIK", 1.0)
    # CH is not KH, ZH is not SH, and vowels must agree.
    for a, b in [("CHEN", "KHEN"), ("ZHANG", "SHANG"), ("OMAR", "OMER")]:
        assert ref.spelling_fold(a) != ref.spelling_fold(b)
        assert ref.token_similarity(a, b)[1] != K.METHOD_SPELLING


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["AL", "BIN", "M", "MUHAMMAD", "KARIMOV", "MÜLLER", "ÅSNE",
                                 "O'NEIL", "DE", "X", "VAN", "ЮРИЙ", "李"]), max_size=12))
def test_token_table_of_a_list_equals_the_arrow_path(tokens: list[str]) -> None:
    # Query tokens skip Arrow (a list); the index's dictionary goes through it: same tables.
    import pyarrow as pa

    a, b = _token_table(tokens), _token_table(pa.array(tokens, type=pa.string()))
    end = int(a.offsets[-1])  # Arrow's buffer may run on past the last string (padding)
    for x, y in ((a.chars[:end], b.chars[:end]), (a.offsets, b.offsets), (a.weight, b.weight),
                 (a.phon, b.phon), (a.plen, b.plen)):
        assert x.dtype == y.dtype and x.tolist() == y.tolist()
    assert a.chars.flags.writeable == b.chars.flags.writeable


def test_the_kernels_scratch_and_bit_sets_hold_the_longest_names() -> None:
    # Names keep at most MAX_TOKENS tokens a side: the score kernels hold a name's tokens as
    # int64 bit sets, and the credit bound's scratch (3 floats a token) is sized once per
    # batch. A larger MAX_TOKENS would overrun them without an error from Numba.
    from indexes.name_index import MAX_TOKENS

    assert MAX_TOKENS < 64
    assert 2 * MAX_TOKENS <= K.CREDIT_SCRATCH_TOKENS
