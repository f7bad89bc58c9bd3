"""iAPI CUSRES response (UN/EDIFACT D05B, IATA/WCO API-PNR guidelines): board/no-board codes.

The response carries only what the airline needs to act: the PAXLST message reference, the
flight, and per traveller the airline's own reference plus a code. It never carries names,
match details or any other police data; `write_cusres` has no way to receive them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from screening.errors import InvalidArgument
from screening.formats.edifact import (
    DEFAULT_SEPARATORS,
    EdifactError,
    FormatIssue,
    format_segment,
    tokenize,
)
from screening.formats.paxlst import PaxlstManifest

__all__ = ["DEFAULT_DECISION_CODES", "CusresError", "CusresResponse", "parse_cusres",
           "write_cusres"]

DEFAULT_DECISION_CODES = {"CLEAR": "0Z", "HIT": "1Z", "POSSIBLE_MATCH": "2Z", "ERROR": "4Z"}
RESPONSE_CODES = {
    "0Z": "board",
    "1Z": "do not board / contact authority",
    "2Z": "advisory",
    "4Z": "insufficient data",
}
_CODE = re.compile(r"^[0-9A-Z]{1,3}$")


class CusresError(EdifactError):
    """Text that is not a readable CUSRES message."""


@dataclass(slots=True)
class CusresResponse:
    message_ref: str  # the PAXLST message this answers
    answers: list[tuple[str, str]]  # (passenger reference, response code)
    flight_id: str = ""
    warnings: list[FormatIssue] = field(default_factory=list)


def write_cusres(
    manifest: PaxlstManifest,
    answers: list[tuple[str, str]],
    *,
    sender: str = "SCREENING",
    recipient: str = "",
    now: datetime | None = None,
) -> str:
    """One CUSRES interchange answering `manifest`. answers: [(passenger_ref, code)].

    Raises InvalidArgument for a code that is not an EDIFACT code value or a reference that is
    not in the manifest (an answer the airline could not match to a traveller is useless).
    """
    now = now or datetime.now(timezone.utc)
    known = {p.passenger.ref for p in manifest.persons}
    for i, (ref, code) in enumerate(answers):
        if not _CODE.match(code or ""):
            raise InvalidArgument(f"response code {code!r} is not a code value",
                                  field=f"answers[{i}].code")
        if ref not in known:
            raise InvalidArgument(f"passenger reference {ref!r} is not in manifest "
                                  f"{manifest.message_ref!r}", field=f"answers[{i}].ref")
    recipient = recipient or manifest.sender or "UNKNOWN"
    control = now.strftime("%y%m%d%H%M%S")
    seps = DEFAULT_SEPARATORS
    text_values = [sender, recipient, manifest.message_ref] + [r for r, _ in answers]
    charset = "UNOA" if all(v.isascii() for v in text_values) else "UNOW"
    body = [
        format_segment("UNH", control, ["CUSRES", "D", "05B", "UN", "IATA"]),
        format_segment("BGM", "962"),
        format_segment("RFF", ["TN", manifest.message_ref]),
    ]
    flight = manifest.flight()
    if manifest.flight_legs:
        body.append(format_segment("TDT", "20", flight.carrier + flight.flight_number, "", "",
                                   flight.carrier))
        if flight.departure_airport:
            body.append(format_segment("LOC", "125", flight.departure_airport))
            if flight.departure_time:
                body.append(format_segment(
                    "DTM", ["189", flight.departure_time.strftime("%y%m%d%H%M"), "201"]))
        if flight.arrival_airport:
            body.append(format_segment("LOC", "87", flight.arrival_airport))
            if flight.arrival_time:
                body.append(format_segment(
                    "DTM", ["232", flight.arrival_time.strftime("%y%m%d%H%M"), "201"]))
    for ref, code in answers:
        body.append(format_segment("ERP", "2"))
        body.append(format_segment("RFF", ["ABO", ref]))
        body.append(format_segment("ERC", code))
    body.append(format_segment("CNT", ["42", str(len(answers))]))
    body.append(format_segment("UNT", str(len(body) + 1), control))
    head = [
        "UNA" + seps.component + seps.element + seps.decimal + seps.release + seps.reserved
        + seps.segment,
        format_segment("UNB", [charset, "4"], sender, recipient,
                       [now.strftime("%y%m%d"), now.strftime("%H%M")], control),
    ]
    tail = [format_segment("UNZ", "1", control)]
    return "\n".join(head + body + tail) + "\n"


def parse_cusres(text: str | bytes) -> CusresResponse:
    """Read a CUSRES back into (PAXLST reference, [(passenger_ref, code)])."""
    try:
        interchange = tokenize(text)
    except EdifactError as exc:
        raise CusresError(exc.message, exc.segment_index, exc.tag) from exc
    unh = next((s for s in interchange.segments if s.tag == "UNH"), None)
    if unh is None:
        first = interchange.segments[0] if interchange.segments else None
        raise CusresError("no UNH segment: not a CUSRES message",
                          first.index if first else 0, first.tag if first else "")
    if unh.value(1, 0).upper() != "CUSRES":
        raise CusresError(f"message type {unh.value(1, 0)!r} is not CUSRES", unh.index, "UNH")
    response = CusresResponse(message_ref="", answers=[], warnings=list(interchange.warnings))
    in_erp = False
    ref = ""
    for seg in interchange.segments:
        if seg.tag == "ERP":
            in_erp, ref = True, ""
        elif seg.tag == "RFF" and not in_erp and seg.value(0, 0) == "TN":
            response.message_ref = seg.value(0, 1)
        elif seg.tag == "RFF" and in_erp:
            ref = ref or seg.value(0, 1)
        elif seg.tag == "TDT":
            response.flight_id = seg.value(1, 0)
        elif seg.tag == "ERC" and in_erp:
            if not ref:
                response.warnings.append(FormatIssue(seg.index, seg.tag,
                                                     "response code without a reference"))
            response.answers.append((ref, seg.value(0, 0)))
            in_erp = False
    return response
