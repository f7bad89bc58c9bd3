"""Fuzzy name search over a watchlist: blocking on token keys, Numba scoring, explanations.

Layout (all numpy, CSR = offsets + values, saved as .npy and memory-mapped on open):
- entries: every name expands to one entry per spelling variant (ICAO and plain folding), each
  a list of token ids; entry_name maps an entry back to its name, name_record to its record.
- tokens: unique token strings (chars + offsets), document frequency (entries containing it),
  weight (particles low), phonetic key.
- sequences: entries with the same tokens in the same order (namesakes) share one sequence id
  (entry_seq; seq_entries lists each sequence's entries, CSR).
- keys: sorted uint64 blocking keys (exact, one-deletion, 4-letter prefix, phonetic) with their
  token ids, and token -> sequences postings that carry each sequence's tokens inline (the
  score bound reads them where the walk finds the sequence, not from a row elsewhere).
Search: query token keys -> searchsorted -> matched tokens -> sequences (common query tokens
left out of the walk) -> upper bound of each sequence's score from which tokens its keys hit,
only sequences that can reach min_score, at most MAX_SCORED by shared information -> batch
scoring kernel, once per sequence (it also returns the token assignment for the
explanations) -> every entry of the sequences that pass -> best entry per record -> top
`limit`.
Token similarity: the best of Jaro-Winkler, an OCR/keyboard-aware edit similarity, a prefix
match for the query's last token (MRZ truncation) and the phonetic skeleton. A query token the
record lacks costs more the rarer it is in the list.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from indexes import romanisation_variants, translit_score
from indexes.arrow_buffers import string_buffers
from indexes.index_format import IndexFormatError
from indexes.kernels import names as K
from indexes.kernels.names import (
    _exact_keys_kernel,
    _gather_candidates_kernel,
    _inline_postings_kernel,
    _pair_postings_kernel,
    _phonetic_keys_kernel,
    _score_pairs_kernel,
    _sequence_ids_kernel,
    _token_keys_kernel,
    _variant_pairs_kernel,
)
from indexes.kernels.translit import _posting_sequences_kernel
from indexes.normalize import PARTICLES, name_variants, without_glued_titles
from indexes.phonetic import phonetic_tables

FORMAT_VERSION = 15  # 2: OCR keys; 3: ABD forms, alias variants; 4: stricter variants;
# 5: postings carry their entry's tokens; 6: spelling-fold, consonant and skeleton-deletion keys;
# 7: alias variants also pair short tokens one slip apart; 8: postings over token sequences;
# 9, 10: only alias variants a share of their rarer token's entries give; 11: IRN / IRINA
# (a leading vowel kept, the rest dropped) is a vowels-dropped pair, and such a pair the list
# gives as aliases is an alias variant (CHEOL / CHOL); 12: variant pairs carry their kind, and
# the romanisation table's pairs join the alias variants; 13: records per token (token_records);
# 14: the curated Korean and Chinese romanisations (surname_romanisations.tsv) join them;
# 15: token-pair postings (_pair_postings_kernel).

# A name written wholly in Arabic, Cyrillic or Chinese script: searched from this score, its
# best NATIVE_LIMIT candidates then scored by the transliteration model (search). 0.45 with
# LEXICON_RECORDS 1,000 found more (Chinese script with a date of birth 78.5 % against 73.5 %)
# but cost such a name 15 ms instead of 8, and the 1M-name scale point 310 us per passenger
# instead of about 270 (under 100 times cheaper than the rapidfuzz peer).
NATIVE_FLOOR = 0.6
NATIVE_LIMIT = 20
LEXICON_SPELLINGS = 8  # listed spellings the model writes, per native word (_lexicon_records)
LEXICON_MAX_DF = 5000  # a spelling listed more often brings too many records to weigh
LEXICON_RECORDS = 100  # records they bring at most (see _with_lexicon)
MAX_TOKENS = 12  # tokens kept per name (long Arabic chains); bounds the per-pair work
PARTICLE_WEIGHT = 0.2
PARTICLE_MISS = 0.25  # a particle the record lacks costs this share of its weight (AL, BIN)
INITIAL_WEIGHT = 0.5  # a single letter says less than a name
# An initial the record has no name for costs this share of its weight, as a particle does:
# lists leave middle names and honorifics out (QUDDUS S ESMATULLAH for QUDDUS SAYED
# ESMATULLAH, whose SAYED normalisation drops as a title), and a letter says little of which
# name it stands for. Costed by its rarity as a token instead, a lone S (few entries list the
# bare letter) cost nearly as much as an unknown surname.
INITIAL_MISS = 0.25
# Query tokens matching at least this many entries may be left out of blocking when the others
# carry enough weight (see _gather_candidates_kernel): MUHAMMAD in MUHAMMAD KARIMOV.
COMMON_DF = 200
# Searches from at least this score bound candidates by the credit their pairs would earn
# (_credit_bound_kernel), which assumes, as blocking does, that tokens sharing no key do not
# pair. From a low floor that no longer holds often enough: the scorer's own pairs without a
# key (SARAYETA / ZALAYETA, an edit likeness of 0.85, decoded from Chinese and searched from
# NATIVE_FLOOR) lift such candidates over it, and the plain bound's slack kept them.
CREDIT_BOUND_MIN_SCORE = 0.8
TOKEN_WEIGHT = 1.0
METHOD_NAMES = {
    K.METHOD_MISSING: "missing", K.METHOD_EXACT: "exact",
    K.METHOD_JARO_WINKLER: "jaro_winkler", K.METHOD_INITIAL: "initial",
    K.METHOD_SQUASHED: "squashed", K.METHOD_PHONETIC: "phonetic", K.METHOD_EDIT: "edit",
    K.METHOD_PREFIX: "prefix", K.METHOD_PARTICLE: "particle",
    K.METHOD_DOUBLED: "doubled", K.METHOD_VARIANT: "alias_variant",
    K.METHOD_VOWELS_DROPPED: "vowels_dropped", K.METHOD_SPELLING: "spelling",
    K.METHOD_ROMANISATION: "romanisation_variant",
}
# Loose blocking hits (names._token_keys_kernel) bring candidates only from tokens listed in
# fewer than one entry in this many, and fewer than COMMON_DF: rare on the list's own scale, so
# a small list, where nearly every token is rare, does not walk them all (walking them made
# full screening about 40% slower on a 10,000-name list).
LOOSE_WALK_ENTRIES_PER_DF = 10_000
# Scoring is the expensive step (~1 us per candidate): after the score bound, at most this many
# candidate token sequences per subquery (each standing for all its entries), the ones sharing
# the most information with it.
MAX_SCORED = 256
# An extra query token the record lacks costs its weight times MISS_FLOOR (a token every entry
# has) up to 1 (a token no entry has): an unseen surname is strong evidence of another person,
# one more MUHAMMAD is not.
MISS_FLOOR = 0.5
# A query token listed exactly so by at least KNOWN_DF records is a name in its own right: its
# likeness-only matches earn KNOWN_FUZZY of their credit (see names.py, q_fuzzy). Records, not
# names: a spelling only one listed person's aliases use (ABKAR, in seven aliases of one
# AKBAR) is that person's way of writing a name, and as likely a slip as another name
# (counting names, ABKAR for AKBAR lost a fifth of its credit).
KNOWN_DF = 2
KNOWN_FUZZY = 0.85
# The last query token may be cut short (MRZ) and still match as a prefix: from this length,
# or from MRZ_PREFIX_MIN_LEN when the name fills an MRZ name field exactly.
PREFIX_MIN_LEN = 4
# The field cut the name: even 2 letters (...<BEN<AB) start a name (see K.MRZ_CUT_PREFIX_MIN).
MRZ_PREFIX_MIN_LEN = K.MRZ_CUT_PREFIX_MIN
MRZ_NAME_LENGTHS = frozenset({39, 31, 30})  # TD3, TD2, TD1 name fields
# East Slavic patronymics (VLADIMIROVICH, SERGEYEVNA, OLEKSANDRIVNA; French -OVITCH, Ukrainian
# -OVYCH): Russian, Ukrainian and Belarusian passports print no patronymic in their Latin name
# fields, so a traveller's document lacks the one the list gives. A record token left out by
# the query that ends so costs what a corroborated missing name costs (UNMATCHED_RECORD_COST),
# never the engine's name-only charge. Only when exactly one token after the first is shaped
# so (SURNAME Given Patronymic): ABRAMOVICH Roman Arkadyevich keeps its surname's weight, and
# Ivan Petrovich SIDOROVICH (which is the surname?) gets no discount. On the
# quality benchmark 74 of the 155 names-only misses of dropped-token queries were a missing
# patronymic (DERIPASKA Oleg for DERIPASKA Oleg Vladimirovich).
PATRONYMIC_SUFFIXES = ("OVICH", "EVICH", "OVITCH", "EVITCH", "OVYCH", "EVYCH", "OVNA", "EVNA",
                       "ICHNA", "IVNA")
PATRONYMIC_MIN_LEN = 7
HEAD_LENGTHS = (2,)  # squashed-name heads looked up by their exact key (see _split_and_head_keys)
VARIANT_CACHE_SIZE = 65536  # manifests repeat names: normalise each distinct one once
_IDENTITY = np.arange(256, dtype=np.uint8)
_PHON_FIRST, _PHON_REST = phonetic_tables()
_PARTICLE_SET = pa.array(sorted(PARTICLES), type=pa.large_string())
_ARRAYS = (
    "token_chars", "token_offsets", "token_df", "token_records", "token_weight", "token_phon",
    "token_plen",
    "entry_tok_offsets", "entry_tokens", "entry_name", "name_record", "keys", "key_tokens",
    "key_loose", "tok_post_offsets", "tok_post", "variant_pairs", "entry_seq",
    "seq_entry_offsets", "seq_entries", "pair_tok_offsets", "pair_partner", "pair_post_offsets",
    "pair_post",
)


class TokenPair(NamedTuple):
    """One line of a match's explanation. A named tuple, not a dataclass: every reported
    match builds a handful of them, and a frozen dataclass costs a microsecond each."""

    query_token: str  # "" for a record token the query does not have
    record_token: str  # "" when the query token is unmatched
    similarity: float
    # one of METHOD_NAMES (exact, jaro_winkler, edit, spelling, vowels_dropped, phonetic,
    # initial, squashed, missing, patronymic: a record patronymic the query lacks...); cut:
    # a record token after the end of a name the MRZ field cut (no room for it on the document)
    method: str


@dataclass(frozen=True)
class NameMatch:
    name_idx: int
    record_idx: int
    score: float
    pairs: tuple[TokenPair, ...]
    # Information carried by the matched record tokens: sum over them of
    # log2((entries + 1) / (document frequency + 1)) (particles left out). With E = entries *
    # 2**-information, the number of entries expected to share the matched tokens by chance,
    # rarity = 1 / (1 + E): near 1 for a rare name, 0.5 or less when the list itself is
    # expected to hold another bearer of it (JOHN SMITH, MUHAMMAD ALI, WANG WEI).
    information: float = 0.0
    rarity: float = 1.0
    # E itself (unrounded: rarity rounds to 1.0 below 1e-4, where the engine still tells a
    # name one entry in 1,000 would share by chance from one a million would not).
    chance_bearers: float = 0.0
    # The score is num / den (see names._name_score_core_kernel); record_left: the summed
    # weight of the record's tokens the query does not give (each cost UNMATCHED_RECORD_COST
    # in den). Lets a caller weigh those tokens otherwise (with_record_token_cost).
    den: float = 0.0
    record_left: float = 0.0
    # The same for the record tokens after the one the query's last token met, when the query
    # fills an MRZ name field exactly (SURNAME<<GIVEN<NAMES cut at 30, 31 or 39 characters):
    # the document had no room for them, so giving them was impossible (record_left leaves
    # them out; with_record_token_cost charges them nothing).
    record_cut: float = 0.0
    # Entries bearing the rarest record token the query met (particles left out; 0 when it met
    # none). Token rarity summed as information assumes names independent, and names from one
    # culture are not (AL-OTAIBI, ASMA and RASHA each common, together "rare"): the engine
    # also asks for one name the list itself barely knows.
    rarest_df: int = 0

    def with_record_token_cost(self, cost: float) -> float:
        """The score had each record token the query lacks cost `cost` of its weight instead
        of UNMATCHED_RECORD_COST (the engine: more when nothing else ties the passenger to
        the record), and the tokens the MRZ field had no room for nothing."""
        if (self.record_left <= 0.0 and self.record_cut <= 0.0) or self.den <= 0.0:
            return self.score
        extra = ((cost - K.UNMATCHED_RECORD_COST) * self.record_left
                 - K.UNMATCHED_RECORD_COST * self.record_cut)
        return min(1.0, self.score * self.den / max(self.den + extra, 1e-12))


@dataclass
class _TokenTable:
    """Tokens as CSR bytes with their kernel attributes."""

    chars: np.ndarray
    offsets: np.ndarray
    weight: np.ndarray
    phon: np.ndarray
    plen: np.ndarray


def _small_string_buffers(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(read-only UTF-8 bytes, writable int64 offsets from 0) of a few strings: string_buffers'
    types without building an Arrow array, whose calls cost more than a query's few tokens
    (they were a tenth of screening a lone passenger)."""
    encoded = [t.encode("utf-8") for t in strings]
    # accumulate, not np.cumsum: numpy's conversion of a short list costs 5x the sum.
    offsets = np.array([0, *accumulate(len(b) for b in encoded)], dtype=np.int64)
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def _token_table(tokens: pa.Array | list[str]) -> _TokenTable:
    # Particles weigh PARTICLE_WEIGHT, other one-byte tokens (initials) INITIAL_WEIGHT.
    if isinstance(tokens, list):  # a query's tokens: a few, so plain Python
        chars, offsets = _small_string_buffers(tokens)
        weight = np.array([PARTICLE_WEIGHT if t in PARTICLES
                           else INITIAL_WEIGHT if len(t.encode("utf-8")) == 1 else TOKEN_WEIGHT
                           for t in tokens], dtype=np.float64)
    else:  # the index's dictionary
        arr = tokens.cast(pa.large_string())
        chars, offsets = string_buffers(arr)
        # A writable int64 copy starting at 0 (rebases a sliced array; one Numba type).
        offsets = np.array(offsets, dtype=np.int64)
        if len(offsets) and offsets[0] != 0:
            chars = chars[offsets[0]:]
            offsets -= offsets[0]
        is_particle = pc.is_in(arr, value_set=_PARTICLE_SET).to_numpy(zero_copy_only=False)
        weight = np.where(is_particle, PARTICLE_WEIGHT, TOKEN_WEIGHT).astype(np.float64)
        weight[(np.diff(offsets) == 1) & ~is_particle] = INITIAL_WEIGHT
    phon, plen = _phonetic_keys_kernel(chars, offsets, _PHON_FIRST, _PHON_REST, _IDENTITY)
    return _TokenTable(chars, offsets, weight, phon, plen)


