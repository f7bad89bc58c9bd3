"""Corroborating evidence beside the name: date of birth, sex, nationality, document.

The weights are settings-free constants here, documented in the README; [2/6]
calibrates them on the benchmark's training part. The comparisons run in one Numba kernel
over integer-encoded values (indexes/kernels/evidence.py, twin in indexes/reference.py):
`RecordEvidence` encodes a snapshot's records once, `compare_batch` scores many (passenger,
record) pairs per call, and `details` turns a pair's relations into `MatchDetail`s, whose
`weight` is the amount added to (or, for a conflict, taken from) the match score. The
single-pair `compare_*` functions are thin wrappers over the same kernel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from indexes.kernels import evidence as EK
from indexes.kernels.evidence import _evidence_kernel
from screening.domain import MatchDetail

# Score contributions.
NAME_WEIGHT = 0.94          # a perfect name alone scores 0.94: enough for HIT only when exact
DOB_EXACT = 0.06
DOB_PARTIAL = 0.03          # year (and month) agree, the rest unknown on one side
DOB_SWAPPED = 0.02          # day and month swapped
DOB_YEAR_OFF_BY_ONE = 0.0
DOB_CONFLICT = -0.25
SEX_CONFLICT = -0.10
NATIONALITY_MATCH = 0.02
DOCUMENT_ON_RECORD = 0.10
DOCUMENT_ONLY_FLOOR = 0.97  # the passenger's document (number and country) is on a listed person's record: identifying, a HIT
SEX_MATCH = 0.0
# The most the evidence besides the name and a document can add: a name scoring below
# (possible_match_threshold - MAX_EVIDENCE_GAIN) / NAME_WEIGHT ends CLEAR whatever the date of
# birth, sex and nationality say (Engine searches names from there).
MAX_EVIDENCE_GAIN = DOB_EXACT + max(SEX_MATCH, 0.0) + NATIONALITY_MATCH
NATIONALITY_DIFFERENT = 0.0  # nationalities change and dual nationals are common: no penalty
# A name-only match (no agreeing date of birth, no document on record) whose matched tokens
# carry little information (common names: MUHAMMAD ALI, JOHN SMITH, WANG WEI; see
# NameMatch.rarity) is capped below HIT: a namesake is likelier than the listed person.
COMMON_NAME_CAP = 0.90
# A listed name the passenger does not give (a middle name, a second surname) costs this share
# of its weight in the name score when no date of birth or document corroborates the match
# (the name index charges names.UNMATCHED_RECORD_COST, 0.1, which the engine keeps for
# corroborated matches). Why: on the quality benchmark at 0.1, 9% of clean travellers (a
# listed person's name minus one of its names) outscored every misspelled listed name, which
# pushed the calibrated POSSIBLE_MATCH threshold above them (bench/results/quality.md).
NAME_ONLY_RECORD_TOKEN_COST = 0.35
# ... unless the names the passenger does give already single one entry out: fewer than
# 2**-RARE_GIVEN_BITS[0] entries of the list expected to bear them by chance
# (NameMatch.chance_bearers) and the cost starts falling, fewer than 2**-RARE_GIVEN_BITS[1]
# and it is the corroborated one; other listed names that hold them all (the engine sees them
# among the passenger's matches: engine.other_bearers) mean bearers besides the record, so no
# discount when there are more than LISTED_BEARERS_MAX of them. KHACHATUROV TIGRAN for
# KHACHATUROV Tigran Garik is then a possible match, where a
# common name minus one of its names (MARIA GARCIA for MARIA GARCIA LOPEZ) stays a namesake.
# The chance estimate treats names as independent, which names of one culture are
# not: AL-OTAIBI ASMA RASHA, three names each borne by thousands, looks as rare as BUECHEL
# PASCAL (8.5 and 7.8 bits on the 1M-person list) yet is a clean traveller's name. So one of
# the names given must also be one the list barely knows: borne by at most RARE_TOKEN_DF[0]
# entries or a RARE_TOKEN_DF[1] share of them (NameMatch.rarest_df).
# A patronymic (name_index.PATRONYMIC_SUFFIXES), which Russian, Ukrainian and Belarusian
# passports never print, is exempt: it always costs the corroborated share.
# Measured on the quality benchmark (1M persons, calibrated on the train part; quick run
# without peers): window (10, 13) with no rare-name condition: token_dropped 70.9%, clean
# false alarms at POSSIBLE_MATCH 189.8/10k; window (5, 8) alone: the calibrated POSSIBLE_MATCH
# rose from 0.8728 to 0.9098 (clean travellers' three-name subsets) and every class fell;
# window (5, 8) with the rare-name condition: token_dropped 76.0%, false alarms 182.5/10k,
# POSSIBLE_MATCH unchanged. The benchmark's clean travellers never bear a name the list
# barely knows (their names come from the generator's pools), so what the rule costs in
# false alarms on real traffic is not measured there; 5 bits means one entry in 32 expected
# to bear the names by chance.
RARE_GIVEN_BITS = (5.0, 8.0)
RARE_TOKEN_DF = (3, 5e-5)
# Other listed names holding every name the passenger gives (engine.other_bearers) that still
# leave the discount: a name the list barely knows, borne by two listed persons (a father and
# a son: LORENZANA CORDON Waldemar and LORENZANA LIMA Waldemar; GAXIOLA GARCIA and GAXIOLA
# MEDINA Rigoberto), makes a passenger giving only LORENZANA WALDEMAR no likelier an unlisted
# namesake: either may be him, and both are for review. More bearers than that: a name in
# its own right, whatever the token statistics say.
LISTED_BEARERS_MAX = 1


def name_only_record_token_cost(chance_bearers: float, rarest_df: int, names: int,
                                corroborated_cost: float) -> float:
    """The share of its weight a listed name the passenger leaves out costs when nothing but
    the name ties them to the record: NAME_ONLY_RECORD_TOKEN_COST, falling (linearly in bits)
    to `corroborated_cost` as the given names grow rarer (see RARE_GIVEN_BITS), when one of
    them is a name the list barely knows (rarest_df entries of `names` bear it, see
    RARE_TOKEN_DF)."""
    if not 0 < rarest_df <= max(RARE_TOKEN_DF[0], RARE_TOKEN_DF[1] * names):
        return NAME_ONLY_RECORD_TOKEN_COST
    lo, hi = RARE_GIVEN_BITS
    bits = -math.log2(chance_bearers) if chance_bearers > 0.0 else math.inf
    t = min(1.0, max(0.0, (bits - lo) / (hi - lo)))
    return NAME_ONLY_RECORD_TOKEN_COST - (NAME_ONLY_RECORD_TOKEN_COST - corroborated_cost) * t

# Kernel weight tables, indexed by the relation codes of indexes/kernels/evidence.py.
DOB_WEIGHTS = np.array([0.0, DOB_EXACT, DOB_PARTIAL, DOB_SWAPPED, DOB_YEAR_OFF_BY_ONE,
                        DOB_CONFLICT], dtype=np.float64)
SEX_WEIGHTS = np.array([0.0, SEX_MATCH, SEX_CONFLICT], dtype=np.float64)
NAT_WEIGHTS = np.array([0.0, NATIONALITY_MATCH, NATIONALITY_DIFFERENT], dtype=np.float64)
DOB_METHODS = ("", "exact", "partial", "day_month_swapped", "year_off_by_one", "conflict")
DOB_SIMILARITY = (0.0, 1.0, 0.8, 0.7, 0.5, 0.0)
SEX_CODES = {"M": 1, "F": 2}


def parse_date_loose(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) with 0 for unknown parts, or None if unparseable. Records may
    hold `1970`, `1970-05`, `1970-05-12`, `1970-00-00` or `1970-XX-XX`."""
    parts = value.strip().replace("/", "-").split("-")
    if not parts or not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    out = [int(parts[0]), 0, 0]
    for i, p in enumerate(parts[1:3], start=1):
        out[i] = int(p) if p.isdigit() else 0
    return out[0], out[1], out[2]


