from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexes import reference as ref
from indexes import romanisation_variants
from indexes.kernels import names as K
from indexes.name_index import (
    INITIAL_MISS,
    INITIAL_WEIGHT,
    KNOWN_DF,
    KNOWN_FUZZY,
    MAX_TOKENS,
    MISS_FLOOR,
    MRZ_PREFIX_MIN_LEN,
    PARTICLE_MISS,
    PARTICLE_WEIGHT,
    TOKEN_WEIGHT,
    NameIndex,
    NameMatch,
    _prefix_min_len,
)
from indexes.normalize import PARTICLES, name_variants

NAMES = [
    "KARIMOV, Muhammad Yusuf",  # record 0
    "Muhammad ALIYEV",  # record 1
    "MÜLLER, Hans",  # record 2
    "José Luis GARCÍA",  # record 3
    "John Smith",  # record 4
    "Johnny Smithers",  # record 4 (alias)
    "Abu Bakr al-Baghdadi",  # record 5
    "Ivan Petrov",  # record 6
]
RECORDS = np.array([0, 1, 2, 3, 4, 4, 5, 6])


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex.build(NAMES, RECORDS)


def top(index: NameIndex, query: str, **kw) -> NameMatch | None:
    found = index.search([query], **kw)[0]
    return found[0] if found else None


@pytest.mark.parametrize("query, record, min_score", [
    ("Mohamed Youssef Karimov", 0, 0.85),
    ("Мухаммад Каримов", 0, 0.8),  # Cyrillic, middle name missing
    ("Yusuf Karimov Muhammad", 0, 0.99),  # order
    ("Muhammad Karimov", 0, 0.8),  # missing middle name
    ("Muhammad Yusuf Karimow", 0, 0.85),  # one typo
    ("KARIMOV<<MUHAMMAD<YUSUF", 0, 0.99),  # MRZ
    ("MULLER HANS", 2, 0.99),
    ("Hans Mueller", 2, 0.99),
    ("Jose Luis Garcia", 3, 0.99),
    ("Joseluis Garcia", 3, 0.95),  # squashed
    ("J Smith", 4, 0.85),  # initial
    ("Abu Bakr Baghdadi", 5, 0.9),  # particle missing: a little below
    ("Ivаn Pеtrov", 6, 0.99),  # Cyrillic homoglyphs а, е
    ("Mr Ivan Petrov Jr", 6, 0.99),
])
def test_finds(index: NameIndex, query: str, record: int, min_score: float) -> None:
    match = top(index, query)
    assert match is not None, query
    assert match.record_idx == record
    assert match.score >= min_score, (query, match)


def test_common_first_name_alone_is_not_enough(index: NameIndex) -> None:
    found = index.search(["MUHAMMAD ALIYEV", "Muhammad Lindqvist", "Muhammad Rahimov"])
    assert [m.record_idx for m in found[0]] == [1]  # not record 0 (KARIMOV)
    assert found[1] == []
    # RAHIMOV is like KARIMOV (their skeletons RMF, KRMF meet): found, but weakly.
    assert all(m.score < 0.85 for m in found[2])
    low = index.search(["MUHAMMAD ALIYEV"], min_score=0.0)[0]
    assert max(m.score for m in low if m.record_idx == 0) < 0.6


def test_one_match_per_record_best_name_first(index: NameIndex) -> None:
    found = index.search(["John Smith"], min_score=0.0)[0]
    records = [m.record_idx for m in found]
    assert len(records) == len(set(records))
    assert found[0].record_idx == 4 and found[0].name_idx == 4 and found[0].score == 1.0
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_limit_min_score_and_empty_queries(index: NameIndex) -> None:
    assert len(index.search(["Muhammad"], min_score=0.0, limit=1)[0]) == 1
    assert index.search([]) == []
    assert index.search(["", " <<", "Zzyzx Qwerty"]) == [[], [], []]
    with pytest.raises(ValueError):
        index.search(["x"], limit=0)


def test_explanations(index: NameIndex) -> None:
    match = top(index, "Mohamed Karimov")
    assert match is not None
    by_query = {p.query_token: p for p in match.pairs if p.query_token}
    assert by_query["KARIMOV"].record_token == "KARIMOV"
    assert by_query["KARIMOV"].method == "exact" and by_query["KARIMOV"].similarity == 1.0
    assert by_query["MOHAMED"].record_token == "MUHAMMAD"
    assert by_query["MOHAMED"].method in {"phonetic", "jaro_winkler"}
    missing = [p for p in match.pairs if p.method == "missing"]
    assert [(p.query_token, p.record_token) for p in missing] == [("", "YUSUF")]
    squashed = top(index, "Joseluis Garcia")
    assert squashed is not None
    assert squashed.pairs[0].method == "squashed"
    assert squashed.pairs[0].record_token == "JOSE LUIS"
    unmatched = top(index, "John Smith Xavier", min_score=0.0)
    assert unmatched is not None
    assert any(p.query_token == "XAVIER" and p.record_token == "" for p in unmatched.pairs)


