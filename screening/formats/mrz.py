"""Machine readable zones of travel documents (ICAO Doc 9303 parts 4-6).

Formats: TD1 (3x30, ID cards), TD2 (2x36), TD3 (2x44, passports), MRV-A (2x44) and MRV-B
(2x36) visas. A wrong check digit is information (forgery, OCR error, sloppy issuer), not a
reason to refuse the document, so it is reported in `checks`; only text that is not shaped
like an MRZ raises `MrzError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from screening.domain import Passenger, TravelDocument
from screening.errors import InvalidArgument
from screening.formats.dates import yymmdd_to_iso

__all__ = ["MrzError", "MrzResult", "check_digit", "parse_mrz"]

_WEIGHTS = (7, 3, 1)
_MRZ_CHARS = re.compile(r"[^A-Z0-9<]")
_SHAPES = {(3, 30): "TD1", (2, 36): "TD2", (2, 44): "TD3"}


class MrzError(InvalidArgument):
    """The text is not a machine readable zone. line and column are 1-based (0: whole zone)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        where = f"line {line}" + (f" column {column}" if column else "") if line else "mrz"
        super().__init__(message, field=where)
        self.line = line
        self.column = column


def _char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    return 0  # '<' filler


def check_digit(field_text: str) -> str:
    """ICAO 7-3-1 check digit of a field, as a character."""
    total = sum(_char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field_text))
    return str(total % 10)


@dataclass(slots=True)
class MrzResult:
    format: str  # TD1, TD2, TD3, MRVA, MRVB
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: str  # ISO date, "" when unknown or unreadable
    sex: str  # M, F or X (unspecified)
    expiry: str
    optional_data: str
    optional_data_2: str = ""  # TD1 has two optional fields
    checks: dict[str, bool] = field(default_factory=dict)
    valid: bool = False
    name_truncated: bool = False
    issues: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def to_passenger(self, ref: str = "") -> Passenger:
        return Passenger(
            ref=ref,
            surname=self.surname,
            given_names=self.given_names,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            nationality=self.nationality,
            document=TravelDocument(
                number=self.document_number,
                issuing_country=self.issuing_state,
                type=self.document_code,
                expiry=self.expiry,
            ),
            mrz="\n".join(self.lines),
        )


def _normalise(text: str) -> list[str]:
    if not isinstance(text, str):
        raise MrzError("MRZ must be text")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) == 1 and len(lines[0]) in (90, 72, 88):
        # Zone read as one line (some scanners drop the line breaks).
        width = {90: 30, 72: 36, 88: 44}[len(lines[0])]
        lines = [lines[0][i : i + width] for i in range(0, len(lines[0]), width)]
    if not lines:
        raise MrzError("empty MRZ")
    shape = (len(lines), len(lines[0]))
    if shape not in _SHAPES:
        raise MrzError(
            f"{len(lines)} line(s) of {len(lines[0])} characters is not a TD1 (3x30), "
            "TD2/MRV-B (2x36) or TD3/MRV-A (2x44) zone", 1, 0)
    for n, line in enumerate(lines, start=1):
        if len(line) != shape[1]:
            raise MrzError(f"line has {len(line)} characters, expected {shape[1]}", n, 0)
        bad = _MRZ_CHARS.search(line)
        if bad:
            raise MrzError(f"character {bad.group()!r} is not allowed in an MRZ", n,
                           bad.start() + 1)
    if not lines[0][0].isalpha():
        raise MrzError("document code must start with a letter", 1, 1)
    return lines


def _clean(text: str) -> str:
    return text.replace("<", " ").strip()


def _names(zone: str) -> tuple[str, str, bool]:
    primary, _, secondary = zone.partition("<<")
    # Truncated: the issuer ran out of room (no filler left at the end of the field).
    truncated = not zone.endswith("<")
    return _clean(primary), " ".join(_clean(secondary).split()), truncated


