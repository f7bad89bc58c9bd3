"""A learned transliteration model: names in Arabic, Cyrillic or Chinese script to the Latin
spellings a Western list most likely holds for them.

Why learned: anyascii romanises by the script's own rules (محمد -> MHMD, Зерфюсс -> ZERFYUSS,
維斯伯恩 -> WEISIBOEN), but a name written in Arabic or Chinese script on a passenger's record
is usually the transliteration *of* a Latin-script name (WAISBREN, ZEHRFUSS). What each
character stands for in such names is learned from pairs of (Latin, native) spellings:
`python -m indexes.translit_model train` aligns each pair monotonically (every native
character emits a Latin segment of 0..MAX_SEG letters; hard EM seeded by position-weighted
co-occurrence) and keeps, per character and position in the word, the segments it emits
most often. The tables ship with the package (translit_tables.json.gz); `decode` beams over
them to give the likeliest Latin spellings of a word, which join the name's variants.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("translit_tables.json.gz")
LANGS = ("arabic", "russian", "chinese")
MAX_SEG = {"arabic": 3, "russian": 3, "chinese": 5}
KEEP_PER_CHAR = 12  # segments kept per (character, position): rare spellings still score
MIN_SHARE = 0.005  # a segment below this share of its character's emissions is dropped
EM_ROUNDS = 4
MAX_PAIRS = 30_000  # per language: the tables settle well before; training stays ~1 minute
EMPTY_COST = 1.0  # nats added to an empty segment in the seed: silent letters are rarer

Table = dict[str, list[tuple[str, float]]]  # "c|pos" or "c" -> [(segment, log prob)]


def latin_key(s: str) -> str:
    """Latin side of a pair as upper-case A-Z (diacritics folded: hägglund -> HAGGLUND)."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s.upper() if "A" <= ch <= "Z")


def _pos(k: int, n: int) -> str:
    return "B" if k == 0 else ("E" if k == n - 1 else "M")


def _keys(native: str, k: int) -> tuple[str, str]:
    return f"{native[k]}|{_pos(k, len(native))}", native[k]


def _align(native: str, latin: str, cost, max_seg: int) -> list[str] | None:
    """Cheapest monotone segmentation of latin into len(native) segments (Viterbi)."""
    n, m = len(native), len(latin)
    inf = math.inf
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for k in range(n):
        row, nxt = best[k], best[k + 1]
        for j in range(m + 1):
            if row[j] == inf:
                continue
            for seg_len in range(0, min(max_seg, m - j) + 1):
                c = row[j] + cost(native, k, latin[j:j + seg_len])
                if c < nxt[j + seg_len]:
                    nxt[j + seg_len] = c
                    back[k + 1][j + seg_len] = seg_len
    if best[n][m] == inf:
        return None
    segs: list[str] = []
    j = m
    for k in range(n, 0, -1):
        seg_len = back[k][j]
        segs.append(latin[j - seg_len:j])
        j -= seg_len
    return segs[::-1]


