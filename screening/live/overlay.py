"""The live layer over an immutable version: records hidden from the base (cancelled or
replaced) and a small delta index of added or updated records.

Cancelling only grows the hidden set: no index is built, so it is live at once. Added or
updated records are indexed in a small snapshot of their own (milliseconds to build at
the size of a day's changes), screened beside the base, and their answers merged.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from indexes.snapshot import build_snapshot, open_snapshot
from screening.domain import Decision, Passenger, PassengerResult
from screening.engine import Engine, cut_matches
from screening.live.changes import Change, delta_dir, latest_state
from screening.settings import Settings


@dataclass(frozen=True)
class Overlay:
    deltas: tuple[str, ...]            # delta files applied, in order
    hidden: frozenset[str]             # record ids whose base copy no longer answers
    engine: Engine | None              # the added / updated records, if any
    changes: tuple[Change, ...]

    @property
    def label(self) -> str:
        return f"+{self.deltas[-1][:-6]}" if self.deltas else ""


EMPTY = Overlay((), frozenset(), None, ())


def build_overlay(data_dir: Path, base: str, deltas: list[str], changes: list[Change],
                  settings: Settings) -> Overlay:
    if not deltas:
        return EMPTY
    state = latest_state(changes)
    live = [c for c in state.values() if not c.removes]
    hidden = frozenset(rid for _, rid in state)
    engine = None
    if live:
        engine = _delta_engine(data_dir, base, live, settings)
    return Overlay(tuple(deltas), hidden, engine, tuple(changes))


def _delta_engine(data_dir: Path, base: str, live: list[Change], settings: Settings) -> Engine:
    from screening import loader

    where = delta_dir(data_dir, base) / f".index-{uuid.uuid4().hex}"
    where.mkdir(parents=True)
    nominal = [c.record for c in live if c.kind == "nominal"]
    documents = [c.record for c in live if c.kind == "document"]
    docs_file = where / "documents.jsonl"
    docs_file.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents),
                         encoding="utf-8")
    build_snapshot(where, nominal=loader.nominal_from_records(nominal),
                   documents=loader.read_documents(docs_file) if documents else None)
    snapshot = open_snapshot(where)
    # The files stay mapped while this engine serves; removing the folder now only
    # unlinks their names, so nothing is left behind when the process ends.
    shutil.rmtree(where, ignore_errors=True)
    return Engine(snapshot, settings)


class LiveEngine:
    """A base engine and its overlay: one immutable pair, swapped as a whole so that an
    answer never mixes two versions. Same interface as `Engine` for the service."""

    def __init__(self, base: Engine, overlay: Overlay = EMPTY) -> None:
        self.base = base
        self.overlay = overlay
        self.snapshot = base.snapshot
        self.settings = base.settings

    @property
    def base_version(self) -> str:
        return self.base.version

    @property
    def version(self) -> str:
        return self.base.version + self.overlay.label

    def decide(self, score: float) -> Decision:
        return self.base.decide(score)

    def screen(self, passengers: list[Passenger]) -> list[PassengerResult]:
        results = self.base.screen(passengers)
        if not self.overlay.deltas:
            return results
        extra = (self.overlay.engine.screen(passengers) if self.overlay.engine is not None
                 else [None] * len(results))
        hidden, version = self.overlay.hidden, self.version
        out = []
        for r, x in zip(results, extra, strict=True):
            matches = [m for m in r.matches if m.record_id not in hidden]
            if x is not None:
                matches.extend(x.matches)
            matches = cut_matches(matches, self.settings)
            out.append(replace(r, matches=matches, snapshot_version=version,
                               decision=max((m.decision for m in matches),
                                            default=Decision.CLEAR)))
        return out
