"""The engine searches names from the lowest score that can still end above CLEAR, and explains
only the matches that can end above it: the same decisions and scores as searching from
name_min_score and explaining everything, for less work."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from indexes.name_index import patronymic_position
from indexes.snapshot import build_snapshot, open_snapshot
from screening import evidence, loader
from screening.domain import Decision, Passenger, TravelDocument
from screening.engine import Engine, name_floor
from screening.settings import Settings
from tests.fixtures import NOMINAL, build_fixture_data, write_jsonl


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("floor")
    build_fixture_data(path)
    return open_snapshot(path)


def _wanted(record_id: str, surname: str, given_names: str, dates_of_birth: list[str],
            nationality: str = "SLE") -> dict:
    """A listed wanted person as the nominal loader reads it."""
    return {"record_id": record_id, "list": "interpol-red", "category": "wanted",
            "names": [{"surname": surname, "given_names": given_names}],
            "dates_of_birth": dates_of_birth, "sex": "M", "nationalities": [nationality],
            "documents": [], "owner": nationality, "status": "active"}


def _snapshot_of(tmp_path, rows: list[dict]):
    """A snapshot of just these listed persons."""
    build_snapshot(tmp_path, nominal=loader.read_nominal(write_jsonl(tmp_path / "n.jsonl", rows)))
    return open_snapshot(tmp_path)


def _word_source(seed: int) -> Callable[[], str]:
    """Made-up 8-letter names (consonant, vowel), the same sequence for the same seed: list
    filler that no test name resembles."""
    rnd = random.Random(seed)

    def word() -> str:
        return "".join(rnd.choice("BCDFGKLMNPRSTVZ") + rnd.choice("AEIOU") for _ in range(4))

    return word


def _mutations(name: str, rnd: random.Random) -> list[str]:
    """Near and far versions of a listed name: typos, dropped and swapped tokens."""
    tokens = name.split()
    out = [name, " ".join(reversed(tokens)), tokens[-1]]
    for _ in range(4):
        t = list(name)
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(len(t))
            t[i] = rnd.choice("AEIOUXKQ")
        out.append("".join(t))
    return out


def _passengers() -> list[Passenger]:
    rnd = random.Random(7)
    out = []
    for rec in NOMINAL[:40]:
        for n in rec["names"]:
            name = n.get("full_name") or f"{n['surname']} {n['given_names']}"
            for k, variant in enumerate(_mutations(name, rnd)):
                dob = rec["dates_of_birth"][0] if k % 2 == 0 else ""
                out.append(Passenger(ref=f"p{len(out)}", full_name=variant, date_of_birth=dob,
                                     sex=rec["sex"] if k % 3 == 0 else "",
                                     nationality=rec["nationalities"][0] if k % 2 else ""))
    return out


def _summary(results) -> list[tuple]:
    return [(r.decision, [(m.record_id, m.score, m.decision) for m in r.matches])
            for r in results]


def test_the_floor_is_where_the_best_evidence_still_reaches_possible_match() -> None:
    s = Settings()
    floor = name_floor(s)
    best = evidence.NAME_WEIGHT * floor + evidence.MAX_EVIDENCE_GAIN
    assert s.name_min_score < floor and best == pytest.approx(s.possible_match_threshold,
                                                             abs=2e-4)
    # Never below the configured floor (the quality benchmark reports down to it).
    low = s.with_overrides(possible_match_threshold=s.name_min_score)
    assert name_floor(low) == low.name_min_score


def test_searching_from_the_floor_and_explaining_less_change_no_decision_or_score(snapshot) -> None:
    engine = Engine(snapshot, Settings())
    full = Engine(snapshot, Settings())
    full.name_floor = full.settings.name_min_score
    full.clear_below = float("-inf")
    passengers = _passengers()
    got, want = engine.screen(passengers), full.screen(passengers)
    assert _summary(got) == _summary(want)
    # The comparison has teeth: matches of every decision, and names scoring between the
    # reporting floor and the search floor exist (searched by `full` only, then cleared).
    decisions = {m.decision for r in want for m in r.matches}
    assert {Decision.HIT, Decision.POSSIBLE_MATCH} <= decisions
    names = [p.full_name for p in passengers]
    below = [m for ms in snapshot.name_index.search(names, min_score=0.75) for m in ms
             if m.score < engine.name_floor]
    assert below


def test_a_document_on_record_weighs_the_name_however_low_it_scores(snapshot) -> None:
    engine = Engine(snapshot, Settings())
    doc = TravelDocument(number="AB1234567", issuing_country="UZB", type="P")
    [far] = engine.screen([Passenger(ref="a", full_name="KARIMOVA Zulfiya", document=doc)])
    [match] = [m for m in far.matches if m.record_id == "N-1"]
    assert match.decision == Decision.HIT
    assert any(d.field == "document.number" and d.method == "on_record" for d in match.details)
    assert any(d.field == "name" for d in match.details)  # the name is explained, not dropped
    assert snapshot.name_index.match_record("KARIMOVA Zulfiya", 0) is not None
    assert snapshot.name_index.match_record("", 0) is None
    assert snapshot.name_index.match_record("KARIMOV", 10**9) is None


def test_the_namesake_born_that_day_is_found_in_a_crowd(tmp_path) -> None:
    """80 listed TURAY CHIBUIKE, born on different days: the name search fills up with
    namesakes (limit 10 here), and the one born on the passenger's date of birth must still be
    weighed (found by date of birth, then scored by name) and come first."""
    rows = [_wanted(f"T-{i}", "TURAY", "Chibuike", [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 10}"])
            for i in range(80)]
    snap = _snapshot_of(tmp_path, rows)
    settings = Settings().with_overrides(name_rerank_limit=10, max_matches=5)
    engine = Engine(snap, settings)
    born = rows[72]["dates_of_birth"][0]  # 1982-01-12
    passenger = Passenger(ref="t", full_name="TURAY Chibuike", date_of_birth=born)
    [result] = engine.screen([passenger])
    assert result.matches[0].record_id == "T-72"
    assert result.matches[0].decision == Decision.HIT
    # The date of birth adds the one born that day to the 10 namesakes, nobody else.
    assert len(engine.person_candidates([passenger])[0]) == 11
    # Day and month swapped (1982-12-01) still meets it.
    swapped = Passenger(ref="s", full_name="TURAY Chibuike", date_of_birth="1982-12-01")
    assert 72 in engine.person_candidates([swapped])[0]
    # Room for every namesake: all 80 weighed, by name alone.
    roomy = Engine(snap, Settings().with_overrides(name_rerank_limit=100))
    assert len(roomy.person_candidates([passenger])[0]) == 80


def test_a_cut_never_splits_namesakes_that_score_the_same(tmp_path) -> None:
    """20 listed TURAY Chibuike and a passenger giving only that name: all score the same,
    and the answer keeps every one of them past max_matches (up to name_rerank_limit)
    rather than an arbitrary 5; a lower-scoring match after the tie is still cut."""
    rows = [_wanted(f"T-{i:02d}", "TURAY", "Chibuike", []) for i in range(20)]
    rows.append(_wanted("U-00", "TURAY", "Chibuiken", []))
    snap = _snapshot_of(tmp_path, rows)
    base = Settings().with_overrides(max_matches=5, possible_match_threshold=0.6,
                                     name_min_score=0.6)
    passenger = Passenger(ref="t", full_name="TURAY Chibuike")
    [result] = Engine(snap, base).screen([passenger])
    assert sorted(m.record_id for m in result.matches) == [f"T-{i:02d}" for i in range(20)]
    assert len({m.score for m in result.matches}) == 1
    # The cap: name_rerank_limit matches at most, ties or not.
    capped = base.with_overrides(name_rerank_limit=12)
    [result] = Engine(snap, capped).screen([passenger])
    assert len(result.matches) == 12
    # No tie at the cut: max_matches as before.
    [result] = Engine(snap, base.with_overrides(max_matches=21)).screen(
        [passenger])
    assert len(result.matches) == 21 and result.matches[-1].record_id == "U-00"
    [result] = Engine(snap, base.with_overrides(max_matches=20)).screen(
        [passenger])
    assert len(result.matches) == 20 and "U-00" not in {m.record_id for m in result.matches}


def test_a_listed_name_the_passenger_leaves_out_costs_more_without_corroboration(snapshot
                                                                                 ) -> None:
    # MÜLLER Anna Lena is listed; the passenger gives MUELLER Anna. Born on the listed date,
    # the left-out LENA costs what the name index charges; on the name alone it costs
    # NAME_ONLY_RECORD_TOKEN_COST of its weight, and the explanation says so.
    engine = Engine(snapshot, Settings().with_overrides(possible_match_threshold=0.5,
                                                        name_min_score=0.5))
    with_dob, alone = engine.screen([
        Passenger(ref="a", surname="MUELLER", given_names="Anna", date_of_birth="2004-02-29"),
        Passenger(ref="b", surname="MUELLER", given_names="Anna")])
    m_dob = next(m for m in with_dob.matches if m.record_id == "N-2")
    m_alone = next(m for m in alone.matches if m.record_id == "N-2")
    nm = engine.snapshot.name_index.search(["MUELLER Anna"], min_score=0.5)[0][0]
    assert nm.record_left == 1.0 and [p.record_token for p in nm.pairs if not p.query_token] == [
        "LENA"]
    assert m_dob.score == pytest.approx(round(evidence.NAME_WEIGHT * nm.score
                                              + evidence.DOB_EXACT, 4))
    # On this small list MUELLER ANNA is not rare enough to leave LENA costing what a
    # corroborated match pays: more than that, less than the full name-only cost.
    cost = evidence.name_only_record_token_cost(
        nm.chance_bearers, nm.rarest_df, len(engine.snapshot.name_index), 0.1)
    assert 0.2 < cost <= evidence.NAME_ONLY_RECORD_TOKEN_COST
    expected = evidence.NAME_WEIGHT * nm.with_record_token_cost(cost)
    assert expected < evidence.NAME_WEIGHT * nm.score - 0.05
    assert m_alone.score == pytest.approx(round(min(expected, evidence.COMMON_NAME_CAP), 4))
    [detail] = [d for d in m_alone.details if d.field == "name_incomplete"]
    assert detail.record_value == "LENA" and detail.weight < 0
    assert not [d for d in m_dob.details if d.field == "name_incomplete"]


def test_a_left_out_name_costs_less_when_the_names_given_are_rare(tmp_path) -> None:
    """The passenger gives three of a listed person's four names. Names nobody else on the
    list is expected to bear by chance (fewer than 2**-13 entries) leave the fourth costing
    what a corroborated match pays; two common names (GARCIA MARIA, borne by many listed
    persons) still pay the full name-only cost."""
    word = _word_source(3)

    rows = [_wanted(f"F-{i}", word(), f"{word()} {word()}", ["1980-01-01"]) for i in range(400)]
    rows += [_wanted(f"G-{i}", "GARCIA", f"Maria {word()}", ["1981-01-01"]) for i in range(40)]
    rows += [_wanted("K-1", "KHACHATUROV", "Tigran Garik Armen", ["1970-01-01"]),
             _wanted("M-1", "GARCIA LOPEZ", "Maria", ["1972-01-01"])]
    engine = Engine(_snapshot_of(tmp_path, rows), Settings().with_overrides(
        possible_match_threshold=0.5, name_min_score=0.5))
    rare, common = engine.screen([
        Passenger(ref="r", surname="KHACHATUROV", given_names="Tigran Garik"),
        Passenger(ref="c", surname="GARCIA", given_names="Maria")])
    index = engine.snapshot.name_index
    nm_rare = index.match_record("KHACHATUROV Tigran Garik", rows.index(rows[-2]))
    nm_common = index.match_record("GARCIA Maria", len(rows) - 1)
    assert nm_rare.record_left > 0 and nm_common.record_left > 0
    assert nm_rare.chance_bearers < 2.0 ** -evidence.RARE_GIVEN_BITS[1]
    assert nm_common.chance_bearers > 2.0 ** -evidence.RARE_GIVEN_BITS[0]

    m_rare = next(m for m in rare.matches if m.record_id == "K-1")
    assert m_rare.score == pytest.approx(round(evidence.NAME_WEIGHT * nm_rare.score, 4))
    assert not [d for d in m_rare.details if d.field == "name_incomplete"]
    m_common = next(m for m in common.matches if m.record_id == "M-1")
    assert m_common.score < round(evidence.NAME_WEIGHT * nm_common.score, 4) - 0.05
    [detail] = [d for d in m_common.details if d.field == "name_incomplete"]
    assert detail.record_value == "LOPEZ" and detail.weight < 0


def test_two_listed_bearers_of_a_rare_name_are_both_for_review(tmp_path) -> None:
    """LORENZANA Waldemar Eliu for the listed LORENZANA CORDON and LORENZANA LIMA of that name
    (a father and a son): the left-out surname costs what a corroborated match pays against
    both, so both are possible matches. With more than LISTED_BEARERS_MAX other listed bearers
    the name is one in its own right, and the left-out name costs the full name-only cost."""
    word = _word_source(5)

    filler = [_wanted(f"F-{i}", word(), f"{word()} {word()}", ["1980-01-01"])
              for i in range(400)]
    family = [_wanted("L-1", "LORENZANA CORDON", "Waldemar Eliu", ["1965-04-25"]),
              _wanted("L-2", "LORENZANA LIMA", "Waldemar Eliu", ["1940-02-19"])]
    third = [_wanted("L-3", "LORENZANA PAZ", "Waldemar Eliu", ["1990-01-01"])]
    settings = Settings().with_overrides(possible_match_threshold=0.5, name_min_score=0.5)
    passenger = Passenger(ref="p", surname="LORENZANA", given_names="Waldemar Eliu")
    assert evidence.LISTED_BEARERS_MAX == 1
    for rows, discounted in ((filler + family, True), (filler + family + third, False)):
        (tmp_path / str(len(rows))).mkdir()
        engine = Engine(_snapshot_of(tmp_path / str(len(rows)), rows), settings)
        [result] = engine.screen([passenger])
        by_id = {m.record_id: m for m in result.matches}
        for rid in ("L-1", "L-2"):
            nm = engine.snapshot.name_index.match_record(
                "LORENZANA Waldemar Eliu", [r["record_id"] for r in rows].index(rid))
            assert nm.record_left > 0
            assert nm.chance_bearers < 2.0 ** -evidence.RARE_GIVEN_BITS[1]
            incomplete = [d for d in by_id[rid].details if d.field == "name_incomplete"]
            if discounted:
                # Two namesakes: capped below HIT, as any ambiguous name alone.
                assert by_id[rid].score == pytest.approx(
                    round(min(evidence.NAME_WEIGHT * nm.score, evidence.COMMON_NAME_CAP), 4))
                assert by_id[rid].decision == Decision.POSSIBLE_MATCH
                assert not incomplete
            else:
                assert by_id[rid].score < round(evidence.NAME_WEIGHT * nm.score, 4) - 0.05
                assert [d.record_value for d in incomplete] == [
                    {"L-1": "CORDON", "L-2": "LIMA"}[rid]]


def test_a_left_out_patronymic_costs_what_a_corroborated_name_costs(tmp_path) -> None:
    """Russian passports print no patronymic: IVANOV Petr for IVANOV Petr Sergeyevich (a
    common name on this list) pays only the name index's cost for the patronymic, where the
    same name missing an ordinary middle name pays the name-only cost. A surname shaped like a
    patronymic (ABRAMOVICH, first) is not one, and two such tokens leave no discount."""
    rows = [_wanted(f"I-{i}", "IVANOV", f"Petr {x}", ["1980-01-01"])
            for i, x in enumerate(("Nikolai", "Boris", "Gleb", "Yuri", "Oleg", "Ilya"))]
    rows += [_wanted("P-1", "IVANOV", "Petr Sergeyevich", ["1970-01-01"]),
             _wanted("P-2", "IVANOV", "Petr Markus", ["1971-01-01"]),
             _wanted("P-3", "ABRAMOVICH", "Roman Arkadyevich", ["1966-10-24"]),
             _wanted("P-4", "Petr Sergeyevich SIDOROVICH", "", ["1972-01-01"])]
    engine = Engine(_snapshot_of(tmp_path, rows), Settings().with_overrides(
        possible_match_threshold=0.5, name_min_score=0.5))
    index = engine.snapshot.name_index
    [result] = engine.screen([Passenger(ref="p", surname="IVANOV", given_names="Petr")])
    by_id = {m.record_id: m for m in result.matches}
    nm_pat = index.match_record("IVANOV Petr", rows.index(rows[-4]))
    nm_mid = index.match_record("IVANOV Petr", rows.index(rows[-3]))
    assert [(p.record_token, p.method) for p in nm_pat.pairs if not p.query_token] == [
        ("SERGEYEVICH", "patronymic")]
    assert nm_pat.record_left == 0.0 and nm_mid.record_left > 0.0
    assert nm_pat.score == pytest.approx(nm_mid.score)
    pat, mid = by_id["P-1"], by_id["P-2"]
    assert not [d for d in pat.details if d.field == "name_incomplete"]
    assert pat.score == pytest.approx(round(min(evidence.NAME_WEIGHT * nm_pat.score,
                                                evidence.COMMON_NAME_CAP), 4))
    assert mid.score < pat.score - 0.05
    # ABRAMOVICH is the surname: leaving it out is leaving out the surname.
    nm_sur = index.match_record("Roman Arkadyevich", rows.index(rows[-2]))
    assert [p.method for p in nm_sur.pairs if not p.query_token] == ["missing"]
    nm_two = index.match_record("Petr SIDOROVICH", len(rows) - 1)
    assert [p.method for p in nm_two.pairs if not p.query_token] == ["missing"]


def test_patronymic_position() -> None:
    pos = patronymic_position
    assert pos(["DERIPASKA", "OLEG", "VLADIMIROVICH"]) == 2
    assert pos(["KOSTENKO", "NATALYA", "VASILYEVNA"]) == 2
    assert pos(["OLIYNYK", "VOLODYMYR", "MYKOLAYOVYCH"]) == 2
    assert pos(["SHEVCHENKO", "OKSANA", "PETRIVNA"]) == 2
    assert pos(["ABRAMOVICH", "ROMAN"]) == -1  # two tokens: no patronymic to leave out
    assert pos(["ABRAMOVICH", "ROMAN", "ARKADYEVICH"]) == 2
    assert pos(["ROMAN", "ARKADYEVICH", "ABRAMOVICH"]) == -1  # which one is the surname?
    assert pos(["MILOSEVIC", "SLOBODAN", "PETAR"]) == -1  # -OVIC/-EVIC: a surname
    assert pos(["GARCIA", "LOPEZ", "MARIA"]) == -1


def test_name_only_record_token_cost_falls_with_rarity() -> None:
    def cost(bearers: float, rarest_df: int = 1, names: int = 1_000_000) -> float:
        return evidence.name_only_record_token_cost(bearers, rarest_df, names, 0.1)

    lo, hi = evidence.RARE_GIVEN_BITS
    assert cost(1.0) == cost(2.0 ** -lo) == evidence.NAME_ONLY_RECORD_TOKEN_COST
    assert cost(2.0 ** -hi) == pytest.approx(0.1) and cost(0.0) == pytest.approx(0.1)
    middle = cost(2.0 ** -((lo + hi) / 2))
    assert middle == pytest.approx((evidence.NAME_ONLY_RECORD_TOKEN_COST + 0.1) / 2)
    bits = [lo - 1 + k * 0.25 for k in range(20)]
    costs = [cost(2.0 ** -b) for b in bits]
    assert costs == sorted(costs, reverse=True)
    # However rare the names look together, none of them rare on the list: the full cost.
    min_df, share = evidence.RARE_TOKEN_DF
    common = int(share * 1_000_000) + 1
    assert cost(0.0, common) == cost(0.0, 0) == evidence.NAME_ONLY_RECORD_TOKEN_COST
    assert cost(0.0, common - 1) == pytest.approx(0.1)
    assert cost(0.0, min_df, names=10) == pytest.approx(0.1)  # a small list: a few bearers


def test_a_left_out_name_costs_the_full_price_when_others_bear_the_names_given(tmp_path
                                                                             ) -> None:
    """TABAREZ Franco for TABAREZ MARTINEZ Franco: TABAREZ is a name the list barely knows,
    and the left-out MARTINEZ costs little. Once more than LISTED_BEARERS_MAX other listed
    names hold TABAREZ and FRANCO too (TABAREZ LOPEZ Franco, TABAREZ PAZ Franco), the
    passenger's name is no longer this record's alone: the full name-only cost. The same
    person listed twice under one name (two lists) is no such namesake."""
    word = _word_source(5)

    # Enough names that TABAREZ FRANCO, borne by two entries, is still past RARE_GIVEN_BITS.
    rows = [_wanted(f"F-{i}", word(), f"{word()} {word()}", ["1980-01-01"]) for i in range(2500)]
    listed = _wanted("T-1", "TABAREZ MARTINEZ", "Franco", ["1970-01-01"])
    twice = _wanted("T-2", "TABAREZ MARTINEZ", "Franco", ["1970-01-01"])
    others = [_wanted("T-3", "TABAREZ LOPEZ", "Franco", ["1975-01-01"]),
              _wanted("T-4", "TABAREZ PAZ", "Franco", ["1976-01-01"])]
    assert len(others) == evidence.LISTED_BEARERS_MAX + 1
    settings = Settings().with_overrides(possible_match_threshold=0.5, name_min_score=0.5)
    passenger = Passenger(ref="p", surname="TABAREZ", given_names="Franco")

    def score(extra: list[dict], folder: str) -> float:
        (tmp_path / folder).mkdir()
        engine = Engine(_snapshot_of(tmp_path / folder, rows + extra), settings)
        [result] = engine.screen([passenger])
        match = next(m for m in result.matches if m.record_id == "T-1")
        assert match.score < 1.0
        return match.score

    alone, listed_twice, with_namesake = (score([listed], "a"), score([listed, twice], "b"),
                                          score([listed, *others], "c"))
    assert alone == listed_twice
    assert with_namesake < alone - 0.05


def test_listed_names_an_mrz_field_had_no_room_for_cost_nothing(tmp_path) -> None:
    """AL-GHAIB Seyyed Heshmatollah Hayat is listed; the passenger's TD1 MRZ name field (30
    characters) ends after HESHMATOLLAH. HAYAT could not be given: the name scores as if
    whole, the explanation says why, and the same name typed out (not filling a field)
    still pays for the listed name it leaves out."""
    row = _wanted("G-1", "AL-GHAIB", "Seyyed Heshmatollah Hayat", ["1970-01-01"], "IRN")
    engine = Engine(_snapshot_of(tmp_path, [row]), Settings().with_overrides(
        possible_match_threshold=0.6, name_min_score=0.6))
    mrz = "AL<GHAIB<<SEYYED<HESHMATOLLAH<HAYAT"[:30]
    cut, typed = engine.screen([Passenger(ref="m", full_name=mrz),
                                Passenger(ref="t", surname="AL-GHAIB",
                                          given_names="Seyyed Heshmatollah")])
    [m_cut], [m_typed] = cut.matches, typed.matches
    assert m_cut.score == pytest.approx(evidence.NAME_WEIGHT)  # as the whole listed name
    [detail] = [d for d in m_cut.details if d.field == "name_cut"]
    assert detail.record_value == "HAYAT" and detail.weight > 0
    assert not [d for d in m_cut.details if d.field == "name_incomplete"]
    assert m_typed.score < m_cut.score - 0.05
    assert [d.record_value for d in m_typed.details if d.field == "name_incomplete"] == ["HAYAT"]
    # The name index says which listed tokens the cut took: only those after the last token.
    nm = engine.snapshot.name_index.search([mrz], min_score=0.6)[0][0]
    assert nm.record_left == 0.0 and nm.record_cut > 0
    assert [p.record_token for p in nm.pairs if p.method == "cut"] == ["HAYAT"]
