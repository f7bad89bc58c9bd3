"""Passenger manifests with planted true matches, their flights, and truth.jsonl."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from .cultures import make_name, namesake_key, pick_culture, pick_nationality
from .docnumbers import Allocator
from .documents import StolenDoc
from .persons import ListedPerson, random_date, translit_variant
from .script import normalise, strip_diacritics

FLIGHT_EPOCH = datetime(2026, 12, 1, tzinfo=timezone.utc)  # noqa: UP017 (py3.10 target)
CARRIERS = ("AF", "BA", "LH", "EK", "TK", "QR", "AA", "DL", "UA", "KL", "IB", "SU", "CA", "JL", "KE")
AIRPORTS = ("CDG", "JFK", "LHR", "FRA", "DXB", "IST", "DOH", "AMS", "MAD", "SVO", "PEK", "NRT",
            "ICN", "LAX", "GRU", "MEX", "BOM", "CAI", "LOS", "TAS", "ATH", "FCO", "WAW", "SIN")

# Relative frequency of each planted name variation (filtered by what applies to a person).
NOMINAL_VARIATIONS = {
    "exact": 8, "translit": 22, "reorder": 10, "dropped_middle": 8, "typo": 18,
    "cross_script": 16, "diacritics": 8, "alias": 10,
}
DOCUMENT_VARIATIONS = {"stolen_document": 60, "stolen_document_spaced": 25, "stolen_document_ocr": 15}
NOMINAL_SHARE = 0.65
MISSING_DOB = 0.15


@dataclass
class Plan:
    """How many passengers of each kind every manifest gets (decided before any generation)."""

    sizes: list[int]
    nominal: list[int]
    document: list[int]
    person_pool: list[int] = field(default_factory=list)  # candidate person indices
    doc_rows: list[int] = field(default_factory=list)  # stolen-list rows to plant


def make_plan(rng: random.Random, manifests: int, size: int, persons: int, documents: int) -> Plan:
    nominal, document = [], []
    for _ in range(manifests):
        planted = max(1, round(size * rng.uniform(0.03, 0.05))) if size else 0
        n_nom = round(planted * NOMINAL_SHARE) if documents else planted
        n_nom = n_nom if persons else 0
        n_doc = planted - n_nom if documents else 0
        nominal.append(n_nom)
        document.append(n_doc)
    need_p, need_d = sum(nominal), sum(document)
    # Over-sample persons: cancelled ones are discarded, never planted as expected hits.
    pool = sorted(rng.sample(range(persons), min(persons, 2 * need_p + 20))) if need_p else []
    rows = sorted(rng.sample(range(documents), min(documents, need_d))) if need_d else []
    return Plan([size] * manifests, nominal, document, pool, rows)


def _typo(rng: random.Random, word: str) -> str:
    """One keyboard/OCR-style edit on a letter: substitute, delete, transpose or insert."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    for _ in range(10):
        i = rng.choice(letters)
        op = rng.randrange(4)
        new_char = rng.choice("AEIOUNRSTLMKH")
        new_char = new_char if word[i].isupper() else new_char.lower()
        if op == 0:
            out = word[:i] + new_char + word[i + 1:]
        elif op == 1 and len(letters) > 3:
            out = word[:i] + word[i + 1:]
        elif op == 2 and i + 1 < len(word) and word[i + 1].isalpha():
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            out = word[:i] + new_char + word[i:]
        if normalise(out) != normalise(word):
            return out
    return word + ("A" if word[-1:].isupper() else "a")


def _applicable(lp: ListedPerson) -> list[str]:
    pn = lp.name
    out = ["exact", "reorder", "typo"]
    if any(t.variants for t in pn.given + pn.surname):
        out.append("translit")
    if len(pn.given) >= 2:
        out.append("dropped_middle")
    if pn.native_full():
        out.append("cross_script")
    if not (pn.surname_latin + pn.given_latin).isascii():
        out.append("diacritics")
    if any("surname" in a for a in lp.aliases):
        out.append("alias")
    return out


def nominal_name(rng: random.Random, lp: ListedPerson, variation: str) -> dict:
    pn = lp.name
    sur, giv = pn.surname_latin.upper(), pn.given_latin
    if variation == "exact":
        return {"surname": sur, "given_names": giv}
    if variation == "translit":
        return translit_variant(rng, pn)
    if variation == "reorder":
        return {"surname": giv.upper(), "given_names": pn.surname_latin}
    if variation == "dropped_middle":
        tokens = giv.split(" ")
        del tokens[rng.randrange(1, len(tokens))]
        return {"surname": sur, "given_names": " ".join(tokens)}
    if variation == "typo":
        if rng.random() < 0.5:
            return {"surname": _typo(rng, sur), "given_names": giv}
        return {"surname": sur, "given_names": _typo(rng, giv)}
    if variation == "cross_script":
        return {"full_name": pn.native_full()}
    if variation == "diacritics":
        return {"surname": strip_diacritics(sur), "given_names": strip_diacritics(giv)}
    alias = rng.choice([a for a in lp.aliases if "surname" in a])
    return dict(alias)