def test_save_open_round_trip(index: NameIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    opened = NameIndex.open(tmp_path)
    assert len(opened) == len(index) == len(NAMES)
    opened.warmup()
    queries = ["Mohamed Youssef Karimov", "hans muller", "J Smith"]
    assert opened.search(queries) == index.search(queries)


def test_empty_index() -> None:
    empty = NameIndex.build([], np.zeros(0, dtype=np.int64))
    assert len(empty) == 0
    assert empty.search(["John"]) == [[]]
    empty.warmup()


def test_blocking_prefers_rare_tokens() -> None:
    # 300 MUHAMMADs crowd the candidate budget; the one KARIMOV must still be found.
    names = [f"Muhammad Filler{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}ov" for i in range(300)]
    names.append("Muhammad Karimov")
    idx = NameIndex.build(names, np.arange(len(names)))
    match = idx.search(["Mohammed Karimov"], max_candidates=5)[0]
    assert match and match[0].record_idx == 300


def test_a_spelling_one_record_alone_lists_is_no_name_in_its_own_right() -> None:
    """ABKAR for AKBAR: when the only record listing ABKAR is one person's (in several of
    its aliases), the query's ABKAR is as likely a slip as another name and its likeness to
    AKBAR keeps full credit; listed by two persons, ABKAR is a name and earns KNOWN_FUZZY."""
    filler = [f"{a} {b}" for a in ("OMAR", "YUSUF", "KARIM") for b in ("HADDAD", "NASSER")]
    one = ["ABKAR ALI HASSAN", "ABKAR ALI AL-HASAN", "AKBAR MOHAMAD", *filler]
    one_rec = np.array([0, 0, 1, *range(2, 2 + len(filler))])
    two = [*one, "ABKAR YOUNES"]
    two_rec = np.append(one_rec, len(one))
    by_one = NameIndex.build(one, one_rec)
    by_two = NameIndex.build(two, two_rec)
    for idx, records in ((by_one, 1), (by_two, 2)):
        a = idx._a
        [t] = [t for t in range(len(a["token_df"])) if idx._token_str(t) == "ABKAR"]
        assert int(a["token_records"][t]) == records and int(a["token_df"][t]) == records + 1
    m_one = by_one.match_record("ABKAR MOHAMAD", 1)
    m_two = by_two.match_record("ABKAR MOHAMAD", 1)
    assert [p.record_token for p in m_one.pairs if p.query_token == "ABKAR"] == ["AKBAR"]
    assert m_two.score < m_one.score - 0.01
    # The twin: the likeness share per query token, from the records listing it.
    entries = [n.split() for n in two]
    assert token_costs(["ABKAR", "MOHAMAD"], entries, two_rec.tolist())[1] == [KNOWN_FUZZY, 1.0]
    assert token_costs(["ABKAR", "MOHAMAD"], entries[:-1], one_rec.tolist())[1] == [1.0, 1.0]


def test_namesakes_share_one_token_sequence_and_are_all_found() -> None:
    """Identical names are one sequence to the candidate step and the scorer: one candidate
    (max_candidates=1) brings every namesake's record, all with the same score; a crowd
    larger than `limit` is reported as crowded."""
    names = ["Maria Garcia Lopez"] * 40 + ["Lopez Maria Garcia", "Maria Garcia", "Jose Ruiz"]
    idx = NameIndex.build(names, np.arange(len(names)))
    seq = idx._a["entry_seq"][idx._a["entry_name"] == 0]
    assert len(set(idx._a["entry_seq"][np.isin(idx._a["entry_name"], range(40))].tolist())) \
        == len(set(seq.tolist()))  # the 40 namesakes' entries: the sequences of one name
    found = idx.search(["Maria Garcia Lopez"], limit=100, max_candidates=1)[0]
    assert set(range(40)) <= {m.record_idx for m in found}
    assert len({m.score for m in found if m.record_idx < 40}) == 1
    crowded: list[bool] = []
    found = idx.search(["Maria Garcia Lopez"], limit=10, crowded=crowded)[0]
    assert len(found) == 10 and crowded == [True]


def test_ocr_and_keyboard_confusions() -> None:
    idx = NameIndex.build(["Rustam KARIMOV", "Rustam KAXIMOV"], np.array([0, 1]))
    for query in ["Rustam KARlMOV", "Rustam KAR1MOV", "Rustam KSRIMOV", "Rustam KARIRNOV"]:
        match = top(idx, query)
        assert match is not None and match.record_idx == 0, query
        pair = next(p for p in match.pairs if p.record_token == "KARIMOV")
        assert pair.method in {"edit", "exact"}, (query, pair)
        assert match.score > 0.93, (query, match.score)
    # The digit is read back as a letter by normalisation: an exact match.
    assert top(idx, "Rustam KAR1MOV").score == 1.0  # type: ignore[union-attr]


def test_truncated_last_token_matches_as_prefix() -> None:
    names = ["ABDURAHMANOV, MUHAMMADRASUL YUSUFJON", "Ivan Petrovich SIDOROV"]
    idx = NameIndex.build(names, np.array([0, 1]))
    # The TD2 name field (31 characters) cut the last given name to 3 letters.
    mrz = "ABDURAHMANOV<<MUHAMMADRASUL<YUSUFJON"[:31]
    assert _prefix_min_len(mrz, ["ABDURAHMANOV", "MUHAMMADRASUL", "YUS"]) == MRZ_PREFIX_MIN_LEN
    for query in [mrz, "ABDURAHMANOV MUHAMMADRASUL YUS"]:
        match = top(idx, query)
        assert match is not None and match.record_idx == 0, query
        assert match.pairs[-1 if match.pairs[-1].query_token else 0].method in {
            "prefix", "initial"}
        by_query = {p.query_token: p for p in match.pairs}
        assert by_query["YUS"].method == "prefix" and by_query["YUS"].similarity == K.PREFIX_SIM
        assert match.score > 0.95
    # A TD1 field (30 characters) may leave two letters of the last name: AB is ABSHA.
    idx2 = NameIndex.build(["MNASRI FETHI BEN REBAI BEN ABSHA"] + [
        f"MNASRI FETHI BEN REBAI BEN {x}" for x in ("KAMAL", "LOTFI", "SAMIR")], np.arange(4))
    td1 = "MNASRI<<FETHI<BEN<REBAI<BEN<ABSHA"[:30]
    assert _prefix_min_len(td1, td1.replace("<", " ").split()) == 2
    match = top(idx2, td1)
    assert match is not None and match.record_idx == 0
    assert {p.query_token: p.method for p in match.pairs}["AB"] == "prefix"
    # Outside an MRZ cut, four letters or more: SIDO is SIDOROV cut short.
    match = top(idx, "Ivan Petrovich Sido")
    assert match is not None and match.record_idx == 1
    assert {p.query_token: p.method for p in match.pairs}["SIDO"] == "prefix"
    # A prefix only counts at the end of the query.
    assert _prefix_min_len("SIDO IVAN", ["SIDO", "IVAN"]) == 4


def test_rare_extra_query_token_costs_more_than_a_common_one() -> None:
    names = ["Ivan PETROV"] + [f"Ali {s}" for s in ["KARIMOV", "ALIYEV", "RAHIMOV", "HASANOV",
                                                    "NAZAROV", "SAIDOV", "TOIROV", "USMONOV"]]
    idx = NameIndex.build(names, np.arange(len(names)))
    common = top(idx, "Ivan Ali Petrov", min_score=0.0)
    rare = top(idx, "Ivan Zorkin Petrov", min_score=0.0)
    assert common is not None and rare is not None
    assert common.record_idx == rare.record_idx == 0
    assert common.score > rare.score + 0.02
    # A missing middle name on the record side stays cheap.
    assert top(idx, "Ivan Petrov").score == 1.0  # type: ignore[union-attr]
    assert MISS_FLOOR < 1.0


def test_an_initial_the_record_has_no_name_for_costs_little() -> None:
    # The list left out the name the initial stands for (SAYED, an honorific normalisation
    # drops): the initial costs INITIAL_MISS of its weight, not its rarity as a bare letter.
    names = ["QUDDUS Esmatullah Asem", "KARIMOV Ali", "S ALIYEV", "RAHIMOV Said"]
    idx = NameIndex.build(names, np.arange(len(names)))
    initial = top(idx, "QUDDUS S Esmatullah Asem", min_score=0.0)
    assert initial is not None and initial.record_idx == 0
    assert initial.score == pytest.approx(3 / (3 + INITIAL_WEIGHT * INITIAL_MISS), abs=1e-4)
    assert {p.query_token: p.method for p in initial.pairs}["S"] == "missing"
    # A whole name the record lacks still costs by its rarity: far more.
    name = top(idx, "QUDDUS Zorkin Esmatullah Asem", min_score=0.0)
    assert name is not None and name.score < initial.score - 0.1


def test_opened_arrays_are_plain_ndarrays(index: NameIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    opened = NameIndex.open(tmp_path)
    assert all(type(v) is np.ndarray for v in opened._a.values())
    assert all(v.flags.writeable for v in opened._a.values())


def test_arrow_input_and_null_names() -> None:
    import pyarrow as pa

    idx = NameIndex.build(pa.chunked_array([["John Smith", None], ["Ivan Petrov"]]),
                          np.array([0, 1, 2], dtype=np.int32))
    assert len(idx) == 3
    found = idx.search(["ivan petrov", None])  # type: ignore[list-item]
    assert [m.record_idx for m in found[0]] == [2] and found[1] == []


def test_record_idx_length_checked() -> None:
    with pytest.raises(ValueError):
        NameIndex.build(["a b"], np.array([0, 1]))


# ------------------------------------------------------------------ recall property

SYLLABLES = ["KA", "RI", "MO", "VA", "LI", "YE", "SU", "FA", "HA", "NU", "BE", "DO", "TRA",
             "SHE", "GOR", "MIN", "ZA", "PE", "TI", "LO"]
DIACRITIC = {"A": "Á", "E": "É", "O": "Ö", "U": "Ü"}


def random_token(rnd: random.Random) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3)))


