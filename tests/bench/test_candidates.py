"""The quality benchmark's candidate-step recall, on a crowd of namesakes."""

from __future__ import annotations

from bench.quality import candidates
from bench.quality.cases import Case
from bench.quality.variations import Query
from indexes.snapshot import build_snapshot, open_snapshot
from screening import loader
from screening.engine import Engine
from screening.settings import Settings
from tests.fixtures import write_jsonl


def _wanted(record_id: str, surname: str, given: str, dob: str) -> dict:
    return {"record_id": record_id, "list": "interpol-red", "category": "wanted",
            "names": [{"surname": surname, "given_names": given}], "dates_of_birth": [dob],
            "sex": "M", "nationalities": ["SLE"], "documents": [], "owner": "SLE",
            "status": "active"}


def test_the_engine_step_counts_what_the_date_of_birth_could_lift(tmp_path) -> None:
    """40 listed TURAY CHIBUIKE and an engine that keeps 5 name matches: only the one born on
    the passenger's date of birth could reach POSSIBLE_MATCH, it is not among those 5, and
    the engine's date-of-birth pass weighs it: the engine figure counts that one record,
    found."""
    rows = [_wanted(f"T-{i}", "TURAY", "Chibuike", f"19{50 + i}-0{1 + i % 9}-1{i % 10}")
            for i in range(40)]
    build_snapshot(tmp_path, nominal=loader.read_nominal(write_jsonl(tmp_path / "n.jsonl",
                                                                     rows)))
    snap = open_snapshot(tmp_path)
    # A name alone (0.94) stays under POSSIBLE_MATCH; an exact date of birth (+0.06) lifts it.
    settings = Settings().with_overrides(possible_match_threshold=0.96, hit_threshold=0.99,
                                         name_max_candidates=5, name_rerank_limit=5)
    engine = Engine(snap, settings)
    case = Case("q", "positive", "case", "benign", "T-33", "test",
                Query("TURAY", "Chibuike"), rows[33]["dates_of_birth"][0])
    ids = snap.records["record_id"].to_pylist()
    out = candidates.measure(snap.name_index, ids, [case], 0.75, 5, 1, 1.0,
                             engine.name_floor, engine)
    # Every namesake reaches the floor by name, and the search from it keeps the engine's
    # 5 best, which do not include the one born that day.
    assert out.floor_all_checked == 40
    [found] = snap.name_index.search(["TURAY Chibuike"], limit=5, min_score=engine.name_floor,
                                     max_candidates=5)
    assert len(found) == 5 and 33 not in {m.record_idx for m in found}
    assert out.engine_queries == 1
    assert (out.engine_checked, out.engine_found, out.engine_missed) == (1, 1, [])
    # Without the date-of-birth pass (a passenger the search alone serves) the record is lost.
    no_dob = Case("q", "positive", "case", "benign", "T-33", "test",
                  Query("TURAY", "Chibuike"), "")
    out = candidates.measure(snap.name_index, ids, [no_dob], 0.75, 5, 1, 1.0,
                             engine.name_floor, engine)
    assert out.engine_queries == 0 and out.engine_checked == 0
