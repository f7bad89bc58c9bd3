"""Name-matching quality benchmark: `python -m bench.quality [--persons N] [--out DIR]`.

Builds (or reuses) the watchlist, generates the cases, runs our engine on all of them and the
peers on a sample, calibrates thresholds on the train part and reports on the test part.
See bench/quality/README.md.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from pathlib import Path

from bench.quality import candidates, cases, data, ours, peers, report
from bench.quality.evaluate import Evaluation, evaluate
from screening import evidence
from screening.datagen import frequencies
from screening.engine import Engine, name_floor
from screening.settings import Settings

STATE = "quality_state.pkl"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__)
    p.add_argument("--persons", type=int, default=1_000_000, help="synthetic listed persons")
    p.add_argument("--out", type=Path, default=Path("bench/results"))
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--per-class", type=int, default=600,
                   help="positive queries per variation class (train + test)")
    p.add_argument("--translit-per-split", type=int, default=400,
                   help="cross-script listed persons per language and split")
    p.add_argument("--negatives", type=int, default=200_000, help="clean passengers (train+test)")
    p.add_argument("--near-misses", type=int, default=4000)
    p.add_argument("--cross-script-clean", type=int, default=2000,
                   help="clean travellers per script (Arabic, Cyrillic, Chinese), half test")
    p.add_argument("--peer-per-class", type=int, default=60, help="peer sample, per class")
    p.add_argument("--peer-negatives", type=int, default=3000, help="peer sample, clean")
    p.add_argument("--peer-near", type=int, default=300, help="peer sample, near-misses")
    p.add_argument("--peer-wratio-per-class", type=int, default=10,
                   help="WRatio (~50x slower than token_sort_ratio) sample, per class")
    p.add_argument("--peer-wratio-negatives", type=int, default=500,
                   help="WRatio sample, clean passengers (and a tenth as many near-misses)")
    p.add_argument("--nk-candidates", type=int, default=20,
                   help="records the rapidfuzz pre-filter hands to nomenklatura")
    p.add_argument("--candidate-sample", type=int, default=2000)
    p.add_argument("--candidate-all-sample", type=int, default=100,
                   help="queries scored against every name of the list")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--skip-peers", action="store_true")
    p.add_argument("--name-model", type=int, choices=(1, 2, 3), default=1,
                   help="the generator's name frequencies, for the list and the clean "
                        "travellers (screening/datagen/frequencies.py)")
    p.add_argument("--report-only", action="store_true",
                   help="rewrite the report from the last run's saved state (same --out)")
    return p.parse_args(argv)


def sample(pos: list[cases.Case], neg: list[cases.Case], near: list[cases.Case], per_class: int,
           n_clean: int, n_near: int) -> list[cases.Case]:
    """The first test cases of each kind (cases are generated in random order)."""
    out: list[cases.Case] = []
    per: dict[str, int] = {}
    for c in pos:
        if c.split == "test" and per.get(c.cls, 0) < per_class:
            per[c.cls] = per.get(c.cls, 0) + 1
            out.append(c)
    out += [c for c in neg if c.split == "test"][:n_clean]
    out += [c for c in near if c.split == "test"][:n_near]
    return out


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with frequencies.use(args.name_model):  # the clean travellers' names too
        return _main(args, argv)


def _main(args: argparse.Namespace, argv: list[str] | None) -> int:
    command = "python -m bench.quality " + " ".join(sys.argv[1:] if argv is None else argv)
    started = time.time()
    wl = data.build(args.persons, args.seed, args.translit_per_split, log=log,
                    name_model=args.name_model)
    names = {p.record_id: f"{p.surname} {p.given_names}".strip()
             for p in wl.listed + wl.synthetic}
    if args.report_only:
        with open(args.out / STATE, "rb") as fh:
            ev, cand, peer_cases, peer_runs, runtime, command, run_args = pickle.load(fh)
        report.write(args.out, ev, cand, peer_cases, peer_runs, wl, run_args, command, runtime,
                     names)
        log(f"report rewritten: {args.out / 'quality.md'}")
        return 0
    log(f"watchlist: {wl.n_records:,} records, {wl.n_names:,} names")
    pos = cases.positives(wl, args.per_class, args.seed)
    neg = cases.clean(wl, args.negatives, args.seed)
    near = cases.near_misses(wl, args.near_misses, args.seed)
    xs_clean = cases.clean_cross_script(wl, args.cross_script_clean, args.seed)
    all_cases = pos + neg + near + xs_clean
    log(f"cases: {len(pos):,} positive, {len(neg):,} clean, {len(near):,} near-miss, "
        f"{len(xs_clean):,} clean cross-script")

    settings = ours.bench_settings(Settings())
    out_nodob, ms_nodob = ours.run(wl.data_dir, settings, all_cases, False, args.workers, log)
    log(f"ours, names only: {ms_nodob:.2f} core-ms/query")
    dob_cases = [c for c in all_cases if c.dob]
    out_dob, ms_dob = ours.run(wl.data_dir, settings, dob_cases, True, args.workers, log)
    log(f"ours, with DOB: {ms_dob:.2f} core-ms/query")
    ev: Evaluation = evaluate(all_cases, out_nodob, out_dob, settings.name_min_score)
    ev.ms_per_query = {"nodob": ms_nodob, "dob": ms_dob}

    from indexes.snapshot import open_snapshot
    snap = open_snapshot(wl.data_dir)
    rng = random.Random(f"{args.seed}-candidates")
    cand_cases = rng.sample(pos, min(len(pos), args.candidate_sample))
    calibrated = Engine(snap, Settings().with_overrides(
        possible_match_threshold=ev.thresholds.pm, hit_threshold=ev.thresholds.hit))
    cand = candidates.measure(snap.name_index, snap.records["record_id"].to_pylist(), cand_cases,
                              settings.name_min_score, settings.name_max_candidates,
                              args.candidate_all_sample,
                              min(1.0, ev.thresholds.pm / evidence.NAME_WEIGHT),
                              name_floor(Settings()), calibrated)
    log(f"candidate recall {cand.rate:.4f} ({cand.seconds:.0f}s)")

    peer_runs = None
    peer_cases: list[cases.Case] = []
    if not args.skip_peers:
        peer_cases = sample(pos, neg, near, args.peer_per_class, args.peer_negatives,
                            args.peer_near)
        wratio = {c.qid for c in sample(pos, neg, near, args.peer_wratio_per_class,
                                        args.peer_wratio_negatives,
                                        args.peer_wratio_negatives // 10)}
        log(f"peers on {len(peer_cases):,} queries (WRatio on {len(wratio):,})")
        peer_runs = peers.run(wl.data_dir, peer_cases, args.nk_candidates, args.workers,
                              wratio, log)
    runtime = time.time() - started
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / STATE, "wb") as fh:  # lets --report-only redo the report quickly
        pickle.dump((ev, cand, peer_cases, peer_runs, runtime, command, args), fh)

    report.write(args.out, ev, cand, peer_cases, peer_runs, wl, args, command, runtime, names)
    log(f"done in {time.time() - started:.0f}s: {args.out / 'quality.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