def typo(rnd: random.Random, token: str) -> str:
    i = rnd.randrange(len(token))
    letter = rnd.choice("ABCDEFGHIJKLMNOPRSTUVYZ")
    kind = rnd.choice(["sub", "ins", "del", "swap"])
    if kind == "sub":
        return token[:i] + letter + token[i + 1:]
    if kind == "ins":
        return token[:i] + letter + token[i:]
    if kind == "del" and len(token) > 3:
        return token[:i] + token[i + 1:]
    if i + 1 < len(token):
        return token[:i] + token[i + 1] + token[i] + token[i + 2:]
    return token


LOOK_ALIKE = {"O": "0", "I": "L", "S": "5", "B": "8", "Z": "2", "G": "6", "D": "O", "L": "I",
              "A": "S", "E": "R", "K": "J", "M": "N", "R": "T", "N": "M"}  # OCR or next key


def vary(rnd: random.Random, tokens: list[str]) -> str:
    tokens = list(tokens)
    kind = rnd.choice(["typo", "reorder", "translit", "missing", "ocr", "truncated", "extra"])
    if kind == "typo":
        k = rnd.randrange(len(tokens))
        tokens[k] = typo(rnd, tokens[k])
    elif kind == "ocr":
        k = rnd.randrange(len(tokens))
        i = rnd.randrange(len(tokens[k]))
        ch = LOOK_ALIKE.get(tokens[k][i], tokens[k][i])
        tokens[k] = tokens[k][:i] + ch + tokens[k][i + 1:]
    elif kind == "truncated":
        tokens[-1] = tokens[-1][:rnd.randint(3, len(tokens[-1]))]
    elif kind == "extra":
        tokens.insert(rnd.randrange(len(tokens) + 1), random_token(rnd))
    elif kind == "reorder":
        rnd.shuffle(tokens)
    elif kind == "translit":
        tokens = ["".join(DIACRITIC.get(ch, ch) for ch in t) for t in tokens]
    elif len(tokens) > 2:
        del tokens[rnd.randrange(1, len(tokens))]
    return " ".join(tokens)