def _full_dob(rng: random.Random, value: str) -> str:
    """A passenger always has a full date; complete a year-only / year-month record date."""
    if len(value) == 10:
        return value
    year = int(value[:4])
    month = int(value[5:7]) if len(value) == 7 else rng.randint(1, 12)
    return date(year, month, rng.randint(1, 28)).isoformat()


def _spaced(number: str, rng: random.Random) -> str:
    sep = rng.choice((" ", "-"))
    cut = rng.randint(2, len(number) - 2)
    return number[:cut] + sep + number[cut:]


def _ocr(number: str, rng: random.Random) -> str | None:
    spots = [i for i, c in enumerate(number) if c in "0O"]
    if not spots:
        return None
    i = rng.choice(spots)
    return number[:i] + ("O" if number[i] == "0" else "0") + number[i + 1:]


class ManifestWriter:
    def __init__(self, rng: random.Random, alloc: Allocator, namesakes: set[str]) -> None:
        self.rng = rng
        self.alloc = alloc
        self.namesakes = namesakes

    def _document(self, country: str, depart: datetime, number: str | None = None,
                  doc_type: str = "P") -> dict:
        expiry = depart.date() + timedelta(days=self.rng.randint(20, 3650))
        return {"number": number or self.alloc.next(country), "issuing_country": country,
                "type": doc_type, "expiry": expiry.isoformat()}

    def clean(self, ref: str, depart: datetime) -> dict:
        """A traveller drawn from the same pools who is never an exact namesake of a listed name."""
        rng = self.rng
        while True:
            culture = pick_culture(rng)
            sex = rng.choice("MF")
            pn = make_name(rng, culture, sex)
            sur, giv = pn.surname_latin.upper(), pn.given_latin
            if namesake_key(sur, giv) not in self.namesakes:
                break
        nat = pick_nationality(rng, culture)
        return {"ref": ref, "surname": sur, "given_names": giv,
                "date_of_birth": random_date(rng, 1940, 2010).isoformat(), "sex": sex,
                "nationality": nat, "document": self._document(nat, depart)}

    def nominal(self, ref: str, depart: datetime, lp: ListedPerson) -> tuple[dict, str]:
        rng = self.rng
        options = _applicable(lp)
        variation = rng.choices(options, weights=[NOMINAL_VARIATIONS[o] for o in options])[0]
        pax = {"ref": ref, **nominal_name(rng, lp, variation)}
        pax["date_of_birth"] = ("" if rng.random() < MISSING_DOB
                                else _full_dob(rng, lp.dates_of_birth[0]))
        pax["sex"] = lp.sex
        pax["nationality"] = lp.nationality
        if lp.documents and rng.random() < 0.4:
            d = rng.choice(lp.documents)
            pax["document"] = self._document(d["issuing_country"], depart, d["number"], d["type"])
        else:
            pax["document"] = self._document(lp.nationality, depart)
        return pax, variation

    def document(self, ref: str, depart: datetime, doc: StolenDoc) -> tuple[dict, str]:
        rng = self.rng
        pax = self.clean(ref, depart)
        variation = rng.choices(list(DOCUMENT_VARIATIONS), weights=list(DOCUMENT_VARIATIONS.values()))[0]
        number = doc.number
        if variation == "stolen_document_ocr":
            number = _ocr(number, rng) or number
            variation = variation if number != doc.number else "stolen_document_spaced"
        if variation == "stolen_document_spaced":
            number = _spaced(doc.number, rng)
        if rng.random() < 0.85:
            pax["nationality"] = doc.issuing_country
        pax["document"] = self._document(doc.issuing_country, depart, number, doc.type)
        return pax, variation

    def flight(self, manifest_id: str, index: int) -> tuple[dict, datetime]:
        rng = self.rng
        carrier = rng.choice(CARRIERS)
        dep_ap, arr_ap = rng.sample(AIRPORTS, 2)
        depart = FLIGHT_EPOCH + timedelta(days=index, minutes=rng.randrange(0, 24 * 60, 5))
        arrive = depart + timedelta(minutes=rng.randrange(60, 15 * 60, 5))
        return {
            "carrier": carrier, "flight_number": f"{carrier}{rng.randint(1, 9999)}",
            "departure_airport": dep_ap, "arrival_airport": arr_ap,
            "departure_time": depart.isoformat(), "arrival_time": arrive.isoformat(),
            "manifest_id": manifest_id,
        }, depart


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)
