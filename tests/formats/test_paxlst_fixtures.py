"""PAXLST behaviour on small hand-written messages (runs without shared data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.formats.edifact import EdifactError, tokenize
from screening.formats.paxlst import PaxlstError, parse_paxlst

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 1, 1)

BASIC = (
    "UNA:+.? '"
    "UNB+UNOA:4+AIR:ZZ+GOV:ZZ+260101:1200+1'"
    "UNH+M1+PAXLST:D:05B:UN:IATA'"
    "BGM+745'"
    "TDT+20+ZZ12+++ZZ'LOC+125+AMS'DTM+189:2601021000:201'LOC+87+JFK'DTM+232:2601021300:201'"
    "NAD+FL+++O?'BRIEN:SEAN?+PAT'ATT+2++M'DTM+329:250101'NAT+2+IRL'RFF+ABO:R1'"
    "DOC+P+X1'DTM+36:400101'LOC+91+IRL'"
    "NAD+FL+++BAD:DATE'DTM+329:991399'RFF+ABO:R2'"
    "NAD+FL+++LAST:ONE'DTM+329:010101'RFF+ABO:R3'"
    "CNT+42:4'UNT+23+M1'UNZ+1+1'"
)


def test_release_character_and_two_digit_years():
    m = parse_paxlst(BASIC, today=TODAY)
    sean = m.persons[0].passenger
    assert sean.surname == "O'BRIEN" and sean.given_names == "SEAN+PAT"
    assert sean.date_of_birth == "2025-01-01"  # already past on 2026-01-01
    assert sean.document.expiry == "2040-01-01"
    assert m.persons[2].passenger.date_of_birth == "2001-01-01"


def test_birth_year_never_in_future():
    m = parse_paxlst(BASIC.replace("DTM+329:250101", "DTM+329:300101"), today=TODAY)
    assert m.persons[0].passenger.date_of_birth == "1930-01-01"


def test_broken_person_reported_and_others_parsed():
    m = parse_paxlst(BASIC, today=TODAY)
    assert [p.passenger.ref for p in m.persons] == ["R1", "R2", "R3"]
    [err] = m.errors
    assert err.tag == "DTM" and "991399" in err.message
    assert tokenize(BASIC).segments[err.segment_index - 1].tag == "DTM"
    assert m.persons[1].issues == [err]
    assert m.persons[1].passenger.date_of_birth == ""


def test_cnt_mismatch_is_a_warning():
    m = parse_paxlst(BASIC, today=TODAY)
    assert m.declared_count == 4
    [w] = [w for w in m.warnings if w.tag == "CNT"]
    assert "4" in w.message and "3 present" in w.message


def test_custom_una_separators():
    text = (BASIC.replace("UNA:+.? '", "UNA!*,/ #").replace("+", "*").replace(":", "!")
            .replace("'", "#").replace("?#", "/#").replace("?*", "/*"))
    m = parse_paxlst(text, today=TODAY)
    assert len(m.persons) == 3
    assert m.persons[0].passenger.surname == "O#BRIEN"
    assert m.flight_legs[0].departure_airport == "AMS"


def test_multipart_reassembled_in_part_order():
    m = parse_paxlst((FIXTURES / "multipart.edi").read_bytes(), today=TODAY)
    assert [p.passenger.surname for p in m.persons] == ["FIRST", "SECOND", "THIRD"]
    assert m.parts == ["02", "01", "03"]
    assert len(m.flight_legs) == 1  # repeated in every part, kept once
    assert m.declared_count == 3
    assert not [w for w in m.warnings if "part" in w.message]
    assert not [w for w in m.warnings if w.tag == "CNT"]


def test_missing_part_warned():
    text = (FIXTURES / "multipart.edi").read_text()
    start = text.index("UNH+MP2")
    text = text[:start] + text[text.index("UNH+MP1"):]
    m = parse_paxlst(text, today=TODAY)
    assert any("[2] missing" in w.message for w in m.warnings)


def test_not_paxlst_raises_with_location():
    with pytest.raises(PaxlstError) as exc:
        parse_paxlst("UNB+UNOA:4+A+B+260101:1200+1'UNH+1+CUSRES:D:05B:UN:IATA'UNT+2+1'")
    assert exc.value.segment_index == 2 and exc.value.tag == "UNH"
    with pytest.raises(PaxlstError):
        parse_paxlst(b"")
    with pytest.raises(PaxlstError):
        parse_paxlst("hello world")


def test_bad_una_is_an_edifact_error():
    with pytest.raises(EdifactError) as exc:
        parse_paxlst("UNA:+")
    assert exc.value.tag == "UNA"


def test_crew_list_from_bgm_250():
    m = parse_paxlst(BASIC.replace("BGM+745", "BGM+250").replace("NAD+FL", "NAD+FM"))
    assert m.list_type == "crew"
    assert {p.role for p in m.persons} == {"FM"}


# -- Hypothesis: nothing but PaxlstError escapes, every issue names its location ---------

SEGMENT_POOL = [
    "UNB+UNOA:4+A+B+260101:1200+1", "UNH+M1+PAXLST:D:05B:UN:IATA", "UNH+M2+PAXLST+X+02:F",
    "BGM+745", "BGM+250", "BGM+", "TDT+20+AB123+++AB", "TDT+20", "LOC+125+AMS", "LOC+92+",
    "LOC+87+JFK", "DTM+189:2601021000:201", "DTM+232:xx", "DTM+329:7X0101", "DTM+329:²²0101",
    "DTM+36:991231", "NAD+FL+++A:B", "NAD+FM", "NAD+ZZ+++Q", "ATT+2++Q", "ATT+2++F",
    "NAT+2+1", "RFF+ABO", "RFF+ABO:X", "DOC+P+1", "DOC", "LOC+91+GBR", "LOC+180+:::Here",
    "CNT+42:x", "CNT+42:²", "CNT+41+3", "UNT+²+M1", "UNT+5+M1", "UNZ+1+1", "?", "UNA",
]


def _check(data):
    try:
        m = parse_paxlst(data, today=TODAY)
    except PaxlstError as exc:
        assert isinstance(exc.segment_index, int) and isinstance(exc.tag, str)
        return
    for issue in m.warnings + m.errors:
        assert isinstance(issue.segment_index, int) and issue.segment_index >= 0
        assert "internal error" not in issue.message
    for issue in m.errors:
        assert issue.segment_index > 0 and issue.tag


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SEGMENT_POOL), max_size=30), st.sampled_from(["", "UNA:+.? '"]))
def test_random_segment_sequences(segments, una):
    _check(una + "'".join(segments) + "'")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_message(data):
    raw = bytearray(BASIC.encode())
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["replace", "delete", "insert"]))
        byte = data.draw(st.sampled_from(list(b"'+:?*UNAH0123\x87\xff\n ")))
        if action == "replace":
            raw[pos] = byte
        elif action == "delete":
            del raw[pos]
        else:
            raw.insert(pos, byte)
    _check(bytes(raw))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_input(data):
    _check(data)