def weights(tokens: list[str]) -> list[float]:
    return [PARTICLE_WEIGHT if t in PARTICLES else INITIAL_WEIGHT if len(t) == 1 else TOKEN_WEIGHT
            for t in tokens]


def token_costs(q: list[str], entries: list[list[str]], entry_records: list[int]
                ) -> tuple[list[float], list[float]]:
    """Twin of NameIndex._query_token_costs: miss cost weight * (MISS_FLOOR + (1 -
    MISS_FLOOR) * normalised idf of the listed token spelled like it), and the likeness share
    (KNOWN_FUZZY for a token KNOWN_DF records or more list)."""
    n = len(entries)
    miss, fuzzy = [], []
    for t, w in zip(q, weights(q), strict=True):
        df = sum(1 for e in entries if t in e)
        records = len({r for e, r in zip(entries, entry_records, strict=True) if t in e})
        idf = math.log((n + 1) / (df + 1)) / math.log(n + 1)
        miss.append(w * PARTICLE_MISS if t in PARTICLES
                    else w * INITIAL_MISS if len(t) == 1
                    else w * (MISS_FLOOR + (1 - MISS_FLOOR) * idf))
        fuzzy.append(KNOWN_FUZZY if records >= KNOWN_DF else 1.0)
    return miss, fuzzy


def entry_df(entries: list[list[str]]) -> dict[str, int]:
    """Per token, the number of entries (token lists) that have it: the index's token_df."""
    df: dict[str, int] = {}
    for e in entries:
        for t in set(e):
            df[t] = df.get(t, 0) + 1
    return df


