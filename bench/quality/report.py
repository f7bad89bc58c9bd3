"""Write quality.md, quality.png, calibration.json and the headline entries of summary.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from bench.quality import metrics as M
from bench.quality.candidates import CandidateRecall
from bench.quality.cases import XS_SCRIPTS, Case
from bench.quality.data import Watchlist
from bench.quality.evaluate import Evaluation, with_thresholds
from bench.quality.peers import PeerRun
from bench.quality.variations import GROUPS
from screening.evidence import COMMON_NAME_CAP
from screening.settings import Settings

DEFAULTS = Settings()  # the shipped thresholds, shown beside the calibrated ones

# Recall-at-POSSIBLE_MATCH targets per class group.
RECALL_TARGETS = {"benign": 0.99, "degraded": 0.99, "adversarial": 0.97, "cross-script": 0.95}
CANDIDATE_TARGET = 0.995
OURS = "ours"

# Likely causes, shown when a peer beats us on a class (read from the misses; see the examples).
_ONE_EDIT = ("one edit in a token lowers its Jaro-Winkler similarity into the credit ramp "
             "(CREDIT_LOW..CREDIT_HIGH: credit = sim^2 x ramp), so one typo costs ~0.1 of the "
             "name score and lands just under the calibrated POSSIBLE_MATCH; character-level "
             "ratios lose less for one edit")
LIKELY_REASONS = {
    "ocr": "single-letter look-alikes are cheap edits, but a misread in a short token still "
           "costs more than a character-level ratio charges",
    "squashed": "a token glued from more than four listed tokens, or one that lost letters "
                "on the way, is not read as a squash",
    "mrz_truncation": "the cut last token is a prefix, but the dropped given names count as "
                      "unmatched; partial ratios reward prefixes",
    "dropped_vowels": "consonant-skeleton tokens fall into the Jaro-Winkler credit ramp",
    "initials": "an initial scores INITIAL_SIM (0.9) and costs the name",
    "token_dropped": "on the name alone, a listed token missing from the query costs "
                     "evidence.NAME_ONLY_RECORD_TOKEN_COST (0.35) of its weight unless the "
                     "names given are rare (evidence.RARE_GIVEN_BITS) or the token is a "
                     "patronymic (name_index.PATRONYMIC_SUFFIXES): clean travellers who are "
                     "a common listed name minus one token would otherwise outscore misspelled "
                     "listed names; token-set / partial scorers and nomenklatura ignore missing "
                     "tokens (with a date of birth we find these)",
    "titles": "titles/suffixes outside the TITLES/SUFFIXES sets count as unmatched tokens",
    "particles": "an added particle is an unmatched query token (weight 0.2 but still counted)",
    "translit": "variant spellings whose phonetic skeletons differ get Jaro-Winkler credit only",
    "keyboard": _ONE_EDIT, "transposition": _ONE_EDIT, "doubled": _ONE_EDIT,
    "phonetic": _ONE_EDIT,
    "arabic": "anyascii romanisation of Arabic script drops short vowels (abjad), far from the "
              "listed Latin spelling",
    "chinese": "anyascii gives Mandarin pinyin syllables of the transcription characters, not "
               "the original foreign name",
    "russian": "anyascii romanisation differs from the source spelling of foreign names",
}


def _pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.1f}%"


def _rate(x: float) -> str:
    return "n/a" if x != x else f"{x * 10_000:.2f}"


def _mean(values: dict[str, float], keys: list[str]) -> float:
    """Mean over the keys present (a peer sample may lack a class)."""
    got = [values[k] for k in keys if k in values and values[k] == values[k]]
    return sum(got) / len(got) if got else float("nan")


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "indexes", "screening"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    # The engine is measured as it is in the working tree, committed or not.
    return head + (" + uncommitted changes in indexes/ or screening/" if dirty else "")


def _peer_thresholds(runs: tuple[PeerRun, PeerRun], peer_cases: list[Case], ev: Evaluation
                     ) -> dict[str, dict[str, M.Thresholds]]:
    """Each peer's thresholds at our test false-alarm rates (names only; with DOB for
    nomenklatura), picked on the peer's own clean-sample score distribution."""
    clean_idx = [i for i, c in enumerate(peer_cases) if c.kind == "clean"]
    out: dict[str, dict[str, M.Thresholds]] = {}
    for mode, run in zip(("nodob", "dob"), runs, strict=True):
        out[mode] = {}
        for name, scored in run.scored.items():
            neg = [scored[i].best_score for i in clean_idx if scored[i] is not None]
            out[mode][name] = M.Thresholds(
                hit=M.threshold_at_fa(neg, ev.fa[f"clean_hit_{mode}"]),
                pm=M.threshold_at_fa(neg, ev.fa[f"clean_pm_{mode}"]))
    return out


