"""Benchmark cases: positive queries (a listed person's name varied by class), clean
passengers and near-misses (negatives). Deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from bench.quality import variations as V
from bench.quality.data import Listed, Watchlist, _key, native_separator
from screening.datagen.cultures import make_name, pick_culture
from screening.validation import parse_partial_date

# Classes where the real lists lack the needed culture (names with diacritics): this share of
# their queries comes from synthetic listed persons.
SYNTHETIC_SHARE = {"diacritics": 0.5, "mrz_translit": 0.5}


@dataclass
class Case:
    qid: str
    kind: str  # "positive", "clean", "near_given" (same given name), "near_family",
    # "xs_clean_<lang>" (a clean traveller in Arabic, Cyrillic or Chinese script)
    cls: str  # variation class (positives) or the kind (negatives)
    group: str
    record_id: str  # the listed person a positive comes from; "" for negatives
    split: str
    query: V.Query
    dob: str  # the date a "with DOB" run uses ("" = only screened without DOB)


def _valid_dob(dobs: list[str]) -> str:
    for d in dobs:
        try:
            parse_partial_date(d, field="dob")
            return d
        except Exception:  # noqa: BLE001 - free-text dates on real lists: skip them
            continue
    return ""


def _draw(rng: random.Random, cls: str, people: list[Listed], want: int, cases: list[Case],
          seen: set[str]) -> None:
    """Append up to `want` cases of class cls from `people` (visited in random order)."""
    order = list(range(len(people)))
    rng.shuffle(order)
    group = V.CLASSES[cls][0]
    got = 0
    for i in order:
        if got >= want:
            return
        p = people[i]
        if p.record_id in seen or not V.is_latin_name(p.surname + p.given_names):
            continue
        q = V.apply(cls, rng, p.surname, p.given_names)
        if q is None:
            continue
        seen.add(p.record_id)  # one query per person and class: no person dominates a class
        cases.append(Case(f"{cls}-{len(cases)}", "positive", cls, group, p.record_id, p.split, q,
                          _valid_dob(p.dobs)))
        got += 1


def positives(wl: Watchlist, per_class: int, seed: int) -> list[Case]:
    """`per_class` queries per variation class (train + test) and every cross-script person."""
    real = [p for p in wl.listed if p.source == "real"]
    srng = random.Random(f"{seed}-synthetic-sample")
    # A fixed random sample of synthetic persons is plenty for top-ups.
    synth = srng.sample(wl.synthetic, min(len(wl.synthetic), 50 * per_class))
    out: list[Case] = []
    for cls in V.CLASSES:
        rng = random.Random(f"{seed}-{cls}")
        cases: list[Case] = []
        seen: set[str] = set()
        n_synth = round(per_class * SYNTHETIC_SHARE.get(cls, 0.0))
        if n_synth:
            with_marks = [p for p in synth if not (p.surname + p.given_names).isascii()]
            _draw(rng, cls, with_marks, n_synth, cases, seen)
        _draw(rng, cls, real, per_class - len(cases), cases, seen)
        _draw(rng, cls, synth, per_class - len(cases), cases, seen)  # top up if real ran out
        out.extend(cases)
    for p in wl.listed:
        if p.source.startswith("translit-"):
            lang = p.source.split("-", 1)[1]
            out.append(Case(f"{lang}-{len(out)}", "positive", lang, "cross-script", p.record_id,
                            p.split, V.Query(full_name=p.native), _valid_dob(p.dobs)))
    return out


def _random_dob(rng: random.Random) -> str:
    first = date(1940, 1, 1).toordinal()
    return date.fromordinal(rng.randint(first, date(2010, 12, 31).toordinal())).isoformat()


# Share of clean travellers whose name comes as read from their document's MRZ
# (SURNAME<<GIVEN<NAMES, cut at the name field's length): the rules for MRZ names (a cut last
# token matches as a prefix, listed names past the cut cost nothing) must not raise false
# alarms on them.
CLEAN_MRZ_SHARE = 0.1


def clean(wl: Watchlist, count: int, seed: int) -> list[Case]:
    """Travellers from the generator's pools, never exact namesakes (same name tokens in any
    order) of any listed name; random dates of birth, as real traffic. CLEAN_MRZ_SHARE of
    them give their name as an MRZ name field (a field length of V.MRZ_CUTS, the name cut
    when longer)."""
    rng = random.Random(f"{seed}-clean")
    rng_mrz = random.Random(f"{seed}-clean-mrz")  # its own stream: the names stay the same
    out: list[Case] = []
    while len(out) < count:
        pn = make_name(rng, pick_culture(rng), rng.choice("MF"))
        sur, giv = pn.surname_latin.upper(), pn.given_latin
        if _key(sur, giv) in wl.name_keys:
            continue
        i = len(out)
        query = V.Query(sur, giv)
        if rng_mrz.random() < CLEAN_MRZ_SHARE:
            query = V.Query(full_name=V.mrz_name(sur, giv)[:rng_mrz.choice(V.MRZ_CUTS)])
        out.append(Case(f"clean-{i}", "clean", "clean", "negative", "",
                        "train" if i % 2 == 0 else "test", query, _random_dob(rng)))
    return out


# Cross-script languages of the transliteration pairs, and the script each is written in.
XS_SCRIPTS = {"arabic": "Arabic", "russian": "Cyrillic", "chinese": "Chinese"}


def clean_cross_script(wl: Watchlist, per_lang: int, seed: int) -> list[Case]:
    """Travellers who write their name in Arabic, Cyrillic or Chinese script and are not
    listed: the given name of one cross-script listed person and the surname of another (both
    native forms from the transliteration pairs), never a listed Latin name. The cross-script
    positives' clean counterpart: the same tokens, other persons. Kind `xs_clean_<lang>`;
    reported beside the clean travellers, not used to calibrate."""
    out: list[Case] = []
    for lang in XS_SCRIPTS:
        rng = random.Random(f"{seed}-xs-clean-{lang}")
        sep = native_separator(lang)
        people = [p for p in wl.listed if p.source == f"translit-{lang}" and sep in p.native]
        made = 0
        tries = 0
        while made < per_lang and len(people) > 1 and tries < 50 * per_lang:
            tries += 1
            a, b = rng.sample(people, 2)
            if _key(b.surname, a.given_names) in wl.name_keys:
                continue
            native = a.native.split(sep, 1)[0] + sep + b.native.split(sep, 1)[1]
            out.append(Case(f"xs-clean-{lang}-{made}", f"xs_clean_{lang}", f"xs_clean_{lang}",
                            "negative", "", "train" if made % 2 == 0 else "test",
                            V.Query(full_name=native), _random_dob(rng)))
            made += 1
    return out


def near_misses(wl: Watchlist, count: int, seed: int) -> list[Case]:
    """Same given name + another listed family name, and same family name + other given names,
    of real listed persons (synthetic ones when the real are too few); never exact namesakes."""
    rng = random.Random(f"{seed}-near")
    people = [p for p in wl.listed if p.source == "real" and p.given_names
              and V.is_latin_name(p.surname + p.given_names)]
    people += rng.sample(wl.synthetic, min(len(wl.synthetic), 20_000))
    out: list[Case] = []
    tries = 0
    while len(out) < count and tries < 50 * count:
        tries += 1
        a, b = rng.choice(people), rng.choice(people)
        if a.record_id == b.record_id or not a.given_names or not b.given_names:
            continue
        kind = "near_given" if len(out) % 2 == 0 else "near_family"
        sur, giv = (b.surname, a.given_names) if kind == "near_given" else (a.surname, b.given_names)
        if _key(sur, giv) in wl.name_keys:
            continue
        i = len(out)
        out.append(Case(f"{kind}-{i}", kind, kind, "negative", "",
                        "train" if i % 4 < 2 else "test", V.Query(sur, giv), _random_dob(rng)))
    return out