def exhaustive(names: list[str], records: np.ndarray, query: str
               ) -> tuple[dict[int, float], set[int]]:
    """Reference twin over every name: best score per record, and the records reaching
    0.75 with an assignment where every matched query token shares a blocking key with its
    record token(s) (or is a short truncated last token), the ones blocking promises."""
    entries = [c[:MAX_TOKENS] for name in names for c in name_variants(name, learned=False) if c]
    entry_records = [int(r) for name, r in zip(names, records, strict=True)
                     for c in name_variants(name, learned=False) if c]
    by_record: dict[int, list[list[str]]] = {}
    for name, r in zip(names, records, strict=True):
        by_record.setdefault(int(r), []).extend(
            c[:MAX_TOKENS] for c in name_variants(name, learned=False) if c)
    variants = ref.kept_alias_variants(ref.alias_variants(list(by_record.values())),
                                       entry_df(entries))
    listed = {t for e in entries for t in e}
    romanised = {frozenset(p) for p in romanisation_variants.all_pairs()
                 if p[0] in listed and p[1] in listed}
    best: dict[int, float] = {}
    keyed: set[int] = set()
    for q in name_variants(query):
        q = q[:MAX_TOKENS]
        if not q:
            continue
        miss, fuzzy = token_costs(q, entries, entry_records)
        prefix = [0] * (len(q) - 1) + [_prefix_min_len(query, q)]
        for i, name in enumerate(names):
            for c in name_variants(name, learned=False):
                c = c[:MAX_TOKENS]
                if q and c:
                    s, choice, _, _, span, _ = ref.name_score(q, weights(q), c, weights(c), miss,
                                                           prefix, fuzzy, variants, romanised)
                    r = int(records[i])
                    best[r] = max(best.get(r, 0.0), s)
                    if s >= 0.75 and all(
                        j < 0 or 0 < prefix[k] <= len(q[k]) < 4
                        # The keys search uses: the query side's own (a short listed
                        # spelling looks up no slips), the listed side's loose ones too.
                        or any(set(ref.token_keys(q[k], True, loose=q[k] not in listed))
                               & set(ref.token_keys(c[x]))
                               for x in range(j, j + max(1, span[k])))
                        for k, j in enumerate(choice)
                    ):
                        keyed.add(r)
    return best, keyed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_search_finds_everything_exhaustive_scoring_finds(seed: int) -> None:
    """Candidate recall against the reference twin run over every name.

    The varied record (typo, reorder, transliteration, missing middle name) is found whenever
    the exhaustive scoring puts it at min_score or above through token pairs that share a
    blocking key, with the same score; so is any other record. A record whose score needs a
    pair of tokens that only look alike (e.g. YERIVA FATRA against FATIZA RIVA, no common
    key) is the documented limit of blocking (and of the score bound, which takes such a
    pair as unmatched). Variations: typos, OCR look-alikes and neighbouring keys, reordering,
    transliteration, a missing middle name, an extra token, a truncated last token."""
    rnd = random.Random(seed)
    n_records = rnd.randint(1, 25)
    names, records, token_lists = [], [], []
    for r in range(n_records):
        for _ in range(rnd.randint(1, 2)):
            tokens = [random_token(rnd) for _ in range(rnd.randint(2, 3))]
            names.append(" ".join(tokens))
            records.append(r)
            token_lists.append(tokens)
    records_arr = np.asarray(records)
    idx = NameIndex.build(names, records_arr)
    planted = [rnd.randrange(len(names)) for _ in range(3)]
    queries = [vary(rnd, token_lists[i]) for i in planted]
    results = idx.search(queries, limit=1000, min_score=0.75)
    for query, name_i, found in zip(queries, planted, results, strict=True):
        got = {m.record_idx: m.score for m in found}
        scores, keyed = exhaustive(names, records_arr, query)
        want = {r: s for r, s in scores.items() if s >= 0.75}
        if records[name_i] in keyed:  # a variation can score low (RIRI FAPE -> IRI FAPE)
            assert records[name_i] in got, (query, names[name_i], got, want)
        assert keyed <= set(got) <= set(want), (query, got, want)
        for r, s in got.items():
            assert abs(want[r] - s) < 1e-9


