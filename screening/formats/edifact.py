"""UN/EDIFACT tokenizer (ISO 9735): service string advice, release character, segments.

The tokenizer is deliberately forgiving about layout (line breaks and indentation between
segments, trailing junk after the last segment, bytes outside the declared character set)
because that is what real airline traffic looks like; it reports those as warnings and leaves
decisions about content to the message parsers (paxlst, cusres).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from screening.errors import InvalidArgument


class EdifactError(InvalidArgument):
    """A message that cannot be read at all. Names the segment (1-based position) and tag."""

    def __init__(self, message: str, segment_index: int, tag: str) -> None:
        super().__init__(message, field=f"segment {segment_index} {tag}".strip())
        self.segment_index = segment_index
        self.tag = tag


@dataclass(frozen=True, slots=True)
class FormatIssue:
    """A problem found while reading; segment_index is the 1-based segment position (0: none)."""

    segment_index: int
    tag: str
    message: str

    def __str__(self) -> str:
        return f"segment {self.segment_index} {self.tag}: {self.message}"


@dataclass(frozen=True, slots=True)
class Separators:
    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    reserved: str = " "
    segment: str = "'"

    @property
    def specials(self) -> str:
        return self.component + self.element + self.release + self.segment


DEFAULT_SEPARATORS = Separators()


@dataclass(slots=True)
class Segment:
    """One segment. elements[0] is the first data element after the tag, as components."""

    index: int
    tag: str
    elements: list[list[str]]

    def element(self, i: int) -> list[str]:
        """Components of data element i (0-based), [] when absent."""
        return self.elements[i] if i < len(self.elements) else []

    def value(self, i: int, j: int = 0, default: str = "") -> str:
        """Component j of element i, stripped; default when absent or empty."""
        comps = self.element(i)
        if j < len(comps) and comps[j].strip():
            return comps[j].strip()
        return default

    def location(self) -> str:
        return f"segment {self.index} {self.tag}"


@dataclass(slots=True)
class Interchange:
    separators: Separators
    segments: list[Segment]
    charset: str
    warnings: list[FormatIssue] = field(default_factory=list)


# Character sets of ISO 9735 syntax identifiers; None means "any printable character".
_ASCII_PRINTABLE = re.compile(r"[^\x20-\x7e]")
_LATIN1_PRINTABLE = re.compile(r"[^\x20-\x7e\xa0-\xff]")
_ANY_PRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CHARSET_RULES = {
    # UNOA is strictly upper case only, but lower case is everywhere in real APIS traffic
    # (GTAS samples included) and harmless, so only non-ASCII characters are flagged.
    "UNOA": _ASCII_PRINTABLE,
    "UNOB": _ASCII_PRINTABLE,
    "UNOC": _LATIN1_PRINTABLE,
}
_TAG = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_UNB_CHARSET = re.compile(rb"UNB.{0,3}?(UNO[A-Z])")


def _decode(data: bytes, charset: str) -> str:
    """UTF-8 for UNOW/UNOY or when the bytes are valid UTF-8; latin-1 otherwise.

    latin-1 maps every byte to one character, so nothing is ever lost: a stray byte stays
    visible (and gets flagged) instead of aborting the manifest.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def detect_charset(data: bytes | str) -> str:
    raw = data.encode("latin-1", "replace") if isinstance(data, str) else data
    m = _UNB_CHARSET.search(raw[:512])
    return m.group(1).decode("ascii") if m else ""


def read_una(text: str) -> tuple[Separators, int]:
    """Separators and the offset where segments start. Default separators without UNA."""
    if not text.startswith("UNA"):
        return DEFAULT_SEPARATORS, 0
    advice = text[3:9]
    if len(advice) < 6:
        raise EdifactError("UNA service string advice needs 6 characters", 0, "UNA")
    comp, elem, dec, rel, res, seg = advice
    if len({comp, elem, seg}) < 3 or rel in (comp, elem, seg):
        raise EdifactError(f"UNA separators {advice!r} are not distinct", 0, "UNA")
    return Separators(comp, elem, dec, rel, res, seg), 9


def _split(text: str, seps: Separators) -> Iterator[tuple[list[list[str]], bool]]:
    """Raw segments as element/component lists; the flag is False for an unterminated tail."""
    elements: list[list[str]] = []
    comps: list[str] = []
    buf: list[str] = []
    escaped = False
    rel, comp, elem, seg = seps.release, seps.component, seps.element, seps.segment
    for ch in text:
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == rel:
            escaped = True
        elif ch == comp:
            comps.append("".join(buf))
            buf = []
        elif ch == elem:
            comps.append("".join(buf))
            elements.append(comps)
            comps, buf = [], []
        elif ch == seg:
            comps.append("".join(buf))
            elements.append(comps)
            yield elements, True
            elements, comps, buf = [], [], []
        elif not buf and not comps and not elements and ch in " \t\r\n\x00\x1a\ufeff":
            # Layout between segments (line breaks, indentation, ^Z, BOM): not data.
            continue
        elif ch in "\r\n" and seg not in "\r\n":
            # Line breaks inside a segment are line-wrapping by the sender's system.
            continue
        else:
            buf.append(ch)
    if escaped:
        buf.append(rel)
    if buf or comps or elements:
        comps.append("".join(buf))
        elements.append(comps)
        yield elements, False


def tokenize(data: bytes | str) -> Interchange:
    """Split an interchange into segments. Raises EdifactError only for an unusable UNA."""
    charset = detect_charset(data)
    text = _decode(data, charset) if isinstance(data, bytes) else data
    text = text.lstrip(" \t\r\n\ufeff")
    seps, start = read_una(text)
    warnings: list[FormatIssue] = []
    segments: list[Segment] = []
    rule = _CHARSET_RULES.get(charset, _ANY_PRINTABLE)
    for n, (elements, terminated) in enumerate(_split(text[start:], seps), start=1):
        tag = elements[0][0].strip() if elements and elements[0] else ""
        seg = Segment(n, tag, elements[1:])
        if not terminated:
            warnings.append(FormatIssue(n, tag[:10], "segment not terminated (end of data)"))
        if not _TAG.match(tag):
            warnings.append(FormatIssue(n, tag[:10], f"{tag[:20]!r} is not a segment tag"))
        odd = {c for comps in elements for c in comps for c in rule.findall(c)}
        if odd:
            shown = ", ".join(f"U+{ord(c):04X}" for c in sorted(odd))
            warnings.append(
                FormatIssue(n, tag[:10], f"character(s) {shown} outside {charset or 'charset'}"
                            " kept as read")
            )
        segments.append(seg)
    return Interchange(seps, segments, charset, warnings)


def escape(value: str, seps: Separators = DEFAULT_SEPARATORS) -> str:
    """Prefix every separator character in value with the release character."""
    out = []
    for ch in value:
        if ch in seps.specials:
            out.append(seps.release)
        out.append(ch)
    return "".join(out)


def format_segment(tag: str, *elements: str | list[str] | tuple[str, ...],
                   seps: Separators = DEFAULT_SEPARATORS) -> str:
    """Build one segment; each element is a string or a list of components (escaped here)."""
    parts = [tag]
    for el in elements:
        comps = [el] if isinstance(el, str) else list(el)
        parts.append(seps.component.join(escape(c, seps) for c in comps))
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return seps.element.join(parts) + seps.segment
