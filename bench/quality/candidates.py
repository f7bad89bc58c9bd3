"""Candidate-step recall: does the blocking step of the name index find every record that
exhaustive scoring says is above name_min_score?

Exhaustive scoring runs the index's own batch scorer (`NameIndex.score_entries`) on chosen
entries instead of the blocked candidates, so the scores are the ones `search` would give.
Three figures:
- true record: for sampled positives, the listed person's best exhaustive score over all its
  names; when >= name_min_score, `search` must return that record (and the same restricted to
  true records whose name alone reaches POSSIBLE_MATCH: the ones an operator would see).
- all records: for a smaller sample, every entry of the whole list is scored; every record
  >= name_min_score must be returned by `search`.
A name in Arabic, Cyrillic or Chinese script is also scored by the transliteration model's
likeness, a second stage over its candidates (NameIndex.search); the true records only that
likeness lifts to the engine's floor (`NameIndex.match_records`, no blocking) are counted
apart: whether the candidate step brought them to it.
Both again from the engine's floor (`screening.engine.name_floor`: the lowest name score that
can still end above CLEAR, where the engine's own search starts): the candidate step the
engine runs, against exhaustive scoring from the same score.
And the engine's whole candidate step (`Engine.person_candidates`: the name search, then the
persons born on the passenger's date of birth when namesakes crowd the search, then a
document on record) with the calibrated thresholds, for the all-records sample screened with
its date of birth: every record whose exhaustive name score and the passenger's own evidence
against it (the evidence kernel: date of birth, sex, nationality) could reach
POSSIBLE_MATCH must be among them. Records under that reach no decision whatever the step
does, so this is the recall that decides outcomes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from bench.quality.cases import Case
from indexes.name_index import NameIndex
from indexes.translit_score import native_words
from screening import evidence
from screening.domain import Passenger
from screening.engine import Engine
from screening.validation import validate_passenger

SEARCH_LIMIT = 100_000  # no top-k cut: we test the candidate step, not the ranking


@dataclass
class CandidateRecall:
    checked: int = 0  # true records scoring >= min_score exhaustively
    found: int = 0
    missed: list[tuple[str, str, float]] = field(default_factory=list)  # query, record, score
    all_checked: int = 0  # (query, record) pairs >= min_score over the whole list
    all_found: int = 0
    all_queries: int = 0
    pm_checked: int = 0  # same, for pairs >= the calibrated POSSIBLE_MATCH name score
    pm_found: int = 0
    true_pm_checked: int = 0  # true records whose name alone reaches POSSIBLE_MATCH
    true_pm_found: int = 0
    floor: float = 0.0  # the engine's floor; the same figures from there (search and exhaustive)
    floor_checked: int = 0
    floor_found: int = 0
    floor_missed: list[tuple[str, str, float]] = field(default_factory=list)
    # From the floor: true records of native-script queries that only the transliteration
    # model's likeness lifts to the floor (the batch scorer gives them less)
    liked_checked: int = 0
    liked_found: int = 0
    liked_missed: list[tuple[str, str, float]] = field(default_factory=list)
    floor_all_checked: int = 0
    floor_all_found: int = 0
    # The engine's whole candidate step with the calibrated thresholds (see the module doc):
    # records the name and the passenger's evidence could lift to POSSIBLE_MATCH.
    engine_floor: float = 0.0
    engine_queries: int = 0
    engine_checked: int = 0
    engine_found: int = 0
    engine_missed: list[tuple[str, str, float]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.found / self.checked if self.checked else float("nan")

    @property
    def pm_rate(self) -> float:
        return self.pm_found / self.pm_checked if self.pm_checked else float("nan")

    @property
    def true_pm_rate(self) -> float:
        return self.true_pm_found / self.true_pm_checked if self.true_pm_checked else float("nan")

    @property
    def floor_rate(self) -> float:
        return self.floor_found / self.floor_checked if self.floor_checked else float("nan")

    @property
    def floor_all_rate(self) -> float:
        return (self.floor_all_found / self.floor_all_checked if self.floor_all_checked
                else float("nan"))

    @property
    def engine_rate(self) -> float:
        return self.engine_found / self.engine_checked if self.engine_checked else float("nan")

    @property
    def all_rate(self) -> float:
        return self.all_found / self.all_checked if self.all_checked else float("nan")


class Exhaustive:
    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.entry_record = index.entry_records()
        self.order = np.argsort(self.entry_record, kind="stable")
        self.sorted_rec = self.entry_record[self.order]

    def entries_of(self, record: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.sorted_rec, [record, record + 1])
        return self.order[lo:hi]

    def score(self, query: str, entries: np.ndarray) -> np.ndarray:
        """Best score over the query's spelling variants, per entry (no blocking)."""
        return self.index.score_entries(query, entries)

    def record_score(self, query: str, record: int) -> float:
        """The record's best score over all its names, as search would give it: the scorer's,
        or for a native-script name the transliteration model's when higher
        (NameIndex.match_records, no blocking)."""
        found = self.index.match_records(query, [record]).get(record)
        return found.score if found else 0.0