def encode_date(value: str | None) -> int:
    """yyyymmdd with 0 for unknown parts, -1 when unusable (the kernel's encoding)."""
    d = parse_date_loose(value) if value else None
    if d is None:
        return -1
    y, m, dd = d
    return y * 10000 + (m if 0 <= m <= 99 else 0) * 100 + (dd if 0 <= dd <= 99 else 0)


def encode_dates(values: pa.Array) -> np.ndarray:
    """Vectorised encode_date over an Arrow string array (nulls -> -1)."""
    arr = pc.replace_substring(pc.utf8_trim_whitespace(values.cast(pa.string())), "/", "-")
    year = pc.utf8_slice_codeunits(arr, 0, 4)
    ok = pc.and_(pc.equal(pc.utf8_length(year), 4), pc.utf8_is_digit(year))
    ok = pc.and_(ok, pc.or_(pc.equal(pc.utf8_length(arr), 4),
                            pc.equal(pc.utf8_slice_codeunits(arr, 4, 5), "-")))
    out = np.where(ok.to_numpy(zero_copy_only=False),
                   pc.if_else(ok, year, "0").cast(pa.int64()).to_numpy(zero_copy_only=False)
                   * 10000, -1)
    rest = pc.utf8_slice_codeunits(arr, 5, 100)
    parts = pc.split_pattern(rest, "-", max_splits=2)
    for k, scale in ((0, 100), (1, 1)):
        part = pc.list_element(pc.if_else(pc.greater(pc.list_value_length(parts), k), parts,
                                          pa.scalar(["", ""], pa.list_(pa.string()))), k)
        digits = pc.and_(pc.utf8_is_digit(part), pc.less_equal(pc.utf8_length(part), 2))
        digits = pc.fill_null(digits, False)
        num = pc.if_else(digits, part, "0").cast(pa.int64()).to_numpy(zero_copy_only=False)
        out = np.where(out >= 0, out + num * scale, out)
    out = np.where(pc.is_null(values).to_numpy(zero_copy_only=False), -1, out)
    return out.astype(np.int64)


