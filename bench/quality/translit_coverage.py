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


def producible(native: str, latin: str) -> bool:
    """Whether the model can write `latin` for `native`: one kept segment per character (the
    model's own monotone alignment, translit_model._align, over the kept segments only)."""
    table = T.tables()
    kept = [dict(table.get(pos_key) or table.get(char_key) or ())
            for pos_key, char_key in (T._keys(native, k) for k in range(len(native)))]
    longest = max((len(seg) for segs in kept for seg in segs), default=0)

    def cost(_word: str, k: int, seg: str) -> float:
        return -kept[k][seg] if seg in kept[k] else math.inf

    return T._align(native, latin, cost, longest) is not None


def measure(lang: str, limit: int, rng: random.Random) -> str:
    pairs = [(n, la) for n, la, _ in T.read_pairs(TRANSLIT / f"{lang}_test.tsv")][:limit]
    latins = [la for _, la in pairs]
    decoded = {k: 0 for k in KS}
    alignable = distractor = 0
    for native, latin in pairs:
        got = T.decode(native, k=max(KS), beam=24)
        for k in KS:
            decoded[k] += latin in got[:k]
        alignable += producible(native, latin)
        others = [x for x in rng.sample(latins, min(40, len(latins)))
                  if x != latin and abs(len(x) - len(latin)) <= 1]
        distractor += bool(others) and producible(native, others[0])
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