def measure(index: NameIndex, record_ids: list[str], cases: list[Case], min_score: float,
            max_candidates: int, all_sample: int, pm_name_score: float = 1.0,
            floor: float = 0.0, engine: Engine | None = None) -> CandidateRecall:
    """`pm_name_score`: the name score that reaches POSSIBLE_MATCH on its own (threshold /
    NAME_WEIGHT), for the all-records figure restricted to what an operator would see.
    `floor`: the engine's search floor (0: not measured). `engine`: an engine with the
    calibrated thresholds, for the whole candidate step (None: not measured)."""
    t0 = time.perf_counter()
    ex = Exhaustive(index)
    idx_of = {r: i for i, r in enumerate(record_ids)}
    out = CandidateRecall(floor=floor)
    queries = [c.query.display() for c in cases]
    found = index.search(queries, limit=SEARCH_LIMIT, min_score=min_score,
                         max_candidates=max_candidates)
    found_floor = (index.search(queries, limit=SEARCH_LIMIT, min_score=floor,
                                max_candidates=max_candidates) if floor else [[]] * len(queries))
    for c, q, res, res_floor in zip(cases, queries, found, found_floor, strict=True):
        rec = idx_of.get(c.record_id, -1)
        if rec < 0:
            continue
        best = float(ex.score(q, ex.entries_of(rec)).max(initial=0.0))
        if floor and best >= floor:
            hit = any(m.record_idx == rec for m in res_floor)
            out.floor_checked += 1
            out.floor_found += hit
            if not hit:
                out.floor_missed.append((q, c.record_id, round(best, 4)))
        # A native-script query's record the transliteration model's likeness alone lifts
        # to the floor (for any other query record_score is the batch score, best).
        liked = (ex.record_score(q, rec) if floor and best < floor and native_words(q)
                 else 0.0)
        if floor and liked >= floor:
            hit = any(m.record_idx == rec for m in res_floor)
            out.liked_checked += 1
            out.liked_found += hit
            if not hit:
                out.liked_missed.append((q, c.record_id, round(liked, 4)))
        if best >= min_score:
            hit = any(m.record_idx == rec for m in res)
            out.checked += 1
            out.found += hit
            if not hit:
                out.missed.append((q, c.record_id, round(best, 4)))
            if best >= pm_name_score:
                out.true_pm_checked += 1
                out.true_pm_found += hit
    all_entries = np.arange(len(ex.entry_record), dtype=np.int64)
    n_records = len(record_ids)
    if engine is not None:
        out.engine_floor = engine.name_floor
    for c, q, res, res_floor in list(zip(cases, queries, found, found_floor,
                                         strict=True))[:all_sample]:
        s = ex.score(q, all_entries)
        if engine is not None and c.dob:
            _engine_step(out, engine, c, q, s, ex.entry_record, n_records, record_ids)
        if floor:
            floor_records = set(np.unique(ex.entry_record[s >= floor]).tolist())
            out.floor_all_checked += len(floor_records)
            out.floor_all_found += len(floor_records & {m.record_idx for m in res_floor})
        hit_records = set(np.unique(ex.entry_record[s >= min_score]).tolist())
        got = {m.record_idx for m in res}
        out.all_checked += len(hit_records)
        out.all_found += len(hit_records & got)
        out.all_queries += 1
        pm_records = set(np.unique(ex.entry_record[s >= pm_name_score]).tolist())
        out.pm_checked += len(pm_records)
        out.pm_found += len(pm_records & got)
    out.seconds = time.perf_counter() - t0
    return out


def _engine_step(out: CandidateRecall, engine: Engine, case: Case, query: str,
                 scores: np.ndarray, entry_record: np.ndarray, n_records: int,
                 record_ids: list[str]) -> None:
    """Count one all-records query (with its date of birth) for the engine's whole candidate
    step: the records whose best exhaustive name score reaches the engine's floor and, with
    the passenger's evidence against them added, POSSIBLE_MATCH (an upper bound of the
    engine's score: the engine may still lower it) must be among Engine.person_candidates."""
    best = np.zeros(n_records, dtype=np.float64)
    np.maximum.at(best, entry_record, scores)
    recs = np.flatnonzero(best >= engine.name_floor)
    if len(recs) == 0:
        return
    p = validate_passenger(Passenger(ref="c", surname=case.query.surname,
                                     given_names=case.query.given_names,
                                     full_name=case.query.full_name, date_of_birth=case.dob))
    reach = (evidence.NAME_WEIGHT * best[recs] + engine.evidence_weights(p, recs)
             >= engine.settings.possible_match_threshold - 1e-4)
    got = engine.person_candidates([p])[0]
    out.engine_queries += 1
    for r, ok in zip(recs.tolist(), reach.tolist(), strict=True):
        if ok:
            out.engine_checked += 1
            if r in got:
                out.engine_found += 1
            else:
                out.engine_missed.append((query, record_ids[r], round(float(best[r]), 4)))
