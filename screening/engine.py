"""The screening engine: a batch of validated passengers in, graded decisions out.

Batch first: one call looks up every passenger's document in the stolen/lost list
and on listed persons' records, and searches every name, with vectorised kernels.
The engine knows nothing of gRPC, files or the follow-up queue.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from indexes.document_index import query_hashes
from indexes.kernels.names import UNMATCHED_RECORD_COST
from indexes.name_index import NameMatch
from indexes.snapshot import Snapshot
from screening import evidence
from screening.domain import (
    Decision,
    Match,
    MatchDetail,
    Passenger,
    PassengerResult,
    RecordKind,
)
from screening.settings import Settings

# Document statuses on the stolen/lost list that make a presented document a hit.
_DOC_STATUS_WORDS = {
    "STOLEN": "stolen", "LOST": "lost", "REVOKED": "revoked", "INVALID": "invalid",
    "STOLEN_BLANK": "stolen blank",
}


# A failed MRZ check digit on the document number lowers confidence in that number.
MRZ_DOCUMENT_CHECK_PENALTY = 0.05
# Names scoring at least this are namesakes: two or more records sharing the passenger's name
# make it ambiguous, whatever the token statistics say (see evidence.COMMON_NAME_CAP).
NAMESAKE_SCORE = 0.95
# A listed document number: a HIT. One that differs only by look-alike characters (O/0, I/1)
# is likelier a misreading than another document: reviewed (above POSSIBLE_MATCH), never a HIT.
DOCUMENT_EXACT_SCORE = 0.99
DOCUMENT_LOOK_ALIKE_SCORE = 0.91
COMMON_RARITY = 0.5  # NameMatch.rarity below this: a common name


def other_bearers(names: Sequence[NameMatch], match: NameMatch) -> int:
    """Names on the list, other than the one `match` met, that hold every name the passenger
    gives spelled the same (among the passenger's name matches, `names`). Names, not records:
    one person listed twice (OFAC and the UN both list ISHAKZAI Gul Agha) is no namesake."""
    def spelled(m: NameMatch) -> tuple[str, ...]:
        return tuple(sorted(p.record_token for p in m.pairs if p.record_token))

    own = spelled(match)
    return len({spelled(m) for m in names
                if all(p.similarity >= 1.0 for p in m.pairs if p.query_token)} - {own})


def name_floor(settings: Settings) -> float:
    """Lowest name score worth searching for: below it a name match ends CLEAR even with
    every other piece of evidence agreeing (a document on record is looked up on its own), so
    searching lower only costs time. Never below settings.name_min_score; the 1e-4 margin
    covers the rounding of final scores to 4 decimals."""
    reachable = ((settings.possible_match_threshold - evidence.MAX_EVIDENCE_GAIN)
                 / evidence.NAME_WEIGHT - 1e-4)
    return max(settings.name_min_score, reachable)


@dataclass
class _BirthDates:
    """Records by full date of birth (day and month known): a second way to find a person
    when the name alone is crowded with namesakes."""

    dates: np.ndarray  # yyyymmdd, ascending
    records: np.ndarray

    @classmethod
    def of(cls, ev: evidence.RecordEvidence) -> _BirthDates:
        owner = np.repeat(np.arange(len(ev.dob_offsets) - 1, dtype=np.int64),
                          np.diff(ev.dob_offsets))
        full = (ev.dobs > 0) & (ev.dobs % 100 > 0) & (ev.dobs // 100 % 100 > 0)
        order = np.argsort(ev.dobs[full], kind="stable")
        return cls(ev.dobs[full][order], owner[full][order])

    def born_on(self, date: int) -> np.ndarray:
        """Records born on `date` (yyyymmdd), or with its day and month swapped; none for a
        partial or unusable date."""
        day, month = date % 100, date // 100 % 100
        if date <= 0 or day == 0 or month == 0:
            return np.zeros(0, dtype=np.int64)
        dates = [date]
        if day != month and day <= 12:
            dates.append(date - day - month * 100 + month + day * 100)
        found = [self._on(d) for d in dates]
        return np.unique(np.concatenate(found))

    def _on(self, date: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.dates, [date, date + 1])
        return self.records[lo:hi]


def cut_matches(matches: list[Match], settings: Settings) -> list[Match]:
    """Best first (score, then record id), at most settings.max_matches, but never cutting
    through equal scores: matches tied with the last one kept stay too, up to
    settings.name_rerank_limit. Among namesakes that score the same (30 listed KARIMI Ahmad
    and a passenger giving only that name) nothing says which is the person sought: an
    arbitrary cut would drop some of them for a reason no operator could defend."""
    matches = sorted(matches, key=lambda m: (-m.score, m.record_id))
    cut = settings.max_matches
    if len(matches) > cut > 0:
        last = matches[cut - 1].score
        cap = max(cut, settings.name_rerank_limit)
        while cut < min(len(matches), cap) and matches[cut].score == last:
            cut += 1
    return matches[:cut]


def _column(table: pa.Table, name: str) -> pa.Array:
    col = table[name]
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


@dataclass
class _RecordColumns:
    """Per-record columns pulled out of the snapshot once, for fast element access."""

    record_id: pa.Array
    list: pa.Array
    category: pa.Array
    sex: pa.Array
    dobs: pa.Array
    nationalities: pa.Array
    owner: pa.Array

    @classmethod
    def of(cls, records: pa.Table) -> _RecordColumns:
        return cls(*(_column(records, n) for n in
                     ("record_id", "list", "category", "sex", "dates_of_birth", "nationalities",
                      "owner")))


class Engine:
    """Screens batches against one snapshot. Immutable; share it between threads."""

    def __init__(self, snapshot: Snapshot, settings: Settings) -> None:
        self.snapshot = snapshot
        self.settings = settings
        self._rec = _RecordColumns.of(snapshot.records)
        # Kept chunked: combining would copy the whole list (8 GB at 128M documents), and
        # only the few rows a lookup reports are ever read.
        self._docs = {n: snapshot.documents[n] for n in snapshot.documents.column_names}
        self._person_doc_rec = _column(snapshot.person_documents, "record_idx")
        self._person_doc_num = _column(snapshot.person_documents, "number")
        # Dates of birth, sex and nationalities encoded once for the evidence kernel.
        self._evidence = evidence.RecordEvidence.of(self._rec.dobs, self._rec.sex,
                                                    self._rec.nationalities)
        self.name_floor = name_floor(settings)
        self._births = _BirthDates.of(self._evidence)
        # A person match's score is at most its name's share plus the evidence's (the cap only
        # lowers it); 1e-4 below the threshold covers the rounding of scores to 4 decimals.
        self.clear_below = settings.possible_match_threshold - 1e-4

    @property
    def version(self) -> str:
        return self.snapshot.version

    def decide(self, score: float) -> Decision:
        if score >= self.settings.hit_threshold:
            return Decision.HIT
        if score >= self.settings.possible_match_threshold:
            return Decision.POSSIBLE_MATCH
        return Decision.CLEAR

    def screen(self, passengers: list[Passenger]) -> list[PassengerResult]:
        """Screen validated passengers; one result per passenger, in order."""
        if not passengers:
            return []
        numbers = [p.document.number for p in passengers]
        countries = [p.document.issuing_country for p in passengers]
        hashes = query_hashes(numbers, countries)
        exact, confusable = self.snapshot.document_index.lookup(numbers, countries,
                                                                hashes=hashes)
        on_record, _ = self.snapshot.person_document_index.lookup(numbers, countries,
                                                                  hashes=hashes)
        queries = [p.display_name() for p in passengers]
        doc_records = self._doc_records(on_record)
        names_by_passenger, persons = self._person_candidates(passengers, queries, doc_records)

        # Every (passenger, record) pair to weigh: name matches and documents on record; the
        # evidence of all of them comes from one kernel call.
        pair_q: list[int] = []
        pair_rec: list[int] = []
        per_passenger: list[list[tuple[int, object, int]]] = []
        for i in range(len(passengers)):
            doc_row, doc_record = int(on_record[i]), doc_records[i]
            items = []
            for rec, nm in persons[i].items():
                items.append((len(pair_q), nm, doc_row if rec == doc_record else -1))
                pair_q.append(i)
                pair_rec.append(rec)
            per_passenger.append(items)
        batch = evidence.compare_batch(
            self._evidence, [p.date_of_birth for p in passengers], [p.sex for p in passengers],
            [p.nationality for p in passengers], np.asarray(pair_q, dtype=np.int64),
            np.asarray(pair_rec, dtype=np.int64))

        results = []
        for i, p in enumerate(passengers):
            matches: list[Match] = []
            doc_match = self._document_match(p, int(exact[i]), int(confusable[i]))
            if doc_match is not None:
                matches.append(doc_match)
            namesakes = sum(1 for m in names_by_passenger.get(i, [])
                            if m.score >= NAMESAKE_SCORE)
            for k, nm, doc_row in per_passenger[i]:
                if doc_row < 0 and (evidence.NAME_WEIGHT * nm.score + batch.weight[k]
                                    < self.clear_below):
                    continue  # CLEAR even before the common-name cap: no need to explain it
                matches.append(self._person_match(p, pair_rec[k], nm, doc_row, batch, k,
                                                  namesakes, names_by_passenger.get(i, ())))
            matches = [m for m in matches if m.decision != Decision.CLEAR]
            matches = cut_matches(matches, self.settings)
            decision = max((m.decision for m in matches), default=Decision.CLEAR)
            results.append(PassengerResult(
                ref=p.ref, check_id=uuid.uuid4().hex, decision=decision, matches=matches,
                snapshot_version=self.version,
            ))
        return results

    def evidence_weights(self, passenger: Passenger, records: np.ndarray) -> np.ndarray:
        """What the passenger's date of birth, sex and nationality add to a name's share of
        the score against each of `records` (record indexes), as screen weighs them: for
        measuring which records the evidence could lift (bench.quality.candidates)."""
        records = np.asarray(records, dtype=np.int64)
        return evidence.compare_batch(
            self._evidence, [passenger.date_of_birth], [passenger.sex],
            [passenger.nationality], np.zeros(len(records), dtype=np.int64), records).weight

    def person_candidates(self, passengers: list[Passenger]) -> list[dict[int, NameMatch]]:
        """Per passenger, the listed persons the engine weighs (record index -> name match):
        the candidate step on its own, for measuring its recall."""
        numbers = [p.document.number for p in passengers]
        countries = [p.document.issuing_country for p in passengers]
        on_record, _ = self.snapshot.person_document_index.lookup(numbers, countries)
        return self._person_candidates(passengers, [p.display_name() for p in passengers],
                                       self._doc_records(on_record))[1]

    def _doc_records(self, on_record: np.ndarray) -> list[int]:
        """Per passenger, the record listing their document (person-document row -> record
        index), -1 when none does."""
        return [int(self._person_doc_rec[row].as_py()) if row >= 0 else -1
                for row in on_record.tolist()]

    def _person_candidates(self, passengers: list[Passenger], queries: list[str],
                           doc_records: list[int]
                           ) -> tuple[dict[int, list[NameMatch]], list[dict[int, NameMatch]]]:
        """(name search results by passenger, persons to weigh per passenger: record index ->
        name match). Persons come from three places:
        - the name search, from the name floor;
        - the person whose record lists the passenger's document, whatever the name scores;
        - when the name search was crowded (namesakes filled it, or its candidate cut dropped
          some: on a list of millions, hundreds of TURAY CHIBUIKE), the persons born on the
          passenger's date of birth (or with day and month swapped) whose name reaches the
          floor: the one born that day must not be lost among its namesakes."""
        index = self.snapshot.name_index
        named = [i for i, q in enumerate(queries) if q.strip()]
        crowded: list[bool] = []
        name_results = index.search(
            [queries[i] for i in named],
            limit=max(self.settings.max_matches, self.settings.name_rerank_limit),
            min_score=self.name_floor,
            max_candidates=self.settings.name_max_candidates,
            crowded=crowded,
        ) if named else []
        names_by_passenger = dict(zip(named, name_results, strict=True))
        crowded_by_passenger = dict(zip(named, crowded, strict=True))
        persons: list[dict[int, NameMatch]] = [
            {m.record_idx: m for m in names_by_passenger.get(i, [])}
            for i in range(len(passengers))]
        crowds = []  # (passenger, persons born on their date of birth not found by name)
        for i, p in enumerate(passengers):
            if crowded_by_passenger.get(i) and p.date_of_birth:
                born = self._births.born_on(evidence.encode_date(p.date_of_birth))
                born = [r for r in born.tolist() if r not in persons[i]]
                if born:
                    crowds.append((i, born))
        if crowds:  # one scoring call for all of them
            found = index.match_records_many([queries[i] for i, _ in crowds],
                                             [born for _, born in crowds],
                                             min_score=self.name_floor)
            for (i, _), extra in zip(crowds, found, strict=True):
                persons[i].update(extra)
        for i, doc_record in enumerate(doc_records):
            if doc_record >= 0 and doc_record not in persons[i]:
                # The passenger's document is on this person's record: weigh the name too,
                # however far below the search floor it scores.
                persons[i][doc_record] = index.match_record(queries[i], doc_record)
        return names_by_passenger, persons

    # -- documents ---------------------------------------------------------------------

    def _document_match(self, p: Passenger, exact_row: int, confusable_row: int) -> Match | None:
        row, method = (exact_row, "exact") if exact_row >= 0 else (confusable_row, "confusable")
        if row < 0:
            return None
        d = {k: col[row].as_py() or "" for k, col in self._docs.items()}
        details = [
            MatchDetail("document.number", p.document.number, d["number"], method,
                        1.0 if method == "exact" else DOCUMENT_LOOK_ALIKE_SCORE, 0.0),
        ]
        score = DOCUMENT_EXACT_SCORE if method == "exact" else DOCUMENT_LOOK_ALIKE_SCORE
        if "document_number" in p.mrz_flags:
            # The MRZ check digit disagrees with the number read: less sure of the number.
            details.append(MatchDetail("mrz", "document_number", "", "check_digit_failed",
                                       0.0, -MRZ_DOCUMENT_CHECK_PENALTY))
            score -= MRZ_DOCUMENT_CHECK_PENALTY
        if p.document.issuing_country and d["issuing_country"]:
            details.append(MatchDetail("document.issuing_country", p.document.issuing_country,
                                       d["issuing_country"], "exact", 1.0, 0.0))
        if p.document.type and d["type"]:
            same = p.document.type[:1] == d["type"][:1]
            details.append(MatchDetail("document.type", p.document.type, d["type"],
                                       "exact" if same else "different",
                                       1.0 if same else 0.0, 0.0 if same else -0.04))
            if not same:
                score -= 0.04
        status = _DOC_STATUS_WORDS.get(d["status"], d["status"].lower())
        summary = (f"document {d['number']} ({d['issuing_country'] or '?'}, {d['type'] or '?'})"
                   f" reported {status}" + (f" on {d['reported_on']}" if d["reported_on"] else "")
                   + ("" if method == "exact" else "; number matches only with look-alike "
                      "characters folded (O/0, I/1/L, S/5, B/8, Z/2)"))
        # The bureau that reported the document owns the record; the issuing country when
        # the list does not say.
        return Match(record_id=d["record_id"], list="sltd", kind=RecordKind.TRAVEL_DOCUMENT,
                     score=round(score, 4), decision=self.decide(score), summary=summary,
                     details=details, category=f"{(d['status'] or 'stolen').lower()}_document",
                     owner=d["owner"] or d["issuing_country"])

    # -- persons -----------------------------------------------------------------------

    def _person_match(self, p: Passenger, rec: int, nm, doc_row: int,
                      batch: evidence.EvidenceBatch, k: int, namesakes: int,
                      names: Sequence[NameMatch]) -> Match:
        details: list[MatchDetail] = []
        score = 0.0
        corroborated = doc_row >= 0 or int(batch.dob_rel[k]) in (1, 2)  # exact or partial DOB
        if nm is not None:
            score = evidence.NAME_WEIGHT * nm.score
            for pair in nm.pairs:
                details.append(MatchDetail("name", pair.query_token, pair.record_token,
                                           pair.method, round(pair.similarity, 4), 0.0))
            if nm.record_cut > 0:
                # The passenger's name fills an MRZ name field: the listed names after where
                # it ends had no room on the document, and cost nothing.
                whole = evidence.NAME_WEIGHT * nm.with_record_token_cost(UNMATCHED_RECORD_COST)
                details.append(MatchDetail(
                    "name_cut", "", " ".join(x.record_token for x in nm.pairs
                                             if x.method == "cut"),
                    "no_room_on_document", 0.0, round(whole - score, 4)))
                score = whole
            # Names the record lists and the passenger does not give cost little when the
            # date of birth or a document ties them together, more on the name alone:
            # MARIA GARCIA LOPEZ is then as likely another MARIA GARCIA as the listed one
            # (but KHACHATUROV TIGRAN, a name nobody else on the list is expected to bear, is
            # not: the cost falls with the rarity of the names given).
            left_cost = UNMATCHED_RECORD_COST
            if not corroborated and nm.record_left > 0:
                left_cost = evidence.name_only_record_token_cost(
                    nm.chance_bearers, nm.rarest_df, len(self.snapshot.name_index),
                    UNMATCHED_RECORD_COST)
                # Rarity by token statistics assumes names independent, and they are not:
                # listed persons who bear every name the passenger gives show the name is
                # not this record's alone (more than LISTED_BEARERS_MAX of them: no discount,
                # see evidence.py).
                if (left_cost < evidence.NAME_ONLY_RECORD_TOKEN_COST
                        and other_bearers(names, nm) > evidence.LISTED_BEARERS_MAX):
                    left_cost = evidence.NAME_ONLY_RECORD_TOKEN_COST
            if left_cost > UNMATCHED_RECORD_COST:
                alone = evidence.NAME_WEIGHT * nm.with_record_token_cost(left_cost)
                details.append(MatchDetail(
                    "name_incomplete", "", " ".join(x.record_token for x in nm.pairs
                                                    if x.method == "missing"
                                                    and not x.query_token),
                    "not_given_uncorroborated", 0.0, round(alone - score, 4)))
                score = alone
        for detail in evidence.details(batch, k, self._evidence, rec, p.date_of_birth, p.sex,
                                       p.nationality, self._rec.sex[rec].as_py() or ""):
            details.append(detail)
            score += detail.weight
        if nm is not None and not corroborated and (
                nm.rarity < COMMON_RARITY or namesakes >= 2) and score > evidence.COMMON_NAME_CAP:
            # A common name alone identifies nobody: at most a possible match.
            details.append(MatchDetail("name_rarity", "", "", "common_name", round(nm.rarity, 4),
                                       round(evidence.COMMON_NAME_CAP - score, 4)))
            score = evidence.COMMON_NAME_CAP
        if doc_row >= 0:
            number = self._person_doc_num[doc_row].as_py()
            details.append(MatchDetail("document.number", p.document.number, number,
                                       "on_record", 1.0, evidence.DOCUMENT_ON_RECORD))
            score = max(score + evidence.DOCUMENT_ON_RECORD, evidence.DOCUMENT_ONLY_FLOOR)
        score = round(min(max(score, 0.0), 1.0), 4)
        record_id = self._rec.record_id[rec].as_py()
        parts = []
        if nm is not None:
            parts.append(f"name {nm.score:.2f}")
        parts.extend(f"{d.field.replace('_', ' ')} {d.method}" for d in details
                     if d.field != "name")
        summary = f"{self._rec.category[rec].as_py() or 'person'} record: " + ", ".join(parts)
        return Match(record_id=record_id, list=self._rec.list[rec].as_py() or "",
                     kind=RecordKind.NOMINAL, score=score, decision=self.decide(score),
                     summary=summary, details=details,
                     category=self._rec.category[rec].as_py() or "",
                     owner=self._rec.owner[rec].as_py() or "")
