"""What every watchlist importer returns: nominal records plus a report of what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ImportReport:
    read: int = 0
    imported: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def __str__(self) -> str:
        text = f"read {self.read}, imported {self.imported}"
        if self.skipped:
            reasons = "; ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
            text += f", skipped {sum(self.skipped.values())} ({reasons})"
        if self.warnings:
            text += f", {len(self.warnings)} warning(s)"
            text += "".join(f"\n  - {w}" for w in self.warnings[:20])
            if len(self.warnings) > 20:
                text += f"\n  - ... {len(self.warnings) - 20} more"
        return text


@dataclass(slots=True)
class ImportResult:
    records: list[dict[str, Any]]
    report: ImportReport


def new_record(record_id: str, list_name: str, category: str, owner: str) -> dict[str, Any]:
    """A record in the nominal JSONL shape with every key present."""
    return {
        "record_id": record_id,
        "list": list_name,
        "category": category,
        "names": [],
        "dates_of_birth": [],
        "sex": "",
        "nationalities": [],
        "documents": [],
        "owner": owner,
        "status": "active",
        "place_of_birth": "",
    }


def add_unique(items: list, item: Any) -> None:
    if item and item not in items:
        items.append(item)
