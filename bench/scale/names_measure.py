"""One size of the name-scaling benchmark, in its own process (see bench/scale/names.py).

    python -m bench.scale.names_measure --gen GEN --data DATA [--repeats 5]

Prints one JSON line: costs per passenger (µs), the peer's, index bytes per name, recall.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import indexes.name_index as name_index_module
from indexes.snapshot import Snapshot, open_snapshot
from screening.domain import Passenger
from screening.engine import Engine
from screening.passenger_io import read_passengers
from screening.settings import Settings
from screening.validation import validate_passenger

# Names per generated person (primary name plus aliases, active records), measured on the
# datagen output; only used to pick how many persons give a target number of names.
NAMES_PER_PERSON = 1.94
BATCH = 500  # a wide-body manifest
PEER_BATCH = 8  # queries per cdist call: 8 x 10M names x 4 bytes = 320 MB of scores
PEER_PAIRS = 3e8  # pairs the peer scores per size (bounds its run to seconds at 10M names)


def _passengers(gen: Path) -> list[Passenger]:
    out = []
    for path in sorted((gen / "manifests").glob("*.jsonl")):
        for p in read_passengers(path):
            if isinstance(p, Passenger):
                out.append(validate_passenger(p))
    return out


def _timed(fn: Callable[[], object], repeats: int, before: Callable[[], None]) -> list[float]:
    times = []
    for _ in range(repeats):
        before()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


class _KernelClock:
    """Wraps the name index's Numba kernels to add up the time spent inside them."""

    NAMES = ("_gather_candidates_kernel", "_score_pairs_kernel")

    def __init__(self) -> None:
        self.seconds = 0.0
        self._saved = {n: getattr(name_index_module, n) for n in self.NAMES}

    def _wrap(self, fn: Callable) -> Callable:
        def timed(*args):
            t0 = time.perf_counter()
            try:
                return fn(*args)
            finally:
                self.seconds += time.perf_counter() - t0
        return timed

    def __enter__(self) -> _KernelClock:
        for n, fn in self._saved.items():
            setattr(name_index_module, n, self._wrap(fn))
        return self

    def __exit__(self, *exc) -> None:
        for n, fn in self._saved.items():
            setattr(name_index_module, n, fn)


def _recall(snap: Snapshot, gen: Path, by_ref: dict[str, Passenger], settings: Settings,
            engine: Engine) -> tuple[float, int, list[dict], float, int]:
    """Share of planted persons the name search finds, among those exhaustive scoring of the
    true record's entries puts at or above name_min_score; then the share the engine's
    candidate step (Engine.person_candidates: the name search from the engine's floor, then
    the date of birth when namesakes crowd it) finds among those scoring at least that
    floor."""
    floor = engine.name_floor
    idx = snap.name_index
    rec_of_id = {rid: i for i, rid in enumerate(snap.records["record_id"].to_pylist())}
    entry_rec = idx.entry_records()
    order = np.argsort(entry_rec, kind="stable")
    sorted_rec = entry_rec[order]
    found = findable = found_floor = findable_floor = 0
    missed: list[dict] = []
    display = snap.names["display"]
    for line in (gen / "truth.jsonl").read_text().splitlines():
        t = json.loads(line)
        p = by_ref.get(t["ref"])
        if t["kind"] != "nominal" or p is None or not p.display_name().strip():
            continue
        rec = rec_of_id[t["record_id"]]
        lo, hi = np.searchsorted(sorted_rec, [rec, rec + 1])
        exhaustive = idx.score_entries(p.display_name(), order[lo:hi])
        if not len(exhaustive) or exhaustive.max() < settings.name_min_score:
            continue
        findable += 1
        hits = idx.search([p.display_name()], limit=settings.name_rerank_limit,
                          min_score=settings.name_min_score,
                          max_candidates=settings.name_max_candidates)[0]
        if exhaustive.max() >= floor:
            findable_floor += 1
            found_floor += rec in engine.person_candidates([p])[0]
        if any(m.record_idx == rec for m in hits):
            found += 1
        elif len(missed) < 12:  # what the candidate step lost, for the report
            entry_names = sorted(set(idx._a["entry_name"][order[lo:hi]].tolist()))
            missed.append({"variation": t["variation"], "query": p.display_name(),
                           "listed": [display[i].as_py() for i in entry_names],
                           "exhaustive": round(float(exhaustive.max()), 3)})
    return ((found / findable if findable else float("nan")), findable, missed,
            (found_floor / findable_floor if findable_floor else float("nan")), findable_floor)


