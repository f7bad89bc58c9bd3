"""Peer systems, on the same list and cases: rapidfuzz brute force (token_sort_ratio, WRatio),
a Jaro-Winkler sorted-token baseline, and OpenSanctions nomenklatura logic-v1 / logic-v2 on
candidates from a generous rapidfuzz pre-filter.

Brute force scores every name of the list for every query, so peers run on a sample of the
cases (sizes in the report). Every peer is reduced to per-record best scores (one record may
have several names), then to `metrics.Scored` like our engine.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import JaroWinkler

from bench.quality.cases import Case
from bench.quality.metrics import Scored
from indexes.snapshot import open_snapshot

BATCH = 16  # queries per cdist call: 16 x names x 4 bytes stays well under a GiB at 1M persons
RAPIDFUZZ_CUTOFF = 50  # prune: below this a name can never be near a useful threshold
JW_CUTOFF = 0.6


@dataclass
class PeerRun:
    """Per peer: Scored per case (same order as the cases) and core-ms per query."""

    scored: dict[str, list[Scored | None]] = field(default_factory=dict)
    ms_per_query: dict[str, float] = field(default_factory=dict)


def _sorted_tokens(s: str) -> str:
    return " ".join(sorted(utils.default_process(s).split()))


class BruteForce:
    """The list's names preprocessed once, with the name -> record mapping."""

    def __init__(self, data_dir: Path) -> None:
        snap = open_snapshot(data_dir)
        self.record_ids = snap.records["record_id"].to_pylist()
        names = snap.names["display"].to_pylist()
        self.name_record = snap.names["record_idx"].to_numpy().astype(np.int64)
        # Names are stored record by record: reduceat over these starts gives per-record max.
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.name_record) != 0])
        self.start_record = self.name_record[self.starts]
        self.processed = [utils.default_process(n or "") for n in names]
        self.sorted_tokens = [_sorted_tokens(n or "") for n in names]
        self.names = names
        self.index_of = {rid: i for i, rid in enumerate(self.record_ids)}
        snap_dobs = snap.records["dates_of_birth"].to_pylist()
        self.dobs = snap_dobs

    def per_record(self, matrix: np.ndarray) -> np.ndarray:
        """(queries x names) -> (queries x records) best score per record (0 if no name)."""
        out = np.zeros((matrix.shape[0], len(self.record_ids)), dtype=np.float32)
        out[:, self.start_record] = np.maximum.reduceat(matrix, self.starts, axis=1)
        return out

    def scores(self, queries: Sequence[str], scorer: str) -> np.ndarray:
        if scorer == "jaro_winkler":
            q = [_sorted_tokens(x) for x in queries]
            m = process.cdist(q, self.sorted_tokens, scorer=JaroWinkler.normalized_similarity,
                              workers=-1, score_cutoff=JW_CUTOFF, dtype=np.float32)
            return self.per_record(m)
        fn = fuzz.token_sort_ratio if scorer == "token_sort_ratio" else fuzz.WRatio
        q = [utils.default_process(x) for x in queries]
        # Choices are already processed (same as processor=utils.default_process, done once).
        m = process.cdist(q, self.processed, scorer=fn, workers=-1,
                          score_cutoff=RAPIDFUZZ_CUTOFF, dtype=np.uint8)
        return self.per_record(m.astype(np.float32) / 100.0)


def _scored(row: np.ndarray, true_idx: int) -> Scored:
    best = float(row.max()) if row.size else 0.0
    if true_idx < 0:
        return Scored(None, 0, best)
    s = float(row[true_idx])
    if s <= 0:
        return Scored(None, 0, best)
    return Scored(s, 1 + int(np.count_nonzero(row > s)), best)


def _entity(eid: str, names: list[str], dob: str = ""):
    from followthemoney import model
    e = model.make_entity("Person")
    e.id = eid  # nomenklatura caches by id: every entity needs its own
    e.add("name", names[0])
    for n in names[1:]:
        e.add("alias", n)
    if dob:
        e.add("birthDate", dob)
    return e