@dataclass
class RecordEvidence:
    """A snapshot's per-record dates of birth, sex and nationalities, encoded for the kernel
    (CSR lists: record r owns dobs[dob_offsets[r]:dob_offsets[r + 1]])."""

    dob_offsets: np.ndarray
    dobs: np.ndarray
    dob_text: pa.Array
    sex: np.ndarray
    nat_offsets: np.ndarray
    nats: np.ndarray
    nat_codes: dict[str, int]
    nat_names: list[str]  # code -> nationality

    @classmethod
    def of(cls, dates_of_birth: pa.Array, sex: pa.Array, nationalities: pa.Array
           ) -> RecordEvidence:
        dates = pc.fill_null(dates_of_birth, pa.scalar([], dates_of_birth.type))
        dob_offsets = np.asarray(dates.offsets, dtype=np.int64) - int(dates.offsets[0].as_py())
        flat = dates.flatten()
        sexes = pc.fill_null(sex.cast(pa.string()), "")
        sex_codes = (pc.equal(sexes, "M").cast(pa.int8()).to_numpy(zero_copy_only=False)
                     + 2 * pc.equal(sexes, "F").cast(pa.int8()).to_numpy(zero_copy_only=False))
        nats = pc.fill_null(nationalities, pa.scalar([], nationalities.type))
        nat_offsets = np.asarray(nats.offsets, dtype=np.int64) - int(nats.offsets[0].as_py())
        encoded = pc.fill_null(nats.flatten().cast(pa.string()), "").dictionary_encode()
        nat_names = encoded.dictionary.to_pylist()
        nat_codes = {v: i for i, v in enumerate(nat_names)}
        return cls(dob_offsets, encode_dates(flat), flat, sex_codes.astype(np.int8),
                   nat_offsets, encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
                   nat_codes, nat_names)

    def nationality_code(self, nationality: str) -> int:
        """Code of a passenger nationality; one no record has gets a code no record holds."""
        if not nationality:
            return -1
        return self.nat_codes.get(nationality, len(self.nat_codes))


