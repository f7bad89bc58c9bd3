"""Our engine's outcomes -> calibrated thresholds (train part) and metrics (test part)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.quality import metrics as M
from bench.quality.cases import Case
from bench.quality.ours import Outcome


@dataclass
class ClassRow:
    cls: str
    group: str
    n: int
    n_dob: int
    values: dict[str, float]  # recall_hit, recall_pm, top1, mrr (+ _dob variants)


@dataclass
class Evaluation:
    thresholds: M.Thresholds
    floor: float
    rows: list[ClassRow]
    fa: dict[str, float]  # "clean_hit_nodob", "clean_pm_dob", "near_given_pm_nodob"...
    counts: dict[str, int]
    scored: dict[str, list[M.Scored | None]]  # "nodob"/"dob": per case (None: not run)
    cases: list[Case]
    outcomes: dict[str, list[Outcome | None]]
    errors: int = 0
    ms_per_query: dict[str, float] = field(default_factory=dict)
    default_thresholds: M.Thresholds | None = None
    default_view: dict[str, float] = field(default_factory=dict)


def class_metrics(pos: list[M.Scored], t: M.Thresholds, suffix: str = "") -> dict[str, float]:
    return {f"recall_hit{suffix}": M.recall(pos, t.hit), f"recall_pm{suffix}": M.recall(pos, t.pm),
            f"top1{suffix}": M.top1(pos, t.pm), f"mrr{suffix}": M.mrr(pos, t.pm)}


def evaluate(all_cases: list[Case], out_nodob: list[Outcome], out_dob: list[Outcome],
             floor: float) -> Evaluation:
    dob_iter = iter(out_dob)
    outcomes: dict[str, list[Outcome | None]] = {"nodob": list(out_nodob), "dob": []}
    for c in all_cases:
        outcomes["dob"].append(next(dob_iter) if c.dob else None)
    scored: dict[str, list[M.Scored | None]] = {
        mode: [None if o is None else M.from_matches(o.matches, c.record_id)
               for c, o in zip(all_cases, outcomes[mode], strict=True)]
        for mode in ("nodob", "dob")}

    def best(kind: str, split: str, mode: str) -> list[float]:
        return [s.best_score for c, s in zip(all_cases, scored[mode], strict=True)
                if c.kind == kind and c.split == split and s is not None]

    t = M.calibrate(best("clean", "train", "nodob"), best("clean", "train", "dob"), floor)
    rows = []
    for cls in dict.fromkeys(c.cls for c in all_cases if c.kind == "positive"):
        idx = [i for i, c in enumerate(all_cases) if c.cls == cls and c.split == "test"
               and c.kind == "positive"]
        pos_n = [scored["nodob"][i] for i in idx]
        pos_d = [scored["dob"][i] for i in idx if scored["dob"][i] is not None]
        values = class_metrics(pos_n, t) | class_metrics(pos_d, t, "_dob")  # type: ignore[arg-type]
        rows.append(ClassRow(cls, all_cases[idx[0]].group if idx else "", len(pos_n),
                             len(pos_d), values))
    fa: dict[str, float] = {}
    counts: dict[str, int] = {}
    xs_kinds = [k for k in dict.fromkeys(c.kind for c in all_cases) if k.startswith("xs_clean")]
    for kind in ("clean", "near_given", "near_family", *xs_kinds):
        for mode in ("nodob", "dob"):
            b = best(kind, "test", mode)
            counts[f"{kind}_{mode}"] = len(b)
            fa[f"{kind}_hit_{mode}"] = M.fa_rate(b, t.hit)
            fa[f"{kind}_pm_{mode}"] = M.fa_rate(b, t.pm)
        counts[f"{kind}_train"] = len(best(kind, "train", "nodob"))
    errors = sum(1 for o in out_nodob if o.error)
    return Evaluation(t, floor, rows, fa, counts, scored, all_cases, outcomes, errors)


def with_thresholds(ev: Evaluation, t: M.Thresholds) -> dict[str, float]:
    """Headline recall/FA at other thresholds (e.g. the current settings), test part."""
    pos = [s for c, s in zip(ev.cases, ev.scored["nodob"], strict=True)
           if c.kind == "positive" and c.split == "test"]
    clean = [s.best_score for c, s in zip(ev.cases, ev.scored["nodob"], strict=True)
             if c.kind == "clean" and c.split == "test" and s is not None]
    clean_d = [s.best_score for c, s in zip(ev.cases, ev.scored["dob"], strict=True)
               if c.kind == "clean" and c.split == "test" and s is not None]
    return {"recall_pm": M.recall(pos, t.pm), "recall_hit": M.recall(pos, t.hit),  # type: ignore
            "fa_pm_nodob": M.fa_rate(clean, t.pm), "fa_hit_nodob": M.fa_rate(clean, t.hit),
            "fa_pm_dob": M.fa_rate(clean_d, t.pm), "fa_hit_dob": M.fa_rate(clean_d, t.hit)}
