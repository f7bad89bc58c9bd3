"""Romanisation variants: Latin spellings of one name that come from one spelling in another
script (OMAR / UMAR from عمر, OLEKSANDR / ALEKSANDR from Александр, SERHIY / SERGEY from
谢尔盖).

Why: a passenger's SERHIY and the list's SERGEY, or UMAR and OMAR, are one name written by two
romanisation conventions, yet by spelling alone they are no nearer than two different names
(SERHIY / SERGEY: Jaro-Winkler 0.84), and the scorer discounts a likeness between two names
it knows (q_fuzzy). The list's own aliases give some such pairs (alias variants); these come
from the transliteration training pairs (`*_train.tsv` only: the cross-script test part stays
unseen): two Latin spellings listed for the same Arabic, Cyrillic or Chinese word. The
native forms also gather unrelated names (арима: ARIMA and eight Japanese given names), so a
pair is kept only when the two spellings are alike (Jaro-Winkler >= MIN_JW, lengths within
MAX_LEN_DIFF), the native form has at most MAX_SPELLINGS of them, and a short pair (see
SHORT_LEN) comes from two native words.
`python -m indexes.romanisation_variants train` writes the table, which ships with the
package (romanisation_variants.tsv.gz); the name index pairs the listed tokens it holds.
"""

from __future__ import annotations

import gzip
import itertools
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from indexes.normalize import PARTICLES
from indexes.reference import jaro_winkler
from indexes.translit_model import LANGS, read_pairs, shipped, train_arguments

TABLE_FILE = Path(__file__).with_name("romanisation_variants.tsv.gz")
# Korean and Chinese names under their romanisation systems, curated (see the file's header).
CURATED_FILE = Path(__file__).with_name("surname_romanisations.tsv")
MIN_LEN = 3  # as alias variants (VARIANT_MIN_LEN): shorter spellings stand for too many names
MAX_LEN_DIFF = 2
MIN_JW = 0.75  # OMAR / UMAR 0.83, ZHANG / CHANG 0.87; NOBUARI / NOBUKADO and the like fall out
MAX_SPELLINGS = 30  # a native form with more Latin spellings is a homograph of many names
# Scripts that leave out vowels or fold consonants merge many short names (YOKO / YUKO in
# Arabic script, TANG / THAN in Cyrillic, KHOA / HOA): a pair whose shorter spelling has
# fewer than SHORT_LEN letters needs SHORT_SUPPORT native words that agree (OMAR / UMAR: عمر
# and 奧馬爾). In a quick quality run such pairs were a third of the clean false alarms the
# table brought.
SHORT_LEN = 5
SHORT_SUPPORT = 2


def train(data: Path) -> list[tuple[str, str]]:
    """Sorted unique (a, b), a < b: the kept pairs of Latin spellings of one native word."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for lang in LANGS:
        for native, latin, _ in read_pairs(data / f"{lang}_train.tsv"):
            if len(latin) >= MIN_LEN:
                spellings[f"{lang}:{native}"].add(latin)
    support: Counter[tuple[str, str]] = Counter()  # native words giving each pair
    for latins in spellings.values():
        if len(latins) > MAX_SPELLINGS:
            continue
        for a, b in itertools.combinations(sorted(latins), 2):
            if abs(len(a) - len(b)) <= MAX_LEN_DIFF and jaro_winkler(a, b) >= MIN_JW:
                support[(a, b)] += 1
    return sorted(p for p, n in support.items()
                  if min(len(p[0]), len(p[1])) >= SHORT_LEN or n >= SHORT_SUPPORT)


@lru_cache(maxsize=1)
def table() -> tuple[tuple[str, str], ...]:
    """The shipped pairs."""
    with gzip.open(shipped(TABLE_FILE, "indexes.romanisation_variants"), "rt", encoding="ascii") as f:
        return tuple(tuple(line.split("\t")) for line in f.read().splitlines() if line)


@lru_cache(maxsize=1)
def curated_pairs() -> tuple[tuple[str, str], ...]:
    """Sorted unique (a, b), a < b: every two spellings on one line of CURATED_FILE (KIM / GIM,
    LEE / RI / RHEE / YI, CHOU / CHOW / ZHOU). Spellings that are name particles (DO, DU, LO:
    normalize.PARTICLES) are left out: a particle pairs with nothing."""
    pairs: set[tuple[str, str]] = set()
    for line in shipped(CURATED_FILE).read_text(encoding="ascii").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        spellings = sorted({t for t in line.split() if t not in PARTICLES})
        pairs.update(itertools.combinations(spellings, 2))
    return tuple(sorted(pairs))


def all_pairs() -> tuple[tuple[str, str], ...]:
    """The pairs a name index holds by default: the learned table and the curated pairs."""
    return tuple(sorted(set(table()) | set(curated_pairs())))


def main(argv: list[str] | None = None) -> int:
    args = train_arguments(argv, "python -m indexes.romanisation_variants",
                           "Derive the romanisation variant table.", TABLE_FILE)
    pairs = train(args.data)
    # mtime=0: the same pairs give the same bytes, so a retrain shows no spurious change.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write("".join(f"{a}\t{b}\n" for a, b in pairs).encode("ascii"))
    print(f"wrote {args.out}: {len(pairs)} pairs ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