def variant_pairs(idx: NameIndex, kind: int) -> set[frozenset[str]]:
    """The index's variant pairs of one kind (K.VARIANT_ALIAS or K.VARIANT_ROMANISED), as
    pairs of spellings (keys: (min * n_tokens + max) * 2 + kind)."""
    n_tokens = len(idx._a["token_offsets"]) - 1
    return {frozenset((idx._token_str(int(k // 2 // n_tokens)),
                       idx._token_str(int(k // 2 % n_tokens))))
            for k in idx._a["variant_pairs"] if k % 2 == kind}


def test_alias_variants_kernel_equals_twin() -> None:
    rnd = random.Random(7)
    for _ in range(40):
        names, records = [], []
        for r in range(rnd.randint(1, 8)):
            base = [random_token(rnd) for _ in range(rnd.randint(1, 3))]
            for _ in range(rnd.randint(1, 3)):
                names.append(vary(rnd, base))
                records.append(r)
        idx = NameIndex.build(names, np.asarray(records))
        by_record: dict[int, list[list[str]]] = {}
        for name, r in zip(names, records, strict=True):
            by_record.setdefault(r, []).extend(c[:MAX_TOKENS] for c in name_variants(name, learned=False) if c)
        want = ref.kept_alias_variants(
            ref.alias_variants(list(by_record.values())),
            entry_df([t for ts in by_record.values() for t in ts]))
        got = variant_pairs(idx, K.VARIANT_ALIAS)
        assert got == set(want), (names, got ^ set(want))


def test_spellings_the_list_gives_for_one_person_are_one_name() -> None:
    # AHMED and AHMET are both listed names, so AHMET against AHMED is no more than a likeness
    # (another person's name) ... unless one listed person is known under both spellings.
    names = ["ALAQAD Ahmed", "ALAQAD Ahmet", "KARIMOV Ahmed", "SMITH Ahmet"]
    # (No romanisation table: it gives AHMED / AHMET too, see the test below.)
    with_alias = NameIndex.build(names, np.asarray([0, 0, 1, 2]), romanised=())
    without = NameIndex.build(names, np.asarray([0, 3, 1, 2]), romanised=())
    got = {m.record_idx: m for m in with_alias.search(["KARIMOV Ahmet"], min_score=0.5)[0]}
    plain = {m.record_idx: m for m in without.search(["KARIMOV Ahmet"], min_score=0.5)[0]}
    assert got[1].score > plain[1].score + 0.02
    methods = {p.query_token: p.method for p in got[1].pairs}
    assert methods["AHMET"] == "alias_variant"
    assert {p.query_token: p.method for p in plain[1].pairs}["AHMET"] != "alias_variant"


def test_spellings_of_one_name_in_another_script_are_one_name() -> None:
    # UMAR and OMAR, SERHIY and SERGEY: each a listed name of its own, so by spelling alone a
    # likeness of two names; the romanisation table (both written عمر, both 谢尔盖) makes them
    # one name, and the explanation says how they met.
    names = ["KARIMOV Omar", "SMITH Umar", "IVANOV Sergey", "PETRENKO Serhiy"]
    pairs = [("OMAR", "UMAR"), ("SERGEY", "SERHIY"), ("IVANOV", "IWANOW")]
    table = NameIndex.build(names, np.arange(4), romanised=pairs)
    plain = NameIndex.build(names, np.arange(4), romanised=())
    for query, record, token in [("Umar KARIMOV", 0, "UMAR"), ("Serhiy IVANOV", 2, "SERHIY")]:
        got = {m.record_idx: m for m in table.search([query], min_score=0.5)[0]}[record]
        was = {m.record_idx: m for m in plain.search([query], min_score=0.5)[0]}[record]
        assert {p.query_token: p.method for p in got.pairs}[token] == "romanisation_variant"
        assert {p.query_token: p.method for p in was.pairs}[token] != "romanisation_variant"
        assert got.score > was.score + 0.04
    # A pair whose other spelling the list lacks pairs nothing (IWANOW is not listed).
    assert variant_pairs(table, K.VARIANT_ROMANISED) == {frozenset(("OMAR", "UMAR")),
                                                          frozenset(("SERGEY", "SERHIY"))}


def test_korean_and_chinese_surnames_under_two_romanisations_are_one_name() -> None:
    # RI (North Korea's spelling of LEE), GIM, CHOW (Cantonese for ZHOU): two letters apart or
    # sharing no key, none of them meets the listed spelling by likeness; the default table
    # (the curated romanisations) makes each one name, and blocking reaches it through them.
    names = ["LEE Yong Mu", "KIM Jong Un", "ZHOU Carol", "RI Su Yong", "GIM Chol", "CHOW Wai"]
    default = NameIndex.build(names, np.arange(6))
    plain = NameIndex.build(names, np.arange(6), romanised=())
    for query, record, token in [("RI Yong Mu", 0, "RI"), ("GIM Jong Un", 1, "GIM"),
                                 ("CHOW Carol", 2, "CHOW")]:
        got = {m.record_idx: m for m in default.search([query], min_score=0.8)[0]}
        was = {m.record_idx: m for m in plain.search([query], min_score=0.8)[0]}
        assert {p.query_token: p.method for p in got[record].pairs}[token] == (
            "romanisation_variant")
        assert record not in was or was[record].score < got[record].score
    # A spelling that is a name particle (DU, DO, LO) pairs with nothing.
    assert not any(set(p) & {"DU", "DO", "LO"} for p in romanisation_variants.curated_pairs())


def test_two_common_names_one_record_pairs_are_not_one_name() -> None:
    # CASTRO and CASTILLO are each listed under 60 names; one person known under both (a
    # second surname) does not make them one name, a tenth of the persons listing one would.
    givens = [f"{a}{b}ZQ" for a in "BCDFGHJKLM" for b in "AEIOUY"]
    names = [f"CASTRO {g}" for g in givens] + [f"CASTILLO {g}" for g in givens]
    records = list(range(len(names)))
    once = NameIndex.build(names + ["LOPEZ Castro", "LOPEZ Castillo"],
                           np.asarray(records + [500, 500]))
    pairs = [f"{s} Pablo" for k in range(7) for s in ("ROJAS" + "X" * k + " Castro",
                                                     "ROJAS" + "X" * k + " Castillo")]
    often = NameIndex.build(names + pairs, np.asarray(records + [600 + k // 2
                                                                 for k in range(len(pairs))]))
    for idx, want in ((once, False), (often, True)):
        [m] = [m for m in idx.search([f"CASTILLO {givens[0]}"], min_score=0.5)[0]
               if m.record_idx == 0]
        methods = {p.query_token: p.method for p in m.pairs}
        assert (methods["CASTILLO"] == "alias_variant") == want


def test_alias_variants_bring_candidates_no_key_would() -> None:
    # ALEXEY and ALEKSEY share no blocking key; one listed person is known under both, so a
    # query with either spelling must find a record listing the other.
    names = ["MAKAROV Aleksey", "PETROV Alexey", "PETROV Aleksey", "ORLOV Alexey",
             "ORLOV Aleksey"] + [
        f"MAKAROV {g}" for g in ("Ivan", "Oleg", "Pavel", "Igor", "Boris", "Yuri")]
    idx = NameIndex.build(names, np.asarray([0, 1, 1, 8, 8, 2, 3, 4, 5, 6, 7]))
    found = {m.record_idx: m.score for m in idx.search(["MAKAROV Alexey"], min_score=0.75)[0]}
    assert found.get(0, 0.0) > 0.9
    assert found == {r: s for r, s in found.items() if s >= 0.75}


def test_a_name_split_in_two_meets_its_one_word_spelling() -> None:
    # HAO and RAN share no key with HAORAN (too short for prefix keys of their own), and FAN
    # alone cannot reach min_score: only the key of HAO+RAN written together brings it.
    names = ["FAN Haoran", "FAN Bing"] + [f"FAN X{i}ZZ" for i in range(30)]
    idx = NameIndex.build(names, np.arange(len(names)))
    [match] = idx.search(["FAN Hao Ran"], min_score=0.75)[0][:1]
    assert match.record_idx == 0 and match.score > 0.95
    assert [p.method for p in match.pairs][:2] == ["exact", "squashed"]


def test_a_name_squashed_onto_a_short_first_token_meets_its_split_spelling() -> None:
    # YUHUA shares no key with YU (too short for a prefix key) nor with HUA; MAO alone cannot
    # reach min_score: only the key of its head YU (with HUA listed too) brings the record.
    names = ["MAO Yu Hua", "MAO Lin"] + [f"MAO X{i}ZZ" for i in range(30)] + ["LI Hua"]
    idx = NameIndex.build(names, np.arange(len(names)))
    [match] = idx.search(["MAO Yuhua"], min_score=0.8)[0][:1]
    assert match.record_idx == 0 and match.score > 0.95
    assert [p.method for p in match.pairs] == ["exact", "squashed"]


def test_a_repeated_query_token_pairs_with_one_record_token_only() -> None:
    # SAID SAID: every SAID X shares SAID with both query tokens, yet one record token pairs
    # with one query token. Were the bound to let both SAIDs pair with the one SAID, the crowd
    # (all as informative as the listed SAID SAID, and with a higher bound than its three
    # unmatched middle names allow) would fill the candidate cut first.
    names = [f"SAID {chr(65 + i // 26)}{chr(65 + i % 26)}QX" for i in range(300)] + [
        "SAID Said Abcx Defx Ghix"]
    idx = NameIndex.build(names, np.arange(len(names)))
    found = idx.search(["Said SAID"], min_score=0.8, max_candidates=5)[0]
    assert [m.record_idx for m in found] == [300]
    assert found[0].score == pytest.approx(2 / 2.3)


def test_matching_named_records_in_one_call_equals_one_by_one(index: NameIndex) -> None:
    queries = ["Karimov Muhammad Yusuf", "", "Hans Mueller", "zzz qqq"]
    records = [[0, 1, 2, 999], [0], [2, 1, 1], list(range(10))]
    many = index.match_records_many(queries, records, min_score=0.0)
    for query, recs, got in zip(queries, records, many, strict=True):
        assert got == index.match_records(query, recs)
        assert set(got) <= {r for r in recs if 0 <= r < 999}  # unknown records left out
    assert many[1] == {}  # a query without name tokens matches nothing
    above = index.match_records_many(queries, records, min_score=0.9)
    assert all(m.score >= 0.9 for found in above for m in found.values())
    assert any(above)  # the floor leaves the good matches in


def test_a_squashed_name_with_a_glued_honorific_meets_the_listed_names() -> None:
    # Titles are dropped as tokens, so HAJJI in HAJJIFAIZULLAHKHAN kept it from meeting
    # FAIZULLAH KHAN; a query variant without it does.
    idx = NameIndex.build(["NOORZAI, Hajji Faizullah Khan", "HILOWLE, Omar Sheikh Ali",
                           "NOORZAI, Faizullah"], np.arange(3))
    for query, record in [("NOORZAI HajjiFaizullahKhan", 0), ("HILOWLE OmarSheikhAli", 1)]:
        match = top(idx, query)
        assert match is not None and match.record_idx == record, query
        assert match.score > 0.97 and "squashed" in {p.method for p in match.pairs}


def test_particles_glued_onto_particles_and_long_squashes_are_found() -> None:
    # DU glued onto AL-AMIN, and five given names written as one word (both from the
    # quality benchmark's misses): search must bring these records, not just score them.
    idx = NameIndex.build(["AL-AMIN, Muhammad Abdallah", "AL-KHATUNI, Umar Abdul Hamid Salim "
                           "Brukan", "AMIN, Muhammad", "KHATUNI, Umar"], np.arange(4))
    for query, record, method in [("DUAL-AMIN Muhammad Abdallah", 0, "particle"),
                                  ("AL-KHATUNI UmarAbdulHamidSalimBrukan", 1, "squashed")]:
        match = top(idx, query)
        assert match is not None and match.record_idx == record, query
        assert method in {p.method for p in match.pairs}, match.pairs


def test_likeness_without_a_shared_spelling_key_is_searched() -> None:
    """Spellings that share no exact, deletion or skeleton key (the romanisation fold, a
    vowel-less form, a consonant lost on the way back from another script) still bring their
    record from the engine's search floor."""
    index = NameIndex.build(["GRANOVSKY, Aleksey Ivanovich", "HOPTON, Merricks",
                             "AHMADI, Agha Ali"], np.arange(3))
    for query, record in [("Alexei Ivanovich Granovsky", 0), ("Meris Hopton", 1),
                          ("Agha Hmdi Ali", 2)]:
        exhaustive = index.match_record(query, record)
        assert exhaustive is not None and exhaustive.score >= 0.8722, query
        found = index.search([query], min_score=0.8722)[0]
        assert [m.record_idx for m in found] == [record], query


def test_a_two_letter_abjad_writing_meets_its_name_unless_it_is_a_name_itself() -> None:
    # MN for MIAN, RZ for REZA: a 2-letter token with no vowel is a vowel-less writing (0.95).
    # NG is a listed name in its own right (twice): against NGO it is then discounted like a
    # likeness, as a listed name's likeness always is.
    names = ["MIAN Abdullah", "NGO Lan", "NG Wei", "NG Minh", "REZA Amidi"]
    idx = NameIndex.build(names, np.arange(len(names)), romanised=())
    mian = {m.record_idx: m for m in idx.search(["ABDULLAH Mn"], min_score=0.5)[0]}[0]
    assert {p.query_token: p.method for p in mian.pairs}["MN"] == "vowels_dropped"
    reza = {m.record_idx: m for m in idx.search(["AMIDI Rz"], min_score=0.5)[0]}[4]
    assert {p.query_token: (p.method, p.similarity) for p in reza.pairs}["RZ"] == (
        "vowels_dropped", K.VOWELS_DROPPED_SIM)
    ngo = {m.record_idx: m for m in idx.search(["NG Lan"], min_score=0.5)[0]}[1]
    assert {p.query_token: p.method for p in ngo.pairs}["NG"] == "vowels_dropped"
    unlisted = NameIndex.build(["MIAN Abdullah", "NGO Lan"], np.arange(2), romanised=())
    plain = {m.record_idx: m for m in unlisted.search(["NG Lan"], min_score=0.5)[0]}[1]
    assert ngo.score < plain.score - 0.02


def test_match_records_after_a_search_reuses_its_preparation(index: NameIndex) -> None:
    # The engine's date-of-birth pass scores records for names its search has just prepared;
    # reusing that preparation (a subset, a name twice, out of order) changes nothing.
    queries = ["KARIMOV Muhammad Yusuf", "SMITH JOHN", "Ivan PETROV", "МУХАММАД КАРИМОВ"]
    records = list(range(len(NAMES)))
    fresh = NameIndex.build(NAMES, RECORDS)  # never searched: prepares the names itself
    subset = [queries[2], queries[0], queries[2], queries[3]]
    wanted = fresh.match_records_many(subset, [records] * len(subset), min_score=0.3)
    index.search(queries, min_score=0.9)
    assert index._prepared_for(subset[:3])[1] == [2, 0, 2]  # taken from the search
    got = index.match_records_many(subset, [records] * len(subset), min_score=0.3)
    assert [sorted((r, m.score, m.pairs) for r, m in g.items()) for g in got] == [
        sorted((r, m.score, m.pairs) for r, m in w.items()) for w in wanted]
    assert any(got)


def test_a_name_evicted_by_another_thread_between_get_and_reuse_is_still_found(
        index: NameIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # The variants cache is shared by a worker's threads: an eviction can land between a
    # thread's get and its move to the end. Played here in one thread, in that order.
    from collections import OrderedDict

    class EvictedAfterGet(OrderedDict):
        def get(self, key, default=None):
            found = super().get(key, default)
            if found is not None:
                del self[key]
            return found

    want = index.search(["KARIMOV Muhammad"])
    monkeypatch.setattr(index, "_variants", EvictedAfterGet(index._variants))
    assert index.search(["KARIMOV Muhammad"]) == want
