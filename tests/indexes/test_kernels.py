"""Every kernel against its plain-Python twin in indexes.reference (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler

from indexes import reference as ref
from indexes.arrow_buffers import string_buffers
from indexes.document_index import FOLD_TABLE, IDENTITY_TABLE
from indexes.kernels import names as K
from indexes.kernels.documents import _lookup_folded_kernel
from indexes.kernels.hashing import _hash_strings_kernel
from indexes.kernels.strings import _jaro_winkler_kernel
from indexes.name_index import _token_table
from indexes.normalize import CONFUSABLES
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
    st.lists(st.tuples(doc_numbers, doc_countries), min_size=1, max_size=12),
    st.lists(st.tuples(doc_numbers, doc_countries), min_size=1, max_size=6),
    st.sampled_from([1, 8, 32]),
)
def test_lookup_kernel_equals_twin(docs, queries, row_bits: int) -> None:
    """Every row is a candidate of every query (hash bits 0, row in the low bits): the
    kernel must tell exact from look-alike and check countries by itself."""
    numbers = [d[0] for d in docs]
    countries = [d[1] for d in docs]
    keys = np.arange(len(docs), dtype=np.uint64)
    n = len(queries)
    starts = np.zeros(n, dtype=np.int64)
    ends = np.full(n, len(docs), dtype=np.int64)

    def bufs(values):
        return string_buffers(pa.array(values, type=pa.large_string()))

    q_numbers = [q[0] for q in queries]
    q_countries = [q[1] for q in queries]
    exact, folded = _lookup_folded_kernel(
        *bufs(q_numbers), *bufs(q_countries), np.zeros(n, dtype=np.uint64), starts, ends,
        keys, np.uint64(2**max(row_bits, 4) - 1), *bufs(numbers), *bufs(countries), FOLD_TABLE)
    want = ref.lookup_documents(q_numbers, q_countries, numbers, countries, CONFUSABLES)
    assert (exact.tolist(), folded.tolist()) == want


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
    assert ref.token_similarity("BLL", "BILAL") == (K.PHONETIC_SIM, K.METHOD_PHONETIC)
    assert ref.token_similarity("OLA", "ALI")[1] != K.METHOD_PHONETIC


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
    keys, owners = K._token_keys_kernel(chars, offsets, phon, plen, IDENTITY_TABLE)
    want = [(k, i) for i, t in enumerate(tokens) for k in ref.token_keys(t)]
    assert list(zip(keys.tolist(), owners.tolist(), strict=True)) == want


def test_deletion_keys_meet_on_single_typo() -> None:
    for a, b in [("KARIMOV", "KARIMV"), ("KARIMOV", "KAFIMOV"), ("KARIMOV", "KRAIMOV"),
                 ("KARIMOV", "KARIMOVV")]:
        assert set(ref.token_keys(a)) & set(ref.token_keys(b)), (a, b)


# ------------------------------------------------------------------ name score

name_tokens = st.lists(st.sampled_from(
    ["MUHAMMAD", "MOHAMED", "YUSUF", "YOUSSEF", "KARIMOV", "KARIMV", "AL", "M", "K", "JOSE",
     "LUIS", "JOSELUIS", "ALI", "ALY", "SMITH", "SMYTH"]), max_size=5)
mixed_tokens = st.lists(st.one_of(small_tokens, st.sampled_from(["AL", "BIN"])), max_size=5)


def kernel_score(q: list[str], c: list[str]):
    qt, ct = _token_table(q), _token_table(c)
    return qt, ct, K._name_score_kernel(qt.chars, qt.offsets, qt.weight, qt.phon, qt.plen,
                                        ct.chars, ct.offsets, ct.weight, ct.phon, ct.plen)


def check_against_twin(q: list[str], c: list[str]) -> None:
    qt, ct, (score, choice, sim, method, span) = kernel_score(q, c)
    t_score, t_choice, t_sim, t_method, t_span = ref.name_score(
        q, qt.weight.tolist(), c, ct.weight.tolist())
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


def score(q: str, c: str) -> float:
    return kernel_score(q.split(), c.split())[2][0]


def test_name_score_grading() -> None:
    exact = score("MUHAMMAD YUSUF KARIMOV", "KARIMOV MUHAMMAD YUSUF")
    typo = score("MUHAMMAD YUSUF KARIMOV", "KARIMOV MUHAMMAD YUSUP")
    missing_middle = score("MUHAMMAD KARIMOV", "KARIMOV MUHAMMAD YUSUF")
    assert exact == 1.0
    assert 0.85 < typo < 0.97
    assert 0.8 < missing_middle < 0.95
    assert score("MUHAMMAD ALIYEV", "MUHAMMAD KARIMOV") < 0.6
    assert score("JOSELUIS GARCIA", "JOSE LUIS GARCIA") > 0.95
    assert score("JOSE LUIS GARCIA", "JOSELUIS GARCIA") > 0.95
    assert score("M KARIMOV", "MUHAMMAD KARIMOV") > 0.85
    assert score("MOHAMED YOUSSEF KARIMOV", "KARIMOV MUHAMMAD YUSUF") >= 0.85
    assert score("", "KARIMOV") == 0.0


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
    got = K._score_pairs_kernel(pair_sq, pair_entry, qt.chars, qt.offsets, sq_off, qt.weight,
                                qt.phon, qt.plen, tt.chars, tt.offsets, tt.weight, tt.phon,
                                tt.plen, e_off, e_tokens)
    for p in range(len(pair_sq)):
        q, c = queries[pair_sq[p]], cands[pair_entry[p]]
        assert abs(got[p] - ref.name_score(q, _token_table(q).weight.tolist(), c,
                                           _token_table(c).weight.tolist())[0]) < 1e-12


# ------------------------------------------------------------------ candidate gathering


@SETTINGS
@given(st.lists(name_tokens.filter(bool), min_size=1, max_size=8),
       st.lists(name_tokens.filter(bool), min_size=1, max_size=4),
       st.integers(1, 6), st.sampled_from([0.0, 0.5, 0.75, 0.9]), st.integers(0, 3))
def test_gather_kernel_equals_twin(entries: list[list[str]], queries: list[list[str]],
                                   max_candidates: int, min_score: float,
                                   common_df: int) -> None:
    index_tokens = sorted({t for e in entries for t in e})
    token_entries = [[e for e, toks in enumerate(entries) if t in toks] for t in index_tokens]
    tok_entry_offsets = np.zeros(len(index_tokens) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in token_entries], out=tok_entry_offsets[1:])
    tok_entries = np.asarray([e for x in token_entries for e in x], dtype=np.int32)
    token_df = np.diff(tok_entry_offsets).astype(np.int32)
    it = _token_table(index_tokens)
    keys, owners = K._token_keys_kernel(it.chars, it.offsets, it.phon, it.plen, IDENTITY_TABLE)
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order].astype(np.int32)
    flat = [t for q in queries for t in q]
    qt = _token_table(flat)
    q_keys, q_owner = K._token_keys_kernel(qt.chars, qt.offsets, qt.phon, qt.plen,
                                           IDENTITY_TABLE)
    sq_tok = np.zeros(len(queries) + 1, dtype=np.int64)
    np.cumsum([len(q) for q in queries], out=sq_tok[1:])
    tok_key_offsets = np.searchsorted(q_owner, np.arange(len(flat) + 1), side="left")
    lo = np.searchsorted(keys, q_keys, side="left")
    hi = np.searchsorted(keys, q_keys, side="right")
    offsets, cands = K._gather_candidates_kernel(sq_tok, tok_key_offsets, qt.weight, lo, hi,
                                                 owners, token_df, tok_entry_offsets,
                                                 tok_entries, len(entries), min_score,
                                                 max_candidates, common_df)
    got = [sorted(cands[offsets[s]:offsets[s + 1]].tolist()) for s in range(len(queries))]
    q_weights = [_token_table(q).weight.tolist() for q in queries]
    assert got == ref.gather_candidates(queries, q_weights, index_tokens, token_entries,
                                        min_score, max_candidates, common_df,
                                        n_entries_total=len(entries))
