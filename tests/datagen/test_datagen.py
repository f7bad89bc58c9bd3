"""Tests of the synthetic data generator: determinism, file shapes, planted matches."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.datagen import GeneratedFiles, generate
from screening.datagen import documents as documents_mod
from screening.datagen.cultures import CULTURES, namesake_key
from screening.datagen.docnumbers import FORMATS, number_format
from screening.datagen.manifests import _typo
from screening.datagen.persons import REPORTING
from screening.datagen.script import normalise

SMALL = {"persons": 4000, "documents": 60_000, "seed": 11, "manifests": 3, "manifest_size": 200}
COUNTRIES = {n for c in CULTURES for n in c.nationalities} | set(REPORTING)
STATUSES = {"STOLEN", "LOST", "REVOKED", "INVALID", "STOLEN_BLANK"}
LISTS = {"interpol-red": "wanted", "interpol-yellow": "missing", "un-sc": "sanctioned",
         "ofac-sdn": "sanctioned"}
SCRIPTS = {
    "arabic": re.compile(r"[\u0600-\u06FF]"), "cyrillic": re.compile(r"[\u0400-\u04FF]"),
    "greek": re.compile(r"[\u0370-\u03FF]"), "han": re.compile(r"[\u4E00-\u9FFF]"),
    "hangul": re.compile(r"[\uAC00-\uD7AF]"),
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> GeneratedFiles:
    return generate(tmp_path_factory.mktemp("gen"), progress=False, **SMALL)


@pytest.fixture(scope="module")
def nominal(data: GeneratedFiles) -> dict[str, dict]:
    recs = [json.loads(line) for line in data.nominal.read_text("utf-8").splitlines()]
    return {r["record_id"]: r for r in recs}


@pytest.fixture(scope="module")
def docs(data: GeneratedFiles) -> list[dict]:
    return pq.read_table(data.documents).to_pylist()


@pytest.fixture(scope="module")
def passengers(data: GeneratedFiles) -> dict[str, dict]:
    out = {}
    for path in data.manifests:
        for line in path.read_text("utf-8").splitlines():
            pax = json.loads(line)
            out[pax["ref"]] = pax
    return out


@pytest.fixture(scope="module")
def truth(data: GeneratedFiles) -> list[dict]:
    return [json.loads(line) for line in data.truth.read_text("utf-8").splitlines()]


def _valid_date(value: str, partial: bool = False) -> bool:
    fmts = ("%Y-%m-%d", "%Y-%m", "%Y") if partial else ("%Y-%m-%d",)
    for fmt in fmts:
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            continue
        return len(value) in (4, 7, 10)
    return False


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    args = {**SMALL, "persons": 1500, "documents": 20_000}
    generate(tmp_path / "a", progress=False, **args)
    generate(tmp_path / "b", progress=False, **args)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys() and len(a) == 4 + 2 * 3
    assert a == b
    generate(tmp_path / "c", progress=False, **{**args, "seed": 12})
    c = _files(tmp_path / "c")
    for name in ("nominal.jsonl", "documents.parquet", "truth.jsonl", "manifests/manifest_001.jsonl"):
        assert a[name] != c[name], name


def test_nominal_shape(nominal: dict[str, dict]) -> None:
    assert list(nominal) == [f"N-{i}" for i in range(1, SMALL["persons"] + 1)]
    n_names = 0
    for r in nominal.values():
        assert LISTS[r["list"]] == r["category"]
        assert r["status"] in ("active", "cancelled")
        assert r["sex"] in ("M", "F")
        assert r["owner"] in COUNTRIES
        assert r["nationalities"] and set(r["nationalities"]) <= COUNTRIES
        assert 1 <= len(r["dates_of_birth"]) <= 2
        assert all(_valid_date(d, partial=True) for d in r["dates_of_birth"])
        first = r["names"][0]
        assert first["surname"] == first["surname"].upper() and first["given_names"]
        assert 1 <= len(r["names"]) <= 4
        for n in r["names"][1:]:
            assert ("full_name" in n) != ("surname" in n and "given_names" in n)
        assert len(r["documents"]) <= 2
        for d in r["documents"]:
            assert d["issuing_country"] in r["nationalities"] and d["type"] in ("P", "I")
            assert re.fullmatch(r"[A-Z0-9]{7,10}", d["number"])
        n_names += len(r["names"])
    assert 1.6 < n_names / len(nominal) < 2.4
    statuses = [r["status"] for r in nominal.values()]
    assert 0.01 < statuses.count("cancelled") / len(statuses) < 0.06
    red = sum(r["list"] == "interpol-red" for r in nominal.values())
    assert red / len(nominal) > 0.6


def test_aliases_include_native_scripts_and_variants(nominal: dict[str, dict]) -> None:
    full_names = [n["full_name"] for r in nominal.values() for n in r["names"] if "full_name" in n]
    for script, rx in SCRIPTS.items():
        assert sum(bool(rx.search(f)) for f in full_names) >= 5, script
    latin_aliases = [(r["names"][0], n) for r in nominal.values() for n in r["names"][1:]
                     if "surname" in n]
    assert len(latin_aliases) > len(nominal) / 4
    # Transliteration variants of the same token exist (e.g. Muhammad / Mohammed).
    seen = {n["given_names"] for _, n in latin_aliases} | {p["given_names"] for p, _ in latin_aliases}
    assert {"Muhammad", "Mohammed"} <= {t for g in seen for t in g.split()}


def test_documents_shape_and_uniqueness(docs: list[dict]) -> None:
    assert [d["record_id"] for d in docs[:3]] == ["D-1", "D-2", "D-3"]
    assert docs[-1]["record_id"] == f"D-{SMALL['documents']}"
    assert len(docs) == SMALL["documents"]
    keys = {(d["issuing_country"], d["number"]) for d in docs}
    assert len(keys) == len(docs)
    statuses = [d["status"] for d in docs]
    assert set(statuses) == STATUSES
    assert statuses.count("LOST") > statuses.count("STOLEN") > statuses.count("STOLEN_BLANK")
    types = [d["type"] for d in docs]
    assert types.count("P") / len(types) > 0.8
    patterns: dict[str, re.Pattern] = {}
    for d in docs:
        assert d["issuing_country"] in COUNTRIES and d["owner"] in COUNTRIES
        assert _valid_date(d["reported_on"]) and "2002" <= d["reported_on"] <= "2026-12"
        c = d["issuing_country"]
        if c not in patterns:
            pat = FORMATS.get(c, "adddddddd")
            rx = "".join({"a": "[A-Z]", "d": "[0-9]", "x": "[A-Z0-9]"}.get(ch, ch) for ch in pat)
            patterns[c] = re.compile(rx)
        assert patterns[c].fullmatch(d["number"]), (c, d["number"])


def test_documents_written_in_row_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents_mod, "CHUNK", 1000)
    counts, sample = documents_mod.write_documents(
        tmp_path / "d.parquet", 5500, rng_seed=1, format_seed=1,
        sample_rows=np.array([4999, 0, 1500]), progress=False)
    f = pq.ParquetFile(tmp_path / "d.parquet")
    assert f.metadata.num_row_groups == 6 and f.metadata.num_rows == 5500
    rows = f.read().to_pylist()
    assert len({(r["issuing_country"], r["number"]) for r in rows}) == 5500
    assert sum(counts.values()) == 5500
    assert [s.record_id for s in sample] == ["D-1", "D-1501", "D-5000"]
    for s in sample:
        r = rows[int(s.record_id[2:]) - 1]
        assert (r["number"], r["issuing_country"], r["status"]) == (s.number, s.issuing_country, s.status)


@settings(max_examples=50, deadline=None)
@given(country=st.sampled_from(sorted(FORMATS) + ["XXX"]), start=st.integers(0, 10**8),
       seed=st.integers(0, 2**32))
def test_scalar_and_vector_numbers_agree(country: str, start: int, seed: int) -> None:
    fmt = number_format(country, seed)
    idx = np.arange(start, start + 5, dtype=np.int64) % fmt.limit
    many = [bytes(row).decode() for row in fmt.format_many(idx)]
    assert many == [fmt.format_one(int(i)) for i in idx]
    assert len(set(many)) == 5


@given(word=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg", min_size=2, max_size=15))
def test_typo_always_changes_the_name(word: str) -> None:
    import random

    assert normalise(_typo(random.Random(0), word)) != normalise(word)


def _osa(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (one typo = 1)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _latin_key(n: dict) -> str:
    return namesake_key(n["surname"], n["given_names"])


def test_planted_nominal_matches_are_real_variants(
    nominal: dict[str, dict], passengers: dict[str, dict], truth: list[dict]
) -> None:
    planted = [t for t in truth if t["kind"] == "nominal"]
    assert len(planted) >= 10
    for t in planted:
        rec, pax = nominal[t["record_id"]], passengers[t["ref"]]
        assert rec["status"] == "active"
        assert t["ref"].startswith("M" + t["manifest"][-3:])
        primary = rec["names"][0]
        v = t["variation"]
        if pax.get("date_of_birth"):
            assert _valid_date(pax["date_of_birth"])
            assert pax["date_of_birth"].startswith(rec["dates_of_birth"][0])
        if v == "cross_script":
            assert pax["full_name"] and not pax["full_name"].isascii()
            assert "surname" not in pax
            continue
        key, pkey = _latin_key(pax), _latin_key(primary)
        if v == "exact":
            assert key == pkey
            continue
        # Not just a copy of the primary name (diacritics-only changes vanish once normalised).
        assert (pax["surname"], pax["given_names"]) != (primary["surname"], primary["given_names"])
        assert key != pkey or v in ("diacritics", "alias"), t
        ps, pg = normalise(primary["surname"]), normalise(primary["given_names"])
        qs, qg = normalise(pax["surname"]), normalise(pax["given_names"])
        if v == "reorder":
            assert (qs, qg) == (pg, ps)
        elif v == "dropped_middle":
            assert qs == ps and len(qg.split()) == len(pg.split()) - 1
            assert set(qg.split()) < set(pg.split())
        elif v == "diacritics":
            assert pax["surname"].isascii() and anyascii(primary["surname"]) == pax["surname"]
        elif v == "typo":
            assert (qs == ps) != (qg == pg)  # exactly one of the two fields was touched
            assert _osa(ps + " " + pg, qs + " " + qg) == 1
        elif v == "translit":
            assert len((qs + " " + qg).split()) >= 1 and (qs == ps) != (qg == pg)
        elif v == "alias":
            assert key in {_latin_key(n) for n in rec["names"][1:] if "surname" in n}
        else:
            raise AssertionError(f"unknown variation {v}")


def test_planted_document_matches(docs: list[dict], passengers: dict[str, dict],
                                  truth: list[dict]) -> None:
    planted = [t for t in truth if t["kind"] == "document"]
    assert planted
    for t in planted:
        doc = docs[int(t["record_id"][2:]) - 1]
        assert doc["record_id"] == t["record_id"] and doc["status"] == t["document_status"]
        pd = passengers[t["ref"]]["document"]
        assert pd["issuing_country"] == doc["issuing_country"]
        raw = pd["number"]
        if t["variation"] == "stolen_document":
            assert raw == doc["number"]
        elif t["variation"] == "stolen_document_spaced":
            assert raw != doc["number"] and re.sub(r"[ -]", "", raw) == doc["number"]
        else:
            assert raw != doc["number"] and raw.replace("O", "0") == doc["number"].replace("O", "0")


def test_clean_passengers_are_not_namesakes_and_carry_clean_documents(
    nominal: dict[str, dict], docs: list[dict], passengers: dict[str, dict], truth: list[dict]
) -> None:
    listed = {_latin_key(n) for r in nominal.values() for n in r["names"] if "surname" in n}
    stolen = {(d["issuing_country"], d["number"]) for d in docs}
    listed_docs = {(d["issuing_country"], d["number"]) for r in nominal.values() for d in r["documents"]}
    planted = {t["ref"] for t in truth}
    clean = [p for ref, p in passengers.items() if ref not in planted]
    assert len(clean) == len(passengers) - len(planted)
    for p in clean:
        assert _latin_key(p) not in listed
        key = (p["document"]["issuing_country"], p["document"]["number"])
        assert key not in stolen and key not in listed_docs


def test_manifest_shapes_and_planted_share(data: GeneratedFiles, passengers: dict[str, dict],
                                           truth: list[dict]) -> None:
    assert [p.name for p in data.manifests] == [f"manifest_00{i}.jsonl" for i in (1, 2, 3)]
    for path in data.manifests:
        lines = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
        assert len(lines) == SMALL["manifest_size"]
        share = sum(t["manifest"] == path.stem for t in truth) / len(lines)
        assert 0.025 <= share <= 0.055
        for p in lines:
            assert ("full_name" in p) or (p["surname"] and p["given_names"])
            assert p["sex"] in ("M", "F") and p["nationality"] in COUNTRIES
            assert p["date_of_birth"] == "" or _valid_date(p["date_of_birth"])
            d = p["document"]
            assert d["type"] in ("P", "I", "V") and d["issuing_country"] in COUNTRIES
            assert date.fromisoformat(d["expiry"]) > date(2026, 12, 1)
        flight = json.loads(path.with_suffix(".flight.json").read_text("utf-8"))
        assert flight["manifest_id"] == path.stem
        assert flight["flight_number"].startswith(flight["carrier"])
        assert re.fullmatch(r"[A-Z]{3}", flight["departure_airport"])
        dep = datetime.fromisoformat(flight["departure_time"])
        assert datetime.fromisoformat(flight["arrival_time"]) > dep
    variations = {t["variation"] for t in truth}
    assert len(variations) >= 5


def test_degenerate_sizes(tmp_path: Path) -> None:
    files = generate(tmp_path, persons=0, documents=0, manifests=1, manifest_size=20, progress=False)
    assert files.truth.read_text() == ""
    assert len(files.manifests[0].read_text().splitlines()) == 20
    assert pq.read_table(files.documents).num_rows == 0


def test_independent_of_pythonhashseed(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from screening.datagen import generate; "
            "generate(sys.argv[1], persons=800, documents=5000, seed=3, manifest_size=50, progress=False)")
    for hs in ("1", "2"):
        env = {"PYTHONHASHSEED": hs, "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, "-c", code, str(tmp_path / hs)], check=True, env=env,
                       cwd=Path(__file__).resolve().parents[2])
    assert _files(tmp_path / "1") == _files(tmp_path / "2")