@dataclass
class EvidenceBatch:
    """Kernel output for many pairs (see indexes/kernels/evidence.py)."""

    dob_rel: np.ndarray
    dob_at: np.ndarray
    sex_rel: np.ndarray
    nat_rel: np.ndarray
    weight: np.ndarray


def compare_batch(rec: RecordEvidence, q_dob: Sequence[str], q_sex: Sequence[str],
                  q_nat: Sequence[str], pair_q: np.ndarray, pair_rec: np.ndarray
                  ) -> EvidenceBatch:
    """Evidence of every (passenger pair_q[p], record pair_rec[p]) pair in one kernel call."""
    return EvidenceBatch(*_evidence_kernel(
        np.asarray(pair_q, dtype=np.int64), np.asarray(pair_rec, dtype=np.int64),
        np.array([encode_date(d) for d in q_dob], dtype=np.int64),
        np.array([SEX_CODES.get(s, 0) for s in q_sex], dtype=np.int8),
        np.array([rec.nationality_code(n) for n in q_nat], dtype=np.int64),
        rec.dob_offsets, rec.dobs, rec.sex, rec.nat_offsets, rec.nats,
        DOB_WEIGHTS, SEX_WEIGHTS, NAT_WEIGHTS))


def details(batch: EvidenceBatch, p: int, rec: RecordEvidence, record: int, q_dob: str,
            q_sex: str, q_nat: str, record_sex: str = "") -> list[MatchDetail]:
    """MatchDetails of pair p (DOB, sex, nationality; only those with evidence)."""
    out = []
    d = int(batch.dob_rel[p])
    if int(batch.dob_at[p]) >= 0:
        out.append(MatchDetail("date_of_birth", q_dob, rec.dob_text[int(batch.dob_at[p])].as_py(),
                               DOB_METHODS[d], DOB_SIMILARITY[d], float(DOB_WEIGHTS[d])))
    s = int(batch.sex_rel[p])
    if s:
        out.append(MatchDetail("sex", q_sex, record_sex or q_sex,
                               "exact" if s == EK.SEX_EXACT else "conflict",
                               1.0 if s == EK.SEX_EXACT else 0.0, float(SEX_WEIGHTS[s])))
    n = int(batch.nat_rel[p])
    if n:
        lo, hi = rec.nat_offsets[record], rec.nat_offsets[record + 1]
        if n == EK.NAT_EXACT:
            out.append(MatchDetail("nationality", q_nat, q_nat, "exact", 1.0,
                                   float(NAT_WEIGHTS[n])))
        else:
            listed = ",".join(rec.nat_names[int(c)] for c in rec.nats[lo:hi])
            out.append(MatchDetail("nationality", q_nat, listed, "different", 0.0,
                                   float(NAT_WEIGHTS[n])))
    return out


def _single(query_dob: str = "", record_dobs: list[str] | None = None, query_sex: str = "",
            record_sex: str = "", query_nat: str = "", record_nats: list[str] | None = None
            ) -> tuple[RecordEvidence, EvidenceBatch]:
    rec = RecordEvidence.of(pa.array([record_dobs or []], pa.list_(pa.string())),
                            pa.array([record_sex], pa.string()),
                            pa.array([record_nats or []], pa.list_(pa.string())))
    return rec, compare_batch(rec, [query_dob], [query_sex], [query_nat], np.zeros(1, np.int64),
                              np.zeros(1, np.int64))


def compare_dob(query: str, record_dobs: list[str]) -> MatchDetail | None:
    """Best agreement between the passenger's date of birth and any of the record's."""
    rec, b = _single(query_dob=query, record_dobs=record_dobs)
    found = [d for d in details(b, 0, rec, 0, query, "", "") if d.field == "date_of_birth"]
    return found[0] if found else None


def compare_sex(query: str, record: str) -> MatchDetail | None:
    rec, b = _single(query_sex=query, record_sex=record)
    found = details(b, 0, rec, 0, "", query, "", record)
    return found[0] if found else None


def compare_nationality(query: str, record: list[str]) -> MatchDetail | None:
    rec, b = _single(query_nat=query, record_nats=record)
    found = details(b, 0, rec, 0, "", "", query)
    return found[0] if found else None
