"""Tests of the generator's name frequencies: model 1 (uniform over the pools, the default),
model 2 (a Zipf head over the pools, a long tail of new names, many more distinct names) and
model 3 (model 2 with a tail as sparse in near-spellings as real names)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.datagen import frequencies as F
from screening.datagen import generate, is_current
from screening.datagen.cultures import CULTURE_BY_CODE, CULTURES, make_name, native_of
from screening.datagen.script import normalise


@pytest.fixture(autouse=True)
def model_2(request: pytest.FixtureRequest) -> Iterator[None]:
    """Model 2 for every test here but those marked model_1."""
    with F.use(1 if "model_1" in request.keywords else 2):
        yield


@pytest.mark.model_1
def test_model_1_draws_as_the_pools_always_did() -> None:
    # Byte-identical data to the generator before the models: a uniform choice per name.
    culture = CULTURE_BY_CODE["arabic"]
    a, b = random.Random(9), random.Random(9)
    assert [F.draw(a, culture, "surname") for _ in range(500)] == [
        b.choice(culture.surnames) for _ in range(500)]
    with pytest.raises(ValueError, match="name model"):
        with F.use(4):
            pass


@pytest.mark.model_1
def test_generated_files_record_their_model(tmp_path: Path) -> None:
    args = {"persons": 300, "documents": 100, "seed": 3, "manifests": 1, "manifest_size": 20,
            "progress": False}
    generate(tmp_path / "m2", name_model=2, **args)
    assert json.loads((tmp_path / "m2" / "generator.json").read_text())["name_model"] == 2
    assert F.current() == 1  # restored after the run
    assert is_current(tmp_path / "m2", 2) and not is_current(tmp_path / "m2")
    generate(tmp_path / "m1", **args)
    assert is_current(tmp_path / "m1")
    (tmp_path / "m1" / "generator.json").unlink()  # files from before the marker: model 1
    assert is_current(tmp_path / "m1") and not is_current(tmp_path / "m1", 2)
    assert not is_current(tmp_path / "none")


def _draws(code: str, kind: str, n: int, seed: int = 5) -> list:
    rng = random.Random(seed)
    culture = CULTURE_BY_CODE[code]
    return [F.draw(rng, culture, kind) for _ in range(n)]


@pytest.mark.parametrize("code,kind", [("spanish", "surname"), ("arabic", "male"),
                                       ("east_slavic", "female"), ("english", "surname")])
def test_tail_share_and_zipf_head(code: str, kind: str) -> None:
    head = F._head(CULTURE_BY_CODE[code], kind)
    names = _draws(code, kind, 40_000)
    in_head = Counter(n for n in names if n in head)
    share = 1 - sum(in_head.values()) / len(names)
    assert abs(share - F.TAIL_SHARE[kind]) < 0.02, share
    # The pool's first name (the most common) comes more often than its middle one, as 1/(r+3)
    # says: about (mid + 3) / 3 times more.
    first, mid = in_head[head[0]], in_head[head[len(head) // 2]]
    expected = (len(head) // 2 + F.HEAD_OFFSET) / F.HEAD_OFFSET
    assert 0.6 * expected < first / max(mid, 1) < 1.6 * expected


def test_tail_names_are_new_plausible_and_stable() -> None:
    for code in ("spanish", "arabic", "east_slavic", "german", "turkish", "greek"):
        culture = CULTURE_BY_CODE[code]
        head = {w.lower() for n in culture.surnames for w in (n.latin, *n.variants)}
        tail = [F.tail_name(code, "surname", r) for r in range(300)]
        model = F._model(code, "surname")
        for name in tail:
            assert name.latin.lower() not in head
            assert model.min_len <= len(name.latin) <= model.max_len
            assert name.latin[0].isupper()
        assert len({n.latin for n in tail}) > 100, code  # short pools (Turkish) repeat more
    # Pure functions of (culture, kind, rank), whatever was drawn before or in which process.
    F.tail_name.cache_clear()
    again = F.tail_name("spanish", "surname", 123).latin
    out = subprocess.run([sys.executable, "-c", "from screening.datagen.frequencies import "
                          "tail_name; print(tail_name('spanish', 'surname', 123).latin)"],
                         cwd=Path(__file__).resolve().parents[2],
                         capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "7"})
    assert out.stdout.strip() == again


def test_cultures_without_a_tail_draw_their_pool_only() -> None:
    for code in sorted(F.NO_SURNAME_TAIL):
        assert set(_draws(code, "surname", 3000)) <= set(CULTURE_BY_CODE[code].surnames)
    for code in sorted(F.NO_GIVEN_TAIL):
        assert set(_draws(code, "male", 3000)) <= set(CULTURE_BY_CODE[code].male)


def test_tail_names_keep_their_native_script() -> None:
    # CJK given names from two syllables carry their characters; Cyrillic and Greek forms come
    # by rule, as for the pool's names.
    zh = F.tail_name("chinese", "male", 7)
    assert zh.native and len(zh.native) == 2 and zh.latin.isalpha()
    ko = F.tail_name("korean", "female", 7)
    assert ko.native and all("\uac00" <= c <= "\ud7af" for c in ko.native)
    for code in ("east_slavic", "greek"):
        culture = CULTURE_BY_CODE[code]
        assert native_of(culture, F.tail_name(code, "surname", 11))


def test_a_list_carries_many_distinct_names() -> None:
    """The point of model 2: 20,000 persons drawn uniformly from the pools carry about 2,400
    distinct tokens; with the tail, several times more, and they keep growing."""
    rng = random.Random(1)
    seen: set[str] = set()
    sizes = {}
    for i in range(1, 20_001):
        culture = CULTURES[int(rng.random() * len(CULTURES))]
        pn = make_name(rng, culture, rng.choice("MF"))
        seen.update(normalise(pn.given_latin + " " + pn.surname_latin).split())
        if i in (5_000, 20_000):
            sizes[i] = len(seen)
    pool_tokens = {t for c in CULTURES for pool in (c.male, c.female, c.surnames)
                   for n in pool for t in normalise(n.latin).split()}
    assert sizes[20_000] > 3 * len(pool_tokens)
    assert sizes[20_000] > 1.5 * sizes[5_000]


def _neighbour_share(tokens: set[str]) -> float:
    """Share of tokens of 5+ letters with another token at one edit (one-deletion keys)."""
    owners: dict[str, set[str]] = {}
    long = [t for t in tokens if len(t) >= 5]
    for t in long:
        for k in F._deletions(t):
            owners.setdefault(k, set()).add(t)
    close = {t for group in owners.values() if len(group) > 1 for t in group}
    return len(close) / len(long)


def _tokens(model: int, n: int) -> set[str]:
    rng = random.Random(2)
    out: set[str] = set()
    with F.use(model):
        for _ in range(n):
            pn = make_name(rng, CULTURES[int(rng.random() * len(CULTURES))], rng.choice("MF"))
            out.update(normalise(pn.given_latin + " " + pn.surname_latin).split())
    return out


def test_model_3_tail_is_sparser_than_model_2s() -> None:
    # Model 2's tail piles near-spellings (HUSSARI / HUSARI) on each other; model 3 draws a
    # neighbour again unless NEIGHBOUR_KEEP lets it stay, so fewer names have one.
    two, three = _neighbour_share(_tokens(2, 6000)), _neighbour_share(_tokens(3, 6000))
    assert three < two - 0.05, (two, three)
    assert len(_tokens(3, 6000)) > 0.9 * len(_tokens(2, 6000))  # as many names all the same


def test_model_3_tail_names_are_new_and_stable() -> None:
    tail = F._SparseTail("spanish", "surname")
    names = [tail.name(r) for r in range(400)]
    head = {w.lower() for n in CULTURE_BY_CODE["spanish"].surnames for w in (n.latin, *n.variants)}
    assert not {n.latin.lower() for n in names} & head
    assert len({n.latin for n in names}) > 300
    again = F._SparseTail("spanish", "surname")
    assert [again.name(r) for r in range(400)] == names  # grown rank by rank, same names
    zh = F._SparseTail("chinese", "female").name(5)
    assert zh.native and len(zh.native) == 2
