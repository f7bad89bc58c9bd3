"""Transliteration likeness: how well a name written in Arabic, Cyrillic or Chinese script
matches a listed Latin spelling, judged by the learned model (indexes/translit_model.py)
rather than by comparing the listed spelling with a few decoded guesses.

Why: the decoded spellings of a native word are guesses (the exact Latin spelling is among the
model's three likeliest for only about a quarter of Arabic test tokens), so a listed name
scores low against all of them even when the model would readily have written it: Arabic
drops short vowels, Chinese merges consonants, and every list writes a name its own way. The
likeness asks the model directly: the cost of its cheapest alignment of the listed spelling to
the native word (kernels.translit._translit_cost_kernel) above the cost of its own likeliest
spelling, per Latin letter, as a similarity exp(-excess / (TEMPERATURE * letters)).

Settings (version TRANSLIT_LIKENESS_VERSION; the tables are trained on the *_train.tsv pairs
only, the settings chosen on the quality benchmark's train part):
- EDIT_COST: nats per edit when a segment is not one the model kept (an unseen spelling);
- TEMPERATURE: per script (script()), nats per Latin letter that cost one e-fold of
  similarity. Per script the highest of 7, 8 and 9 that keeps the clean travellers writing in
  it (train part, 1,000 each) within the false-alarm targets at the calibrated
  POSSIBLE_MATCH (200 per 10,000 names only, 20 with a date of birth), 9 only when clear of
  them: Arabic at 9 gave 230 / 80, at 8 110 / 0; Cyrillic at 9 190 / 20 (on the line), at 8
  40 / 10; Chinese at 8 gave 30 with a date of birth, at 7 70 / 0;
- a name's likeness: its best one-to-one assignment of native words to record tokens, the
  mean similarity over the native words, each record token left over counting half a word.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from indexes import translit_model
from indexes.kernels.translit import _lexicon_decode_kernel, _translit_cost_kernel
from indexes.normalize import is_arabic, is_cyrillic

TRANSLIT_LIKENESS_VERSION = 2  # 2: a temperature per script
EDIT_COST = 2.5
UNKNOWN_COST = 9.0  # a character the model never saw: about log(1e-4)
TEMPERATURE = {"arabic": 8.0, "cyrillic": 8.0, "chinese": 7.0}
MAX_SEGMENT = 5  # Latin letters one native character may emit (Chinese syllables run to 5)
LEFTOVER_RECORD_TOKEN = 0.5  # share of a word each unassigned record token counts
LEXICON_BEAM = 256  # hypotheses kept per native character by lexicon_spellings
MAX_WORDS = 6  # longer names are assigned greedily rather than by trying every assignment
_SPLIT = re.compile(r"[^\w]+|_")


@dataclass(frozen=True)
class _Tables:
    keys: dict[str, int]
    key_offsets: np.ndarray
    seg_offsets: np.ndarray
    seg_chars: np.ndarray
    seg_cost: np.ndarray


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The model's kept segments as flat arrays (key -> segments -> letters, cost)."""
    table = translit_model.tables()
    keys: dict[str, int] = {}
    key_offsets, seg_offsets, chars, costs = [0], [0], bytearray(), []
    for key, segs in table.items():
        keys[key] = len(keys)
        for seg, lp in segs:
            chars += seg.encode("ascii")
            seg_offsets.append(len(chars))
            costs.append(-lp)
        key_offsets.append(len(costs))
    return _Tables(keys, np.asarray(key_offsets, dtype=np.int64),
                   np.asarray(seg_offsets, dtype=np.int64),
                   np.frombuffer(bytes(chars) or b"\0", dtype=np.uint8).copy(),
                   np.asarray(costs, dtype=np.float64))


def native_words(name: str) -> list[str] | None:
    """The words of a name written wholly in a script the model knows (lower case), or None
    when any letter is Latin or unknown to the model (the usual scorer handles those)."""
    if (name or "").isascii():  # the common case, answered without a table lookup per letter
        return None
    table = translit_model.tables()
    words = [w.lower() for w in _SPLIT.split(name or "") if w]
    if not words:
        return None
    for w in words:
        if not all(ch in table for ch in w):
            return None
    return words


def _pos_keys(word: str, t: _Tables) -> np.ndarray:
    out = np.empty(len(word), dtype=np.int64)
    for k in range(len(word)):
        pos_key, char_key = translit_model._keys(word, k)
        out[k] = t.keys.get(pos_key, t.keys.get(char_key, -1))
    return out


