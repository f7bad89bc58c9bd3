"""How often each name is drawn. Three models, chosen per run (`use`, `--name-model`):

- 1 (the default, what every report so far measured): each name uniformly from the curated
  pools of `pools.py`, a few dozen per culture. The primary names of a million persons carry
  about 2,450 distinct tokens (the real OFAC and UN lists: 15,443 over 20,181 names, growing
  as names^0.70), so every passenger shares tokens with a thousand listed names, and no clean
  traveller bears a near-spelling of a listed name.
- 2 (a study, not yet the benchmarks' default): a Zipf head and a long tail of rarer names per
  culture, 47,248 distinct tokens in 1M persons' primary names. The quality benchmark on it
  (see `bench/results/quality_history.md`) raised the calibrated POSSIBLE_MATCH threshold and
  lowered names-only recall: clean travellers with tail names meet near-spelled tail names
  (HUSSARI / HUSARI). Its tail is denser in such neighbours than the real lists (57 % of
  tokens of 5+ letters have a neighbour at one edit, against 43 % in the lists' primary
  names at the same size).
- 3 (a study): model 2's head and tail, but the tail grown rank by rank, and a new name one
  edit from a name already drawn is drawn again unless NEIGHBOUR_KEEP keeps it: 43.5 % of
  tokens with a neighbour at 7,581 names, as the real lists' 43 %; 80,170 distinct tokens in
  1M persons' primary names.

Models 2 and 3 draw:

- the head: the pool, in its written order (most common first), with weight 1 / (rank + 3);
- the tail: rarer names that sound like the culture's, from a character model of the pool
  (`_Markov`: each letter drawn given the two before it), weight 1 / (rank + 10) over
  `TAIL_SIZE` ranks; CJK given names combine two syllables of the culture's syllable table
  instead, so they keep their native script;
- `TAIL_SHARE` of the draws go to the tail. Chinese, Korean, Vietnamese and Japanese surnames
  have no tail: a few surnames really do cover most of those populations; nor have Vietnamese
  and Japanese given names.

A model 2 tail name is a pure function of (culture, kind, rank), generated on first use from
a seed of its own and cached; model 3 grows its tail in rank order, each rank from a seed of
its own. Either way every run and every process draws the same names. Tail names of
Arabic-script cultures have no native form (the pools spell those by hand), so a person who
carries one has no Arabic-script alias.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cultures import Culture, Name

MODELS = (1, 2, 3)
DEFAULT_MODEL = 1
_in_use = DEFAULT_MODEL

TAIL_SHARE = {"surname": 0.5, "male": 0.25, "female": 0.25}
TAIL_SIZE = {"surname": 20_000, "male": 4_000, "female": 4_000}
NO_SURNAME_TAIL = frozenset({"chinese", "korean", "vietnamese", "japanese"})
# Vietnamese given names are single syllables and Japanese ones carry kanji: no model of ours.
NO_GIVEN_TAIL = frozenset({"vietnamese", "japanese"})
# Model 3 keeps a new name one edit from an earlier one with this probability (real names have
# such neighbours too: Jansen, Hansen). Tuned so that, as in the real lists' primary names,
# about 43 % of the tokens of 5+ letters in 7,581 generated names have a neighbour.
NEIGHBOUR_KEEP = 0.2
HEAD_OFFSET = 3
TAIL_OFFSET = 10
MAX_TRIES = 30  # attempts at a tail name that is new, of a plausible length, with a vowel
_VOWELS = frozenset("aeiouyáéíóúàèìòùâêîôûäöüãõåæøıə")


class _Markov:
    """Character model of a list of names (lower case, spaces/hyphens kept). Two letters of
    context: with three, a pool of 70 names yields about a hundred new ones in 20,000 draws
    (it mostly spells the pool again); with two, several thousand."""

    ORDER = 2

    def __init__(self, words: list[str]) -> None:
        counts: dict[str, dict[str, int]] = {}
        for w in words:
            s = "^" * self.ORDER + w + "$"
            for i in range(self.ORDER, len(s)):
                nxt = counts.setdefault(s[i - self.ORDER:i], {})
                nxt[s[i]] = nxt.get(s[i], 0) + 1
        self._next = {ctx: ("".join(d), list(accumulate(d.values()))) for ctx, d in counts.items()}
        # Longer draws are mostly two names glued (Gilanzalvo): cap near the pool's long end.
        lengths = sorted(len(w) for w in words)
        self.max_len = lengths[int(0.9 * (len(lengths) - 1))] + 1
        self.min_len = max(4, min(len(w) for w in words))

    def sample(self, rng: random.Random) -> str:
        ctx, out = "^" * self.ORDER, []
        while len(out) <= self.max_len:
            chars, cum = self._next[ctx]
            c = chars[bisect.bisect_right(cum, rng.random() * cum[-1])]
            if c == "$":
                break
            out.append(c)
            ctx = ctx[1:] + c
        return "".join(out)


def _title(word: str) -> str:
    """kuznetsov -> Kuznetsov, al-rashid -> Al-Rashid, o'brien -> O'Brien, abd al -> Abd Al."""
    out, up = [], True
    for c in word:
        out.append(c.upper() if up else c)
        up = c in " -'"
    return "".join(out)


def _head(culture: Culture, kind: str) -> tuple[Name, ...]:
    return {"surname": culture.surnames, "male": culture.male, "female": culture.female}[kind]


def has_tail(culture: Culture, kind: str) -> bool:
    no_tail = NO_SURNAME_TAIL if kind == "surname" else NO_GIVEN_TAIL
    return culture.code not in no_tail


@cache
def _spellings(code: str, kind: str) -> tuple[str, ...]:
    """The pool's names, then their variants, lower case: what the character model learns
    from (a spelling two names share counts twice) and what a tail name must not repeat."""
    from .cultures import CULTURE_BY_CODE
    head = _head(CULTURE_BY_CODE[code], kind)
    return tuple([n.latin.lower() for n in head] + [v.lower() for n in head for v in n.variants])


@cache
def _model(code: str, kind: str) -> _Markov:
    return _Markov(list(_spellings(code, kind)))


def _given_syllables(code: str, kind: str) -> dict[str, str] | None:
    """The syllable table tail given names are built from (CJK), else None."""
    from .cultures import syllables_of
    return syllables_of(code) if kind != "surname" else None


def _syllable_pair(rng: random.Random, syllables: dict[str, str]) -> str:
    keys = sorted(syllables)
    return f"{rng.choice(keys)}-{rng.choice(keys)}"


@cache
def tail_name(code: str, kind: str, rank: int) -> Name:
    """Model 2's tail name at `rank` for this culture and kind (deterministic, cached)."""
    from .cultures import parse_name
    rng = random.Random(f"tail-{code}-{kind}-{rank}")
    syllables = _given_syllables(code, kind)
    if syllables:
        return parse_name(code, _syllable_pair(rng, syllables), syllables)
    model = _model(code, kind)
    known = frozenset(_spellings(code, kind))
    word = ""
    for _ in range(MAX_TRIES):
        word = model.sample(rng).strip(" -'")
        if _plausible(model, word, known):
            break
    return parse_name(code, _title(word), None)