def _seed_counts(pairs: list[tuple[str, str, int]], max_seg: int) -> dict[str, Counter]:
    """Co-occurrence of each native character with Latin segments near the same relative
    position: a rough but unbiased start for the alignment."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for native, latin, w in pairs:
        n, m = len(native), len(latin)
        for k, ch in enumerate(native):
            centre = (k + 0.5) / n * m
            for j in range(m):
                for seg_len in range(1, max_seg + 1):
                    if j + seg_len > m:
                        break
                    dist = abs(j + seg_len / 2 - centre) / max(1.0, m / n)
                    if dist <= 1.5:
                        counts[ch][latin[j:j + seg_len]] += w / (1.0 + dist)
    return counts


def _table(counts: dict[str, Counter], keep: int = KEEP_PER_CHAR) -> Table:
    out: Table = {}
    for key, c in counts.items():
        total = sum(c.values())
        top = [(s, v / total) for s, v in c.most_common(keep) if v / total >= MIN_SHARE]
        if top:
            out[key] = [(s, math.log(p)) for s, p in top]
    return out


def _cost_fn(table: Table, seed: bool):
    lookup = {key: dict(segs) for key, segs in table.items()}
    floor = math.log(1e-4)

    def cost(native: str, k: int, seg: str) -> float:
        pos_key, char_key = _keys(native, k)
        d = lookup.get(pos_key) or lookup.get(char_key) or {}
        lp = d.get(seg, floor)
        if seed and not seg:
            lp = d.get(seg, math.log(0.05)) - EMPTY_COST
        return -lp
    return cost


def train(pairs: Iterable[tuple[str, str, int]], max_seg: int) -> Table:
    """Tables from (native, Latin, weight) pairs; see the module doc."""
    data = [(n, la, w) for n, la, w in pairs if n and la]
    table = _table(_seed_counts(data, max_seg), keep=12)
    for rnd in range(EM_ROUNDS):
        cost = _cost_fn(table, seed=rnd == 0)
        counts: dict[str, Counter] = defaultdict(Counter)
        for native, latin, w in data:
            segs = _align(native, latin, cost, max_seg)
            if segs is None:
                continue
            for k, seg in enumerate(segs):
                pos_key, char_key = _keys(native, k)
                counts[pos_key][seg] += w
                counts[char_key][seg] += w
        table = _table(counts)
    return table


def hash_key(s: str) -> str:
    """A stable pseudo-random order (Python's str hash is salted per process)."""
    return hashlib.blake2b(s.encode(), digest_size=8).hexdigest()


def read_pairs(path: Path) -> list[tuple[str, str, int]]:
    """(native, Latin, weight) from a TSV of `latin<TAB>n a t i v e<TAB>count`."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        latin, native = latin_key(parts[0]), parts[1].replace(" ", "").strip().lower()
        weight = int(parts[2]) if len(parts) > 2 and parts[2].strip().isdigit() else 1
        if latin and native:
            out.append((native, latin, min(weight, 5)))
    return out


def shipped(path: Path, trained_by: str = "") -> Path:
    """A data file that ships with the indexes package (`trained_by`: the module that writes
    it, if one does). Missing, it is an install that lost it, not a list without variants or
    a script without a model: say so rather than build indexes that silently match less."""
    if not path.exists():
        rebuild = f", or rebuild it with `python -m {trained_by} train`" if trained_by else ""
        raise FileNotFoundError(f"{path} is missing: it ships with the indexes package "
                                f"(reinstall it{rebuild})")
    return path


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """Per character (any script the model was trained on) its segments (an error naming
    the file when the shipped tables are missing: native-script names would match nothing)."""
    with gzip.open(shipped(MODEL_FILE, "indexes.translit_model"), "rt", encoding="utf-8") as f:
        raw = json.load(f)
    merged: Table = {}
    for lang in LANGS:
        for key, segs in raw.get(lang, {}).items():
            merged.setdefault(key, [(s, lp) for s, lp in segs])
    return merged


def decode(word: str, k: int = 3, beam: int = 12) -> list[str]:
    """The k likeliest Latin spellings of a native-script word ([] when a character is
    unknown to the model)."""
    table = tables()
    word = word.lower()  # Cyrillic was learned in lower case
    hyps: list[tuple[float, str]] = [(0.0, "")]
    for i in range(len(word)):
        pos_key, char_key = _keys(word, i)
        segs = table.get(pos_key) or table.get(char_key)
        if not segs:
            return []
        grown: dict[str, float] = {}
        for lp, text in hyps:
            for seg, slp in segs:
                t = text + seg
                if lp + slp > grown.get(t, -math.inf):
                    grown[t] = lp + slp
        hyps = sorted(((v, t) for t, v in grown.items()), reverse=True)[:beam]
    return [t for _, t in hyps if t][:k]


def train_arguments(argv: list[str] | None, prog: str, description: str,
                    out: Path) -> argparse.Namespace:
    """`train [--data DIR] [--out FILE]`: the command line of the modules trained on the
    transliteration pairs (this one, romanisation_variants)."""
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("command", choices=["train"])
    p.add_argument("--data", type=Path, default=Path("../shared/data/eval/translit"),
                   help="folder of <lang>_train.tsv files (only *_train.tsv is read)")
    p.add_argument("--out", type=Path, default=out)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = train_arguments(argv, "python -m indexes.translit_model",
                           "Train the transliteration tables.", MODEL_FILE)
    model = {}
    for lang in LANGS:
        pairs = read_pairs(args.data / f"{lang}_train.tsv")
        pairs = sorted(pairs, key=lambda t: hash_key(t[0] + t[1]))[:MAX_PAIRS]
        model[lang] = train(pairs, MAX_SEG[lang])
        print(f"{lang}: {len(pairs)} pairs, {len(model[lang])} character keys")
    with gzip.open(args.out, "wt", encoding="utf-8") as f:
        json.dump({lang: {k: [[s, round(lp, 3)] for s, lp in v] for k, v in t.items()}
                   for lang, t in model.items()}, f, ensure_ascii=False, sort_keys=True)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
