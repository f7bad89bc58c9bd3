"""Nominal records (wanted / missing / sanctioned persons) -> nominal.jsonl.

Pure Python per person, kept light (~20 us/person): one `random.Random` stream, no deep copies.
"""

from __future__ import annotations

import json
import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tqdm import tqdm

from .cultures import PersonName, make_name, namesake_key, pick_culture, pick_nationality
from .docnumbers import Allocator
from .script import strip_diacritics

# (list, category, weight, share of men, birth-year range)
LISTS = (
    ("interpol-red", "wanted", 0.80, 0.88, (1945, 2004)),
    ("interpol-yellow", "missing", 0.08, 0.45, (1950, 2018)),
    ("un-sc", "sanctioned", 0.06, 0.92, (1940, 1995)),
    ("ofac-sdn", "sanctioned", 0.06, 0.90, (1940, 1998)),
)
_LIST_CUM = [sum(x[2] for x in LISTS[: i + 1]) for i in range(len(LISTS))]
CANCELLED_SHARE = 0.03
REPORTING = ("FRA", "USA", "GBR", "DEU", "ITA", "ESP", "BEL", "NLD", "CHE", "CAN", "AUS", "TUR")
ALIAS_COUNT_W = (0.30, 0.45, 0.20, 0.05)  # 0..3 aliases, mean 1.0 -> ~2 names per person


@dataclass(slots=True)
class ListedPerson:
    """What the manifest planter needs about a person (kept only for sampled candidates)."""

    record_id: str
    name: PersonName
    sex: str
    dates_of_birth: list[str]
    nationality: str
    documents: list[dict]
    aliases: list[dict]
    active: bool


def random_date(rng: random.Random, y0: int, y1: int) -> date:
    first = date(y0, 1, 1).toordinal()
    return date.fromordinal(rng.randint(first, date(y1, 12, 31).toordinal()))


def _dobs(rng: random.Random, years: tuple[int, int]) -> list[str]:
    d = random_date(rng, *years)
    r = rng.random()
    # Mostly full dates; some records only know the year or the month.
    first = d.isoformat() if r < 0.82 else d.isoformat()[:4] if r < 0.93 else d.isoformat()[:7]
    out = [first]
    if rng.random() < 0.10:
        alt = d + timedelta(days=rng.choice((-730, -365, 365, 730, 31, -31)))
        if alt.day <= 12 and rng.random() < 0.5:  # day/month confusion is a classic alternative
            alt = date(alt.year, alt.day, alt.month)
        alt_s = alt.isoformat() if len(first) == 10 else alt.isoformat()[: len(first)]
        if alt_s != first:
            out.append(alt_s)
    return out


def _alias_kinds(pn: PersonName, sex: str) -> list[str]:
    kinds = []
    if any(t.variants for t in pn.given + pn.surname):
        kinds.append("translit")
    kinds.append("swap")
    if sex == "F" and pn.culture.code not in ("chinese", "korean", "vietnamese"):
        kinds.append("maiden")
    if not (pn.surname_latin + pn.given_latin).isascii():
        kinds.append("ascii")
    return kinds


def make_alias(rng: random.Random, pn: PersonName, kind: str, sex: str) -> dict:
    sur, giv = pn.surname_latin, pn.given_latin
    if kind == "native":
        return {"full_name": pn.native_full()}
    if kind == "translit":
        return translit_variant(rng, pn)
    if kind == "swap":
        return {"surname": giv.upper(), "given_names": sur}
    if kind == "ascii":
        return {"surname": strip_diacritics(sur).upper(), "given_names": strip_diacritics(giv)}
    # maiden name: another surname of the same culture
    maiden = make_name(rng, pn.culture, sex).surname_latin
    return {"surname": maiden.upper(), "given_names": giv}


def translit_variant(rng: random.Random, pn: PersonName) -> dict:
    """Replace one token that has known alternative romanisations by one of them."""
    slots = [("g", i) for i, t in enumerate(pn.given) if t.variants]
    slots += [("s", i) for i, t in enumerate(pn.surname) if t.variants]
    part, i = rng.choice(slots)
    given = [t.latin for t in pn.given]
    surname = [t.latin for t in pn.surname]
    tokens = given if part == "g" else surname
    tokens[i] = rng.choice((pn.given if part == "g" else pn.surname)[i].variants)
    return {"surname": " ".join(surname).upper(), "given_names": " ".join(given)}


def write_persons(path: Path, count: int, seed: int, alloc: Allocator, keep: set[int],
                  progress: bool = True) -> tuple[set[str], list[ListedPerson]]:
    """Write `count` records. Returns the namesake keys of every Latin name on the list and
    the full details of the persons whose 0-based index is in `keep`."""
    rng = random.Random(seed)
    keys: set[str] = set()
    kept: list[ListedPerson] = []
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    step = 10_000
    with open(path, "w", encoding="utf-8", newline="\n") as fh, tqdm(
        total=count, desc="persons", unit="person", unit_scale=True, disable=not progress
    ) as bar:
        buf: list[str] = []
        for i in range(count):
            lst, cat, _, men, years = LISTS[bisect(_LIST_CUM, rng.random() * _LIST_CUM[-1])]
            sex = "M" if rng.random() < men else "F"
            culture = pick_culture(rng)
            pn = make_name(rng, culture, sex)
            names: list[dict] = [{"surname": pn.surname_latin.upper(), "given_names": pn.given_latin}]
            k = rng.choices((0, 1, 2, 3), weights=ALIAS_COUNT_W)[0]
            kinds = _alias_kinds(pn, sex)
            rng.shuffle(kinds)
            if culture.script and pn.native_full() and rng.random() < 0.75:
                kinds.insert(0, "native")  # most non-Latin-script records carry the native form
                k = max(k, 1)
            for kind in kinds[:k]:
                alias = make_alias(rng, pn, kind, sex)
                if alias not in names:
                    names.append(alias)
            for n in names:
                if "surname" in n:
                    keys.add(namesake_key(n["surname"], n["given_names"]))
            nat = pick_nationality(rng, culture)
            nats = [nat]
            if rng.random() < 0.08:
                other = pick_nationality(rng, pick_culture(rng))
                if other != nat:
                    nats.append(other)
            docs = []
            for _ in range(rng.choices((0, 1, 2), weights=(0.35, 0.5, 0.15))[0]):
                country = rng.choice(nats)
                docs.append({"number": alloc.next(country), "issuing_country": country,
                             "type": "P" if rng.random() < 0.85 else "I"})
            if lst.startswith("interpol"):
                owner = nat if rng.random() < 0.6 else rng.choice(REPORTING)
            elif lst == "ofac-sdn":
                owner = "USA"
            else:
                owner = rng.choice(("USA", "GBR", "FRA"))
            active = rng.random() >= CANCELLED_SHARE
            dobs = _dobs(rng, years)
            rec = {
                "record_id": f"N-{i + 1}", "list": lst, "category": cat, "names": names,
                "dates_of_birth": dobs, "sex": sex, "nationalities": nats, "documents": docs,
                "owner": owner, "status": "active" if active else "cancelled",
                "culture": culture.code,
            }
            buf.append(dumps(rec))
            if i in keep:
                kept.append(ListedPerson(rec["record_id"], pn, sex, dobs, nat, docs, names[1:], active))
            if len(buf) >= step:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
                bar.update(step)
        if buf:
            fh.write("\n".join(buf) + "\n")
            bar.update(len(buf))
    return keys, kept