@dataclass
class _Prepared:
    """Queries ready for scoring (see NameIndex._prepare)."""

    sq_query: list[int]  # query of each subquery (spelling variant)
    sq_tokens: list[list[str]]
    qt: _TokenTable  # all subqueries' tokens, flat
    q_len: np.ndarray
    q_prefix: np.ndarray
    sq_cut: list[bool]  # the query fills an MRZ name field exactly: its end may be cut off
    sq_tok_offsets: np.ndarray
    tok_key_offsets: np.ndarray
    lo: np.ndarray  # per query key: range of the index's sorted keys
    hi: np.ndarray
    q_miss: np.ndarray
    q_fuzzy: np.ndarray
    q_tok: np.ndarray  # index token id spelled like each query token, -1 when none


def _csr_from_groups(group: np.ndarray, values: np.ndarray, n_groups: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(group, kind="stable")
    offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(group, minlength=n_groups), out=offsets[1:])
    return offsets, values[order]


def _key_ranges(keys: np.ndarray, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi): per needle, the range of the sorted `keys` equal to it. The needles are
    looked up in sorted order: numpy's binary search then starts each from where the last
    one ended, about 40% cheaper than in query order for a batch's keys (development
    measurement: 3.9 against 2.3 ms for a batch of 500 passengers' 18,887 keys)."""
    order = np.argsort(needles, kind="stable")
    ordered = needles[order]
    lo = np.empty(len(needles), dtype=np.int64)
    hi = np.empty(len(needles), dtype=np.int64)
    lo[order] = np.searchsorted(keys, ordered, side="left")
    hi[order] = np.searchsorted(keys, ordered, side="right")
    return lo, hi