def translit_cost(word: str, latin: str) -> tuple[float, float]:
    """(cost of writing `latin` for the native `word`, cost of the model's likeliest spelling)
    in nats; the first is inf when no alignment exists (too many letters)."""
    t = _tables()
    letters = np.frombuffer(latin.encode("ascii", "ignore"), dtype=np.uint8)
    return _translit_cost_kernel(_pos_keys(word, t), t.key_offsets, t.seg_offsets, t.seg_chars,
                                 t.seg_cost, letters, MAX_SEGMENT, EDIT_COST, UNKNOWN_COST)


@lru_cache(maxsize=65_536)
def token_likeness(word: str, latin: str) -> float:
    """Similarity in [0, 1] of a listed Latin token to a native word (1: the model's own
    likeliest spelling, or as likely)."""
    letters = sum(1 for ch in latin if "A" <= ch <= "Z")
    if not word or not letters:
        return 0.0
    cost, likeliest = translit_cost(word, latin)
    if math.isinf(cost):
        return 0.0
    return math.exp(-max(0.0, cost - likeliest) / (TEMPERATURE[script(word)] * letters))


def script(word: str) -> str:
    """The script of a native word, by its first letter: arabic, cyrillic or chinese (the
    model's three; anything else is taken as Chinese, the widest block)."""
    if word and is_arabic(word[0]):
        return "arabic"
    if word and is_cyrillic(word[0]):
        return "cyrillic"
    return "chinese"


def name_likeness(words: list[str], tokens: list[str]
                  ) -> tuple[float, list[tuple[str, str, float]]]:
    """(likeness, pairs): the best one-to-one assignment of native words to record tokens
    (pairs: word, token ("" when none is left), similarity); the mean similarity over the
    words, each record token left unassigned counting LEFTOVER_RECORD_TOKEN of a word."""
    if not words or not tokens:
        return 0.0, [(w, "", 0.0) for w in words]
    sims = [[token_likeness(w, t) for t in tokens] for w in words]
    n_w, n_t = len(words), len(tokens)
    den = n_w + LEFTOVER_RECORD_TOKEN * max(0, n_t - n_w)
    if n_w <= MAX_WORDS and n_t <= MAX_WORDS:
        best_sum, best_pick = -1.0, ()
        if n_w <= n_t:
            for pick in itertools.permutations(range(n_t), n_w):
                s = sum(sims[i][j] for i, j in enumerate(pick))
                if s > best_sum:
                    best_sum, best_pick = s, pick
            assigned = dict(enumerate(best_pick))
        else:
            for pick in itertools.permutations(range(n_w), n_t):
                s = sum(sims[i][j] for j, i in enumerate(pick))
                if s > best_sum:
                    best_sum, best_pick = s, pick
            assigned = {i: j for j, i in enumerate(best_pick)}
    else:  # greedy: the most similar pair first
        assigned, used = {}, set()
        for _sim, i, j in sorted(((sims[i][j], i, j) for i in range(n_w) for j in range(n_t)),
                              reverse=True):
            if i not in assigned and j not in used:
                assigned[i] = j
                used.add(j)
    pairs = [(w, tokens[assigned[i]], sims[i][assigned[i]]) if i in assigned else (w, "", 0.0)
             for i, w in enumerate(words)]
    return sum(p[2] for p in pairs) / den, pairs


@dataclass(frozen=True)
class Lexicon:
    """Listed tokens (A-Z bytes, CSR) and their byte order, for lexicon_spellings."""

    chars: np.ndarray
    offsets: np.ndarray
    order: np.ndarray

    @classmethod
    def of(cls, chars: np.ndarray, offsets: np.ndarray) -> Lexicon:
        n = len(offsets) - 1
        words = np.array([bytes(chars[offsets[t]:offsets[t + 1]]) for t in range(n)],
                         dtype=object)
        order = np.asarray(sorted(range(n), key=words.__getitem__), dtype=np.int64)
        return cls(chars, offsets, order)


def lexicon_spellings(word: str, lexicon: Lexicon, beam: int = LEXICON_BEAM
                      ) -> tuple[np.ndarray, np.ndarray]:
    """(token ids, costs above the model's likeliest spelling): the listed tokens the model
    writes for a native word with its kept segments, cheapest first. A spelling that needs an
    edit is not found here (the likeness still scores it once it is a candidate)."""
    t = _tables()
    keys = _pos_keys(word, t)
    tok, cost = _lexicon_decode_kernel(keys, t.key_offsets, t.seg_offsets, t.seg_chars,
                                       t.seg_cost, lexicon.chars, lexicon.offsets,
                                       lexicon.order, beam)
    likeliest = translit_cost(word, "")[1]
    order = np.argsort(cost, kind="stable")
    return tok[order], cost[order] - likeliest