class _Builder:
    def __init__(self, lines: list[str], fmt: str, today: date) -> None:
        self.lines = lines
        self.today = today
        self.checks: dict[str, bool] = {}
        self.issues: list[str] = []
        self.fmt = fmt

    def check(self, name: str, value: str, digit: str, *, filler_ok: bool = False) -> None:
        if digit == "<":
            # Allowed only for an empty optional field (Doc 9303 part 4, 4.2.2.2).
            self.checks[name] = filler_ok and set(value) <= {"<"}
        else:
            self.checks[name] = check_digit(value) == digit
        if not self.checks[name]:
            self.issues.append(f"check digit of {name} is wrong")

    def date(self, name: str, text: str, kind: str) -> str:
        if set(text) == {"<"}:
            return ""
        try:
            return yymmdd_to_iso(text, kind, self.today)
        except ValueError:
            self.issues.append(f"{name} {text!r} is not a valid date")
            return ""

    def sex(self, ch: str) -> str:
        if ch in ("M", "F"):
            return ch
        if ch in ("<", "X"):
            return "X"
        self.issues.append(f"sex {ch!r} is not M, F or <")
        return ""


def _long_number(number9: str, check: str, optional: str) -> tuple[str, str, str, bool]:
    """Doc 9303 long document number: '<' in the check position, overflow in optional data.

    Returns (number, check digit, remaining optional data, found).
    """
    if check != "<" or not optional or optional[0] == "<":
        return number9, check, optional, False
    end = optional.find("<")
    end = len(optional) if end < 0 else end
    overflow = optional[:end]
    return number9 + overflow[:-1], overflow[-1:], optional[end:], True


def _td1(b: _Builder) -> MrzResult:
    l1, l2, l3 = b.lines
    number, digit, optional1, _ = _long_number(l1[5:14], l1[14], l1[15:30])
    b.check("document_number", number, digit)
    b.check("date_of_birth", l2[0:6], l2[6])
    b.check("expiry", l2[8:14], l2[14])
    b.check("composite", l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
    surname, given, truncated = _names(l3)
    return MrzResult(
        format="TD1", document_code=_clean(l1[0:2]), issuing_state=_clean(l1[2:5]),
        surname=surname, given_names=given, document_number=_clean(number),
        nationality=_clean(l2[15:18]),
        date_of_birth=b.date("date_of_birth", l2[0:6], "birth"), sex=b.sex(l2[7]),
        expiry=b.date("expiry", l2[8:14], "expiry"), optional_data=_clean(optional1),
        optional_data_2=_clean(l2[18:29]), name_truncated=truncated,
    )


def _two_line(b: _Builder, width: int, visa: bool) -> MrzResult:
    l1, l2 = b.lines
    surname, given, truncated = _names(l1[5:])
    opt_end = width - 1 if not visa else width
    optional_raw = l2[28:opt_end] if width == 36 or visa else l2[28:42]
    number, digit, optional, long_number = l2[0:9], l2[9], optional_raw, False
    if width == 36 and not visa:
        number, digit, optional, long_number = _long_number(l2[0:9], l2[9], optional_raw)
    b.check("document_number", number, digit)
    b.check("date_of_birth", l2[13:19], l2[19])
    b.check("expiry", l2[21:27], l2[27])
    if not visa:
        if width == 44:
            b.check("optional", l2[28:42], l2[42], filler_ok=True)
            b.check("composite", l2[0:10] + l2[13:20] + l2[21:43], l2[43])
        else:
            b.check("composite", l2[0:10] + l2[13:20] + l2[21:35], l2[35])
    fmt = ("MRVA" if width == 44 else "MRVB") if visa else ("TD3" if width == 44 else "TD2")
    return MrzResult(
        format=fmt, document_code=_clean(l1[0:2]), issuing_state=_clean(l1[2:5]),
        surname=surname, given_names=given, document_number=_clean(number),
        nationality=_clean(l2[10:13]),
        date_of_birth=b.date("date_of_birth", l2[13:19], "birth"), sex=b.sex(l2[20]),
        expiry=b.date("expiry", l2[21:27], "expiry"), optional_data=_clean(optional),
        name_truncated=truncated,
    )


def parse_mrz(text: str, *, today: date | None = None) -> MrzResult:
    """Parse one zone (lines separated by line breaks). Raises MrzError if it is no MRZ."""
    lines = _normalise(text)
    fmt = _SHAPES[(len(lines), len(lines[0]))]
    b = _Builder(lines, fmt, today or date.today())
    if fmt == "TD1":
        result = _td1(b)
    else:
        result = _two_line(b, len(lines[0]), visa=lines[0][0] == "V")
    result.checks = b.checks
    result.issues = b.issues
    result.lines = lines
    result.valid = all(b.checks.values()) and not b.issues
    return result