def _csr_take(offsets: np.ndarray, values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The values of every group in `groups`, concatenated in that order (CSR gather)."""
    starts, counts = offsets[groups], offsets[groups + 1] - offsets[groups]
    return values[np.repeat(starts - np.cumsum(counts) + counts, counts)
                  + np.arange(counts.sum(), dtype=np.int64)]


def _fills_mrz_field(query: str, tokens: list[str], *, at_separator: bool = False) -> bool:
    """The name, as given or rendered SURNAME<<GIVEN<NAMES, fills an MRZ name field exactly:
    the field may have cut it inside its last token. at_separator: also when an MRZ field
    ends in a single filler (...<HESHMATOLLAH< in 30 characters): the field may have cut the
    name just before a token (or padded a name one character shorter: no telling)."""
    raw = query.strip()
    if "<" in raw:
        ends = raw.endswith("<")
        length = len(raw) if not ends or (at_separator and not raw.endswith("<<")) else 0
    else:
        length = sum(len(t) for t in tokens) + len(tokens) + (1 if len(tokens) > 1 else 0) - 1
    return length in MRZ_NAME_LENGTHS


def _prefix_min_len(query: str, tokens: list[str]) -> int:
    """Shortest last token allowed to match as a prefix: MRZ_PREFIX_MIN_LEN when the name
    fills an MRZ name field exactly."""
    return MRZ_PREFIX_MIN_LEN if _fills_mrz_field(query, tokens) else PREFIX_MIN_LEN


class NameIndex:
    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._a = arrays
        self._variants: OrderedDict[str, list[list[str]]] = OrderedDict()
        self._token_strings: dict[int, str] = {}
        # Query token -> (listed token spelled so or -1, its document frequency, a name in
        # its own right): see _listed_spelling.
        self._spellings: dict[str, tuple[int, float, bool]] = {}
        # Alias variants by token (CSR offsets, their exact keys), built on first use.
        self._partners: tuple[np.ndarray, np.ndarray] | None = None
        # Entries by record (CSR offsets, entry ids), built on first use (match_record).
        self._by_record: tuple[np.ndarray, np.ndarray] | None = None
        self._longest_token: int | None = None
        self._max_w: float | None = None
        self._lexicon: translit_score.Lexicon | None = None
        # Working arrays of the candidate kernel (K.gather_scratch), one set per search in
        # flight (a server screens from several threads at once), reused from this pool.
        self._gather_pool: list[tuple] = []
        # Per thread, the queries the last searches prepared (_Prepared depends on the query
        # strings alone): the engine's date-of-birth pass scores records for names its search
        # has just prepared (_match_records_many), and need not prepare them again.
        self._recent = threading.local()

    # ------------------------------------------------------------------ build

    @classmethod
    def build(cls, names: Sequence[str] | pa.Array | pa.ChunkedArray,
              record_idx: np.ndarray,
              romanised: Sequence[tuple[str, str]] | None = None) -> NameIndex:
        """Index `names` (record_idx: each name's record). romanised: pairs of Latin spellings
        of one name (default the shipped tables, romanisation_variants.all_pairs()); those whose
        both spellings the list holds score as variants."""
        if isinstance(names, pa.Array | pa.ChunkedArray):
            names = names.to_pylist()
        record_idx = np.asarray(record_idx, dtype=np.int64)
        if len(record_idx) != len(names):
            raise ValueError("names and record_idx must have the same length")
        # Normalisation is per-name Python string work (Unicode); everything after is numpy.
        flat: list[str] = []
        entry_len: list[int] = []
        entry_name: list[int] = []
        for i, name in enumerate(names):
            # A null name indexes nothing.
            for tokens in name_variants(name or "", learned=False):
                if tokens:
                    tokens = tokens[:MAX_TOKENS]
                    flat.extend(tokens)
                    entry_len.append(len(tokens))
                    entry_name.append(i)
        encoded = pa.array(flat, type=pa.large_string()).dictionary_encode()
        dictionary = encoded.dictionary
        entry_tokens = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        n_tokens = len(dictionary)
        n_entries = len(entry_len)
        entry_tok_offsets = np.zeros(n_entries + 1, dtype=np.int64)
        np.cumsum(np.asarray(entry_len, dtype=np.int64), out=entry_tok_offsets[1:])
        table = _token_table(dictionary)

        # Entries spelled with the same tokens in the same order (namesakes, a name and its
        # other spellings that normalise alike) form one sequence: the candidate step walks
        # and bounds sequences, the scorer scores each once (on the 1M-person list, 2.05M
        # entries are 0.89M sequences).
        entry_seq, n_seq = _sequence_ids_kernel(entry_tok_offsets, entry_tokens)
        seq_entry_offsets, seq_entries = _csr_from_groups(
            entry_seq, np.arange(n_entries, dtype=np.int32), n_seq)
        seq_rep = seq_entries[seq_entry_offsets[:-1]].astype(np.int64)  # its first entry
        seq_len = np.asarray(entry_len, dtype=np.int64)[seq_rep]
        seq_tok_offsets = np.zeros(n_seq + 1, dtype=np.int64)
        np.cumsum(seq_len, out=seq_tok_offsets[1:])
        seq_tokens = _csr_take(entry_tok_offsets, entry_tokens, seq_rep)

        # token -> sequences postings, one posting per (token, sequence) even if repeated in
        # a name; the document frequency counts entries (every entry of each sequence).
        owner = np.repeat(np.arange(n_seq, dtype=np.int64), seq_len)
        pair = np.unique(seq_tokens.astype(np.int64) * max(n_seq, 1) + owner)
        pair_token = (pair // max(n_seq, 1)).astype(np.int64)
        pair_seq = (pair % max(n_seq, 1)).astype(np.int32)
        tok_seq_offsets, tok_seqs = _csr_from_groups(pair_token, pair_seq, n_tokens)
        token_df = np.bincount(pair_token, weights=np.diff(seq_entry_offsets)[pair_seq],
                               minlength=n_tokens).astype(np.int32)
        tok_post_offsets, tok_post = _inline_postings_kernel(tok_seq_offsets, tok_seqs,
                                                             seq_tok_offsets, seq_tokens)
        pair_tok_offsets, pair_partner, pair_post_offsets, pair_post = _pair_postings_kernel(
            tok_post_offsets, tok_post)
        token_records = _token_records(entry_tok_offsets, entry_tokens,
                                       record_idx[np.asarray(entry_name, dtype=np.int64)],
                                       n_tokens)

        keys, key_owner, key_loose = _token_keys_kernel(
            table.chars, table.offsets, table.phon, table.plen, _IDENTITY, False, _PHON_FIRST,
            _PHON_REST)
        # Stable: where one token has a key twice, its strong copy (listed first) is kept.
        order = np.lexsort((key_owner, keys))
        keys, key_owner, key_loose = keys[order], key_owner[order], key_loose[order]
        keep = np.ones(len(keys), dtype=bool)  # a token's deletion keys can repeat (MUHAMMAD)
        keep[1:] = (keys[1:] != keys[:-1]) | (key_owner[1:] != key_owner[:-1])
        arrays = dict(
            # A writable copy, like the copy-on-write map open() gives: same Numba types.
            token_chars=np.array(table.chars), token_offsets=table.offsets, token_df=token_df,
            token_records=token_records,
            token_weight=table.weight, token_phon=table.phon, token_plen=table.plen,
            entry_tok_offsets=entry_tok_offsets, entry_tokens=entry_tokens,
            entry_name=np.asarray(entry_name, dtype=np.int64), name_record=record_idx,
            keys=keys[keep], key_tokens=key_owner[keep].astype(np.int32),
            key_loose=key_loose[keep],
            tok_post_offsets=tok_post_offsets, tok_post=tok_post,
            pair_tok_offsets=pair_tok_offsets, pair_partner=pair_partner,
            pair_post_offsets=pair_post_offsets, pair_post=pair_post,
            entry_seq=entry_seq.astype(np.int32), seq_entry_offsets=seq_entry_offsets,
            seq_entries=seq_entries,
        )
        romanised = romanisation_variants.all_pairs() if romanised is None else romanised
        arrays["variant_pairs"] = _variant_pairs(
            _alias_variants(arrays), _romanised_pairs(dictionary, romanised))
        return cls(arrays)

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in _ARRAYS:
            np.save(directory / f"{name}.npy", self._a[name])
        (directory / "meta.json").write_text(
            json.dumps({"format": FORMAT_VERSION, "names": len(self)}))

    @classmethod
    def open(cls, directory: Path) -> NameIndex:
        directory = Path(directory)
        meta = json.loads((directory / "meta.json").read_text())
        if meta.get("format") != FORMAT_VERSION:
            raise IndexFormatError(f"name index format {meta.get('format')} in {directory}, "
                                   f"this release reads {FORMAT_VERSION}")
        # Copy-on-write maps: nothing is ever written, but the arrays are typed writable, so the
        # kernels compiled for a freshly built index serve an opened one (no second compile).
        # Plain ndarray views of the maps: np.memmap indexing goes through the subclass on every
        # item and slice (most of _explain's time); the view keeps dtype, layout and the
        # writable flag, so the kernels' Numba types (and cache entries) stay the same.
        return cls({name: np.load(directory / f"{name}.npy", mmap_mode="c").view(np.ndarray)
                    for name in _ARRAYS})

    def __len__(self) -> int:
        return len(self._a["name_record"])

    def warmup(self) -> None:
        """Compile (or load from cache) every kernel for this index's array types."""
        self.search(["JOHN SMITH", "M KARIMOV-ALI", "محمد علي"], min_score=0.0)
        self.match_record("JOHN SMITH", 0)

    # ------------------------------------------------------------------ search

    def search(self, queries: Sequence[str], *, limit: int = 10, min_score: float = 0.75,
               max_candidates: int = 2000, crowded: list[bool] | None = None
               ) -> list[list[NameMatch]]:
        """Per query, at most `limit` matches with score >= min_score, best first, one per
        record (its best-scoring name). A name written wholly in Arabic, Cyrillic or Chinese
        script is searched from NATIVE_FLOOR, joined by the records holding listed spellings
        the transliteration model writes for its words (_with_lexicon), and these candidates
        are scored again by the model (_with_translit): their usual scores, against a few
        decoded spellings, run low even for the right person. See _search for the rest."""
        if limit < 1 or max_candidates < 1:
            raise ValueError("limit and max_candidates must be positive")
        words = [translit_score.native_words(q) for q in queries]
        native = [i for i, w in enumerate(words) if w]
        if not native:
            return self._search(queries, limit=limit, min_score=min_score,
                                max_candidates=max_candidates, crowded=crowded)
        latin = [i for i, w in enumerate(words) if not w]
        results: list[list[NameMatch]] = [[] for _ in queries]
        flags: list[bool] = [False] * len(queries)
        if latin:
            got: list[bool] = []
            found = self._search([queries[i] for i in latin], limit=limit, min_score=min_score,
                                 max_candidates=max_candidates, crowded=got)
            for i, matches, crowd in zip(latin, found, got, strict=True):
                results[i], flags[i] = matches, crowd
        got = []
        found = self._search([queries[i] for i in native], limit=max(limit, NATIVE_LIMIT),
                             min_score=min(min_score, NATIVE_FLOOR),
                             max_candidates=max_candidates, crowded=got)
        found = self._with_lexicon(native, queries, words, found)
        for i, matches, crowd in zip(native, found, got, strict=True):
            matches = [m for m in self._with_translit(words[i], matches)
                       if m.score >= min_score][:limit]
            results[i], flags[i] = matches, crowd and len(matches) >= limit
        if crowded is not None:
            crowded[:] = flags
        return results

    def _with_lexicon(self, group: list[int], queries: Sequence[str], words: list,
                      found: list[list[NameMatch]]) -> list[list[NameMatch]]:
        """found (the native-script queries' candidates) joined by records the model's own
        spellings of their words reach (_lexicon_records): the decoded guesses miss a listed
        spelling the model would still write (RIVEST for 李维斯特). On to the likeness go the
        NATIVE_LIMIT first of them (the more words met, the likelier the spellings) and the
        NATIVE_LIMIT best of the rest by the batch scorer; they join as candidates only,
        scored for the native query itself."""
        offsets, by_record = self._entries_by_record()
        picked: list[list[int]] = []
        for k, i in enumerate(group):
            order = self._lexicon_records(words[i])
            order = order[~np.isin(order, [m.record_idx for m in found[k]])]
            first, rest = order[:NATIVE_LIMIT], order[NATIVE_LIMIT:]
            if len(rest):
                sizes = offsets[rest + 1] - offsets[rest]
                scores = self.score_entries(queries[i], _csr_take(offsets, by_record, rest))
                owner = np.repeat(np.arange(len(rest)), sizes)
                best = np.full(len(rest), -1.0)
                np.maximum.at(best, owner, scores)
                rest = rest[np.lexsort((rest, -best))[:NATIVE_LIMIT]]
            picked.append(first.tolist() + rest.tolist())
        if not any(picked):
            return found
        scored = self._match_records_many([queries[i] for i in group], picked, min_score=0.0)
        return [have + list(more.values()) for have, more in zip(found, scored, strict=True)]

    def _lexicon_records(self, words: list[str]) -> np.ndarray:
        """At most LEXICON_RECORDS records holding listed tokens the model writes for the words
        with its kept segments (translit_score.lexicon_spellings): per word its
        LEXICON_SPELLINGS likeliest per letter, among tokens listed at most LEXICON_MAX_DF
        times; records covering more words first, then the likelier spellings."""
        a = self._a
        if self._lexicon is None:
            self._lexicon = translit_score.Lexicon.of(a["token_chars"], a["token_offsets"])
        lengths = np.diff(a["token_offsets"])
        recs, word, cost = [], [], []  # (record, word, excess per letter) per token reached
        for wi, w in enumerate(words):
            tok, excess = translit_score.lexicon_spellings(w, self._lexicon)
            keep = a["token_df"][tok] <= LEXICON_MAX_DF
            tok, per_letter = tok[keep], excess[keep] / np.maximum(lengths[tok[keep]], 1)
            for j in np.argsort(per_letter, kind="stable")[:LEXICON_SPELLINGS]:
                t = int(tok[j])
                seqs = _posting_sequences_kernel(a["tok_post"], a["tok_post_offsets"][t],
                                                 a["tok_post_offsets"][t + 1])
                entries = _csr_take(a["seq_entry_offsets"], a["seq_entries"], seqs)
                r = np.unique(a["name_record"][a["entry_name"][entries]])
                recs.append(r)
                word.append(np.full(len(r), wi))
                cost.append(np.full(len(r), per_letter[j]))
        if not recs:
            return np.zeros(0, dtype=np.int64)
        rec, wd, cst = np.concatenate(recs), np.concatenate(word), np.concatenate(cost)
        order = np.lexsort((cst, wd, rec))  # per (record, word) its likeliest spelling first
        rec, wd, cst = rec[order], wd[order], cst[order]
        first = np.ones(len(rec), dtype=bool)
        first[1:] = (rec[1:] != rec[:-1]) | (wd[1:] != wd[:-1])
        rec, cst = rec[first], cst[first]
        uniq, start, met = np.unique(rec, return_index=True, return_counts=True)
        summed = np.add.reduceat(cst, start)
        return uniq[np.lexsort((uniq, summed, -met))][:LEXICON_RECORDS].astype(np.int64)

    def _with_translit(self, words: list[str], matches: list[NameMatch]) -> list[NameMatch]:
        """Matches of a native-script name scored again by the transliteration model
        (translit_score.name_likeness of the words against the matched name's tokens), each
        keeping the higher of its two scores, best first (ties: record order)."""
        out = []
        for m in matches:
            tokens = [t for p in m.pairs for t in p.record_token.split()
                      if p.method != "cut"]
            likeness, pairs = translit_score.name_likeness(words, tokens)
            likeness = round(likeness, 4)
            if likeness > m.score:
                used = {t for _, t, _ in pairs if t}
                explained = [TokenPair(w, t, round(sim, 4), "transliteration" if t else "missing")
                             for w, t, sim in pairs]
                explained += [TokenPair("", t, 0.0, "missing") for t in tokens if t not in used]
                m = replace(m, score=likeness, pairs=tuple(explained), den=0.0,
                            record_left=0.0, record_cut=0.0)
            out.append(m)
        out.sort(key=lambda m: (-m.score, m.record_idx))
        return out

    def _search(self, queries: Sequence[str], *, limit: int, min_score: float,
                max_candidates: int, crowded: list[bool] | None) -> list[list[NameMatch]]:
        """search without the transliteration model: per query, at most `limit` matches with
        score >= min_score, best first, one per record (its best-scoring name). At most
        min(max_candidates, MAX_SCORED) token sequences per query spelling are scored, once
        each for all their entries (see
        _gather_candidates_kernel). With `crowded` (a list), it receives per query whether
        matches may have been left out for lack of room: the candidate cut dropped sequences,
        or `limit` matches were found (a crowd of namesakes:
        the caller may look for the person another way, e.g. by date of birth)."""
        results: list[list[NameMatch]] = [[] for _ in queries]
        if crowded is not None:
            crowded[:] = [False] * len(queries)
        if not len(queries) or len(self) == 0:
            return results
        a = self._a
        max_candidates = min(max_candidates, len(a["entry_name"]))  # bounds the output buffer
        max_candidates = min(max_candidates, MAX_SCORED)
        prep = self._prepare(queries)
        if prep is None:
            return results
        # The last two (search() prepares Latin and native-script names apart).
        self._recent.preps = [(list(queries), prep), *getattr(self._recent, "preps", [])[:1]]
        sq_query, sq_tokens = prep.sq_query, prep.sq_tokens
        cand_offsets, cands, reached = self._gather(prep, min_score, max_candidates)
        # Score in (subquery, entry) order: the scorer then walks the index arrays forward
        # instead of jumping around (about 15% faster than the rarest-first gather order).
        n_entries = max(1, len(a["entry_name"]))
        pair_key = np.repeat(np.arange(len(sq_tokens), dtype=np.int64) * n_entries,
                             np.diff(cand_offsets)) + cands
        pair_key.sort()
        pair_sq, cands = np.divmod(pair_key, n_entries)
        # Each candidate stands for its token sequence: `size` entries, all scoring the same.
        seq_offsets = a["seq_entry_offsets"]
        seq = a["entry_seq"][cands]
        size = seq_offsets[seq + 1] - seq_offsets[seq]
        held = np.bincount(pair_sq, weights=size, minlength=len(sq_tokens))  # per subquery
        scores, choice, sim, method, span, den = self._score(prep, pair_sq, cands)

        # Best entry per (query, record), then top `limit` per query — all vectorised.
        ok = scores >= min_score
        pair_sq, cands, scores, seq, size = pair_sq[ok], cands[ok], scores[ok], seq[ok], size[ok]
        choice, sim, method, span, den = choice[ok], sim[ok], method[ok], span[ok], den[ok]
        if (size > 1).any():  # every entry of the sequences that passed
            at = np.repeat(np.arange(len(cands)), size)
            cands = _csr_take(seq_offsets, a["seq_entries"], seq).astype(np.int64)
            pair_sq, scores, choice, sim = pair_sq[at], scores[at], choice[at], sim[at]
            method, span, den = method[at], span[at], den[at]
        pair_q = np.asarray(sq_query, dtype=np.int64)[pair_sq]
        name = a["entry_name"][cands]
        record = a["name_record"][name]
        order = np.lexsort((name, -scores, record, pair_q))
        first = np.ones(len(order), dtype=bool)
        first[1:] = (pair_q[order][1:] != pair_q[order][:-1]) | (
            record[order][1:] != record[order][:-1])
        best = order[first]
        best = best[np.lexsort((record[best], -scores[best], pair_q[best]))]
        rank = np.arange(len(best)) - np.searchsorted(pair_q[best], pair_q[best], side="left")
        best = best[rank < limit]
        for p in best:  # at most limit * len(queries) results: explanations only for these
            results[int(pair_q[p])].append(self._match(
                sq_tokens[int(pair_sq[p])], int(cands[p]), float(scores[p]), choice[p],
                sim[p], method[p], span[p], float(den[p]), prep.sq_cut[int(pair_sq[p])]))
        if crowded is not None:
            # Crowded also when the sequences kept hold more entries than max_candidates (a
            # crowd of namesakes in few sequences): the caller's fallback (the person's date of
            # birth) then runs as it did when the cut counted entries.
            for s in np.flatnonzero((reached > max_candidates) | (held > max_candidates)
                                    ).tolist():
                crowded[sq_query[s]] = True
            for q, found in enumerate(results):
                crowded[q] = crowded[q] or len(found) >= limit
        return results

    def match_record(self, query: str, record_idx: int) -> NameMatch | None:
        """The best match of `query` among the names of one record, whatever its score (no
        blocking, no floor): the name of a person the passenger is tied to otherwise (a
        document on their record) is always weighed. None: the query has no name tokens, or
        the record no indexed name."""
        return self.match_records(query, [record_idx], min_score=0.0).get(record_idx)

    def match_records(self, query: str, records: Sequence[int], *, min_score: float = 0.0
                      ) -> dict[int, NameMatch]:
        """Per record of `records` (record indexes), the best match of `query` among its
        names scoring at least min_score, without blocking: names of persons found another
        way (a document on their record, the same date of birth). Unknown records and
        records whose names all score lower are left out."""
        return self.match_records_many([query], [records], min_score=min_score)[0]

    def match_records_many(self, queries: Sequence[str], records: Sequence[Sequence[int]], *,
                           min_score: float = 0.0) -> list[dict[int, NameMatch]]:
        """match_records for many queries (each with its own records) in one scoring call; a
        native-script name's matches scored again by the transliteration model, as in
        search."""
        words = [translit_score.native_words(q) for q in queries]
        native = [i for i, w in enumerate(words) if w]
        if not native:
            return self._match_records_many(queries, records, min_score=min_score)
        out: list[dict[int, NameMatch]] = [{} for _ in queries]
        latin = [i for i, w in enumerate(words) if not w]
        if latin:  # explained only from min_score, as when no query is native
            found = self._match_records_many([queries[i] for i in latin],
                                             [records[i] for i in latin], min_score=min_score)
            for i, matches in zip(latin, found, strict=True):
                out[i] = matches
        # A native name's records are all scored: the likeness may lift any of them.
        found = self._match_records_many([queries[i] for i in native],
                                         [records[i] for i in native], min_score=0.0)
        for i, matches in zip(native, found, strict=True):
            out[i] = {m.record_idx: m for m in self._with_translit(words[i], list(matches.values()))
                      if m.score >= min_score}
        return out

    def _match_records_many(self, queries: Sequence[str], records: Sequence[Sequence[int]], *,
                            min_score: float) -> list[dict[int, NameMatch]]:
        out: list[dict[int, NameMatch]] = [{} for _ in queries]
        offsets, by_record = self._entries_by_record()
        prep, owner = self._prepared_for(list(queries))
        if prep is None:
            return out
        entries_of: list[np.ndarray] = []
        for recs in records:
            recs = np.asarray(recs, dtype=np.int64)
            entries_of.append(_csr_take(offsets, by_record,
                                        recs[(recs >= 0) & (recs < len(offsets) - 1)]))
        # Pairs in subquery order (the scorer caches token similarities per subquery run):
        # every subquery of the prepared query each of `queries` is, with its entries.
        subqueries: defaultdict[int, list[int]] = defaultdict(list)
        for sq, qi in enumerate(prep.sq_query):
            subqueries[qi].append(sq)
        runs = sorted((sq, q) for q, qi in enumerate(owner) for sq in subqueries[qi]
                      if len(entries_of[q]))
        if not runs:
            return out
        sizes = [len(entries_of[q]) for _, q in runs]
        pair_sq = np.repeat(np.asarray([sq for sq, _ in runs], dtype=np.int64), sizes)
        pair_q = np.repeat(np.asarray([q for _, q in runs], dtype=np.int64), sizes)
        pair_e = np.concatenate([entries_of[q] for _, q in runs])
        scores, choice, sim, method, span, den = self._score(prep, pair_sq, pair_e)
        record = np.asarray(self._a["name_record"])[np.asarray(self._a["entry_name"])[pair_e]]
        # Best pair per (query, record); ties: the first spelling, the first entry.
        order = np.lexsort((np.arange(len(scores)), -scores, record, pair_q))
        first = np.ones(len(order), dtype=bool)
        first[1:] = (record[order][1:] != record[order][:-1]) | (
            pair_q[order][1:] != pair_q[order][:-1])
        for p in order[first]:
            if scores[p] >= min_score:
                out[int(pair_q[p])][int(record[p])] = self._match(
                    prep.sq_tokens[int(pair_sq[p])], int(pair_e[p]), float(scores[p]),
                    choice[p], sim[p], method[p], span[p], float(den[p]),
                    prep.sq_cut[int(pair_sq[p])])
        return out

    def _prepared_for(self, queries: list[str]) -> tuple[_Prepared | None, list[int]]:
        """(prepared queries, per query of `queries` its index in them): one of this
        thread's last searches when it prepared every one of them, else _prepare(queries)."""
        for prepared, prep in getattr(self._recent, "preps", []):
            at = {q: i for i, q in reversed(list(enumerate(prepared)))}
            if all(q in at for q in queries):
                return prep, [at[q] for q in queries]
        return self._prepare(queries), list(range(len(queries)))

    def _max_token_len(self) -> int:
        """Bytes of the longest index token (sizes the candidate kernel's scratch)."""
        if self._longest_token is None:
            self._longest_token = int(np.diff(self._a["token_offsets"]).max(initial=0))
        return self._longest_token

    def _entries_by_record(self) -> tuple[np.ndarray, np.ndarray]:
        """Entries by record (CSR offsets, entry ids), built on first use."""
        if self._by_record is None:
            self._by_record = _record_entries(self._a)
        return self._by_record

    def _match(self, q_tokens: list[str], entry: int, score: float, choice: np.ndarray,
               sim: np.ndarray, method: np.ndarray, span: np.ndarray, den: float,
               cut: bool = False) -> NameMatch:
        """A scored (subquery, entry) pair as a NameMatch with its explanation; cut: the query
        fills an MRZ name field exactly."""
        a = self._a
        n_q = len(q_tokens)
        pairs, info, left, beyond, rarest = self._explain(
            q_tokens, entry, choice[:n_q].tolist(), sim[:n_q].tolist(), method[:n_q].tolist(),
            span[:n_q].tolist(), cut)
        name = int(a["entry_name"][entry])
        bearers = len(a["entry_name"]) * 2.0 ** -info
        return NameMatch(name_idx=name, record_idx=int(a["name_record"][name]), score=score,
                         pairs=pairs, information=round(info, 3),
                         rarity=round(1.0 / (1.0 + bearers), 4), chance_bearers=bearers,
                         den=den, record_left=left, record_cut=beyond, rarest_df=rarest)

    def _gather(self, prep: _Prepared, min_score: float, max_candidates: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidates per subquery (CSR offsets, entries) and how many each reached before the
        cut: _gather_candidates_kernel over the token sequences, each candidate sequence given
        as its first entry (search scores it once for all its entries)."""
        a = self._a
        n_entries = len(a["entry_name"])
        try:  # list.pop and append are atomic: no two searches share a set
            scratch = self._gather_pool.pop()
        except IndexError:
            scratch = K.gather_scratch(len(a["token_df"]), n_entries)
        offsets, seqs, reached = _gather_candidates_kernel(
            prep.sq_tok_offsets, prep.tok_key_offsets, prep.qt.weight, prep.q_miss, prep.q_len,
            prep.q_prefix, prep.lo, prep.hi, a["key_tokens"], a["key_loose"], a["token_df"],
            a["token_weight"], a["token_offsets"], a["tok_post_offsets"], a["tok_post"],
            a["pair_tok_offsets"], a["pair_partner"], a["pair_post_offsets"], a["pair_post"],
            K.PAIR_LOOKUP_WORDS, self._max_weight(), n_entries, float(min_score),
            max_candidates, COMMON_DF, _loose_walk_df(n_entries),
            scratch, prep.qt.chars, prep.qt.offsets, prep.qt.phon, prep.qt.plen, prep.q_fuzzy,
            prep.q_tok, a["token_chars"], a["token_phon"], a["token_plen"], a["variant_pairs"],
            max(self._max_token_len(), int(prep.q_len.max(initial=0))),
            min_score >= CREDIT_BOUND_MIN_SCORE, K.BOUND_RESERVE)
        # Back only once the kernel has returned: should it ever stop midway, its marks are
        # not reused.
        self._gather_pool.append(scratch)
        return offsets, a["seq_entries"][a["seq_entry_offsets"][seqs]].astype(np.int64), reached

    def _score(self, prep: _Prepared, pair_sq: np.ndarray, entries: np.ndarray) -> tuple:
        """(scores, choice, sim, method, span, den) of (subquery, entry) pairs:
        _score_pairs_kernel."""
        a = self._a
        return _score_pairs_kernel(
            pair_sq, entries, prep.qt.chars, prep.qt.offsets, prep.sq_tok_offsets,
            prep.qt.weight, prep.q_miss, prep.q_fuzzy, prep.qt.phon, prep.qt.plen,
            prep.q_prefix, a["token_chars"], a["token_offsets"], a["token_weight"],
            a["token_phon"], a["token_plen"], a["entry_tok_offsets"], a["entry_tokens"],
            prep.q_tok, a["variant_pairs"])

    def _max_weight(self) -> float:
        """The largest index token weight (the candidate step's bound for glued hits)."""
        if self._max_w is None:
            self._max_w = float(np.max(self._a["token_weight"], initial=0.0))
        return self._max_w

    def _prepare(self, queries: Sequence[str]) -> _Prepared | None:
        """Spelling variants of each query (subqueries), their tokens, blocking key ranges and
        per-token costs: everything scoring needs besides the entries. None: no tokens."""
        a = self._a
        # Subqueries: one per spelling variant of each query.
        sq_query: list[int] = []
        sq_tokens: list[list[str]] = []
        prefix: list[int] = []
        sq_cut: list[bool] = []
        for qi, query in enumerate(queries):
            for tokens in self._name_variants(query or ""):
                if tokens:
                    sq_query.append(qi)
                    sq_tokens.append(tokens[:MAX_TOKENS])
                    prefix.extend([0] * (len(sq_tokens[-1]) - 1))
                    prefix.append(_prefix_min_len(query, tokens))
                    sq_cut.append(len(tokens) <= MAX_TOKENS
                                  and _fills_mrz_field(query, tokens, at_separator=True))
        if not sq_tokens:
            return None
        flat = [t for tokens in sq_tokens for t in tokens]
        sq_tok_offsets = np.array([0, *accumulate(len(t) for t in sq_tokens)], dtype=np.int64)
        qt = _token_table(flat)
        q_len = np.diff(qt.offsets)
        q_prefix = np.asarray(prefix, dtype=np.int64)

        # Blocking: keys of every query token, looked up together (_key_ranges).
        q_keys, q_owner, q_slip = _token_keys_kernel(qt.chars, qt.offsets, qt.phon, qt.plen,
                                                     _IDENTITY, True, _PHON_FIRST, _PHON_REST)
        lo, hi = _key_ranges(a["keys"], q_keys)
        # q_owner is ascending, so each query token's keys are contiguous.
        tok_key_offsets = np.searchsorted(q_owner, np.arange(len(flat) + 1), side="left")
        q_miss, q_fuzzy, q_tok = self._query_token_costs(qt.weight, q_len, tok_key_offsets, lo,
                                                         hi, flat)
        # A listed spelling (ALI, KIM) is likelier itself than a slip of another: its slip keys
        # (the query keys flagged loose) look nothing up. They serve the tokens the list does
        # not know (ZL, WLI, OCX), whose slips are then hits like any other: walked, so that
        # OCX BRIAN reaches COX BRIAN even when BRIAN, common, is skipped.
        listed_slip = q_slip & (q_tok[q_owner] >= 0)
        hi[listed_slip] = lo[listed_slip]
        # A listed spelling also looks for its alias variants (ALEXEY for ALEKSEY: no shared
        # key, yet the scorer takes them as one name): their exact keys join its own, after
        # them, so each token's exact key stays first. Then the split and head keys
        # (_split_and_head_keys), already looked up.
        var_keys, var_owner = self._variant_keys(q_tok)
        extra_owner, extra_lo, extra_hi = _split_and_head_keys(sq_tokens, flat, a["keys"])
        if len(var_keys):
            extra_owner = np.concatenate([var_owner, extra_owner])
            var_lo, var_hi = _key_ranges(a["keys"], var_keys)
            extra_lo = np.concatenate([var_lo, extra_lo])
            extra_hi = np.concatenate([var_hi, extra_hi])
        if len(extra_owner):
            order = np.argsort(np.concatenate([q_owner, extra_owner]), kind="stable")
            lo = np.concatenate([lo, extra_lo])[order]
            hi = np.concatenate([hi, extra_hi])[order]
            q_owner = np.concatenate([q_owner, extra_owner])[order]
            tok_key_offsets = np.searchsorted(q_owner, np.arange(len(flat) + 1), side="left")
        return _Prepared(sq_query, sq_tokens, qt, q_len, q_prefix, sq_cut, sq_tok_offsets,
                         tok_key_offsets, lo, hi, q_miss, q_fuzzy, q_tok)

    def score_entries(self, query: str, entries: np.ndarray) -> np.ndarray:
        """Name score of `query` against each of `entries` (entry ids), the best over its
        spelling variants, with no blocking: the exhaustive twin of `search`, for measuring
        the candidate step's recall."""
        entries = np.asarray(entries, dtype=np.int64)
        prep = self._prepare([query])
        if prep is None or not len(entries):
            return np.zeros(len(entries))
        n_sq = len(prep.sq_tokens)
        pair_sq = np.repeat(np.arange(n_sq, dtype=np.int64), len(entries))
        pair_e = np.tile(entries, n_sq)
        scores = self._score(prep, pair_sq, pair_e)[0]
        return scores.reshape(n_sq, len(entries)).max(axis=0)

    def entry_records(self) -> np.ndarray:
        """Record index of every entry (entry id -> record)."""
        return np.asarray(self._a["name_record"])[np.asarray(self._a["entry_name"])]

    def _name_variants(self, query: str) -> list[list[str]]:
        """name_variants through a bounded LRU cache (callers only read the lists)."""
        cache = self._variants
        found = cache.get(query)
        if found is not None:
            # Several threads share the cache (manifest streams, the check batcher, a peer's
            # share): another may have evicted this name since the get. It is found anyway.
            try:
                cache.move_to_end(query)
            except KeyError:
                pass
            return found
        found = without_glued_titles(name_variants(query))
        cache[query] = found
        if len(cache) > VARIANT_CACHE_SIZE:
            try:
                cache.popitem(last=False)
            except KeyError:  # emptied meanwhile by the other threads' evictions
                pass
        return found

    def _query_token_costs(self, q_w: np.ndarray, q_len: np.ndarray,
                           tok_key_offsets: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                           tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per query token, from the document frequency df of the listed token spelled
        exactly like it (0 when none is):
        - q_miss, the cost of leaving it unmatched: its weight scaled by its rarity in the list,
          q_w * (MISS_FLOOR + (1 - MISS_FLOOR) * idf / max idf), idf = log((entries + 1) /
          (df + 1)); a particle's PARTICLE_MISS and an initial's INITIAL_MISS of its weight;
        - q_fuzzy, the share of credit its likeness-only matches earn: KNOWN_FUZZY when
          that listed token's records >= KNOWN_DF (a name in its own right), else 1;
        - q_tok, that listed token's id (-1 when none), for the alias variants."""
        n_entries = len(self._a["entry_name"])
        # Plain Python over a query's few tokens: numpy's per-call cost is the whole work here.
        first_key = tok_key_offsets.tolist()  # the exact-spelling key comes first
        lo_l, hi_l = lo.tolist(), hi.tolist()
        df = [0.0] * len(q_w)
        known = [False] * len(q_w)
        q_tok = [-1] * len(q_w)
        spellings = self._spellings
        for k, token in enumerate(tokens[:len(q_w)]):
            found = spellings.get(token)
            if found is None:
                p = first_key[k]
                found = self._listed_spelling(token, lo_l[p], hi_l[p])
                if len(spellings) < VARIANT_CACHE_SIZE:
                    spellings[token] = found
            q_tok[k], df[k], known[k] = found
        top = math.log(n_entries + 1.0)
        miss, q_fuzzy = [], []
        for w, d, name in zip(q_w.tolist(), df, known, strict=True):
            idf = math.log((n_entries + 1.0) / (d + 1.0)) / top if top > 0 else 1.0
            q_fuzzy.append(KNOWN_FUZZY if name else 1.0)
            miss.append(w * PARTICLE_MISS if w == PARTICLE_WEIGHT
                        else w * INITIAL_MISS if w == INITIAL_WEIGHT
                        else w * (MISS_FLOOR + (1.0 - MISS_FLOOR) * idf))
        return (np.array(miss, dtype=np.float64), np.array(q_fuzzy, dtype=np.float64),
                np.array(q_tok, dtype=np.int64))

    def _listed_spelling(self, token: str, lo: int, hi: int) -> tuple[int, float, bool]:
        """(the listed token spelled exactly like `token`, -1 when none is; its document
        frequency; whether KNOWN_DF records or more list it: a name in its own right) from
        the range lo:hi of key_tokens its exact-spelling key reaches. That key
        space also holds deletion and prefix keys of longer tokens (and a hash may collide),
        so a short common token's range holds many tokens to compare: callers cache the
        answer per token (manifests repeat names)."""
        key_tokens, token_df = self._a["key_tokens"], self._a["token_df"]
        for t in key_tokens[lo:hi].tolist():
            if self._token_str(t) == token:  # tokens are unique strings: at most one
                return t, float(token_df[t]), int(self._a["token_records"][t]) >= KNOWN_DF
        return -1, 0.0, False

    def _variant_keys(self, q_tok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(exact keys of the alias variants of each listed query token, query token)."""
        if self._partners is None:
            pairs = self._a["variant_pairs"].astype(np.int64) >> 1  # the kind bit off
            n = len(self._a["token_offsets"]) - 1
            first, second = np.divmod(pairs, max(n, 1))
            src = np.concatenate([first, second])
            dst = np.concatenate([second, first])
            order = np.argsort(src, kind="stable")
            offsets = np.searchsorted(src[order], np.arange(n + 1), side="left")
            dst = dst[order]
            keys = _exact_keys_kernel(self._a["token_chars"], self._a["token_offsets"], dst,
                                      _IDENTITY)
            self._partners = (offsets, keys)
        offsets, keys = self._partners
        out_keys, out_owner = [], []
        if len(keys):
            for k, t in enumerate(q_tok.tolist()):
                if t >= 0:
                    start, end = int(offsets[t]), int(offsets[t + 1])
                    if end > start:  # most tokens have no alias variant
                        out_keys.append(keys[start:end])
                        out_owner.extend([k] * (end - start))
        if not out_keys:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        return np.concatenate(out_keys), np.asarray(out_owner, dtype=np.int64)

    def _token_str(self, t: int) -> str:
        found = self._token_strings.get(t)
        if found is None:
            o = self._a["token_offsets"]
            found = bytes(self._a["token_chars"][o[t]:o[t + 1]]).decode("ascii")
            if len(self._token_strings) < VARIANT_CACHE_SIZE:
                self._token_strings[t] = found
        return found

    def _explain(self, q_tokens: list[str], entry: int, choice: list[int], sim: list[float],
                 method: list[int], span: list[int], cut: bool = False
                 ) -> tuple[tuple[TokenPair, ...], float, float, float, int]:
        """Token pairs of the best assignment (as the scoring kernel chose it), the
        information (bits) of the matched record tokens and the summed weights of the record
        tokens left unmatched: before and after the cut (cut: the query fills an MRZ name
        field, and record tokens after the one its last token met had no room; they pair
        with method "cut"); the document frequency of the rarest matched token (0: none)."""
        a = self._a
        offsets = a["entry_tok_offsets"]
        tok_ids = a["entry_tokens"][int(offsets[entry]):int(offsets[entry + 1])].tolist()
        token_str = self._token_str
        c_tokens = [token_str(t) for t in tok_ids]
        pairs = []
        covered = [False] * len(c_tokens)
        for token, j, width, s, m in zip(q_tokens, choice, span, sim, method, strict=False):
            if j < 0:
                pairs.append(TokenPair(token, "", 0.0, "missing"))
                continue
            for x in range(j, j + width):
                covered[x] = True
            pairs.append(TokenPair(token, c_tokens[j] if width == 1
                                   else " ".join(c_tokens[j:j + width]), s, METHOD_NAMES[m]))
        # Only a name the query leaves a token of needs its patronymic found (most matches
        # cover every record token).
        patronymic = -1 if all(covered) else patronymic_position(c_tokens)
        # After the cut: past the last record token the query's last token met.
        after = (choice[-1] + span[-1]) if cut and q_tokens and choice[-1] >= 0 \
            else len(c_tokens)
        weight, df = a["token_weight"], a["token_df"]
        left = beyond = 0.0
        info = 0.0
        rarest = 0
        n_entries = len(a["entry_name"])
        for j, token in enumerate(c_tokens):
            t = tok_ids[j]
            if covered[j]:
                if weight[t] >= TOKEN_WEIGHT:  # particles carry no identity
                    d = int(df[t])
                    info += math.log2((n_entries + 1) / (d + 1))
                    rarest = d if rarest == 0 else min(rarest, d)
            elif j == patronymic and j < after:
                pairs.append(TokenPair("", token, 0.0, "patronymic"))  # costs UNMATCHED only
            else:
                pairs.append(TokenPair("", token, 0.0, "missing" if j < after else "cut"))
                if j < after:
                    left += float(weight[t])
                else:
                    beyond += float(weight[t])
        return tuple(pairs), info, left, beyond, rarest


def patronymic_position(tokens: list[str]) -> int:
    """Index of the name's patronymic (PATRONYMIC_SUFFIXES): the one token after the first
    (the surname, or the first given name) shaped so; -1 when none or several are, or the
    name has fewer than 3 tokens."""
    if len(tokens) < 3:
        return -1
    found = [j for j in range(1, len(tokens))
             if len(tokens[j]) >= PATRONYMIC_MIN_LEN and tokens[j].endswith(PATRONYMIC_SUFFIXES)]
    return found[0] if len(found) == 1 else -1


def _token_records(entry_tok_offsets: np.ndarray, entry_tokens: np.ndarray,
                   entry_records: np.ndarray, n_tokens: int) -> np.ndarray:
    """Per token, the number of distinct records whose names hold it."""
    owner = np.repeat(entry_records.astype(np.int64), np.diff(entry_tok_offsets))
    n_records = int(entry_records.max(initial=-1)) + 1
    pair = np.unique(entry_tokens.astype(np.int64) * max(n_records, 1) + owner)
    return np.bincount(pair // max(n_records, 1), minlength=n_tokens).astype(np.int32)


def _split_and_head_keys(sq_tokens: list[list[str]], flat: list[str], keys: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owning flat query token, lo, hi: the key range in `keys`) of two kinds of extra
    keys, encoded and looked up together (a lone passenger's query has a few of each, and
    every numpy call on so few costs more than the work):
    - split: the exact key of every two adjacent query tokens written together, owned by the
      first. A name split in two (HAO RAN for HAORAN) meets the listed one-word spelling
      through it: its hit then lets the second token match too (see _name_bound_kernel),
      where no key of either alone did;
    - head: the exact key of the first HEAD_LENGTHS letters of a query token where both that
      head and the rest (at least 2 letters) are listed spellings: a name squashed onto a
      2-letter first one (YUHUA for YU HUA) meets that first token through it. Longer heads
      meet their token through other keys: 3 letters through the query-side glue key
      (names._token_keys_kernel), 4 and more through the prefix keys."""
    strings: list[str] = []
    owner: list[int] = []
    at = 0
    for tokens in sq_tokens:
        for i in range(len(tokens) - 1):
            strings.append(tokens[i] + tokens[i + 1])
            owner.append(at + i)
        at += len(tokens)
    n_split = len(strings)
    heads, tails, head_owner = [], [], []
    for i, t in enumerate(flat):
        for k in HEAD_LENGTHS:
            if len(t) - k >= 2:
                heads.append(t[:k])
                tails.append(t[k:])
                head_owner.append(i)
    if not strings and not heads:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    both = _exact_keys(strings + heads + tails)
    lo, hi = _key_ranges(keys, both)
    n_heads = len(heads)
    listed = lo < hi
    head = slice(n_split, n_split + n_heads)
    ok = np.flatnonzero(listed[head] & listed[n_split + n_heads:])
    keep = np.concatenate([np.arange(n_split, dtype=np.int64), n_split + ok])
    return (np.asarray(owner + [head_owner[k] for k in ok.tolist()], dtype=np.int64),
            lo[keep], hi[keep])


def _exact_keys(strings: list[str]) -> np.ndarray:
    """The exact-spelling blocking key of each string (names._exact_keys_kernel)."""
    chars, offsets = _small_string_buffers(strings)
    # A writable copy of the bytes: the same Numba types as the index's own arrays (one
    # compiled kernel).
    return _exact_keys_kernel(np.array(chars), offsets,
                              np.arange(len(strings), dtype=np.int64), _IDENTITY)


def _loose_walk_df(n_entries: int) -> int:
    """Document frequency below which loose hits bring candidates (LOOSE_WALK_ENTRIES_PER_DF)."""
    return min(COMMON_DF, n_entries // LOOSE_WALK_ENTRIES_PER_DF)


def _record_entries(a: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Entries of each record as CSR (offsets by record index, entry ids ascending)."""
    entry_record = np.asarray(a["name_record"], dtype=np.int64)[a["entry_name"]]
    n_records = int(entry_record.max()) + 1 if len(entry_record) else 0
    return _csr_from_groups(entry_record, np.arange(len(entry_record), dtype=np.int64),
                            n_records)


def _romanised_pairs(dictionary: pa.Array, romanised: Sequence[tuple[str, str]]
                     ) -> np.ndarray:
    """Keys min(a, b) * n_tokens + max(a, b) of the romanisation pairs whose two spellings
    are both tokens of the list (dictionary: token id -> spelling)."""
    if not romanised or not len(dictionary):
        return np.zeros(0, dtype=np.int64)
    first = pa.array([a for a, _ in romanised], type=pa.large_string())
    second = pa.array([b for _, b in romanised], type=pa.large_string())
    a = pc.index_in(first, value_set=dictionary).fill_null(-1).to_numpy().astype(np.int64)
    b = pc.index_in(second, value_set=dictionary).fill_null(-1).to_numpy().astype(np.int64)
    both = (a >= 0) & (b >= 0) & (a != b)
    a, b = a[both], b[both]
    return np.unique(np.minimum(a, b) * len(dictionary) + np.maximum(a, b))


def _variant_pairs(alias: np.ndarray, romanised: np.ndarray) -> np.ndarray:
    """Sorted variant_pairs keys (see names.VARIANT_ALIAS): each pair once, an alias pair
    as such even when the romanisation table also gives it."""
    alias = np.asarray(alias, dtype=np.int64)
    romanised = np.setdiff1d(np.asarray(romanised, dtype=np.int64), alias)
    return np.sort(np.concatenate([alias * 2 + K.VARIANT_ALIAS,
                                   romanised * 2 + K.VARIANT_ROMANISED]))


def _alias_variants(a: dict[str, np.ndarray]) -> np.ndarray:
    """Token pairs that different names of one record use for each other (AHMED / AHMET in
    two aliases of one person) and how many records pair each (names._variant_pairs_kernel),
    kept when that is a good share of the rarer token's entries."""
    rec_entry_offsets, rec_entries = _record_entries(a)
    pairs, support = _variant_pairs_kernel(
        rec_entry_offsets, rec_entries, a["entry_tok_offsets"], a["entry_tokens"],
        a["token_chars"], a["token_offsets"], a["token_phon"], a["token_plen"])
    # Only pairs a good share of the rarer token's entries give (K.VARIANT_MIN_SHARE): two
    # common names one record happens to pair are not one name.
    n_tokens = max(len(a["token_offsets"]) - 1, 1)
    df = np.asarray(a["token_df"], dtype=np.float64)
    rarer = np.minimum(df[pairs // n_tokens], df[pairs % n_tokens])
    keep = support >= K.VARIANT_MIN_SHARE * rarer
    return pairs[keep]