def _plausible(model: _Markov, word: str, known: set[str] | frozenset[str]) -> bool:
    return (model.min_len <= len(word) <= model.max_len and word not in known
            and any(c in _VOWELS for c in word))


def _deletions(word: str) -> list[str]:
    """The word and its one-letter deletions: two words share one iff they are at most one
    substitution, insertion or deletion apart (or an adjacent swap of equal-length words)."""
    return [word] + [word[:i] + word[i + 1:] for i in range(len(word))]


class _SparseTail:
    """Model 3's tail for one culture and kind: like model 2's, but grown rank by rank, and a
    new name one edit from a name already drawn (head or tail) is drawn again; after
    MAX_TRIES the rank repeats an earlier tail name instead (a commoner rare name, not a
    near-spelling). Real names sit further apart than model 2's (see the module docstring)."""

    def __init__(self, code: str, kind: str) -> None:
        self.code, self.kind = code, kind
        self.known = set(_spellings(code, kind))
        self.keys = {k for w in self.known for k in _deletions(w)}
        self.names: list[Name] = []

    def name(self, rank: int) -> Name:
        while len(self.names) <= rank:
            self.names.append(self._next(len(self.names)))
        return self.names[rank]

    def _next(self, rank: int) -> Name:
        from .cultures import CULTURE_BY_CODE, parse_name
        rng = random.Random(f"sparse-{self.code}-{self.kind}-{rank}")
        syllables = _given_syllables(self.code, self.kind)
        model = None if syllables else _model(self.code, self.kind)
        for _ in range(MAX_TRIES):
            if syllables:  # CJK given names: two syllables, which keep their characters
                entry = _syllable_pair(rng, syllables)
                word = entry.replace("-", "")
            else:
                word = entry = model.sample(rng).strip(" -'")
                if not _plausible(model, word, self.known):
                    continue
            if word in self.known:
                continue
            dels = _deletions(word)
            if any(k in self.keys for k in dels) and rng.random() >= NEIGHBOUR_KEEP:
                continue
            self.known.add(word)
            self.keys.update(dels)
            return parse_name(self.code, entry if syllables else _title(entry), syllables)
        if rank:
            return self.names[rng.randrange(rank)]
        return _head(CULTURE_BY_CODE[self.code], self.kind)[0]


@cache
def _sparse(code: str, kind: str) -> _SparseTail:
    return _SparseTail(code, kind)


@dataclass(frozen=True)
class _Table:
    cum: list[float]
    head: int


@cache
def _table(code: str, kind: str) -> _Table:
    from .cultures import CULTURE_BY_CODE
    culture = CULTURE_BY_CODE[code]
    head = _head(culture, kind)
    hw = [1.0 / (r + HEAD_OFFSET) for r in range(len(head))]
    share = TAIL_SHARE[kind] if has_tail(culture, kind) else 0.0
    tw = [1.0 / (r + TAIL_OFFSET) for r in range(TAIL_SIZE[kind])] if share else []
    hs, ts = sum(hw), sum(tw) or 1.0
    weights = [w * (1 - share) / hs for w in hw] + [w * share / ts for w in tw]
    return _Table(list(accumulate(weights)), len(head))


def current() -> int:
    return _in_use


@contextmanager
def use(model: int) -> Iterator[None]:
    """Draw names with `model` inside the block (the generator is single-threaded)."""
    global _in_use
    if model not in MODELS:
        raise ValueError(f"name model must be one of {MODELS}, not {model}")
    before, _in_use = _in_use, model
    try:
        yield
    finally:
        _in_use = before


def draw(rng: random.Random, culture: Culture, kind: str) -> Name:
    """One name of `kind` ("surname", "male" or "female") for a person of `culture`."""
    if _in_use == 1:
        return rng.choice(_head(culture, kind))
    table = _table(culture.code, kind)
    i = min(bisect.bisect_right(table.cum, rng.random() * table.cum[-1]), len(table.cum) - 1)
    if i < table.head:
        return _head(culture, kind)[i]
    if _in_use == 3:
        return _sparse(culture.code, kind).name(i - table.head)
    return tail_name(culture.code, kind, i - table.head)
