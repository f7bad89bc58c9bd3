"""CUSRES round trip and format sniffing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from screening.errors import InvalidArgument
from screening.formats import detect_format
from screening.formats.cusres import (
    DEFAULT_DECISION_CODES,
    CusresError,
    parse_cusres,
    write_cusres,
)
from screening.formats.paxlst import parse_paxlst

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 3, 1, 9, 30, 0)


def _manifest():
    return parse_paxlst((FIXTURES / "multipart.edi").read_bytes())


def test_round_trip_and_no_names():
    m = _manifest()
    codes = [DEFAULT_DECISION_CODES[k] for k in ("CLEAR", "HIT", "POSSIBLE_MATCH")]
    answers = list(zip([p.passenger.ref for p in m.persons], codes, strict=True))
    text = write_cusres(m, answers, sender="GOV", recipient="TESTAIR", now=NOW)
    back = parse_cusres(text)
    assert back.message_ref == m.message_ref
    assert back.answers == answers
    assert back.flight_id == "XY100"
    for p in m.persons:
        for part in (p.passenger.surname, p.passenger.given_names):
            assert part.upper() not in text.upper()
    assert "CUSRES:D:05B:UN:IATA" in text and "BGM+962" in text
    assert "UNT+19+260301093000'" in text  # UNH..UNT inclusive: 8 + 3x3 + CNT + UNT


def test_real_manifest_round_trip(shared_data):
    m = parse_paxlst((shared_data / "paxlst" / "gtas_Test3.txt").read_bytes())
    answers = [(p.passenger.ref, "0Z") for p in m.persons]
    text = write_cusres(m, answers, now=NOW)
    assert parse_cusres(text).answers == answers
    assert "Kuchel" not in text


def test_special_characters_in_reference_escaped():
    m = _manifest()
    m.persons[0].passenger.ref = "A'B+C:D?"
    text = write_cusres(m, [("A'B+C:D?", "4Z")], now=NOW)
    assert parse_cusres(text).answers == [("A'B+C:D?", "4Z")]


def test_writer_rejects_unknown_refs_and_bad_codes():
    m = _manifest()
    with pytest.raises(InvalidArgument):
        write_cusres(m, [("nobody", "0Z")], now=NOW)
    with pytest.raises(InvalidArgument):
        write_cusres(m, [(m.persons[0].passenger.ref, "board")], now=NOW)


def test_parse_cusres_rejects_other_messages():
    with pytest.raises(CusresError):
        parse_cusres((FIXTURES / "multipart.edi").read_text())
    with pytest.raises(CusresError):
        parse_cusres("")


def test_detect_format(tmp_path):
    cases = {
        "a.txt": ("UNA:+.? 'UNB+UNOA:4+A+B'", "paxlst"),
        "b.dat": ('{"record_id": "x"}\n{"record_id": "y"}\n', "jsonl"),
        "c.txt": ("ent,name\n1,X\n", "csv"),
        "d.txt": ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                  "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n\n"
                  "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
                  "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\n", "mrz"),
    }
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_text(content)
        assert detect_format(tmp_path / name) == expected, name
    (tmp_path / "e.bin").write_bytes(b"PAR1\x00\x00")
    assert detect_format(tmp_path / "e.bin") == "parquet"
    (tmp_path / "f.txt").write_text("just words")
    with pytest.raises(InvalidArgument):
        detect_format(tmp_path / "f.txt")


def test_detect_real_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"a": [1]}), tmp_path / "t.data")
    assert detect_format(tmp_path / "t.data") == "parquet"


def test_detect_real_paxlst(shared_data):
    for f in (shared_data / "paxlst").glob("gtas_*"):
        assert detect_format(f) == "paxlst", f.name
