"""Clean cross-script travellers: native-script names of persons nobody lists."""

from __future__ import annotations

from pathlib import Path

from bench.quality import cases
from bench.quality.data import Listed, Watchlist, _key, native_separator

PERSONS = [  # (given, surname, native given, native surname) per language
    ("arabic", "Ghadeer", "SALUMETS", "غدير", "سالوميتس"),
    ("arabic", "Maozhen", "HALLMANN", "ماوجين", "هالمان"),
    ("arabic", "Alycia", "MUZUROVIC", "أليسيا", "موزوروفيتش"),
    ("russian", "Clodius", "LAHRS", "клодий", "ларс"),
    ("russian", "Yareli", "LEBKOWICZ", "ярели", "лебковиц"),
    ("chinese", "Knights", "MANOLO", "奈茨", "马诺洛"),
    ("chinese", "Labinot", "ALDERSON", "拉賓諾", "安達臣"),
]


def _watchlist() -> Watchlist:
    listed = []
    for k, (lang, giv, sur, n_giv, n_sur) in enumerate(PERSONS):
        sep = native_separator(lang)
        listed.append(Listed(f"xs-{k}", f"translit-{lang}", sur, giv, [], "test",
                             n_giv + sep + n_sur))
    keys = {_key(p.surname, p.given_names) for p in listed}
    return Watchlist(Path("."), listed, [], keys, len(listed), len(listed))


def test_clean_cross_script_travellers_recombine_listed_tokens_into_unlisted_names() -> None:
    wl = _watchlist()
    out = cases.clean_cross_script(wl, 4, seed=3)
    assert out == cases.clean_cross_script(wl, 4, seed=3)  # deterministic
    by_kind: dict[str, list] = {}
    for c in out:
        by_kind.setdefault(c.kind, []).append(c)
    assert set(by_kind) == {"xs_clean_arabic", "xs_clean_russian", "xs_clean_chinese"}
    natives = {p.native for p in wl.listed}
    for kind, got in by_kind.items():
        lang = kind.rsplit("_", 1)[1]
        sep = native_separator(lang)
        mine = [p for p in wl.listed if p.source == f"translit-{lang}"]
        givens = {p.native.split(sep)[0] for p in mine}
        surnames = {p.native.split(sep)[1] for p in mine}
        for c in got:
            assert c.group == "negative" and not c.record_id and c.dob
            given, surname = c.query.full_name.split(sep)
            assert given in givens and surname in surnames  # listed tokens ...
            assert c.query.full_name not in natives  # ... never a listed person's name
        assert {c.split for c in got} == {"train", "test"}
