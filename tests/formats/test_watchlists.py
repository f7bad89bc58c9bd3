"""Watchlist importers: OFAC legacy CSV, UN consolidated XML, INTERPOL-style notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.errors import DataError
from screening.formats.countries import alpha2_to_alpha3, country_alpha3
from screening.formats.watchlists import read_notices, read_ofac_sdn, read_un_consolidated
from screening.formats.watchlists.text_dates import parse_dob_text

FIXTURES = Path(__file__).parent / "fixtures"
RECORD_KEYS = {"record_id", "list", "category", "names", "dates_of_birth", "sex",
               "nationalities", "documents", "owner", "status", "place_of_birth"}


@pytest.mark.parametrize("name,code", [
    ("Russia", "RUS"), ("Iran", "IRN"), ("Korea, North", "PRK"), ("Burma", "MMR"),
    ("Syria", "SYR"), ("Congo, Democratic Republic of the", "COD"), ("Iraq.", "IRQ"),
    ("Iran (Islamic Republic of)", "IRN"), ("Türkiye", "TUR"), ("GB", "GBR"), ("DEU", "DEU"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"), ("Nowhere", None),
])
def test_country_names(name, code):
    assert country_alpha3(name) == code


@pytest.mark.parametrize("text,expected", [
    ("12 May 1970", ["1970-05-12"]), ("1970", ["1970"]), ("circa 1970", ["1970"]),
    ("1969 to 1971", ["1969", "1970", "1971"]), ("Mar 1964", ["1964-03"]),
    ("01 Jan 1960 to 31 Dec 1961", ["1960", "1961"]), ("sometime", None),
])
def test_dob_forms(text, expected):
    assert parse_dob_text(text) == expected


def test_ofac_small_fixture(tmp_path):
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes(
        b'36,"KARIMOV, Muhammad Yusuf","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b'"DOB 12 May 1970; alt. DOB 1971; POB Tashkent, Uzbekistan; nationality Uzbekistan; '
        b'Passport AB1234567 (Uzbekistan); Gender Male; a.k.a. \'YUSUF\'."\r\n'
        b'37,"SOME SHIP",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a')
    alt = tmp_path / "alt.csv"
    alt.write_bytes(b'36,1,"aka","KARIMOV, Yusuf",-0- \r\n999,2,"aka","GHOST",-0- \r\n')
    r = read_ofac_sdn(sdn, alt)
    [rec] = r.records
    assert set(rec) == RECORD_KEYS
    assert rec["record_id"] == "ofac-sdn-36" and rec["owner"] == "USA"
    assert rec["names"] == [{"surname": "KARIMOV", "given_names": "Muhammad Yusuf"},
                            {"full_name": "YUSUF"},
                            {"surname": "KARIMOV", "given_names": "Yusuf"}]
    assert rec["dates_of_birth"] == ["1970-05-12", "1971"]
    assert rec["sex"] == "M" and rec["nationalities"] == ["UZB"]
    assert rec["documents"] == [{"number": "AB1234567", "issuing_country": "UZB", "type": "P"}]
    assert rec["place_of_birth"] == "Tashkent, Uzbekistan"
    assert r.report.read == 2 and r.report.imported == 1
    assert r.report.skipped == {"not an individual": 1, "alias for an entity not in the SDN file": 1}
    assert "skipped 2" in str(r.report)


def test_ofac_real_file(shared_data):
    folder = shared_data / "watchlists" / "ofac"
    r = read_ofac_sdn(folder / "sdn_2024-05-03.csv", folder / "alt_2026-06-02.csv")
    assert r.report.read == 14965
    assert r.report.imported == len(r.records) == 6854
    assert r.report.skipped["alias for an entity not in the SDN file"] > 0
    assert "alias for an entity not in the SDN file" in str(r.report)
    by_id = {rec["record_id"]: rec for rec in r.records}
    nasrallah = by_id["ofac-sdn-2686"]
    assert nasrallah["names"][0] == {"surname": "NASRALLAH", "given_names": "Hasan"}
    assert nasrallah["dates_of_birth"] == ["1960-08-31", "1953-08-31", "1955-08-31",
                                           "1958-08-31"]
    assert nasrallah["documents"] == [{"number": "042833", "issuing_country": "LBN",
                                       "type": "P"}]
    assert nasrallah["sex"] == "M"
    assert nasrallah["place_of_birth"] == "Al Basuriyah, Lebanon"
    wong = by_id["ofac-sdn-9340"]
    assert {"number": "D489833(9)", "issuing_country": "HKG", "type": "I"} in wong["documents"]
    assert wong["nationalities"] == ["CHN", "KHM"]
    assert sum(1 for rec in r.records if rec["dates_of_birth"]) > 6000
    assert all(set(rec) == RECORD_KEYS for rec in r.records)


def test_un_real_file(shared_data):
    r = read_un_consolidated(shared_data / "watchlists" / "un" / "consolidated_2025-11-20.xml")
    assert r.report.read == r.report.imported == len(r.records) == 727
    by_id = {rec["record_id"]: rec for rec in r.records}
    saddam = by_id["un-sc-IQi.001"]
    assert {"full_name": "صدام حسين التكريتي"} in saddam["names"]
    assert saddam["dates_of_birth"] == ["1937-04-28"]  # EXACT with DATE
    assert saddam["nationalities"] == ["IRQ"]
    assert by_id["un-sc-CDi.001"]["dates_of_birth"] == ["1971"]  # EXACT with YEAR
    assert by_id["un-sc-CDi.001"]["nationalities"] == ["COD"]
    arabic = [rec for rec in r.records
              if any("\u0600" <= ch <= "\u06ff" for n in rec["names"]
                     for ch in n.get("full_name", ""))]
    assert len(arabic) >= 300
    ranged = [rec for rec in r.records if len(rec["dates_of_birth"]) >= 2]
    assert ranged  # BETWEEN ranges and multiple DOBs
    qualities = {n.get("quality") for rec in r.records for n in rec["names"]}
    assert {"Good", "Low"} <= qualities
    assert any(d["type"] == "P" and d["issuing_country"] for rec in r.records
               for d in rec["documents"])
    assert all(set(rec) == RECORD_KEYS for rec in r.records)


def test_un_small_fixture(tmp_path):
    xml = tmp_path / "un.xml"
    xml.write_text(
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>ALI</FIRST_NAME>"
        "<SECOND_NAME>HASSAN</SECOND_NAME><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>"
        "<GENDER>Male</GENDER><NATIONALITY><VALUE>Syrian Arab Republic</VALUE></NATIONALITY>"
        "<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu X</ALIAS_NAME>"
        "</INDIVIDUAL_ALIAS><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>"
        "<FROM_YEAR>1960</FROM_YEAR><TO_YEAR>1962</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
        "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1958</YEAR>"
        "</INDIVIDUAL_DATE_OF_BIRTH><INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport"
        "</TYPE_OF_DOCUMENT><NUMBER>N123</NUMBER><ISSUING_COUNTRY>Syrian Arab Republic"
        "</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT></INDIVIDUAL></INDIVIDUALS>"
        "</CONSOLIDATED_LIST>", encoding="utf-8")
    [rec] = read_un_consolidated(xml).records
    assert rec["record_id"] == "un-sc-QDi.999"
    assert rec["names"] == [{"full_name": "ALI HASSAN"}, {"full_name": "Abu X", "quality": "Low"}]
    assert rec["dates_of_birth"] == ["1960", "1961", "1962", "1958"]
    assert rec["documents"] == [{"number": "N123", "issuing_country": "SYR", "type": "P"}]
    assert rec["sex"] == "M" and rec["nationalities"] == ["SYR"]


def test_un_broken_file_is_data_error(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<CONSOLIDATED_LIST><INDIVIDUAL>", encoding="utf-8")
    with pytest.raises(DataError):
        read_un_consolidated(bad)


def test_notices_fixture():
    r = read_notices(FIXTURES / "red_notices.json")
    assert r.report.read == 3 and r.report.imported == 2
    assert r.report.skipped == {"no name": 1}
    doe, rossi = r.records
    assert set(doe) == RECORD_KEYS
    assert doe["record_id"] == "interpol-red-2019-12345"
    assert (doe["list"], doe["category"], doe["owner"]) == ("interpol-red", "wanted", "USA")
    assert doe["names"] == [{"surname": "DOE", "given_names": "JOHN PAUL"}]
    assert doe["dates_of_birth"] == ["1975-04-09"] and doe["nationalities"] == ["USA", "CAN"]
    assert rossi["owner"] == "ITA" and rossi["dates_of_birth"] == ["1980-11"]
    assert alpha2_to_alpha3("it") == "ITA"


def test_notices_plain_list_and_bad_file(tmp_path):
    p = tmp_path / "n.json"
    p.write_text('[{"entity_id": "1", "name": "X", "date_of_birth": "1990"}]')
    assert read_notices(p).records[0]["dates_of_birth"] == ["1990"]
    p.write_text("{not json")
    with pytest.raises(DataError):
        read_notices(p)