def _ours_on(peer_cases: list[Case], ev: Evaluation, mode: str) -> list[M.Scored | None]:
    pos = {c.qid: i for i, c in enumerate(ev.cases)}
    return [ev.scored[mode][pos[c.qid]] for c in peer_cases]


def _recall_by_class(peer_cases: list[Case], scored: list, t: float,
                     need_dob: bool = False) -> dict[str, float]:
    by: dict[str, list[M.Scored]] = {}
    for c, s in zip(peer_cases, scored, strict=True):
        if c.kind == "positive" and s is not None and (c.dob or not need_dob):
            by.setdefault(c.cls, []).append(s)
    return {k: M.recall(v, t) for k, v in by.items()}


def _group_of(ev: Evaluation) -> dict[str, str]:
    return {r.cls: r.group for r in ev.rows}


def _examples(ev: Evaluation, names: dict[str, str], cls: str, k: int = 3) -> list[str]:
    out = []
    for c, s, o in zip(ev.cases, ev.scored["nodob"], ev.outcomes["nodob"], strict=True):
        if c.cls != cls or c.split != "test" or c.kind != "positive" or s is None:
            continue
        if s.true_score is not None and s.true_score >= ev.thresholds.pm:
            continue
        top = f"{o.matches[0][0]} {o.matches[0][1]:.3f}" if o and o.matches else "nothing"
        err = f" (rejected: {o.error})" if o and o.error else ""
        true = "not reported" if s.true_score is None else f"{s.true_score:.3f}"
        out.append(f"`{c.query.display()!r}` for `{names.get(c.record_id, '?')}` "
                   f"({c.record_id}): true record {true}, top: {top}{err}")
        if len(out) >= k:
            break
    return out


