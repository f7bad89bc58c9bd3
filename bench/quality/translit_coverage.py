"""How well the learned transliteration model (indexes/translit_model.py) can reach the Latin
spelling of a native-script name token, on the held-out test pairs:

    python -m bench.quality.translit_coverage [--pairs 1500]

- decode: share of test tokens whose Latin spelling is among the model's k likeliest decodes
  (k = 1, 3 (what the index uses, normalize.LEARNED_VARIANTS), 6, 12);
- alignable: share of test tokens whose Latin spelling the model can produce at all (one kept
  segment per native character, indexes.translit_model tables), and the same for a
  distractor (another test token's spelling of about the same length): a check that
  compares a native token with a listed spelling, rather than with the best decodes.
"""

from __future__ import annotations

import argparse
import math
import random

from bench.quality.data import TRANSLIT
from indexes import translit_model as T

KS = (1, 3, 6, 12)


def log_prob(native: str, latin: str) -> float | None:
    """Best log-probability of `latin` as one kept segment per character of `native` (None:
    the model cannot produce it)."""
    table = T.tables()
    best = [0.0] + [-math.inf] * len(latin)
    for i in range(len(native)):
        pos_key, char_key = T._keys(native, i)
        segs = table.get(pos_key) or table.get(char_key)
        if not segs:
            return None
        nxt = [-math.inf] * (len(latin) + 1)
        for j, here in enumerate(best):
            if here == -math.inf:
                continue
            for seg, lp in segs:
                if latin.startswith(seg, j) and here + lp > nxt[j + len(seg)]:
                    nxt[j + len(seg)] = here + lp
        best = nxt
    return best[-1] if best[-1] > -math.inf else None


def measure(lang: str, limit: int, rng: random.Random) -> str:
    pairs = [(n, la) for n, la, _ in T.read_pairs(TRANSLIT / f"{lang}_test.tsv")][:limit]
    latins = [la for _, la in pairs]
    decoded = {k: 0 for k in KS}
    alignable = distractor = 0
    for native, latin in pairs:
        got = T.decode(native, k=max(KS), beam=24)
        for k in KS:
            decoded[k] += latin in got[:k]
        alignable += log_prob(native, latin) is not None
        others = [x for x in rng.sample(latins, min(40, len(latins)))
                  if x != latin and abs(len(x) - len(latin)) <= 1]
        distractor += bool(others) and log_prob(native, others[0]) is not None
    n = max(len(pairs), 1)
    shares = ", ".join(f"top-{k} {decoded[k] / n:.1%}" for k in KS)
    return (f"{lang}: {len(pairs)} test tokens; decode {shares}; alignable {alignable / n:.1%}, "
            f"distractors alignable {distractor / n:.1%}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=1500, help="test tokens per language")
    args = ap.parse_args()
    rng = random.Random(1)
    for lang in T.LANGS:
        print(measure(lang, args.pairs, rng), flush=True)


if __name__ == "__main__":
    main()