def run(data_dir: Path, cases: list[Case], nk_candidates: int, workers: int,
        wratio_qids: set[str] | None = None, log=print) -> tuple[PeerRun, PeerRun]:
    """(names-only run, with-DOB run). Rapidfuzz and Jaro-Winkler ignore DOB: they appear in
    the names-only run only; nomenklatura runs both ways. WRatio costs ~50x token_sort_ratio
    (partial ratios), so it scores only the cases in `wratio_qids` (None for the others; all when
    wratio_qids is None)."""
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    bf = BruteForce(data_dir)
    nodob, dob = PeerRun(), PeerRun()
    systems = ("token_sort_ratio", "WRatio", "jaro_winkler")
    for s in systems:
        nodob.scored[s] = []
    algos = {"nomenklatura logic-v1": get_algorithm("logic-v1"),
             "nomenklatura logic-v2": get_algorithm("logic-v2")}
    cfg = ScoringConfig.defaults()
    for name in algos:
        nodob.scored[name], dob.scored[name] = [], []
    n_scored = {s: 0 for s in systems}
    spent = {k: 0.0 for k in list(systems) + [f"{a}|{d}" for a in algos for d in ("n", "d")]}
    ent_cache: dict[int, object] = {}
    names_of: dict[int, list[str]] = {}
    for i, rec in enumerate(bf.name_record):
        names_of.setdefault(int(rec), []).append(bf.names[i])
    for b in range(0, len(cases), BATCH):
        batch = cases[b:b + BATCH]
        queries = [c.query.display() for c in batch]
        true_idx = [bf.index_of.get(c.record_id, -1) for c in batch]
        prefilter = None
        for s in systems:
            pick = [k for k, c in enumerate(batch)
                    if s != "WRatio" or wratio_qids is None or c.qid in wratio_qids]
            if not pick:
                nodob.scored[s].extend([None] * len(batch))
                continue
            t0 = time.perf_counter()
            rec = bf.scores([queries[k] for k in pick], s)
            spent[s] += time.perf_counter() - t0
            n_scored[s] += len(pick)
            row_of = {k: j for j, k in enumerate(pick)}
            nodob.scored[s].extend(_scored(rec[row_of[k]], true_idx[k]) if k in row_of else None
                                   for k in range(len(batch)))
            if s != "WRatio":
                prefilter = rec if prefilter is None else np.maximum(prefilter, rec)
        assert prefilter is not None
        # nomenklatura on the top-k records of a cheap, generous pre-filter: best of
        # token_sort_ratio and sorted-token Jaro-Winkler per record.
        top = np.argpartition(-prefilter, nk_candidates, axis=1)[:, :nk_candidates]
        for k, c in enumerate(batch):
            cands = [int(r) for r in top[k]]
            for r in cands:
                if r not in ent_cache:
                    d = next(iter(bf.dobs[r] or []), "")
                    ent_cache[r] = _entity(f"rec-{r}", names_of.get(r, [""]), d or "")
            for algo_name, algo in algos.items():
                for mode, run_ in (("n", nodob), ("d", dob)):
                    if mode == "d" and not c.dob:
                        run_.scored[algo_name].append(Scored(None, 0, 0.0))  # unused: no DOB
                        continue
                    t0 = time.perf_counter()
                    q = _entity(f"q-{c.qid}-{mode}", [queries[k]], c.dob if mode == "d" else "")
                    row = np.zeros(len(bf.record_ids), dtype=np.float32)
                    for r in cands:
                        row[r] = algo.compare(q, ent_cache[r], cfg).score
                    spent[f"{algo_name}|{mode}"] += time.perf_counter() - t0
                    run_.scored[algo_name].append(_scored(row, true_idx[k]))
        if (b // BATCH) % 50 == 49:
            log(f"  peers: {b + len(batch)}/{len(cases)} queries")
    n = max(1, len(cases))
    n_dob = max(1, sum(1 for c in cases if c.dob))
    for s in systems:  # cdist uses every core: core-ms = wall x workers
        nodob.ms_per_query[s] = 1000 * spent[s] * workers / max(1, n_scored[s])
    for a in algos:
        # Pre-filter cost (token_sort_ratio + Jaro-Winkler) plus pairwise scoring (one core).
        pre = 1000 * (spent["token_sort_ratio"] + spent["jaro_winkler"]) * workers / n
        nodob.ms_per_query[a] = pre + 1000 * spent[f"{a}|n"] / n
        dob.ms_per_query[a] = pre + 1000 * spent[f"{a}|d"] / n_dob
    return nodob, dob
