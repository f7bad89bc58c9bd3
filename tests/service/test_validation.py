from __future__ import annotations

import pytest

from screening.domain import Passenger, TravelDocument
from screening.errors import InvalidArgument
from screening.validation import parse_partial_date, validate_passenger


@pytest.mark.parametrize("value,expected", [
    ("1970", (1970, 0, 0)), ("1970-05", (1970, 5, 0)), ("1970-05-12", (1970, 5, 12)),
    ("1970-00-00", (1970, 0, 0)), ("1970-XX-XX", (1970, 0, 0)), ("1970-05-xx", (1970, 5, 0)),
    ("2000-02-29", (2000, 2, 29)),
])
def test_partial_dates(value, expected):
    assert parse_partial_date(value, field="d") == expected


@pytest.mark.parametrize("value", ["70", "1970-5", "1970/05/12", "1970-13", "1900-02-29",
                                   "1970-04-31", "abcd", "1970-05-12T00:00", "0999"])
def test_bad_dates_name_the_field(value):
    with pytest.raises(InvalidArgument) as err:
        parse_partial_date(value, field="date_of_birth")
    assert err.value.field == "date_of_birth"


def test_cleans_and_upper_cases_codes():
    p = validate_passenger(Passenger(surname=" Doe ", sex="f", nationality="fra",
                                     document=TravelDocument(number=" X1 ", issuing_country="d<<",
                                                             type="p")))
    assert (p.surname, p.sex, p.nationality) == ("Doe", "F", "FRA")
    assert (p.document.number, p.document.issuing_country, p.document.type) == ("X1", "DEU", "P")


SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def test_document_alone_or_mrz_alone_is_enough():
    validate_passenger(Passenger(document=TravelDocument(number="X1")))
    p = validate_passenger(Passenger(mrz=SPECIMEN))
    assert (p.surname, p.given_names, p.date_of_birth, p.sex) == (
        "ERIKSSON", "ANNA MARIA", "1974-08-12", "F")
    assert (p.document.number, p.document.issuing_country, p.document.type) == (
        "L898902C3", "UTO", "P")
    assert p.mrz_flags == ()


def test_typed_fields_win_over_the_mrz_and_bad_digits_are_flagged():
    p = validate_passenger(Passenger(surname="ERIKSON", given_names="ANNA",
                                     mrz=SPECIMEN.replace("L898902C36", "L898902C35")))
    assert (p.surname, p.given_names) == ("ERIKSON", "ANNA")
    assert "document_number" in p.mrz_flags


def test_text_that_is_not_an_mrz_names_the_field():
    with pytest.raises(InvalidArgument) as err:
        validate_passenger(Passenger(surname="X", mrz="P<UTOERIKSSON<<ANNA"))
    assert err.value.field == "mrz"


@pytest.mark.parametrize("char", [chr(c) for c in range(32) if c != 9])
@pytest.mark.parametrize("field", ["surname", "given_names", "full_name"])
def test_control_characters_are_refused(char, field):
    with pytest.raises(InvalidArgument) as err:
        validate_passenger(Passenger(**{field: f"DO{char}E"}))
    assert err.value.field == field


def test_tabs_and_other_unusual_characters_pass():
    for text in ("DO\tE", "DO\x7fE", "ÐOË", "DO\u200bE"):
        assert validate_passenger(Passenger(surname=text)).surname == text
