"""UN/EDIFACT PAXLST (passenger and crew lists, D02B/D05B, IATA/WCO API guidelines).

What counts as fatal is kept small: input that is not a PAXLST message at all raises
`PaxlstError`. Everything below that (one bad date, a person without a name, a CNT that
disagrees, missing parts of a multi-part message) is recorded in `warnings`/`errors` with the
segment position and tag, and the rest of the manifest is still read, because a partly broken
manifest must still be screened for the persons that can be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from screening.domain import Flight, Passenger, TravelDocument
from screening.formats.dates import edifact_datetime, yymmdd_to_iso
from screening.formats.edifact import EdifactError, FormatIssue, Segment, tokenize

__all__ = [
    "FlightLeg",
    "FormatIssue",
    "PaxlstError",
    "PaxlstManifest",
    "PaxlstPerson",
    "parse_paxlst",
]


class PaxlstError(EdifactError):
    """The input is not a readable PAXLST message (no UNH, another message type, empty)."""


PERSON_ROLES = {
    "FL": "passenger",
    "FM": "crew",
    "DDU": "passenger",  # in-transit passenger
    "DDT": "crew",  # in-transit crew member
    "COT": "crew",  # crew member on a flight other than as operating crew (IATA)
}
LIST_TYPES = {"745": "passenger", "250": "crew", "336": "crew"}
# RFF qualifiers tried, in order, for the passenger reference echoed back in CUSRES. A value is
# only used when it is unique in the manifest (a PNR locator is shared by a whole booking).
REFERENCE_PREFERENCE = ("ABO", "AEA", "AVF", "SEA", "CR")
DOCUMENT_PREFERENCE = ("P", "PT", "PP", "I", "ID", "A", "C")


# One leg of a PAXLST flight (TDT + LOC/DTM): the domain Flight, its manifest_id and route
# left empty (PaxlstManifest.flight() builds the screening Flight from the legs).
FlightLeg = Flight


@dataclass(slots=True)
class PaxlstPerson:
    passenger: Passenger
    role: str = ""
    residence_country: str = ""
    birthplace: str = ""
    embarkation: str = ""
    debarkation: str = ""
    clearance_location: str = ""
    references: dict[str, str] = field(default_factory=dict)
    documents: list[TravelDocument] = field(default_factory=list)
    segment_index: int = 0  # position of the person's NAD segment
    issues: list[FormatIssue] = field(default_factory=list)  # this person's share of errors


@dataclass(slots=True)
class PaxlstManifest:
    message_ref: str = ""
    sender: str = ""
    recipient: str = ""
    list_type: str = "passenger"
    flight_legs: list[FlightLeg] = field(default_factory=list)
    persons: list[PaxlstPerson] = field(default_factory=list)
    declared_count: int | None = None
    warnings: list[FormatIssue] = field(default_factory=list)
    errors: list[FormatIssue] = field(default_factory=list)
    raw_charset: str = ""
    version: str = ""  # e.g. "D:02B:UN:IATA"
    references: dict[str, str] = field(default_factory=dict)  # message-level RFF (e.g. TN)
    parts: list[str] = field(default_factory=list)  # UNH part numbers seen, in file order

    def flight(self) -> Flight:
        """The screening Flight: first leg's departure, last leg's arrival."""
        if not self.flight_legs:
            return Flight(manifest_id=self.message_ref)
        first, last = self.flight_legs[0], self.flight_legs[-1]
        return Flight(
            carrier=last.carrier or first.carrier,
            flight_number=last.flight_number or first.flight_number,
            departure_airport=first.departure_airport,
            arrival_airport=last.arrival_airport,
            departure_time=first.departure_time,
            arrival_time=last.arrival_time,
            manifest_id=self.message_ref,
            route=self._route(),
        )

    def _route(self) -> tuple[str, ...]:
        """Airports in order over several legs (transit stops in between); () for one leg."""
        if len(self.flight_legs) < 2:
            return ()
        route: list[str] = []
        for leg in self.flight_legs:
            for code in (leg.departure_airport, leg.arrival_airport):
                if code and (not route or route[-1] != code):
                    route.append(code)
        return tuple(route)

    def passengers(self) -> list[Passenger]:
        return [p.passenger for p in self.persons]


def _is_number(text: str) -> bool:
    # str.isdigit() accepts '²' and other digits int() refuses; EDIFACT numbers are ASCII.
    return text.isascii() and text.isdigit()


def _split_flight_id(flight_id: str, carrier: str) -> tuple[str, str]:
    """'UA0989' -> ('UA', '0989'). The carrier element wins when the TDT has one."""
    flight_id = flight_id.replace(" ", "")
    if carrier and flight_id.upper().startswith(carrier.upper()):
        return carrier, flight_id[len(carrier) :]
    if carrier:
        return carrier, flight_id
    # IATA designators are two characters (letters or digit+letter); ICAO ones three letters.
    if len(flight_id) > 3 and flight_id[:3].isalpha():
        return flight_id[:3], flight_id[3:]
    return flight_id[:2], flight_id[2:]


class _Reader:
    """State machine over the segments of one interchange."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.m = PaxlstManifest()
        self.person: PaxlstPerson | None = None
        self.doc: TravelDocument | None = None
        self.leg: FlightLeg | None = None
        self.leg_loc92 = 0
        self.in_message = False
        self.after_unz = False
        self.unh_index = 0
        self.message_refs: list[str] = []
        self.common_refs: set[str] = set()
        self.cnt: dict[str, int] = {}
        self.persons_by_part: list[tuple[int, int, list[PaxlstPerson]]] = []
        self.current_part: list[PaxlstPerson] = []
        self.part_no = 0
        self.final_part_seen = False
        self.leg_signatures: set[tuple] = set()
        self.bgm_codes: set[str] = set()
        self.cnt_segment: Segment | None = None

    # -- issue helpers ------------------------------------------------------------------
    def warn(self, seg: Segment, message: str) -> None:
        self.m.warnings.append(FormatIssue(seg.index, seg.tag, message))

    def error(self, seg: Segment, message: str) -> None:
        issue = FormatIssue(seg.index, seg.tag, message)
        self.m.errors.append(issue)
        if self.person is not None:
            self.person.issues.append(issue)

    # -- dispatch -----------------------------------------------------------------------
    def feed(self, seg: Segment) -> None:
        if self.after_unz:
            self.warn(seg, "data after UNZ ignored")
            return
        handler = getattr(self, "_" + seg.tag, None) if seg.tag.isalnum() else None
        if seg.tag in ("UNB", "UNG", "UNH", "UNZ", "UNE") or self.in_message:
            if handler is not None:
                handler(seg)
            # other segments inside a person group (GEI, FTX, COM, EMP, CPI, QTY...) carry
            # nothing the screening uses; they are skipped on purpose.
        else:
            self.warn(seg, "segment outside a UNH..UNT message ignored")

    def _UNB(self, seg: Segment) -> None:
        self.m.raw_charset = seg.value(0, 0)
        self.m.sender = seg.value(1, 0)
        self.m.recipient = seg.value(2, 0)

    def _UNG(self, seg: Segment) -> None:
        self.m.sender = self.m.sender or seg.value(1, 0)
        self.m.recipient = self.m.recipient or seg.value(2, 0)

    def _UNH(self, seg: Segment) -> None:
        if self.in_message:
            self.warn(seg, "UNH before the previous message's UNT")
            self._close_part()
        msg_type = seg.element(1)
        if seg.value(1, 0).upper() != "PAXLST":
            raise PaxlstError(
                f"message type {seg.value(1, 0) or '(none)'!r} is not PAXLST", seg.index, seg.tag
            )
        self.in_message = True
        self.unh_index = seg.index
        ref = seg.value(0, 0)
        if not ref:
            self.error(seg, "message reference number missing")
        self.message_refs.append(ref)
        self.m.message_ref = self.m.message_ref or ref
        self.m.version = self.m.version or ":".join(c.strip() for c in msg_type[1:])
        if seg.value(2, 0):
            self.common_refs.add(seg.value(2, 0))
        part, flag = seg.value(3, 0), seg.value(3, 1).upper()
        if part:
            self.m.parts.append(part)
            try:
                self.part_no = int(part)
            except ValueError:
                self.warn(seg, f"message part number {part!r} is not numeric")
                self.part_no = len(self.m.parts)
            if flag == "F":
                self.final_part_seen = True
        else:
            self.part_no = len(self.persons_by_part) + 1
        self.person = self.doc = self.leg = None
        self.current_part = []

    def _close_part(self) -> None:
        self.persons_by_part.append((self.part_no, len(self.persons_by_part), self.current_part))
        self.current_part = []
        self.person = self.doc = self.leg = None
        self.in_message = False

    def _UNT(self, seg: Segment) -> None:
        declared = seg.value(0, 0)
        actual = seg.index - self.unh_index + 1
        if _is_number(declared) and int(declared) != actual:
            self.warn(seg, f"UNT declares {int(declared)} segments, message has {actual}")
        if seg.value(1, 0) and self.message_refs and seg.value(1, 0) != self.message_refs[-1]:
            self.warn(seg, f"UNT reference {seg.value(1, 0)!r} differs from UNH")
        self._close_part()

    def _UNE(self, seg: Segment) -> None:
        pass

    def _UNZ(self, seg: Segment) -> None:
        if self.in_message:
            self.warn(seg, "UNZ before UNT: message not closed")
            self._close_part()
        self.after_unz = True

    def _BGM(self, seg: Segment) -> None:
        code = seg.value(0, 0)
        self.bgm_codes.add(code)
        if code in LIST_TYPES:
            self.m.list_type = LIST_TYPES[code]
        else:
            self.warn(seg, f"document code {code!r} is neither 745 (passengers) nor 250 (crew)")

    def _RFF(self, seg: Segment) -> None:
        qualifier, value = seg.value(0, 0), seg.value(0, 1)
        if not qualifier or not value:
            self.error(seg, "reference qualifier or value missing")
            return
        if self.person is None:
            self.m.references.setdefault(qualifier, value)
        else:
            self.person.references.setdefault(qualifier, value)

    def _TDT(self, seg: Segment) -> None:
        self._end_person()
        flight_id = seg.value(1, 0)
        if not flight_id:
            self.error(seg, "flight identification missing")
        carrier, number = _split_flight_id(flight_id, seg.value(4, 0))
        self.leg = FlightLeg(carrier=carrier, flight_number=number)
        self.leg_loc92 = 0
        self.m.flight_legs.append(self.leg)

    def _LOC(self, seg: Segment) -> None:
        qualifier = seg.value(0, 0)
        code = seg.value(1, 0)
        name = seg.value(1, 3)
        if self.person is None:
            if self.leg is None:
                self.warn(seg, "LOC before any TDT ignored")
                return
            if qualifier == "125":
                self.leg.departure_airport = code
            elif qualifier == "87":
                self.leg.arrival_airport = code
            elif qualifier == "92":
                # D05B routing: the first LOC+92 of a leg is where it departs, the second
                # where it arrives.
                if self.leg_loc92 == 0:
                    self.leg.departure_airport = code
                else:
                    self.leg.arrival_airport = code
                self.leg_loc92 += 1
            else:
                self.warn(seg, f"flight location qualifier {qualifier!r} not understood")
            if not code:
                self.error(seg, "airport code missing")
            return
        p = self.person
        if qualifier == "91":
            if self.doc is None:
                self.error(seg, "issuing state (LOC+91) outside a DOC group")
            else:
                self.doc.issuing_country = code or name
        elif qualifier == "178":
            p.embarkation = code or name
        elif qualifier == "179":
            p.debarkation = code or name
        elif qualifier == "174":
            p.residence_country = code or name
        elif qualifier == "180":
            p.birthplace = ", ".join(x for x in (name, code) if x) if name != code else code
        elif qualifier == "22":
            p.clearance_location = code or name

    def _DTM(self, seg: Segment) -> None:
        qualifier, value, fmt = seg.value(0, 0), seg.value(0, 1), seg.value(0, 2)
        if not value:
            self.error(seg, f"date missing for qualifier {qualifier!r}")
            return
        try:
            if qualifier in ("189", "232"):
                if self.leg is None or self.person is not None:
                    self.warn(seg, f"flight date {qualifier} outside a flight leg ignored")
                    return
                when = edifact_datetime(value, fmt, self.today)
                if qualifier == "189":
                    self.leg.departure_time = when
                else:
                    self.leg.arrival_time = when
            elif qualifier == "329":
                if self.person is None:
                    self.error(seg, "date of birth outside a person group")
                    return
                self.person.passenger.date_of_birth = yymmdd_to_iso(value, "birth", self.today)
            elif qualifier == "36":
                if self.doc is None:
                    self.error(seg, "document expiry (DTM+36) outside a DOC group")
                    return
                self.doc.expiry = yymmdd_to_iso(value, "expiry", self.today)
        except ValueError as exc:
            self.error(seg, f"invalid date {value!r}: {exc}")

    def _NAD(self, seg: Segment) -> None:
        role = seg.value(0, 0)
        if role == "MS" or (role not in PERSON_ROLES and self.person is None and not self.leg):
            return  # reporting party / contact, not a traveller
        self._end_person()
        if role not in PERSON_ROLES:
            self.error(seg, f"party qualifier {role!r} is not a traveller role")
        names = [c.strip() for c in seg.element(3)]
        surname = names[0] if names else ""
        given = " ".join(n for n in names[1:] if n)
        full = " ".join(c.strip() for c in seg.element(2) if c.strip())
        person = PaxlstPerson(
            passenger=Passenger(surname=surname, given_names=given,
                                full_name="" if surname else full),
            role=role,
            segment_index=seg.index,
        )
        self.person = person
        self.current_part.append(person)
        if not surname and not full:
            self.error(seg, "traveller name missing")

    def _ATT(self, seg: Segment) -> None:
        if self.person is None:
            return
        sex = seg.value(2, 0).upper()
        if sex in ("M", "F", "X"):
            self.person.passenger.sex = sex
        elif sex in ("U", ""):
            self.warn(seg, "sex not stated")
        else:
            self.error(seg, f"sex {sex!r} is not M, F, X or U")

    def _NAT(self, seg: Segment) -> None:
        if self.person is None:
            return
        code = seg.value(1, 0).upper()
        if len(code) != 3 or not code.isalpha():
            self.error(seg, f"nationality {code!r} is not a 3-letter code")
        if not self.person.passenger.nationality:
            self.person.passenger.nationality = code

    def _DOC(self, seg: Segment) -> None:
        if self.person is None:
            self.error(seg, "DOC outside a person group")
            return
        number = seg.value(1, 0)
        if not number:
            self.error(seg, "document number missing")
        self.doc = TravelDocument(number=number, type=seg.value(0, 0))
        self.person.documents.append(self.doc)

    def _CNT(self, seg: Segment) -> None:
        self._end_person()
        qualifier, value = seg.value(0, 0), seg.value(0, 1)
        if not value and len(seg.elements) > 1:
            value = seg.value(1, 0)  # "CNT+41+8": element separator where ':' belongs
            self.warn(seg, "CNT count separated with the element separator")
        if not _is_number(value):
            self.error(seg, f"control count {value!r} is not a number")
            return
        self.cnt[qualifier] = int(value)
        self.cnt_segment = seg

    def _end_person(self) -> None:
        self.person = None
        self.doc = None

    # -- assembly -----------------------------------------------------------------------
    def finish(self, segments: list[Segment]) -> PaxlstManifest:
        m = self.m
        if self.in_message:
            last = segments[-1]
            m.warnings.append(FormatIssue(last.index, last.tag, "message has no UNT"))
            self._close_part()
        if not self.message_refs:
            first = segments[0] if segments else Segment(0, "", [])
            raise PaxlstError("no UNH segment: not a PAXLST message", first.index, first.tag)
        # Multi-part messages (UNH sequence 01:C, 02, ..., nn:F) may arrive in any order;
        # persons are laid out in part order, flight legs are repeated in each part.
        parts = sorted(self.persons_by_part, key=lambda t: (t[0], t[1]))
        m.persons = [p for _, _, persons in parts for p in persons]
        self._dedupe_legs()
        self._check_parts(segments)
        self._check_count()
        if m.list_type == "passenger" and "745" not in self.bgm_codes and m.persons:
            if all(PERSON_ROLES.get(p.role) == "crew" for p in m.persons):
                m.list_type = "crew"
        self._assign_refs()
        return m

    def _dedupe_legs(self) -> None:
        seen: list[FlightLeg] = []
        for leg in self.m.flight_legs:
            if leg not in seen:
                seen.append(leg)
        self.m.flight_legs = seen

    def _check_parts(self, segments: list[Segment]) -> None:
        numbers = [n for n, _, _ in self.persons_by_part]
        if not self.m.parts:
            return
        where = segments[0]
        expected = set(range(1, max(numbers) + 1))
        missing = sorted(expected - set(numbers))
        if missing:
            self.m.warnings.append(FormatIssue(where.index, where.tag,
                                               f"multi-part message: part(s) {missing} missing"))
        if not self.final_part_seen:
            self.m.warnings.append(FormatIssue(where.index, where.tag,
                                               "multi-part message: final part (F) missing"))
        if len(self.common_refs) > 1:
            self.m.warnings.append(FormatIssue(where.index, where.tag,
                                               "parts carry different common access references"))

    def _check_count(self) -> None:
        seg = self.cnt_segment
        if not self.cnt or seg is None:
            return
        declared = self.cnt.get("42", self.cnt.get("41", next(iter(self.cnt.values()))))
        self.m.declared_count = declared
        if declared != len(self.m.persons):
            self.m.warnings.append(FormatIssue(
                seg.index, seg.tag,
                f"CNT declares {declared} persons, {len(self.m.persons)} present"))

    def _assign_refs(self) -> None:
        counts: dict[tuple[str, str], int] = {}
        for p in self.m.persons:
            for q, v in p.references.items():
                counts[(q, v)] = counts.get((q, v), 0) + 1
        for n, p in enumerate(self.m.persons, start=1):
            ref = ""
            for q in REFERENCE_PREFERENCE:
                v = p.references.get(q)
                if v and counts[(q, v)] == 1:
                    ref = v
                    break
            p.passenger.ref = ref or f"{self.m.message_ref}-{n}"
            if p.documents:
                p.passenger.document = next(
                    (d for d in p.documents if d.type.upper() in DOCUMENT_PREFERENCE),
                    p.documents[0],
                )


def parse_paxlst(data: bytes | str, *, today: date | None = None) -> PaxlstManifest:
    """Read one PAXLST interchange (all its messages/parts) into a manifest.

    Raises PaxlstError (an InvalidArgument) only when the input is not PAXLST at all.
    `today` fixes the reference date for two-digit years (tests); default: today.
    """
    try:
        interchange = tokenize(data)
    except PaxlstError:
        raise
    except EdifactError as exc:
        raise PaxlstError(exc.message, exc.segment_index, exc.tag) from exc
    if not interchange.segments:
        raise PaxlstError("empty input: no EDIFACT segments", 0, "")
    reader = _Reader(today or date.today())
    reader.m.warnings.extend(interchange.warnings)
    for seg in interchange.segments:
        try:
            reader.feed(seg)
        except PaxlstError:
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence, see below
            # A bug in one segment handler must not take the whole manifest down: the other
            # travellers still have to be screened. Tests assert this never fires.
            reader.error(seg, f"internal error reading segment: {exc!r}")
    manifest = reader.finish(interchange.segments)
    manifest.raw_charset = manifest.raw_charset or interchange.charset
    return manifest
