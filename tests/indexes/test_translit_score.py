"""The transliteration likeness: its kernel against the plain-Python twin, and the behaviour
the cross-script matching relies on."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexes import reference, translit_model
from indexes import translit_score as X

_NATIVE = sorted({k for k in translit_model.tables() if "|" not in k})
_ARABIC = [ch for ch in _NATIVE if "\u0600" <= ch <= "\u06ff"]
_CYRILLIC = [ch for ch in _NATIVE if "\u0400" <= ch <= "\u04ff"]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(_NATIVE + ["\u2603"]), min_size=1, max_size=7),
       st.text(st.sampled_from("ABCDEHIKLMNORSTUYZ"), min_size=0, max_size=12))
def test_cost_kernel_matches_twin(word: str, latin: str) -> None:
    got = X.translit_cost(word, latin)
    want = reference.translit_cost(word, latin, translit_model.tables(), X.MAX_SEGMENT,
                                   X.EDIT_COST, X.UNKNOWN_COST)
    for g, w in zip(got, want, strict=True):
        assert (math.isinf(g) and math.isinf(w)) or math.isclose(g, w, abs_tol=1e-9)


def test_model_spelling_is_a_perfect_likeness() -> None:
    for word in ("محمد", "сергей", "科斯坦扎"):
        for spelling in translit_model.decode(word, k=1):
            assert X.token_likeness(word, spelling) == 1.0


def _excess_per_letter(word: str, latin: str) -> float:
    cost, likeliest = X.translit_cost(word, latin)
    return (cost - likeliest) / len(latin)


def test_likeness_ranks_the_right_spelling_first() -> None:
    # A listed spelling the model can write costs it clearly less, per letter, than a name of
    # about the same length it cannot; the likeness keeps that order.
    for word, right, wrong in (("مينغز", "MINGS", "TORRES"),
                               ("коженёвска", "KOZENIOWSKA", "KOWALCZYKA"),
                               ("維斯塔潘", "VERSTAPPEN", "BERNARDINI")):
        assert _excess_per_letter(word, right) + 0.5 < _excess_per_letter(word, wrong)
        assert X.token_likeness(word, right) > X.token_likeness(word, wrong)


def test_name_likeness_assigns_words_in_any_order() -> None:
    words = X.native_words("مينغز تريسي")
    forward, pairs = X.name_likeness(words, ["TRACY", "MINGS"])
    assert {(w, t) for w, t, _ in pairs} == {("مينغز", "MINGS"), ("تريسي", "TRACY")}
    # A record token left over costs half a word; a native word left over costs a whole one.
    longer, _ = X.name_likeness(words, ["TRACY", "MINGS", "SMITH"])
    shorter, _ = X.name_likeness(words, ["MINGS"])
    assert shorter < longer < forward


def test_native_words_only_for_scripts_the_model_knows() -> None:
    assert X.native_words("Сергей Иванов") == ["сергей", "иванов"]
    assert X.native_words("科斯坦扎·維斯塔潘") == ["科斯坦扎", "維斯塔潘"]
    assert X.native_words("Sergey Иванов") is None  # mixed: the usual scorer's
    assert X.native_words("") is None
    assert X.native_words("Ιωάννης") is None  # Greek: anyascii's rules suffice


def test_search_scores_native_names_by_the_model() -> None:
    """A name in Arabic or Cyrillic script meets the listed Latin spelling the model would
    write for it, explained as transliteration; an unrelated name of the list stays out."""
    from indexes.name_index import NameIndex

    names = ["Ghadeer SALUMETS", "Anette KOZENIOWSKA", "Omar HASSAN", "Peter SMITH"]
    idx = NameIndex.build(names, [0, 1, 2, 3])
    (arabic, *_), (cyrillic, *_), other = idx.search(
        ["غدير سالوميتس", "анетт коженёвска", "غدير كوريك"], limit=5, min_score=0.85)
    for match, record in ((arabic, 0), (cyrillic, 1)):
        assert match.record_idx == record and match.score >= 0.85
        assert {p.method for p in match.pairs} == {"transliteration"}
    assert all(m.record_idx != 0 or m.score < arabic.score for m in other)
    # match_records_many (records found by date of birth or document) weighs them the same.
    found = idx.match_records_many(["غدير سالوميتس"], [[0, 3]], min_score=0.85)[0]
    assert set(found) == {0} and found[0].score == arabic.score


_LETTERS = "ABDEIKLNORSTU"


@settings(max_examples=150, deadline=None)
@given(st.text(st.sampled_from(_ARABIC + _CYRILLIC), min_size=1, max_size=5),
       st.lists(st.text(st.sampled_from(_LETTERS), min_size=1, max_size=9), min_size=1,
                max_size=40, unique=True))
def test_lexicon_decode_matches_twin(word: str, tokens: list[str]) -> None:
    """With a beam wide enough to keep every hypothesis the kernel finds exactly the twin's
    tokens and costs; with a narrow one, a subset at no lower cost."""
    import numpy as np

    chars = np.frombuffer("".join(tokens).encode(), dtype=np.uint8).copy()
    offsets = np.cumsum([0] + [len(t) for t in tokens]).astype(np.int64)
    lexicon = X.Lexicon.of(chars, offsets)
    want = reference.lexicon_decode(word, tokens, translit_model.tables())
    likeliest = X.translit_cost(word, "")[1]
    for beam, exact in ((100_000, True), (2, False)):
        tok, excess = X.lexicon_spellings(word, lexicon, beam=beam)
        got = {tokens[t]: e + likeliest for t, e in zip(tok.tolist(), excess.tolist(),
                                                          strict=True)}
        assert list(excess) == sorted(excess)
        if exact:
            assert got.keys() == want.keys()
        assert got.keys() <= want.keys()
        for t, cost in got.items():
            assert cost >= want[t] - 1e-9
            if exact:
                assert math.isclose(cost, want[t], abs_tol=1e-9)


def test_posting_sequences_kernel_matches_twin() -> None:
    from indexes.kernels.translit import _posting_sequences_kernel
    from indexes.name_index import NameIndex

    idx = NameIndex.build(["Omar HASSAN", "Omar AL HASSAN", "Peter SMITH", "Hassan OMAR"],
                          [0, 1, 2, 3])
    post, offsets = idx._a["tok_post"], idx._a["tok_post_offsets"]
    for t in range(len(offsets) - 1):
        got = _posting_sequences_kernel(post, offsets[t], offsets[t + 1]).tolist()
        assert got == reference.posting_sequences(post.tolist(), int(offsets[t]),
                                                  int(offsets[t + 1]))
        assert got  # every listed token has a posting


def test_lexicon_brings_records_the_decoded_guesses_miss() -> None:
    """李维斯特 decodes to nothing near RIVEST, yet the model writes RIVEST with its kept
    segments: the record holding it is among the lexicon's records, ahead of the others."""
    from indexes.name_index import NameIndex

    assert "RIVEST" not in translit_model.decode("李维斯特", k=3)
    names = ["Tresckow RIVEST", "Peter SMITH", "Anna RIVERA", "Omar HASSAN"]
    idx = NameIndex.build(names, [0, 1, 2, 3])
    assert idx._lexicon_records(["李维斯特"]).tolist()[:1] == [0]
    (best, *_), = idx.search(["崔斯考·李维斯特"], limit=3, min_score=0.5)
    assert best.record_idx == 0


def test_each_script_takes_its_own_temperature() -> None:
    # The likeness falls at the rate its script's temperature sets (chosen per script on the
    # quality benchmark's train part): the same excess cost costs less at a higher one.
    assert [X.script(w) for w in ("محمد", "сергей", "谢尔盖", "謝爾蓋")] == [
        "arabic", "cyrillic", "chinese", "chinese"]
    assert set(X.TEMPERATURE) == {"arabic", "cyrillic", "chinese"}
    word, spelling = "сергей", "SERHIY"
    cost, likeliest = X.translit_cost(word, spelling)
    letters = len(spelling)
    want = math.exp(-(cost - likeliest) / (X.TEMPERATURE["cyrillic"] * letters))
    assert X.token_likeness(word, spelling) == pytest.approx(want)
    assert 0.0 < want < 1.0
