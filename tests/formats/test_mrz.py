"""MRZ: ICAO Doc 9303 specimens, generated zones, wrong digits, fuzzing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.formats.mrz import MrzError, check_digit, parse_mrz

TODAY = date(2026, 1, 1)
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
MRVA = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<")
MRVB = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<"


@pytest.mark.parametrize("zone,fmt", [(TD3, "TD3"), (TD1, "TD1"), (TD2, "TD2"),
                                      (MRVA, "MRVA"), (MRVB, "MRVB")])
def test_icao_specimens_valid(zone, fmt):
    r = parse_mrz(zone, today=TODAY)
    assert r.format == fmt
    assert r.valid and all(r.checks.values()), r.checks
    assert (r.surname, r.given_names, r.issuing_state) == ("ERIKSSON", "ANNA MARIA", "UTO")
    assert not r.name_truncated


def test_td3_fields_and_passenger():
    r = parse_mrz(TD3, today=TODAY)
    assert (r.document_code, r.document_number, r.nationality) == ("P", "L898902C3", "UTO")
    assert (r.date_of_birth, r.sex, r.expiry, r.optional_data) == (
        "1974-08-12", "F", "2012-04-15", "ZE184226B")
    assert set(r.checks) == {"document_number", "date_of_birth", "expiry", "optional",
                             "composite"}
    p = r.to_passenger("ref-1")
    assert (p.ref, p.surname, p.document.number, p.document.issuing_country) == (
        "ref-1", "ERIKSSON", "L898902C3", "UTO")
    assert p.mrz.splitlines()[1] == TD3.splitlines()[1]


def test_mrv_expiry_century():
    assert parse_mrz(MRVA, today=TODAY).expiry == "1996-12-10"  # 2096 is too far ahead
    assert parse_mrz(MRVA, today=TODAY).date_of_birth == "1940-09-07"


def test_wrong_digits_flagged_not_raised():
    line2 = TD3.splitlines()[1]
    bad = line2[:9] + "7" + line2[10:]  # document number check 6 -> 7
    r = parse_mrz(TD3.splitlines()[0] + "\n" + bad, today=TODAY)
    assert not r.valid
    assert r.checks["document_number"] is False and r.checks["composite"] is False
    assert r.checks["date_of_birth"] is True


def test_td1_long_document_number():
    number = "D23145890734"
    line1 = f"I<UTO{number[:9]}<{number[9:]}{check_digit(number)}<"
    line1 = line1.ljust(30, "<")
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    zone = "\n".join([line1, line2 + composite, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"])
    r = parse_mrz(zone, today=TODAY)
    assert r.document_number == number
    assert r.valid, r.checks


def test_truncated_name():
    line1 = "P<UTO" + "VERYLONGSURNAMEFORTESTING<<GIVENNAMESTHATGOON"[:39]
    r = parse_mrz(line1 + "\n" + TD3.splitlines()[1], today=TODAY)
    assert r.name_truncated


@pytest.mark.parametrize("text,line,column", [
    ("", 0, 0),
    ("HELLO", 1, 0),
    ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F12041", 2, 0),
    ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<1a",
     2, 44),
])
def test_not_an_mrz(text, line, column):
    with pytest.raises(MrzError) as exc:
        parse_mrz(text)
    assert (exc.value.line, exc.value.column) == (line, column)


# -- generated zones ------------------------------------------------------------------

def make_td3(surname, given, number, nat, dob, sex, expiry, personal=""):
    """A TD3 zone with correct check digits (helper used by the property tests)."""
    name = (surname + "<<" + "<".join(given.split())).ljust(39, "<")[:39]
    num = number.ljust(9, "<")
    pers = personal.ljust(14, "<")
    pers_cd = check_digit(pers) if personal else "<"
    body = (num + check_digit(num) + nat + dob + check_digit(dob) + sex + expiry
            + check_digit(expiry) + pers + pers_cd)
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return f"P<{nat}{name}\n{body}{composite}"


ALNUM = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=9)
LETTERS = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)
YYMMDD = st.dates(date(1930, 1, 1), date(2029, 12, 28)).map(lambda d: d.strftime("%y%m%d"))


@settings(max_examples=200, deadline=None)
@given(LETTERS, LETTERS, ALNUM, st.sampled_from(["UTO", "DEU", "FRA"]), YYMMDD,
       st.sampled_from("MF<"), YYMMDD, st.text("0123456789", max_size=14))
def test_generated_zones_valid(surname, given_name, number, nat, dob, sex, expiry, personal):
    r = parse_mrz(make_td3(surname, given_name, number, nat, dob, sex, expiry, personal),
                  today=TODAY)
    assert r.valid, r.checks
    assert r.document_number == number and r.surname == surname
    assert r.sex == {"<": "X"}.get(sex, sex)


@settings(max_examples=200, deadline=None)
@given(ALNUM, YYMMDD, YYMMDD, st.integers(44, 87), st.sampled_from("0123456789"))
def test_single_wrong_digit_detected(number, dob, expiry, pos, digit):
    zone = make_td3("DOE", "JOHN", number, "UTO", dob, "M", expiry)
    line1, line2 = zone.split("\n")
    i = pos - 44
    if line2[i] == digit or not line2[i].isdigit():
        return
    mutated = line2[:i] + digit + line2[i + 1 :]
    r = parse_mrz(line1 + "\n" + mutated, today=TODAY)
    assert not r.valid


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCXYZ0189<\n x", max_size=140))
def test_fuzz_only_mrz_error(text):
    try:
        r = parse_mrz(text, today=TODAY)
    except MrzError as exc:
        assert exc.line >= 0 and exc.column >= 0
        return
    assert isinstance(r.valid, bool)
