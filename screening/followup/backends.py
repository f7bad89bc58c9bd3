"""Open the follow-up backend that the settings name."""

from __future__ import annotations

from screening.followup.store import DuckDBHitStore, open_store
from screening.settings import Settings


def open_backend(settings: Settings) -> DuckDBHitStore:
    """The embedded DuckDB store, or (backend "nats") the same store with an outbox and a
    background publisher to JetStream, which its `close` stops."""
    if settings.followup_backend == "nats":
        from screening.followup.jetstream import open_nats_store

        return open_nats_store(settings)
    return open_store(settings.data_dir, settings.followup_backend)