def _chart(path: Path, classes: list[str], series: dict[str, dict[str, float]]) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    fig, ax = plt.subplots(figsize=(max(12, len(classes) * 0.75), 5.5))
    width = 0.8 / max(1, len(series))
    x = np.arange(len(classes))
    for k, (name, vals) in enumerate(series.items()):
        ax.bar(x + k * width - 0.4 + width / 2, [100 * vals.get(c, float("nan")) for c in classes],
               width, label=name)
    ax.set_xticks(x, classes, rotation=60, ha="right")
    ax.set_ylabel("recall at POSSIBLE_MATCH (%), names only")
    ax.set_ylim(0, 102)
    ax.set_title("Recall at POSSIBLE_MATCH per class, each system at our false-alarm rate",
                 pad=28)
    # Legend above the axes: inside it would hide bars.
    ax.legend(fontsize=8, ncol=len(series), loc="lower center", bbox_to_anchor=(0.5, 1.0),
              frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _summary(path: Path, entries: list[dict]) -> None:
    old = json.loads(path.read_text()) if path.exists() else []
    names = {e["name"] for e in entries}
    path.write_text(json.dumps([e for e in old if e.get("name") not in names] + entries,
                               indent=2) + "\n")


def write(out: Path, ev: Evaluation, cand: CandidateRecall, peer_cases: list[Case],
          peer_runs: tuple[PeerRun, PeerRun] | None, wl: Watchlist, args: argparse.Namespace,
          command: str, runtime: float, names: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    t = ev.thresholds
    group_of = _group_of(ev)
    L: list[str] = []
    n_pos_test = sum(r.n for r in ev.rows)
    L += ["# Name-matching quality benchmark", "",
          f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",  # noqa: UP017
          f"- git commit: `{_git_commit()}`",
          f"- machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs; python {platform.python_version()}",
          f"- command: `{command}`",
          f"- runtime: {runtime:.0f} s",
          f"- watchlist: {wl.n_records:,} records / {wl.n_names:,} names: real OFAC SDN + UN "
          f"individuals, {args.persons:,} synthetic persons (generator seed {args.seed}), "
          f"{2 * 3 * args.translit_per_split:,} persons from the transliteration pairs",
          f"- cases: {len(ev.cases):,} ({n_pos_test:,} positive test queries; clean test "
          f"{ev.counts['clean_nodob']:,} / train {ev.counts['clean_train']:,}; near-miss test "
          f"{ev.counts['near_given_nodob'] + ev.counts['near_family_nodob']:,}); every query "
          "screened without DOB, and again with DOB when the listed record has one",
          f"- our engine: {ev.ms_per_query.get('nodob', 0):.2f} core-ms/query names only, "
          f"{ev.ms_per_query.get('dob', 0):.2f} with DOB ({args.workers} worker processes); "
          f"rejected by validation: {ev.errors}", ""]

    # ---- thresholds
    L += ["## Calibrated thresholds (train part)", "",
          "Lowest thresholds meeting the false-alarm targets on the train clean passengers "
          "(HIT <= 1/10,000 names only and <= 1/100,000 with DOB; POSSIBLE_MATCH <= 2/100 "
          f"names only and <= 2/1,000 with DOB), searched in [name_min_score={ev.floor}, 1]. "
          "Everything below is measured on the test part with these thresholds.", "",
          "| threshold | calibrated | current default |", "|---|---|---|",
          f"| HIT | {t.hit:.4f} | {DEFAULTS.hit_threshold} |",
          f"| POSSIBLE_MATCH | {t.pm:.4f} | {DEFAULTS.possible_match_threshold} |", ""]
    dflt = with_thresholds(ev, M.Thresholds(DEFAULTS.hit_threshold,
                                            DEFAULTS.possible_match_threshold))
    cal = with_thresholds(ev, t)
    L += ["| at thresholds | recall@PM | recall@HIT | FA/10k PM | FA/10k HIT | FA/10k PM DOB | "
          "FA/10k HIT DOB |", "|---|---|---|---|---|---|---|"]
    default_label = (f"default {DEFAULTS.hit_threshold}/{DEFAULTS.possible_match_threshold}"
                     " (settings)")
    for label, v in (("calibrated", cal), (default_label, dflt)):
        L.append(f"| {label} | {_pct(v['recall_pm'])} | {_pct(v['recall_hit'])} | "
                 f"{_rate(v['fa_pm_nodob'])} | {_rate(v['fa_hit_nodob'])} | "
                 f"{_rate(v['fa_pm_dob'])} | {_rate(v['fa_hit_dob'])} |")
    L.append("")

    # ---- pass / fail
    checks: list[tuple[str, str, str, bool]] = []
    for r in ev.rows:
        target = RECALL_TARGETS[r.group]
        v = r.values["recall_pm"]
        checks.append((f"recall@PM {r.cls} ({r.group})", f">= {100 * target:.0f}%", _pct(v),
                       v >= target))
    for level, mode, target in (("hit", "nodob", 1e-4), ("hit", "dob", 1e-5),
                                ("pm", "nodob", 2e-2), ("pm", "dob", 2e-3)):
        v = ev.fa[f"clean_{level}_{mode}"]
        checks.append((f"clean FA at {level.upper()} {'with DOB' if mode == 'dob' else 'names only'}",
                       f"<= {_rate(target)}/10k", f"{_rate(v)}/10k", v <= target))
    floor = getattr(cand, "floor", 0.0)  # states saved before the floor figures lack it
    if floor:
        checks.append((f"candidate recall (true record, from the engine's floor {floor:.4f})",
                       ">= 99.5%", _pct(cand.floor_rate), cand.floor_rate >= CANDIDATE_TARGET))
        checks.append((f"candidate recall (all records, from the engine's floor {floor:.4f})",
                       ">= 99.5%", _pct(cand.floor_all_rate),
                       cand.floor_all_rate >= CANDIDATE_TARGET))
    if getattr(cand, "engine_checked", 0):  # absent from states saved before it
        checks.append(("candidate recall (all records the name and date of birth could lift "
                       "to PM, the engine's whole candidate step)", ">= 99.5%",
                       _pct(cand.engine_rate), cand.engine_rate >= CANDIDATE_TARGET))
    checks.append(("candidate recall (true record, from name_min_score)", ">= 99.5%",
                   _pct(cand.rate), cand.rate >= CANDIDATE_TARGET))
    if cand.true_pm_checked:
        checks.append(("candidate recall (true record, name alone >= PM)", ">= 99.5%",
                       _pct(cand.true_pm_rate), cand.true_pm_rate >= CANDIDATE_TARGET))
    if cand.pm_checked:
        checks.append(("candidate recall (all records, name alone >= PM)", ">= 99.5%",
                       _pct(cand.pm_rate), cand.pm_rate >= CANDIDATE_TARGET))
    n_fail = sum(1 for c in checks if not c[3])
    L += [f"## Pass / fail ({len(checks) - n_fail} pass, {n_fail} fail)", "",
          "| check | target | measured | |", "|---|---|---|---|"]
    L += [f"| {a} | {b} | {c} | {'✅' if ok else '❌'} |" for a, b, c, ok in checks]
    L.append("")

    # ---- per class, ours
    L += ["## Our engine per class (test part, all queries)", "",
          "recall@HIT: the true record scores >= HIT; recall@PM: the true record is reported "
          "(>= POSSIBLE_MATCH); top-1 and MRR: rank of the true record among reported records.",
          "", "| class | group | n | recall@HIT | recall@PM | top-1 | MRR | n (DOB) | "
          "recall@HIT DOB | recall@PM DOB | top-1 DOB |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in ev.rows:
        v = r.values
        L.append(f"| {r.cls} | {r.group} | {r.n} | {_pct(v['recall_hit'])} | "
                 f"{_pct(v['recall_pm'])} | {_pct(v['top1'])} | {v['mrr']:.3f} | {r.n_dob} | "
                 f"{_pct(v['recall_hit_dob'])} | {_pct(v['recall_pm_dob'])} | "
                 f"{_pct(v['top1_dob'])} |")
    L.append("")
    if any(r.n < 300 for r in ev.rows):
        short = ", ".join(f"{r.cls} ({r.n})" for r in ev.rows if r.n < 300)
        L += [f"Classes under 300 test queries (not enough applicable listed names, or a "
              f"smaller --per-class): {short}.", ""]

    # ---- false alarms
    L += ["## False alarms (test part), per 10,000 passengers", "",
          "| passengers | n | HIT names only | PM names only | n (DOB) | HIT with DOB | "
          "PM with DOB |", "|---|---|---|---|---|---|---|"]
    kinds = [("clean", "clean travellers"), ("near_given", "near-miss: same given "
              "name, other family name"), ("near_family", "near-miss: same family "
              "name, other given names")]
    kinds += [(f"xs_clean_{lang}", f"clean travellers in {script} script (not calibrated on)")
              for lang, script in XS_SCRIPTS.items()
              if f"xs_clean_{lang}_nodob" in ev.counts]
    for kind, label in kinds:
        f = ev.fa
        L.append(f"| {label} | {ev.counts[f'{kind}_nodob']:,} | {_rate(f[f'{kind}_hit_nodob'])} |"
                 f" {_rate(f[f'{kind}_pm_nodob'])} | {ev.counts[f'{kind}_dob']:,} | "
                 f"{_rate(f[f'{kind}_hit_dob'])} | {_rate(f[f'{kind}_pm_dob'])} |")
    if len(kinds) > 3:
        L += ["", "Clean travellers in Arabic, Cyrillic or Chinese script: the given name of one "
              "cross-script listed person and the surname of another, in native script (the "
              "cross-script positives' tokens, other persons). The thresholds are calibrated "
              "on the Latin-script clean travellers only."]
    L.append("")

    # ---- candidate recall
    L += ["## Candidate-step recall", "",
          f"Exhaustive scoring (the index's own batch scorer over every name of the record, or "
          f"of the whole list) against `search` (limit lifted, max_candidates = production). "
          f"{cand.seconds:.0f} s.", "",
          f"- true record: {cand.found:,}/{cand.checked:,} = **{_pct(cand.rate)}** of sampled "
          f"positives whose true record scores >= name_min_score exhaustively",
          f"- true record, name score alone reaching the calibrated POSSIBLE_MATCH: "
          f"{cand.true_pm_found:,}/{cand.true_pm_checked:,} = **{_pct(cand.true_pm_rate)}**",
          f"- all records: {cand.all_found:,}/{cand.all_checked:,} = **{_pct(cand.all_rate)}** "
          f"of (query, record) pairs >= name_min_score, over {cand.all_queries} queries "
          "scored against the whole list",
          f"- all records, name score alone reaching the calibrated POSSIBLE_MATCH: "
          f"{cand.pm_found:,}/{cand.pm_checked:,} = **{_pct(cand.pm_rate)}**", ""]
    if floor:
        L += [f"From the engine's floor ({floor:.4f}, `screening.engine.name_floor` with the "
              "default settings: a name scoring lower ends CLEAR whatever the date of birth, sex "
              "and nationality add, so the engine's own search starts there), search and "
              "exhaustive scoring both from that score:", "",
              f"- true record: {cand.floor_found:,}/{cand.floor_checked:,} = "
              f"**{_pct(cand.floor_rate)}**",
              f"- all records: {cand.floor_all_found:,}/{cand.floor_all_checked:,} = "
              f"**{_pct(cand.floor_all_rate)}** over the same {cand.all_queries} queries", ""]
        if getattr(cand, "engine_checked", 0):
            L += [f"The engine's whole candidate step (`Engine.person_candidates`: the name "
                  f"search from its floor, {cand.engine_floor:.4f} with the calibrated "
                  f"thresholds, then the persons born on the passenger's date of birth when "
                  f"namesakes crowd the search, then a document on record), over the "
                  f"{cand.engine_queries} of those queries screened with a date of birth: of "
                  f"the records whose exhaustive name score and the passenger's evidence "
                  f"against them (date of birth, sex, nationality) could reach the calibrated "
                  f"POSSIBLE_MATCH, it weighs {cand.engine_found:,}/{cand.engine_checked:,} = "
                  f"**{_pct(cand.engine_rate)}**."
                  + ("" if cand.engine_missed else
                     " The records the search alone leaves out from the floor (the all-records "
                     "figure above) reach no decision with the passenger's evidence, or the "
                     "date-of-birth pass brings them back."), ""]
            L += [f"- missed: `{q!r}` -> {rid} (exhaustive {sc})"
                  for q, rid, sc in cand.engine_missed[:8]]
            if cand.engine_missed:
                L.append("")
        if cand.floor_missed:
            L += ["Missed from the floor:", ""]
            L += [f"- `{q!r}` -> {rid} (exhaustive {s})" for q, rid, s in cand.floor_missed[:8]]
            L.append("")
        liked = getattr(cand, "liked_checked", 0)  # absent from states saved before it
        if liked:
            L += [f"Native-script queries (Arabic, Cyrillic, Chinese) whose true record only the "
                  f"transliteration model's likeness lifts to the floor (exhaustive "
                  f"`NameIndex.match_records`, the batch scorer giving less): search returns "
                  f"{cand.liked_found:,}/{liked:,} = **{_pct(cand.liked_found / liked)}**. The "
                  f"likeness is a second stage over the candidates that the decoded spellings and "
                  f"the listed spellings the model writes itself bring; a record that needs an "
                  f"edit on every word is among neither.", ""]
            L += [f"- `{q!r}` -> {rid} (likeness {s})" for q, rid, s in cand.liked_missed[:8]]
            L.append("")
    if cand.missed:
        L += ["Missed by the candidate step from name_min_score (examples):", ""]
        L += [f"- `{q!r}` -> {rid} (exhaustive {s})" for q, rid, s in cand.missed[:8]]
        L.append("")

    # ---- peers
    series: dict[str, dict[str, float]] = {}
    classes = [r.cls for r in ev.rows]
    summary = [
        {"name": "quality.recall_pm.overall", "value": round(100 * cal["recall_pm"], 2),
         "unit": "%"},
        {"name": "quality.recall_hit.overall", "value": round(100 * cal["recall_hit"], 2),
         "unit": "%"},
        {"name": "quality.fa_pm_names_only", "value": round(cal["fa_pm_nodob"] * 10_000, 3),
         "unit": "per 10k clean"},
        {"name": "quality.fa_hit_names_only", "value": round(cal["fa_hit_nodob"] * 10_000, 3),
         "unit": "per 10k clean"},
        {"name": "quality.candidate_recall", "value": round(100 * cand.rate, 3), "unit": "%"},
        *([{"name": "quality.candidate_recall_floor", "value": round(100 * cand.floor_rate, 3),
            "unit": "%"}] if floor else []),
        {"name": "quality.threshold_hit", "value": t.hit, "unit": "score"},
        {"name": "quality.threshold_pm", "value": t.pm, "unit": "score"},
    ]
    for g in GROUPS:
        rows = [r for r in ev.rows if r.group == g]
        if rows:
            summary.append({"name": f"quality.recall_pm.{g}.min",
                            "value": round(100 * min(r.values["recall_pm"] for r in rows), 2),
                            "unit": "%"})
    if peer_runs is not None:
        thr = _peer_thresholds(peer_runs, peer_cases, ev)
        ours_n = _ours_on(peer_cases, ev, "nodob")
        ours_d = _ours_on(peer_cases, ev, "dob")
        series[OURS] = _recall_by_class(peer_cases, ours_n, t.pm)
        for name, scored in peer_runs[0].scored.items():
            series[name] = _recall_by_class(peer_cases, scored, thr["nodob"][name].pm)
        n_peer_pos = sum(1 for c in peer_cases if c.kind == "positive")
        n_peer_clean = sum(1 for c in peer_cases if c.kind == "clean")
        n_peer_near = len(peer_cases) - n_peer_pos - n_peer_clean
        L += ["## Peers (same list, same cases: a sample)", "",
              f"Sample: {n_peer_pos:,} positive test queries (up to {args.peer_per_class} per "
              f"class), {n_peer_clean:,} clean and {n_peer_near:,} near-miss test passengers. "
              "Each peer's thresholds are chosen on its own clean-sample scores to give our "
              "test false-alarm rate (names only) at HIT and at POSSIBLE_MATCH; when our rate "
              "is 0 that is just above the peer's best clean score, which a small sample "
              "resolves only to 1/n. rapidfuzz: `process.cdist` over every name of the list "
              "(`utils.default_process` applied once to the list, `workers=-1`, uint8, "
              f"score_cutoff {50}; WRatio, ~50x slower than token_sort_ratio, on a smaller sample: "
              f"{args.peer_wratio_per_class} per class, {args.peer_wratio_negatives} clean); "
              "Jaro-Winkler: rapidfuzz `JaroWinkler.normalized_similarity` "
              "on sorted tokens, best over names; nomenklatura: `logic-v1` / `logic-v2` "
              f"(`ScoringConfig.defaults()`) on the top {args.nk_candidates} records of a "
              "rapidfuzz pre-filter over every name "
              "(best of token_sort_ratio and the Jaro-Winkler baseline per record), "
              "followthemoney `Person` entities (name + aliases, birthDate), unique id each. "
              "Scores per record = best over its names.", "",
              "| system | sample pos / clean | HIT thr | PM thr | clean FA/10k PM (sample) | "
              "near-miss FA/10k PM | core-ms/query |", "|---|---|---|---|---|---|---|"]
        clean_i = [i for i, c in enumerate(peer_cases) if c.kind == "clean"]
        near_i = [i for i, c in enumerate(peer_cases) if c.kind.startswith("near")]

        def fa_row(scored: list, tt: M.Thresholds) -> tuple[str, str]:
            return (_rate(M.fa_rate([scored[i].best_score for i in clean_i
                                     if scored[i] is not None], tt.pm)),
                    _rate(M.fa_rate([scored[i].best_score for i in near_i
                                     if scored[i] is not None], tt.pm)))

        def sizes(scored: list) -> str:
            pos = sum(1 for c, s in zip(peer_cases, scored, strict=True)
                      if s is not None and c.kind == "positive")
            cl = sum(1 for i in clean_i if scored[i] is not None)
            return f"{pos:,} / {cl:,}"
        a, b = fa_row(ours_n, t)
        L.append(f"| {OURS} | {sizes(ours_n)} | {t.hit:.4f} | {t.pm:.4f} | {a} | {b} | "
                 f"{ev.ms_per_query.get('nodob', 0):.2f} |")
        for name, scored in peer_runs[0].scored.items():
            tt = thr["nodob"][name]
            a, b = fa_row(scored, tt)
            L.append(f"| {name} | {sizes(scored)} | {tt.hit:.4f} | {tt.pm:.4f} | {a} | {b} | "
                     f"{peer_runs[0].ms_per_query[name]:.1f} |")
        L.append("")
        # Per group and per class.
        L += ["### Recall at POSSIBLE_MATCH, names only (peer sample)", "",
              "| class | group | " + " | ".join(series) + " |",
              "|---|---|" + "---|" * len(series)]
        for cls in classes:
            L.append(f"| {cls} | {group_of[cls]} | " + " | ".join(
                _pct(series[s].get(cls, float("nan"))) for s in series) + " |")
        for g in GROUPS:
            cls_g = [c for c in classes if group_of[c] == g]
            L.append(f"| **{g} (mean)** | | " + " | ".join(
                _pct(_mean(series[s], cls_g)) for s in series) + " |")
        L.append("")
        L += ["### Recall at HIT, names only (peer sample)", "",
              "| group | " + " | ".join(series) + " |", "|---|" + "---|" * len(series)]
        hit_series = {OURS: _recall_by_class(peer_cases, ours_n, t.hit)}
        for name, scored in peer_runs[0].scored.items():
            hit_series[name] = _recall_by_class(peer_cases, scored, thr["nodob"][name].hit)
        for g in GROUPS:
            cls_g = [c for c in classes if group_of[c] == g]
            L.append(f"| {g} (mean) | " + " | ".join(
                _pct(_mean(hit_series[s], cls_g)) for s in hit_series) + " |")
        L.append("")
        # With DOB: ours vs nomenklatura.
        dob_series = {OURS: _recall_by_class(peer_cases, ours_d, t.pm, True)}
        for name, scored in peer_runs[1].scored.items():
            dob_series[name] = _recall_by_class(peer_cases, scored, thr["dob"][name].pm, True)
        L += ["### Recall at POSSIBLE_MATCH with DOB (peer sample, DOB-aware systems)", "",
              "Peer thresholds at our with-DOB clean FA rate: " + ", ".join(
                  f"{n} PM {thr['dob'][n].pm:.4f} / HIT {thr['dob'][n].hit:.4f}"
                  for n in peer_runs[1].scored) + ". nomenklatura with DOB: " + ", ".join(
                  f"{n} {peer_runs[1].ms_per_query[n]:.1f} core-ms/query"
                  for n in peer_runs[1].scored) + ".", "",
              "| group | " + " | ".join(dob_series) + " |", "|---|" + "---|" * len(dob_series)]
        for g in GROUPS:
            cls_g = [c for c in classes if group_of[c] == g]
            L.append(f"| {g} (mean) | " + " | ".join(
                _pct(_mean(dob_series[s], cls_g)) for s in dob_series) + " |")
        L.append("")
        # Where we lose.
        losses = []
        for cls in classes:
            best_peer = max(((s, series[s].get(cls, 0.0)) for s in series if s != OURS),
                            key=lambda x: x[1])
            if best_peer[1] > series[OURS].get(cls, 0.0) + 0.01:
                losses.append((cls, best_peer))
        L += ["### Where a peer beats us (by more than 1 point, recall@PM names only)", ""]
        if not losses:
            L += ["Nowhere.", ""]
        for cls, (peer, v) in losses:
            reason = LIKELY_REASONS.get(cls, "see the misses below")
            capped = [us for c, ps, us in zip(peer_cases, peer_runs[0].scored[peer], ours_n,
                                              strict=True)
                      if c.cls == cls and us is not None and us.true_score is not None
                      and us.true_score < t.pm and ps is not None
                      and ps.true_score is not None and ps.true_score >= thr["nodob"][peer].pm]
            if capped and sum(1 for us in capped if abs(us.true_score - COMMON_NAME_CAP) < 1e-6
                              ) * 2 >= len(capped):
                reason = (f"our common-name cap: a name-only match on a name the list holds "
                          f"for several persons scores at most {COMMON_NAME_CAP} (so it is "
                          f"never a HIT), under this list's calibrated POSSIBLE_MATCH "
                          f"({t.pm:.4f}); the peers have no such cap, and with a date of birth "
                          f"we find these")
            L.append(f"- **{cls}**: {peer} {_pct(v)} vs ours {_pct(series[OURS].get(cls, 0))}. "
                     f"Likely reason: {reason}.")
            peer_t = thr["nodob"][peer].pm
            shown = 0
            for c, ps, us in zip(peer_cases, peer_runs[0].scored[peer], ours_n, strict=True):
                if c.cls != cls or ps is None or us is None or shown >= 3:
                    continue
                if ps.true_score is not None and ps.true_score >= peer_t and not (
                        us.true_score is not None and us.true_score >= t.pm):
                    ours_s = "not reported" if us.true_score is None else f"{us.true_score:.3f}"
                    L.append(f"  - `{c.query.display()!r}` for `{names.get(c.record_id, '?')}`:"
                             f" {peer} {ps.true_score:.3f}, ours {ours_s}")
                    shown += 1
        L.append("")
        for name in peer_runs[0].scored:
            summary.append({"name": f"quality.peer.{name.replace(' ', '_')}.recall_pm_mean",
                            "value": round(100 * _mean(series[name], classes), 2),
                            "unit": "%"})
        summary.append({"name": "quality.ours_on_peer_sample.recall_pm_mean",
                        "value": round(100 * _mean(series[OURS], classes), 2),
                        "unit": "%"})
    else:
        series[OURS] = {r.cls: r.values["recall_pm"] for r in ev.rows}

    # ---- misses
    L += ["## Our misses at POSSIBLE_MATCH (names only, test part, first 3 per class)", ""]
    for r in ev.rows:
        ex = _examples(ev, names, r.cls)
        if ex:
            L += [f"**{r.cls}** ({_pct(1 - r.values['recall_pm'])} missed)", ""]
            L += [f"- {e}" for e in ex]
            L.append("")
    L += ["![recall per class](quality.png)", ""]

    (out / "quality.md").write_text("\n".join(L), encoding="utf-8")
    _chart(out / "quality.png", classes, series)
    (out / "calibration.json").write_text(json.dumps({
        "hit_threshold": t.hit, "possible_match_threshold": t.pm,
        "name_min_score": ev.floor, "fa_targets": M.FA_TARGETS,
        "train_clean_passengers": ev.counts["clean_train"], "command": command,
        "git_commit": _git_commit(),
        "env": {"SCREENING_HIT_THRESHOLD": f"{t.hit:.4f}",
                "SCREENING_POSSIBLE_MATCH_THRESHOLD": f"{t.pm:.4f}"},
    }, indent=2) + "\n")
    _summary(out / "summary.json", [e | {"command": command} for e in summary])
