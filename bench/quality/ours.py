"""Run our engine (in process) over the cases, in worker processes sharing the memory-mapped
snapshot. Each case is screened without DOB and, when it has one, with DOB."""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass
from pathlib import Path

from bench.quality.cases import Case
from indexes.snapshot import open_snapshot
from screening.domain import Passenger
from screening.engine import Engine
from screening.settings import Settings
from screening.validation import validate_passenger

CHUNK = 500


@dataclass
class Outcome:
    """What the engine reported: (record_id, score) best first; error text if rejected."""

    matches: list[tuple[str, float]]
    error: str = ""


def bench_settings(base: Settings) -> Settings:
    """Production name settings, but every match down to name_min_score reported (no HIT cut),
    so any pair of thresholds >= name_min_score can be applied afterwards."""
    return base.with_overrides(possible_match_threshold=base.name_min_score, hit_threshold=1.0)


_ENGINE: Engine | None = None


def _init(data_dir: str, settings: Settings) -> None:
    global _ENGINE
    _ENGINE = Engine(open_snapshot(Path(data_dir)), settings)


def _screen(batch: list[tuple[str, str, str, str, str]]) -> list[Outcome]:
    assert _ENGINE is not None
    out: list[Outcome | None] = [None] * len(batch)
    valid, idx = [], []
    for i, (ref, sur, giv, full, dob) in enumerate(batch):
        try:
            valid.append(validate_passenger(Passenger(ref=ref, surname=sur, given_names=giv,
                                                      full_name=full, date_of_birth=dob)))
            idx.append(i)
        except Exception as exc:  # noqa: BLE001 - a rejected query is a miss, recorded
            out[i] = Outcome([], f"{type(exc).__name__}: {exc}")
    for i, r in zip(idx, _ENGINE.screen(valid), strict=True):
        out[i] = Outcome([(m.record_id, m.score) for m in r.matches])
    return out  # type: ignore[return-value]


def run(data_dir: Path, settings: Settings, cases: list[Case], with_dob: bool, workers: int,
        log=print) -> tuple[list[Outcome], float]:
    """Outcomes in case order and core-milliseconds per query."""
    rows = [(c.qid, c.query.surname, c.query.given_names, c.query.full_name,
             c.dob if with_dob else "") for c in cases]
    chunks = [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]
    t0 = time.perf_counter()
    out: list[Outcome] = []
    if workers <= 1:
        _init(str(data_dir), settings)
        for ch in chunks:
            out.extend(_screen(ch))
    else:
        # fork: workers inherit imports and compiled kernels; the snapshot is mmapped per worker.
        ctx = mp.get_context("fork")
        with ctx.Pool(workers, initializer=_init, initargs=(str(data_dir), settings)) as pool:
            for k, res in enumerate(pool.imap(_screen, chunks)):
                out.extend(res)
                if k % 100 == 99:
                    log(f"  ours: {len(out)}/{len(rows)} queries")
    elapsed = time.perf_counter() - t0
    # Core-milliseconds per query (wall time x workers): comparable with single-core peers.
    return out, 1000 * elapsed * max(1, workers) / max(1, len(rows))
