from __future__ import annotations

from pathlib import Path

import pytest

from indexes import romanisation_variants as rv


def _write(folder: Path, lang: str, split: str, rows: list[tuple[str, str]]) -> None:
    text = "".join(f"{latin}\t{' '.join(native)}\t1\n" for latin, native in rows)
    (folder / f"{lang}_{split}.tsv").write_text(text, encoding="utf-8")


def test_pairs_are_alike_spellings_of_one_native_word_from_the_train_part(tmp_path: Path) -> None:
    # A native form under more than MAX_SPELLINGS spellings: a homograph of many names
    # (мацудаира: 80 Japanese given names), however alike some of them are.
    homograph = [(f"Yorit{a}{b}", "мацудаира") for a in "aeiou" for b in "klmnprs"]
    _write(tmp_path, "arabic", "train", [("Omar", "عمر"), ("Umar", "عمر"), ("Li", "لي"),
                                         ("Lee", "لي"), ("Rasul", "رسول"), ("Yoko", "يوكو"),
                                         ("Yuko", "يوكو")])
    _write(tmp_path, "russian", "train", [("Sergey", "сергей"), ("Sergei", "сергей"),
                                          ("Hägglund", "хегглунд"), ("Hagglund", "хегглунд"),
                                          ("Fomin", "фомин"), ("Kosmodemyanskiy", "фомин")]
           + homograph)
    _write(tmp_path, "chinese", "train", [("Peter", "彼得"), ("Boross", "彼得"),
                                          ("Omar", "奧馬爾"), ("Umar", "奧馬爾")])
    # The test part is never read: its pairs stay unseen.
    _write(tmp_path, "arabic", "test", [("Yusuf", "يوسف"), ("Youssef", "يوسف")])
    pairs = rv.train(tmp_path)
    assert ("OMAR", "UMAR") in pairs and ("SERGEI", "SERGEY") in pairs
    assert ("HAGGLUND", "HAGGLUND") not in pairs  # diacritics fold: one spelling, no pair
    assert ("BOROSS", "PETER") not in pairs  # not alike (Jaro-Winkler < MIN_JW)
    assert ("FOMIN", "KOSMODEMYANSKIY") not in pairs  # lengths too far apart
    assert ("LEE", "LI") not in pairs  # LI is under MIN_LEN letters
    # A short pair from one native word only (Arabic script has no O / U): not kept; OMAR /
    # UMAR, written alike in two scripts, is.
    assert ("YOKO", "YUKO") not in pairs
    assert not any("YORI" in a or "YORI" in b for a, b in pairs)  # a homograph of many names
    assert ("YOUSSEF", "YUSUF") not in pairs
    assert pairs == sorted(set(pairs)) and all(a < b for a, b in pairs)


def test_the_shipped_table_pairs_common_romanisations() -> None:
    table = set(rv.table())
    for pair in [("OMAR", "UMAR"), ("SERGEY", "SERHIY"), ("ALEKSANDR", "OLEKSANDR"),
                 ("EBRAHIM", "IBRAHIM")]:
        assert pair in table
    assert all(a < b and abs(len(a) - len(b)) <= rv.MAX_LEN_DIFF for a, b in table)


def test_the_curated_table_pairs_every_two_spellings_of_a_line() -> None:
    pairs = set(rv.curated_pairs())
    for pair in [("LEE", "RI"), ("RHEE", "YI"), ("GIM", "KIM"), ("CHONG", "JONG"),
                 ("CHOW", "ZHOU"), ("CHAN", "CHEN"), ("PAK", "PARK")]:
        assert pair in pairs
    assert ("GIM", "RI") not in pairs  # spellings of two names
    assert all(a < b and a.isalpha() and a.isupper() and b.isalpha() and b.isupper()
               for a, b in pairs)
    assert set(rv.all_pairs()) == set(rv.table()) | pairs


def test_a_missing_shipped_table_is_an_error_naming_it(tmp_path: Path, monkeypatch) -> None:
    # An install that lost a data file must not build indexes that silently match less.
    for name, load in (("TABLE_FILE", rv.table), ("CURATED_FILE", rv.curated_pairs)):
        missing = tmp_path / f"{name}.gone"
        monkeypatch.setattr(rv, name, missing)
        load.cache_clear()
        try:
            with pytest.raises(FileNotFoundError, match=missing.name):
                load()
        finally:
            monkeypatch.undo()
            load.cache_clear()
    assert rv.table() and rv.curated_pairs()