def _peer(names: list[str], queries: list[str]) -> float:
    """Seconds per query of rapidfuzz brute force (Jaro-Winkler, all cores), best match kept."""
    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler

    t0 = time.perf_counter()
    for k in range(0, len(queries), PEER_BATCH):
        scores = process.cdist(queries[k:k + PEER_BATCH], names,
                               scorer=JaroWinkler.normalized_similarity, workers=-1,
                               dtype=np.float32)
        scores.argmax(axis=1)
    return (time.perf_counter() - t0) / len(queries)


def measure(gen: Path, data: Path, repeats: int, limit: int = 0) -> dict:
    settings = Settings()
    snap = open_snapshot(data)
    engine = Engine(snap, settings)
    everyone = _passengers(gen)
    # The timing may use the first manifests only (big lists: minutes per pass); recall
    # always uses every planted passenger.
    passengers = everyone[:limit] if limit else everyone
    batches = [passengers[k:k + BATCH] for k in range(0, len(passengers), BATCH)]
    queries = [p.display_name() for p in passengers]
    qbatches = [queries[k:k + BATCH] for k in range(0, len(queries), BATCH)]
    idx = snap.name_index
    engine.screen(batches[0])  # compile / load the kernels, fault in the hot pages

    def cold() -> None:  # repeats must not be served by the query-normalisation cache
        idx._variants.clear()

    def screen_all() -> None:
        for b in batches:
            engine.screen(b)

    def search_all() -> None:
        for q in qbatches:
            idx.search(q, limit=max(settings.max_matches, settings.name_rerank_limit),
                       min_score=settings.name_min_score,
                       max_candidates=settings.name_max_candidates)

    screen = _timed(screen_all, repeats, cold)
    search = _timed(search_all, repeats, cold)
    kernel = []
    for _ in range(repeats):
        cold()
        with _KernelClock() as clock:
            search_all()
        kernel.append(clock.seconds)
    n = len(passengers)
    recall, recall_n, missed, recall_floor, recall_floor_n = _recall(
        snap, gen, {p.ref: p for p in everyone}, settings, engine)

    # The peer on the same names, as the snapshot holds them (display form), upper-cased once
    # so that no per-call processor runs; queries likewise.
    names = [s.upper() for s in snap.names["display"].to_pylist()]
    n_queries = int(min(len(queries), max(16, PEER_PAIRS // max(1, len(names)))))
    step = max(1, len(queries) // n_queries)
    peer_q = [q.upper() for q in queries[::step][:n_queries]]
    peer_s = _peer(names, peer_q)

    index_bytes = sum(a.nbytes for a in idx._a.values())
    med = statistics.median(screen)
    return {
        "repeats": repeats,
        "names": len(snap.names), "records": snap.records.num_rows, "entries":
        int(len(idx._a["entry_name"])), "passengers": n,
        "screen_us": med / n * 1e6, "screen_spread": max(screen) / min(screen) - 1,
        "search_us": statistics.median(search) / n * 1e6,
        "kernel_us": statistics.median(kernel) / n * 1e6,
        "peer_us": peer_s * 1e6, "peer_queries": len(peer_q),
        "index_bytes": int(index_bytes), "index_bytes_per_name": index_bytes / len(snap.names),
        "recall": recall, "recall_n": recall_n, "recall_missed": missed,
        "recall_floor": recall_floor, "recall_floor_n": recall_floor_n,
        "name_floor": engine.name_floor,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0, help="passengers timed (0: all)")
    args = ap.parse_args()
    print(json.dumps(measure(Path(args.gen), Path(args.data), args.repeats, args.limit)),
          flush=True)


if __name__ == "__main__":
    main()
